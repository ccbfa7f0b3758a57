"""The pôles de stages themselves: creating a pôle de filière (Mesure 1: « au niveau d'un
bassin […] ou d'une filière économique »). The list and the settings of a pôle are in
``views_cases``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from relais.internships.perms import can_manage_some_hub
from relais.internships.services import hub_create_sector
from relais.territories.models import Bassin
from relais.users.scopes import get_reach
from relais.www.forms import add_errors

from .forms import HubSectorForm


def _bassins(user):
    """The bassins where the user manages the pôle: theirs, their académies', all for the
    national administration."""
    reach = get_reach(user)
    bassins = Bassin.objects.select_related("academie").order_by("academie__name", "name")
    if reach.national:
        return bassins
    return bassins.filter(pk__in=reach.bassin_ids) | bassins.filter(
        academie_id__in=reach.managed_academie_ids
    )


def hub_create_view(request):
    if not can_manage_some_hub(request.user):
        raise PermissionDenied("Seuls les responsables des pôles de stages en créent.")
    form = HubSectorForm(request.POST or None, bassins=_bassins(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        bassin = data.pop("bassin")
        try:
            hub = hub_create_sector(user=request.user, bassin=bassin, data=data)
        except (ValidationError, PermissionDenied) as error:
            add_errors(form, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, f"Le pôle « {hub.name} » est créé.")
            return redirect("internships:hub_list")
    return render(
        request,
        "internships/form.html",
        {"title": "Créer un pôle de filière", "form": form, "cancel_url": "/stages/poles/"},
        status=400 if form.errors else 200,
    )
