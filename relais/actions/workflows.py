"""The workflows of the catalogue (ADR 0007): the offer and the school's request.

Offer::

    brouillon ──publier──▶ publiée ──clore──▶ close
                              ▲                 │
                              └────publier──────┘

Whoever manages the offer (its partner, the académie team) publishes and closes it; an
offer whose dates are past is not published. Closing takes it out of the catalogue; its
requests keep going.

Request::

    envoyée ──accepter──▶ acceptée ──réaliser──▶ réalisée (→ ActionRecord)
       │ └──refuser──▶ refusée         │
       └──annuler──▶ annulée ◀──annuler┘

The partner accepts (within the offer's capacity) or declines (saying why); the school
cancels; once accepted, either side cancels or declares the action done. The request is
created in « envoyée » by ``services.request_send``, journaled as « envoyer ».
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.utils import timezone

from relais.core.workflow import Transition, Workflow
from relais.users.types import AnyUser

from . import perms
from .enums import OfferState, OfferTransition, RequestState, RequestTransition
from .models import ActionRequest, Offer, OfferJournal, RequestJournal
from .selectors import booked_count

_Subject = TypeVar("_Subject", Offer, ActionRequest)

# --- offer ---------------------------------------------------------------------------------


def _offer_not_past(offer: Offer, *, today: date | None = None, **context: object) -> str | None:
    today = today or timezone.localdate()
    if offer.ends_on and offer.ends_on < today:
        return "Cette offre est passée : changez ses dates avant de la publier."
    return None


def _stamp_publication(offer: Offer, **context: object) -> None:
    offer.published_at = timezone.now()


OFFER_WORKFLOW: Workflow[Offer] = Workflow(
    model=Offer,
    journal=OfferJournal,
    states=OfferState,
    transitions=[
        Transition(
            OfferTransition.PUBLISH,
            OfferTransition.PUBLISH.label,
            sources={OfferState.DRAFT, OfferState.CLOSED},
            target=OfferState.PUBLISHED,
            may_fire=perms.can_manage_offer,
            guard=_offer_not_past,
            effect=_stamp_publication,
            refusal="Vous ne pouvez pas publier cette offre.",
        ),
        Transition(
            OfferTransition.CLOSE,
            OfferTransition.CLOSE.label,
            sources={OfferState.PUBLISHED},
            target=OfferState.CLOSED,
            may_fire=perms.can_manage_offer,
            refusal="Vous ne pouvez pas clore cette offre.",
        ),
    ],
)


# --- request -------------------------------------------------------------------------------


def _room_left(request: ActionRequest, **context: object) -> str | None:
    """Accepting takes a place: accepted and done requests count against the capacity."""
    offer = request.offer
    booked = booked_count(offer)
    if booked < offer.capacity:
        return None
    plural = "s" if booked > 1 else ""
    return (
        f"Capacité atteinte : {booked} demande{plural} déjà acceptée{plural} pour "
        f"{offer.capacity} place{'s' if offer.capacity > 1 else ''}. Refusez la demande ou "
        "augmentez la capacité."
    )


def _answered(
    request: ActionRequest, *, user: AnyUser | None, message: str = "", **context: object
) -> None:
    """The partner's answer, read by the school."""
    request.answer_message = message.strip()
    request.answered_at = timezone.now()
    request.answered_by = user if user is not None and user.is_authenticated else None


PARTNER_ONLY = "Seul le partenaire qui propose l'action répond à la demande."

REQUEST_WORKFLOW: Workflow[ActionRequest] = Workflow(
    model=ActionRequest,
    journal=RequestJournal,
    states=RequestState,
    transitions=[
        Transition(
            RequestTransition.ACCEPT,
            RequestTransition.ACCEPT.label,
            sources={RequestState.SENT},
            target=RequestState.ACCEPTED,
            may_fire=perms.can_answer,
            guard=_room_left,
            effect=_answered,
            refusal=PARTNER_ONLY,
        ),
        Transition(
            RequestTransition.DECLINE,
            RequestTransition.DECLINE.label,
            sources={RequestState.SENT},
            target=RequestState.DECLINED,
            may_fire=perms.can_answer,
            effect=_answered,
            refusal=PARTNER_ONLY,
        ),
        Transition(
            RequestTransition.CANCEL,
            RequestTransition.CANCEL.label,
            sources={RequestState.SENT, RequestState.ACCEPTED},
            target=RequestState.CANCELLED,
            may_fire=perms.can_cancel_request,
            refusal="Seul l'établissement annule une demande en attente ; une fois acceptée, "
            "le partenaire peut aussi l'annuler.",
        ),
        Transition(
            RequestTransition.COMPLETE,
            RequestTransition.COMPLETE.label,
            sources={RequestState.ACCEPTED},
            target=RequestState.DONE,
            may_fire=perms.can_complete_request,
            refusal="Vous n'intervenez pas dans cette demande.",
        ),
    ],
)


def blocked(
    workflow: Workflow[_Subject],
    user: AnyUser,
    obj: _Subject,
    *,
    available: list[Transition],
    **context: object,
) -> list[tuple[Transition, str]]:
    """The transitions ``user`` may fire from the object's state but whose guard refuses
    now (those missing from ``available``), with the French reason: pages show the reason
    where the button would be (a full offer, a past one) instead of hiding the action
    without a word."""
    shown = {item.name for item in available}
    reasons = []
    for item in workflow.allowed_from(obj.state):
        if item.name in shown or item.guard is None or not item.may_fire(user, obj):
            continue
        reason = item.guard(obj, **context)
        if reason:
            reasons.append((item, reason))
    return reasons
