"""Every write of the catalogue of actions: offers, requests (e-mails at each step) and
the record of actions done.

Offers and requests move only through their workflows (``workflows.OFFER_WORKFLOW``,
``workflows.REQUEST_WORKFLOW``: the tables, who fires each transition, the guards), which
lock the row, check, save and journal in one transaction. The partner (perms.can_answer)
accepts or declines, with a message; a declined request always gives its reason. The
school (perms.can_act_for_school) cancels; either side may cancel an accepted request or
declare it done. Accepting checks the offer's capacity.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once
from relais.core.school_years import school_year_of
from relais.core.text import search_key
from relais.core.validation import check_date_range, check_date_ranges
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.models import Membership, User
from relais.users.types import AnyUser

from .enums import ActionKind, OfferTransition, RequestState, RequestTransition
from .models import ActionRecord, ActionRequest, Offer
from .perms import can_act_for_school, can_answer, can_create_offer, can_manage_offer
from .selectors import request_covers
from .workflows import OFFER_WORKFLOW, REQUEST_WORKFLOW

OFFER_FIELDS = [
    "organisation", "kind", "title", "description", "levels", "academie", "bassin", "commune",
    "radius_km", "starts_on", "ends_on", "capacity", "max_pupils", "contact_email",
    "disability_awareness",
]  # fmt: skip
UNANSWERED_REMINDER_DAYS = 10


def _user_or_none(user: AnyUser | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


# --- offers --------------------------------------------------------------------------------


def offer_search_text(offer: Offer) -> str:
    return search_key(
        offer.title,
        offer.get_kind_display(),
        offer.organisation.name if offer.organisation_id else "",
        offer.organisation.acronym if offer.organisation_id else "",
        offer.commune.name if offer.commune else "",
        offer.bassin.name if offer.bassin else "",
    )


@transaction.atomic
def offer_save(*, user: AnyUser, offer: Offer | None = None, data: Mapping[str, object]) -> Offer:
    """Create or change an offer. Its place is its commune's (or else the partner's); a
    radius needs a place; a bassin must be of the offer's académie; the user must manage
    the partner (its representative) or the académie (its team)."""
    creating = offer is None
    offer = offer or Offer(created_by=_user_or_none(user))
    if creating and not can_create_offer(user):
        raise PermissionDenied("Vous ne pouvez pas publier d'offre.")
    if not creating and not can_manage_offer(user, offer):
        raise PermissionDenied("Vous ne pouvez pas modifier cette offre.")
    for field in OFFER_FIELDS:
        if field in data:
            setattr(offer, field, data[field])
    if offer.organisation_id is None or offer.academie_id is None:
        raise ValidationError("Indiquez le partenaire et l'académie de l'offre.")
    if not can_manage_offer(user, offer):
        raise PermissionDenied("Vous ne pouvez pas publier d'offre pour ce partenaire ici.")
    errors: dict[str, str] = {}
    if offer.bassin and offer.bassin.academie_id != offer.academie_id:
        errors["bassin"] = "Ce bassin n'est pas dans l'académie de l'offre."
    place = offer.commune or offer.organisation
    offer.latitude, offer.longitude = place.latitude, place.longitude
    if offer.radius_km and offer.latitude is None:
        errors["commune"] = "Un rayon d'intervention se compte depuis une commune : indiquez-la."
    if offer.starts_on and offer.ends_on and offer.ends_on < offer.starts_on:
        errors["ends_on"] = "La fin précède le début."
    if errors:
        raise ValidationError(errors)
    check_date_ranges(vars(offer), ["starts_on", "ends_on"])
    offer.search_text = offer_search_text(offer)
    offer.full_clean()
    offer.save()
    if creating:
        OFFER_WORKFLOW.log_creation(offer, user=user)
    return offer


def offer_move(*, user: AnyUser, offer: Offer, transition: str, note: str = "") -> Offer:
    """Fire one of the offer's transitions (``OFFER_WORKFLOW``: « publier », « clore »)."""
    return OFFER_WORKFLOW.fire(offer, transition, user=user, note=note)


def offer_publish(*, user: AnyUser, offer: Offer, note: str = "") -> Offer:
    """Put a draft (or a closed offer) in the catalogue, unless its dates are past."""
    return offer_move(user=user, offer=offer, transition=OfferTransition.PUBLISH, note=note)


def offer_close(*, user: AnyUser, offer: Offer, note: str = "") -> Offer:
    """Take an offer out of the catalogue; its requests keep going."""
    return offer_move(user=user, offer=offer, transition=OfferTransition.CLOSE, note=note)


# --- requests ------------------------------------------------------------------------------


def _partner_emails(offer: Offer) -> list[str]:
    reps = Membership.objects.filter(
        role=Role.ORGANISATION_REP, organisation_id=offer.organisation_id, user__is_active=True
    ).values_list("user__email", flat=True)
    return [offer.contact_email, *reps]


@transaction.atomic
def request_send(
    *,
    user: AnyUser,
    offer: Offer,
    establishment: Establishment,
    contact_name: str,
    contact_email: str,
    classes: str,
    pupil_count: int,
    wished_dates: str = "",
    message: str = "",
) -> ActionRequest:
    """A school asks a partner for a published offer whose area covers it. One open request
    per school and offer. The partner is told by e-mail."""
    if not can_act_for_school(user, establishment):
        raise PermissionDenied("Vous ne pouvez pas faire de demande pour cet établissement.")
    if not offer.is_published:
        raise ValidationError("Cette offre n'est pas ouverte aux demandes.")
    if offer.ends_on and offer.ends_on < timezone.localdate():
        raise ValidationError("Cette offre est terminée.")
    if not request_covers(offer, establishment):
        raise ValidationError(
            "Votre établissement est hors de la zone d'intervention de cette offre "
            f"({offer.area_label})."
        )
    if offer.max_pupils and pupil_count > offer.max_pupils:
        raise ValidationError(
            {"pupil_count": f"Cette action accueille au plus {offer.max_pupils} élèves par groupe."}
        )
    if ActionRequest.objects.filter(
        offer=offer,
        establishment=establishment,
        state__in=[RequestState.SENT, RequestState.ACCEPTED],
    ).exists():
        raise ValidationError("Votre établissement a déjà une demande en cours pour cette offre.")
    request = ActionRequest.objects.create(
        offer=offer,
        establishment=establishment,
        requested_by=_user_or_none(user),
        contact_name=contact_name,
        contact_email=contact_email,
        classes=classes,
        pupil_count=pupil_count,
        wished_dates=wished_dates,
        message=message,
    )
    # The creation line, named « envoyer » as the API has always shown it.
    REQUEST_WORKFLOW.write_journal(
        request, transition=RequestTransition.SEND, from_state="", user=user, note=message
    )
    notify_once(
        key=f"actions.request:{request.pk}:envoyee",
        recipients=_partner_emails(offer),
        subject=f"Nouvelle demande : {offer.title} — {establishment.name}",
        template="actions/mail/request_sent.txt",
        context={"request": request, "url": absolute_url(request.get_absolute_url())},
        about=f"actions.request:{request.pk}",
    )
    return request


def _tell_school(request: ActionRequest, event: str, subject: str) -> None:
    recipients = [request.contact_email]
    if request.requested_by is not None:
        recipients.append(request.requested_by.email)
    notify_once(
        key=f"actions.request:{request.pk}:{event}",
        recipients=recipients,
        subject=subject,
        template="actions/mail/request_answered.txt",
        context={"request": request, "url": absolute_url(request.get_absolute_url())},
        about=f"actions.request:{request.pk}",
    )


@transaction.atomic
def request_accept(*, user: AnyUser, request: ActionRequest, message: str = "") -> ActionRequest:
    """The partner accepts, within the offer's capacity (accepted and done requests). The
    offer is locked first: two requests for its last place are not both accepted."""
    Offer.objects.select_for_update().get(pk=request.offer_id)
    request = REQUEST_WORKFLOW.fire(
        request, RequestTransition.ACCEPT, user=user, note=message, message=message
    )
    _tell_school(request, "acceptee", f"Demande acceptée : {request.offer.title}")
    return request


@transaction.atomic
def request_decline(*, user: AnyUser, request: ActionRequest, message: str) -> ActionRequest:
    """The partner declines, saying why (the school reads it)."""
    if not message.strip():
        raise ValidationError({"message": "Indiquez à l'établissement la raison du refus."})
    request = REQUEST_WORKFLOW.fire(
        request, RequestTransition.DECLINE, user=user, note=message, message=message
    )
    _tell_school(request, "refusee", f"Demande refusée : {request.offer.title}")
    return request


@transaction.atomic
def request_cancel(*, user: AnyUser, request: ActionRequest, message: str = "") -> ActionRequest:
    """The school withdraws its request; once accepted, either side may cancel (the other
    is told)."""
    request = REQUEST_WORKFLOW.fire(request, RequestTransition.CANCEL, user=user, note=message)
    by_partner = can_answer(user, request) and not can_act_for_school(user, request.establishment)
    if by_partner:
        _tell_school(
            request, "annulee", f"Action annulée par le partenaire : {request.offer.title}"
        )
    else:
        notify_once(
            key=f"actions.request:{request.pk}:annulee",
            recipients=_partner_emails(request.offer),
            subject=f"Demande annulée : {request.offer.title} — {request.establishment.name}",
            template="actions/mail/request_cancelled.txt",
            context={"request": request, "message": message},
            about=f"actions.request:{request.pk}",
        )
    return request


@transaction.atomic
def request_complete(
    *,
    user: AnyUser,
    request: ActionRequest,
    done_on: date,
    pupil_count: int | None = None,
    classes: str = "",
    message: str = "",
) -> ActionRecord:
    """The action took place: the request is done and the ActionRecord keeps its date,
    school, classes or pupils and partner (for the parcours Avenir)."""
    check_date_range(done_on, "done_on")
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "Une action ne se déclare réalisée qu'une fois passée."})
    request = REQUEST_WORKFLOW.fire(request, RequestTransition.COMPLETE, user=user, note=message)
    offer = request.offer
    return ActionRecord.objects.create(
        establishment=request.establishment,
        organisation=offer.organisation,
        offer=offer,
        request=request,
        kind=offer.kind,
        title=offer.title,
        done_on=done_on,
        school_year=school_year_of(done_on),
        classes=classes or request.classes,
        pupil_count=pupil_count or request.pupil_count,
        levels=offer.levels,
        notes=message,
        recorded_by=_user_or_none(user),
    )


# --- records -------------------------------------------------------------------------------


@transaction.atomic
def record_create(
    *,
    user: AnyUser,
    establishment: Establishment,
    kind: str,
    title: str,
    done_on: date,
    organisation: Organisation | None = None,
    partner_label: str = "",
    classes: str = "",
    pupil_count: int | None = None,
    levels: list[str] | None = None,
    notes: str = "",
) -> ActionRecord:
    """Record an action done outside the catalogue (a visit arranged directly…)."""
    if not can_act_for_school(user, establishment):
        raise PermissionDenied("Vous ne pouvez pas déclarer d'action pour cet établissement.")
    check_date_range(done_on, "done_on")
    errors: dict[str, str] = {}
    if done_on > timezone.localdate():
        errors["done_on"] = "Une action ne se déclare réalisée qu'une fois passée."
    if organisation is None and not partner_label.strip():
        errors["partner_label"] = "Indiquez le partenaire."
    if not classes.strip() and not pupil_count:
        errors["classes"] = "Indiquez les classes ou le nombre d'élèves."
    if kind not in ActionKind.values:
        errors["kind"] = "Type d'action inconnu."
    if errors:
        raise ValidationError(errors)
    return ActionRecord.objects.create(
        establishment=establishment,
        organisation=organisation,
        partner_label=partner_label.strip(),
        kind=kind,
        title=title,
        done_on=done_on,
        school_year=school_year_of(done_on),
        classes=classes.strip(),
        pupil_count=pupil_count,
        levels=levels or [],
        notes=notes,
        recorded_by=_user_or_none(user),
    )


# --- reminders -----------------------------------------------------------------------------


def send_unanswered_request_reminders(*, today: date) -> int:
    """A request still unanswered after 10 days: remind the partner once."""
    limit = timezone.make_aware(
        datetime.combine(today - timedelta(days=UNANSWERED_REMINDER_DAYS), time.min)
    )
    sent = 0
    waiting = ActionRequest.objects.filter(state=RequestState.SENT, created_at__lt=limit)
    for request in waiting.select_related("offer", "establishment"):
        sent += bool(
            notify_once(
                key=f"actions.request:{request.pk}:relance",
                recipients=_partner_emails(request.offer),
                subject=f"Demande en attente de réponse : {request.offer.title}",
                template="actions/mail/request_reminder.txt",
                context={"request": request, "url": absolute_url(request.get_absolute_url())},
                about=f"actions.request:{request.pk}",
            )
        )
    return sent
