"""The dashboard's queues of a user, one per role (a school per school), in the order of
their memberships: the queues themselves are in ``queues.py`` and ``queue_bassin.py``."""

from __future__ import annotations

from relais.core import clock
from relais.pathways.selectors import school_parcours
from relais.pupils.years import roster_year_of
from relais.users.enums import Role

from .queue_bassin import referent_queue
from .queues import (
    Queue,
    hub_queue,
    organisation_queue,
    school_queue,
    team_queue,
    volunteer_queue,
)


def role_queues(user, memberships) -> list[Queue]:
    """The queues of the user's roles, one per role (a school per school)."""
    queues: list[Queue] = []
    done: set[str] = set()
    referent_bassins = frozenset(m.bassin_id for m in memberships if m.role == Role.BASSIN_REFERENT)
    for membership in memberships:
        role = membership.role
        title = f"{membership.get_role_display()} — {membership.scope_label}"
        if role in (Role.NATIONAL_ADMIN, Role.ACADEMIE_TEAM) and "team" not in done:
            done.add("team")
            queues.append(team_queue(user, title=title))
        elif role == Role.BASSIN_REFERENT and "referent" not in done:
            done.add("referent")
            queues.append(referent_queue(user, referent_bassins, title=title))
        elif role == Role.HUB_MEMBER and "hub" not in done:
            done.add("hub")
            queues.append(hub_queue(user, title=title))
        elif role in (Role.HEAD_OF_SCHOOL, Role.TEACHER):
            school = membership.establishment
            if f"school:{school.pk}" in done:
                continue
            done.add(f"school:{school.pk}")
            _, missing = school_parcours(
                user=user, establishment_id=school.pk, academie_id=school.academie_id,
                school_year=roster_year_of(clock.today()),
            )  # fmt: skip
            queues.append(school_queue(user, school, title=title, parcours_missing=len(missing)))
        elif role == Role.ORGANISATION_REP and "organisation" not in done:
            done.add("organisation")
            queues.append(organisation_queue(user, title=title))
        elif role == Role.VOLUNTEER and "volunteer" not in done:
            done.add("volunteer")
            queues.append(volunteer_queue(user, title=title))
    return queues
