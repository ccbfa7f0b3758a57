"""The figures of the pôles de stages' home (``selectors.home_figures``): counted in SQL in one
pass over the open cases (each case's pôle joined once) and from the sent proposals by joins.
Pinned here for every role against the same figures counted in Python over the cases the role
counts, with the bounds that matter: a pôle's own threshold, a case without a pôle (default
threshold), a closed case whose proposal is still unanswered, a proposal addressed to an
organisation about a pupil it does not otherwise reach; and the home's constant query count."""

import datetime

import pytest
from django.utils import timezone

from relais.internships import services
from relais.internships.enums import CaseState, ProposalState
from relais.internships.models import DEFAULT_ALERT_DAYS, PlacementCase, Proposal
from relais.internships.selectors import (
    cases_counted_for,
    cases_visible_to,
    home_figures,
    proposals_visible_to,
)
from relais.users.enums import Role
from tests.factories import make_user
from tests.internships.factories import HubFactory, published_offer, referred_case

DAY = datetime.timedelta(days=1)
MINUTE = datetime.timedelta(minutes=1)


def _update(case, **fields):
    PlacementCase.objects.filter(pk=case.pk).update(**fields)


def _send(world, case, host, *, by=None):
    offer = published_offer(case.pupil.establishment.bassin, host)
    by = by or world.users["hub_member"]
    return services.proposal_send(user=by, case=case, slot=offer.slots.get())


@pytest.fixture
def now(world, hub):
    """Cases of the school (bassin of the pôle, threshold 5 days) and of the neighbouring
    school, some waiting too long, some closed, and proposals without an answer."""
    hub.alert_after_days = 5
    hub.save()
    teacher = world.users["teacher"]
    now = timezone.now()
    # Referred to the pôle: one day past its threshold, on it, not waiting long.
    late = referred_case(world.school, teacher)
    _update(late, opened_at=now - (5 + 1) * DAY - MINUTE)
    on_time = referred_case(world.school, teacher)
    _update(on_time, opened_at=now - 5 * DAY)
    answered_soon = referred_case(world.school, teacher)
    _send(world, answered_soon, world.company)
    # Closed, its proposal still unanswered (a figure of its proposals, not of open cases).
    closed = referred_case(world.school, teacher)
    _send(world, closed, world.company)
    _update(closed, state=CaseState.WITHDRAWN, closed_at=now)
    # Still at the school, without a pôle: the default threshold.
    for days in (DEFAULT_ALERT_DAYS + 1, DEFAULT_ALERT_DAYS):
        school_only = referred_case(world.school, teacher)
        _update(
            school_only, state=CaseState.HELPED_BY_TEAM, referred_at=None, hub=None,
            opened_at=now - days * DAY - MINUTE,
        )  # fmt: skip
    # The neighbouring bassin's school: a proposal to the organisation of the world's
    # representative, about a pupil none of the bassin's roles reaches.
    HubFactory(bassin=world.bassin2)
    elsewhere = referred_case(world.school2, make_user(Role.TEACHER, world.school2))
    _send(world, elsewhere, world.company, by=make_user(Role.HUB_MEMBER, world.bassin2))
    return now


def _in_python(user, now) -> dict:
    counted = list(cases_counted_for(user=user).select_related("hub"))
    still_open = [case for case in counted if case.closed_at is None]
    ids = {case.pk for case in counted}
    visible = set(proposals_visible_to(user=user).values_list("pk", flat=True))
    sent = Proposal.objects.filter(state=ProposalState.SENT)
    return {
        "open_cases": len(still_open),
        "flagged": sum(case.is_flagged(now) for case in still_open),
        "referred": sum(case.state == CaseState.REFERRED for case in still_open),
        "proposals": sum(p.case_id in ids or p.pk in visible for p in sent),
    }


ROLES = [
    "national_admin",
    "academie_team",
    "bassin_referent",
    "hub_member",
    "head_of_school",
    "teacher",
    "organisation_rep",
    "volunteer",
    "no_membership",
]


@pytest.mark.parametrize("role", ROLES)
def test_home_figures_are_those_of_the_counted_cases(world, now, role):
    user = world.users[role]
    assert home_figures(user=user, now=now) == _in_python(user, now)


def test_the_figures_are_not_empty(world, now):
    """The case above is not trivial: each figure moves for someone."""
    team = home_figures(user=world.users["academie_team"], now=now)
    assert team == {"open_cases": 4, "flagged": 1, "referred": 2, "proposals": 3}
    school = home_figures(user=world.users["teacher"], now=now)
    assert school == {"open_cases": 5, "flagged": 2, "referred": 2, "proposals": 2}
    company = home_figures(user=world.users["organisation_rep"], now=now)
    assert company == {"open_cases": 0, "flagged": 0, "referred": 0, "proposals": 3}


@pytest.mark.parametrize("role", ROLES)
def test_the_cases_a_role_sees_are_among_those_it_counts(world, now, role):
    """What ``home_figures`` counts the proposals of (``_counted_condition``) covers the
    cases the user may open (``cases_visible_to``), whose proposals the user sees."""
    user = world.users[role]
    visible = set(cases_visible_to(user=user).values_list("pk", flat=True))
    assert visible <= set(cases_counted_for(user=user).values_list("pk", flat=True))


@pytest.mark.parametrize("n", [1, 6])
@pytest.mark.parametrize(
    "role", ["academie_team", "bassin_referent", "hub_member", "teacher", "organisation_rep"]
)
def test_home_query_count_does_not_grow(world, hub, client_for, django_assert_num_queries, role, n):
    teacher = world.users["teacher"]
    for _ in range(n):
        _send(world, referred_case(world.school, teacher), world.company)
    client = client_for(world.users[role])
    # Session, user, memberships; the open cases' figures; the proposals; the offers.
    with django_assert_num_queries(6):
        response = client.get("/stages/")
    assert response.status_code == 200
