"""Who may do what in the training app. Reading is decided by the selectors.

Sections (CPME Île-de-France, art. 2.5):
- the académie team (and the national administration) keeps the inventory and prepares,
  submits and decides the changes of its académie;
- a representative of a consulted organisation gives its opinion before the deadline;
- a representative (or the team) reports a métier en tension.

Young allophone newcomers (art. 2.2):
- only the CASNAV staff of the académie (``CasnavStaff``) uploads, shares and reads every
  CV of its académie; the académie team names the CASNAV staff and reads figures only;
- a company reads the CVs shared with an organisation it is a member of, and answers.
"""

from __future__ import annotations

from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from .models import CasnavStaff, Newcomer, NewcomerAnswer, SectionChange, SectionOpinion


def is_team(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)


def manages_academie(user: AnyUser, academie_id: int) -> bool:
    reach = get_reach(user)
    return reach.national or academie_id in reach.managed_academie_ids


def manages_change(user: AnyUser, change: SectionChange) -> bool:
    return manages_academie(user, change.academie_id)


def is_representative(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.has_role(Role.ORGANISATION_REP) and bool(reach.organisation_ids)


def may_give_opinion(user: AnyUser, opinion: SectionOpinion) -> bool:
    """A representative of the consulted organisation (or of one above it)."""
    return opinion.organisation_id in get_reach(user).organisation_ids


def can_report_shortage(user: AnyUser) -> bool:
    return is_team(user) or is_representative(user)


# -- young allophone newcomers ------------------------------------------------------------


def casnav_academie_ids(user: AnyUser) -> frozenset[int]:
    """The académies whose CASNAV the user belongs to (cached on the user for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_relais_casnav", None)
    if cached is None:
        cached = frozenset(
            CasnavStaff.objects.filter(user_id=user.pk).values_list("academie_id", flat=True)
        )
        setattr(user, "_relais_casnav", cached)  # noqa: B010 - a per-request cache
    return cached


def is_casnav(user: AnyUser) -> bool:
    return bool(casnav_academie_ids(user))


def is_casnav_of(user: AnyUser, newcomer: Newcomer) -> bool:
    return newcomer.academie_id in casnav_academie_ids(user)


def can_name_casnav(user: AnyUser) -> bool:
    return is_team(user)


def company_ids(user: AnyUser) -> set[int]:
    """The organisations the user represents (their memberships, not the subtree below),
    cached on the user for the request."""
    if user is None or not user.is_authenticated:
        return set()
    cached: frozenset[int] | None = getattr(user, "_relais_represented", None)
    if cached is None:
        cached = frozenset(
            user.memberships.filter(role=Role.ORGANISATION_REP).values_list(
                "organisation_id", flat=True
            )
        )
        setattr(user, "_relais_represented", cached)  # noqa: B010 - a per-request cache
    return set(cached)


def member_of(company: Organisation, organisation_id: int) -> bool:
    """``company`` is ``organisation`` or one of its members, three levels down."""
    node: Organisation | None = company
    for _level in range(4):
        if node is None:
            return False
        if node.pk == organisation_id:
            return True
        node = node.parent
    return False


def may_answer_for(user: AnyUser, answer: NewcomerAnswer) -> bool:
    """The company that answered moves its answer on."""
    return answer.company_id in get_reach(user).organisation_ids


def may_close_answer(user: AnyUser, answer: NewcomerAnswer) -> bool:
    """The company, or the CASNAV that follows the young person, closes an answer."""
    return may_answer_for(user, answer) or answer.newcomer.academie_id in casnav_academie_ids(user)
