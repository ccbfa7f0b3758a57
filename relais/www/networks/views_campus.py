"""Pages of the campus des métiers et des qualifications: list, export, detail, creation,
changes and members."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.networks import perms, services
from relais.networks.filters import CampusFilter
from relais.networks.models import CampusMember
from relais.networks.rules import label_ends_within
from relais.networks.selectors import (
    campus_get,
    campus_list,
    campus_members,
    campuses_visible_to,
)
from relais.www.forms import add_errors
from relais.www.lists import export_response, paginate

from .forms import CampusForm, CampusMemberForm
from .views import _form_page


def _campus_filtered(request):
    return CampusFilter(
        request.GET or None,
        queryset=campus_list(user=request.user).order_by("academie__name", "name"),
        user=request.user,
    )


def campus_list_view(request):
    filterset = _campus_filtered(request)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "networks/campus_list.html",
        {
            "title": "Campus des métiers et des qualifications",
            "filter": filterset,
            "page_obj": page,
            "today": timezone.localdate(),
            "can_create": perms.can_create_campus(request.user),
        },
    )


CAMPUS_HEADER = ["Campus", "Filière", "Académie", "Établissement support", "Membres",
                 "Label obtenu le", "Fin du label", "Référence", "Contact"]  # fmt: skip


def _campus_row(c):
    return [
        c.name,
        c.sector,
        c.academie.name,
        c.head_establishment.name if c.head_establishment else "",
        c.member_count,
        c.label_starts_on,
        c.label_ends_on,
        c.label_reference,
        c.contact_email,
    ]


def campus_export_view(request, fmt):
    return export_response(
        fmt, "campus-des-metiers", CAMPUS_HEADER, _campus_filtered(request).qs, _campus_row,
        title="Campus",
    )  # fmt: skip


def campus_detail_view(request, pk):
    campus = campus_get(user=request.user, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "networks/campus_detail.html",
        {
            "title": campus.name,
            "campus": campus,
            "members": campus_members(campus),
            "ending_soon": label_ends_within(campus.label_ends_on, today=today, months=12),
            "expired": campus.label_ends_on < today,
            "can_manage": perms.can_manage_campus(request.user, campus),
        },
    )


def _campus_form(request, campus=None):
    form = CampusForm(request.POST or None, instance=campus, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.campus_save(user=request.user, campus=campus, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Le campus « {saved.name} » est enregistré.")
            return redirect(saved)
    title = (
        "Nouveau campus des métiers et des qualifications"
        if campus is None
        else (f"Modifier « {campus.name} »")
    )
    back = campus.get_absolute_url() if campus else "/reseaux/campus/"
    return _form_page(request, form, title=title, back_url=back)


def campus_create_view(request):
    if not perms.can_create_campus(request.user):
        raise PermissionDenied("Seule l'équipe académique enregistre les campus.")
    return _campus_form(request)


def campus_edit_view(request, pk):
    campus = campus_get(user=request.user, pk=pk)
    if not perms.can_manage_campus(request.user, campus):
        raise PermissionDenied("Vous ne pouvez pas modifier ce campus.")
    return _campus_form(request, campus)


def campus_member_add_view(request, pk):
    campus = campus_get(user=request.user, pk=pk)
    if not perms.can_manage_campus(request.user, campus):
        raise PermissionDenied("Vous ne pouvez pas modifier ce campus.")
    form = CampusMemberForm(request.POST or None, user=request.user, campus=campus)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.campus_member_add(
                user=request.user, campus=campus, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"« {member.label} » est membre du campus.")
            return redirect(campus)
    return _form_page(
        request,
        form,
        title=f"Ajouter un membre — {campus.name}",
        back_url=campus.get_absolute_url(),
    )


@require_POST
def campus_member_remove_view(request, pk):
    member = get_object_or_404(
        CampusMember.objects.select_related("campus"),
        pk=pk,
        campus__in=campuses_visible_to(user=request.user),
    )
    services.campus_member_remove(user=request.user, member=member)
    messages.success(request, f"« {member.label} » a été retiré du campus.")
    return redirect(member.campus)
