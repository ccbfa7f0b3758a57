"""The national view (issue 11, item 1): académies side by side, then bassins of an académie,
then schools of a bassin, from the grouped counts of ``measures`` and the parcours Avenir's
``SchoolStat`` aggregates. The same rows feed the page, its map, its CSV and XLSX exports,
the API and the open data, so that a figure is the same everywhere.

Statistical secrecy: a count of pupils between 1 and ``SMALL_COUNT - 1`` is not published,
nor any rate or delay computed from it; the gap between priority pupils and the others is
published only when both groups have at least ``SMALL_COUNT`` pupils.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Coalesce

from relais.core.clock import today
from relais.establishments.enums import EstablishmentKind
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.pathways import selectors as pathways
from relais.pathways.enums import ITEMS
from relais.pathways.selectors import SMALL_COUNT, Territory
from relais.pupils.years import roster_year_of
from relais.territories.models import Academie, Bassin

from . import measures

SECRET = "secret statistique"
NONE = "—"
CHILD = {"national": "academie", "academie": "bassin", "bassin": "school"}
LEVEL_LABEL = {"academie": "Académie", "bassin": "Bassin", "school": "Établissement"}


@dataclass(frozen=True)
class Cell:
    """A figure as published: its value, or why there is none (« secret statistique »)."""

    value: float | int | None
    note: str = ""

    @property
    def export(self) -> float | int | str:
        return self.note if self.value is None else self.value

    @property
    def text(self) -> str:
        if self.value is None:
            return self.note
        if isinstance(self.value, float):
            return f"{self.value:.1f}".replace(".", ",")
        return f"{self.value:n}".replace(",", " ")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    theme: str
    unit: str = ""  # « % », « jours », « points »
    pupils: bool = False


COLUMNS: list[Column] = [
    *(
        Column(m.key, m.label, m.theme, "jours" if m.key == "placement_days" else "", m.pupils)
        for m in measures.MEASURES
        if m.key not in ("referred_priority", "placed_priority")
    ),
    Column("clee_coverage", "Couverture des bassins par un CLEE complet", "clee", "%"),
    Column("placement_rate", "Taux de placement", "poles", "%", True),
    Column("placement_gap", "Écart de placement prioritaires / autres", "poles", "points", True),
    Column("cee_rate", "Conseillers en mission / prévus", "benevoles", "%"),
    Column("parcours_pupils", "Élèves de 3e", "parcours", "", True),
    Column("parcours_complete", "Parcours complet en 3e", "parcours", "%", True),
    Column("parcours_gap", "Écart du parcours prioritaires / autres", "parcours", "points", True),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
# Where the map may colour by a column: every figure but the raw counts of the nation.
MAP_DEFAULT = "clee_coverage"


@dataclass
class Row:
    """One territory of the table: its figures as published."""

    kind: str  # academie | bassin | school
    pk: int | None
    name: str
    code: str
    cells: dict[str, Cell] = field(default_factory=dict)
    url: str = ""

    def cell(self, key: str) -> Cell:
        return self.cells.get(key, Cell(None, NONE))

    def ordered(self) -> list[Cell]:
        return [self.cell(column.key) for column in COLUMNS]


def _pupil_count(value: float | None) -> Cell:
    if not value:
        return Cell(0)
    if value < SMALL_COUNT:
        return Cell(None, f"< {SMALL_COUNT}")
    return Cell(int(value))


def _rate(numerator: float, denominator: float) -> Cell:
    if not denominator:
        return Cell(None, NONE)
    return Cell(round(100 * numerator / denominator, 1))


def _cells(values: dict[str, float], parcours: tuple | None) -> dict[str, Cell]:
    """The published cells of one territory from its raw values."""
    cells: dict[str, Cell] = {}
    for measure in measures.MEASURES:
        raw = values.get(measure.key, 0) or 0
        cells[measure.key] = (
            _pupil_count(raw) if measure.pupils else Cell(int(raw) if raw == int(raw) else raw)
        )
    cells["clee_coverage"] = _rate(values.get("clubs_complete", 0), values.get("bassins", 0))
    cells["cee_rate"] = _rate(values.get("cee_active", 0), values.get("cee_target", 0))
    referred, placed = values.get("referred", 0), values.get("placed", 0)
    if (referred and referred < SMALL_COUNT) or (placed and placed < SMALL_COUNT):
        cells["placement_rate"] = Cell(None, SECRET)  # the rate would give the count away
    else:
        cells["placement_rate"] = _rate(placed, referred)
    if cells["placed"].value is None or not placed:
        cells["placement_days"] = Cell(None, SECRET if placed else NONE)
    else:
        cells["placement_days"] = Cell(round(values.get("placement_days", 0), 1))
    cells["placement_gap"] = _placement_gap(values)
    cells.update(_parcours_cells(parcours))
    return cells


def _placement_gap(values: dict[str, float]) -> Cell:
    """Placement rate of the others minus that of priority pupils, in points."""
    priority, placed_priority = values.get("referred_priority", 0), values.get("placed_priority", 0)
    others = values.get("referred", 0) - priority
    placed_others = values.get("placed", 0) - placed_priority
    if not priority or not others:
        return Cell(None, NONE)
    if priority < SMALL_COUNT or others < SMALL_COUNT:
        return Cell(None, SECRET)
    return Cell(round(100 * (placed_others / others - placed_priority / priority), 1))


def _parcours_cells(parcours: tuple | None) -> dict[str, Cell]:
    if parcours is None:
        return {
            "parcours_pupils": Cell(0),
            "parcours_complete": Cell(None, NONE),
            "parcours_gap": Cell(None, NONE),
        }
    everyone, priority, others = parcours
    complete = everyone.rate()
    gap = pathways.gap(priority, others)
    return {
        "parcours_pupils": _pupil_count(everyone.pupils),
        "parcours_complete": Cell(complete) if complete is not None else Cell(None, SECRET),
        "parcours_gap": (
            Cell(gap)
            if gap is not None
            else Cell(None, SECRET if priority.pupils or others.pupils else NONE)
        ),
    }


def _no_pupil() -> pathways.Figures:
    return pathways.Figures(pupils=0, done={item.value: 0 for item in ITEMS}, complete=0)


def current_year() -> int:
    return roster_year_of(today())


# --- who sees which académies --------------------------------------------------------------


def academies_of(reach) -> list[int] | None:
    """The académies whose figures the user reads: all for the national team (None), the
    académies a team manages (an académie's team; a région académique's team holds each
    académie of its région), none for the others."""
    if reach.national:
        return None
    return sorted(reach.managed_academie_ids)


def may_read_national_view(reach) -> bool:
    return reach.national or bool(reach.managed_academie_ids)


# --- tables ------------------------------------------------------------------------------


def _names(kind: str, ids: Iterable[int] | None, parent: int | None) -> list[tuple[int, str, str]]:
    if kind == "academie":
        queryset = Academie.objects.all()
        if ids is not None:
            queryset = queryset.filter(pk__in=list(ids))
        return [(a.pk, str(a), a.code) for a in queryset.only("pk", "name", "code")]
    if kind == "bassin":
        bassins = Bassin.objects.filter(academie_id=parent).only("pk", "name", "code")  # type: ignore[misc]
        return [(b.pk, str(b), b.code) for b in bassins]
    schools = Establishment.objects.filter(
        bassin_id=parent,  # type: ignore[misc]  # None: the schools without a bassin
        kind__in=[EstablishmentKind.COLLEGE, EstablishmentKind.LYCEE, EstablishmentKind.EREA],
    ).values_list("pk", "name", "uai")
    return list(schools)


def table(kind: str, *, year: int, ids: Iterable[int] | None = None, parent: int | None = None):
    """The rows of one level: académies (``ids``: those the user reads, None for all),
    bassins of académie ``parent``, or secondary schools of bassin ``parent``, sorted by
    name. Constant queries: one per measure, one for the names, one for the parcours."""
    territories = _names(kind, ids, parent)
    wanted = [pk for pk, _name, _code in territories]
    values = measures.counts(kind, year, ids=wanted)
    parcours_territory = (
        Territory("national")
        if kind == "academie"
        else Territory("academie" if kind == "bassin" else "bassin", parent)
    )
    parcours = {
        pk: (everyone, priority, others)
        for pk, everyone, priority, others in pathways.figures_by_child(
            parcours_territory, year, level="3e"
        )
    }
    rows = []
    for pk, name, code in territories:
        raw = {key: by_pk.get(pk, 0) for key, by_pk in values.items()}
        rows.append(Row(kind, pk, name, code, _cells(raw, parcours.get(pk))))
    return sorted(rows, key=lambda row: row.name)


def total_row(kind: str, *, year: int, ids: Iterable[int] | None, name: str) -> Row:
    """The sum of the territories ``ids`` (all when None) as one row: rates recomputed from
    the summed counts, the median of placement delays from all placements together."""
    ids = None if ids is None else list(ids)
    values = {
        key: sum(by_pk.values())
        for key, by_pk in measures.counts(kind, year, ids=ids).items()
        if key != "placement_days"
    }
    median = measures.counts("academie", year, ids=ids, keys=["placement_days"])
    days = list(median.get("placement_days", {}).values())
    values["placement_days"] = sum(days) / len(days) if days else 0
    territory = Territory("national")
    if ids is not None and len(ids) == 1:
        territory = Territory("academie", ids[0])
    parcours = None
    if ids is None or len(ids) == 1:
        levels = pathways.figures_by_level(territory, year).get("3e")
        if levels:
            empty = _no_pupil()
            parcours = (
                levels["all"],
                levels.get("priority", empty),
                levels.get("others", empty),
            )
    return Row("total", None, name, "", _cells(values, parcours))


def partners(*, ids: Iterable[int] | None = None) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Conventions in force per académie and per national partner (the root of each party's
    organisation tree: « MEDEF » for MEDEF Occitanie), as (partner names, [(académie,
    counts per partner)]). Conventions of a région count in each of its académies."""
    rows = (
        measures.in_force()
        .filter(parties__organisation__isnull=False)
        .annotate(
            _academie=Coalesce("academie_id", "academic_region__academies__id"),
            _root=Coalesce(
                "parties__organisation__parent__parent_id",
                "parties__organisation__parent_id",
                "parties__organisation_id",
            ),
        )
        .filter(_academie__isnull=False)
    )
    if ids is not None:
        rows = rows.filter(_academie__in=list(ids))
    grouped = rows.values("_academie", "_root").annotate(n=Count("pk", distinct=True)).order_by()
    counts: dict[tuple[int, int], int] = {(r["_academie"], r["_root"]): r["n"] for r in grouped}
    roots = sorted({root for _a, root in counts})
    names = {
        pk: acronym or name
        for pk, acronym, name in Organisation.objects.filter(pk__in=roots).values_list(
            "pk", "acronym", "name"
        )
    }
    top = sorted(roots, key=lambda pk: (-sum(n for (a, r), n in counts.items() if r == pk), pk))
    top = top[:12]
    academies = _names("academie", ids, None)
    result = [
        (name, [counts.get((pk, root), 0) for root in top])
        for pk, name, _code in sorted(academies, key=lambda a: a[1])
    ]
    return [names.get(root, str(root)) for root in top], result


def trend(*, ids: Iterable[int] | None, year: int, span: int = 5) -> list[tuple[int, dict]]:
    """Per year up to ``year``: the activity's totals over the académies ``ids``."""
    keys = [
        "referred", "placed", "cee_interventions", "reserve_done", "immersions", "course_56h",
    ]  # fmt: skip
    years = list(range(year - span + 1, year + 1))
    by_year = measures.counts_by_year(keys, years, level="academie", ids=ids)
    rows = []
    for each in years:
        values = by_year.get(each, {})
        cells = {key: Cell(int(values.get(key, 0))) for key in keys}
        for key in ("referred", "placed"):
            cells[key] = _pupil_count(values.get(key, 0))
        cells["placement_rate"] = (
            _rate(values.get("placed", 0), values.get("referred", 0))
            if all(not values.get(k) or values[k] >= SMALL_COUNT for k in ("referred", "placed"))
            else Cell(None, SECRET)
        )
        rows.append((each, cells))
    ids = None if ids is None else list(ids)
    territory = Territory("national")
    if ids is not None and len(ids) == 1:
        territory = Territory("academie", ids[0])
    if ids is None or len(ids) == 1:
        parcours = {y: (p, o) for y, p, o in pathways.trend(territory, years)}
        for each, cells in rows:
            priority, others = parcours.get(each, (None, None))
            if priority is None or others is None:
                continue
            everyone = pathways.Figures(
                pupils=priority.pupils + others.pupils,
                done={k: priority.done[k] + others.done[k] for k in priority.done},
                complete=priority.complete + others.complete,
            )
            cells.update(_parcours_cells((everyone, priority, others)))
    return rows


TREND_COLUMNS = [
    ("referred", "Élèves orientés vers un pôle"),
    ("placed", "Élèves placés"),
    ("placement_rate", "Taux de placement (%)"),
    ("cee_interventions", "Interventions des conseillers"),
    ("reserve_done", "Interventions de la réserve"),
    ("immersions", "Immersions validées"),
    ("course_56h", "Parcours de 56 heures"),
    ("parcours_complete", "Parcours complet en 3e (%)"),
]
