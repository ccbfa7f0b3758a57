"""The places proposals hold and take, shared by ``services.cases`` (closing a case cancels
its open proposal) and ``services.proposals``: the row locks, always taken in the order
case → slot → proposal → offer, freeing a place, the pupil's return to the pôle's queue.

Neither ``cases`` nor ``proposals`` is imported here: they both import this module.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from relais.matching.reservations import places_still_held
from relais.users.types import AnyUser

from ..enums import OPEN_PROPOSAL_STATES, TAKING_PROPOSAL_STATES, CaseState, ProposalState
from ..models import OfferSlot, PlacementCase, Proposal
from ..workflows import CASE_WORKFLOW, PROPOSAL_WORKFLOW
from .offers import refresh_fullness


def lock_case(case_id: int) -> PlacementCase:
    return (
        PlacementCase.objects.select_for_update(of=("self",))
        .select_related("pupil__establishment", "hub")
        .get(pk=case_id)
    )


def lock_slot(slot_id: int) -> OfferSlot:
    return (
        OfferSlot.objects.select_for_update(of=("self",))
        .select_related("offer__host", "offer__bassin")
        .get(pk=slot_id)
    )


def lock_proposal(proposal_id: int) -> Proposal:
    return Proposal.objects.select_for_update(of=("self",)).get(pk=proposal_id)


def free_place(slot: OfferSlot, state: str) -> None:
    """Give back the place a proposal in ``state`` held (sent) or took (accepted,
    confirmed); the slot is locked by the caller."""
    if state == ProposalState.SENT:
        slot.held -= 1
    elif state in TAKING_PROPOSAL_STATES:
        slot.taken -= 1
    slot.save(update_fields=["held", "taken"])


def back_to_queue(case: PlacementCase, *, user: AnyUser | None, note: str) -> PlacementCase:
    """The pupil whose proposal ended without a placement waits for the pôle again."""
    if case.state == CaseState.PROPOSAL_SENT:
        return CASE_WORKFLOW.fire(case, "remettre_en_file", user=user, note=note)
    return case


def cancel_open_proposal(*, case: PlacementCase, user: AnyUser, reason: str) -> Proposal | None:
    """The case is closed (withdrawn, the family's refusal): its open proposal, if any, is
    cancelled and its place freed, within the caller's transaction (the case locked)."""
    proposal = case.proposals.filter(state__in=OPEN_PROPOSAL_STATES).first()
    if proposal is None:
        return None
    slot = lock_slot(proposal.slot_id)
    before = lock_proposal(proposal.pk).state
    proposal = PROPOSAL_WORKFLOW.fire(
        proposal, "dossier_clos", user=user, note=reason, reason=reason
    )
    free_place(slot, before)
    refresh_fullness(offer=slot.offer)
    return proposal


def priority_holding(slot_ids: Iterable[int]) -> dict[int, int]:
    """Places of each slot held (sent) or taken (accepted, confirmed) by priority pupils:
    they count against the offer's reservation (``relais.matching.reservations``)."""
    counts: dict[int, int] = {}
    holders = Proposal.objects.filter(
        slot_id__in=list(slot_ids), state__in=[ProposalState.SENT, *TAKING_PROPOSAL_STATES]
    ).select_related("case__pupil__establishment")
    for proposal in holders:
        if proposal.case.pupil.is_priority:
            counts[proposal.slot_id] = counts.get(proposal.slot_id, 0) + 1
    return counts


def reserved_still_held(slot: OfferSlot, *, priority: int, today: datetime.date) -> int:
    """The slot's places still held for priority pupils today, never more than are free:
    the one rule the proposal service and the engine's input both read."""
    held = places_still_held(
        capacity=slot.capacity,
        reserved=slot.offer.reserved_places,
        priority_holding=priority,
        week_start=slot.week,
        today=today,
    )
    return min(held, max(0, slot.free))
