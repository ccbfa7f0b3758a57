"""Who may do what with exam sessions and their jurors. Reading is decided by the selectors.

- the académie team (and the national administration) creates sessions, convokes the jurors
  and records who sat;
- an organisation representative names professionals (or the CEE it proposed) to a session
  of an académie of its territory, and withdraws them before the day;
- the school side reads the sessions of its académie.
"""

from __future__ import annotations

from relais.organisations.models import Organisation
from relais.users.enums import Role
from relais.users.scopes import get_reach, organisation_academie_ids
from relais.users.types import AnyUser

from .models import ExamSession, Juror


def is_team(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)


def can_create_session(user: AnyUser) -> bool:
    return is_team(user)


def manages_session(user: AnyUser, session: ExamSession) -> bool:
    """The académie team of the session's académie, or a national administrator."""
    reach = get_reach(user)
    return reach.national or session.academie_id in reach.managed_academie_ids


def is_representative(user: AnyUser) -> bool:
    reach = get_reach(user)
    return reach.has_role(Role.ORGANISATION_REP) and bool(reach.organisation_ids)


def can_name_for(user: AnyUser, session: ExamSession, organisation: Organisation) -> bool:
    """A representative of ``organisation`` (or of a parent), for a session of its
    territory; the académie team on its behalf."""
    if manages_session(user, session):
        return True
    if organisation.pk not in get_reach(user).organisation_ids:
        return False
    territory = organisation_academie_ids(organisation)
    return territory is None or session.academie_id in territory


def can_name(user: AnyUser, session: ExamSession) -> bool:
    """Show the « Désigner un juré » action: the team, or a representative."""
    return manages_session(user, session) or is_representative(user)


def can_withdraw(user: AnyUser, juror: Juror) -> bool:
    """The organisation that named the juror, or the académie team."""
    return juror.organisation_id in get_reach(user).organisation_ids or manages_session(
        user, juror.session
    )


def can_run(user: AnyUser, juror: Juror) -> bool:
    """Convoke, record presence or absence: the académie team."""
    return manages_session(user, juror.session)
