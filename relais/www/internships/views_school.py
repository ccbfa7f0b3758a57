"""Pages of the schools: the import of their pupils who need an internship (their cases),
and their internship periods. The pupils' own pages are ``relais.www.pupils``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.core.uploads import limit_uploads, pupil_import_max_bytes
from relais.internships.holidays import period_warnings, zone_of
from relais.internships.perms import can_manage_any_pupils
from relais.internships.selectors import periods_visible_to
from relais.internships.services import period_create, period_delete, period_update
from relais.internships.services.imports import (
    TEMPLATE_HEADER,
    PupilImportError,
    pupils_import_upload,
)
from relais.pupils.perms import is_school_of
from relais.users.scopes import get_reach
from relais.www.forms import add_errors, upload_form_is_valid
from relais.www.lists import paginate

from .forms import PeriodForm, PupilImportForm


@limit_uploads(pupil_import_max_bytes)
def case_import_view(request):
    """The school's pupils who need an internship, from a CSV: added to the roster when new,
    their case opened or updated (``services.imports``)."""
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
                f"Import terminé : {result.created} élève(s) ajouté(s) à la liste de "
                f"l'établissement avec leur dossier, {result.opened} dossier(s) ouvert(s) pour "
                f"des élèves déjà inscrits, {result.updated} mis à jour, {result.unchanged} "
                "inchangé(s).",
            )
            return redirect("internships:case_list")
    elif form.errors:
        status = 400
    return render(
        request,
        "internships/case_import.html",
        {
            "title": "Importer les élèves à placer",
            "form": form,
            "errors": errors,
            "header": TEMPLATE_HEADER,
        },
        status=status,
    )


def case_import_template_view(request):
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
    for period in page:  # school holidays of the zone, public holidays (issue 12)
        period.calendar_warnings = period_warnings(period, zone_of(period.establishment.academie))
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
                saved = period_create(user=request.user, establishment=school, data=data)
            else:
                saved = period_update(user=request.user, period=period, data=data)
            messages.success(request, "La période de stage est enregistrée.")
            warnings = period_warnings(saved, zone_of(saved.establishment.academie))
            if warnings:
                messages.warning(
                    request,
                    "Attention, la période tombe sur des jours sans école : "
                    + " ; ".join(warnings)
                    + ".",
                )
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
