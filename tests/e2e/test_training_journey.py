"""Young allophone newcomers, end to end in a real browser (issue 15, item 6), axe-core clean
at 1280 and 375 px: the CASNAV uploads a CV with the consent recorded and shares it with the
organisation committed to circulate it; a member company reads it, says its interest,
promises an apprenticeship in writing and records the contract signed; the convention's
« CASNAV » commitment counts it (under 11 hidden). On the way, axe-core audits the training
offer's pages (inventory, a change under concertation, métiers en tension)."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from relais.training import services
from relais.training.models import Newcomer, NewcomerAnswer
from relais.users.enums import Role
from tests.documents.pdfs import tiny_pdf
from tests.factories import make_user
from tests.training.factories import casnav_member, convention_in_force, section

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


def test_casnav_uploads_shares_company_promises_outcome_counted(page, axe, log_in, world, tmp_path):
    world.company.parent = world.regional
    world.company.save()
    convention_in_force(world.home, world.regional, casnav=10)
    casnav = casnav_member(make_user(email="casnav@academie.example"), world.home)
    cv = tmp_path / "cv-amadou.pdf"
    cv.write_bytes(tiny_pdf("CV d'Amadou"))

    page.set_viewport_size(DESKTOP)
    log_in(casnav)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("button", name="Bénévoles et conseillers").click()
    menu.get_by_role("link", name="Jeunes allophones (CASNAV)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Jeunes allophones"))
    axe.check("CASNAV : liste vide")
    page.get_by_role("link", name="Déposer un CV").first.click()
    page.get_by_label("Prénom").fill("Amadou")
    page.get_by_label("Initiale du nom").fill("D")
    page.get_by_label("Année de naissance").fill("2007")
    page.get_by_label("Langues parlées").fill("peul, anglais")
    page.get_by_label("Niveau de français").select_option("A2")
    page.get_by_label("Secteur recherché").select_option("G")
    page.get_by_label("CV et lettre de motivation").set_input_files(str(cv))
    page.get_by_text("Le jeune (majeur)").click()
    page.get_by_label("Nom de la personne qui consent").fill("Amadou D.")
    page.get_by_text(re.compile("Le texte de consentement")).click()
    axe.check("déposer un CV")
    page.get_by_role("button", name="Enregistrer le CV et le consentement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Amadou D.")
    expect(page.get_by_text(re.compile("texte version 2026-1"))).to_be_visible()
    page.get_by_label("Organisation engagée").select_option(str(world.regional.pk))
    page.get_by_role("button", name="Partager avec cette organisation").click()
    expect(page.get_by_text(re.compile("CV partagé avec Union régionale"))).to_be_visible()
    axe.check("CV partagé")
    young = Newcomer.objects.get()

    log_in(world.users["organisation_rep"])
    page.goto("/formations/jeunes-allophones/")
    page.get_by_role("link", name="Amadou D.").click()
    page.get_by_role("button", name="Dire l'intérêt de l'entreprise").click()
    expect(page.get_by_text("Votre intérêt est transmis au CASNAV.")).to_be_visible()
    axe.check("entreprise intéressée")
    page.get_by_label("Contrat promis").select_option("apprentissage")
    page.get_by_role("button", name="Remettre une promesse écrite").click()
    answers = page.get_by_role("table", name="Réponses et suite donnée")
    expect(answers).to_contain_text("Promesse écrite")
    page.get_by_role("button", name="Enregistrer le contrat signé").click()
    expect(answers).to_contain_text("Contrat signé")
    page.set_viewport_size(MOBILE)
    page.reload()
    axe.check("contrat signé (375 px)")
    assert NewcomerAnswer.objects.get(newcomer=young).state == "contrat"

    log_in(casnav)
    page.goto(young.get_absolute_url())
    expect(page.get_by_role("table", name="Réponses et suite donnée")).to_contain_text(
        "Contrat d'apprentissage"
    )
    axe.check("le CASNAV suit la réponse (375 px)")

    log_in(make_user(Role.ORGANISATION_REP, world.regional))
    for width in (DESKTOP, MOBILE):
        page.set_viewport_size(width)
        page.goto("/formations/jeunes-allophones/engagements/")
        expect(page.get_by_role("table")).to_contain_text("< 11")
        axe.check(f"engagements « CASNAV » ({width['width']} px)")

    # The training offer's pages (item 5), audited on the way.
    team = world.users["academie_team"]
    change = services.change_create(
        user=team, kind="fermeture", section=section(world.school),
        data={"reason": "Plus de candidats.", "effective_on": date(2027, 9, 1)},
    )  # fmt: skip
    services.change_submit(user=team, change=change)
    log_in(team)
    for width in (DESKTOP, MOBILE):
        page.set_viewport_size(width)
        for url, label in [
            ("/formations/", "inventaire des sections"),
            (change.get_absolute_url(), "évolution en concertation"),
            ("/formations/metiers-en-tension/signaler/", "signaler un métier en tension"),
        ]:
            page.goto(url)
            axe.check(f"{label} ({width['width']} px)")
    axe.assert_clean()
