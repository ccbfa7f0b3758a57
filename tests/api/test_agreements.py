"""The conventions API: token authentication, who reads and who writes what (403 when
visible, 404 out of reach, per role), the list and its filters, the schema, frozen query
counts, the browsable API and OPTIONS. The life of a convention through the API is in
test_agreements_lifecycle.py; French 400s for bad payloads in test_agreements_payloads.py.

Data come from the services (tests/agreements/factories.py); ``world`` is the API world of
tests/api/conftest.py (académie A « A10 » where the users work, académie B « B20 » elsewhere;
the organisation representative represents « Fédération du bâtiment Alpha »)."""

# The shared fixtures are imported by name and taken as arguments.
# ruff: noqa: F811

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from relais.agreements import services
from relais.agreements.enums import AgreementKind
from relais.agreements.models import Agreement
from tests.agreements.factories import draft_agreement, in_force_agreement, sign_all

from .agreement_fixtures import LIST, admin, detail, draft, ids, lille, team  # noqa: F401
from .conftest import ROLES, token_client

# --- authentication ------------------------------------------------------------------------------


def test_anonymous_gets_401_json(world, draft):
    client = APIClient()
    for url in (LIST, detail(draft)):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["detail"]
    assert client.post(LIST, {}, format="json").status_code == 401


def test_bad_token_is_401_and_good_token_works(world, users, draft):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef")
    assert client.get(LIST).status_code == 401
    response = token_client(users["teacher"]).get(detail(draft))
    assert response.status_code == 200
    assert response.json()["number"] == draft.number


def test_session_works_too(world, users, draft):
    client = APIClient()
    client.force_login(users["teacher"])
    assert client.get(detail(draft)).status_code == 200


# --- reading: who sees what -------------------------------------------------------------------

# A volunteer reads only the conventions they act under (their CEE convention, issue 14).
SEE_DRAFT_A = {role: 200 for role in ROLES} | {"no_membership": 404, "volunteer": 404}


@pytest.mark.parametrize("role", ROLES)
def test_read_per_role(world, admin, team, draft, client_for, role):
    # Académie A without the representative's organisation, and académie B.
    plain = draft_agreement(team, world.academie_a, title="Sans la fédération")
    elsewhere = draft_agreement(admin, world.academie_b, title="Bêta")
    client = client_for(role)
    assert client.get(detail(draft)).status_code == SEE_DRAFT_A[role]
    expected_plain = 404 if role in ("organisation_rep", "no_membership", "volunteer") else 200
    assert client.get(detail(plain)).status_code == expected_plain
    expected_elsewhere = 200 if role == "national_admin" else 404
    response = client.get(detail(elsewhere))
    assert response.status_code == expected_elsewhere
    if expected_elsewhere == 404:
        assert response.json() == {"detail": "Convention inconnue ou hors de votre périmètre."}
    listed = ids(client.get(LIST))
    assert (draft.pk in listed) is (SEE_DRAFT_A[role] == 200)
    assert (plain.pk in listed) is (expected_plain == 200)
    assert (elsewhere.pk in listed) is (expected_elsewhere == 200)


def test_national_conventions_seen_by_every_role_but_volunteers(world, admin, client_for):
    national = services.agreement_create(
        user=admin, title="Accord national", kind=AgreementKind.FRAMEWORK, scope="national"
    )
    for role in ROLES:
        expected = 404 if role in ("no_membership", "volunteer") else 200
        assert client_for(role).get(detail(national)).status_code == expected, role


def test_unknown_id_is_404(world, client_for):
    assert client_for("national_admin").get(f"{LIST}999999/").status_code == 404
    assert client_for("national_admin").get(f"{LIST}abc/").status_code == 404


# --- writing: 403 when visible, 404 out of reach -------------------------------------------------

WRITE_DRAFT_A = {
    "national_admin": 200,
    "academie_team": 200,
    "bassin_referent": 403,
    "hub_member": 403,
    "head_of_school": 403,
    "teacher": 403,
    "organisation_rep": 403,  # a party: sees it, may not change it
    "volunteer": 404,  # reads only their CEE convention
    "no_membership": 404,
}


@pytest.mark.parametrize("role", ROLES)
def test_patch_per_role(world, draft, client_for, role):
    response = client_for(role).patch(detail(draft), {"preamble": "Vu le code."}, format="json")
    assert response.status_code == WRITE_DRAFT_A[role], response.content
    draft.refresh_from_db()
    assert (draft.preamble == "Vu le code.") is (response.status_code == 200)
    if response.status_code == 403:
        assert "équipe académique" in response.json()["detail"]


@pytest.mark.parametrize("role", ROLES)
def test_actions_per_role(world, draft, client_for, role):
    client = client_for(role)
    expected = WRITE_DRAFT_A[role]
    response = client.post(detail(draft, "send-for-signature/"), {}, format="json")
    assert response.status_code == expected, response.content
    response = client.post(detail(draft, "back-to-draft/"), {"note": "Relire"}, format="json")
    assert response.status_code == expected, response.content
    party = {"name": "Chambre de métiers", "side": "economique"}
    response = client.post(detail(draft, "parties/"), party, format="json")
    assert response.status_code == (201 if expected == 200 else expected), response.content
    added = draft.parties.filter(name="Chambre de métiers").exists()
    assert added is (expected == 200)
    transitions = list(draft.journal.values_list("transition", flat=True))
    moved = ["envoi_signature", "retour_brouillon"] if expected == 200 else []
    assert transitions == ["creation", *moved]


@pytest.mark.parametrize("role", ROLES)
def test_create_per_role(world, client_for, role):
    payload = {"title": "Nouvelle", "kind": "cadre", "scope": "academie", "academie": "A10"}
    response = client_for(role).post(LIST, payload, format="json")
    expected = 201 if role in ("national_admin", "academie_team") else 403
    assert response.status_code == expected, response.content
    assert Agreement.objects.filter(title="Nouvelle").exists() is (expected == 201)


def test_academie_team_manages_only_its_academie(world, admin, client_for):
    team = client_for("academie_team")
    payload = {"title": "Ailleurs", "kind": "cadre", "scope": "academie", "academie": "B20"}
    response = team.post(LIST, payload, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "Vous ne pouvez pas créer de convention sur ce périmètre."
    national = {"title": "Nationale", "kind": "cadre", "scope": "national"}
    assert team.post(LIST, national, format="json").status_code == 403
    assert client_for("national_admin").post(LIST, national, format="json").status_code == 201


# --- list and filters ---------------------------------------------------------------------------


def test_filters(world, team, admin, draft, client_for):
    today = timezone.localdate()
    ending = in_force_agreement(
        team,
        world.academie_a,
        title="Convention Numérique",
        signed_on=today - relativedelta(months=35),
    )
    later = in_force_agreement(
        team,
        world.academie_a,
        title="Convention Tourisme",
        signed_on=today - relativedelta(months=6),
    )
    cee = draft_agreement(team, world.academie_a, kind=AgreementKind.CEE, title="CEE Alpha")
    national = services.agreement_create(
        user=admin, title="Accord national", kind=AgreementKind.FRAMEWORK, scope="national"
    )
    avenant = services.avenant_create(user=team, agreement=later, title="")
    client = client_for("academie_team")
    everything = {draft.pk, ending.pk, later.pk, cee.pk, national.pk, avenant.pk}
    assert ids(client.get(LIST)) == everything
    assert ids(client.get(LIST, {"q": "batiment"})) == {draft.pk}
    assert ids(client.get(LIST, {"q": "numérique"})) == {ending.pk}
    assert ids(client.get(LIST, {"q": "federation"})) == {draft.pk}  # a party's name
    assert ids(client.get(LIST, {"state": "en_vigueur"})) == {ending.pk, later.pk}
    assert ids(client.get(LIST, {"kind": "cee"})) == {cee.pk}
    assert ids(client.get(LIST, {"scope": "national"})) == {national.pk}
    assert ids(client.get(LIST, {"partner": world.professional_a.pk})) == {draft.pk}
    assert ids(client.get(LIST, {"ends_within_days": 60})) == {ending.pk}
    assert ids(client.get(LIST, {"ends_within_days": 0})) == set()
    assert ids(client.get(LIST, {"avenants": "false"})) == everything - {avenant.pk}
    assert ids(client.get(LIST, {"kind": "avenant"})) == {avenant.pk}
    page = client.get(LIST, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 6 and len(page["results"]) == 2
    assert page["next"] and page["previous"]
    line = client.get(LIST, {"q": "numerique"}).json()["results"][0]
    last_day = ending.start_date + relativedelta(months=36) - timedelta(days=1)
    assert line["current_end"] == last_day.isoformat()
    assert line["parties"][0]["name"] == "Académie de Alpha"
    avenant_line = client.get(LIST, {"kind": "avenant"}).json()["results"][0]
    assert avenant_line["amends"]["number"] == later.number
    # A partner of no convention the user sees: the same rule as the page (a French 400).
    elsewhere = draft_agreement(admin, world.academie_b, title="Ailleurs", partner=world.company_b)
    response = client.get(LIST, {"partner": world.company_b.pk})
    assert response.status_code == 400
    assert response.json()["partner"] == [
        "Partenaire inconnu ou hors de votre périmètre : choisissez une organisation partie à "
        "une convention que vous voyez."
    ]
    admin_client = client_for("national_admin")
    assert ids(admin_client.get(LIST, {"partner": world.company_b.pk})) == {elsewhere.pk}


@pytest.mark.parametrize(
    "params, field",
    [
        ({"state": "perdue"}, "state"),
        ({"kind": "traite"}, "kind"),
        ({"scope": "monde"}, "scope"),
        ({"partner": "abc"}, "partner"),
        ({"partner": "0"}, "partner"),
        ({"partner": str(10**20)}, "partner"),
        ({"ends_within_days": "-1"}, "ends_within_days"),
        ({"ends_within_days": "1.5"}, "ends_within_days"),
        ({"ends_within_days": "99999"}, "ends_within_days"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_filters_are_400(world, draft, client_for, params, field):
    response = client_for("academie_team").get(LIST, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


# --- schema --------------------------------------------------------------------------------------


def test_schema_describes_the_conventions(db):
    schema = APIClient().get(reverse("api-schema"), {"format": "json"}).json()
    paths = schema["paths"]
    for path in [
        "/api/v1/conventions/",
        "/api/v1/conventions/{id}/",
        "/api/v1/conventions/{id}/send-for-signature/",
        "/api/v1/conventions/{id}/back-to-draft/",
        "/api/v1/conventions/{id}/sign/",
        "/api/v1/conventions/{id}/terminate/",
        "/api/v1/conventions/{id}/abandon/",
        "/api/v1/conventions/{id}/avenants/",
        "/api/v1/conventions/{id}/decline/",
        "/api/v1/conventions/{id}/parties/",
        "/api/v1/conventions/{id}/parties/{row_id}/",
        "/api/v1/conventions/{id}/signatories/{row_id}/",
        "/api/v1/conventions/{id}/articles/{row_id}/",
        "/api/v1/conventions/{id}/commitments/{row_id}/",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/conventions/{id}/"]) == {"get", "patch"}
    assert set(paths["/api/v1/conventions/{id}/parties/{row_id}/"]) == {"patch", "delete"}
    listing = {p["name"] for p in paths["/api/v1/conventions/"]["get"]["parameters"]}
    assert {"q", "state", "kind", "scope", "partner", "ends_within_days", "page"} <= listing
    dates = schema["components"]["schemas"]["Dates"]["properties"]
    assert {"start_date", "period", "end_of_term", "next_renewal", "notice_deadline"} <= set(dates)
    sign = paths["/api/v1/conventions/{id}/sign/"]["post"]
    assert sign["summary"] == "Enregistrer une signature"
    assert {"200", "400", "403", "404"} <= set(sign["responses"])


# --- frozen query counts -----------------------------------------------------------------------

# token + reach + count + page + parties + avenants (« day_state » applies their clauses)
LIST_QUERIES = 6
# token + reach + convention + its parties, signatories, articles, commitments + avenants and
# theirs (4) + children + versions
DETAIL_QUERIES = 14


def _conventions(world, team, number: int, partner=None) -> Agreement:
    """``number`` conventions in force with an avenant in force each (its own parties,
    articles and commitments); returns the last one."""
    for index in range(number):
        agreement = in_force_agreement(
            team,
            world.academie_a,
            title=f"Convention {index}",
            partners=index + 1,
            articles=index + 2,
            partner=partner,
        )
        avenant = services.avenant_create(user=team, agreement=agreement, title="")
        services.party_save(
            user=team,
            agreement=avenant,
            data={"name": f"Nouveau partenaire {index}", "side": "economique"},
        )
        party = avenant.parties.get(name=f"Nouveau partenaire {index}")
        services.signatory_save(
            user=team, agreement=avenant, data={"party": party, "full_name": "Nouveau"}
        )
        services.article_save(
            user=team,
            agreement=avenant,
            data={"number": "1", "body": "Réécrit", "operation": "remplace"},
        )
        services.commitment_save(
            user=team,
            agreement=avenant,
            data={"party": party, "category": "cee", "description": "Deux CEE", "quantity": 2},
        )
        services.agreement_update(
            user=team, agreement=avenant, data={"clause_changes": {"duration_months": 48}}
        )
        sign_all(team, avenant, on=date(2025, 2, 1))
    return agreement


@pytest.mark.parametrize("role", ["national_admin", "academie_team", "teacher"])
def test_list_queries_do_not_grow(world, users, team, django_assert_num_queries, role):
    _conventions(world, team, 1)
    client = token_client(users[role])
    with django_assert_num_queries(LIST_QUERIES):
        small = client.get(LIST)
    _conventions(world, team, 4)
    client = token_client(users[role])  # a new request: the reach is read again
    with django_assert_num_queries(LIST_QUERIES):
        large = client.get(LIST)
    client = token_client(users[role])
    with django_assert_num_queries(LIST_QUERIES):
        found = client.get(LIST, {"q": "convention", "state": "en_vigueur", "avenants": "false"})
    assert len(small.json()["results"]) == 2  # the convention and its avenant
    assert len(large.json()["results"]) == 10
    assert len(found.json()["results"]) == 5


def test_detail_queries_do_not_grow(world, users, team, django_assert_num_queries):
    small = _conventions(world, team, 1)
    large = _conventions(world, team, 5)
    for agreement, parties, articles in ((small, 3, 2), (large, 7, 6)):
        client = token_client(users["academie_team"])
        with django_assert_num_queries(DETAIL_QUERIES):
            body = client.get(detail(agreement)).json()
        assert len(body["parties"]) == parties
        assert len(body["articles"]) == articles
        assert body["articles"][0]["body"] == "Réécrit"
        assert body["clauses"]["duration_months"] == 48
        assert len(body["commitments"]) == 1


def test_representative_costs_two_more_queries(
    world, users, team, draft, django_assert_num_queries
):
    """A representative's reach walks their organisation's tree: one query per level."""
    _conventions(world, team, 2)  # conventions of académie A they are no party to
    theirs = _conventions(world, team, 1, partner=world.professional_a)
    client = token_client(users["organisation_rep"])
    with django_assert_num_queries(LIST_QUERIES + 2):
        listed = ids(client.get(LIST))
    assert listed == {draft.pk, theirs.pk, theirs.avenants.get().pk}
    client = token_client(users["organisation_rep"])
    with django_assert_num_queries(DETAIL_QUERIES + 2):
        body = client.get(detail(theirs)).json()
    assert body["can_manage"] is False
    assert body["actions"] == {
        "transitions": [],
        "edit": False,
        "amend": False,
        "decline": False,
        "add_scan": False,
    }
    assert body["parties"][1]["organisation"]["id"] == world.professional_a.pk


# --- browsable API and OPTIONS -------------------------------------------------------------------


def test_browsable_api_renders(world, users, draft, lille):
    client = APIClient()
    client.force_login(users["academie_team"])
    for url in (LIST, detail(draft), detail(lille), detail(draft, "sign/")):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 405), url
        assert response["Content-Type"].startswith("text/html"), url
    assert "Convention Bâtiment Alpha" in client.get(detail(draft), HTTP_ACCEPT="text/html").text


def test_options_describe_the_creation(world, client_for):
    response = client_for("academie_team").options(LIST)
    assert response.status_code == 200
    fields = response.json()["actions"]["POST"]
    assert fields["title"]["required"] is True
    assert fields["academie"]["help_text"] == "Code de l'académie (périmètre « academie »)."
    assert {"kind", "scope", "duration_months", "template_fields"} <= set(fields)
