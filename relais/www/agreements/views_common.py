"""What the pages of the conventions share: the convention read (404 out of reach), the
managed one (403 for anyone but its académie team) and the form page."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from relais.agreements.models import Agreement
from relais.agreements.perms import can_manage
from relais.agreements.selectors import agreement_get


def visible(request, pk) -> Agreement:
    try:
        return agreement_get(request.user, pk)
    except Agreement.DoesNotExist as exc:
        raise Http404("Convention introuvable.") from exc


def managed(request, pk) -> Agreement:
    agreement = visible(request, pk)
    if not can_manage(request.user, agreement):
        raise PermissionDenied("Seule l'équipe académique du périmètre gère cette convention.")
    return agreement


def form_page(request, form, *, title, back, submit="Enregistrer", intro="", agreement=None):
    return render(
        request,
        "agreements/form.html",
        {
            "title": title,
            "form": form,
            "back_url": back,
            "submit_label": submit,
            "intro": intro,
            "agreement": agreement,
        },
        status=400 if form.errors else 200,
    )
