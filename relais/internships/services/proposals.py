"""Proposals to companies, their answer through a signed link, the school's confirmation,
the placement and its convention de stage, the host's feedback. The proposal's states and
who moves them are ``workflows.PROPOSAL_WORKFLOW``:

    envoyée ──accepter (lien signé)──▶ acceptée ──confirmer (établissement)──▶ confirmée
       │  └──refuser / expirer / annuler            └──annuler

A place is held as soon as a proposal is sent (``OfferSlot.held``) and taken when the
company accepts (``OfferSlot.taken``); refusal, expiry and cancellation give it back. Every
change of a slot happens under its row lock (``select_for_update``), always in the order
case → slot → proposal (``services.places``), and the database refuses
``held + taken > capacity``: two answers for the last place never overbook it.
"""

from __future__ import annotations

import datetime
import secrets

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from relais.core import clock
from relais.core.notifications import absolute_url, notify_once
from relais.establishments.models import Establishment
from relais.matching.reservations import release_date
from relais.pathways.services import internship_record
from relais.resources.services import tutor_kit_send
from relais.users.enums import Role
from relais.users.models import User
from relais.users.types import AnyUser

from ..enums import OPEN_OFFER_STATES, ProposalState
from ..models import (
    HostFeedback,
    OfferSlot,
    Placement,
    PlacementCase,
    PlacementHub,
    Proposal,
    Suggestion,
)
from ..perms import is_hub_of
from ..workflows import CASE_WORKFLOW, PROPOSAL_SENDING, PROPOSAL_WORKFLOW, SUGGESTION_WORKFLOW
from .cases import hub_member_emails
from .offers import refresh_fullness
from .places import (
    back_to_queue,
    free_place,
    lock_case,
    lock_proposal,
    lock_slot,
    priority_holding,
    reserved_still_held,
)

PROPOSAL_SALT = "relais.internships.proposal"
FEEDBACK_SALT = "relais.internships.feedback"
MAX_LINK_DAYS = 31  # the longest answer delay a pôle may set is 30 days
FEEDBACK_LINK_DAYS = 120


class LinkError(Exception):
    """A signed link that cannot be used; the message is French, for the visitor."""


def _check_fit(case: PlacementCase, slot: OfferSlot) -> None:
    """The rules of the engine, checked again for a proposal chosen or edited by hand."""
    pupil, offer = case.pupil, slot.offer
    if offer.state not in OPEN_OFFER_STATES:
        raise ValidationError("Cette offre n'est pas publiée.")
    if pupil.level not in offer.levels:
        raise ValidationError("Cette offre n'est pas ouverte au niveau de l'élève.")
    if case.needs_access and not offer.accessible:
        raise ValidationError("L'élève a besoin d'un lieu accessible ; cette offre ne l'est pas.")
    if case.period is None or slot.week not in case.period.start_weeks():
        raise ValidationError("Cette semaine n'est pas dans la période de stage de l'élève.")


def _check_free_place(case: PlacementCase, slot: OfferSlot, *, from_run: bool = False) -> None:
    """A free place, and for a pupil who is not a priority pupil one not held for priority
    pupils: the rule of ``relais.matching.reservations`` (held until two weeks before the
    week, places given to priority pupils count against the reservation, a run's suggestion
    is not bound by it), the same one the engine applies."""
    if slot.free <= 0:
        raise ValidationError(
            f"Plus aucune place libre chez {slot.offer.host.name} la semaine du "
            f"{slot.week:%d/%m/%Y}."
        )
    if case.pupil.is_priority or from_run:
        return
    priority = priority_holding([slot.pk]).get(slot.pk, 0)
    open_places = slot.free - reserved_still_held(slot, priority=priority, today=clock.today())
    if open_places <= 0:
        raise ValidationError(
            "Les places libres de cette semaine sont réservées aux élèves prioritaires "
            f"jusqu'au {release_date(slot.week):%d/%m/%Y}."
        )


@transaction.atomic
def proposal_send(
    *,
    user: User,
    case: PlacementCase,
    slot: OfferSlot,
    message: str = "",
    suggestion: Suggestion | None = None,
) -> Proposal:
    """The pôle proposes a referred pupil to a company for one week: the place is held, the
    company gets a signed link valid ``hub.answer_days`` days."""
    case = lock_case(case.pk)
    slot = lock_slot(slot.pk)
    offer = slot.offer
    note = f"Proposé à {offer.host.name} pour la semaine du {slot.week:%d/%m/%Y}"
    case = CASE_WORKFLOW.fire(case, "proposer", user=user, note=note)
    if not is_hub_of(user, bassin_id=offer.bassin_id, academie_id=offer.bassin.academie_id):
        raise PermissionDenied("Cette offre n'est pas dans le réseau de votre pôle.")
    _check_fit(case, slot)
    _check_free_place(case, slot, from_run=suggestion is not None)
    if suggestion is not None:
        SUGGESTION_WORKFLOW.fire(suggestion, "envoyer", user=user, note=note)
    slot.held += 1
    slot.save(update_fields=["held"])
    now = timezone.now()
    proposal = Proposal.objects.create(
        case=case,
        slot=slot,
        suggestion=suggestion,
        nonce=secrets.token_hex(16),
        message=message,
        sent_by=user,
        sent_at=now,
        expires_at=now + datetime.timedelta(days=_hub(case).answer_days),
    )
    PROPOSAL_WORKFLOW.log_creation(proposal, user=user, note=note, transition=PROPOSAL_SENDING)
    refresh_fullness(offer=offer)
    _notify_company(proposal)
    return proposal


def proposal_token(proposal: Proposal) -> str:
    return signing.TimestampSigner(salt=PROPOSAL_SALT).sign(f"{proposal.pk}.{proposal.nonce}")


def answer_url(proposal: Proposal) -> str:
    return absolute_url(reverse("internships:answer", args=[proposal_token(proposal)]))


def _from_token(token: str, *, salt: str, days: int) -> tuple[int, str]:
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token, max_age=days * 86400)
    except signing.SignatureExpired:
        raise LinkError("Ce lien a expiré.") from None
    except signing.BadSignature:
        raise LinkError("Ce lien n'est pas valide : vérifiez qu'il est complet.") from None
    pk, _, nonce = value.partition(".")
    return int(pk), nonce


def proposal_from_token(token: str) -> Proposal:
    """The proposal of a company's link (signed, expiring); LinkError otherwise."""
    pk, nonce = _from_token(token, salt=PROPOSAL_SALT, days=MAX_LINK_DAYS)
    proposal = (
        Proposal.objects.select_related(
            "slot__offer__host", "case__pupil__establishment", "case__hub"
        )
        .filter(pk=pk, nonce=nonce)
        .first()
    )
    if proposal is None:
        raise LinkError("Cette proposition n'existe plus.")
    return proposal


def _lock_all(proposal: Proposal) -> tuple[PlacementCase, OfferSlot, str]:
    """Lock the case, the slot, then the proposal; the proposal's state under the lock."""
    case = lock_case(proposal.case_id)
    slot = lock_slot(proposal.slot_id)
    return case, slot, lock_proposal(proposal.pk).state


@transaction.atomic
def proposal_accept(
    *,
    proposal: Proposal,
    answered_by_name: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Proposal:
    """The company accepts through its link (no account: ``user=None``, the token checked
    by the caller): the held place becomes taken."""
    now = now or timezone.now()
    case, slot, _ = _lock_all(proposal)
    host = slot.offer.host.name
    proposal = PROPOSAL_WORKFLOW.fire(
        proposal,
        "accepter",
        user=None,
        note=note,
        now=now,
        answered_by=answered_by_name,
        answer=note,
    )
    slot.held -= 1
    slot.taken += 1
    slot.save(update_fields=["held", "taken"])
    CASE_WORKFLOW.fire(case, "accord_entreprise", user=None, note=f"{host} accepte")
    _notify_school(proposal, case)
    return proposal


@transaction.atomic
def proposal_refuse(
    *,
    proposal: Proposal,
    answered_by_name: str = "",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Proposal:
    """The company declines: the place is freed, the pupil goes back to the pôle's queue."""
    now = now or timezone.now()
    case, slot, before = _lock_all(proposal)
    proposal = PROPOSAL_WORKFLOW.fire(
        proposal,
        "refuser",
        user=None,
        note=note,
        now=now,
        answered_by=answered_by_name,
        answer=note,
    )
    free_place(slot, before)
    case = back_to_queue(
        case, user=None, note=f"{slot.offer.host.name} ne peut pas accueillir l'élève"
    )
    refresh_fullness(offer=slot.offer)
    _notify_hub(proposal, case, "refusée")
    return proposal


def proposals_expire(*, now: datetime.datetime | None = None) -> int:
    """Proposals without an answer by their deadline expire and free their place (job)."""
    now = now or timezone.now()
    due = Proposal.objects.filter(state=ProposalState.SENT, expires_at__lte=now)
    count = 0
    for proposal in due.order_by("pk"):
        with transaction.atomic():
            case, slot, before = _lock_all(proposal)
            locked = Proposal.objects.get(pk=proposal.pk)
            if not PROPOSAL_WORKFLOW.can_fire(None, locked, "expirer", now=now):
                continue  # answered meanwhile
            locked = PROPOSAL_WORKFLOW.fire(
                locked, "expirer", user=None, note="Sans réponse dans le délai", now=now
            )
            free_place(slot, before)
            note = f"Sans réponse de {slot.offer.host.name} : proposition expirée"
            case = back_to_queue(case, user=None, note=note)
            refresh_fullness(offer=slot.offer)
            _notify_hub(locked, case, "expirée")
            count += 1
    return count


@transaction.atomic
def proposal_cancel(*, user: AnyUser, proposal: Proposal, note: str = "") -> Proposal:
    """The pôle withdraws a proposal, or the school turns down an accepted one: the place is
    freed and the pupil goes back to the pôle's queue."""
    case, slot, before = _lock_all(proposal)
    reason = note or "Annulée"
    proposal = PROPOSAL_WORKFLOW.fire(proposal, "annuler", user=user, note=note, reason=reason)
    free_place(slot, before)
    refresh_fullness(offer=slot.offer)
    back_to_queue(case, user=user, note=f"Proposition annulée. {note}".strip())
    return proposal


@transaction.atomic
def proposal_confirm(*, user: AnyUser, proposal: Proposal) -> Placement:
    """The pupil's school confirms an accepted proposal: the pupil is placed and the
    convention de stage can be printed."""
    case, slot, _ = _lock_all(proposal)
    offer = slot.offer
    note = f"Stage confirmé chez {offer.host.name}"
    proposal = PROPOSAL_WORKFLOW.fire(proposal, "confirmer", user=user, note=note)
    case = CASE_WORKFLOW.fire(case, "placer", user=user, note=note)
    end = slot.week + datetime.timedelta(weeks=offer.duration_weeks - 1, days=4)
    placement = Placement.objects.create(
        case=case, proposal=proposal, offer=offer, start=slot.week, end=end
    )
    _credit_parcours(placement)
    _notify_placed(placement)
    return placement


# The parcours Avenir's kind of each kind of offer (``relais.pathways.kinds``).
PARCOURS_KINDS = {"stage_3e": "stage_3e", "stage_2nde": "stage_2nde", "pfmp": "pfmp"}


def _credit_parcours(placement: Placement) -> None:
    """The stage goes into the pupil's parcours Avenir without anyone typing it."""
    offer = placement.offer
    internship_record(
        pupil=placement.case.pupil,
        kind=PARCOURS_KINDS.get(offer.kind, "stage"),
        date=placement.start,
        organisation=offer.host,
        place=offer.commune.name if offer.commune_id else "",
        source_ref=f"internships.placement:{placement.pk}",
    )


# --- host feedback -------------------------------------------------------------------------


def feedback_token(placement: Placement) -> str:
    return signing.TimestampSigner(salt=FEEDBACK_SALT).sign(
        f"{placement.pk}.{placement.proposal.nonce}"
    )


def placement_from_feedback_token(token: str) -> Placement:
    pk, nonce = _from_token(token, salt=FEEDBACK_SALT, days=FEEDBACK_LINK_DAYS)
    placement = (
        Placement.objects.select_related("offer__host", "case__pupil__establishment", "proposal")
        .filter(pk=pk, proposal__nonce=nonce)
        .first()
    )
    if placement is None:
        raise LinkError("Ce stage n'existe plus.")
    return placement


@transaction.atomic
def feedback_record(
    *, placement: Placement, would_host_again: bool, comment: str = ""
) -> HostFeedback:
    """The host answers « would you host again? » once, after the internship."""
    if HostFeedback.objects.filter(placement=placement).exists():
        raise ValidationError("Votre avis a déjà été enregistré : merci !")
    if placement.end >= timezone.localdate():
        raise ValidationError("L'avis se donne après le stage.")
    return HostFeedback.objects.create(
        placement=placement, would_host_again=would_host_again, comment=comment
    )


def feedback_requests_send(*, today: datetime.date) -> int:
    """Ask each host, once, after the internship: would you host again? (daily job)."""
    count = 0
    due = Placement.objects.filter(end__lt=today, feedback__isnull=True).select_related(
        "offer__host", "proposal", "case__pupil__establishment"
    )
    for placement in due:
        link = absolute_url(reverse("internships:feedback", args=[feedback_token(placement)]))
        sent = notify_once(
            key=f"internships.placement:{placement.pk}:feedback",
            recipients=[placement.offer.contact_email],
            subject="Accueilleriez-vous de nouveau un élève ?",
            template="internships/mail/feedback_request.txt",
            context={"placement": placement, "link": link},
            about=f"internships.placement:{placement.pk}",
        )
        count += sent is not None
    return count


# --- notifications -------------------------------------------------------------------------


def _hub(case: PlacementCase) -> PlacementHub:
    """The case's pôle: set when the case was referred, before any proposal."""
    hub = case.hub
    assert hub is not None, case.pk
    return hub


def _school_emails(establishment: Establishment) -> list[str]:
    users = User.objects.filter(
        is_active=True,
        memberships__establishment=establishment,
        memberships__role__in=[Role.HEAD_OF_SCHOOL, Role.TEACHER],
    ).values_list("email", flat=True)
    return [establishment.email, *users]


def _notify_company(proposal: Proposal) -> None:
    """The proposal, with the tutor kit of the académie (or the national one) linked and,
    when it is a PDF, attached (Mesure 2: help companies prepare the stagiaire's arrival)."""
    offer = proposal.slot.offer
    kit = tutor_kit_send(
        academie_id=offer.bassin.academie_id, context=f"internships.proposal:{proposal.pk}"
    )
    notify_once(
        key=f"internships.proposal:{proposal.pk}:sent",
        recipients=[offer.contact_email],
        subject=f"Pouvez-vous accueillir un élève en stage ? ({offer.title})",
        template="internships/mail/proposal_sent.txt",
        context={"proposal": proposal, "offer": offer, "link": answer_url(proposal), "kit": kit},
        about=f"internships.proposal:{proposal.pk}",
        attachments=[kit.attachment] if kit is not None and kit.attachment else [],
    )


def _notify_school(proposal: Proposal, case: PlacementCase) -> None:
    school = case.pupil.establishment
    notify_once(
        key=f"internships.proposal:{proposal.pk}:accepted",
        recipients=[*_school_emails(school), _hub(case).email],
        subject="Une entreprise accepte d'accueillir votre élève : confirmez le stage",
        template="internships/mail/proposal_accepted.txt",
        context={"proposal": proposal, "case": case, "link": absolute_url(case.get_absolute_url())},
        about=f"internships.proposal:{proposal.pk}",
    )


def _notify_hub(proposal: Proposal, case: PlacementCase, outcome: str) -> None:
    notify_once(
        key=f"internships.proposal:{proposal.pk}:{proposal.state}",
        recipients=[_hub(case).email, *hub_member_emails(_hub(case))],
        subject=f"Proposition {outcome} : l'élève revient dans la file du pôle",
        template="internships/mail/proposal_closed.txt",
        context={
            "proposal": proposal,
            "case": case,
            "outcome": outcome,
            "link": absolute_url(case.get_absolute_url()),
        },
        about=f"internships.proposal:{proposal.pk}",
    )


def _notify_placed(placement: Placement) -> None:
    offer = placement.offer
    notify_once(
        key=f"internships.placement:{placement.pk}:confirmed",
        recipients=[offer.contact_email, _hub(placement.case).email],
        subject=f"Stage confirmé : semaine du {placement.start:%d/%m/%Y}",
        template="internships/mail/placement_confirmed.txt",
        context={"placement": placement, "offer": offer},
        about=f"internships.placement:{placement.pk}",
    )
