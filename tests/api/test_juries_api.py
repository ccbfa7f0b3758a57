"""Juries through the API, end to end (issue 15, item 7): the team opens a session, an
organisation names a professional, the team convokes (an e-mail in the outbox) and records
presence, which counts against the convention's « jurys » commitment. Plus the conseils
sectoriels nationaux (item 4) and the CET's specialty and seats (item 3)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from relais.agreements.enums import CommitmentCategory
from relais.agreements.models import Commitment, Party
from relais.core.models import Notification
from relais.core.school_years import school_year_of
from relais.governance.enums import BodyKind
from relais.governance.models import Body
from relais.juries.selectors import commitment_report
from relais.volunteers.enums import AdvisorKind, SeatKind
from relais.volunteers.models import AdvisorSeat
from tests.juries.factories import SessionFactory
from tests.volunteers.factories import AdvisorFactory, cee_agreement

from .conftest import results

pytestmark = pytest.mark.django_db


def test_a_jury_from_opening_to_presence(world, users, client_for):
    agreement = cee_agreement(world.academie_a, world.professional_a)
    Commitment.objects.create(
        agreement=agreement, category=CommitmentCategory.JURIES, quantity=2,
        party=Party.objects.get(agreement=agreement, organisation=world.professional_a),
        description="Désigner des professionnels pour les jurys d'examen",
    )  # fmt: skip
    team, rep = client_for("academie_team"), client_for("organisation_rep")
    day = timezone.localdate() + timedelta(days=20)
    created = team.post("/api/v1/jurys/sessions/", {
        "academie": "A10", "diploma": "CAP Maçon", "date": day.isoformat(),
        "starts_at": "08:00", "place": "Lycée Mermoz", "establishment": world.school_a2.uai,
        "seats": 2,
    }, format="json")  # fmt: skip
    assert created.status_code == 201, created.json()
    session_id = created.json()["id"]
    assert team.get(created["Location"]).json()["seated"] == 0
    assert rep.post("/api/v1/jurys/sessions/", {}, format="json").status_code == 400

    named = rep.post("/api/v1/jurys/jures/", {
        "session": session_id, "organisation": world.child_a.pk,
        "full_name": "Marc Lemaçon", "email": "marc@maconnerie.example",
    }, format="json")  # fmt: skip
    assert named.status_code == 201, named.json()
    juror = named.json()
    assert juror["state"] == "designe" and juror["available_transitions"] == ["retirer"]
    assert rep.post(f"/api/v1/jurys/jures/{juror['id']}/convoquer/").status_code == 403
    assert client_for("teacher").get(f"/api/v1/jurys/jures/{juror['id']}/").status_code == 404

    convoked = team.post(f"/api/v1/jurys/jures/{juror['id']}/convoquer/")
    assert convoked.status_code == 200 and convoked.json()["state"] == "convoque"
    assert Notification.objects.filter(key=f"juries.juror:{juror['id']}:convocation").exists()
    early = team.post(f"/api/v1/jurys/jures/{juror['id']}/constater_presence/")
    assert early.status_code == 400
    assert team.post(f"/api/v1/jurys/jures/{juror['id']}/inconnue/").status_code == 404
    with time_machine.travel(day + timedelta(days=1)):
        sat = team.post(f"/api/v1/jurys/jures/{juror['id']}/constater_presence/")
    assert sat.json()["state"] == "present"
    line = next(
        row
        for row in commitment_report(user=users["academie_team"], school_year=school_year_of(day))
        if row["agreement"] == agreement
    )
    assert (line["committed"], line["attended"], line["missing"]) == (2, 1, 1)


def test_sessions_are_scoped(world, client_for):
    SessionFactory(academie=world.academie_a, diploma="CAP Alpha")
    SessionFactory(academie=world.academie_b, diploma="CAP Bêta")
    assert [
        s["diploma"] for s in results(client_for("teacher").get("/api/v1/jurys/sessions/"))
    ] == ["CAP Alpha"]
    assert results(client_for("volunteer").get("/api/v1/jurys/sessions/")) == []
    national = results(client_for("national_admin").get("/api/v1/jurys/sessions/"))
    assert len(national) == 2


def test_councils_and_recommendations(world, client_for):
    council = Body.objects.create(
        name="Conseil sectoriel national du numérique", kind=BodyKind.SECTOR_COUNCIL,
        sector="Numérique",
    )  # fmt: skip
    assert [
        c["sector"] for c in results(client_for("teacher").get("/api/v1/conseils-sectoriels/"))
    ] == ["Numérique"]
    payload = {"council": council.pk, "topic": "competences", "text": "Ouvrir des BTS"}
    assert client_for("academie_team").post("/api/v1/recommandations/", payload).status_code == 403
    created = client_for("national_admin").post("/api/v1/recommandations/", payload)
    assert created.status_code == 201
    bad = client_for("national_admin").post("/api/v1/recommandations/", {**payload, "topic": "x"})
    assert bad.status_code == 400 and "topic" in bad.json()
    detail = client_for("head_of_school").get(f"/api/v1/conseils-sectoriels/{council.pk}/").json()
    assert detail["recommendations"][0]["text"] == "Ouvrir des BTS"


def test_a_cet_with_its_specialty_and_seats(world, client_for):
    advisor = AdvisorFactory(kind=AdvisorKind.CET, academie=world.academie_a, active=True,
                             organisation=world.professional_a, specialty="Maçonnerie")  # fmt: skip
    AdvisorSeat.objects.create(advisor=advisor, kind=SeatKind.CPC, commission="CPC BTP",
                               started_on=advisor.mandate_start)  # fmt: skip
    data = client_for("organisation_rep").get(f"/api/v1/conseillers/{advisor.pk}/").json()
    assert data["specialty"] == "Maçonnerie"
    assert data["seats"][0]["kind"] == "cpc" and data["seats"][0]["body"] == "CPC BTP"


@pytest.mark.parametrize(
    ("path", "payload"),
    [
        ("/api/v1/jurys/jures/", {"session": 10**30, "organisation": "x", "email": "a@b.fr"}),
        ("/api/v1/jurys/jures/", {"session": 1, "organisation": 1}),
        ("/api/v1/jurys/sessions/", {"academie": "A10", "diploma": "CAP", "date": "2020-13-45",
                                     "starts_at": "8h", "place": "Lycée", "seats": 0}),
        ("/api/v1/jurys/sessions/", {"academie": "A10", "diploma": "CAP", "date": "9999-01-04",
                                     "starts_at": "08:00", "place": "Lycée", "seats": 2}),
        ("/api/v1/recommandations/", {"council": 10**30, "topic": "competences", "text": "x"}),
    ],
)  # fmt: skip
def test_bad_input_is_a_french_400(client_for, path, payload):
    response = client_for("academie_team").post(path, payload, format="json")
    assert response.status_code == 400, response.content
