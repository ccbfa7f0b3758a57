"""API of the pôles de stages and of their runs (issue 12): the policy each pôle chose, its
kind and sectors; the runs' policy, achievable range, changes and advice — figures only."""

import datetime

import pytest

from relais.internships import services
from relais.internships.services.matching import run_create
from tests.internships.factories import (
    WEEK,
    HubFactory,
    RomeCodeFactory,
    published_offer,
    referred_case,
)

from .conftest import ROLES, token_client

HUBS = "/api/v1/stages/poles/"
RUNS = "/api/v1/stages/calculs/"


@pytest.fixture
def poles(world, users):
    RomeCodeFactory(code="H2201")
    hub = HubFactory(bassin=world.bassin_a1, name="Pôle Alpha")
    other = HubFactory(bassin=world.bassin_b, name="Pôle Beta")
    sector = services.hub_create_sector(
        user=users["bassin_referent"],
        bassin=world.bassin_a1,
        data={"name": "Pôle du bâtiment", "sectors": ["F"]},
    )
    services.hub_update(user=users["bassin_referent"], hub=hub, data={"policy": "strict"})
    return hub, other, sector


def _run(world, users, hub):
    for _ in range(2):
        referred_case(world.school_a1, users["teacher"])
    published_offer(world.bassin_a1, world.company_a, capacity=1)
    return run_create(
        user=users["hub_member"],
        hub=hub,
        window_start=WEEK,
        window_end=WEEK + datetime.timedelta(days=6),
    )


def test_the_poles_with_their_kind_sectors_and_policy(users, poles):
    hub, other, sector = poles
    rows = token_client(users["hub_member"]).get(HUBS).json()["results"]
    assert [(r["name"], r["kind"], r["sectors"], r["policy"]) for r in rows] == [
        ("Pôle Alpha", "bassin", [], "strict"),
        ("Pôle du bâtiment", "filiere", ["F"], "parity"),
    ]
    assert rows[0]["bassin"] == "BA1"
    client = token_client(users["hub_member"])
    assert client.get(f"{HUBS}{other.pk}/").status_code == 404
    assert client.get(f"{HUBS}{sector.pk}/").json()["sectors"] == ["F"]


def test_the_runs_give_the_policy_the_range_the_changes_and_the_advice(world, users, poles):
    hub, _, _ = poles
    run = _run(world, users, hub)
    data = token_client(users["hub_member"]).get(f"{RUNS}{run.pk}/").json()
    assert data["policy"] == "strict" and data["hub"] == hub.pk
    assert (data["pupils"], data["places"], data["bound"], data["placed"]) == (2, 1, 1, 1)
    assert data["fairness"]["range"] == [1, 1] and data["fairness"]["policy"] == "strict"
    assert data["advice"] and "serait placé avec 1 place de plus" in data["advice"][0]["text"]
    assert data["changes"] == {}  # the pôle's first run
    again = run_create(user=users["hub_member"], hub=hub, window_start=WEEK, window_end=WEEK)
    changes = token_client(users["hub_member"]).get(f"{RUNS}{again.pk}/").json()["changes"]
    assert changes["kept"] == 1 and changes == again.stats["changes"]
    assert "suggestions" not in data
    # A pôle's runs are its members' (the académie team reads its académie-wide runs).
    for role, count in [
        ("hub_member", 2),
        ("academie_team", 0),
        ("teacher", 0),
        ("bassin_referent", 0),
    ]:
        assert token_client(users[role]).get(RUNS).json()["count"] == count, role


@pytest.mark.parametrize("n", [1, 3])
def test_query_counts(world, users, poles, django_assert_num_queries, n):
    hub, _, _ = poles
    for _ in range(n):
        _run(world, users, hub)
    client = token_client(users["hub_member"])
    # token, reach, count, page
    with django_assert_num_queries(4):
        assert client.get(HUBS).status_code == 200
    with django_assert_num_queries(4):
        assert client.get(RUNS).json()["count"] == n


HUBS_SEEN = {
    "national_admin": 3,
    "academie_team": 2,
    "bassin_referent": 2,
    "hub_member": 2,
    "head_of_school": 2,
    "teacher": 2,
    "organisation_rep": 0,
    "volunteer": 0,
    "no_membership": 0,
}


@pytest.mark.parametrize("role", ROLES)
def test_what_each_role_reads(world, users, poles, role):
    """Pôles: those of the user's bassins and académies (a school: its bassin's); runs: the
    pôle's members only (pupils' names are on the run's page, never in the API)."""
    hub, _, _ = poles
    run = _run(world, users, hub)
    client = token_client(users[role])
    assert client.get(HUBS).json()["count"] == HUBS_SEEN[role]
    runs = client.get(RUNS).json()["count"]
    assert runs == (1 if role == "hub_member" else 0)
    assert client.get(f"{RUNS}{run.pk}/").status_code == (200 if runs else 404)
