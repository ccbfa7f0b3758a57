"""Horizontal bar charts drawn on the server as SVG, for the parcours Avenir's indicators
(no script; the Content-Security-Policy refuses inline styles, so geometry goes in
attributes). Each chart is an image whose title and description name the table that
follows it: the table is the accessible alternative."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class CellLike(Protocol):
    """A table cell the chart draws: a rate (None when hidden) and why it is hidden."""

    @property
    def value(self) -> float | None: ...

    @property
    def note(self) -> str: ...


CHART_WIDTH, LABEL_WIDTH, BAR_SPACE = 800, 240, 340
BAR_HEIGHT, BAR_GAP, GROUP_GAP = 18, 4, 14
# (name, colour, short name, DSFR class): the class gives the colour of the light or dark
# theme, the attribute is the fallback.
SERIES = {
    "pair": [
        ("Élèves prioritaires", "#e1000f", "prioritaires", "fr-artwork-minor"),
        ("Autres élèves", "#000091", "autres", "fr-artwork-major"),
    ],
    "all": [("Tous les élèves", "#000091", "", "fr-artwork-major")],
}


@dataclass
class Bar:
    y: int
    width: int
    color: str
    css: str
    text: str

    @property
    def text_x(self) -> int:
        return LABEL_WIDTH + self.width + 6

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT - 4


@dataclass
class Category:
    label: str
    y: int
    bars: list[Bar]


@dataclass
class Chart:
    ident: str
    title: str
    desc: str
    height: int
    categories: list[Category]
    series: list[tuple[str, str, str, str]]
    width: int = CHART_WIDTH
    label_x: int = LABEL_WIDTH - 8
    bar_x: int = LABEL_WIDTH


def french(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def bar_chart(ident: str, title: str, categories: list[tuple[str, list[CellLike]]], *, series: str):
    """Bars from 0 to 100 % per category, one per series; a hidden rate draws no bar and
    says why."""
    y, drawn = 8, []
    for label, cells in categories:
        start, bars = y, []
        for (_name, color, short, css), cell in zip(SERIES[series], cells, strict=True):
            width = 0 if cell.value is None else round(BAR_SPACE * min(cell.value, 100) / 100)
            value = cell.note if cell.value is None else f"{french(cell.value)} %"
            bars.append(Bar(y, width, color, css, f"{short} : {value}" if short else value))
            y += BAR_HEIGHT + BAR_GAP
        short_label = label if len(label) <= 34 else f"{label[:33]}…"
        drawn.append(Category(short_label, (start + y - BAR_GAP) // 2 + 5, bars))
        y += GROUP_GAP
    legend = " ; ".join(
        f"{name} en {'rouge' if css == 'fr-artwork-minor' else 'bleu'}"
        for name, _color, _short, css in SERIES[series]
    )
    desc = (
        f"Barres horizontales de 0 à 100 % ({legend}). Les mêmes chiffres sont dans le "
        "tableau qui suit le graphique."
    )
    return Chart(ident, title, desc, y, drawn, SERIES[series])
