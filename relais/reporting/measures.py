"""Counts of the relation école-entreprise per territory, for the national view and the open
data: one grouped query per measure and per level (académie, bassin, school), whatever the
number of conventions, clubs, pupils or volunteers — the time grows with the rows read, the
number of queries does not.

A measure counts rows of one model and says, for each level, which column places a row in a
territory. Conventions of a région académique count in each académie of the région; national
ones are the nation's (their declinations are counted where they are declined). Pupils'
counts (pôles de stages, parcours Avenir) are published with the statistical secrecy of
``relais.pathways.selectors.SMALL_COUNT``: see ``secrecy``.

The year is the roster and internship year (1 August to 31 July, ``relais.pupils.years``):
the pôles and the parcours count by it, and the other activities follow the same bounds so
that a line of the table covers one period.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Coalesce, Extract

from relais.actions.models import ActionRecord
from relais.agreements.enums import (
    AgreementKind,
    AgreementScope,
    AgreementState,
    CommitmentCategory,
)
from relais.agreements.models import Agreement, Commitment
from relais.core.clock import today
from relais.internships.enums import CaseState, OfferState
from relais.internships.models import InternshipOffer, PlacementCase
from relais.juries.enums import JurorState
from relais.juries.models import Juror
from relais.networks.enums import MandateRole
from relais.networks.models import Club, Mandate
from relais.organisations.enums import DISABILITY_HOST_KINDS
from relais.organisations.models import Organisation
from relais.territories.models import Bassin
from relais.volunteers.enums import (
    AdvisorState,
    ApplicationState,
    ImmersionState,
    RequestState,
)
from relais.volunteers.models import (
    Advisor,
    AdvisorIntervention,
    CourseParticipant,
    ImmersionApplication,
    ReserveApplication,
    ReserveRequest,
)

LEVELS = ("academie", "bassin", "school")
DEADLINE_DAYS = 90
FIRST_MONTH = 8  # 1 August opens the year (relais.pupils.years)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    """First day and the day after the last of the year ``year`` (1 August to 31 July)."""
    return datetime.date(year, FIRST_MONTH, 1), datetime.date(year + 1, FIRST_MONTH, 1)


class Median(Aggregate):
    """PostgreSQL's median (``percentile_cont``) of a number."""

    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


@dataclass(frozen=True)
class Measure:
    """One figure: its key, its label, its theme, how to read the rows of a year, and the
    column that places a row in each level (absent: not counted at that level)."""

    key: str
    label: str
    theme: str
    rows: Callable[[int], QuerySet]
    paths: dict
    value: Callable[[], object] = lambda: Count("pk", distinct=True)
    pupils: bool = False  # a count of pupils: statistical secrecy applies
    help: str = ""


def in_force() -> QuerySet[Agreement]:
    return Agreement.objects.filter(state=AgreementState.IN_FORCE).exclude(
        kind=AgreementKind.AVENANT
    )


def _in_force(scope: str | None = None) -> Callable[[int], QuerySet]:
    def rows(_year: int) -> QuerySet:
        queryset = in_force()
        return queryset if scope is None else queryset.filter(scope=scope)

    return rows


def _deadlines(_year: int) -> QuerySet:
    day = today()
    until = day + datetime.timedelta(days=DEADLINE_DAYS)
    return in_force().filter(
        Q(current_end__gte=day, current_end__lte=until)
        | Q(next_notice_deadline__gte=day, next_notice_deadline__lte=until)
    )


def _declinations(_year: int) -> QuerySet:
    return in_force().filter(parent__scope=AgreementScope.NATIONAL)


def _in_office(role: str) -> Exists:
    day = today()
    return Exists(
        Mandate.objects.filter(club=OuterRef("pk"), role=role, starts_on__lte=day, ends_on__gte=day)
    )


def _clubs(*roles: str) -> Callable[[int], QuerySet]:
    def rows(_year: int) -> QuerySet:
        queryset = Club.objects.all()
        for role in roles:
            queryset = queryset.filter(_in_office(role))
        return queryset

    return rows


def _cases(_placed: bool = False) -> Callable[[int], QuerySet]:
    def rows(year: int) -> QuerySet:
        start, end = year_bounds(year)
        queryset = PlacementCase.objects.filter(
            referred_at__date__gte=start, referred_at__date__lt=end
        )
        return queryset.filter(state=CaseState.PLACED) if _placed else queryset

    return rows


PRIORITY = (
    ~Q(pupil__establishment__priority_education="")
    | Q(pupil__qpv=True)
    | Q(pupil__disability=True)
    | Q(pupil__newly_arrived=True)
)
CASE_PATHS = {
    "academie": "pupil__establishment__academie_id",
    "bassin": "pupil__establishment__bassin_id",
    "school": "pupil__establishment_id",
}
SCHOOL_PATHS = {
    "academie": "establishment__academie_id",
    "bassin": "establishment__bassin_id",
    "school": "establishment_id",
}
AGREEMENT_PATHS = {
    "academie": "academie_id",
    "bassin": Coalesce("bassin_id", "establishment__bassin_id"),
    "school": "establishment_id",
}


def _dated(model_rows: Callable[[], QuerySet], field: str) -> Callable[[int], QuerySet]:
    def rows(year: int) -> QuerySet:
        start, end = year_bounds(year)
        return model_rows().filter(**{f"{field}__gte": start, f"{field}__lt": end})

    return rows


MEASURES: list[Measure] = [
    # Conventions
    Measure("conventions", "Conventions en vigueur", "conventions", _in_force(), AGREEMENT_PATHS,
            help="Conventions académiques, de bassin et d'établissement en vigueur."),
    Measure("conventions_region", "Conventions régionales en vigueur", "conventions",
            _in_force(AgreementScope.ACADEMIC_REGION),
            {"academie": "academic_region__academies__id"}),
    Measure("conventions_academie", "Conventions académiques", "conventions",
            _in_force(AgreementScope.ACADEMIE), AGREEMENT_PATHS),
    Measure("conventions_local", "Conventions de bassin et d'établissement", "conventions",
            lambda y: in_force().filter(
                scope__in=[AgreementScope.BASSIN, AgreementScope.ESTABLISHMENT]),
            AGREEMENT_PATHS),
    Measure("declinations", "Déclinaisons de conventions nationales", "conventions",
            _declinations, {"academie": Coalesce("academie_id",
                                                 "academic_region__academies__id")}),
    Measure("deadlines", f"Échéances à {DEADLINE_DAYS} jours", "conventions", _deadlines,
            {**AGREEMENT_PATHS,
             "academie": Coalesce("academie_id", "academic_region__academies__id")},
            help="Fins de période ou dates limites de dénonciation dans les 90 jours."),
    # Networks (clubs école-entreprise, CLEE)
    Measure("bassins", "Bassins", "clee", lambda y: Bassin.objects.all(),
            {"academie": "academie_id", "bassin": "pk"}),
    Measure("clubs", "Bassins avec un club", "clee", _clubs(),
            {"academie": "academie_id", "bassin": "bassin_id"}),
    Measure("clubs_complete", "Clubs avec référent et pilote en fonction", "clee",
            _clubs(MandateRole.REFERENT, MandateRole.PILOTE),
            {"academie": "academie_id", "bassin": "bassin_id"}),
    # Pôles de stages
    Measure("referred", "Élèves orientés vers un pôle", "poles", _cases(), CASE_PATHS,
            pupils=True),
    Measure("placed", "Élèves placés", "poles", _cases(True), CASE_PATHS, pupils=True),
    Measure("referred_priority", "Élèves prioritaires orientés", "poles",
            lambda y: _cases()(y).filter(PRIORITY), CASE_PATHS, pupils=True),
    Measure("placed_priority", "Élèves prioritaires placés", "poles",
            lambda y: _cases(True)(y).filter(PRIORITY), CASE_PATHS, pupils=True),
    Measure("placement_days", "Délai médian de placement (jours)", "poles", _cases(True),
            CASE_PATHS,
            value=lambda: Median(Extract(F("placed_at") - F("referred_at"), "epoch") / 86400.0),
            pupils=True),
    # Volunteers
    Measure("cee_active", "Conseillers entreprises en mission", "benevoles",
            lambda y: Advisor.objects.filter(state=AdvisorState.ACTIVE),
            {"academie": "academie_id"}),
    Measure("cee_target", "Conseillers prévus par les conventions", "benevoles",
            lambda y: Commitment.objects.filter(
                category=CommitmentCategory.CEE, agreement__in=in_force()),
            {"academie": "agreement__academie_id"},
            value=lambda: Coalesce(Sum("quantity"), 0)),
    Measure("cee_interventions", "Interventions des conseillers", "benevoles",
            _dated(AdvisorIntervention.objects.all, "date"), SCHOOL_PATHS),
    Measure("reservists", "Réservistes validés", "benevoles",
            lambda y: ReserveApplication.objects.filter(state=ApplicationState.VALIDATED),
            {"academie": "academie_id"}),
    Measure("reserve_done", "Interventions de la réserve réalisées", "benevoles",
            _dated(lambda: ReserveRequest.objects.filter(state=RequestState.DONE),
                   "created_at__date"), SCHOOL_PATHS),
    Measure("immersions", "Immersions d'enseignants validées", "benevoles",
            _dated(lambda: ImmersionApplication.objects.filter(state=ImmersionState.VALIDATED),
                   "offer__start_date"),
            {"academie": "offer__academie_id", "bassin": "establishment__bassin_id",
             "school": "establishment_id"}),
    Measure("jurors_attended", "Professionnels ayant siégé dans un jury d'examen", "benevoles",
            _dated(lambda: Juror.objects.filter(state=JurorState.ATTENDED), "session__date"),
            {"academie": "session__academie_id", "bassin": "session__establishment__bassin_id",
             "school": "session__establishment_id"},
            help="Jurés désignés par les organisations (engagements « jurys »)."),
    # Disability (CPME Île-de-France, art. 2.3)
    Measure("offers_accessible", "Offres de stage accessibles (handicap)", "handicap",
            lambda y: InternshipOffer.objects.filter(
                state=OfferState.PUBLISHED, accessible=True),
            {"academie": "bassin__academie_id", "bassin": "bassin_id"}),
    Measure("hosts_adapted", "Entreprises adaptées et ESAT", "handicap",
            lambda y: Organisation.objects.filter(
                kind__in=DISABILITY_HOST_KINDS, archived_at__isnull=True),
            {"academie": "academie_id"}),
    Measure("actions_disability", "Actions de sensibilisation au handicap réalisées", "handicap",
            _dated(lambda: ActionRecord.objects.filter(offer__disability_awareness=True),
                   "done_on"), SCHOOL_PATHS),
    Measure("course_56h", "Participants au parcours de 56 heures", "benevoles",
            _dated(CourseParticipant.objects.all, "course__start_date"),
            {"academie": "course__academie_id", "bassin": "establishment__bassin_id",
             "school": "establishment_id"}),
]  # fmt: skip
BY_KEY = {measure.key: measure for measure in MEASURES}
THEMES = {
    "conventions": "Conventions",
    "clee": "Clubs école-entreprise (CLEE)",
    "poles": "Pôles de stages",
    "benevoles": "Conseillers entreprises, réserve citoyenne, immersions, jurys",
    "handicap": "Handicap : accueil et sensibilisation",
    "parcours": "Parcours Avenir (3e)",
}


def counts(
    level: str,
    year: int,
    *,
    ids: Iterable[int] | None = None,
    keys: Iterable[str] | None = None,
    live: bool = False,
) -> dict[str, dict[int, float]]:
    """Per measure: {territory id: value} at ``level``, restricted to the territories
    ``ids`` (None: all). From the aggregates of the nightly job when that level and year
    were computed (one query, ``aggregates.stored``); otherwise, or with ``live``, counted
    now: one query per measure."""
    ids = None if ids is None else list(ids)
    keys = None if keys is None else list(keys)
    if not live:
        from .aggregates import stored

        found = stored(level, year, ids=ids, keys=keys)
        if found is not None:
            return found
    result: dict[str, dict[int, float]] = {}
    for measure in MEASURES if keys is None else [BY_KEY[k] for k in keys]:
        path = measure.paths.get(level)
        if path is None:
            continue
        expression = F(path) if isinstance(path, str) else path
        rows = measure.rows(year).annotate(_territory=expression)
        if ids is not None:
            rows = rows.filter(_territory__in=ids)
        grouped = (
            rows.filter(_territory__isnull=False)
            .values("_territory")
            .annotate(_value=measure.value())
            .order_by()
            .values_list("_territory", "_value")
        )
        result[measure.key] = {pk: value for pk, value in grouped if value is not None}
    return result


def counts_by_year(
    keys: Iterable[str], years: list[int], *, level: str, ids: Iterable[int] | None = None
) -> dict[int, dict[str, float]]:
    """Per year, per measure, the total over the territories ``ids`` of ``level`` (the
    trend): one query per measure and year."""
    ids = None if ids is None else list(ids)
    by_year: dict[int, dict[str, float]] = defaultdict(dict)
    for year in years:
        for key, values in counts(level, year, ids=ids, keys=keys).items():
            measure = BY_KEY[key]
            if measure.key == "placement_days":
                continue  # a median does not add up
            by_year[year][key] = sum(values.values())
    return dict(by_year)


def national_totals(year: int, keys: Iterable[str] | None = None) -> dict[str, float]:
    """The nation's totals: national conventions counted once, not per académie."""
    totals = {}
    for key, values in counts("academie", year, keys=keys).items():
        if key in ("conventions_region", "declinations", "deadlines", "placement_days"):
            continue
        totals[key] = sum(values.values())
    return totals
