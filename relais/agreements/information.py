"""Information at signature, renewal, amendment and end of a national, régional or académie
convention (issue 11, item 3; mesure 11 of 2015: « informer systématiquement les recteurs
lors de la signature ou du renouvellement d'une convention nationale »).

An event is read from what Relais already records, never typed:

- **signée**: the convention's entry into force (its journal line ``entree_vigueur``);
  **renouvelée** when that convention replaces another one (``supersedes``);
- **reconduite**: a tacit renewal, the start of a period after the first
  (``current_start`` later than ``start_date``, kept up to date by the daily job);
- **modifiée**: an avenant's entry into force, about the convention it amends;
- **fin**: an expiry, a non-renewal, a termination (with notice, for breach, by mutual
  agreement) or a replacement, from the journal.

The teams concerned are the national administration and the académie teams (the recteurs'
services) of the académies the convention covers: all of them for a national convention,
those of its région for a régional one, its own for an académie's. Each event is e-mailed
once, with the convention's PDF when it can be rendered: ``notify_once`` under the event's
key, so a second run of the job (or a job that catches up on missed days) sends nothing
more. ``events`` also feeds the national feed page (``/pilotage/fil/``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import F, Q

from relais.core.models import Notification
from relais.core.notifications import absolute_url, notify_once
from relais.users.enums import Role
from relais.users.models import Membership, User

from .documents import convention_pdf
from .enums import AgreementKind, AgreementScope, AgreementState, Transition
from .models import Agreement, AgreementJournal

# The levels whose conventions are announced (bassins' and schools' are local business).
LEVELS = (AgreementScope.NATIONAL, AgreementScope.ACADEMIC_REGION, AgreementScope.ACADEMIE)
# A job that missed days still informs about what it missed (once each).
CATCH_UP_DAYS = 30
FEED_DAYS = 365
FEED_LIMIT = 200
ENDINGS = {
    Transition.EXPIRE: "a expiré",
    Transition.NON_RENEWAL: "ne sera pas reconduite",
    Transition.TERMINATE: "est résiliée",
    Transition.BREACH: "est résiliée pour manquement",
    Transition.MUTUAL: "prend fin d'un commun accord",
    Transition.SUPERSEDE: "est remplacée",
}
KIND_LABELS = {
    "signed": "Signature",
    "renewed": "Renouvellement",
    "tacit": "Reconduction",
    "amended": "Avenant",
    "ended": "Fin",
}


@dataclass(frozen=True)
class Event:
    """One thing the teams must know: ``agreement`` is the convention concerned (the amended
    one for an avenant), ``source`` the row that caused it (the avenant, the new
    convention)."""

    kind: str  # signed | renewed | tacit | amended | ended
    on: datetime.date
    agreement: Agreement
    source: Agreement
    detail: str

    @property
    def key(self) -> str:
        return f"information:{self.agreement.pk}:{self.kind}:{self.source.pk}:{self.on:%Y-%m-%d}"

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def sentence(self) -> str:
        return f"La convention {self.agreement.number} « {self.agreement.title} » {self.detail}."


def _territory_q(prefix: str, academie_ids: Iterable[int] | None) -> Q:
    """Conventions at the announced levels, within the académies ``academie_ids`` (None:
    all): a national convention concerns every académie, a régional one those of its
    région, an académie's its own only (its ``academic_region`` is filled too: an académie
    convention of Montpellier is no business of Toulouse's team, issue 14's crawl)."""
    q = Q(**{f"{prefix}scope__in": LEVELS})
    if academie_ids is None:
        return q
    ids = list(academie_ids)
    return q & (
        Q(**{f"{prefix}scope": AgreementScope.NATIONAL})
        | Q(
            **{
                f"{prefix}scope": AgreementScope.ACADEMIC_REGION,
                f"{prefix}academic_region__academies__in": ids,
            }
        )
        | Q(**{f"{prefix}academie_id__in": ids})
    )


def _from_journal(line: AgreementJournal) -> Event | None:
    agreement = line.agreement
    on = line.at.date()
    if line.transition == Transition.ENTER_INTO_FORCE:
        if agreement.kind == AgreementKind.AVENANT and agreement.amends is not None:
            detail = f"est modifiée par l'avenant {agreement.number}"
            return Event("amended", on, agreement.amends, agreement, detail)
        if agreement.supersedes is not None:
            detail = f"est signée et renouvelle la convention {agreement.supersedes.number}"
            return Event("renewed", on, agreement, agreement, detail)
        return Event("signed", on, agreement, agreement, "est signée et entre en vigueur")
    if line.transition in ENDINGS and agreement.kind != AgreementKind.AVENANT:
        return Event("ended", on, agreement, agreement, ENDINGS[Transition(line.transition)])
    return None


def events(
    *, since: datetime.date, until: datetime.date, academie_ids: Iterable[int] | None = None
) -> list[Event]:
    """The events between ``since`` and ``until`` (both included) of the conventions of the
    announced levels within ``academie_ids`` (None: all), latest first. Two queries."""
    ids = None if academie_ids is None else list(academie_ids)
    related = ("agreement", "agreement__amends", "agreement__supersedes")
    lines = (
        AgreementJournal.objects.filter(
            at__date__gte=since,
            at__date__lte=until,
            transition__in=[Transition.ENTER_INTO_FORCE, *ENDINGS],
        )
        .filter(_territory_q("agreement__", ids))
        .select_related(*related)
        .distinct()
        .order_by("-at", "-pk")
    )
    found = [event for line in lines if (event := _from_journal(line)) is not None]
    renewed = (
        Agreement.objects.filter(
            _territory_q("", ids),
            state=AgreementState.IN_FORCE,
            current_start__gt=F("start_date"),
            current_start__gte=since,
            current_start__lte=until,
        )
        .exclude(kind=AgreementKind.AVENANT)
        .distinct()
    )
    for agreement in renewed:
        assert agreement.current_start is not None  # filtered above
        end = f" jusqu'au {agreement.current_end:%d/%m/%Y}" if agreement.current_end else ""
        detail = f"est reconduite tacitement à compter du {agreement.current_start:%d/%m/%Y}{end}"
        found.append(Event("tacit", agreement.current_start, agreement, agreement, detail))
    return sorted(found, key=lambda e: (e.on, e.agreement.pk), reverse=True)


def recipients(agreement: Agreement) -> list[str]:
    """The national administration and the académie teams of the académies the convention
    covers."""
    teams = Q(role=Role.ACADEMIE_TEAM)
    if agreement.scope == AgreementScope.ACADEMIC_REGION:
        teams &= Q(academie__region_id=agreement.academic_region_id)
    elif agreement.scope != AgreementScope.NATIONAL:
        teams &= Q(academie_id=agreement.academie_id)
    members = Membership.objects.filter(Q(role=Role.NATIONAL_ADMIN) | teams).values("user_id")
    users = User.objects.filter(is_active=True, pk__in=members)
    return sorted(set(users.values_list("email", flat=True)))


def _document(event: Event) -> list[tuple[str, bytes, str]]:
    """The signed document of the source (the convention, the avenant), when it renders
    (a template field left empty makes it refuse: the e-mail then gives the link only)."""
    try:
        rendered = convention_pdf(event.source)
    except ValidationError:
        return []
    return [(rendered.filename, rendered.content, rendered.mimetype)]


def was_informed(found: Iterable[Event]) -> dict[str, Notification]:
    """The outbox rows of the events already sent (one query)."""
    keys = [event.key for event in found]
    return {n.key: n for n in Notification.objects.filter(key__in=keys)}


def inform(*, today: datetime.date) -> int:
    """E-mail the teams concerned about each event of the last ``CATCH_UP_DAYS`` days not
    yet announced, with the document. Returns how many e-mails were written now (already
    announced events are skipped without rendering anything)."""
    found = events(since=today - datetime.timedelta(days=CATCH_UP_DAYS), until=today)
    done = was_informed(found)
    written = 0
    for event in found:
        if event.key in done:
            continue
        files = _document(event)
        notification = notify_once(
            key=event.key,
            recipients=recipients(event.agreement),
            subject=f"[Relais] {event.label} — convention {event.agreement.number}",
            template="agreements/mail/information.txt",
            context={
                "event": event,
                "url": absolute_url(f"/conventions/{event.agreement.pk}/"),
                "feed_url": absolute_url("/pilotage/fil/"),
                "attached": bool(files),
            },
            about=f"agreements.agreement:{event.agreement.pk}",
            attachments=files,
        )
        written += notification is not None
    return written
