"""Writes of the sections' inventory (CPME Île-de-France, art. 2.5: « procéderont à un état
des lieux des formations par apprentissage […] ; se concerteront chaque fois que sera
envisagée l'ouverture, la transformation ou la fermeture d'une section »)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.users.models import User
from relais.users.scopes import get_reach
from relais.users.types import AnyUser
from relais.volunteers.services.common import organisation_emails, team_emails

from .. import perms, selectors
from ..enums import ChangeKind, ChangeState, Opinion, SectionState
from ..models import SectionChange, SectionOpinion, ShortageReport, TrainingSection
from ..workflows import CHANGE_WORKFLOW

SECTION_FIELDS = ("diploma", "level", "sector", "nsf_code", "status", "capacity")
DEFAULT_DELAY_DAYS = 30


def _by(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


@transaction.atomic
def section_create(
    *, user: AnyUser, establishment: Establishment, data: dict[str, Any]
) -> TrainingSection:
    """The académie team records an existing section in the inventory (the « état des
    lieux »): diploma, sector, status (school, apprenticeship, mixed), capacity."""
    if not perms.manages_academie(user, establishment.academie_id):
        raise PermissionDenied("Seule l'équipe académique tient l'inventaire des formations.")
    section = TrainingSection(establishment=establishment, opened_on=data.get("opened_on"))
    for field in SECTION_FIELDS:
        setattr(section, field, data.get(field) if field != "nsf_code" else data.get(field) or "")
    section.full_clean()
    section.save()
    return section


def _effective_on(data: dict[str, Any]) -> datetime.date:
    day = data.get("effective_on")
    if not isinstance(day, datetime.date):
        raise ValidationError({"effective_on": "Indiquez la rentrée où l'évolution prend effet."})
    return day


@transaction.atomic
def change_create(
    *,
    user: AnyUser,
    kind: str,
    establishment: Establishment | None = None,
    section: TrainingSection | None = None,
    data: dict[str, Any],
) -> SectionChange:
    """The académie team prepares an opening (of a new section in an établissement), a
    transformation (new diploma, status or capacity) or a closing of an open section."""
    if section is not None:
        establishment = section.establishment
    if establishment is None:
        raise ValidationError({"establishment": "Choisissez l'établissement."})
    if not perms.manages_academie(user, establishment.academie_id):
        raise PermissionDenied("Seule l'équipe académique prépare l'évolution de la carte.")
    if kind != ChangeKind.OPEN and (section is None or section.state != SectionState.OPEN):
        raise ValidationError({"section": "Choisissez une section ouverte de l'inventaire."})
    change = SectionChange(
        kind=kind,
        establishment=establishment,
        academie_id=establishment.academie_id,
        section=section if kind != ChangeKind.OPEN else None,
        reason=(data.get("reason") or "").strip(),
        effective_on=_effective_on(data),
        created_by=_by(user),
    )
    if kind != ChangeKind.CLOSE:
        for field in SECTION_FIELDS:
            value = data.get(field)
            if value in (None, "") and section is not None:
                value = getattr(section, field)
            setattr(change, field, value if value is not None else "")
        missing = [f for f in (*SECTION_FIELDS[:3], "status", "capacity") if not getattr(change, f)]
        if missing:
            raise ValidationError({field: "Ce champ est obligatoire." for field in missing})
    change.full_clean()
    change.save()
    CHANGE_WORKFLOW.log_creation(change, user=user)
    return change


@transaction.atomic
def change_submit(
    *,
    user: AnyUser,
    change: SectionChange,
    delay_days: int = DEFAULT_DELAY_DAYS,
    today: datetime.date | None = None,
) -> SectionChange:
    """Submit the change to the signatory organisations concerned: each gets an opinion to
    give (favourable, unfavourable, reserved, with a comment) before the deadline, and an
    e-mail. Without a convention in force over the territory, nobody is consulted and the
    team decides at once."""
    today = today or timezone.localdate()
    if not 7 <= delay_days <= 90:
        raise ValidationError({"delay_days": "Le délai de concertation va de 7 à 90 jours."})
    CHANGE_WORKFLOW.check(user, change, "soumettre")
    change.opinion_deadline = today + datetime.timedelta(days=delay_days)
    change.save(update_fields=["opinion_deadline", "updated_at"])
    organisations = list(selectors.concerned_organisations(establishment=change.establishment))
    SectionOpinion.objects.bulk_create(
        [SectionOpinion(change=change, organisation=org) for org in organisations],
        ignore_conflicts=True,
    )
    names = ", ".join(org.name for org in organisations) or "aucune (pas de convention en vigueur)"
    change = CHANGE_WORKFLOW.fire(change, "soumettre", user=user, note=f"Consultées : {names}")
    for org in organisations:
        notify_once(
            key=f"training.change:{change.pk}:consult:{org.pk}",
            recipients=organisation_emails(org),
            subject=f"Avis demandé avant le {change.opinion_deadline:%d/%m/%Y} : {change}",
            body=(
                f"L'académie envisage : {change}.\n\nMotif : {change.reason}\n\n"
                f"Donnez l'avis de {org.name} (favorable, défavorable ou réservé) avant le "
                f"{change.opinion_deadline:%d/%m/%Y} : {absolute_url(change.get_absolute_url())}\n"
            ),
            about=f"training.change:{change.pk}",
        )
    return change


@transaction.atomic
def opinion_give(
    *,
    user: AnyUser,
    opinion: SectionOpinion,
    value: str,
    comment: str = "",
    today: datetime.date | None = None,
) -> SectionOpinion:
    """A consulted organisation gives its opinion before the deadline (it may change it
    until then); an unfavourable or reserved opinion says why. The team is told."""
    today = today or timezone.localdate()
    opinion = SectionOpinion.objects.select_for_update().select_related("change").get(pk=opinion.pk)
    change = opinion.change
    if not perms.may_give_opinion(user, opinion):
        raise PermissionDenied("Seule l'organisation consultée donne son avis.")
    if change.state != ChangeState.CONSULTATION:
        raise ValidationError("La concertation est close : l'avis ne peut plus être donné.")
    if change.opinion_deadline is not None and change.opinion_deadline < today:
        raise ValidationError(
            f"Le délai de concertation est passé (le {change.opinion_deadline:%d/%m/%Y})."
        )
    if value not in Opinion.values:
        raise ValidationError({"opinion": "Choisissez favorable, défavorable ou réservé."})
    comment = (comment or "").strip()
    if value != Opinion.FAVOURABLE and not comment:
        raise ValidationError(
            {"comment": "Dites pourquoi : un avis défavorable ou réservé s'explique."}
        )
    opinion.opinion, opinion.comment = value, comment
    opinion.answered_at, opinion.answered_by = timezone.now(), _by(user)
    opinion.save()
    CHANGE_WORKFLOW.write_journal(
        change, transition="avis", from_state=change.state, user=user,
        note=f"{opinion.organisation} : {opinion.get_opinion_display()}", data={"opinion": value},
    )  # fmt: skip
    notify_once(
        key=f"training.opinion:{opinion.pk}:{opinion.answered_at:%Y%m%d%H%M%S}",
        recipients=team_emails(change.academie_id),
        subject=f"Avis de {opinion.organisation} : {opinion.get_opinion_display().lower()}",
        body=f"{comment}\n\n{absolute_url(change.get_absolute_url())}\n",
        about=f"training.change:{change.pk}",
    )
    return opinion


def _apply(change: SectionChange, today: datetime.date) -> None:
    """The decided change written into the inventory."""
    if change.kind == ChangeKind.OPEN:
        section = TrainingSection(establishment=change.establishment, opened_on=change.effective_on)
    else:
        assert change.section is not None
        section = TrainingSection.objects.select_for_update().get(pk=change.section.pk)
    if change.kind == ChangeKind.CLOSE:
        section.state, section.closed_on = SectionState.CLOSED, change.effective_on
    else:
        for field in SECTION_FIELDS:
            setattr(section, field, getattr(change, field))
    section.full_clean()
    section.save()
    if change.section_id is None and section.pk is not None:
        SectionChange.objects.filter(pk=change.pk).update(section=section)


@transaction.atomic
def change_decide(
    *, user: AnyUser, change: SectionChange, adopt: bool, note: str = "",
    today: datetime.date | None = None,
) -> SectionChange:  # fmt: skip
    """The team decides once every consulted organisation answered or the deadline passed;
    an adopted change opens, transforms or closes the section in the inventory."""
    today = today or timezone.localdate()
    name = "decider" if adopt else "ne_pas_retenir"
    change = CHANGE_WORKFLOW.fire(change, name, user=user, note=note, today=today)
    if adopt:
        _apply(change, today)
        change.refresh_from_db()
    return change


REMINDER_DAYS = 5


def opinion_reminders_send(*, today: datetime.date) -> int:
    """Five days before the deadline, each consulted organisation that has not given its
    opinion is reminded once (daily job)."""
    pending = SectionOpinion.objects.filter(
        opinion="",
        change__state=ChangeState.CONSULTATION,
        change__opinion_deadline__gte=today,
        change__opinion_deadline__lte=today + datetime.timedelta(days=REMINDER_DAYS),
    ).select_related("change__establishment", "organisation")
    sent = 0
    for opinion in pending:
        change = opinion.change
        sent += bool(
            notify_once(
                key=f"training.opinion:{opinion.pk}:reminder",
                recipients=organisation_emails(opinion.organisation),
                subject=f"Rappel : avis attendu avant le {change.opinion_deadline:%d/%m/%Y}",
                body=f"{change}\n\nDonnez l'avis de {opinion.organisation.name} : "
                f"{absolute_url(change.get_absolute_url())}\n",
                about=f"training.change:{change.pk}",
            )
        )
    return sent


@transaction.atomic
def change_abandon(*, user: AnyUser, change: SectionChange, note: str = "") -> SectionChange:
    """The team gives up a project before its decision (the inventory does not change)."""
    return CHANGE_WORKFLOW.fire(change, "abandonner", user=user, note=note)


@transaction.atomic
def shortage_report(
    *, user: AnyUser, organisation: Organisation, academie: Academie, data: dict[str, Any]
) -> ShortageReport:
    """A partner (its representative, or the team on its behalf) reports a métier en
    tension in an académie of its territory: the sections of that sector are flagged."""
    reach = get_reach(user)
    if not (perms.manages_academie(user, academie.pk) or organisation.pk in reach.organisation_ids):
        raise PermissionDenied("Vous ne pouvez pas signaler de métier pour cette organisation.")
    report = ShortageReport(
        organisation=organisation,
        academie=academie,
        sector=data.get("sector") or "",
        job=(data.get("job") or "").strip(),
        comment=(data.get("comment") or "").strip(),
        reported_on=timezone.localdate(),
        reported_by=_by(user),
    )
    report.full_clean()
    report.save()
    return report
