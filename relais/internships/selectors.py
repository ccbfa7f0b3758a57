"""Reads of the pôles de stages, always scoped to what the user reaches (users.scopes).

Pupils' data (names, class, priority and disability flags, the case's wishes) goes to the
pupil's school and, once the case is referred, to the pôle de stages that handles it, nobody else
(DESIGN.md: personal data of minors; issue 17):

- head of school, teacher: their school's pupils and cases; the published offers of their
  bassin;
- pôle member: the referred cases of their pôle's bassin; the offers of their bassin;
- bassin référent, académie team: the offers of their territory and the figures
  (indicators, calendar, engine runs' totals), never a pupil's name;
- national administrator: every offer; no pupil;
- organisation representative: the offers of their organisations, and the proposals
  addressed to them (first name and class only, never the pupil record);
- volunteer: nothing.

Anything outside answers 404.

Anonymised pupils (past their retention date) are listed nowhere, on the pages as in the
API (``relais.pupils.selectors``, ``case_list``); their record and their case stay readable
by the same people, for the figures and the history.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import TypedDict

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, Substr
from django.shortcuts import get_object_or_404

from relais.core.access import among
from relais.establishments.models import Establishment
from relais.pupils.models import Pupil
from relais.resources.enums import TOPICS
from relais.users.scopes import Reach, get_reach
from relais.users.types import AnyUser

from .enums import OPEN_OFFER_STATES, CaseState, HubKind, ProposalState, SchoolLevel
from .models import (
    DEFAULT_ALERT_DAYS,
    InternshipOffer,
    InternshipPeriod,
    MatchingRun,
    OfferSlot,
    Placement,
    PlacementCase,
    PlacementHub,
    PreparationStep,
    Proposal,
    StageReport,
    Suggestion,
)

NOTHING = Q(pk__in=[])


def _pupil_condition(reach: Reach, prefix: str = "") -> Q:
    """Pupils of the user's schools, and pupils referred to the pôle the user is a member of
    (a case with a referral date, in the pôle's bassin)."""
    p = prefix
    condition = NOTHING
    if reach.establishment_ids:
        condition |= Q(**{f"{p}establishment_id__in": reach.establishment_ids})
    if reach.hub_bassin_ids:
        referred = PlacementCase.objects.filter(
            pupil_id=OuterRef(f"{p}pk" if p else "pk"), referred_at__isnull=False
        )
        condition |= Q(
            Exists(referred), **{f"{p}establishment__bassin_id__in": reach.hub_bassin_ids}
        )
    return condition


def pupils_visible_to(*, user: AnyUser) -> QuerySet[Pupil]:
    """Pupil data only to the pupil's school and, once referred, to the pôle of its bassin
    (issues 4 and 17; DESIGN.md: personal data of minors): ``relais.pupils.selectors``'s
    school scope, and the pupils referred to the user's pôle."""
    reach = get_reach(user)
    if reach.is_empty:
        return Pupil.objects.none()
    return Pupil.objects.filter(_pupil_condition(reach))


# Listed: the cases of pupils who are still persons (not anonymised after their retention
# date).
LISTED_CASE = Q(pupil__purged_at__isnull=True)


def pupil_get(*, user: AnyUser, pk: int) -> Pupil:
    """One pupil's record, for their school and the pôle their case is referred to (an
    anonymised pupil stays readable by the same people, for the history)."""
    return get_object_or_404(
        pupils_visible_to(user=user).select_related(
            "establishment__bassin", "establishment__academie"
        ),
        pk=pk,
    )


def pupil_cases(*, user: AnyUser, pupil: Pupil) -> QuerySet[PlacementCase]:
    """The cases of ``pupil`` the user may open, latest first (the pôle sees the referred
    ones only)."""
    return (
        cases_visible_to(user=user)
        .filter(pupil=pupil)
        .select_related("owner", "hub", "period")
        .order_by("-opened_at", "-pk")
    )


def cases_visible_to(*, user: AnyUser) -> QuerySet[PlacementCase]:
    """Cases of the user's schools; referred cases of the bassin of the user's pôle."""
    reach = get_reach(user)
    if reach.is_empty:
        return PlacementCase.objects.none()
    condition = NOTHING
    if reach.establishment_ids:
        condition |= Q(pupil__establishment_id__in=reach.establishment_ids)
    if reach.hub_bassin_ids:
        condition |= Q(referred_at__isnull=False) & Q(
            pupil__establishment__bassin_id__in=reach.hub_bassin_ids
        )
    return PlacementCase.objects.filter(condition)


def cases_counted_for(*, user: AnyUser) -> QuerySet[PlacementCase]:
    """The cases whose figures the user gets (counts only, never to be listed): their
    schools' cases, and the referred cases of their bassins (pôle member or référent) and of
    the académies they manage. Above the school, only counts (issue 17)."""
    reach = get_reach(user)
    if reach.is_empty:
        return PlacementCase.objects.none()
    return PlacementCase.objects.filter(_counted_condition(reach))


def _counted_condition(reach: Reach, prefix: str = "") -> Q:
    """``cases_counted_for``'s condition, on the cases or (``prefix="case__"``) on the rows
    that point to them. It covers ``cases_visible_to``: a pôle member's bassin is among their
    bassins, a school's cases are counted for it."""
    p = prefix
    condition = NOTHING
    if reach.establishment_ids:
        condition |= Q(**{f"{p}pupil__establishment_id__in": reach.establishment_ids})
    territory = NOTHING
    if reach.bassin_ids:
        territory |= Q(**{f"{p}pupil__establishment__bassin_id__in": reach.bassin_ids})
    if reach.managed_academie_ids:
        territory |= Q(**{f"{p}pupil__establishment__academie_id__in": reach.managed_academie_ids})
    if territory != NOTHING:
        condition |= Q(**{f"{p}referred_at__isnull": False}) & territory
    return condition


class _Days(Func):
    """PostgreSQL's ``make_interval(days => n)``."""

    function = "make_interval"
    template = "make_interval(days => %(expressions)s)"
    output_field = DurationField()


def flagged_q(now: datetime.datetime, *, threshold: Combinable | None = None) -> Q:
    """In SQL, what ``PlacementCase.is_flagged`` says in Python: an open case whose whole
    days without solution exceed its pôle's threshold (``DEFAULT_ALERT_DAYS`` without a
    pôle), i.e. opened at least threshold + 1 days before ``now``. ``threshold``: that
    threshold already at hand in the query (``home_figures`` joins the pôles once)."""
    if threshold is None:
        # A subquery rather than a join on the pôle: a case without one must stay in the
        # lists. Unordered: the pôles' default order would sort once per case counted.
        hub_threshold = (
            PlacementHub.objects.filter(pk=OuterRef("hub_id")).order_by().values("alert_after_days")
        )
        threshold = Coalesce(Subquery(hub_threshold), Value(DEFAULT_ALERT_DAYS))
    limit = ExpressionWrapper(
        Value(now, output_field=DateTimeField()) - _Days(threshold + 1),
        output_field=DateTimeField(),
    )
    return Q(closed_at__isnull=True, opened_at__lte=limit)


class HomeFigures(TypedDict):
    open_cases: int
    flagged: int
    referred: int
    proposals: int


def home_figures(*, user: AnyUser, now: datetime.datetime) -> HomeFigures:
    """The four figures of the pôles de stages' home, over ``cases_counted_for``: open
    cases, referred pupils waiting, cases waiting too long, proposals without an answer (and
    for an organisation, the proposals addressed to it). Counted in the database: an
    académie has tens of thousands of cases. The open cases' three figures in one pass, each
    case's pôle joined once (a case without pôle keeps the default threshold), not a
    subquery per case; the proposals from the sent ones by joins (those of the cases the
    user sees are among them: ``_counted_condition``), not from every counted case."""
    reach = get_reach(user)
    if reach.is_empty:
        return HomeFigures(open_cases=0, flagged=0, referred=0, proposals=0)
    threshold = Coalesce(F("hub__alert_after_days"), Value(DEFAULT_ALERT_DAYS))
    figures = (
        cases_counted_for(user=user)
        .filter(closed_at__isnull=True)
        .annotate(threshold=threshold)
        .aggregate(
            open_cases=Count("pk"),
            flagged=Count("pk", filter=flagged_q(now, threshold=F("threshold"))),
            referred=Count("pk", filter=Q(state=CaseState.REFERRED)),
        )
    )
    sent = _counted_condition(reach, prefix="case__")
    if reach.organisation_ids:
        sent |= Q(slot__offer__host_id__in=reach.organisation_ids)
    proposals = Proposal.objects.filter(sent, state=ProposalState.SENT).order_by()
    return HomeFigures(
        open_cases=figures["open_cases"],
        flagged=figures["flagged"],
        referred=figures["referred"],
        proposals=proposals.count(),
    )


def _cases(user: AnyUser) -> QuerySet[PlacementCase]:
    return cases_visible_to(user=user).select_related(
        "pupil__establishment", "owner", "hub", "period", "home_commune"
    )


def case_list(*, user: AnyUser) -> QuerySet[PlacementCase]:
    """The cases the user lists (pages, exports, API): not those of anonymised pupils."""
    return _cases(user).filter(LISTED_CASE)


def case_get(*, user: AnyUser, pk: int) -> PlacementCase:
    proposals = Proposal.objects.select_related("slot__offer__host", "sent_by", "placement")
    return get_object_or_404(
        _cases(user)
        .select_related("pupil__establishment__bassin", "pupil__establishment__academie")
        .prefetch_related("journal", Prefetch("proposals", proposals)),
        pk=pk,
    )


def offers_visible_to(*, user: AnyUser) -> QuerySet[InternshipOffer]:
    """Offers of the user's territory (pôle, académie), the published offers of a school's
    bassin, and an organisation's own offers."""
    reach = get_reach(user)
    if reach.is_empty:
        return InternshipOffer.objects.none()
    if reach.national:
        return InternshipOffer.objects.all()
    condition = NOTHING
    if reach.managed_academie_ids:
        condition |= Q(bassin__academie_id__in=reach.managed_academie_ids)
    if reach.bassin_ids:
        condition |= Q(bassin_id__in=reach.bassin_ids)
    if reach.establishment_ids:
        school_bassins = Establishment.objects.filter(pk__in=reach.establishment_ids).values(
            "bassin_id"
        )
        condition |= Q(bassin_id__in=Subquery(school_bassins), state__in=OPEN_OFFER_STATES)
    if reach.organisation_ids:
        orgs = reach.organisation_ids
        condition |= (
            among("host_id", orgs) | among("posted_by_id", orgs) | among("partner_id", orgs)
        )
    return InternshipOffer.objects.filter(condition)


def offer_list(*, user: AnyUser) -> QuerySet[InternshipOffer]:
    return offers_visible_to(user=user).select_related(
        "host", "commune", "rome", "bassin__academie"
    )


def offer_get(*, user: AnyUser, pk: int) -> InternshipOffer:
    return get_object_or_404(
        offer_list(user=user)
        .select_related("posted_by", "partner", "naf")
        .prefetch_related("slots", "journal"),
        pk=pk,
    )


def proposals_visible_to(*, user: AnyUser) -> QuerySet[Proposal]:
    """Proposals of the visible cases, and those addressed to the user's organisations."""
    reach = get_reach(user)
    if reach.is_empty:
        return Proposal.objects.none()
    condition = Q(case__in=cases_visible_to(user=user))
    if reach.organisation_ids:
        condition |= Q(slot__offer__host_id__in=reach.organisation_ids)
    return Proposal.objects.filter(condition)


def proposal_list(*, user: AnyUser) -> QuerySet[Proposal]:
    return proposals_visible_to(user=user).select_related(
        "case__pupil__establishment", "slot__offer__host", "placement"
    )


def proposal_get(*, user: AnyUser, pk: int) -> Proposal:
    return get_object_or_404(proposal_list(user=user), pk=pk)


def hubs_visible_to(*, user: AnyUser) -> QuerySet[PlacementHub]:
    """The pôles of the user's bassins and académies (all for a national administrator)."""
    reach = get_reach(user)
    if reach.is_empty:
        return PlacementHub.objects.none()
    queryset = PlacementHub.objects.select_related("bassin__academie")
    if reach.national:
        return queryset
    condition = Q(bassin_id__in=reach.bassin_ids) | Q(
        bassin__academie_id__in=reach.managed_academie_ids
    )
    if reach.establishment_ids:
        school_bassins = Establishment.objects.filter(pk__in=reach.establishment_ids).values(
            "bassin_id"
        )
        condition |= Q(bassin_id__in=Subquery(school_bassins))
    return queryset.filter(condition)


def hub_get(*, user: AnyUser, pk: int) -> PlacementHub:
    return get_object_or_404(hubs_visible_to(user=user), pk=pk)


def hub_for_pupil(pupil: Pupil) -> PlacementHub | None:
    """The pôle of the pupil's bassin (created with the bassin's name when missing)."""
    bassin_id = pupil.establishment.bassin_id
    if bassin_id is None:
        return None
    return PlacementHub.objects.filter(bassin_id=bassin_id, kind=HubKind.BASSIN).first()


def runs_visible_to(*, user: AnyUser) -> QuerySet[MatchingRun]:
    """The engine runs of the user's pôles, and the runs over a whole académie for its team
    (whose totals are figures; their suggestions name pupils: see ``run_suggestions``)."""
    reach = get_reach(user)
    if not (reach.hub_bassin_ids or reach.managed_academie_ids):
        return MatchingRun.objects.none()
    condition = Q(hub__bassin_id__in=reach.hub_bassin_ids) | Q(
        academie_id__in=reach.managed_academie_ids
    )
    return MatchingRun.objects.filter(condition).select_related("hub", "academie", "created_by")


def run_get(*, user: AnyUser, pk: int) -> MatchingRun:
    return get_object_or_404(runs_visible_to(user=user), pk=pk)


def run_suggestions(*, user: AnyUser, run: MatchingRun) -> tuple[list[Suggestion], int]:
    """The suggestions of ``run`` whose pupil the user may read (their pôle's), and how many
    others there are: those are counted, never named."""
    visible = run.suggestions.filter(case__in=cases_visible_to(user=user))
    rows = list(
        visible.select_related(
            "case__pupil__establishment", "slot__offer__host", "greedy_slot__offer__host"
        ).order_by("case__pupil__establishment__name", "case__pupil__last_name", "pk")
    )
    return rows, run.pupils - len(rows)  # a run has one suggestion per pupil


def periods_visible_to(*, user: AnyUser) -> QuerySet[InternshipPeriod]:
    """Periods are not personal data: the schools, pôles and académies of their territory."""
    reach = get_reach(user)
    if reach.is_empty:
        return InternshipPeriod.objects.none()
    queryset = InternshipPeriod.objects.select_related("establishment__academie")
    if reach.national:
        return queryset
    condition = (
        Q(establishment_id__in=reach.establishment_ids)
        | Q(establishment__bassin_id__in=reach.bassin_ids)
        | Q(establishment__academie_id__in=reach.managed_academie_ids)
    )
    return queryset.filter(condition)


def free_slots(*, offers: QuerySet[InternshipOffer]) -> QuerySet[OfferSlot]:
    """Weeks with a free place among ``offers`` (held and taken places excluded)."""
    from django.db.models import F

    return OfferSlot.objects.filter(
        offer__in=offers, capacity__gt=F("held") + F("taken")
    ).select_related("offer__host")


# --- preparation of the stage de 3e (Mesure 2) ----------------------------------------------


@dataclasses.dataclass
class ClassPreparation:
    """One class going on its stage: its four contents done or not, and after the stage its
    pupils' reports and its hosts' feedback (counts only)."""

    period: InternshipPeriod
    class_label: str
    pupils: int = 0
    steps: dict[str, PreparationStep] = dataclasses.field(default_factory=dict)
    reports: int = 0
    placements: int = 0
    feedbacks: int = 0

    @property
    def done(self) -> int:
        return len(self.steps)

    @property
    def prepared(self) -> bool:
        return self.done == len(TOPICS)

    @property
    def label(self) -> str:
        return self.class_label or "Toutes les classes de 3e"

    def days_left(self, today: datetime.date) -> int:
        return (self.period.start - today).days


def preparation_periods(*, user: AnyUser) -> QuerySet[InternshipPeriod]:
    """The periods of stage de 3e the user reaches (the schools, their pôle and référent,
    the académie team, the national team): the preparation is not personal data."""
    return periods_visible_to(user=user).filter(level=SchoolLevel.THIRD)


def _roster_classes(periods: list[InternshipPeriod]) -> dict[tuple[int, int], dict[str, int]]:
    """(school, roster year) → {class label: pupils} of the 3e on the rosters (one query)."""
    schools = {period.establishment_id for period in periods}
    years = {int(period.school_year[:4]) for period in periods}
    rows = (
        Pupil.objects.filter(
            establishment_id__in=schools,
            school_year__in=years,
            level=SchoolLevel.THIRD,
            purged_at__isnull=True,
        )
        .values("establishment_id", "school_year", "class_label")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found: dict[tuple[int, int], dict[str, int]] = {}
    for row in rows:
        key = (row["establishment_id"], row["school_year"])
        found.setdefault(key, {})[row["class_label"]] = row["n"]
    return found


def class_preparations(
    periods: QuerySet[InternshipPeriod] | list[InternshipPeriod], *, outcomes: bool = True
) -> list[ClassPreparation]:
    """Each class of ``periods``: a period declared for one class is that class; a period
    of the whole level is each 3e class of the school's roster that year (a school without
    roster: one line for the whole level). Three queries, five with the ``outcomes`` (the
    reports handed in, the placements and their host's feedback)."""
    periods = list(periods)
    if not periods:
        return []
    roster = _roster_classes(periods)
    rows: dict[tuple[int, str], ClassPreparation] = {}
    for period in periods:
        classes = roster.get((period.establishment_id, int(period.school_year[:4])), {})
        labels = [period.class_label] if period.class_label else sorted(classes) or [""]
        for label in labels:
            rows[(period.pk, label)] = ClassPreparation(period, label, classes.get(label, 0))
    for step in PreparationStep.objects.filter(period__in=periods).select_related("done_by"):
        row = rows.get((step.period_id, step.class_label))
        if row is not None:
            row.steps[step.topic] = step
    if outcomes:
        _add_outcomes(rows, periods)
    return list(rows.values())


def _add_outcomes(
    rows: dict[tuple[int, str], ClassPreparation], periods: list[InternshipPeriod]
) -> None:
    """After the stage: reports handed in, placements by the pôle and their host's feedback,
    per class (two queries)."""
    reports = (
        StageReport.objects.filter(period__in=periods)
        .values("period_id", "pupil__class_label")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in reports:
        key = (row["period_id"], row["pupil__class_label"])
        if key in rows:
            rows[key].reports = row["n"]
    placements = (
        Placement.objects.filter(case__period__in=periods)
        .values("case__period_id", "case__pupil__class_label")
        .annotate(n=Count("pk"), answered=Count("feedback"))
        .order_by()
    )
    for placed in placements:
        key = (placed["case__period_id"], placed["case__pupil__class_label"])
        if key in rows:
            rows[key].placements = placed["n"]
            rows[key].feedbacks = placed["answered"]


def classes_leaving_unprepared(
    *, periods: QuerySet[InternshipPeriod], today: datetime.date, days: int = 10
) -> int:
    """Classes whose stage de 3e starts within ``days`` days and whose preparation is not
    complete (the dashboards' « 2 classes partent dans 10 jours sans préparation »), in one
    query: each period with the 3e classes of its school's roster and its prepared classes
    (those with the four contents done)."""
    roster = (
        Pupil.objects.filter(
            establishment_id=OuterRef("establishment_id"),
            school_year=Cast(Substr(OuterRef("school_year"), 1, 4), IntegerField()),
            level=SchoolLevel.THIRD,
            purged_at__isnull=True,
        )
        .order_by()
        .values("class_label")
        .distinct()
    )
    prepared = (
        PreparationStep.objects.filter(period=OuterRef("pk"))
        .order_by()
        .values("class_label")
        .annotate(n=Count("pk"))
        .filter(n=len(TOPICS))
        .values("class_label")
    )
    rows = (
        periods.filter(
            level=SchoolLevel.THIRD,
            start__gte=today,
            start__lte=today + datetime.timedelta(days=days),
        )
        .order_by()
        .annotate(roster=ArraySubquery(roster), prepared=ArraySubquery(prepared))
        .values_list("class_label", "roster", "prepared")
    )
    count = 0
    for class_label, classes, done in rows:
        wanted = {class_label} if class_label else set(classes) or {""}
        count += len(wanted - set(done))
    return count
