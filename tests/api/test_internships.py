"""API of the pôles de stages: offers (scoped read, writes, idempotent partner upsert, field
errors), cases (scoped, journaled), the OpenAPI schema, frozen query counts."""

import datetime

import pytest

from relais.internships import services
from relais.internships.models import InternshipOffer
from relais.users.enums import Role
from relais.users.models import PersonalDataAccess
from tests.factories import make_user
from tests.internships.factories import (
    WEEK,
    HubFactory,
    RomeCodeFactory,
    published_offer,
    referred_case,
)

from .conftest import ROLES, token_client

OFFERS = "/api/v1/stages/offres/"
UPSERT = "/api/v1/stages/offres/upsert/"


@pytest.fixture
def rome(world):
    return RomeCodeFactory(code="H2201")


def payload(world, **changes):
    return {
        "host": world.child_a.pk,
        "title": "Découverte de la maçonnerie",
        "kind": "stage_3e",
        "rome": "H2201",
        "levels": ["3e"],
        "commune": "34172",
        "accessible": True,
        "tutor_email": "chef@maconnerie.example",
        "places": [{"week": "2026-02-04", "places": 2}],
        "publish": True,
        **changes,
    }


def test_upsert_creates_then_updates_the_same_offer(world, users, client_for, rome):
    client = client_for("organisation_rep")
    body = {**payload(world), "remote_id": "OFF-1"}
    first = client.post(UPSERT, body, format="json")
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["state"] == "published" and data["remote_id"] == "OFF-1"
    assert data["partner"]["id"] == world.professional_a.pk  # the only organisation represented
    assert data["bassin"] == "BA1" and data["places"][0]["week"] == "2026-02-02"
    again = client.post(UPSERT, body, format="json")
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    changed = client.post(UPSERT, {**body, "title": "Maçonnerie", "places": []}, format="json")
    assert changed.status_code == 200 and changed.json()["title"] == "Maçonnerie"
    assert changed.json()["places"] == []
    assert InternshipOffer.objects.count() == 1
    other = client.post(UPSERT, {**body, "remote_id": "OFF-2"}, format="json")
    assert other.status_code == 201 and InternshipOffer.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rome": "Z9999"}, "rome", "Code ROME inconnu : « Z9999 »."),
        ({"rome": 2201}, "rome", "Indiquez un code sous forme de texte."),
        ({"commune": "99999"}, "commune", "Commune inconnue : code INSEE « 99999 »."),
        ({"levels": []}, "levels", "au moins 1"),
        ({"levels": ["6e"]}, "levels", "n'est pas un choix valide"),
        ({"kind": "stage_5e"}, "kind", "n'est pas un choix valide"),
        ({"host": 10**9}, "host", "Organisation inconnue"),
        ({"remote_id": "a b"}, "remote_id", "Lettres, chiffres"),
        ({"remote_id": ""}, "remote_id", None),
        (
            {"places": [{"week": "2026-02-02", "places": 1}, {"week": "2026-02-05", "places": 1}]},
            "places",
            "en double",
        ),
        ({"places": [{"week": "demain", "places": 1}]}, "places", "date"),
        ({"places": [{"week": "2026-02-02", "places": -1}]}, "places", "supérieure ou égale à 0"),
        ({"kind": "pfmp", "diploma": ""}, "diploma", "Une PFMP précise le diplôme préparé."),
        ({"bassin": "BB1"}, None, None),  # another académie: the service refuses (403)
    ],
)
def test_bad_payloads_get_field_errors_and_change_nothing(
    world, users, client_for, rome, changes, field, message
):
    body = {**payload(world), "remote_id": "X-1", **changes}
    response = client_for("organisation_rep").post(UPSERT, body, format="json")
    if field is None:
        assert response.status_code == 403, response.content
    else:
        assert response.status_code == 400, response.content
        errors = response.json()
        assert field in errors, errors
        if message:
            assert message in str(errors[field]).replace("\\xa0", " "), errors
    assert not InternshipOffer.objects.exists()


def test_a_partner_pushes_only_for_itself(world, users, client_for, rome):
    body = {**payload(world), "remote_id": "X", "partner": world.company_b.pk}
    assert client_for("organisation_rep").post(UPSERT, body, format="json").status_code == 403
    assert client_for("teacher").post(UPSERT, body, format="json").status_code == 403


def test_create_update_close_and_scoping(world, users, client_for, rome):
    member = client_for("hub_member")
    created = member.post(OFFERS, payload(world, host=world.company_a.pk), format="json")
    assert created.status_code == 201, created.content
    url = f"{OFFERS}{created.json()['id']}/"
    assert (
        member.patch(url, {"title": "Boulangerie"}, format="json").json()["title"] == "Boulangerie"
    )
    put = member.put(url, payload(world, host=world.company_a.pk, places=[]), format="json")
    assert put.status_code == 200 and put.json()["places"] == []
    assert client_for("organisation_rep").get(url).status_code == 404  # not its organisation
    assert client_for("teacher").get(url).status_code == 200  # published, in its bassin
    assert client_for("volunteer").get(url).status_code == 404
    assert client_for("teacher").patch(url, {"title": "x"}, format="json").status_code == 403
    assert member.get(url).json()["available_transitions"] == ["fermer"]
    assert client_for("teacher").get(url).json()["available_transitions"] == []
    assert member.delete(url).status_code == 204
    closed = member.get(url).json()
    assert closed["state"] == "closed" and closed["available_transitions"] == []
    assert member.delete(url).status_code == 400  # already closed: a French refusal
    assert client_for("teacher").get(url).status_code == 404  # closed: no longer shown


def test_other_territory_is_404(world, users, client_for, rome):
    offer = published_offer(world.bassin_b, world.company_b)
    assert client_for("hub_member").get(f"{OFFERS}{offer.pk}/").status_code == 404
    assert client_for("national_admin").get(f"{OFFERS}{offer.pk}/").status_code == 200


# Issue 17: the pupil's school and the pôle that handles the case, nobody else.
CASE_READERS = {"teacher", "head_of_school", "hub_member"}


@pytest.mark.parametrize("role", [*ROLES, "other_principal"])
def test_cases_are_scoped_and_journaled(world, users, client_for, rome, role):
    HubFactory(bassin=world.bassin_a1)
    case = referred_case(world.school_a1, users["teacher"])
    if role == "other_principal":
        user = make_user(Role.HEAD_OF_SCHOOL, world.school_a2)
        client = token_client(user)
    else:
        user, client = users[role], client_for(role)
    response = client.get("/api/v1/stages/dossiers/")
    assert response.status_code == 200
    reads = role in CASE_READERS
    assert len(response.json()["results"]) == (1 if reads else 0)
    item = client.get(f"/api/v1/stages/dossiers/{case.pk}/")
    assert item.status_code == (200 if reads else 404)
    if reads:
        body = item.json()
        assert body["pupil"]["last_name"] == case.pupil.last_name
        assert body["pupil"]["priority"] == ["REP"]
        assert body["pupil"]["id"] == case.pupil_id and body["pupil"]["school_year"] == 2025
        # The search data is the case's (relais.pupils keeps the roster data only).
        assert (body["wishes"], body["max_km"], body["needs_access"]) == (["H22"], 15, False)
        assert body["home_commune"] is None
        assert body["period"]["id"] == case.period_id and body["period"]["level"] == "3e"
    log = PersonalDataAccess.objects.filter(user=user).order_by("pk")
    expected = [
        ("export", "cases", "", "api"),
        ("consultation", "case", f"internships.placementcase:{case.pk}", "api"),
    ]
    assert [(r.purpose, r.data, r.about, r.fmt) for r in log] == (expected if reads else [])


def test_schema_documents_the_endpoints(world, users, client_for):
    schema = client_for("teacher").get("/api/schema/?format=json").json()
    assert "/api/v1/stages/offres/upsert/" in schema["paths"]
    assert "/api/v1/stages/dossiers/{id}/" in schema["paths"]
    assert "/api/v1/eleves/import/" in schema["paths"]
    case = schema["components"]["schemas"]["PlacementCase"]["properties"]
    assert {"period", "wishes", "max_km", "home_commune", "needs_access"} <= set(case)
    assert "InternshipOfferRequest" in schema["components"]["schemas"]


@pytest.mark.parametrize("n", [2, 10])
def test_query_counts(world, users, rome, django_assert_num_queries, n):
    from relais.nomenclatures.models import NafCode

    HubFactory(bassin=world.bassin_a1)
    naf = NafCode.objects.create(
        code="47.24Z", label="Boulangerie", section="G", division="47", group="47.2",
        naf_class="47.24",
    )  # fmt: skip
    for i in range(n):
        offer = published_offer(world.bassin_a1, world.company_a)
        offer.slots.create(week=WEEK.replace(day=9), capacity=1)
        referred_case(world.school_a1, users["teacher"], qpv=bool(i % 2))
    client = token_client(users["hub_member"])
    # token, reach, count, page, slots and académies (prefetch: the weeks' holiday warnings);
    # the offers have no poster, partner, NAF
    with django_assert_num_queries(6):
        assert client.get(OFFERS).status_code == 200
    # With them: one prefetch each (four joins in the page's query, not seven: PostgreSQL
    # planned seven joins in 30 ms at académie scale).
    InternshipOffer.objects.update(posted_by=world.child_a, partner=world.company_a, naf=naf)
    with django_assert_num_queries(9):
        body = client.get(OFFERS).json()
    assert {(o["posted_by"]["id"], o["partner"]["id"], o["naf"]) for o in body["results"]} == {
        (world.child_a.pk, world.company_a.pk, "47.24Z")
    }
    # token, reach, count, page, the journal entry (savepoint-free insert)
    with django_assert_num_queries(5):
        assert client.get("/api/v1/stages/dossiers/").status_code == 200


def test_indicators_endpoint(world, users, client_for, rome):
    HubFactory(bassin=world.bassin_a1)
    referred_case(world.school_a1, users["teacher"])
    rows = client_for("academie_team").get("/api/v1/stages/indicateurs/").json()
    assert rows[-1]["label"] == "Total" and rows[-1]["all"]["referred"] == 1
    assert rows[-1]["priority"]["referred"] == 1 and rows[-1]["gap"] is None
    by_school = client_for("teacher").get("/api/v1/stages/indicateurs/?group=etablissement").json()
    assert by_school[0]["label"] == "Collège Jean Jaurès"
    bad = client_for("teacher").get("/api/v1/stages/indicateurs/?group=x&school_year=2025")
    assert bad.status_code == 400 and set(bad.json()) == {"group", "school_year"}
    assert client_for("organisation_rep").get("/api/v1/stages/indicateurs/").status_code == 403


def test_cases_say_what_the_user_may_do_and_hide_anonymised_pupils(world, users, client_for, rome):
    """The same selector rule as the pages: an anonymised pupil's case is not listed; it
    stays readable, with its anonymised pupil."""
    HubFactory(bassin=world.bassin_a1)
    case = referred_case(world.school_a1, users["teacher"])
    teacher, member = client_for("teacher"), client_for("hub_member")
    item = teacher.get(f"/api/v1/stages/dossiers/{case.pk}/").json()
    assert item["available_transitions"] == ["decliner", "retirer"]
    assert member.get("/api/v1/stages/dossiers/").json()["results"][0]["id"] == case.pk
    services.pupils_purge_expired(today=case.pupil.retention_until + datetime.timedelta(days=1))
    for client in (teacher, member):
        assert client.get("/api/v1/stages/dossiers/").json()["results"] == []
    item = member.get(f"/api/v1/stages/dossiers/{case.pk}/")
    assert item.status_code == 200 and item.json()["pupil"]["last_name"] == "anonymisé"
    assert (
        client_for("bassin_referent").get(f"/api/v1/stages/dossiers/{case.pk}/").status_code == 404
    )
