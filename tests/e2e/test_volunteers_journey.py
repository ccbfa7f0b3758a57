"""A whole réserve citoyenne journey in a real browser, with an axe-core audit of every page:
a teacher finds a reservist near their school and sends a request; the reservist accepts."""

import re

import pytest
from playwright.sync_api import expect

from relais.volunteers.enums import RequestState
from relais.volunteers.models import ReserveRequest
from tests.factories import CommuneFactory

from ..volunteers.factories import ReserveApplicationFactory

pytestmark = pytest.mark.e2e


def test_teacher_finds_a_reservist_who_accepts_the_request(page, axe, log_in, world):
    teacher, volunteer = world.users["teacher"], world.users["volunteer"]
    near = CommuneFactory(name="Castelnau-le-Lez", departement__academie=world.home,
                          latitude=43.633, longitude=3.9)  # fmt: skip
    far = CommuneFactory(name="Millau", departement__academie=world.home,
                         latitude=44.1, longitude=3.08)  # fmt: skip
    reservist = ReserveApplicationFactory(
        academie=world.home, commune=near, validated=True, user=volunteer,
        email=volunteer.email, first_name="Nadia", last_name="Ferrand",
        profession="Cheffe de chantier",
    )  # fmt: skip
    ReserveApplicationFactory(
        academie=world.home, commune=far, validated=True, first_name="Yves", last_name="Lointain"
    )

    log_in(teacher)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("button", name="Bénévoles et conseillers").click()
    menu.get_by_role("link", name="Trouver un réserviste").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver un réserviste")
    axe.check("recherche de réservistes")

    page.get_by_label("Apport").select_option("metier")
    page.get_by_label("Distance de l'établissement").select_option("20")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("status")).to_have_text("1 réserviste")
    results = page.get_by_role("table", name="Réservistes disponibles")
    expect(results).to_contain_text("Nadia Ferrand")
    expect(results).not_to_contain_text("Yves Lointain")
    axe.check("résultats de la recherche")

    results.get_by_role("link", name="Solliciter Nadia Ferrand").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Solliciter Nadia Ferrand")
    axe.check("formulaire de sollicitation")
    page.get_by_role("textbox", name="Objet", exact=True).fill("Les métiers du bâtiment en 4e")
    page.get_by_role("textbox", name=re.compile("^Votre projet")).fill("Classe de 4e B.")
    page.get_by_role("button", name="Envoyer la demande").click()
    expect(page).to_have_url(re.compile(r"/benevoles/reserve/sollicitations/\d+/$"))
    expect(page.get_by_text("Votre demande est envoyée à Nadia Ferrand.")).to_be_visible()
    axe.check("sollicitation envoyée")
    request = ReserveRequest.objects.get(reservist=reservist)
    assert request.state == RequestState.SENT and request.establishment == world.school

    log_in(volunteer)
    page.goto("/benevoles/reserve/sollicitations/")
    axe.check("sollicitations du réserviste")
    page.get_by_role("link", name="Les métiers du bâtiment en 4e").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les métiers du bâtiment en 4e")
    axe.check("sollicitation reçue")
    page.get_by_role("textbox", name=re.compile("^Message")).fill("Avec plaisir.")
    page.get_by_role("button", name="Accepter").click()
    expect(page.get_by_text("Votre réponse est envoyée à l'établissement.")).to_be_visible()
    expect(page.get_by_role("main").locator(".fr-badge")).to_have_text("Acceptée")
    axe.check("sollicitation acceptée")
    request.refresh_from_db()
    assert request.state == RequestState.ACCEPTED and request.answer_note == "Avec plaisir."

    axe.assert_clean()
