"""What the tests of the conventions API share: the addresses, the académie team and the
national administrator, a draft of académie A (the representative's organisation is a party)
and « Lille », in force since 2016 and tacitly renewed. Import the fixtures by name."""

from datetime import date

import pytest

from tests.agreements.factories import draft_agreement, in_force_agreement

LIST = "/api/v1/conventions/"


def detail(agreement, suffix=""):
    return f"{LIST}{agreement.pk}/{suffix}"


@pytest.fixture
def team(users):
    return users["academie_team"]


@pytest.fixture
def admin(users):
    return users["national_admin"]


@pytest.fixture
def draft(world, team):
    """A draft of académie A to which the representative's organisation is a party."""
    return draft_agreement(
        team, world.academie_a, title="Convention Bâtiment Alpha", partner=world.professional_a
    )


@pytest.fixture
def lille(world, team):
    """Signed 2016-03-01 for 60 months, tacitly renewed, 6 months' notice, 3 months to end."""
    fields = {
        "duration_months": 60,
        "tacit_renewal": True,
        "notice_months": 6,
        "termination_months": 3,
    }
    return in_force_agreement(
        team, world.academie_a, signed_on=date(2016, 3, 1), fields=fields, title="Lille"
    )


def ids(response) -> set:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}
