"""Proposals to companies, their answer through a signed link, the school's confirmation,
the placement and its convention de stage, the host's feedback.

    envoyée ──acceptée (lien signé)──▶ acceptée ──confirmée (établissement)──▶ confirmée
       │  └──refusée / expirée / annulée            └──annulée

A place is held as soon as a proposal is sent (``OfferSlot.held``) and taken when the
company accepts (``OfferSlot.taken``); refusal, expiry and cancellation give it back. Every
change of a slot happens under its row lock (``select_for_update``), always in the order
case → slot → proposal, and the database refuses ``held + taken > capacity``: two answers
for the last place never overbook it.
"""

from __future__ import annotations

import datetime
import secrets

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once
from relais.users.enums import Role
from relais.users.models import User

from ..enums import (
    OPEN_OFFER_STATES,
    PROPOSAL_TRANSITIONS,
    TAKING_PROPOSAL_STATES,
    CaseState,
    ProposalState,
    SuggestionStatus,
)
from ..models import HostFeedback, OfferSlot, Placement, PlacementCase, Proposal
from ..perms import can_handle_case, is_hub_of, is_school_of
from .cases import hub_member_emails, move
from .offers import refresh_fullness

PROPOSAL_SALT = "relais.internships.proposal"
FEEDBACK_SALT = "relais.internships.feedback"
MAX_LINK_DAYS = 31  # the longest answer delay a pôle may set is 30 days
FEEDBACK_LINK_DAYS = 120


class LinkError(Exception):
    """A signed link that cannot be used; the message is French, for the visitor."""


def _lock_case(case_id: int) -> PlacementCase:
    return (
        PlacementCase.objects.select_for_update(of=("self",))
        .select_related("pupil__establishment", "hub")
        .get(pk=case_id)
    )


def _lock_slot(slot_id: int) -> OfferSlot:
    return (
        OfferSlot.objects.select_for_update(of=("self",))
        .select_related("offer__host", "offer__bassin")
        .get(pk=slot_id)
    )


def _set_state(proposal: Proposal, to: ProposalState, **fields) -> None:
    before = ProposalState(proposal.state)
    if to not in PROPOSAL_TRANSITIONS[before]:
        raise ValidationError(
            f"Une proposition « {before.label.lower()} » ne peut pas devenir "
            f"« {to.label.lower()} »."
        )
    proposal.state = to
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save()


def _check_fit(case: PlacementCase, slot: OfferSlot) -> None:
    """The rules of the engine, checked again for a proposal chosen or edited by hand."""
    pupil, offer = case.pupil, slot.offer
    if offer.state not in OPEN_OFFER_STATES:
        raise ValidationError("Cette offre n'est pas publiée.")
    if pupil.level not in offer.levels:
        raise ValidationError("Cette offre n'est pas ouverte au niveau de l'élève.")
    if pupil.needs_access and not offer.accessible:
        raise ValidationError("L'élève a besoin d'un lieu accessible ; cette offre ne l'est pas.")
    if pupil.period_id is None or slot.week not in pupil.period.start_weeks():
        raise ValidationError("Cette semaine n'est pas dans la période de stage de l'élève.")


def _check_free_place(case: PlacementCase, slot: OfferSlot) -> None:
    if slot.free <= 0:
        raise ValidationError(
            f"Plus aucune place libre chez {slot.offer.host.name} la semaine du "
            f"{slot.week:%d/%m/%Y}."
        )
    if case.pupil.is_priority:
        return
    reserved = min(slot.offer.reserved_places, slot.capacity)
    others = [
        p
        for p in slot.proposals.filter(
            state__in=[ProposalState.SENT, *TAKING_PROPOSAL_STATES]
        ).select_related("case__pupil__establishment")
        if not p.case.pupil.is_priority
    ]
    if len(others) + 1 > slot.capacity - reserved:
        raise ValidationError(
            "Les places libres de cette semaine sont réservées aux élèves prioritaires."
        )


@transaction.atomic
def proposal_send(
    *, user, case: PlacementCase, slot: OfferSlot, message: str = "", suggestion=None
) -> Proposal:
    """The pôle proposes a referred pupil to a company for one week: the place is held, the
    company gets a signed link valid ``hub.answer_days`` days."""
    case = _lock_case(case.pk)
    if not can_handle_case(user, case):
        raise PermissionDenied("Seul le pôle de stages envoie des propositions.")
    if case.state != CaseState.REFERRED:
        raise ValidationError(
            f"Le dossier est à l'étape « {case.get_state_display()} » : une proposition ne "
            "s'envoie qu'à un élève orienté vers le pôle, sans proposition en cours."
        )
    slot = _lock_slot(slot.pk)
    offer = slot.offer
    if not is_hub_of(user, bassin_id=offer.bassin_id, academie_id=offer.bassin.academie_id):
        raise PermissionDenied("Cette offre n'est pas dans le réseau de votre pôle.")
    _check_fit(case, slot)
    _check_free_place(case, slot)
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
        expires_at=now + datetime.timedelta(days=case.hub.answer_days),
    )
    move(
        case=case,
        to=CaseState.PROPOSAL_SENT,
        user=user,
        note=f"Proposé à {offer.host.name} pour la semaine du {slot.week:%d/%m/%Y}",
    )
    if suggestion is not None:
        suggestion.status = SuggestionStatus.SENT
        suggestion.save(update_fields=["status"])
    refresh_fullness(offer=offer, user=user)
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


def _free(slot: OfferSlot, state: ProposalState) -> None:
    if state == ProposalState.SENT:
        slot.held -= 1
    elif state in TAKING_PROPOSAL_STATES:
        slot.taken -= 1
    slot.save(update_fields=["held", "taken"])


def _lock_all(proposal: Proposal) -> tuple[PlacementCase, OfferSlot, Proposal]:
    case = _lock_case(proposal.case_id)
    slot = _lock_slot(proposal.slot_id)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    return case, slot, locked


def _back_to_queue(case: PlacementCase, note: str) -> None:
    if case.state == CaseState.PROPOSAL_SENT:
        move(case=case, to=CaseState.REFERRED, user=None, note=note)


@transaction.atomic
def proposal_accept(
    *, proposal: Proposal, answered_by_name: str = "", note: str = "", now=None
) -> Proposal:
    """The company accepts through its link: the held place becomes taken."""
    now = now or timezone.now()
    case, slot, proposal = _lock_all(proposal)
    _check_answerable(proposal, now)
    slot.held -= 1
    slot.taken += 1
    slot.save(update_fields=["held", "taken"])
    _set_state(
        proposal,
        ProposalState.ACCEPTED,
        answered_at=now,
        answered_by_name=answered_by_name[:150],
        answer_note=note,
    )
    case.steps.create(
        from_state=case.state, to_state=case.state, note=f"{slot.offer.host.name} accepte"
    )
    _notify_school(proposal, case)
    return proposal


@transaction.atomic
def proposal_refuse(
    *, proposal: Proposal, answered_by_name: str = "", note: str = "", now=None
) -> Proposal:
    """The company declines: the place is freed, the pupil goes back to the pôle's queue."""
    now = now or timezone.now()
    case, slot, proposal = _lock_all(proposal)
    _check_answerable(proposal, now)
    _free(slot, ProposalState.SENT)
    _set_state(
        proposal,
        ProposalState.REFUSED,
        answered_at=now,
        answered_by_name=answered_by_name[:150],
        answer_note=note,
    )
    _back_to_queue(case, f"{slot.offer.host.name} ne peut pas accueillir l'élève")
    refresh_fullness(offer=slot.offer)
    _notify_hub(proposal, case, "refusée")
    return proposal


def _check_answerable(proposal: Proposal, now) -> None:
    if proposal.state != ProposalState.SENT:
        raise ValidationError(
            f"Cette proposition a déjà reçu une suite : {proposal.get_state_display().lower()}."
        )
    if proposal.expires_at <= now:
        raise ValidationError("Le délai de réponse à cette proposition est dépassé.")


def proposals_expire(*, now=None) -> int:
    """Proposals without an answer by their deadline expire and free their place (job)."""
    now = now or timezone.now()
    due = Proposal.objects.filter(state=ProposalState.SENT, expires_at__lte=now)
    count = 0
    for proposal in due.order_by("pk"):
        with transaction.atomic():
            case, slot, locked = _lock_all(proposal)
            if locked.state != ProposalState.SENT:
                continue  # answered meanwhile
            _free(slot, ProposalState.SENT)
            _set_state(locked, ProposalState.EXPIRED, answered_at=now)
            _back_to_queue(case, f"Sans réponse de {slot.offer.host.name} : proposition expirée")
            refresh_fullness(offer=slot.offer)
            _notify_hub(locked, case, "expirée")
            count += 1
    return count


def cancel_open_proposal(*, case: PlacementCase, user, note: str) -> Proposal | None:
    """Cancel the case's open proposal, if any, and free its place (within the caller's
    transaction, the case already locked)."""
    proposal = case.proposals.filter(state__in=[ProposalState.SENT, ProposalState.ACCEPTED]).first()
    if proposal is None:
        return None
    slot = _lock_slot(proposal.slot_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _free(slot, ProposalState(proposal.state))
    _set_state(proposal, ProposalState.CANCELLED, closed_note=note)
    refresh_fullness(offer=slot.offer, user=user)
    return proposal


@transaction.atomic
def proposal_cancel(*, user, proposal: Proposal, note: str = "") -> Proposal:
    """The pôle withdraws a proposal, or the school turns down an accepted one: the place is
    freed and the pupil goes back to the pôle's queue."""
    case = _lock_case(proposal.case_id)
    proposal = Proposal.objects.get(pk=proposal.pk)
    school = is_school_of(user, case.pupil.establishment_id)
    if not (can_handle_case(user, case) or (school and proposal.state == ProposalState.ACCEPTED)):
        raise PermissionDenied("Vous ne pouvez pas annuler cette proposition.")
    if proposal.state not in (ProposalState.SENT, ProposalState.ACCEPTED):
        raise ValidationError("Cette proposition est close.")
    cancelled = cancel_open_proposal(case=case, user=user, note=note or "Annulée")
    _back_to_queue(case, f"Proposition annulée. {note}".strip())
    return cancelled


@transaction.atomic
def proposal_confirm(*, user, proposal: Proposal) -> Placement:
    """The pupil's school confirms an accepted proposal: the pupil is placed and the
    convention de stage can be printed."""
    case, slot, proposal = _lock_all(proposal)
    if not is_school_of(user, case.pupil.establishment_id):
        raise PermissionDenied("Seul l'établissement de l'élève confirme le stage.")
    now = timezone.now()
    _set_state(proposal, ProposalState.CONFIRMED, confirmed_by=user, confirmed_at=now)
    offer = slot.offer
    end = slot.week + datetime.timedelta(weeks=offer.duration_weeks - 1, days=4)
    placement = Placement.objects.create(
        case=case, proposal=proposal, offer=offer, start=slot.week, end=end
    )
    move(case=case, to=CaseState.PLACED, user=user, note=f"Stage confirmé chez {offer.host.name}")
    _notify_placed(placement)
    return placement


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


def _school_emails(establishment) -> list[str]:
    users = User.objects.filter(
        is_active=True,
        memberships__establishment=establishment,
        memberships__role__in=[Role.HEAD_OF_SCHOOL, Role.TEACHER],
    ).values_list("email", flat=True)
    return [establishment.email, *users]


def _notify_company(proposal: Proposal) -> None:
    offer = proposal.slot.offer
    notify_once(
        key=f"internships.proposal:{proposal.pk}:sent",
        recipients=[offer.contact_email],
        subject=f"Pouvez-vous accueillir un élève en stage ? ({offer.title})",
        template="internships/mail/proposal_sent.txt",
        context={"proposal": proposal, "offer": offer, "link": answer_url(proposal)},
        about=f"internships.proposal:{proposal.pk}",
    )


def _notify_school(proposal: Proposal, case: PlacementCase) -> None:
    school = case.pupil.establishment
    notify_once(
        key=f"internships.proposal:{proposal.pk}:accepted",
        recipients=[*_school_emails(school), case.hub.email],
        subject="Une entreprise accepte d'accueillir votre élève : confirmez le stage",
        template="internships/mail/proposal_accepted.txt",
        context={"proposal": proposal, "case": case, "link": absolute_url(case.get_absolute_url())},
        about=f"internships.proposal:{proposal.pk}",
    )


def _notify_hub(proposal: Proposal, case: PlacementCase, outcome: str) -> None:
    notify_once(
        key=f"internships.proposal:{proposal.pk}:{proposal.state}",
        recipients=[case.hub.email, *hub_member_emails(case.hub)],
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
        recipients=[offer.contact_email, placement.case.hub.email],
        subject=f"Stage confirmé : semaine du {placement.start:%d/%m/%Y}",
        template="internships/mail/placement_confirmed.txt",
        context={"placement": placement, "offer": offer},
        about=f"internships.placement:{placement.pk}",
    )
