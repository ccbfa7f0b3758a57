"""Issue 14: a journey per role from its dashboard's work queue to its main task, axe-core
clean on every page, at desktop width then at 375 px (the dashboard and the first page of
the task again: menus, queues and scrolling tables)."""

import re

import pytest
from playwright.sync_api import expect

from relais.actions.enums import RequestState
from relais.governance.enums import BodyKind
from tests.actions.factories import ActionRequestFactory
from tests.actions.factories import OfferFactory as ActionOfferFactory
from tests.governance.factories import body
from tests.internships.factories import HubFactory, OfferFactory, SlotFactory, open_case
from tests.networks.factories import ClubFactory
from tests.volunteers.factories import ReserveApplicationFactory, ReserveRequestFactory

pytestmark = pytest.mark.e2e

MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _dashboard(page, axe, role):
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Bonjour"))
    axe.check(f"tableau de bord ({role})")


def _mobile(page, axe, role, url):
    """The dashboard and the task's first page at 375 px."""
    page.set_viewport_size(MOBILE)
    page.goto("/")
    axe.check(f"tableau de bord ({role}, 375 px)")
    page.goto(url)
    axe.check(f"{url} ({role}, 375 px)")
    page.set_viewport_size(DESKTOP)


def test_teacher_helps_a_pupil_searching_alone(page, axe, log_in, world):
    from relais.core import clock
    from relais.pupils.years import roster_year_of

    teacher = world.users["teacher"]
    open_case(world.school, teacher, school_year=roster_year_of(clock.today()))
    log_in(teacher)
    _dashboard(page, axe, "enseignant")
    page.get_by_role("link", name=re.compile("1 élève cherche seul")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dossiers des élèves sans stage")
    axe.check("dossiers à aider")
    task = page.url
    page.locator("main table tbody a").first.click()
    axe.check("dossier de l'élève")
    page.get_by_role("button", name="Confier à l'équipe pédagogique").click()
    expect(
        page.get_by_text("Le dossier passe à l'étape « Aidé par l'équipe pédagogique »")
    ).to_be_visible()
    axe.check("dossier aidé")
    page.goto("/")
    expect(page.get_by_role("link", name=re.compile("1 élève aidé par l'équipe"))).to_be_visible()
    _mobile(page, axe, "enseignant", task)
    axe.assert_clean()


def test_principal_declares_the_period(page, axe, log_in, world):
    from relais.core import clock
    from relais.core.school_years import school_year_of

    year = school_year_of(clock.today())
    log_in(world.users["head_of_school"])
    _dashboard(page, axe, "chef d'établissement")
    page.get_by_role("link", name="Déclarer une période de stage").first.click()
    axe.check("période, formulaire")
    task = page.url
    expect(page.get_by_label("Établissement", exact=True)).to_have_value(str(world.school.pk))
    page.get_by_label("Année scolaire").fill(f"{year}-{year + 1}")
    page.get_by_label("Niveau").select_option(label="3e (collège)")
    page.get_by_label("Premier jour").fill(f"{year + 1}-03-01")
    page.get_by_label("Dernier jour").fill(f"{year + 1}-03-05")
    page.get_by_role("button", name=re.compile("Enregistrer|Déclarer|Créer")).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe.check("période déclarée")
    page.goto("/")
    expect(
        page.get_by_text(f"Aucune période de stage déclarée pour {year}-{year + 1}")
    ).to_have_count(0)
    _mobile(page, axe, "chef d'établissement", task)
    axe.assert_clean()


def test_pole_member_publishes_an_offer(page, axe, log_in, world):
    HubFactory(bassin=world.bassin)
    offer = OfferFactory(bassin=world.bassin, host=world.company, title="Découverte du fournil")
    SlotFactory(offer=offer)
    log_in(world.users["hub_member"])
    _dashboard(page, axe, "pôle de stages")
    page.get_by_role("link", name=re.compile("1 offre de stage à publier")).click()
    axe.check("offres à publier")
    task = page.url
    page.get_by_role("link", name="Découverte du fournil").click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text("Publiée").first).to_be_visible()
    axe.check("offre publiée")
    page.goto("/")
    expect(page.get_by_role("link", name=re.compile("offre de stage à publier"))).to_have_count(0)
    _mobile(page, axe, "pôle de stages", task)
    axe.assert_clean()


def test_academie_team_vets_a_reserve_application(page, axe, log_in, world):
    application = ReserveApplicationFactory(academie=world.home, last_name="Fabre")
    log_in(world.users["academie_team"])
    _dashboard(page, axe, "équipe académique")
    page.get_by_role("link", name=re.compile("1 candidature à la réserve citoyenne")).click()
    axe.check("candidatures à examiner")
    task = page.url
    page.get_by_role("link", name=re.compile("Fabre")).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Candidature de {application}")
    page.get_by_role("button", name="Valider la candidature").click()
    expect(page.get_by_text("Validée").first).to_be_visible()
    axe.check("candidature validée")
    _mobile(page, axe, "équipe académique", task)
    axe.assert_clean()


def test_organisation_answers_a_school_request(page, axe, log_in, world):
    offer = ActionOfferFactory(academie=world.home, organisation=world.company, title="Visite")
    ActionRequestFactory(offer=offer, establishment=world.school, state=RequestState.SENT)
    log_in(world.users["organisation_rep"])
    _dashboard(page, axe, "organisation")
    page.get_by_role("link", name=re.compile("1 demande d'action d'une école")).click()
    axe.check("demandes à répondre")
    task = page.url
    page.locator("main table tbody a").first.click()
    page.get_by_role("button", name="Accepter", exact=True).click()
    expect(page.get_by_text("Acceptée").first).to_be_visible()
    axe.check("demande acceptée")
    _mobile(page, axe, "organisation", task)
    axe.assert_clean()


def test_volunteer_accepts_a_request(page, axe, log_in, world):
    volunteer = world.users["volunteer"]
    reservist = ReserveApplicationFactory(academie=world.home, validated=True, user=volunteer)
    ReserveRequestFactory(reservist=reservist, establishment=world.school, subject="Mon métier")
    log_in(volunteer)
    _dashboard(page, axe, "bénévole")
    page.get_by_role("link", name=re.compile("1 sollicitation à laquelle répondre")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace bénévole")
    axe.check("mon espace bénévole")
    task = page.url
    page.get_by_role("link", name="Mon métier").click()
    page.get_by_role("button", name="Accepter").click()
    expect(page.get_by_text("Acceptée").first).to_be_visible()
    axe.check("sollicitation acceptée")
    _mobile(page, axe, "bénévole", task)
    axe.assert_clean()


def test_bassin_referent_plans_the_club_s_meeting(page, axe, log_in, world):
    from datetime import timedelta

    from relais.core import clock

    club = ClubFactory(academie=world.home, bassin=world.bassin, name="Club du bassin Un")
    steering = body(club=club, kind=BodyKind.CLUB_STEERING, name="Comité de pilotage du club")
    log_in(world.users["bassin_referent"])
    _dashboard(page, axe, "référent de bassin")
    page.get_by_role("link", name=re.compile("1 club dont le comité de pilotage")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(club.name)
    axe.check("club du bassin")
    task = page.url
    page.get_by_role("link", name=steering.name).click()
    page.get_by_role("link", name="Planifier une réunion").click()
    day = clock.today() + timedelta(days=1)
    page.get_by_label("Date et heure").fill(f"{day:%Y-%m-%d}T17:30")
    page.get_by_label("Lieu").fill("Collège Étienne Dolet")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Prévue").first).to_be_visible()
    axe.check("réunion planifiée")
    page.goto("/")
    expect(page.get_by_role("link", name=re.compile("comité de pilotage"))).to_have_count(0)
    _mobile(page, axe, "référent de bassin", task)
    axe.assert_clean()
