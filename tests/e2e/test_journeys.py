"""Whole user journeys in a real browser, with an axe-core audit of every page visited."""

import re

import pytest
from playwright.sync_api import expect

from relais.organisations.models import Organisation
from tests.factories import TEST_PASSWORD, CommuneFactory, valid_siret

from .conftest import assert_dsfr_loaded, screenshot

pytestmark = pytest.mark.e2e


def test_academie_team_logs_in_and_finds_a_school_without_typing_accents(
    page, axe, live_server, world
):
    user = world.users["academie_team"]
    school = world.school

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/connexion/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion à Relais")
    assert_dsfr_loaded(page)
    axe.check("connexion")

    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(f"{live_server.url}/")  # the dashboard
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {user.first_name}")
    # The work queue first, then the académie's figures (issue 14).
    expect(page.get_by_role("heading", name=re.compile("^À faire — .*Maison"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Équipe.*Maison"))).to_be_visible()
    screenshot(page, "dashboard")
    axe.check("tableau de bord")

    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Établissements"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Établissements")
    axe.check("établissements")

    page.get_by_role("searchbox", name="Rechercher").fill("etienne")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"[?&]q=etienne"))
    expect(page.get_by_role("status")).to_have_text("1 établissement")
    results = page.get_by_role("table", name="Liste des établissements")
    expect(results.get_by_role("link", name="Collège Étienne Dolet")).to_be_visible()
    expect(results.get_by_role("link", name="Collège Voisin")).to_have_count(0)
    axe.check("établissements, recherche « etienne »")

    results.get_by_role("link", name="Collège Étienne Dolet").click()
    expect(page).to_have_url(re.compile(rf"/etablissements/{school.uai}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Collège Étienne Dolet")
    main = page.get_by_role("main")
    expect(main.locator("dt", has_text="UAI").locator("+ dd")).to_have_text(school.uai)
    expect(main.locator("dt", has_text="Bassin de formation").locator("+ dd")).to_have_text(
        "BASSIN UN"
    )
    expect(main.locator(".fr-badge", has_text="REP+")).to_be_visible()
    assert_dsfr_loaded(page)
    screenshot(page, "establishment")
    axe.check("fiche établissement")

    axe.assert_clean()


def test_hub_member_creates_a_company_after_fixing_its_siret(page, axe, log_in, world):
    commune = CommuneFactory(
        name="Castelnau-le-Lez",
        postal_code="34170",
        insee_code="34057",
        departement__academie=world.home,
        search_text="castelnau le lez 34170",
    )
    siret = valid_siret(123456789)
    log_in(world.users["hub_member"])

    page.goto("/organisations/")
    axe.check("organisations")
    page.get_by_role("link", name="Ajouter une organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle organisation")
    axe.check("formulaire d'organisation")

    name = page.get_by_role("textbox", name="Nom", exact=True)
    address = page.get_by_role("textbox", name=re.compile("^Adresse"))
    commune_input = page.get_by_role("combobox", name=re.compile("^Commune"))
    siret_input = page.get_by_role("textbox", name=re.compile("^SIRET"))
    name.fill("Menuiserie Étoile")
    address.fill("3 rue des Pins")
    commune_input.press_sequentially("castel")
    suggestion = page.locator("#communes-suggestions option[value='Castelnau-le-Lez (34170)']")
    expect(suggestion).to_be_attached()  # htmx filled the datalist
    commune_input.fill("Castelnau-le-Lez (34170)")
    siret_input.fill("123 456 789 01234")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    expect(siret_input).to_have_attribute("aria-invalid", "true")
    siret_group = page.locator(".fr-input-group--error", has=siret_input)
    expect(siret_group.locator("#id_siret-desc-error")).to_contain_text("clé de contrôle fausse")
    expect(siret_input).to_have_accessible_description(re.compile("clé de contrôle fausse"))
    expect(name).to_have_value("Menuiserie Étoile")
    expect(address).to_have_value("3 rue des Pins")
    expect(commune_input).to_have_value("Castelnau-le-Lez (34170)")
    expect(siret_input).to_have_value("123 456 789 01234")
    assert not Organisation.objects.filter(name="Menuiserie Étoile").exists()
    axe.check("formulaire d'organisation en erreur")

    siret_input.fill(f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(re.compile(r"/organisations/\d+/$"))
    organisation = Organisation.objects.get(name="Menuiserie Étoile")
    assert page.url.endswith(f"/organisations/{organisation.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Menuiserie Étoile")
    expect(page.get_by_text("L'organisation « Menuiserie Étoile » a été créée.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(siret)
    expect(page.get_by_role("main")).to_contain_text("34170 Castelnau-le-Lez")
    assert organisation.siret == siret and organisation.commune == commune
    axe.check("fiche de la nouvelle organisation")

    axe.assert_clean()
