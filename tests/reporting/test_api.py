"""API of issue 11 (item 6): the national view, the national partners' view and the open data
are in the OpenAPI schema; the open data answers without a token (and ignores a bad one);
the national view is read per role, each team within its territory."""

import pytest
from rest_framework.test import APIClient

from relais.reporting import measures, national, opendata, partners, snapshot
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db

TEAMS = {"national_admin", "academie_team"}


@pytest.fixture
def published(reporting_data, settings, tmp_path):
    settings.RELAIS_OPENDATA_DIR = tmp_path / "opendata"
    snapshot.snapshot_build()
    return reporting_data


def _client(user=None, token: str = "") -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_schema_lists_the_national_view_the_partners_and_the_open_data():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    for path in (
        "/api/v1/pilotage/territoires/",
        "/api/v1/pilotage/partenaires/",
        "/api/v1/pilotage/partenaires/{id}/",
        "/api/v1/donnees/",
        "/api/v1/donnees/{name}/",
        "/api/v1/donnees/stages/",
    ):
        assert path in paths, path
    # The open data declares that it needs no authentication; the national view needs it.
    assert "security" not in schema  # no global requirement: each operation states its own
    for path in ("/api/v1/donnees/", "/api/v1/donnees/{name}/", "/api/v1/donnees/stages/"):
        assert paths[path]["get"].get("security", []) in ([], [{}]), path
    assert {"tokenAuth": []} in paths["/api/v1/pilotage/territoires/"]["get"]["security"]
    assert paths["/api/v1/pilotage/territoires/"]["get"]["tags"] == ["Pilotage national"]


@pytest.mark.parametrize("token", ["", "not-a-token"])
def test_open_data_answers_without_a_token(published, token):
    client = _client(token=token)
    listing = client.get("/api/v1/donnees/")
    assert listing.status_code == 200
    by_name = {d["name"]: d for d in listing.json()}
    assert set(by_name) == set(opendata.BY_NAME)
    conventions = by_name["conventions-en-vigueur"]
    assert conventions["csv"].endswith("/donnees/fichiers/conventions-en-vigueur.csv")
    assert conventions["snapshot"] == "2026-03-10"
    assert conventions["license"]["name"] == "etalab-2.0"
    rows = client.get("/api/v1/donnees/conventions-en-vigueur/").json()
    assert rows["count"] == conventions["rows"] == 2
    assert {r["numero"] for r in rows["results"]} == {"NAT-1", "LOC-1"}
    assert "Jeanne" not in str(rows)  # the signatory's name is never published
    assert client.get("/api/v1/donnees/inconnu/").status_code == 404
    bad = client.get("/api/v1/donnees/conventions-en-vigueur/", {"page_size": "abc"})
    assert bad.status_code == 400 and "page_size" in bad.json()


def test_open_data_offers_near_a_place_without_a_token(published):
    client = _client()
    school = published.school
    found = client.get("/api/v1/donnees/stages/", {"lieu": f"college:{school.uai}"})
    assert found.status_code == 200, found.content
    body = found.json()
    assert body["place"]["key"] == f"college:{school.uai}"
    assert [offer["id"] for offer in body["results"]] == [published.offer.pk]
    assert "tutor" not in str(body) and "@" not in str(body)
    errors = client.get("/api/v1/donnees/stages/", {"rayon": "7"}).json()
    assert set(errors) == {"q", "rayon"}
    assert client.get("/api/v1/donnees/stages/", {"lieu": "college:ZZZ"}).status_code == 400


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_national_view_per_role(published, role):
    client = _client(published.users[role])
    response = client.get("/api/v1/pilotage/territoires/", {"annee": "2025"})
    if role not in TEAMS:
        assert response.status_code == 403
        assert client.get("/api/v1/pilotage/partenaires/").status_code == 403
        return
    assert response.status_code == 200
    body = response.json()
    codes = {row["code"] for row in body["rows"]}
    if role == "national_admin":
        assert {"91", "92"} <= codes
    else:
        assert codes == {"91"}
    home = next(row for row in body["rows"] if row["code"] == "91")
    assert home["figures"]["referred"] == 17  # 14 in the REP+ school, 3 in school2
    # The same figure as the page's table.
    page = national.table("academie", year=2025, ids=[published.home.pk])[0]
    assert home["figures"]["placed"] == page.cell("placed").value == 12
    other = client.get("/api/v1/pilotage/territoires/", {"academie": published.other.pk})
    assert other.status_code == (200 if role == "national_admin" else 404)
    bassins = client.get("/api/v1/pilotage/territoires/", {"academie": published.home.pk})
    bassin_row = next(r for r in bassins.json()["rows"] if r["id"] == published.bassin2.pk)
    assert bassin_row["figures"]["referred"] is None  # 3 pupils: hidden
    assert bassin_row["notes"]["referred"] == "< 11"


def test_anonymous_gets_401_on_the_national_view(published):
    assert _client().get("/api/v1/pilotage/territoires/").status_code == 401
    assert _client().get("/api/v1/pilotage/partenaires/").status_code == 401


def test_national_partner_declinations_and_commitments(published):
    agreement = published.national_agreement
    admin = _client(published.users["national_admin"])
    listing = admin.get("/api/v1/pilotage/partenaires/").json()
    assert [(a["number"], a["declined"]) for a in listing] == [("NAT-1", 1)]
    body = admin.get(f"/api/v1/pilotage/partenaires/{agreement.pk}/", {"annee": 2025}).json()
    statuses = {d["code"]: d["status"] for d in body["declinations"]}
    assert statuses["91"] == "academie" and statuses["92"] == "missing"
    lines = {line["category"]: line for line in body["commitments"]}
    expected = {line.category: line for line in partners.commitments(agreement, year=2025)}
    assert lines["cee"]["planned"] == expected["cee"].planned == 20
    team = _client(published.users["academie_team"])
    mine = team.get(f"/api/v1/pilotage/partenaires/{agreement.pk}/").json()
    assert [d["code"] for d in mine["declinations"]] == ["91"]
    assert mine["commitments"] is None  # the nationwide evaluation is the ministry's
    assert admin.get("/api/v1/pilotage/partenaires/999999/").status_code == 404
    assert admin.get("/api/v1/pilotage/territoires/", {"annee": "deux"}).status_code == 400


def test_national_table_queries_are_constant(published, django_assert_num_queries):
    admin = _client(published.users["national_admin"])
    per_measure = sum("academie" in m.paths for m in measures.MEASURES)
    # Counted live (no aggregates yet): the rows and the total, one query per measure each,
    # names, parcours, median, reach, and the three looks for aggregates.
    with django_assert_num_queries(2 * per_measure + 8):
        assert admin.get("/api/v1/pilotage/territoires/").status_code == 200
