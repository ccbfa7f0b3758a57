"""Pages of issue 15, items 3, 4, 7 and 8: what they show, their frozen query counts, and
bad input answered in French (never a 500)."""

from datetime import timedelta

from django.utils import timezone

from relais.actions.models import Offer as ActionOffer
from relais.governance.enums import BodyKind, RecommendationTopic
from relais.governance.models import Body, BodyMember, Recommendation
from relais.juries.enums import JurorState
from relais.organisations.enums import OrganisationKind
from relais.reporting.measures import BY_KEY
from relais.volunteers.enums import AdvisorKind, SeatKind
from relais.volunteers.models import AdvisorSeat
from tests.actions.factories import OfferFactory as ActionOfferFactory
from tests.factories import OrganisationFactory
from tests.internships.factories import OfferFactory as InternshipOfferFactory
from tests.juries.factories import JurorFactory, SessionFactory
from tests.volunteers.factories import AdvisorFactory


def test_juries_list_and_detail_queries_are_frozen(world, client_for, django_assert_num_queries):
    team = client_for(world.users["academie_team"])
    session = SessionFactory(academie=world.home, establishment=world.school, seats=4)
    JurorFactory(session=session, organisation=world.company)
    team.get("/jurys/")  # warm the per-process caches (menus, reach)
    with django_assert_num_queries(5):  # session, user, memberships, count, rows
        body = team.get("/jurys/").content.decode()
    assert "CAP Boulanger" in body and "1 / 4" in body
    for _ in range(3):
        JurorFactory(session=session, organisation=world.company)
    with django_assert_num_queries(5):  # the same with 1 or 4 jurors
        body = team.get(f"/jurys/{session.pk}/").content.decode()
    assert "Convoquer les jurés désignés" in body and body.count("@entreprise.example</span>") == 4


def test_naming_form_errors_are_french_and_keep_what_was_typed(world, client_for):
    rep = client_for(world.users["organisation_rep"])
    session = SessionFactory(academie=world.home)
    path = f"/jurys/{session.pk}/designer/"
    response = rep.post(path, {"organisation": world.company.pk, "full_name": "Léa Fournier"})
    assert response.status_code == 400
    assert "Indiquez le courriel" in response.content.decode()
    assert 'value="Léa Fournier"' in response.content.decode()
    response = rep.post(
        f"/jurys/{session.pk}/designer/",
        {"organisation": world.company.pk, "full_name": "Léa Fournier", "email": "lea@ex.fr"},
    )
    assert response.status_code == 302
    assert session.jurors.get().state == JurorState.NAMED
    team = client_for(world.users["academie_team"])
    bad = team.post("/jurys/nouvelle/", {"academie": world.home.pk, "diploma": "CAP",
                                         "date": "2020-01-06", "starts_at": "25:00"})  # fmt: skip
    assert bad.status_code == 400 and "heure valide" in bad.content.decode()
    past = team.post("/jurys/nouvelle/", {"academie": world.home.pk, "diploma": "CAP",
                                          "date": "2020-01-06", "starts_at": "08:00",
                                          "place": "Lycée", "seats": 2})  # fmt: skip
    assert past.status_code == 400 and "date passée" in past.content.decode()


def test_council_pages(world, client_for, django_assert_num_queries):
    council = Body.objects.create(
        name="Conseil sectoriel national du numérique", kind=BodyKind.SECTOR_COUNCIL,
        sector="Numérique",
    )  # fmt: skip
    BodyMember.objects.create(body=council, full_name="Numeum", role="membre")
    Recommendation.objects.create(body=council, topic=RecommendationTopic.JOBS, text="Former")
    teacher = client_for(world.users["teacher"])
    teacher.get("/instances/conseils-sectoriels/")
    with django_assert_num_queries(4):
        body = teacher.get("/instances/conseils-sectoriels/").content.decode()
    assert "Numérique" in body
    with django_assert_num_queries(7):
        body = teacher.get(f"/instances/conseils-sectoriels/{council.pk}/").content.decode()
    assert "Numeum" in body and "Former" in body and "Nouvelle recommandation" not in body
    admin = client_for(world.users["national_admin"])
    response = admin.post(
        f"/instances/conseils-sectoriels/{council.pk}/recommandations/",
        {"topic": "alternance", "text": "Développer l'apprentissage en BTS"},
    )
    assert response.status_code == 302
    assert council.recommendations.count() == 2


def test_cet_detail_shows_specialty_seats_and_parcours(world, client_for):
    advisor = AdvisorFactory(kind=AdvisorKind.CET, academie=world.home, active=True,
                             specialty="Maintenance des véhicules")  # fmt: skip
    AdvisorSeat.objects.create(advisor=advisor, kind=SeatKind.CPC, commission="CPC Mobilité",
                               started_on=advisor.mandate_start)  # fmt: skip
    team = client_for(world.users["academie_team"])
    body = team.get(f"/benevoles/conseillers/{advisor.pk}/").content.decode()
    assert "Maintenance des véhicules" in body and "CPC Mobilité" in body
    assert "Renouveler le mandat" in body and "Dans le parcours Avenir" in body
    end = advisor.mandate_end + timedelta(days=365)
    response = team.post(f"/benevoles/conseillers/{advisor.pk}/renouveler/",
                         {"mandate_end": end.isoformat()})  # fmt: skip
    assert response.status_code == 302
    advisor.refresh_from_db()
    assert advisor.mandate_end == end
    response = team.post(f"/benevoles/conseillers/{advisor.pk}/renouveler/",
                         {"mandate_end": "2001-01-01"})  # fmt: skip
    assert response.status_code == 400 and "prolonge le mandat" in response.content.decode()


def test_offers_accessible_and_adapted_hosts_are_shown_and_filtered(world, client_for):
    esat = OrganisationFactory(academie=world.home, kind=OrganisationKind.ESAT, name="ESAT du Lez")
    InternshipOfferFactory(host=esat, bassin=world.bassin, accessible=True, title="Atelier ESAT")
    InternshipOfferFactory(host=world.company, bassin=world.bassin, title="Fournil classique",
                           accessible=False)  # fmt: skip
    team = client_for(world.users["academie_team"])
    body = team.get("/stages/offres/?accessible=1").content.decode()
    assert "Atelier ESAT" in body and "Fournil classique" not in body and "Accessible" in body
    body = team.get("/stages/offres/?adapte=1").content.decode()
    assert "Atelier ESAT" in body and "ESAT (établissement" in body
    assert "Fournil classique" not in body


def test_disability_awareness_actions_filtered_and_counted(world, client_for):
    ActionOfferFactory(organisation=world.company, academie=world.home,
                       title="Handi-métiers au collège", disability_awareness=True)  # fmt: skip
    ActionOfferFactory(organisation=world.company, academie=world.home, title="Visite du fournil")
    teacher = client_for(world.users["teacher"])
    body = teacher.get("/actions/?handicap=oui").content.decode()
    assert "Handi-métiers au collège" in body and "Visite du fournil" not in body
    assert "Sensibilisation au handicap" in body
    assert ActionOffer.objects.filter(disability_awareness=True).count() == 1
    assert {"offers_accessible", "hosts_adapted", "actions_disability", "jurors_attended"} <= set(
        BY_KEY
    )
    OrganisationFactory(academie=world.home, kind=OrganisationKind.ADAPTED_COMPANY)
    assert BY_KEY["hosts_adapted"].rows(timezone.localdate().year).count() == 1
