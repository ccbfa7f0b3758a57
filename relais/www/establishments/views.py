from django.shortcuts import render

from relais.establishments.filters import EstablishmentFilter
from relais.establishments.models import Establishment
from relais.establishments.selectors import establishment_get, establishment_list
from relais.users.scopes import get_reach
from relais.www.history import field_labels_of, history_entries
from relais.www.lists import csv_response, paginate

from .hub import hub_context


def _filtered(request):
    return EstablishmentFilter(
        request.GET or None,
        queryset=establishment_list(reach=get_reach(request.user)),
        user=request.user,
    )


def establishment_list_view(request):
    filterset = _filtered(request)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "establishments/list.html",
        {
            "title": "Établissements",
            "filter": filterset,
            "page_obj": page,
        },
    )


EXPORT_HEADER = [
    "UAI",
    "Nom",
    "Type",
    "Nature",
    "Secteur",
    "Éducation prioritaire",
    "Voie professionnelle",
    "Adresse",
    "Code postal",
    "Commune",
    "Bassin",
    "Académie",
    "Latitude",
    "Longitude",
]


def _export_row(e):
    return [
        e.uai,
        e.name,
        e.get_kind_display(),
        e.nature_label,
        e.get_sector_display(),
        e.priority_education,
        "oui" if e.vocational_track else "non",
        e.address_1,
        e.postal_code,
        e.commune.name if e.commune else "",
        e.bassin.name if e.bassin else "",
        e.academie.name,
        e.latitude if e.latitude is not None else "",
        e.longitude if e.longitude is not None else "",
    ]


def establishment_export_view(request):
    """The filtered list as CSV: the same scope and filters as the page."""
    rows = _filtered(request).qs.iterator(chunk_size=2000)
    return csv_response("etablissements.csv", EXPORT_HEADER, rows, _export_row)


def establishment_detail_view(request, uai):
    """The school's hub: the annuaire's record, then what Relais knows of the school and
    what its staff can do (``hub.hub_context``)."""
    establishment = establishment_get(reach=get_reach(request.user), uai=uai)
    return render(
        request,
        "establishments/detail.html",
        {
            "title": establishment.name,
            "establishment": establishment,
            **hub_context(request.user, establishment),
        },
    )


def establishment_history_view(request, uai):
    establishment = establishment_get(reach=get_reach(request.user), uai=uai)
    entries = history_entries(establishment, field_labels=field_labels_of(Establishment))
    return render(
        request,
        "includes/history.html",
        {
            "title": f"Historique — {establishment.name}",
            "object": establishment,
            "entries": entries,
            "back_url": establishment.get_absolute_url(),
        },
    )
