"""Forms that know the user (issue 14): the périmètre, the académie, the pôle and the
engine's dates pre-selected when there is one choice; words that agree; never a page of a
form with no field."""

import datetime
import html
import re

import pytest

from relais.agreements.documents import missing
from relais.agreements.enums import AgreementKind
from tests.agreements.factories import draft_agreement, in_force_agreement
from tests.internships.factories import HubFactory, PeriodFactory
from tests.www.test_agreements import body, post


def _selected(page: str, name: str) -> list[str]:
    """The values of the options selected in the <select name=…> of the page."""
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S)
    assert select, name
    values = re.findall(r'<option value="([^"]*)"[^>]*selected', select.group(0))
    return [value for value in values if value]  # « --------- » is no choice


def test_create_starts_from_the_one_academie_the_team_manages(world, client_for):
    page = body(client_for(world.users["academie_team"]).get("/conventions/nouvelle/"))
    assert _selected(page, "scope") == ["academie"]
    assert _selected(page, "academie") == [str(world.home.pk)]
    assert _selected(page, "academic_region") == [str(world.home.region_id)]


def test_create_lets_the_national_admin_choose(world, client_for):
    page = body(client_for(world.users["national_admin"]).get("/conventions/nouvelle/"))
    assert _selected(page, "scope") == [] and _selected(page, "academie") == []


def test_local_declination_starts_from_the_team_s_academie(world, client_for):
    team = world.users["academie_team"]
    live = in_force_agreement(team, world.home)
    page = body(client_for(team).get(f"/conventions/{live.pk}/decliner/"))
    assert _selected(page, "scope") == ["academie"]
    assert _selected(page, "academie") == [str(world.home.pk)]


def test_adding_a_party_is_said_in_french(world, client_for):
    team = world.users["academie_team"]
    draft = draft_agreement(team, world.home)
    client = client_for(team)
    url = f"/conventions/{draft.pk}/parties/ajouter/"
    assert f"Ajouter une partie — {draft.number}" in body(client.get(url))
    assert f"Ajouter un signataire — {draft.number}" in body(
        client.get(f"/conventions/{draft.pk}/signataires/ajouter/")
    )
    response = client.post(url, {"name": "Chambre de métiers", "side": "economique"}, follow=True)
    page = body(response)
    assert "Partie enregistrée." in page and "(e)" not in page


def test_no_page_of_template_fields_without_a_field(world, client_for):
    """A generic convention's missing fields come from its parties: the detail says where,
    and the page of the model's fields sends back instead of showing an empty form."""
    team = world.users["academie_team"]
    draft = draft_agreement(team, world.home, partners=0)
    draft.parties.all().delete()
    labels = dict(missing(draft))
    assert labels, "the draft without parties misses its parties"
    assert all(not re.fullmatch(r"[a-z_]+", label) for label in labels.values()), labels
    client = client_for(team)
    page = body(client.get(f"/conventions/{draft.pk}/"))
    assert "Champs du modèle à compléter avant de générer le document" in page
    assert "Compléter les champs du modèle" not in page
    assert 'href="#parties"' in page
    response = client.get(f"/conventions/{draft.pk}/champs/", follow=True)
    assert response.redirect_chain == [(f"/conventions/{draft.pk}/", 302)]
    assert "Aucun champ du modèle n'est à compléter ici" in body(response)


def test_cee_template_fields_are_offered(world, client_for):
    team = world.users["academie_team"]
    cee = draft_agreement(team, world.home, kind=AgreementKind.CEE, title="CEE")
    page = body(client_for(team).get(f"/conventions/{cee.pk}/"))
    assert "Compléter les champs du modèle" in page


@pytest.fixture
def hub(world):
    return HubFactory(bassin=world.bassin)


def test_engine_dates_come_from_the_bassin_s_periods(world, hub, client_for, time_machine):
    time_machine.move_to(datetime.datetime(2026, 1, 5, 9, 0))
    PeriodFactory(
        establishment=world.school, start=datetime.date(2026, 2, 2), end=datetime.date(2026, 2, 6)
    )
    PeriodFactory(
        establishment=world.school, start=datetime.date(2026, 6, 8), end=datetime.date(2026, 6, 19)
    )
    # Over, and in another bassin: not counted.
    PeriodFactory(
        establishment=world.school, start=datetime.date(2025, 12, 1), end=datetime.date(2025, 12, 5)
    )
    PeriodFactory(
        establishment=world.school2, start=datetime.date(2026, 1, 12), end=datetime.date(2026, 9, 4)
    )
    page = html.unescape(
        client_for(world.users["hub_member"]).get("/stages/calculs/").content.decode()
    )
    assert _selected(page, "hub") == [str(hub.pk)]
    assert re.search(r'name="window_start"[^>]*value="2026-02-02"', page)
    assert re.search(r'name="window_end"[^>]*value="2026-06-19"', page)


def test_engine_dates_empty_without_a_period(world, hub, client_for):
    page = client_for(world.users["hub_member"]).get("/stages/calculs/").content.decode()
    assert not re.search(r'name="window_start"[^>]*value=', page)


def test_posted_dates_are_kept(world, hub, client_for):
    PeriodFactory(establishment=world.school)
    response = client_for(world.users["hub_member"]).post(
        "/stages/calculs/",
        {"hub": hub.pk, "window_start": "2026-03-02", "window_end": "2026-03-01"},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert re.search(r'name="window_start"[^>]*value="2026-03-02"', page)
    assert "La fin précède le début." in page


def test_the_team_creates_from_the_preselected_academie(world, client_for):
    """The team's create form posts with the pre-selected académie as is."""
    client = client_for(world.users["academie_team"])
    post(
        client,
        "/conventions/nouvelle/",
        {"title": "Partenariat", "kind": "cadre", "scope": "academie", "academie": world.home.pk},
    )


def test_a_pole_member_posts_an_offer_for_their_pole(world, hub, client_for):
    page = client_for(world.users["hub_member"]).get("/stages/offres/nouvelle/").content.decode()
    assert _selected(page, "bassin") == [str(world.bassin.pk)]
    page = client_for(world.users["academie_team"]).get("/stages/offres/nouvelle/").content.decode()
    assert _selected(page, "bassin") == []
