"""Internship offers: list, form, places per week, publication and closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from relais.internships.enums import OfferKind, OfferState
from relais.internships.holidays import week_warnings, zone_of
from relais.internships.perms import can_create_offer, can_manage_offer
from relais.internships.selectors import offer_get, offer_list
from relais.internships.services import (
    offer_close,
    offer_create,
    offer_publish,
    offer_set_slots,
    offer_update,
)
from relais.internships.workflows import OFFER_WORKFLOW
from relais.organisations.enums import DISABILITY_HOST_KINDS
from relais.www.forms import add_errors
from relais.www.lists import paginate

from .forms import NoteForm, OfferForm, SlotForm


def offer_list_view(request):
    queryset = offer_list(user=request.user).order_by("-created_at", "pk")
    state = request.GET.get("state", "")
    if state in OfferState.values:
        queryset = queryset.filter(state=state)
    kind = request.GET.get("kind", "")
    if kind in OfferKind.values:
        queryset = queryset.filter(kind=kind)
    # Disability (CPME Île-de-France, art. 2.3): places accessible to pupils with a disability,
    # hosts that are entreprises adaptées or ESAT.
    accessible = request.GET.get("accessible") == "1"
    if accessible:
        queryset = queryset.filter(accessible=True)
    adapted = request.GET.get("adapte") == "1"
    if adapted:
        queryset = queryset.filter(host__kind__in=DISABILITY_HOST_KINDS)
    return render(
        request,
        "internships/offer_list.html",
        {
            "title": "Offres de stage",
            "page_obj": paginate(request, queryset),
            "can_create": can_create_offer(request.user),
            "states": OfferState.choices,
            "kinds": OfferKind.choices,
            "state": state,
            "kind": kind,
            "accessible": accessible,
            "adapted": adapted,
        },
    )


def _slots_with_warnings(offer):
    """The offer's weeks, each with its school or public holidays (issue 12)."""
    zone = zone_of(offer.bassin.academie)
    slots = list(offer.slots.all())
    for slot in slots:
        slot.calendar_warnings = week_warnings(slot.week, zone)
    return slots


def offer_detail_view(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    can_edit = can_manage_offer(request.user, offer)
    actions = OFFER_WORKFLOW.names(request.user, offer)
    return render(
        request,
        "internships/offer_detail.html",
        {
            "title": offer.title,
            "offer": offer,
            "slots": _slots_with_warnings(offer),
            "journal": offer.journal.all(),
            "can_edit": can_edit,
            "can_change": can_edit and not offer.is_over,
            "can_publish": "publier" in actions,
            # Why a draft cannot be published yet (no week with places…), instead of a
            # button that would fail.
            "publish_blocked": OFFER_WORKFLOW.blocked(request.user, offer).get("publier"),
            "can_close": "fermer" in actions,
            "slot_form": SlotForm() if can_edit and not offer.is_over else None,
        },
    )


def _offer_form(request, offer=None):
    form = OfferForm(request.POST or None, instance=offer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            if offer is None:
                saved = offer_create(user=request.user, data=form.cleaned_data)
                messages.success(
                    request,
                    "L'offre est enregistrée en brouillon : indiquez ses places par semaine.",
                )
            else:
                saved = offer_update(user=request.user, offer=offer, data=form.cleaned_data)
                messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(saved)
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "internships/form.html",
        {
            "title": "Nouvelle offre de stage" if offer is None else f"Modifier « {offer.title} »",
            "form": form,
            "cancel_url": offer.get_absolute_url() if offer else "/stages/offres/",
            "communes": True,
        },
        status=400 if form.errors else 200,
    )


def offer_create_view(request):
    if not can_create_offer(request.user):
        raise PermissionDenied("Vous ne pouvez pas déposer d'offre de stage.")
    return _offer_form(request)


def _managed_offer(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    if not can_manage_offer(request.user, offer):
        raise PermissionDenied("Vous ne pouvez pas modifier cette offre.")
    return offer


def offer_edit_view(request, pk):
    return _offer_form(request, _managed_offer(request, pk))


@require_POST
def offer_slots_view(request, pk):
    offer = _managed_offer(request, pk)
    form = SlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez une date et un nombre de places entre 0 et 500.")
        return redirect(offer)
    week, capacity = form.cleaned_data["week"], form.cleaned_data["capacity"]
    try:
        offer_set_slots(user=request.user, offer=offer, slots={week: capacity})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Semaine du {week:%d/%m/%Y} : {capacity} place(s).")
    return redirect(offer)


@require_POST
def offer_publish_view(request, pk):
    offer = _managed_offer(request, pk)
    try:
        offer_publish(user=request.user, offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "L'offre est publiée : le pôle peut la proposer aux élèves.")
    return redirect(offer)


@require_POST
def offer_close_view(request, pk):
    offer = _managed_offer(request, pk)
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        offer_close(user=request.user, offer=offer, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "L'offre est fermée.")
    return redirect(offer)
