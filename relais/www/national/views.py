"""The national view (issue 11, item 1): académies side by side for the national team, and
for an académie's team (or a région académique's, holding each of its académies) their own;
a map of France coloured by a chosen figure with its table beside it; the trend over five
years; drill-down académie → bassin → school; CSV and XLSX of every table.

Every figure comes from ``relais.reporting.national`` (grouped counts, the parcours'
``SchoolStat``): a constant number of queries whatever the size of the country."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode

from relais.core.school_years import school_year_from
from relais.pupils.years import roster_year_label
from relais.reporting import aggregates, francemap, national
from relais.reporting.national import COLUMN_BY_KEY, COLUMNS, Row
from relais.territories.models import Academie, Bassin
from relais.users.scopes import get_reach
from relais.www.lists import export_response

FORBIDDEN = (
    "Le pilotage national est réservé à l'administration nationale et aux équipes "
    "académiques, chacune pour son territoire."
)
THEMES = [
    (theme, label, [c for c in COLUMNS if c.theme == theme])
    for theme, label in national.measures.THEMES.items()
]


@dataclass
class Asked:
    level: str  # academie (the académies side by side) | bassin | school
    ids: list[int] | None  # académies the user reads (None: all)
    year: int
    academie: Academie | None = None
    bassin: Bassin | None = None

    @property
    def parent(self) -> int | None:
        if self.bassin is not None:
            return self.bassin.pk
        return self.academie.pk if self.academie is not None else None

    @property
    def name(self) -> str:
        if self.bassin is not None:
            return str(self.bassin)
        if self.academie is not None:
            return str(self.academie)
        return "Toutes les académies" if self.ids is None else "Vos académies"

    def query(self, **extra) -> str:
        params = {"annee": self.year}
        if self.bassin is not None:
            params["bassin"] = self.bassin.pk
        elif self.academie is not None:
            params["academie"] = self.academie.pk
        params.update(extra)
        return urlencode(params)


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def asked(request) -> Asked:
    """The level, the territory and the year asked, checked against the user's académies
    (403 for a user without any, 404 for a territory outside them)."""
    reach = get_reach(request.user)
    if not national.may_read_national_view(reach):
        raise PermissionDenied(FORBIDDEN)
    ids = national.academies_of(reach)
    year = school_year_from(request.GET.get("annee", "")) or national.current_year()
    bassin_pk, academie_pk = (
        _int(request.GET.get("bassin", "")),
        _int(request.GET.get("academie", "")),
    )
    if (
        request.GET.get("bassin")
        and bassin_pk is None
        or request.GET.get("academie")
        and academie_pk is None
    ):
        raise Http404("Territoire introuvable.")
    if bassin_pk is not None:
        bassin = get_object_or_404(Bassin.objects.select_related("academie"), pk=bassin_pk)
        if ids is not None and bassin.academie_id not in ids:
            raise Http404("Territoire introuvable.")
        return Asked("school", ids, year, bassin.academie, bassin)
    if academie_pk is not None:
        academie = get_object_or_404(Academie, pk=academie_pk)
        if ids is not None and academie.pk not in ids:
            raise Http404("Territoire introuvable.")
        return Asked("bassin", ids, year, academie)
    return Asked("academie", ids, year)


def _rows(ask: Asked) -> list[Row]:
    return national.table(ask.level, year=ask.year, ids=ask.ids, parent=ask.parent)


def _total(ask: Asked) -> Row:
    if ask.level == "academie":
        return national.total_row("academie", year=ask.year, ids=ask.ids, name="Total")
    if ask.level == "bassin":
        assert ask.academie is not None  # a bassin is asked within its académie
        return national.total_row("academie", year=ask.year, ids=[ask.academie.pk], name="Académie")
    assert ask.bassin is not None  # the schools of a bassin
    return national.total_row("bassin", year=ask.year, ids=[ask.bassin.pk], name="Bassin")


def _link(ask: Asked, row: Row) -> str:
    base = reverse("national:view")
    if row.pk is None:
        return ""
    if row.kind == "academie":
        return f"{base}?{urlencode({'academie': row.pk, 'annee': ask.year})}"
    if row.kind == "bassin":
        return f"{base}?{urlencode({'bassin': row.pk, 'annee': ask.year})}"
    return ""


@dataclass
class MapShape:
    code: str
    name: str
    d: str
    fill: str
    text: str
    url: str


def _map(ask: Asked, rows: list[Row], key: str) -> dict:
    """The académies coloured by the figure ``key`` in five classes of equal count."""
    by_code = {row.code: row for row in rows}
    values = [v for row in rows if isinstance(v := row.cell(key).value, int | float)]
    bounds = francemap.classes(values)
    shapes = []
    for shape in francemap.shapes():
        row = by_code.get(shape.code)
        cell = row.cell(key) if row else None
        value = cell.value if cell is not None else None
        fill, _index = francemap.colour(value, bounds)
        text = cell.text if cell is not None else "hors de votre territoire"
        shapes.append(
            MapShape(shape.code, shape.name, shape.d, fill, text, _link(ask, row) if row else "")
        )
    legend, low = [], min(values) if values else None
    for index, bound in enumerate(bounds):
        if index and bound == bounds[index - 1]:
            continue
        legend.append(
            (francemap.PALETTE[index], national.Cell(low).text, national.Cell(bound).text)
        )
        low = bound
    return {
        "shapes": shapes,
        "legend": legend,
        "no_data": francemap.NO_DATA,
        "width": francemap.WIDTH,
        "height": francemap.HEIGHT,
        "column": COLUMN_BY_KEY[key],
    }


def _years(current: int) -> list[tuple[int, str]]:
    return [(y, roster_year_label(y)) for y in range(current, current - 5, -1)]


def _themes(rows: list[Row], total: Row) -> list[tuple]:
    """Per theme: its columns, each row with its cells in their order, the total's cells."""
    return [
        (
            theme,
            label,
            columns,
            [(row, [row.cell(c.key) for c in columns]) for row in rows],
            [total.cell(c.key) for c in columns],
        )
        for theme, label, columns in THEMES
    ]


def _trend_rows(ids, year: int) -> list[tuple[str, list]]:
    none = national.Cell(None, national.NONE)
    return [
        (roster_year_label(each), [cells.get(key, none) for key, _label in national.TREND_COLUMNS])
        for each, cells in national.trend(ids=ids, year=year)
    ]


def national_view(request):
    ask = asked(request)
    rows = _rows(ask)
    for row in rows:
        row.url = _link(ask, row)
    key = request.GET.get("indicateur", national.MAP_DEFAULT)
    key = key if key in COLUMN_BY_KEY else national.MAP_DEFAULT
    trend_ids = ask.ids if ask.level == "academie" else [ask.academie.pk]
    context = {
        "title": f"Pilotage — {ask.name}",
        "ask": ask,
        "year_label": roster_year_label(ask.year),
        "years": _years(national.current_year()),
        "themes": _themes(rows, _total(ask)),
        "level_label": national.LEVEL_LABEL[ask.level],
        "columns": COLUMNS,
        "indicator": key,
        "map": _map(ask, rows, key) if ask.level == "academie" else None,
        "trend": _trend_rows(trend_ids, ask.year) if ask.level != "school" else [],
        "trend_columns": national.TREND_COLUMNS,
        "query": ask.query(),
        "small_count": national.SMALL_COUNT,
        "refreshed": aggregates.refreshed_at(ask.level, ask.year),
    }
    if ask.level == "academie":
        context["partner_names"], context["partner_rows"] = national.partners(ids=ask.ids)
    return render(request, "national/view.html", context)


TABLES = {
    "territoires": "Territoires",
    "partenaires": "Conventions par partenaire",
    "evolution": "Évolution",
}


def _territories_export(ask: Asked, theme: str):
    columns = [c for c in COLUMNS if not theme or c.theme == theme]
    header = [
        national.LEVEL_LABEL[ask.level], "Code", "Année scolaire",
        *(f"{c.label} ({c.unit})" if c.unit else c.label for c in columns),
    ]  # fmt: skip
    label = roster_year_label(ask.year)
    rows = [*_rows(ask), _total(ask)]
    data = [[row.name, row.code, label, *(row.cell(c.key).export for c in columns)] for row in rows]
    return header, data


def _partners_export(ask: Asked):
    names, rows = national.partners(ids=ask.ids)
    return ["Académie", *names], [[academie, *counts] for academie, counts in rows]


def _trend_export(ask: Asked):
    ids = ask.ids if ask.level == "academie" or ask.academie is None else [ask.academie.pk]
    header = ["Territoire", "Année scolaire", *(label for _key, label in national.TREND_COLUMNS)]
    data = [
        [ask.name, roster_year_label(year), *(cells.get(k, national.Cell(None, "—")).export
                                             for k, _l in national.TREND_COLUMNS)]
        for year, cells in national.trend(ids=ids, year=ask.year)
    ]  # fmt: skip
    return header, data


def export_view(request):
    """A table of the page as CSV or XLSX (« ?tableau=territoires|partenaires|evolution »,
    « &theme= » for one theme of the territories)."""
    ask = asked(request)
    table = request.GET.get("tableau", "territoires")
    if table not in TABLES or (table != "territoires" and ask.level == "school"):
        raise Http404("Tableau inconnu.")
    theme = request.GET.get("theme", "")
    theme = theme if theme in national.measures.THEMES else ""
    if table == "territoires":
        header, rows = _territories_export(ask, theme)
    elif table == "partenaires":
        if ask.level != "academie":
            raise Http404("Tableau inconnu.")
        header, rows = _partners_export(ask)
    else:
        header, rows = _trend_export(ask)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    slug = {
        "academie": "academies",
        "bassin": f"academie-{ask.parent}",
        "school": f"bassin-{ask.parent}",
    }[ask.level]
    return export_response(
        fmt, f"pilotage-{table}-{slug}-{ask.year}", header, rows, lambda row: row,
        title=TABLES[table],
    )  # fmt: skip
