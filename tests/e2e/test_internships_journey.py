"""A whole journey of the pôles de stages in a real browser, with axe-core on every page: a
school opens the case of a pupil of its roster and refers them; the pôle runs the engine and
sends a proposal; the company accepts through its signed link, without an account; the school
confirms and gets the convention PDF.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from relais.core.clock import today
from relais.documents.rendering import pdf_text
from relais.internships import services
from relais.internships.models import Proposal
from relais.pupils.years import roster_year_of
from tests.internships.factories import (
    HubFactory,
    PeriodFactory,
    RomeCodeFactory,
    published_offer,
)
from tests.pupils.factories import PupilFactory

pytestmark = pytest.mark.e2e


def test_refer_run_propose_accept_and_print_the_convention(page, axe, log_in, world):
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin, email="pole@exemple.fr")
    offer = published_offer(world.bassin, world.company, capacity=1)
    teacher, member = world.users["teacher"], world.users["hub_member"]
    pupil = PupilFactory(
        establishment=world.school,
        first_name="Lina",
        last_name="Démo",
        school_year=roster_year_of(today()),
    )
    period = PeriodFactory(establishment=world.school)

    # The school: opens the pupil's case from the roster, the teaching team helps, then the
    # school refers the pupil to the pôle.
    log_in(teacher)
    page.goto("/stages/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pôles de stages")
    axe.check("accueil des pôles (établissement)")
    page.goto("/eleves/")
    axe.check("élèves")
    page.get_by_role("link", name="Démo Lina").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lina Démo")
    axe.check("fiche de l'élève")
    page.get_by_role("link", name="Ouvrir un dossier de recherche de stage").click()
    axe.check("ouvrir un dossier")
    page.get_by_label("Période de stage").select_option(str(period.pk))
    page.get_by_label("Vœux (familles de métiers ROME)").fill("H22")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le dossier de recherche de stage est ouvert.")).to_be_visible()
    case = pupil.cases.get()
    axe.check("dossier (recherche seul)")
    page.get_by_role("button", name="Confier à l'équipe pédagogique").click()
    expect(
        page.get_by_text("Le dossier passe à l'étape « Aidé par l'équipe pédagogique »")
    ).to_be_visible()
    page.get_by_label("Note jointe à « Orienter vers le pôle de stages » (facultative)").fill(
        "Trois refus de boulangeries"
    )
    page.get_by_role("button", name="Orienter vers le pôle de stages").click()
    expect(page.get_by_role("main")).to_contain_text("Trois refus de boulangeries")
    axe.check("dossier orienté")

    # The pôle: runs the engine over the pupil's week and sends the suggested proposal.
    log_in(member)
    page.goto("/stages/dossiers/?state=referred")
    expect(page.get_by_role("table", name="File des dossiers")).to_contain_text("Lina Démo")
    axe.check("file du pôle")
    page.goto("/stages/calculs/")
    axe.check("calculs de placement")
    page.get_by_label("Du", exact=True).fill("2026-01-26")
    page.get_by_label("Au", exact=True).fill("2026-02-13")
    page.get_by_role("button", name="Lancer le calcul").click()
    expect(page.get_by_text("Calcul terminé : 1 élève placé sur 1")).to_be_visible()
    suggestions = page.get_by_role("table", name="Suggestions du moteur, élève par élève")
    expect(suggestions).to_contain_text(f"Placé sur l'offre « {offer.title} »")
    axe.check("suggestions du moteur")
    suggestions.get_by_role("button", name="Envoyer la proposition de Lina").click()
    expect(page.get_by_text("Proposition envoyée pour Lina.")).to_be_visible()

    # The company: its signed link, no account.
    proposal = Proposal.objects.get(case=case)
    page.context.clear_cookies()
    page.goto(f"/stages/reponse/{services.proposal_token(proposal)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Proposition de stage")
    expect(page.get_by_role("main")).to_contain_text("Lina, classe de 3e B")
    expect(page.get_by_role("main")).not_to_contain_text("Démo")
    axe.check("réponse de l'entreprise")
    page.get_by_text("J'accueille l'élève").click()
    page.get_by_label("Votre nom").fill("Claire Dupuis")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("status")).to_contain_text("Acceptée par l'entreprise")
    axe.check("réponse enregistrée")

    # The school confirms; the convention de stage is produced.
    log_in(teacher)
    page.goto(f"/stages/dossiers/{case.pk}/")
    page.get_by_role("button", name="Confirmer le stage").click()
    expect(page.get_by_text("Le stage est confirmé")).to_be_visible()
    axe.check("dossier placé")
    with page.expect_download() as download:
        page.get_by_role("link", name="Convention de stage (PDF)").click()
    text = " ".join(pdf_text(Path(download.value.path()).read_bytes()).split())
    assert "Convention de stage" in text and "Lina Démo" in text
    assert world.company.name in text and "Premier représentant légal de l'élève" in text
    assert "Article 10 – Confidentialité" in text and "Horaires de la journée" in text
    # Issue 15 item 9: the signed convention is back, with the pupil's undertaking.
    page.get_by_role(
        "button",
        name="Enregistrer l'engagement de confidentialité signé par l'élève et ses "
        "représentants légaux",
    ).click()
    expect(
        page.get_by_text("L'engagement de confidentialité de l'élève est enregistré")
    ).to_be_visible()
    axe.check("engagement de confidentialité enregistré")
    axe.assert_clean()
