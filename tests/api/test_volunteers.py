"""API of the volunteers area: scoping (404 for foreign objects), French 400s, the actions, the
OpenAPI schema, and frozen query counts at two data sizes."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from relais.users.enums import Role
from relais.volunteers.enums import ImmersionState, RequestState
from tests.factories import CommuneFactory, OrganisationFactory, make_user

from ..volunteers.factories import (
    AdvisorFactory,
    ImmersionApplicationFactory,
    ImmersionOfferFactory,
    InterventionFactory,
    ReserveApplicationFactory,
    ReserveRequestFactory,
    cee_agreement,
)
from .conftest import results, token_client


@pytest.fixture
def v(world, users):
    w = world
    w.agreement = cee_agreement(w.academie_a, w.professional_a)
    w.advisor = AdvisorFactory(
        academie=w.academie_a, organisation=w.professional_a, agreement=w.agreement, active=True
    )
    w.advisor_b = AdvisorFactory(academie=w.academie_b, active=True)
    commune = CommuneFactory(departement__academie=w.academie_a, latitude=43.62, longitude=3.87)
    w.reservist = ReserveApplicationFactory(
        academie=w.academie_a, commune=commune, validated=True, user=users["volunteer"],
        email=users["volunteer"].email,
    )  # fmt: skip
    w.reservist_b = ReserveApplicationFactory(academie=w.academie_b, validated=True)
    w.school_a1.latitude, w.school_a1.longitude = 43.61, 3.88
    w.school_a1.save()
    w.offer = ImmersionOfferFactory(organisation=w.company_a)
    w.offer_b = ImmersionOfferFactory(organisation=w.company_b)
    return w


def test_advisors_are_scoped(v, client_for):
    assert [a["id"] for a in results(client_for("academie_team").get("/api/v1/conseillers/"))] == [
        v.advisor.pk
    ]
    assert (
        client_for("academie_team").get(f"/api/v1/conseillers/{v.advisor_b.pk}/").status_code == 404
    )
    assert results(client_for("volunteer").get("/api/v1/conseillers/")) == []
    assert len(results(client_for("national_admin").get("/api/v1/conseillers/"))) == 2


def test_organisation_proposes_through_the_api(v, client_for):
    client = client_for("organisation_rep")
    payload = {
        "kind": "cee", "organisation": v.professional_a.pk, "agreement": v.agreement.number,
        "first_name": "Léa", "last_name": "Roux", "email": "lea@btp.example", "status": "artisan",
        "employer_name": "Roux SARL", "sectors": "Menuiserie", "domains": ["jurys"],
    }  # fmt: skip
    response = client.post("/api/v1/conseillers/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "propose"
    again = client.post("/api/v1/conseillers/", payload, format="json")
    assert again.status_code == 400 and "déjà proposé" in again.json()["email"][0]
    bad = client.post("/api/v1/conseillers/", {**payload, "domains": ["nage"]}, format="json")
    assert bad.status_code == 400 and "domains" in bad.json()
    foreign = client.post(
        "/api/v1/conseillers/", {**payload, "agreement": "CEE-XXX"}, format="json"
    )
    assert foreign.json() == {"agreement": ["Convention CEE en vigueur inconnue."]}
    teacher = client_for("teacher").post("/api/v1/conseillers/", payload, format="json")
    assert teacher.status_code == 403


CET = {
    "kind": "cet", "first_name": "Léa", "last_name": "Roux", "email": "lea@btp.example",
    "status": "artisan", "employer_name": "Roux SARL", "sectors": "Menuiserie",
    "domains": ["jurys"],
}  # fmt: skip


def test_an_organisation_proposes_no_adviser_outside_its_territory(v, client_for):
    """Issue 17, item 2: a local organisation of académie A proposing in académie B is 400."""
    client = client_for("organisation_rep")
    payload = {**CET, "organisation": v.professional_a.pk, "academie": "B20"}
    response = client.post("/api/v1/conseillers/", payload, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {
        "academie": [
            "« Fédération du bâtiment Alpha » ne propose de conseillers que dans les académies "
            "de son territoire : « Académie de Bêta » n'en fait pas partie."
        ]
    }
    assert not v.professional_a.advisors.filter(email="lea@btp.example").exists()
    home = client.post("/api/v1/conseillers/", {**payload, "academie": "A10"}, format="json")
    assert home.status_code == 201, home.content


def test_regional_and_national_organisations_propose_in_their_territory(v):
    regional = token_client(make_user(Role.ORGANISATION_REP, v.regional_a))
    payload = {**CET, "organisation": v.regional_a.pk, "academie": "B20"}
    assert regional.post("/api/v1/conseillers/", payload, format="json").status_code == 400
    payload["academie"] = "A10"
    assert regional.post("/api/v1/conseillers/", payload, format="json").status_code == 201
    national = token_client(make_user(Role.ORGANISATION_REP, v.national))
    payload = {**CET, "organisation": v.national.pk, "academie": "B20"}
    assert national.post("/api/v1/conseillers/", payload, format="json").status_code == 201


def test_interventions(v, client_for):
    client = client_for("organisation_rep")
    today = timezone.localdate().isoformat()
    payload = {"advisor": v.advisor.pk, "domain": "jurys", "establishment": v.school_a1.uai,
               "date": today, "hours": "3.0"}  # fmt: skip
    assert (
        client.post("/api/v1/conseillers-interventions/", payload, format="json").status_code == 201
    )
    response = client.post(
        "/api/v1/conseillers-interventions/", {**payload, "establishment": v.school_b.uai},
        format="json",
    )  # fmt: skip
    assert (
        response.status_code == 400
        and "académie du conseiller" in response.json()["establishment"][0]
    )
    response = client.post(
        "/api/v1/conseillers-interventions/", {**payload, "advisor": v.advisor_b.pk}, format="json"
    )
    assert response.json() == {"advisor": ["Conseiller inconnu ou hors de votre périmètre."]}
    rows = results(client_for("teacher").get("/api/v1/conseillers-interventions/"))
    assert [r["establishment"] for r in rows] == [v.school_a1.uai]  # their school's


def test_teacher_finds_and_asks_a_reservist_who_accepts(v, client_for):
    teacher = client_for("teacher")
    found = results(teacher.get("/api/v1/reservistes/?skill=metier&radius=20"))
    assert [r["id"] for r in found] == [v.reservist.pk] and found[0]["distance_km"] < 5
    assert teacher.get(f"/api/v1/reservistes/{v.reservist_b.pk}/").status_code == 404
    assert client_for("organisation_rep").get("/api/v1/reservistes/").status_code == 403
    response = teacher.post(
        "/api/v1/sollicitations/",
        {"reservist": v.reservist.pk, "subject": "Métiers", "message": "4e B", "skill": "metier"},
        format="json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert teacher.post(f"/api/v1/sollicitations/{pk}/accept/").status_code == 403
    answer = client_for("volunteer").post(f"/api/v1/sollicitations/{pk}/accept/", {"note": "Oui"})
    assert answer.status_code == 200 and answer.json()["state"] == RequestState.ACCEPTED
    again = client_for("volunteer").post(f"/api/v1/sollicitations/{pk}/decline/")
    assert again.status_code == 400 and "Impossible" in again.json()["non_field_errors"][0]
    wrong = teacher.post(
        "/api/v1/sollicitations/", {"reservist": v.reservist_b.pk, "subject": "x",
                                    "message": "y", "skill": "metier"}, format="json",
    )  # fmt: skip
    assert wrong.json() == {"reservist": ["Réserviste inconnu ou hors de votre académie."]}


def test_immersion_joint_validation_through_the_api(v, client_for, users):
    assert client_for("teacher").get(f"/api/v1/immersions/{v.offer_b.pk}/").status_code == 404
    response = client_for("teacher").post(
        "/api/v1/immersions-candidatures/",
        {"offer": v.offer.pk, "motivation": "Curiosité", "confidentiality_accepted": True},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201
    pk = response.json()["id"]
    assert (
        client_for("academie_team")
        .post(f"/api/v1/immersions-candidatures/{pk}/approve/")
        .json()["state"]
        == ImmersionState.SUBMITTED
    )
    rep = make_user(Role.ORGANISATION_REP, v.company_a)
    approved = token_client(rep).post(f"/api/v1/immersions-candidatures/{pk}/approve/")
    assert approved.json()["state"] == ImmersionState.VALIDATED
    assert (
        client_for("teacher").post(f"/api/v1/immersions-candidatures/{pk}/approve/").status_code
        == 403
    )


def test_anonymous_gets_401_and_schema_lists_the_endpoints(v):
    assert APIClient().get("/api/v1/conseillers/").status_code == 401
    schema = APIClient().get("/api/schema/").content.decode()
    for path in (
        "/api/v1/conseillers/",
        "/api/v1/conseillers-interventions/",
        "/api/v1/reservistes/",
        "/api/v1/sollicitations/{id}/accept/",
        "/api/v1/immersions/",
        "/api/v1/immersions-candidatures/{id}/approve/",
    ):
        assert path in schema


def _more(v, users, n):
    for _ in range(n):
        org = OrganisationFactory(professional=True, academie=v.academie_a)
        advisor = AdvisorFactory(
            academie=v.academie_a, organisation=org, agreement=cee_agreement(v.academie_a, org),
            active=True,
        )  # fmt: skip
        InterventionFactory(advisor=advisor, establishment=v.school_a1)
        reservist = ReserveApplicationFactory(
            academie=v.academie_a, commune=v.reservist.commune, validated=True
        )
        ReserveRequestFactory(
            reservist=reservist, establishment=v.school_a1, requested_by=users["teacher"]
        )
        offer = ImmersionOfferFactory(organisation=v.company_a)
        ImmersionApplicationFactory(offer=offer, applicant=make_user(), establishment=v.school_a1)


# token + reach + count + page
LISTS = [
    ("academie_team", "/api/v1/conseillers/", 5),  # + the seats (issue 15, item 3)
    ("academie_team", "/api/v1/conseillers-interventions/", 4),
    ("teacher", "/api/v1/reservistes/", 5),  # + the teacher's school
    ("teacher", "/api/v1/sollicitations/", 4),
    ("teacher", "/api/v1/immersions/", 4),
    ("academie_team", "/api/v1/immersions-candidatures/", 4),
]


@pytest.mark.parametrize("extra", [1, 8])
@pytest.mark.parametrize(("role", "url", "queries"), LISTS)
def test_list_query_counts(v, users, client_for, django_assert_num_queries, extra, role, url,
                           queries):  # fmt: skip
    _more(v, users, extra)
    client = client_for(role)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


def test_detail_query_counts(v, users, client_for, django_assert_num_queries):
    request = ReserveRequestFactory(reservist=v.reservist, establishment=v.school_a1,
                                    requested_by=users["teacher"])  # fmt: skip
    for role, url, queries in [
        # + the seats (issue 15, item 3)
        ("academie_team", f"/api/v1/conseillers/{v.advisor.pk}/", 4),
        ("teacher", f"/api/v1/sollicitations/{request.pk}/", 3),
        ("teacher", f"/api/v1/immersions/{v.offer.pk}/", 3),
        ("teacher", f"/api/v1/reservistes/{v.reservist.pk}/", 3),
    ]:
        client = client_for(role)
        with django_assert_num_queries(queries):  # token + reach + object (+ its seats)
            assert client.get(url).status_code == 200
