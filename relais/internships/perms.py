"""Who may do what in the pôles de stages. Reading is decided by the selectors' scoping.

- the pupil's school (head of school, teacher) keeps its roster (``relais.pupils.perms``,
  re-exported here), declares its periods, opens its pupils' cases, fires their first steps
  (help, referral) and edits their search data, and confirms placements;
- the pôle de stages of the bassin (its members) handles the referred cases, runs the
  engine and sends proposals: pupils' data goes to the school and to that pôle only;
- the bassin référent and the académie team manage the offers and the pôle's settings of
  their territory and read the figures, never a pupil's name (DESIGN.md: personal data of
  minors);
- offers are also managed by the representatives of the host (or of the organisation that
  posted or pushed them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from relais.pupils.perms import can_manage_any_pupils as can_manage_any_pupils
from relais.pupils.perms import can_manage_pupils as can_manage_pupils
from relais.pupils.perms import is_school_of
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

if TYPE_CHECKING:
    from .models import InternshipOffer, PlacementCase, PlacementHub, Proposal, Suggestion


def is_pole_of(user: AnyUser, bassin_id: int | None) -> bool:
    """A member of the pôle de stages of that bassin: the only one, besides the school, to
    read its referred pupils."""
    return bassin_id is not None and bassin_id in get_reach(user).hub_bassin_ids


def is_hub_of(user: AnyUser, *, bassin_id: int | None, academie_id: int | None) -> bool:
    """The pôle's territory: member or référent of the bassin, or académie team of its
    académie. For offers and the pôle's settings; never for pupils' data (``is_pole_of``)."""
    reach = get_reach(user)
    return bassin_id in reach.bassin_ids or academie_id in reach.managed_academie_ids


def can_see_pupils(user: AnyUser) -> bool:
    """Pupil pages: the schools and the pôles de stages (personal data of minors)."""
    reach = get_reach(user)
    return bool(reach.establishment_ids or reach.hub_bassin_ids)


def can_handle_case(user: AnyUser, case: PlacementCase) -> bool:
    """The pôle side of a case: only once referred, and only the pôle of the pupil's bassin."""
    if case.referred_at is None:
        return False
    return is_pole_of(user, case.pupil.establishment.bassin_id)


def is_school_of_case(user: AnyUser, case: PlacementCase) -> bool:
    """The pupil's school: helps, refers, confirms a placement."""
    return is_school_of(user, case.pupil.establishment_id)


def can_edit_case_search(user: AnyUser, case: PlacementCase) -> bool:
    """A case's search data (period, wishes, distance, home commune, accessibility): the
    pupil's school, while the case is open (the pôle reads it, the school keeps it)."""
    return case.is_open and is_school_of_case(user, case)


def can_close_case(user: AnyUser, case: PlacementCase) -> bool:
    """Withdraw a case, or record the family's refusal: the school, and the pôle once the
    case is referred to it."""
    return is_school_of_case(user, case) or can_handle_case(user, case)


def can_cancel_proposal(user: AnyUser, proposal: Proposal) -> bool:
    """The pôle withdraws a proposal; the school turns down one the company accepted."""
    case = proposal.case
    if can_handle_case(user, case):
        return True
    return proposal.is_accepted and is_school_of_case(user, case)


def can_confirm_proposal(user: AnyUser, proposal: Proposal) -> bool:
    return is_school_of_case(user, proposal.case)


def can_handle_suggestion(user: AnyUser, suggestion: Suggestion) -> bool:
    """The engine's suggestions are reviewed by the pôle that handles the pupil's case."""
    return can_handle_case(user, suggestion.case)


def can_create_offer(user: AnyUser) -> bool:
    reach = get_reach(user)
    return bool(
        reach.national or reach.managed_academie_ids or reach.bassin_ids or reach.organisation_ids
    )


def can_manage_offer(user: AnyUser, offer: InternshipOffer) -> bool:
    reach = get_reach(user)
    if reach.national:
        return True
    orgs = {offer.host_id, offer.posted_by_id, offer.partner_id} - {None}
    if orgs & reach.organisation_ids and offer.bassin_id is not None:
        # An organisation acts on the territory it covers (its académie, région, or all).
        academie_id = offer.bassin.academie_id
        if reach.all_establishments or academie_id in reach.academie_ids:
            return True
    return is_hub_of(user, bassin_id=offer.bassin_id, academie_id=offer.bassin.academie_id)


def can_run_matching(user: AnyUser, hub: PlacementHub) -> bool:
    """The engine works on the pôle's pupils: its members only."""
    return is_pole_of(user, hub.bassin_id)


def can_manage_hub(user: AnyUser, hub: PlacementHub) -> bool:
    """The pôle's settings (address, thresholds): no pupil data, so its whole territory."""
    reach = get_reach(user)
    return reach.national or is_hub_of(
        user, bassin_id=hub.bassin_id, academie_id=hub.bassin.academie_id
    )


def can_manage_some_hub(user: AnyUser) -> bool:
    """Whether the pôles' settings page has something for the user to change."""
    reach = get_reach(user)
    return bool(reach.national or reach.bassin_ids or reach.managed_academie_ids)


def can_see_hub_pages(user: AnyUser) -> bool:
    """The queue and the engine (pupils' names): the pôles' members."""
    return bool(get_reach(user).hub_bassin_ids)


def can_view_indicators(user: AnyUser) -> bool:
    reach = get_reach(user)
    return bool(
        reach.national or reach.managed_academie_ids or reach.bassin_ids or reach.establishment_ids
    )
