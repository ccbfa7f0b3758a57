"""Pages of the schools: pupils (list, form, CSV import, export) and internship periods."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.core.uploads import limit_uploads, pupil_import_max_bytes
from relais.internships.perms import (
    can_manage_any_pupils,
    can_manage_pupils,
    can_see_pupils,
    is_school_of,
)
from relais.internships.selectors import (
    periods_visible_to,
    pupil_get,
    pupil_list,
)
from relais.internships.services import (
    period_create,
    period_delete,
    period_update,
    pupil_create,
    pupil_update,
)
from relais.internships.services.imports import (
    TEMPLATE_HEADER,
    PupilImportError,
    pupils_import_upload,
)
from relais.users.enums import PersonalData
from relais.users.scopes import get_reach
from relais.www.forms import add_errors, upload_form_is_valid
from relais.www.journal import log_consultation, log_export
from relais.www.lists import export_response, paginate

from .forms import PeriodForm, PupilForm, PupilImportForm


def _filtered_pupils(request):
    queryset = pupil_list(user=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(last_name__icontains=query) | queryset.filter(
            first_name__icontains=query
        )
    klass = request.GET.get("classe", "").strip()
    if klass:
        queryset = queryset.filter(class_label__iexact=klass)
    return queryset.order_by("establishment__name", "class_label", "last_name", "first_name")


def _check_pupil_pages(request):
    if not can_see_pupils(request.user):
        raise PermissionDenied(
            "Les données des élèves sont réservées à leur établissement et au pôle."
        )


def pupil_list_view(request):
    _check_pupil_pages(request)
    page = paginate(request, _filtered_pupils(request))
    return render(
        request,
        "internships/pupil_list.html",
        {
            "title": "Élèves",
            "page_obj": page,
            "can_add": can_manage_any_pupils(request.user),
            "query": request.GET.get("q", ""),
            "klass": request.GET.get("classe", ""),
        },
    )


EXPORT_HEADER = [
    "Établissement",
    "UAI",
    "Nom",
    "Prénom",
    "Classe",
    "Niveau",
    "Prioritaire",
    "Vœux",
    "Distance maximale (km)",
    "Étape du dossier",
]


def _export_row(pupil):
    case = pupil.cases.all()[0] if pupil.cases.all() else None
    return [
        pupil.establishment.name,
        pupil.establishment.uai,
        pupil.last_name,
        pupil.first_name,
        pupil.class_label,
        pupil.get_level_display(),
        ", ".join(pupil.priority_labels),
        ", ".join(pupil.wishes),
        pupil.max_km,
        case.get_state_display() if case else "",
    ]


def pupil_export_view(request):
    """CSV or XLSX of the visible pupils; every export is journaled (who, when, what)."""
    _check_pupil_pages(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    queryset = _filtered_pupils(request)
    rows = list(queryset)
    log_export(
        request, data=PersonalData.PUPILS, description="Liste des élèves", fmt=fmt, rows=len(rows)
    )
    return export_response(fmt, "eleves", EXPORT_HEADER, rows, _export_row, title="Élèves")


def pupil_detail_view(request, pk):
    """A pupil's record: their school and the pôle that handles their case; journaled."""
    pupil = pupil_get(user=request.user, pk=pk)
    log_consultation(
        request,
        data=PersonalData.PUPIL,
        record=pupil,
        description=f"Fiche de l'élève n° {pupil.pk}",
    )
    cases = list(pupil.cases.select_related("owner", "hub").order_by("-opened_at"))
    return render(
        request,
        "internships/pupil_detail.html",
        {
            "title": f"{pupil.first_name} {pupil.last_name}",
            "pupil": pupil,
            "cases": cases,
            "can_edit": can_manage_pupils(request.user, pupil.establishment),
        },
    )


def _pupil_form(request, pupil=None):
    form = PupilForm(request.POST or None, instance=pupil, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if pupil is None:
                school = data.pop("establishment")
                saved = pupil_create(user=request.user, establishment=school, data=data)
                messages.success(request, "L'élève est inscrit ; son dossier est ouvert.")
            else:
                saved = pupil_update(user=request.user, pupil=pupil, data=data)
                messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(saved)
        except ValidationError as error:
            add_errors(form, error)
    title = (
        "Inscrire un élève" if pupil is None else f"Modifier {pupil.first_name} {pupil.last_name}"
    )
    return render(
        request,
        "internships/form.html",
        {"title": title, "form": form, "cancel_url": pupil.get_absolute_url() if pupil else None},
        status=400 if form.errors else 200,
    )


def pupil_create_view(request):
    if not can_manage_any_pupils(request.user):
        raise PermissionDenied("Seul un établissement inscrit ses élèves.")
    return _pupil_form(request)


def pupil_edit_view(request, pk):
    pupil = pupil_get(user=request.user, pk=pk)
    if not can_manage_pupils(request.user, pupil.establishment):
        raise PermissionDenied("Seul l'établissement de l'élève modifie sa fiche.")
    return _pupil_form(request, pupil)


@limit_uploads(pupil_import_max_bytes)
def pupil_import_view(request):
    if not can_manage_any_pupils(request.user):
        raise PermissionDenied("Seul un établissement importe ses élèves.")
    form = PupilImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors, status = [], 200
    if request.method == "POST" and upload_form_is_valid(request, form, "file"):
        try:
            result = pupils_import_upload(
                user=request.user,
                establishment=form.cleaned_data["establishment"],
                upload=form.cleaned_data["file"],
            )
        except PupilImportError as error:
            errors, status = error.errors, 400
        else:
            messages.success(
                request,
                f"Import terminé : {result.created} élève(s) ajouté(s), {result.updated} mis à "
                f"jour, {result.unchanged} inchangé(s).",
            )
            return redirect("internships:pupil_list")
    elif form.errors:
        status = 400
    return render(
        request,
        "internships/pupil_import.html",
        {"title": "Importer des élèves", "form": form, "errors": errors, "header": TEMPLATE_HEADER},
        status=status,
    )


def pupil_import_template_view(request):
    """An empty CSV with the expected header and one example line."""
    example = ["Exemple", "Lina", "3e B", "3e", "H22, D11", "10", "0", "0", "0", "0", "", ""]
    body = "\ufeff" + ";".join(TEMPLATE_HEADER) + "\r\n" + ";".join(example) + "\r\n"
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-eleves.csv"'
    return response


# --- periods -------------------------------------------------------------------------------


def period_list_view(request):
    periods = periods_visible_to(user=request.user).order_by("-start", "establishment__name")
    page = paginate(request, periods)
    return render(
        request,
        "internships/period_list.html",
        {
            "title": "Périodes de stage",
            "page_obj": page,
            "can_add": can_manage_any_pupils(request.user),
            "my_schools": get_reach(request.user).establishment_ids,
        },
    )


def _period_form(request, period=None):
    form = PeriodForm(request.POST or None, instance=period, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if period is None:
                school = data.pop("establishment")
                period_create(user=request.user, establishment=school, data=data)
            else:
                period_update(user=request.user, period=period, data=data)
            messages.success(request, "La période de stage est enregistrée.")
            return redirect("internships:period_list")
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "internships/form.html",
        {
            "title": "Nouvelle période de stage" if period is None else "Modifier la période",
            "form": form,
            "cancel_url": "/stages/periodes/",
        },
        status=400 if form.errors else 200,
    )


def period_create_view(request):
    if not can_manage_any_pupils(request.user):
        raise PermissionDenied("Seul un établissement déclare ses périodes de stage.")
    return _period_form(request)


def _period(request, pk):
    period = get_object_or_404(periods_visible_to(user=request.user), pk=pk)
    if not is_school_of(request.user, period.establishment_id):
        raise PermissionDenied("Seul l'établissement modifie ses périodes de stage.")
    return period


def period_edit_view(request, pk):
    return _period_form(request, _period(request, pk))


@require_POST
def period_delete_view(request, pk):
    period = _period(request, pk)
    try:
        period_delete(user=request.user, period=period)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La période est supprimée.")
    return redirect("internships:period_list")
