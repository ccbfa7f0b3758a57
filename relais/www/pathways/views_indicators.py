"""The counts of the parcours Avenir above the school (bassin, académie, région académique,
nation): completion per item and level, the gap between priority pupils and the others,
the trend over years, drill-down. Never a name; small counts hidden
(``relais.pathways.selectors.SMALL_COUNT``).

Every figure comes from the ``SchoolStat`` aggregates (``selectors.figures_by_level``,
``figures_by_child``, ``trend``): a handful of grouped queries, whatever the number of
pupils, from a school up to the nation. Who reads which territory is
``selectors.may_read_figures``.

Two rules keep a pupil from being recognised, on the page and in the exports alike:

- a group of fewer than ``SMALL_COUNT`` pupils shows « < 11 » and no rate (« secret
  statistique »);
- when one of the two groups of a row (priority pupils, the others) is hidden, the other is
  hidden too: the row's total minus the group shown would give it away.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from relais.core.clock import today
from relais.core.school_years import school_year_from
from relais.establishments.models import Establishment
from relais.pathways import selectors
from relais.pathways.enums import ITEMS
from relais.pathways.selectors import SMALL_COUNT, Figures, Territory
from relais.pupils.enums import Level
from relais.pupils.years import roster_year_label, roster_year_of
from relais.territories.models import AcademicRegion, Academie, Bassin
from relais.users.scopes import get_reach
from relais.www.lists import export_response

from .charts import Chart, bar_chart

FORBIDDEN = (
    "Les indicateurs du parcours Avenir sont réservés aux établissements, aux bassins, aux "
    "académies et à l'administration nationale, chacun pour son territoire."
)
NATIONAL_NAME = "Toutes les académies"
# What a territory is drilled down into.
CHILD_KIND = {
    "national": "academie",
    "region": "academie",
    "academie": "bassin",
    "bassin": "school",
}
CHILD_LABEL = {"academie": "Académie", "bassin": "Bassin", "school": "Établissement"}
DEFAULT_LEVEL = Level.THIRD.value
TREND_YEARS = 5
SECRET = "secret statistique"
NO_PUPIL = "—"
# The four items, then the whole parcours (``None``), as ``Figures.rate`` takes them.
MEASURES: list[tuple[str | None, str]] = [(item.value, item.label) for item in ITEMS] + [
    (None, "Parcours complet")
]
LEVEL_LABELS = dict(Level.choices)


# --- the territory asked -----------------------------------------------------------------


def parse_territory(text: str) -> Territory | None:
    """« national », « academie:12 »… as a Territory; None when malformed."""
    text = text.strip()
    if text == "national":
        return Territory("national")
    kind, _sep, pk = text.partition(":")
    known = kind in CHILD_LABEL or kind == "region"
    if known and pk.isascii() and pk.isdigit() and len(pk) <= 9:
        return Territory(kind, int(pk))
    return None


def territory_param(territory: Territory) -> str:
    return territory.kind if territory.pk is None else f"{territory.kind}:{territory.pk}"


def default_territory(reach) -> Territory | None:
    """The widest territory of the user's own: the nation for the national team; the région
    for a team that holds several académies of one région, else its académie; the bassin of
    a référent or a pôle; the school of its staff. None: the user reads no figure."""
    if reach.national:
        return Territory("national")
    if reach.managed_academie_ids:
        if len(reach.managed_academie_ids) > 1 and len(reach.managed_region_ids) == 1:
            return Territory("region", next(iter(reach.managed_region_ids)))
        return Territory("academie", min(reach.managed_academie_ids))
    if reach.bassin_ids:
        return Territory("bassin", min(reach.bassin_ids))
    if reach.establishment_ids:
        return Territory("school", min(reach.establishment_ids))
    return None


@dataclass
class Place:
    """A territory, its name and those it belongs to (widest first)."""

    territory: Territory
    name: str
    ancestors: list[tuple[Territory, str]] = field(default_factory=list)


def _region_name(region: AcademicRegion) -> str:
    return f"Région académique {region.name}"


def _chain(academie: Academie) -> list[tuple[Territory, str]]:
    return [
        (Territory("national"), NATIONAL_NAME),
        (Territory("region", academie.region_id), _region_name(academie.region)),
        (Territory("academie", academie.pk), str(academie)),
    ]


def load_place(territory: Territory) -> Place:
    """The territory's name and parents, in one query (404 when it does not exist)."""
    kind, pk = territory.kind, territory.pk
    if kind == "national":
        return Place(territory, NATIONAL_NAME)
    if kind == "region":
        region = get_object_or_404(AcademicRegion, pk=pk)
        return Place(territory, _region_name(region), [(Territory("national"), NATIONAL_NAME)])
    if kind == "academie":
        academie = get_object_or_404(Academie.objects.select_related("region"), pk=pk)
        return Place(territory, str(academie), _chain(academie)[:-1])
    if kind == "bassin":
        bassin = get_object_or_404(Bassin.objects.select_related("academie__region"), pk=pk)
        return Place(territory, str(bassin), _chain(bassin.academie))
    school = get_object_or_404(
        Establishment.objects.select_related("academie__region", "bassin"), pk=pk
    )
    ancestors = _chain(school.academie)
    if school.bassin_id:
        ancestors.append((Territory("bassin", school.bassin_id), str(school.bassin)))
    return Place(territory, school.name, ancestors)


def child_names(kind: str, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(name, code) of the child territories, in one query."""
    ids = list(ids)
    if kind == "academie":
        academies = Academie.objects.filter(pk__in=ids).only("pk", "name", "code")
        return {a.pk: (str(a), a.code) for a in academies}
    if kind == "bassin":
        bassins = Bassin.objects.filter(pk__in=ids).only("pk", "name", "code")
        return {b.pk: (str(b), b.code) for b in bassins}
    schools = Establishment.objects.filter(pk__in=ids).values_list("pk", "name", "uai")
    return {pk: (name, uai) for pk, name, uai in schools}


# --- figures as shown --------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A rate or a gap as shown: its value, or why there is none."""

    value: float | None
    note: str = ""

    @property
    def export(self) -> float | str:
        return self.note if self.value is None else self.value


@dataclass
class Group:
    """A group's figures as they may be shown."""

    label: str
    figures: Figures
    masked: bool = False  # hidden because another figure would give this one away

    @property
    def small(self) -> bool:
        return 0 < self.figures.pupils < SMALL_COUNT

    @property
    def empty(self) -> bool:
        return self.figures.pupils == 0

    @property
    def secret(self) -> bool:
        return self.small or (self.masked and not self.empty)

    @property
    def pupils_text(self) -> str:
        return f"< {SMALL_COUNT}" if self.small else str(self.figures.pupils)

    @property
    def pupils_export(self) -> int | str:
        return self.pupils_text if self.small else self.figures.pupils

    @property
    def cells(self) -> list[Cell]:
        if self.empty:
            return [Cell(None, NO_PUPIL) for _ in MEASURES]
        if self.secret:
            return [Cell(None, SECRET) for _ in MEASURES]
        return [Cell(self.figures.rate(item)) for item, _label in MEASURES]

    @property
    def complete(self) -> Cell:
        return self.cells[-1]


def pair(priority: Group, others: Group) -> None:
    """One of the two groups hidden: the other too, else the total would give it away."""
    if priority.secret and not others.empty:
        others.masked = True
    if others.secret and not priority.empty:
        priority.masked = True


def gaps(priority: Group, others: Group) -> list[Cell]:
    """Points the priority pupils lag behind the others, per measure (``selectors.gap``)."""
    if priority.secret or others.secret or priority.empty or others.empty:
        note = SECRET if priority.secret or others.secret else NO_PUPIL
        return [Cell(None, note) for _ in MEASURES]
    return [
        Cell(selectors.gap(priority.figures, others.figures, item)) for item, _label in MEASURES
    ]


def _groups(everyone: Figures, priority: Figures, others: Figures) -> tuple[Group, Group, Group]:
    groups = (
        Group("Tous les élèves", everyone),
        Group("Élèves prioritaires", priority),
        Group("Autres élèves", others),
    )
    pair(groups[1], groups[2])
    return groups


@dataclass
class LevelBlock:
    level: str
    label: str
    everyone: Group
    priority: Group
    others: Group

    @property
    def groups(self) -> tuple[Group, Group, Group]:
        return (self.everyone, self.priority, self.others)

    @property
    def gaps(self) -> list[Cell]:
        return gaps(self.priority, self.others)


@dataclass
class ChildRow:
    territory: Territory
    name: str
    code: str
    everyone: Group
    priority: Group
    others: Group
    url: str = ""

    @property
    def gap(self) -> Cell:
        return gaps(self.priority, self.others)[-1]


@dataclass
class YearRow:
    year: int
    label: str
    priority: Group
    others: Group

    @property
    def gap(self) -> Cell:
        return gaps(self.priority, self.others)[-1]


def level_blocks(territory: Territory, year: int) -> list[LevelBlock]:
    blocks = []
    for level, figures in selectors.figures_by_level(territory, year).items():
        empty = Figures(pupils=0, done={i.value: 0 for i in ITEMS}, complete=0)
        everyone, priority, others = _groups(
            figures["all"], figures.get("priority", empty), figures.get("others", empty)
        )
        blocks.append(LevelBlock(level, LEVEL_LABELS.get(level, level), everyone, priority, others))
    return blocks


def child_rows(request, place: Place, year: int, level: str) -> list[ChildRow]:
    """The drill-down: one row per child territory, linked when the user may open it."""
    kind = CHILD_KIND.get(place.territory.kind)
    if kind is None:
        return []
    figures = selectors.figures_by_child(place.territory, year, level=level)
    names = child_names(kind, [pk for pk, *_ in figures])
    rows = []
    for pk, everyone, priority, others in figures:
        name, code = names.get(pk, (f"{CHILD_LABEL[kind]} {pk}", ""))
        child = Territory(kind, pk)
        rows.append(ChildRow(child, name, code, *_groups(everyone, priority, others)))
    # Whoever reads an académie or a bassin reads its bassins or schools; a région's
    # académies are each checked (no query: the académie is in the user's reach or not).
    for row in rows:
        if kind != "academie" or selectors.may_read_figures(request.user, row.territory):
            row.url = indicators_url(row.territory, year=year, level=level)
    return sorted(rows, key=lambda row: row.name)


def year_rows(territory: Territory, year: int) -> list[YearRow]:
    """The 3e of the last five years up to ``year``: is the gap closing? Years without a
    pupil (before the territory used Relais) are left out."""
    years = list(range(year - TREND_YEARS + 1, year + 1))
    rows = []
    for each, priority, others in selectors.trend(territory, years, level=DEFAULT_LEVEL):
        if not priority.pupils and not others.pupils:
            continue  # no roster that year (before the territory used Relais)
        p, o = Group("Élèves prioritaires", priority), Group("Autres élèves", others)
        pair(p, o)
        rows.append(YearRow(each, roster_year_label(each), p, o))
    return rows


def indicators_url(territory: Territory, *, year: int, level: str) -> str:
    params: dict[str, str | int] = {
        "territoire": territory_param(territory),
        "annee": year,
        "niveau": level,
    }
    query = urlencode(params)
    return f"{reverse('pathways:indicators')}?{query}"


# --- the request -------------------------------------------------------------------------


@dataclass
class Asked:
    place: Place
    year: int
    level: str


def asked(request) -> Asked:
    """The territory, year and level of the query string, checked (403 outside the user's
    territories, 404 for a territory that does not exist)."""
    text = request.GET.get("territoire", "").strip()
    territory = parse_territory(text) if text else default_territory(get_reach(request.user))
    if territory is None:
        if text:
            raise Http404("Territoire introuvable.")
        raise PermissionDenied(FORBIDDEN)
    if not selectors.may_read_figures(request.user, territory):
        raise PermissionDenied(FORBIDDEN)
    year = school_year_from(request.GET.get("annee", "")) or roster_year_of(today())
    level = request.GET.get("niveau", "")
    return Asked(load_place(territory), year, level if level in Level.values else DEFAULT_LEVEL)


def _breadcrumb(request, ask: Asked) -> list[tuple[str, str]]:
    """The parents the user may read, with their links."""
    return [
        (name, indicators_url(territory, year=ask.year, level=ask.level))
        for territory, name in ask.place.ancestors
        if selectors.may_read_figures(request.user, territory)
    ]


def _years() -> list[tuple[int, str]]:
    current = roster_year_of(today())
    return [(y, roster_year_label(y)) for y in range(current + 1, current - TREND_YEARS, -1)]


def _charts(blocks, children, trend_rows, ask: Asked) -> dict[str, Chart]:
    level_label = LEVEL_LABELS.get(ask.level, ask.level)
    charts = {}
    block = next((b for b in blocks if b.level == ask.level), None)
    if block is not None:
        charts["level"] = bar_chart(
            "chart-level",
            f"{level_label} : taux par élément, élèves prioritaires et autres élèves",
            [
                (label, [block.priority.cells[i], block.others.cells[i]])
                for i, (_item, label) in enumerate(MEASURES)
            ],
            series="pair",
        )
    if children:
        charts["children"] = bar_chart(
            "chart-children",
            f"{level_label} : parcours complet par "
            f"{CHILD_LABEL[children[0].territory.kind].lower()}",
            [(row.name, [row.everyone.complete]) for row in children],
            series="all",
        )
    if trend_rows:
        charts["trend"] = bar_chart(
            "chart-trend",
            "3e : parcours complet par année, élèves prioritaires et autres élèves",
            [(row.label, [row.priority.complete, row.others.complete]) for row in trend_rows],
            series="pair",
        )
    return charts


def indicators_view(request):
    ask = asked(request)
    territory = ask.place.territory
    blocks = level_blocks(territory, ask.year)
    children = child_rows(request, ask.place, ask.year, ask.level)
    trend_rows = year_rows(territory, ask.year)
    query = urlencode(
        {"territoire": territory_param(territory), "annee": ask.year, "niveau": ask.level}
    )
    return render(
        request,
        "pathways/indicators.html",
        {
            "title": f"Parcours Avenir — {ask.place.name}",
            "place": ask.place,
            "territory_param": territory_param(territory),
            "year": ask.year,
            "year_label": roster_year_label(ask.year),
            "years": _years(),
            "level": ask.level,
            "level_label": LEVEL_LABELS.get(ask.level, ask.level),
            "levels": Level.choices,
            "breadcrumb": _breadcrumb(request, ask),
            "blocks": blocks,
            "children": children,
            "child_label": CHILD_LABEL.get(CHILD_KIND.get(territory.kind, ""), ""),
            "trend": trend_rows,
            "measures": [label for _item, label in MEASURES],
            "charts": _charts(blocks, children, trend_rows, ask),
            "small_count": SMALL_COUNT,
            "query": query,
            "school_url": (
                reverse("pathways:school", args=[territory.pk])
                if territory.kind == "school"
                and territory.pk in get_reach(request.user).establishment_ids
                else ""
            ),
        },
    )


# --- exports -----------------------------------------------------------------------------
# Aggregated counts only, with the small groups hidden as on the page: no pupil's personal
# data leaves, so these exports are not written to the personal-data access journal
# (``relais.www.journal``), unlike the exports of pupils' lists.

RATE_HEADER = [f"{label} (%)" for _item, label in MEASURES]
TABLES = {
    "niveaux": "Par niveau",
    "territoires": "Par territoire",
    "evolution": "Évolution",
}


def _levels_export(ask: Asked):
    header = ["Territoire", "Année scolaire", "Niveau", "Groupe", "Élèves", *RATE_HEADER]
    rows = []
    for block in level_blocks(ask.place.territory, ask.year):
        start = [ask.place.name, roster_year_label(ask.year), block.label]
        for group in block.groups:
            rows.append(
                [*start, group.label, group.pupils_export, *(c.export for c in group.cells)]
            )
        rows.append(
            [*start, "Écart prioritaires / autres (points)", "", *(c.export for c in block.gaps)]
        )
    return header, rows


def _children_export(request, ask: Asked):
    header = [
        "Territoire", "Code", "Année scolaire", "Niveau", "Élèves", *RATE_HEADER,
        "Élèves prioritaires", "Parcours complet, élèves prioritaires (%)",
        "Autres élèves", "Parcours complet, autres élèves (%)", "Écart (points)",
    ]  # fmt: skip
    start = [roster_year_label(ask.year), LEVEL_LABELS.get(ask.level, ask.level)]
    rows = [
        [
            row.name,
            row.code,
            *start,
            row.everyone.pupils_export,
            *(c.export for c in row.everyone.cells),
            row.priority.pupils_export,
            row.priority.complete.export,
            row.others.pupils_export,
            row.others.complete.export,
            row.gap.export,
        ]  # fmt: skip
        for row in child_rows(request, ask.place, ask.year, ask.level)
    ]
    return header, rows


def _trend_export(ask: Asked):
    header = [
        "Territoire", "Année scolaire", "Niveau", "Élèves prioritaires",
        "Parcours complet, élèves prioritaires (%)", "Autres élèves",
        "Parcours complet, autres élèves (%)", "Écart (points)",
    ]  # fmt: skip
    rows = [
        [
            ask.place.name,
            row.label,
            LEVEL_LABELS[DEFAULT_LEVEL],
            row.priority.pupils_export,
            row.priority.complete.export,
            row.others.pupils_export,
            row.others.complete.export,
            row.gap.export,
        ]  # fmt: skip
        for row in year_rows(ask.place.territory, ask.year)
    ]
    return header, rows


def indicators_export_view(request):
    """One table of the page as CSV or XLSX (« ?tableau=niveaux|territoires|evolution »)."""
    ask = asked(request)
    table = request.GET.get("tableau", "niveaux")
    if table not in TABLES:
        raise Http404("Tableau inconnu.")
    if table == "niveaux":
        header, rows = _levels_export(ask)
    elif table == "territoires":
        header, rows = _children_export(request, ask)
    else:
        header, rows = _trend_export(ask)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    slug = territory_param(ask.place.territory).replace(":", "-")
    return export_response(
        fmt,
        f"parcours-avenir-{table}-{slug}-{ask.year}",
        header,
        rows,
        lambda row: row,
        title=TABLES[table],
    )
