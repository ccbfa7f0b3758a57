"""Public pages of the open data (issue 11, item 5), without login: the catalogue of the
datasets with their latest snapshot, the files themselves, and « Offres de stage près de chez
moi ». Nothing here reads who asks, and nothing of a search is stored."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.internships.enums import OfferKind
from relais.reporting import nearby, opendata, snapshot

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonld": "application/ld+json",
}


@login_not_required
@require_GET
def index_view(request):
    latest = snapshot.latest_or_build()
    package = latest.package()
    counts = package.get("x-rows", {})
    datasets = [
        {
            "dataset": dataset,
            "rows": counts.get(dataset.name, 0),
            "fields": dataset.fields,
        }
        for dataset in opendata.DATASETS
    ]
    return render(
        request,
        "opendata/index.html",
        {
            "title": "Données ouvertes de la relation école-entreprise",
            "snapshot": latest,
            "archives": snapshot.snapshots()[1:],
            "datasets": datasets,
            "licence": opendata.LICENCE,
            "small_count": opendata.SMALL_COUNT,
        },
    )


def _serve(found: snapshot.Snapshot | None, name: str):
    path = found.file(name) if found else None
    if found is None or path is None:
        raise Http404("Fichier inconnu.")
    extension = name.rsplit(".", 1)[-1]
    response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{found.day.isoformat()}-{name}"'
    response["Last-Modified"] = found.day.strftime("%a, %d %b %Y 00:00:00 GMT")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@login_not_required
@require_GET
def file_view(request, name: str):
    """A file of the latest snapshot (« conventions-en-vigueur.csv », « datapackage.json »)."""
    return _serve(snapshot.latest_or_build(), name)


@login_not_required
@require_GET
def archive_file_view(request, day: str, name: str):
    """A file of the snapshot of ``day`` (the last seven are kept)."""
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError as error:
        raise Http404("Date inconnue.") from error
    return _serve(snapshot.of_day(date), name)


@login_not_required
@require_GET
def offers_near_view(request):
    """Search published offers near a collège or a commune: first the place (several
    candidates are listed to choose from), then the offers within the chosen distance."""
    text = request.GET.get("q", "").strip()[:100]
    key = request.GET.get("lieu", "").strip()[:20]
    radius = request.GET.get("rayon", "")
    radius = int(radius) if radius.isdigit() and int(radius) in nearby.RADII else None
    kind = request.GET.get("type", "")
    kind = kind if kind in OfferKind.values else ""
    place, candidates, results = None, [], None
    if key:
        place = nearby.place_from_key(key)
    elif text:
        candidates = nearby.places_matching(text)
        if len(candidates) == 1:
            place, candidates = candidates[0], []
    if place is not None:
        results = nearby.offers_near(place, radius_km=radius or nearby.DEFAULT_RADIUS, kind=kind)
    response = render(
        request,
        "opendata/offers_near.html",
        {
            "title": "Offres de stage près de chez moi",
            "q": text,
            "place": place,
            "candidates": candidates,
            "searched": bool(text or key),
            "results": results,
            "radius": radius or nearby.DEFAULT_RADIUS,
            "radii": nearby.RADII,
            "kind": kind,
            "kinds": OfferKind.choices,
            "max_results": nearby.MAX_RESULTS,
        },
    )
    response["Cache-Control"] = "no-store"
    return response
