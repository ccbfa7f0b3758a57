"""Reading conventions, scoped to the user.

| who                                   | sees                                                   |
|---------------------------------------|--------------------------------------------------------|
| national administrator                | everything                                             |
| académie team                         | national, their région académique, their académie and  |
|                                       | everything declined in it (bassins, établissements)    |
| volunteer                             | only the conventions they act under: the CEE convention|
|                                       | of their designation (advisor with the account's e-mail|
|                                       | designated or in mission), none of the académie's      |
| bassin référent, pôle member          | national, région, académie, their bassin and its       |
|                                       | établissements                                         |
| head of school, teacher               | national, région, académie, their bassin, their school |
| organisation representative          | national, and those their organisation is party to     |
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Prefetch, Q, QuerySet

from relais.core import clock
from relais.core.access import among
from relais.core.text import search_key
from relais.establishments.models import Establishment
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.models import User
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from . import deadline_events
from .consolidation import CLAUSE_FIELDS, consolidated_clauses, usable_terms
from .deadlines import Terms
from .enums import AgreementKind, AgreementScope, AgreementState
from .models import Agreement, CalendarFeed, Party, Signatory


def _visibility_q(user: AnyUser) -> Q | None:
    reach = get_reach(user)
    if reach.national:
        return None
    visible = Q(pk__in=[])
    if reach.roles - {Role.ORGANISATION_REP, Role.VOLUNTEER}:
        school_bassins = Establishment.objects.filter(pk__in=reach.establishment_ids).values(
            "bassin_id"
        )
        visible = (
            Q(scope=AgreementScope.NATIONAL)
            | Q(
                scope=AgreementScope.ACADEMIC_REGION,
                academic_region_id__in=reach.directory_region_ids,
            )
            | Q(scope=AgreementScope.ACADEMIE, academie_id__in=reach.directory_academie_ids)
            | Q(
                scope__in=[AgreementScope.BASSIN, AgreementScope.ESTABLISHMENT],
                academie_id__in=reach.managed_academie_ids,
            )
            | Q(bassin_id__in=reach.bassin_ids)
            | Q(scope=AgreementScope.BASSIN, bassin_id__in=school_bassins)
            | Q(establishment_id__in=reach.establishment_ids)
        )
        if reach.bassin_ids:
            # The établissements of the bassins by their index, not a join of every
            # établissement to every convention (a référent's list: 29 → 8 ms).
            visible |= Q(
                establishment_id__in=Establishment.objects.filter(
                    bassin_id__in=reach.bassin_ids
                ).values("pk")
            )
    if reach.has_role(Role.VOLUNTEER):
        visible |= _acted_under_q(user)
    if reach.organisation_ids:
        # Their conventions by the parties' index, not a join of every party to every
        # convention.
        visible |= Q(scope=AgreementScope.NATIONAL) | Q(
            pk__in=Party.objects.filter(among("organisation_id", reach.organisation_ids)).values(
                "agreement_id"
            )
        )
    return visible


# The states of ``relais.volunteers.enums.APPOINTED_STATES`` (designated by the recteur, not
# ended), named by value: ``volunteers`` builds on ``agreements``, never the reverse
# (docs/adr/0008); tests/agreements/test_volunteer_visibility.py keeps the two equal.
ADVISOR_APPOINTED_STATES = ("designe", "actif")


def _acted_under_q(user: AnyUser) -> Q:
    """A volunteer reads only the conventions they act under (issue 14): the CEE convention
    under which they were designated conseiller entreprises pour l'école (advisor whose
    e-mail is the account's, designated or in mission; code de l'éducation D. 331-65). A
    réserviste acts under no convention (fiche mesure 10: a charter) and reads none."""
    email = getattr(user, "email", "")
    if not email:
        return Q(pk__in=[])
    return Q(
        pk__in=Agreement.objects.filter(
            advisors__email__iexact=email, advisors__state__in=ADVISOR_APPOINTED_STATES
        ).values("pk")
    )


def agreements_visible_to(user: AnyUser) -> QuerySet[Agreement]:
    """Every convention and avenant the user may read (see the table above). The condition
    reads only the convention's own columns and indexed subqueries (no join, hence no
    duplicate): a list's page is read along its order's index until it is full."""
    condition = _visibility_q(user)
    if condition is None:
        return Agreement.objects.all()
    return Agreement.objects.filter(condition)


def agreement_list(
    user: AnyUser,
    *,
    query: str = "",
    state: str = "",
    kind: str = "",
    scope: str = "",
    partner_id: int | None = None,
    ends_within_days: int | None = None,
    include_avenants: bool = True,
    today: date | None = None,
) -> QuerySet[Agreement]:
    """The filtered list. ``query`` is a French full-text search (accents ignored) over
    titles, numbers, preambles, articles and parties; ``ends_within_days`` keeps the
    conventions whose current term ends within that many days (stored ``current_end``)."""
    queryset = agreements_visible_to(user).select_related(
        "academie", "academic_region", "bassin", "establishment", "amends"
    )
    if not include_avenants:
        queryset = queryset.exclude(kind=AgreementKind.AVENANT)
    if state:
        queryset = queryset.filter(state=state)
    if kind:
        queryset = queryset.filter(kind=kind)
    if scope:
        queryset = queryset.filter(scope=scope)
    if partner_id:
        queryset = queryset.filter(
            pk__in=Party.objects.filter(organisation_id=partner_id).values("agreement_id")
        )
    if ends_within_days is not None:
        today = today or clock.today()
        queryset = queryset.filter(
            state__in=[AgreementState.IN_FORCE, AgreementState.TERMINATED],
            current_end__gte=today,
            current_end__lte=today + timedelta(days=ends_within_days),
        )
    words = search_key(query)
    if words:
        search = SearchQuery(words, config="french", search_type="websearch")
        queryset = (
            queryset.filter(search_vector=search)
            .annotate(rank=SearchRank(F("search_vector"), search))
            .order_by("-rank", "-created_at")
        )
    return queryset


def partners_in_reach(user: AnyUser) -> QuerySet[Organisation]:
    """The organisations party to a convention the user sees: the only partners the list's
    « Partenaire » filter accepts, on the page and in the API (``partner``). No partner of a
    convention out of the user's reach is named or accepted."""
    parties = Party.objects.filter(
        agreement__in=agreements_visible_to(user), organisation__isnull=False
    ).values("organisation_id")
    return Organisation.objects.filter(pk__in=parties)


def partner_in_reach(user: AnyUser, organisation_id: int) -> bool:
    return partners_in_reach(user).filter(pk=organisation_id).exists()


def partner_choices(user: AnyUser, *, selected: int | None = None) -> QuerySet[Organisation]:
    """The options of the list's « Partenaire » filter: among ``partners_in_reach``, the
    professional organisations (MEDEF, CPME, UIMM, chambres…) and the partner already chosen.
    An académie's thousands of partner companies are found by the search (party names are
    indexed), not in a select that would weigh a megabyte."""
    wanted = Q(kind=OrganisationKind.PROFESSIONAL)
    if selected:
        wanted |= Q(pk=selected)
    return partners_in_reach(user).filter(wanted).only("pk", "name").order_by("name")


def agreement_get(user: AnyUser, pk: int) -> Agreement:
    """One visible convention with what its page needs, or Agreement.DoesNotExist."""
    return (
        agreements_visible_to(user)
        .select_related(
            "academie",
            "academic_region",
            "bassin",
            "establishment",
            "parent",
            "amends",
            "supersedes",
            "terminated_by",
            "created_by",
        )
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("organisation")),
            Prefetch("signatories", queryset=Signatory.objects.select_related("party")),
            "articles",
            "commitments__party",
        )
        .get(pk=pk)
    )


@dataclass(frozen=True)
class DueItem:
    """A deadline of a visible convention, for the Échéances page, the iCal feed, alerts."""

    agreement: Agreement
    deadline: deadline_events.Deadline

    @property
    def days_left(self) -> int:
        return (self.deadline.due_on - clock.today()).days


# Long texts that the deadline computations never read: left in the database.
UNUSED_BY_DEADLINES = (
    "search_vector",
    "legal_basis",
    "preamble",
    "dispute_clause",
    "confidentiality_clause",
    "template_fields",
    "termination_reason",
)


def live_agreements(queryset: QuerySet[Agreement] | None = None) -> QuerySet[Agreement]:
    """Conventions that still have dates ahead: in force, or terminated but not yet ended
    (with their avenants, whose clause changes count)."""
    queryset = Agreement.objects.all() if queryset is None else queryset
    avenants = Agreement.objects.defer(*UNUSED_BY_DEADLINES)
    return (
        queryset.filter(state__in=[AgreementState.IN_FORCE, AgreementState.TERMINATED])
        .exclude(kind=AgreementKind.AVENANT)
        .select_related("academie", "academic_region", "bassin", "establishment")
        .prefetch_related(Prefetch("avenants", queryset=avenants))
    )


def may_fall_due_by(today: date, end: date) -> Q:
    """The conventions that may have a deadline from ``today`` to ``end``, from the dates
    that ``services.refresh_dates`` stores at each transition and avenant and every morning:
    a later deadline belongs to the period in force when they were stored (its notice
    deadline, its end) or to a following one (after that end); the renewal that starts a
    period is due on its first day, hence the periods that began today. Conventions without
    stored dates are kept. The exact deadlines are then computed on the consolidated terms."""
    return (
        Q(current_end__isnull=True)
        | Q(current_start__isnull=True)
        | Q(current_start__gte=today)
        | Q(current_end__lte=end)
        | Q(next_notice_deadline__lte=end)
        | Q(terminated_on__lte=end)
    )


def due_between(agreements: Iterable[Agreement], *, start: date, end: date) -> list[DueItem]:
    """Renewals, notice deadlines and ends of term of ``agreements`` from ``start`` to
    ``end`` (both included), by date (relais.agreements.deadlines on consolidated terms)."""
    items: list[DueItem] = []
    for agreement in agreements:
        terms = usable_terms(agreement)
        if terms is None:
            continue
        for deadline in deadline_events.deadlines_between(terms, start=start, end=end):
            items.append(DueItem(agreement, deadline))
    return sorted(items, key=lambda item: (item.deadline.due_on, item.agreement.number))


@dataclass(frozen=True, slots=True)
class DueDate:
    """A deadline of a visible convention before the convention itself is read: the
    Échéances page counts, filters and sorts these, then reads only the conventions of the
    page it shows (``due_items``)."""

    agreement_id: int
    number: str
    deadline: deadline_events.Deadline


# What ``due_dates`` reads of a convention: its number (the order of a day's deadlines), its
# dates and its clauses; of its avenants, what ``consolidated_clauses`` applies. Read as
# named rows, not models: an académie's year of deadlines is a thousand conventions.
DEADLINE_FIELDS = ("pk", "number", "start_date", "terminated_on", *CLAUSE_FIELDS)
AVENANT_FIELDS = ("pk", "amends_id", "state", "start_date", "clause_changes")
APPLIED_STATES = (AgreementState.IN_FORCE, AgreementState.EXPIRED, AgreementState.TERMINATED)
CACHE_SIZE = 16_384
_terms_cache: dict[tuple[object, ...], Terms | None] = {}


def _terms(agreement: Agreement, clauses: dict[str, object]) -> Terms | None:
    """``usable_terms``, kept for the same dates and clauses: a pure function of them (an
    unusable row is logged the first time this process meets it). ``agreement`` may be a
    named row of ``DEADLINE_FIELDS``, as ``due_dates`` reads them."""
    key = (agreement.start_date, agreement.terminated_on, *clauses.values())
    try:
        return _terms_cache[key]
    except KeyError:
        if len(_terms_cache) >= CACHE_SIZE:
            _terms_cache.clear()
        terms = _terms_cache[key] = usable_terms(agreement, clauses)
        return terms


@lru_cache(maxsize=CACHE_SIZE)
def _deadlines(terms: Terms, start: date, end: date) -> tuple[deadline_events.Deadline, ...]:
    """``deadline_events.deadlines_between``, kept for the same terms and days (a pure
    function of them: every page of the day asks the same question for each convention)."""
    return tuple(deadline_events.deadlines_between(terms, start=start, end=end))


def due_dates(
    user: AnyUser, *, days: int, today: date | None = None, scope: str = ""
) -> list[DueDate]:
    """Every renewal, notice deadline and end of term of the next ``days`` days among the
    conventions the user sees (of that ``scope`` if given), by date then convention number,
    in two queries whatever their number: the candidates (``may_fall_due_by``, only the
    columns the computation reads) and their avenants in force. The exact deadlines are
    computed on the consolidated terms, as ``due_between`` does."""
    today = today or clock.today()
    end = today + timedelta(days=days)
    queryset = (
        agreements_visible_to(user)
        .filter(state__in=[AgreementState.IN_FORCE, AgreementState.TERMINATED])
        .exclude(kind=AgreementKind.AVENANT)
        .filter(may_fall_due_by(today, end))
    )
    if scope:
        queryset = queryset.filter(scope=scope)
    candidates = list(queryset.order_by().values_list(*DEADLINE_FIELDS, named=True))
    # Named rows of AVENANT_FIELDS (values_list over a computed list of fields: untyped).
    avenants: dict[int, list[Any]] = {}
    if candidates:
        for avenant in (
            Agreement.objects.filter(
                amends_id__in=[agreement.pk for agreement in candidates],
                state__in=APPLIED_STATES,
            )
            .order_by()
            .values_list(*AVENANT_FIELDS, named=True)
        ):
            avenants.setdefault(avenant.amends_id, []).append(avenant)
    items: list[DueDate] = []
    for agreement in candidates:
        terms = _terms(agreement, consolidated_clauses(agreement, avenants.get(agreement.pk, ())))
        if terms is None:
            continue
        for deadline in _deadlines(terms, today, end):
            items.append(DueDate(agreement.pk, agreement.number, deadline))
    return sorted(items, key=lambda item: (item.deadline.due_on, item.number))


def due_items(due: Iterable[DueDate]) -> list[DueItem]:
    """``due`` with their conventions (one query, territories joined), e.g. for one page."""
    due = list(due)
    agreements = (
        Agreement.objects.select_related("academie", "academic_region", "bassin", "establishment")
        .defer(*UNUSED_BY_DEADLINES)
        .in_bulk({item.agreement_id for item in due})
    )
    return [DueItem(agreements[item.agreement_id], item.deadline) for item in due]


def upcoming_deadlines(user: AnyUser, *, days: int, today: date | None = None) -> list[DueItem]:
    """What falls due in the next ``days`` days among the conventions the user sees (all
    of it, with the conventions: the iCal feed)."""
    return due_items(due_dates(user, days=days, today=today))


# --- the personal iCal feed -------------------------------------------------------------------


def calendar_feed_of(user: User) -> CalendarFeed | None:
    """The user's feed, if they asked for one."""
    return CalendarFeed.objects.filter(user=user).first()


def calendar_feed_by_token(token: str) -> CalendarFeed | None:
    """The feed of this secret address, if its owner is still an active user."""
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True)
        .first()
    )
