from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from relais.organisations.filters import OrganisationFilter
from relais.organisations.models import Organisation
from relais.organisations.perms import can_create_organisation, can_edit_organisation
from relais.organisations.selectors import organisation_get, organisation_list
from relais.organisations.services import (
    DuplicateSiretError,
    organisation_archive,
    organisation_create,
    organisation_restore,
    organisation_update,
)
from relais.users.scopes import get_reach
from relais.www.forms import add_errors
from relais.www.history import field_labels_of, history_entries
from relais.www.lists import csv_response, paginate

from .forms import OrganisationForm


def _filtered(request):
    return OrganisationFilter(
        request.GET or None,
        queryset=organisation_list(reach=get_reach(request.user)),
        user=request.user,
    )


def organisation_list_view(request):
    filterset = _filtered(request)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "organisations/list.html",
        {
            "title": "Organisations partenaires",
            "filter": filterset,
            "page_obj": page,
            "can_create": can_create_organisation(get_reach(request.user)),
        },
    )


EXPORT_HEADER = [
    "Nom",
    "Sigle",
    "Type",
    "Niveau",
    "Rattachement",
    "SIRET",
    "Code NAF",
    "Catégorie",
    "Adresse",
    "Code postal",
    "Commune",
    "Territoire",
    "Courriel",
    "Téléphone",
    "Site web",
    "Démonstration",
    "Archivée",
]


def _export_row(o):
    return [
        o.name,
        o.acronym,
        o.get_kind_display(),
        o.get_level_display(),
        o.parent.name if o.parent else "",
        o.siret or "",
        o.naf.code if o.naf else "",
        o.get_size_band_display() if o.size_band else "",
        o.address,
        o.postal_code,
        o.commune.name if o.commune else "",
        o.territory_label,
        o.email,
        o.phone,
        o.website,
        "oui" if o.is_demo else "non",
        "oui" if o.archived_at else "non",
    ]


def organisation_export_view(request):
    rows = _filtered(request).qs.iterator(chunk_size=2000)
    return csv_response("organisations.csv", EXPORT_HEADER, rows, _export_row)


def organisation_detail_view(request, pk):
    organisation = organisation_get(reach=get_reach(request.user), pk=pk)
    children = (
        organisation_list(reach=get_reach(request.user))
        .filter(parent=organisation)
        .order_by("name")
    )
    return render(
        request,
        "organisations/detail.html",
        {
            "title": organisation.name,
            "organisation": organisation,
            "children": list(children),
            "can_edit": can_edit_organisation(get_reach(request.user), organisation),
        },
    )


def _form_view(request, *, organisation: Organisation | None):
    form = OrganisationForm(request.POST or None, instance=organisation, user=request.user)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if organisation is None:
                saved = organisation_create(user=request.user, data=data)
                messages.success(request, f"L'organisation « {saved.name} » a été créée.")
            else:
                saved = organisation_update(user=request.user, organisation=organisation, data=data)
                messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(saved)
        except DuplicateSiretError as error:
            duplicate = error.existing
            add_errors(form, error)
        except ValidationError as error:
            add_errors(form, error)
    title = "Nouvelle organisation" if organisation is None else f"Modifier « {organisation.name} »"
    return render(
        request,
        "organisations/form.html",
        {
            "title": title,
            "form": form,
            "organisation": organisation,
            "duplicate": duplicate,
        },
        status=400 if form.errors else 200,
    )


def organisation_create_view(request):
    if not can_create_organisation(get_reach(request.user)):
        raise PermissionDenied("Vous ne pouvez pas créer d'organisation.")
    return _form_view(request, organisation=None)


def organisation_edit_view(request, pk):
    organisation = organisation_get(reach=get_reach(request.user), pk=pk)
    if not can_edit_organisation(get_reach(request.user), organisation):
        raise PermissionDenied("Vous ne pouvez pas modifier cette organisation.")
    return _form_view(request, organisation=organisation)


@require_POST
def organisation_archive_view(request, pk):
    organisation = organisation_get(reach=get_reach(request.user), pk=pk)
    organisation_archive(user=request.user, organisation=organisation)
    messages.success(request, f"« {organisation.name} » est archivée. Elle reste consultable.")
    return redirect(organisation)


@require_POST
def organisation_restore_view(request, pk):
    organisation = organisation_get(reach=get_reach(request.user), pk=pk)
    organisation_restore(user=request.user, organisation=organisation)
    messages.success(request, f"« {organisation.name} » est de nouveau active.")
    return redirect(organisation)


def organisation_history_view(request, pk):
    organisation = organisation_get(reach=get_reach(request.user), pk=pk)
    entries = history_entries(organisation, field_labels=field_labels_of(Organisation))
    return render(
        request,
        "includes/history.html",
        {
            "title": f"Historique — {organisation.name}",
            "object": organisation,
            "entries": entries,
            "back_url": organisation.get_absolute_url(),
        },
    )
