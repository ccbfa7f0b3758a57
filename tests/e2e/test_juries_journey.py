"""The juries, end to end in a real browser (issue 15, item 7), axe-core clean at 1280 and
375 px: the académie team opens an exam session; the organisation names a professional; the
team convokes them (the convocation waits in the outbox) and, after the day, records that
they sat, which the conventions' « jurys » commitments count. On the way, axe-core audits the
other pages of issue 15 (a CET's seats and renewals, accessible offers, disability-awareness
actions, the conseils sectoriels nationaux)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relais.core.models import Notification
from relais.governance.enums import BodyKind
from relais.governance.models import Body, Recommendation
from relais.juries.enums import JurorState
from relais.juries.models import ExamSession, Juror
from relais.volunteers.enums import AdvisorKind, SeatKind
from relais.volunteers.models import AdvisorSeat
from tests.volunteers.factories import AdvisorFactory

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


def test_team_opens_a_session_organisation_names_team_convokes(page, axe, log_in, world):
    day = timezone.localdate() + timedelta(days=15)
    page.set_viewport_size(DESKTOP)
    log_in(world.users["academie_team"])
    page.goto("/")
    menu = page.get_by_role("navigation", name="Menu principal")
    menu.get_by_role("button", name="Bénévoles et conseillers").click()
    menu.get_by_role("link", name="Jurys d'examen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jurys d'examen")
    axe.check("jurys : liste vide")
    page.get_by_role("link", name="Nouvelle session").click()
    page.get_by_label("Diplôme").fill("CAP Boulanger")
    page.get_by_label("Date", exact=True).fill(day.isoformat())
    page.get_by_label("Heure de convocation").fill("08:30")
    page.get_by_label("Lieu").fill("Lycée des métiers, atelier B")
    page.get_by_label("UAI du centre d'examen").fill(world.school.uai)
    page.get_by_label("Places pour des professionnels").fill("2")
    axe.check("nouvelle session")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("CAP Boulanger"))
    expect(page.get_by_text("0 pourvue sur 2")).to_be_visible()
    axe.check("session créée")
    session_url = page.url

    log_in(world.users["organisation_rep"])
    page.goto(session_url)
    page.get_by_role("link", name="Désigner un juré").click()
    page.get_by_label("Nom et prénom").fill("Léa Fournier")
    page.get_by_label("Courriel").fill("lea@fournil.example")
    page.get_by_role("textbox", name=re.compile("^Entreprise")).fill("Boulangerie du Lez")
    axe.check("désigner un juré")
    page.get_by_role("button", name="Désigner").click()
    expect(page.get_by_text("Juré désigné : Léa Fournier.")).to_be_visible()
    jurors = page.get_by_role("table", name=re.compile("Jurés"))
    expect(jurors).to_contain_text("Désigné")
    axe.check("juré désigné (organisation)")

    log_in(world.users["academie_team"])
    page.goto(session_url)
    page.get_by_role("button", name="Convoquer les jurés désignés").click()
    expect(page.get_by_text("1 convocation envoyée.")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Jurés"))).to_contain_text("Convoqué")
    axe.check("juré convoqué")
    juror = Juror.objects.get(email="lea@fournil.example")
    assert Notification.objects.filter(key=f"juries.juror:{juror.pk}:convocation").exists()

    page.set_viewport_size(MOBILE)
    page.goto(session_url)
    axe.check("session (375 px)")
    page.goto("/jurys/engagements/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Engagements"))
    axe.check("engagements « jurys » (375 px)")

    # The day has come and gone (the session moved to yesterday rather than the clock: the
    # browser's session would not survive a jump of two weeks).
    ExamSession.objects.filter(pk=juror.session_id).update(
        date=timezone.localdate() - timedelta(days=1)
    )
    page.set_viewport_size(DESKTOP)
    page.goto(session_url)
    page.get_by_role("button", name="Constater sa présence : Léa Fournier").click()
    expect(page.get_by_role("table", name=re.compile("Jurés"))).to_contain_text("A siégé")
    juror.refresh_from_db()
    assert juror.state == JurorState.ATTENDED

    # The other pages of issue 15 (items 3, 4, 8), audited on the way, at both widths.
    advisor = AdvisorFactory(kind=AdvisorKind.CET, academie=world.home, active=True,
                             specialty="Boulangerie-pâtisserie")  # fmt: skip
    AdvisorSeat.objects.create(advisor=advisor, kind=SeatKind.CPC, commission="CPC Alimentation",
                               started_on=advisor.mandate_start)  # fmt: skip
    council = Body.objects.create(name="Conseil sectoriel national du numérique",
                                  kind=BodyKind.SECTOR_COUNCIL, sector="Numérique")  # fmt: skip
    Recommendation.objects.create(body=council, topic="competences", text="Former aux données.")
    pages = [
        (f"/benevoles/conseillers/{advisor.pk}/", "conseiller CET : sièges, parcours"),
        ("/benevoles/conseillers/a-renouveler/?jours=365", "mandats à renouveler"),
        ("/stages/offres/?accessible=1&adapte=1", "offres accessibles, entreprises adaptées"),
        ("/actions/?handicap=oui", "actions de sensibilisation au handicap"),
    ]
    for width in (DESKTOP, MOBILE):
        page.set_viewport_size(width)
        for url, label in pages:
            page.goto(url)
            axe.check(f"{label} ({width['width']} px)")
    log_in(world.users["national_admin"])
    for width in (DESKTOP, MOBILE):
        page.set_viewport_size(width)
        page.goto("/instances/conseils-sectoriels/")
        axe.check(f"conseils sectoriels nationaux ({width['width']} px)")
        page.goto(f"/instances/conseils-sectoriels/{council.pk}/")
        expect(page.get_by_role("cell", name="Former aux données.", exact=True)).to_be_visible()
        axe.check(f"un conseil et sa recommandation ({width['width']} px)")
    axe.assert_clean()
