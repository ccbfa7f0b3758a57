"""The pôles' pages (issue 12): creating a pôle de filière, choosing the fairness policy, the
list that shows both; the run page naming the pôles a run brings together."""

import datetime

import pytest

from relais.internships.models import PlacementHub
from tests.internships.factories import (
    WEEK,
    HubFactory,
    RomeCodeFactory,
    published_offer,
    referred_case,
)


@pytest.fixture
def hub(world):
    RomeCodeFactory(code="H2201")
    return HubFactory(bassin=world.bassin)


def test_the_referent_creates_a_sector_pole(world, hub, client_for):
    client = client_for(world.users["bassin_referent"])
    form = client.get("/stages/poles/nouveau/").content.decode()
    assert "Créer un pôle de filière" in form and "F — Construction" in form
    response = client.post(
        "/stages/poles/nouveau/",
        {
            "bassin": world.bassin.pk,
            "name": "Pôle du bâtiment",
            "sectors": ["F"],
            "email": "",
            "alert_after_days": 15,
            "answer_days": 7,
            "policy": "parity",
        },
    )
    assert response.status_code == 302
    sector = PlacementHub.objects.get(name="Pôle du bâtiment")
    assert (sector.kind, sector.sectors, sector.bassin) == ("filiere", ["F"], world.bassin)
    page = client.get("/stages/poles/").content.decode()
    assert "Pôle de filière économique" in page and "F — Construction" in page


def test_a_sector_pole_without_sector_is_refused_in_french(world, hub, client_for):
    response = client_for(world.users["academie_team"]).post(
        "/stages/poles/nouveau/",
        {"bassin": world.bassin.pk, "name": "Pôle", "alert_after_days": 15, "answer_days": 7,
         "policy": "parity"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not PlacementHub.objects.filter(kind="filiere").exists()


def test_a_bassin_outside_the_users_reach_is_not_offered(world, hub, client_for):
    response = client_for(world.users["bassin_referent"]).post(
        "/stages/poles/nouveau/",
        {"bassin": world.bassin2.pk, "name": "Pôle", "sectors": ["F"], "alert_after_days": 15,
         "answer_days": 7, "policy": "parity"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not PlacementHub.objects.filter(kind="filiere").exists()


def test_the_pole_chooses_its_policy_and_the_run_form_uses_it(world, hub, client_for):
    referent = client_for(world.users["bassin_referent"])
    edit = referent.get(f"/stages/poles/{hub.pk}/modifier/").content.decode()
    assert "Règle d&#x27;équité" in edit and "Filières" not in edit
    referent.post(
        f"/stages/poles/{hub.pk}/modifier/",
        {"name": hub.name, "email": "", "alert_after_days": 15, "answer_days": 7,
         "policy": "strict"},
    )  # fmt: skip
    hub.refresh_from_db()
    assert hub.policy == "strict"
    referred_case(world.school, world.users["teacher"])
    published_offer(world.bassin, world.company, capacity=1)
    client = client_for(world.users["hub_member"])
    window = {
        "hub": hub.pk,
        "window_start": WEEK.isoformat(),
        "window_end": (WEEK + datetime.timedelta(days=6)).isoformat(),
    }
    response = client.post("/stages/calculs/", window)
    page = client.get(response["Location"]).content.decode()
    assert "Équité : priorité stricte" in page


@pytest.mark.parametrize("n", [1, 6])
def test_the_create_page_query_count(world, hub, client_for, django_assert_num_queries, n):
    from tests.factories import BassinFactory

    for _ in range(n):
        BassinFactory(academie=world.home)
    client = client_for(world.users["academie_team"])
    # session, user, memberships, then the bassins offered
    with django_assert_num_queries(4):
        assert client.get("/stages/poles/nouveau/").status_code == 200
