"""A map of France by académie, drawn on the server as SVG paths from the contours of the
open data (``data/opendata/academies_contours_2020.geojson``, MENJ, Licence Ouverte).

The 1.3 MB of contours are projected once per process (equirectangular at the latitude of
the metropole; the five overseas académies in insets on the left) and thinned to what a
600-pixel map shows (a point is kept when it is at least ``MIN_STEP`` pixels from the last
one kept): about 30 kB of paths. The page colours each académie by a figure in five classes;
the colours are attributes, not styles, so that the strict Content-Security-Policy holds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

CONTOURS = "opendata/academies_contours_2020.geojson"
WIDTH, HEIGHT = 640, 600
MIN_STEP = 2.0
# Metropole: longitude, latitude bounds (Corse included).
WEST, EAST, SOUTH, NORTH = -5.3, 9.7, 41.2, 51.2
METRO_LEFT = 110  # the insets' column
INSET = 84
OVERSEAS = ["32", "31", "33", "28", "43"]  # Guadeloupe, Martinique, Guyane, La Réunion, Mayotte
# Five classes, light to dark (DSFR blue France scale), and « no figure ».
PALETTE = ["#e3e3fd", "#cacafb", "#8585f6", "#4b4bcc", "#000091"]
TEXT_ON = ["#161616", "#161616", "#161616", "#ffffff", "#ffffff"]
NO_DATA = "#dddddd"


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    d: str
    x: float  # where the label goes
    y: float


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def _bounds(rings) -> tuple[float, float, float, float]:
    xs = [p[0] for ring in rings for p in ring]
    ys = [p[1] for ring in rings for p in ring]
    return min(xs), max(xs), min(ys), max(ys)


def _projector(west, east, south, north, left, top, width, height):
    """Equirectangular at the box's middle latitude, fitted into the box, north up."""
    k = math.cos(math.radians((south + north) / 2))
    scale = min(width / ((east - west) * k), height / (north - south))
    used_w, used_h = (east - west) * k * scale, (north - south) * scale
    x0, y0 = left + (width - used_w) / 2, top + (height - used_h) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return x0 + (lon - west) * k * scale, y0 + (north - lat) * scale

    return project


def _path(rings, project) -> tuple[str, float, float]:
    parts, area_best, label = [], 0.0, (0.0, 0.0)
    for ring in rings:
        points = [project(lon, lat) for lon, lat, *_ in ring]
        kept = [points[0]]
        for point in points[1:]:
            last = kept[-1]
            if abs(point[0] - last[0]) + abs(point[1] - last[1]) >= MIN_STEP:
                kept.append(point)
        if len(kept) < 3:
            continue
        xs, ys = [p[0] for p in kept], [p[1] for p in kept]
        area = (max(xs) - min(xs)) * (max(ys) - min(ys))
        if area > area_best:
            area_best, label = area, (sum(xs) / len(xs), sum(ys) / len(ys))
        parts.append("M" + "L".join(f"{x:.0f},{y:.0f}" for x, y in kept) + "Z")
    return "".join(parts), round(label[0], 1), round(label[1], 1)


@lru_cache(maxsize=1)
def shapes() -> tuple[Shape, ...]:
    """Every académie's outline (code of the académie, as in ``Academie.code``)."""
    path = Path(settings.DATA_DIR) / CONTOURS
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    metro = _projector(WEST, EAST, SOUTH, NORTH, METRO_LEFT, 0, WIDTH - METRO_LEFT, HEIGHT)
    result = []
    for feature in features:
        props = feature["properties"]
        code, rings = props["code_academie"], _rings(feature["geometry"])
        if code in OVERSEAS:
            index = OVERSEAS.index(code)
            west, east, south, north = _bounds(rings)
            if code == "32":  # Guadeloupe: keep the main islands, not the far dependencies
                west, east, south, north = -61.9, -61.0, 15.8, 16.55
            project = _projector(
                west, east, south, north, 8, 40 + index * (INSET + 22), INSET, INSET
            )
        else:
            project = metro
        d, x, y = _path(rings, project)
        result.append(Shape(code, props["name"], d, x, y))
    return tuple(sorted(result, key=lambda s: s.code))


def classes(values: list[float]) -> list[float]:
    """Upper bounds of five classes of equal count (quantiles) over ``values``."""
    ordered = sorted(values)
    if not ordered:
        return []
    bounds = []
    for i in range(1, 6):
        bounds.append(ordered[min(len(ordered) - 1, math.ceil(i * len(ordered) / 5) - 1)])
    return bounds


def colour(value: float | None, bounds: list[float]) -> tuple[str, int | None]:
    """The fill of a value and its class (None: no figure)."""
    if value is None or not bounds:
        return NO_DATA, None
    for index, bound in enumerate(bounds):
        if value <= bound:
            return PALETTE[index], index
    return PALETTE[-1], len(bounds) - 1
