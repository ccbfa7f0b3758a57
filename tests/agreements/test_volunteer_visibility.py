"""A volunteer reads only the conventions they act under (issue 14): the CEE convention of
their designation, none of their académie's; the other roles keep theirs."""

import pytest

from relais.agreements import selectors
from relais.agreements.selectors import agreements_visible_to
from relais.users.enums import Role
from relais.volunteers.enums import APPOINTED_STATES, AdvisorState
from tests.agreements.factories import in_force_agreement
from tests.factories import MembershipFactory
from tests.volunteers.factories import AdvisorFactory


@pytest.fixture
def conventions(world):
    team = world.users["academie_team"]
    academic = in_force_agreement(team, world.home, partner=world.company)
    volunteer = world.users["volunteer"]
    # Designated under a CEE convention of the home académie with the account's e-mail
    # (case differs: the match ignores it).
    mine = AdvisorFactory(
        designated=True, academie=world.home, email=volunteer.email.upper()
    ).agreement
    # Someone else's CEE convention, and the volunteer's own proposal still undecided.
    other = AdvisorFactory(designated=True, academie=world.home).agreement
    proposed = AdvisorFactory(academie=world.home, email=volunteer.email).agreement
    assert proposed is not None
    return academic, mine, other, proposed


def _visible(user, agreements):
    ids = set(agreements_visible_to(user).values_list("pk", flat=True))
    return {a.pk for a in agreements} & ids


def test_advisor_states_mirror_the_volunteers_app():
    assert set(selectors.ADVISOR_APPOINTED_STATES) == {str(s) for s in APPOINTED_STATES}


def test_volunteer_sees_only_their_cee_convention(world, conventions):
    academic, mine, other, proposed = conventions
    assert _visible(world.users["volunteer"], conventions) == {mine.pk}


def test_volunteer_ended_or_refused_sees_none(world, conventions):
    academic, mine, other, proposed = conventions
    mine.advisors.update(state=AdvisorState.REFUSED, refusal_reason="Non retenu")
    assert _visible(world.users["volunteer"], conventions) == set()


def test_volunteer_with_another_role_keeps_that_role_s_conventions(world, conventions):
    academic, mine, other, proposed = conventions
    volunteer = world.users["volunteer"]
    MembershipFactory(user=volunteer, role=Role.TEACHER, establishment=world.school)
    volunteer = type(volunteer).objects.get(pk=volunteer.pk)
    # A teacher reads the académie's conventions, CEE ones included.
    assert _visible(volunteer, conventions) == {a.pk for a in conventions}


@pytest.mark.parametrize(
    ("role", "sees_academic", "sees_cee"),
    [
        ("national_admin", True, True),
        ("academie_team", True, True),
        ("bassin_referent", True, True),
        ("hub_member", True, True),
        ("head_of_school", True, True),
        ("teacher", True, True),
        ("organisation_rep", True, False),
        ("no_membership", False, False),
    ],
)
def test_other_roles_unchanged(world, conventions, role, sees_academic, sees_cee):
    academic, mine, other, proposed = conventions
    visible = _visible(world.users[role], conventions)
    assert (academic.pk in visible) is sees_academic
    assert ({mine.pk, other.pk} <= visible) is sees_cee
