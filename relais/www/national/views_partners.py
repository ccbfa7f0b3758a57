"""National partners' view (issue 11, item 2): the national agreements, and for one its
declinations by académie and région académique (map and list, the missing ones
highlighted) and its commitments planned against achieved nationwide
(``relais.reporting.partners``). An académie's team sees its own académies."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from relais.core.school_years import school_year_from
from relais.pupils.years import roster_year_label
from relais.reporting import francemap, national, partners
from relais.users.scopes import get_reach
from relais.www.lists import export_response

from .views import FORBIDDEN


def _ids(request) -> list[int] | None:
    reach = get_reach(request.user)
    if not national.may_read_national_view(reach):
        raise PermissionDenied(FORBIDDEN)
    return national.academies_of(reach)


def partners_view(request):
    _ids(request)
    return render(
        request,
        "national/partners.html",
        {
            "title": "Conventions nationales et leurs déclinaisons",
            "agreements": partners.national_agreements(),
        },
    )


def _map(statuses) -> dict:
    by_code = {s.academie.code: s for s in statuses}
    shapes = []
    for shape in francemap.shapes():
        status = by_code.get(shape.code)
        shapes.append(
            {
                "code": shape.code,
                "name": shape.name,
                "d": shape.d,
                "fill": status.colour if status else francemap.NO_DATA,
                "text": status.label if status else "hors de votre territoire",
            }
        )
    legend = [(partners.STATUS_COLOURS[k], label) for k, label in partners.STATUS_LABELS.items()]
    return {"shapes": shapes, "legend_status": legend, "width": francemap.WIDTH,
            "height": francemap.HEIGHT}  # fmt: skip


def _year(request) -> int:
    """« ?annee=2025 » for 2025-2026 (the bilans' years); the current year by default."""
    return school_year_from(request.GET.get("annee", "")) or national.current_year()


def partner_view(request, pk: int):
    ids = _ids(request)
    agreement = get_object_or_404(partners.national_agreements(), pk=pk)
    statuses = partners.declinations(agreement, ids=ids)
    year = _year(request)
    missing = [s for s in statuses if s.status == "missing"]
    return render(
        request,
        "national/partner.html",
        {
            "title": f"Déclinaisons — {agreement.title}",
            "agreement": agreement,
            "statuses": statuses,
            "missing": missing,
            "counts": {k: sum(s.status == k for s in statuses) for k in partners.STATUS_LABELS},
            "labels": partners.STATUS_LABELS,
            "map": _map(statuses),
            "commitments": partners.commitments(agreement, year=year) if ids is None else None,
            "year_label": roster_year_label(year),
            "year_param": str(year),
        },
    )


def partner_export_view(request, pk: int):
    """The declinations' list as CSV or XLSX (the commitments with « ?tableau=engagements »,
    national team only)."""
    ids = _ids(request)
    agreement = get_object_or_404(partners.national_agreements(), pk=pk)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    if request.GET.get("tableau") == "engagements":
        if ids is not None:
            raise PermissionDenied(FORBIDDEN)
        year = _year(request)
        header = ["Engagement", "Prévu", "Réalisé", "Taux (%)", "Ce qui est compté", "Année"]
        rows = [
            [line.label, line.planned, line.achieved, line.rate, line.evidence,
             roster_year_label(year)]
            for line in partners.commitments(agreement, year=year)
        ]  # fmt: skip
        name = f"engagements-{agreement.number}"
    else:
        header = ["Académie", "Code", "Région académique", "Situation", "Conventions"]
        rows = [
            [str(s.academie), s.academie.code, s.academie.region.name, s.label,
             " | ".join(f"{a.number} ({a.get_state_display()})" for a in s.agreements)]
            for s in partners.declinations(agreement, ids=ids)
        ]  # fmt: skip
        name = f"declinaisons-{agreement.number}"
    return export_response(fmt, name, header, rows, lambda row: row, title="Déclinaisons")
