"""Pages of the catalogue of actions: offers, requests and their answers, actions done."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.actions import perms, services
from relais.actions.enums import RequestTransition
from relais.actions.filters import OfferFilter, RecordFilter, RequestFilter
from relais.actions.models import ActionRequest
from relais.actions.selectors import (
    catalogue_near,
    offer_get,
    offer_list,
    record_list,
    request_get,
    request_list,
)
from relais.actions.workflows import OFFER_WORKFLOW, REQUEST_WORKFLOW, blocked
from relais.users.enums import PersonalData
from relais.users.scopes import get_reach
from relais.www.forms import add_errors
from relais.www.journal import log_export
from relais.www.lists import export_response, paginate

from .forms import NearForm, OfferForm, RecordForm, RequestForm, TransitionForm


def _form_page(request, form, *, title, back_url, intro=""):
    return render(
        request,
        "networks/form.html",
        {"title": title, "form": form, "back_url": back_url, "intro": intro},
        status=400 if form.errors else 200,
    )


# --- catalogue -----------------------------------------------------------------------------


def _offers(request):
    """The filtered catalogue, and the school it is searched from (nearest first)."""
    near = NearForm(request.GET or None, user=request.user)
    school, max_km = None, None
    if near.is_bound and near.is_valid():
        school, max_km = near.cleaned_data["etablissement"], near.cleaned_data["distance"]
    elif not near.is_bound:
        reach = get_reach(request.user)
        if len(reach.establishment_ids) == 1:
            near = NearForm(
                initial={"etablissement": next(iter(reach.establishment_ids))}, user=request.user
            )
    queryset = offer_list(user=request.user)
    if school is not None:
        queryset = catalogue_near(queryset, school, max_km=max_km)
    else:
        queryset = queryset.order_by("-published_at", "title")
    filterset = OfferFilter(request.GET or None, queryset=queryset, user=request.user)
    return filterset, near, school


def offer_list_view(request):
    filterset, near, school = _offers(request)
    page = paginate(request, filterset.qs)
    return render(
        request,
        "actions/offer_list.html",
        {
            "title": "Catalogue des actions",
            "filter": filterset,
            "near": near,
            "school": school,
            "page_obj": page,
            "can_create": perms.can_create_offer(request.user),
        },
    )


OFFER_HEADER = ["Intitulé", "Type", "Partenaire", "Zone", "Niveaux", "Du", "Au", "Capacité",
                "Places prises", "État", "Contact", "Distance (km)"]  # fmt: skip


def _offer_row(o):
    distance = getattr(o, "distance", None)
    return [
        o.title, o.get_kind_display(), o.organisation.name, o.area_label, o.get_levels_display(),
        o.starts_on, o.ends_on, o.capacity, o.booked, o.get_state_display(), o.contact_email,
        round(distance, 1) if distance is not None else "",
    ]  # fmt: skip


def offer_export_view(request, fmt):
    filterset, _, _ = _offers(request)
    return export_response(fmt, "catalogue-actions", OFFER_HEADER, filterset.qs, _offer_row,
                           title="Catalogue")  # fmt: skip


def offer_detail_view(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    manager = perms.can_manage_offer(request.user, offer)
    requests = list(request_list(user=request.user).filter(offer=offer)) if manager else []
    transitions = OFFER_WORKFLOW.available(request.user, offer)
    return render(
        request,
        "actions/offer_detail.html",
        {
            "title": offer.title,
            "offer": offer,
            "requests": requests,
            "journal": list(offer.journal.all()) if manager else [],
            "can_manage": manager,
            "can_request": perms.can_request_offer(request.user, offer),
            "transitions": transitions,
            "blocked": blocked(OFFER_WORKFLOW, request.user, offer, available=transitions),
        },
    )


def _offer_form(request, offer=None):
    form = OfferForm(request.POST or None, instance=offer, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.offer_save(user=request.user, offer=offer, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"L'offre « {saved.title} » est enregistrée.")
            return redirect(saved)
    title = "Nouvelle offre d'action" if offer is None else f"Modifier « {offer.title} »"
    back = offer.get_absolute_url() if offer else "/actions/"
    intro = "" if offer else "L'offre est enregistrée en brouillon : publiez-la ensuite."
    return _form_page(request, form, title=title, back_url=back, intro=intro)


def offer_create_view(request):
    if not perms.can_create_offer(request.user):
        raise PermissionDenied("Vous ne pouvez pas publier d'offre.")
    return _offer_form(request)


def offer_edit_view(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    if not perms.can_manage_offer(request.user, offer):
        raise PermissionDenied("Vous ne pouvez pas modifier cette offre.")
    return _offer_form(request, offer)


@require_POST
def offer_transition_view(request, pk, transition):
    """« Publier », « Clore »: the URL names the offer's transition."""
    offer = offer_get(user=request.user, pk=pk)
    try:
        moved = services.offer_move(user=request.user, offer=offer, transition=transition)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"L'offre est {moved.get_state_display().lower()}.")
    return redirect(offer)


def request_create_view(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    if not perms.can_request(request.user):
        raise PermissionDenied("Seuls les établissements demandent des actions.")
    form = RequestForm(request.POST or None, user=request.user, offer=offer)
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.request_send(user=request.user, offer=offer, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Votre demande est envoyée au partenaire.")
            return redirect(sent)
    return _form_page(
        request, form, title=f"Demander « {offer.title} »", back_url=offer.get_absolute_url(),
        intro=f"{offer.organisation.name} — {offer.area_label}.",
    )  # fmt: skip


# --- requests ------------------------------------------------------------------------------


def _requests(request):
    return RequestFilter(
        request.GET or None,
        queryset=request_list(user=request.user).order_by("-created_at"),
        user=request.user,
    )


def request_list_view(request):
    filterset = _requests(request)
    return render(
        request,
        "actions/request_list.html",
        {"title": "Demandes d'actions", "filter": filterset,
         "page_obj": paginate(request, filterset.qs)},
    )  # fmt: skip


REQUEST_HEADER = ["Offre", "Partenaire", "Établissement", "UAI", "Contact", "Classes", "Élèves",
                  "Dates souhaitées", "État", "Envoyée le", "Réponse"]  # fmt: skip


def _request_row(r):
    return [
        r.offer.title, r.offer.organisation.name, r.establishment.name, r.establishment.uai,
        r.contact_name, r.classes, r.pupil_count, r.wished_dates, r.get_state_display(),
        r.created_at, r.answer_message,
    ]  # fmt: skip


def request_export_view(request, fmt):
    """The schools' requests, with their contact's name: journaled."""
    requests = _requests(request).qs
    log_export(request, data=PersonalData.ACTION_REQUESTS, description="Demandes d'actions",
               fmt=fmt, rows=requests.count())  # fmt: skip
    return export_response(fmt, "demandes-actions", REQUEST_HEADER, requests,
                           _request_row, title="Demandes")  # fmt: skip


# How each of the request's transitions asks for its details (the form under its button).
ASKS_DONE_ON = {RequestTransition.COMPLETE}
REASON_REQUIRED = {RequestTransition.DECLINE}
SECONDARY = {RequestTransition.DECLINE, RequestTransition.CANCEL}


def _request_buttons(transitions):
    return [
        {
            "name": item.name,
            "label": item.label,
            "asks_done_on": item.name in ASKS_DONE_ON,
            "reason_required": item.name in REASON_REQUIRED,
            "secondary": item.name in SECONDARY,
        }
        for item in transitions
    ]


def request_detail_view(request, pk):
    action_request = request_get(user=request.user, pk=pk)
    transitions = REQUEST_WORKFLOW.available(request.user, action_request)
    return render(
        request,
        "actions/request_detail.html",
        {
            "title": f"Demande — {action_request.offer.title}",
            "req": action_request,
            "journal": list(action_request.journal.all()),
            "buttons": _request_buttons(transitions),
            "blocked": blocked(
                REQUEST_WORKFLOW, request.user, action_request, available=transitions
            ),
            "today": timezone.localdate(),
        },
    )


ANSWER_SERVICES: dict[str, Callable[..., ActionRequest]] = {
    RequestTransition.ACCEPT: services.request_accept,
    RequestTransition.DECLINE: services.request_decline,
    RequestTransition.CANCEL: services.request_cancel,
}


@require_POST
def request_transition_view(request, pk, transition):
    action_request = request_get(user=request.user, pk=pk)
    transition = RequestTransition(transition)
    form = TransitionForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        if transition == RequestTransition.COMPLETE:
            services.request_complete(
                user=request.user, request=action_request,
                done_on=data.get("done_on") or timezone.localdate(),
                pupil_count=data.get("pupil_count"), classes=data.get("classes") or "",
                message=data.get("message") or "",
            )  # fmt: skip
        else:
            ANSWER_SERVICES[transition](
                user=request.user, request=action_request, message=data.get("message") or ""
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"« {transition.label} » : c'est fait.")
    return redirect(action_request)


# --- actions done --------------------------------------------------------------------------


def _records(request):
    return RecordFilter(
        request.GET or None,
        queryset=record_list(user=request.user).order_by("-done_on", "pk"),
        user=request.user,
    )


def record_list_view(request):
    filterset = _records(request)
    return render(
        request,
        "actions/record_list.html",
        {"title": "Actions réalisées", "filter": filterset,
         "page_obj": paginate(request, filterset.qs),
         "can_record": perms.can_request(request.user)},
    )  # fmt: skip


RECORD_HEADER = ["Date", "Année scolaire", "Établissement", "UAI", "Action", "Type", "Partenaire",
                 "Classes", "Élèves", "Niveaux"]  # fmt: skip


def _record_row(r):
    return [
        r.done_on, f"{r.school_year}-{r.school_year + 1}", r.establishment.name,
        r.establishment.uai, r.title, r.get_kind_display(), r.partner_name, r.classes,
        r.pupil_count, ", ".join(r.levels),
    ]  # fmt: skip


def record_export_view(request, fmt):
    return export_response(fmt, "actions-realisees", RECORD_HEADER, _records(request).qs,
                           _record_row, title="Actions réalisées")  # fmt: skip


def record_create_view(request):
    if not perms.can_request(request.user):
        raise PermissionDenied("Seuls les établissements déclarent leurs actions.")
    form = RecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "L'action réalisée est enregistrée.")
            return redirect("actions:record_list")
    return _form_page(request, form, title="Déclarer une action réalisée",
                      back_url="/actions/realisees/")  # fmt: skip
