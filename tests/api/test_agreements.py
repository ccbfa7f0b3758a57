"""The conventions API: list and filters, the consolidated convention with its computed dates,
creation and edition of drafts, every transition, avenants, declinations, rows of a draft,
French 400s (never a 500), 403 (visible, not managed) vs 404 (out of reach) per role, token
authentication and frozen query counts.

Data come from the services (tests/agreements/factories.py); ``world`` is the API world of
tests/api/conftest.py (académie A « A10 » where the users work, académie B « B20 » elsewhere;
the organisation representative represents « Fédération du bâtiment Alpha »)."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from relais.agreements import services
from relais.agreements.enums import AgreementKind
from relais.agreements.models import Agreement, Article, Commitment, Party, Signatory
from tests.agreements.factories import draft_agreement, in_force_agreement, sign_all

from .conftest import ROLES, token_client

LIST = "/api/v1/conventions/"


def detail(agreement, suffix=""):
    return f"{LIST}{agreement.pk}/{suffix}"


@pytest.fixture
def team(users):
    return users["academie_team"]


@pytest.fixture
def admin(users):
    return users["national_admin"]


@pytest.fixture
def draft(world, team):
    """A draft of académie A to which the representative's organisation is a party."""
    return draft_agreement(
        team, world.academie_a, title="Convention Bâtiment Alpha", partner=world.professional_a
    )


@pytest.fixture
def lille(world, team):
    """Signed 2016-03-01 for 60 months, tacitly renewed, 6 months' notice, 3 months to end."""
    fields = {
        "duration_months": 60,
        "tacit_renewal": True,
        "notice_months": 6,
        "termination_months": 3,
    }
    return in_force_agreement(
        team, world.academie_a, signed_on=date(2016, 3, 1), fields=fields, title="Lille"
    )


def ids(response) -> set:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


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
    client.force_login(users["volunteer"])
    assert client.get(detail(draft)).status_code == 200


# --- reading: who sees what -------------------------------------------------------------------

SEE_DRAFT_A = {role: 200 for role in ROLES} | {"no_membership": 404}


@pytest.mark.parametrize("role", ROLES)
def test_read_per_role(world, admin, team, draft, client_for, role):
    # Académie A without the representative's organisation, and académie B.
    plain = draft_agreement(team, world.academie_a, title="Sans la fédération")
    elsewhere = draft_agreement(admin, world.academie_b, title="Bêta")
    client = client_for(role)
    assert client.get(detail(draft)).status_code == SEE_DRAFT_A[role]
    expected_plain = 404 if role in ("organisation_rep", "no_membership") else 200
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


def test_national_conventions_are_seen_by_everyone_with_a_role(world, admin, client_for):
    national = services.agreement_create(
        user=admin, title="Accord national", kind=AgreementKind.FRAMEWORK, scope="national"
    )
    for role in ROLES:
        expected = 404 if role == "no_membership" else 200
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
    "volunteer": 403,
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
    transitions = list(draft.transitions.values_list("transition", flat=True))
    assert transitions == (["envoi_signature", "retour_brouillon"] if expected == 200 else [])


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


# --- creation and edition of a draft ------------------------------------------------------------


def test_create_on_each_scope(world, client_for):
    client = client_for("academie_team")
    response = client.post(
        LIST,
        {
            "title": "  Convention académique  ",
            "kind": "cadre",
            "scope": "academie",
            "academie": "A10",
            "preamble": "Considérant…",
            "duration_months": 36,
            "tacit_renewal": True,
            "max_renewals": 2,
            "notice_months": 3,
            "termination_months": 2,
            "competent_court": "Tribunal administratif de Montpellier",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == body["url"] == f"http://testserver{LIST}{body['id']}/"
    assert body["title"] == "Convention académique"
    assert body["number"].startswith("CONV-")
    assert body["state"] == "brouillon"
    assert body["academie"] == {"code": "A10", "name": "Alpha"}
    assert body["academic_region"]["code"] == world.academie_a.region.code
    assert body["clauses"]["duration_months"] == 36
    assert body["clauses"]["max_renewals"] == 2
    assert body["clauses"]["competent_court"] == "Tribunal administratif de Montpellier"
    assert body["dates"]["start_date"] is None and body["dates"]["status"] is None
    assert body["can_manage"] is True
    assert body["web_url"] == f"http://testserver/conventions/{body['id']}/"

    bassin = client.post(
        LIST, {"title": "Bassin", "kind": "locale", "scope": "bassin", "bassin": "BA1"}
    ).json()  # a form body works too
    assert bassin["bassin"] == {"code": "BA1", "name": "ALPHA NORD"}
    assert bassin["academie"]["code"] == "A10"
    school = client.post(
        LIST,
        {
            "title": "Collège",
            "kind": "locale",
            "scope": "etablissement",
            "establishment": world.school_a1.uai,
        },
        format="json",
    ).json()
    assert school["establishment"] == {"uai": world.school_a1.uai, "name": "Collège Jean Jaurès"}
    assert school["bassin"]["code"] == "BA1"
    region = client.post(
        LIST,
        {
            "title": "Région",
            "kind": "cadre",
            "scope": "region_academique",
            "academic_region": world.academie_a.region.code,
        },
        format="json",
    ).json()
    assert region["academie"] is None and region["territory"].startswith("Région académique")


def test_cee_convention_is_three_years(world, client_for):
    client = client_for("academie_team")
    payload = {"title": "CEE", "kind": "cee", "scope": "academie", "academie": "A10"}
    response = client.post(LIST, payload, format="json")
    assert response.status_code == 201
    clauses = response.json()["clauses"]
    assert (clauses["duration_months"], clauses["tacit_renewal"]) == (36, False)
    assert clauses["termination_months"] == 6
    response = client.post(LIST, payload | {"duration_months": 48}, format="json")
    assert response.status_code == 400
    assert "trois ans" in response.json()["duration_months"][0]


def test_patch_a_draft_then_frozen(world, team, draft, client_for):
    client = client_for("academie_team")
    response = client.patch(
        detail(draft),
        {
            "title": "Convention Bâtiment Alpha 2026",
            "legal_basis": "Vu le code de l'éducation",
            "effective_date": "2026-09-01",
            "template_fields": {"domaines": "BTP"},
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Convention Bâtiment Alpha 2026"
    assert body["clauses"]["effective_date"] == "2026-09-01"
    assert body["template_fields"] == {"domaines": "BTP"}
    assert body["clauses"]["duration_months"] == 36  # not sent: unchanged
    assert client.put(detail(draft), {"title": "x"}, format="json").status_code == 405
    assert client.delete(detail(draft)).status_code == 405

    services.agreement_send_for_signature(user=team, agreement=draft)
    response = client.patch(detail(draft), {"title": "Trop tard"}, format="json")
    assert response.status_code == 400
    assert "figé" in response.json()["non_field_errors"][0]
    response = client.post(detail(draft, "articles/"), {"number": "9"}, format="json")
    assert response.status_code == 400
    assert "avenant" in response.json()["non_field_errors"][0]
    draft.refresh_from_db()
    assert draft.title == "Convention Bâtiment Alpha 2026"


# --- the whole life of a convention through the API ----------------------------------------------


def test_draft_to_in_force_then_avenant(world, client_for):
    client = client_for("academie_team")
    created = client.post(
        LIST,
        {
            "title": "Convention numérique",
            "kind": "cadre",
            "scope": "academie",
            "academie": "A10",
            "duration_months": 36,
            "notice_months": 3,
        },
        format="json",
    ).json()
    url = f"{LIST}{created['id']}/"
    rectorat = client.post(
        url + "parties/", {"name": "Académie d'Alpha", "side": "education"}, format="json"
    )
    assert rectorat.status_code == 201, rectorat.content
    rectorat = rectorat.json()
    federation = client.post(
        url + "parties/",
        {"organisation": world.professional_a.pk, "side": "economique", "short_name": "la FBA"},
        format="json",
    ).json()
    assert federation["name"] == "Fédération du bâtiment Alpha"
    assert federation["organisation"] == {"id": world.professional_a.pk, "name": federation["name"]}
    changed = client.patch(
        url + f"parties/{federation['id']}/", {"represented_by": "son président"}, format="json"
    )
    assert changed.status_code == 200 and changed.json()["represented_by"] == "son président"
    rector = client.post(
        url + "signatories/",
        {"party": rectorat["id"], "full_name": "Mme la rectrice", "title": "Rectrice"},
        format="json",
    ).json()
    president = client.post(
        url + "signatories/", {"party": federation["id"], "full_name": "M. Durand"}, format="json"
    ).json()
    assert president["party_name"] == "Fédération du bâtiment Alpha"
    for number in ("1", "2", "3"):
        response = client.post(
            url + "articles/",
            {"number": number, "heading": f"Axe {number}", "body": f"Texte {number}"},
            format="json",
        )
        assert response.status_code == 201
    third = Article.objects.get(agreement_id=created["id"], number="3")
    assert client.delete(url + f"articles/{third.pk}/").status_code == 204
    commitment = client.post(
        url + "commitments/",
        {
            "party": federation["id"],
            "category": "pfmp",
            "description": "Accueillir des élèves de seconde",
            "quantity": 20,
            "unit": "élèves",
            "due_date": "2027-06-30",
            "article_number": "2",
        },
        format="json",
    )
    assert commitment.status_code == 201, commitment.content

    response = client.post(url + "send-for-signature/", {"note": "Prête"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "en_signature"
    assert response.json()["versions"][0]["number"] == 1
    first = client.post(
        url + "sign/",
        {"signatory": rector["id"], "signed_on": "2026-01-05", "mode": "papier"},
        format="json",
    )
    assert first.json()["state"] == "en_signature"
    response = client.post(
        url + "sign/",
        {"signatory": president["id"], "signed_on": "2026-01-12", "mode": "electronique"},
        format="json",
    )
    body = response.json()
    assert body["state"] == "en_vigueur"
    assert body["dates"]["signed_on"] == body["dates"]["start_date"] == "2026-01-12"
    assert body["dates"]["end_of_term"] == "2029-01-11"
    assert body["dates"]["next_renewal"] is None and body["dates"]["expiry"] == "2029-01-11"
    assert body["dates"]["on"] == timezone.localdate().isoformat()
    signatures = {s["full_name"]: (s["signed_on"], s["mode"]) for s in body["signatories"]}
    assert signatures == {
        "Mme la rectrice": ("2026-01-05", "papier"),
        "M. Durand": ("2026-01-12", "electronique"),
    }
    assert [a["number"] for a in body["articles"]] == ["1", "2"]
    assert body["commitments"][0]["quantity"] == 20

    # An avenant: 201 with its own representation, parties and signatories copied.
    response = client.post(url + "avenants/", {}, format="json")
    assert response.status_code == 201, response.content
    avenant = response.json()
    assert response["Location"] == avenant["url"]
    assert avenant["kind"] == "avenant" and avenant["state"] == "brouillon"
    assert avenant["number"].startswith("AV-")
    assert avenant["title"] == "Avenant n° 1 — Convention numérique"
    assert avenant["amends"]["id"] == created["id"]
    assert [p["name"] for p in avenant["parties"]] == ["Académie d'Alpha", federation["name"]]
    avenant_url = avenant["url"].removeprefix("http://testserver")
    response = client.patch(avenant_url, {"clause_changes": {"duration_months": 48}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["clause_changes"] == {"duration_months": 48}
    client.post(
        avenant_url + "articles/",
        {"number": "2", "heading": "Axe 2 modifié", "body": "Nouveau texte"},
        format="json",
    )
    removal = client.post(
        avenant_url + "articles/", {"number": "1", "removes": True}, format="json"
    )
    assert removal.status_code == 201 and removal.json()["removes"] is True
    assert client.post(avenant_url + "send-for-signature/", {}, format="json").status_code == 200
    for signatory in Signatory.objects.filter(agreement_id=avenant["id"]):
        response = client.post(
            avenant_url + "sign/",
            {"signatory": signatory.pk, "signed_on": "2026-06-01", "mode": "papier"},
            format="json",
        )
        assert response.status_code == 200, response.content
    assert response.json()["state"] == "en_vigueur"

    consolidated = client.get(url).json()
    assert [a["id"] for a in consolidated["applied_avenants"]] == [avenant["id"]]
    assert [a["id"] for a in consolidated["avenants"]] == [avenant["id"]]
    assert consolidated["clauses"]["duration_months"] == 48
    assert consolidated["dates"]["end_of_term"] == "2030-01-11"
    assert [a["number"] for a in consolidated["articles"]] == ["2"]  # article 1 removed
    article_2 = consolidated["articles"][0]
    assert article_2["body"] == "Nouveau texte"
    assert article_2["source"]["id"] == avenant["id"]
    assert article_2["id"] == Article.objects.get(agreement_id=avenant["id"], number="2").pk


def test_avenant_clauses_must_keep_consistent_terms(world, team, client_for):
    """A notice of 70 months on a convention renewed every 12 months was accepted, then the
    avenant's last signature failed (500). The service now refuses it on the spot."""
    agreement = in_force_agreement(
        team,
        world.academie_a,
        fields={"duration_months": 12, "tacit_renewal": True, "notice_months": 3},
    )
    avenant = services.avenant_create(user=team, agreement=agreement, title="")
    client = client_for("academie_team")
    response = client.patch(
        detail(avenant), {"clause_changes": {"notice_months": 70}}, format="json"
    )
    assert response.status_code == 400
    assert "préavis de non-reconduction (70 mois)" in response.json()["clause_changes"][0]
    response = client.patch(
        detail(avenant), {"clause_changes": {"notice_months": 6}}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["clause_changes"] == {"notice_months": 6}


def test_computed_dates_of_a_renewed_convention(world, lille, client_for):
    """Signed 2016-03-01 for 60 months with tacit renewal and 6 months' notice: on
    2024-06-15 it is in its first renewal (2021-03-01 → 2026-02-28); a notice must be
    received by 2025-08-31 (+ 6 months = 28 February 2026)."""
    client = client_for("academie_team")
    response = client.get(detail(lille), {"on": "2024-06-15"})
    assert response.status_code == 200
    dates = response.json()["dates"]
    assert dates == {
        "on": "2024-06-15",
        "status": "en_vigueur",
        "signed_on": "2016-03-01",
        "start_date": "2016-03-01",
        "period": {"index": 1, "start": "2021-03-01", "end": "2026-02-28"},
        "renewals_done": 1,
        "end_of_term": "2026-02-28",
        "next_renewal": "2026-03-01",
        "notice_deadline": "2025-08-31",
        "expiry": None,
        "notice_received_on": None,
        "terminated_on": None,
        "ended_on": None,
    }
    on_2016 = client.get(detail(lille), {"on": "2016-03-01"}).json()["dates"]
    assert on_2016["period"] == {"index": 0, "start": "2016-03-01", "end": "2021-02-28"}
    assert on_2016["notice_deadline"] == "2020-08-31"
    # Today (no ``on``): the stored fields of the list agree with the computed dates.
    today = client.get(detail(lille)).json()
    line = next(i for i in client.get(LIST).json()["results"] if i["id"] == lille.pk)
    assert line["current_end"] == today["dates"]["end_of_term"]
    assert line["next_notice_deadline"] == today["dates"]["notice_deadline"]
    assert client.get(detail(lille), {"on": "2024-13-45"}).status_code == 400


def test_terminate(world, lille, client_for):
    client = client_for("academie_team")
    federation = lille.parties.get(name="Partenaire 1")
    response = client.post(
        detail(lille, "terminate/"),
        {
            "notice_received_on": "2024-06-10",
            "reason": "Fin du partenariat",
            "party": federation.pk,
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "resiliee"
    assert body["termination"] == {
        "reason": "Fin du partenariat",
        "party": {
            "id": federation.pk,
            "order": federation.order,
            "name": "Partenaire 1",
            "short_name": "",
            "side": "economique",
            "organisation": None,
            "represented_by": "",
            "address": "",
        },
    }
    dates = client.get(detail(lille), {"on": "2024-06-15"}).json()["dates"]
    assert dates["notice_received_on"] == "2024-06-10"
    assert dates["terminated_on"] == dates["end_of_term"] == "2024-09-10"  # + 3 months
    assert dates["next_renewal"] is None and dates["notice_deadline"] is None
    again = client.post(
        detail(lille, "terminate/"),
        {"notice_received_on": "2024-06-11", "reason": "Encore"},
        format="json",
    )
    assert again.status_code == 400
    assert "Résiliation" in again.json()["non_field_errors"][0]


def test_back_to_draft_and_abandon(world, draft, client_for):
    client = client_for("academie_team")
    client.post(detail(draft, "send-for-signature/"), {}, format="json")
    response = client.post(detail(draft, "back-to-draft/"), {"note": "Erreur d'adresse"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "brouillon"
    assert [version["number"] for version in response.json()["versions"]] == [1]
    response = client.post(detail(draft, "abandon/"), {"note": "Projet arrêté"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "abandonnee"
    assert list(draft.transitions.values_list("transition", flat=True)) == [
        "envoi_signature",
        "retour_brouillon",
        "abandon",
    ]


def test_decline_a_convention_in_force(world, team, admin, client_for):
    parent = in_force_agreement(admin, world.academie_a, title="Cadre académique")
    client = client_for("academie_team")
    response = client.post(
        detail(parent, "decline/"),
        {"title": "Déclinaison Alpha Nord", "scope": "bassin", "bassin": "BA1"},
        format="json",
    )
    assert response.status_code == 201, response.content
    child = response.json()
    assert child["parent"]["id"] == parent.pk
    assert child["kind"] == "locale" and child["bassin"]["code"] == "BA1"
    assert [a["number"] for a in child["articles"]] == ["1", "2"]
    assert [c["id"] for c in client.get(detail(parent)).json()["children"]] == [child["id"]]
    # A referent sees the convention but may not decline it; the representative, whose
    # organisation is no party to it, does not see it.
    payload = {"title": "X", "scope": "bassin", "bassin": "BA1"}
    for role, expected in (("bassin_referent", 403), ("organisation_rep", 404)):
        response = client_for(role).post(detail(parent, "decline/"), payload, format="json")
        assert response.status_code == expected, role
    assert Agreement.objects.filter(parent=parent).count() == 1


def test_rows_of_another_convention_are_404(world, team, draft, client_for):
    other = draft_agreement(team, world.academie_a, title="Autre")
    party = other.parties.first()
    article = other.articles.first()
    client = client_for("academie_team")
    assert client.patch(detail(draft, f"parties/{party.pk}/"), {"name": "X"}).status_code == 404
    response = client.delete(detail(draft, f"articles/{article.pk}/"))
    assert response.status_code == 404
    assert response.json() == {"detail": "Article inconnu dans cette convention."}
    assert Article.objects.filter(pk=article.pk).exists()


def test_remove_rows_of_a_draft(world, draft, client_for):
    client = client_for("academie_team")
    party = Party.objects.create(agreement=draft, name="À retirer", side="autre", order=9)
    signatory = Signatory.objects.create(agreement=draft, party=party, full_name="Personne")
    commitment = Commitment.objects.create(
        agreement=draft, party=party, category="autre", description="Rien"
    )
    assert client.delete(detail(draft, f"commitments/{commitment.pk}/")).status_code == 204
    assert client.delete(detail(draft, f"signatories/{signatory.pk}/")).status_code == 204
    assert client.delete(detail(draft, f"parties/{party.pk}/")).status_code == 204
    assert not Party.objects.filter(pk=party.pk).exists()
    response = client_for("teacher").delete(detail(draft, f"articles/{draft.articles.first().pk}/"))
    assert response.status_code == 403
    assert draft.articles.count() == 2


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


# --- bad payloads: 400 with French messages, never a 500 ---------------------------------------

VALID = {"title": "Nouvelle convention", "kind": "cadre", "scope": "academie", "academie": "A10"}

BAD_CREATE = [
    ({"title": ""}, "title", "Ce champ ne peut être vide."),
    ({"title": None}, "title", "Ce champ ne peut être nul."),
    ({"title": "x" * 256}, "title", "au plus 255 caractères"),
    ({"title": "\x00"}, "title", "caractères de contrôle (octet nul)"),
    ({"title": ["liste"]}, "title", "Chaîne de caractère invalide."),
    ({"kind": "usine"}, "kind", "n'est pas un choix valide"),
    ({"kind": "avenant"}, "kind", "Un avenant se crée depuis la convention qu'il modifie."),
    ({"scope": "monde"}, "scope", "n'est pas un choix valide"),
    ({"academie": None}, "academie", "Choisissez l'académie."),
    ({"academie": "ZZZ"}, "academie", "Académie inconnue : code « ZZZ »."),
    ({"academie": 10}, "academie", "Indiquez un code sous forme de texte."),
    ({"scope": "bassin", "bassin": "NOPE"}, "bassin", "Bassin inconnu : code « NOPE »."),
    ({"scope": "bassin"}, "bassin", "Choisissez le bassin."),
    ({"scope": "etablissement", "establishment": "0000000X"}, "establishment", "UAI"),
    ({"scope": "region_academique", "academie": None}, "academic_region", "région académique"),
    ({"duration_months": -1}, "duration_months", "supérieure ou égale à 0"),
    ({"duration_months": "abc"}, "duration_months", "Un nombre entier valide est requis."),
    ({"duration_months": 70000}, "duration_months", "inférieure ou égale à 32767"),
    ({"duration_months": 0}, "duration_months", "au moins un mois"),
    ({"tacit_renewal": True}, "tacit_renewal", "Une reconduction tacite suppose une durée."),
    ({"duration_months": 12, "max_renewals": 2}, "max_renewals", "suppose la reconduction"),
    ({"kind": "cee", "tacit_renewal": True}, "tacit_renewal", "pas reconductible"),
    (
        {"duration_months": 12, "tacit_renewal": True, "notice_months": 13},
        "non_field_errors",
        "préavis de non-reconduction",
    ),
    ({"effective_date": "2024-02-30"}, "effective_date", "La date n'a pas le bon format"),
    ({"effective_date": 20240201}, "effective_date", "La date n'a pas le bon format"),
    ({"tacit_renewal": "peut-être"}, "tacit_renewal", "booléen valide"),
    ({"template_fields": "texte"}, "template_fields", "dictionnaire"),
    ({"template_fields": {"domaines": ["BTP"]}}, "template_fields", "Chaîne de caractère"),
    ({"preamble": "a" * 50_001}, "preamble", "au plus 50000 caractères"),
    ({"competent_court": "a" * 201}, "competent_court", "au plus 200 caractères"),
]


@pytest.mark.parametrize(
    "changes, field, message", BAD_CREATE, ids=[f"{i}-{p[1]}" for i, p in enumerate(BAD_CREATE)]
)
def test_bad_create_payload(world, client_for, changes, field, message):
    response = client_for("academie_team").post(LIST, VALID | changes, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    texts = [str(text).replace("\xa0", " ") for text in _flat(errors[field])]
    assert any(message in text for text in texts), texts
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b"null", b'"texte"', b"\xff\xfe"], ids=range(5)
)
def test_malformed_bodies(world, draft, client_for, body):
    client = client_for("academie_team")
    for url in (LIST, detail(draft, "sign/"), detail(draft, "parties/")):
        response = client.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content)
        text = str(response.json())
        assert "JSON" in text or "objet" in text, text


def _signed(world, team):
    return in_force_agreement(team, world.academie_a, title="Signée")


def _in_signature(world, team):
    agreement = draft_agreement(team, world.academie_a, title="En signature")
    return services.agreement_send_for_signature(user=team, agreement=agreement)


def _avenant(world, team):
    return services.avenant_create(user=team, agreement=_signed(world, team), title="")


def _draft(world, team):
    return draft_agreement(team, world.academie_a, title="Brouillon")


def _other_party(world, team):
    return _draft(world, team).parties.first().pk


def _own_signatory(agreement):
    return agreement.signatories.first().pk


# (name, build, method, suffix, payload builder, field, part of the message)
BAD_ACTIONS = [
    ("patch-empty-title", _draft, "patch", "", lambda a, w, t: {"title": " "}, "title", None),
    (
        "clauses-on-a-convention",
        _draft,
        "patch",
        "",
        lambda a, w, t: {"clause_changes": {"duration_months": 48}},
        "clause_changes",
        "Seul un avenant",
    ),
    (
        "unknown-clause",
        _avenant,
        "patch",
        "",
        lambda a, w, t: {"clause_changes": {"couleur": "bleu"}},
        "clause_changes",
        "Clauses inconnues : couleur.",
    ),
    (
        "clause-type",
        _avenant,
        "patch",
        "",
        lambda a, w, t: {"clause_changes": {"duration_months": "long"}},
        "clause_changes",
        None,
    ),
    (
        "clauses-not-object",
        _avenant,
        "patch",
        "",
        lambda a, w, t: {"clause_changes": [1]},
        "clause_changes",
        None,
    ),
    (
        "sign-a-draft",
        _draft,
        "post",
        "sign/",
        lambda a, w, t: {
            "signatory": _own_signatory(a),
            "signed_on": "2025-01-01",
            "mode": "papier",
        },
        "non_field_errors",
        "n'est pas en signature",
    ),
    (
        "sign-in-the-future",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {
            "signatory": _own_signatory(a),
            "signed_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "mode": "papier",
        },
        "signed_on",
        "futur",
    ),
    (
        "sign-bad-mode",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {"signatory": _own_signatory(a), "signed_on": "2025-01-01", "mode": "fax"},
        "mode",
        "n'est pas un choix valide",
    ),
    (
        "sign-bad-date",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {"signatory": _own_signatory(a), "signed_on": "hier", "mode": "papier"},
        "signed_on",
        "La date n'a pas le bon format",
    ),
    (
        "sign-foreign-signatory",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {
            "signatory": _draft(w, t).signatories.first().pk,
            "signed_on": "2025-01-01",
            "mode": "papier",
        },
        "signatory",
        "Signataire inconnu(e) dans cette convention",
    ),
    (
        "sign-nothing",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {},
        "signatory",
        "obligatoire",
    ),
    (
        "sign-twice",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: _sign_once(a, t),
        "non_field_errors",
        "déjà enregistrée",
    ),
    (
        "terminate-without-reason",
        _signed,
        "post",
        "terminate/",
        lambda a, w, t: {"notice_received_on": "2025-01-01", "reason": "  "},
        "reason",
        None,
    ),
    (
        "terminate-in-the-future",
        _signed,
        "post",
        "terminate/",
        lambda a, w, t: {
            "notice_received_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "reason": "Fin",
        },
        "notice_received_on",
        "futur",
    ),
    (
        "terminate-foreign-party",
        _signed,
        "post",
        "terminate/",
        lambda a, w, t: {
            "notice_received_on": "2025-01-01",
            "reason": "Fin",
            "party": _other_party(w, t),
        },
        "party",
        "Partie inconnu(e) dans cette convention",
    ),
    (
        "terminate-a-draft",
        _draft,
        "post",
        "terminate/",
        lambda a, w, t: {"notice_received_on": "2025-01-01", "reason": "Fin"},
        "non_field_errors",
        "n'est pas permis",
    ),
    (
        "back-to-draft-without-note",
        _in_signature,
        "post",
        "back-to-draft/",
        lambda a, w, t: {},
        "note",
        "Indiquez pourquoi",
    ),
    (
        "back-to-draft-of-a-draft",
        _draft,
        "post",
        "back-to-draft/",
        lambda a, w, t: {"note": "x"},
        "non_field_errors",
        "n'est pas permis",
    ),
    (
        "abandon-without-note",
        _draft,
        "post",
        "abandon/",
        lambda a, w, t: {"note": ""},
        "note",
        "Indiquez pourquoi",
    ),
    (
        "abandon-in-force",
        _signed,
        "post",
        "abandon/",
        lambda a, w, t: {"note": "x"},
        "non_field_errors",
        "n'est pas permis",
    ),
    (
        "send-twice",
        _in_signature,
        "post",
        "send-for-signature/",
        lambda a, w, t: {},
        "non_field_errors",
        "n'est pas permis",
    ),
    (
        "note-too-long",
        _draft,
        "post",
        "abandon/",
        lambda a, w, t: {"note": "a" * 5001},
        "note",
        "au plus 5000",
    ),
    (
        "avenant-of-a-draft",
        _draft,
        "post",
        "avenants/",
        lambda a, w, t: {},
        "non_field_errors",
        "en vigueur",
    ),
    (
        "avenant-of-an-avenant",
        _avenant,
        "post",
        "avenants/",
        lambda a, w, t: {},
        "non_field_errors",
        "pas à un autre avenant",
    ),
    (
        "decline-a-draft",
        _draft,
        "post",
        "decline/",
        lambda a, w, t: {"title": "L", "scope": "bassin", "bassin": "BA1"},
        "non_field_errors",
        "en vigueur",
    ),
    (
        "decline-nationally",
        _signed,
        "post",
        "decline/",
        lambda a, w, t: {"title": "L", "scope": "national"},
        "scope",
        "n'est pas un choix valide",
    ),
    (
        "decline-without-title",
        _signed,
        "post",
        "decline/",
        lambda a, w, t: {"scope": "bassin", "bassin": "BA1"},
        "title",
        "obligatoire",
    ),
    (
        "party-without-side",
        _draft,
        "post",
        "parties/",
        lambda a, w, t: {"name": "X"},
        "side",
        "obligatoire",
    ),
    (
        "party-without-name",
        _draft,
        "post",
        "parties/",
        lambda a, w, t: {"side": "autre"},
        "name",
        "Indiquez le nom",
    ),
    (
        "party-hidden-organisation",
        _draft,
        "post",
        "parties/",
        lambda a, w, t: {"side": "autre", "organisation": w.company_b.pk},
        "organisation",
        "hors de votre périmètre",
    ),
    (
        "party-name-too-long",
        _draft,
        "post",
        "parties/",
        lambda a, w, t: {"side": "autre", "name": "n" * 256},
        "name",
        "au plus 255",
    ),
    (
        "signatory-party-type",
        _draft,
        "post",
        "signatories/",
        lambda a, w, t: {"party": "abc", "full_name": "X"},
        "party",
        "nombre entier valide",
    ),
    (
        "signatory-without-party",
        _draft,
        "post",
        "signatories/",
        lambda a, w, t: {"full_name": "X"},
        "party",
        "obligatoire",
    ),
    (
        "signatory-bad-email",
        _draft,
        "post",
        "signatories/",
        lambda a, w, t: {"party": a.parties.first().pk, "full_name": "X", "email": "non"},
        "email",
        "adresse e-mail valide",
    ),
    (
        "article-duplicate",
        _draft,
        "post",
        "articles/",
        lambda a, w, t: {"number": "1"},
        "number",
        "existe déjà",
    ),
    (
        "article-removes-in-a-convention",
        _draft,
        "post",
        "articles/",
        lambda a, w, t: {"number": "7", "removes": True},
        "removes",
        "Seul un avenant",
    ),
    (
        "article-without-number",
        _draft,
        "post",
        "articles/",
        lambda a, w, t: {"heading": "X"},
        "number",
        "obligatoire",
    ),
    (
        "commitment-bad-category",
        _draft,
        "post",
        "commitments/",
        lambda a, w, t: {"party": a.parties.first().pk, "category": "x", "description": "d"},
        "category",
        "n'est pas un choix valide",
    ),
    (
        "commitment-negative",
        _draft,
        "post",
        "commitments/",
        lambda a, w, t: {
            "party": a.parties.first().pk,
            "category": "cee",
            "description": "d",
            "quantity": -1,
        },
        "quantity",
        "supérieure ou égale à 0",
    ),
    (
        "commitment-blank",
        _draft,
        "post",
        "commitments/",
        lambda a, w, t: {"party": a.parties.first().pk, "category": "cee", "description": " "},
        "description",
        None,
    ),
    (
        "commitment-huge",
        _draft,
        "post",
        "commitments/",
        lambda a, w, t: {
            "party": a.parties.first().pk,
            "category": "cee",
            "description": "d",
            "quantity": 10**12,
        },
        "quantity",
        "inférieure ou égale",
    ),
]


def _sign_once(agreement, team):
    signatory = agreement.signatories.first()
    services.agreement_record_signature(
        user=team, signatory=signatory, signed_on=date(2025, 1, 1), mode="papier"
    )
    return {"signatory": signatory.pk, "signed_on": "2025-01-02", "mode": "papier"}


@pytest.mark.parametrize(
    "build, method, suffix, payload, field, message",
    [case[1:] for case in BAD_ACTIONS],
    ids=[case[0] for case in BAD_ACTIONS],
)
def test_bad_action_payload(
    world, team, client_for, build, method, suffix, payload, field, message
):
    agreement = build(world, team)
    body = payload(agreement, world, team)
    before = Agreement.objects.filter(pk=agreement.pk).values().get()
    rows = (agreement.parties.count(), agreement.signatories.count(), agreement.articles.count())
    client = client_for("academie_team")
    response = getattr(client, method)(detail(agreement, suffix), body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    if message:
        texts = [str(text).replace("\xa0", " ") for text in _flat(errors[field])]
        assert any(message in text for text in texts), texts
    after = Agreement.objects.filter(pk=agreement.pk).values().get()
    assert after == before
    assert rows == (
        agreement.parties.count(),
        agreement.signatories.count(),
        agreement.articles.count(),
    )


def _flat(errors):
    if isinstance(errors, dict):
        return [text for value in errors.values() for text in _flat(value)]
    if isinstance(errors, list):
        return [text for value in errors for text in _flat(value)]
    return [errors]


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

# token + reach + count + page + parties
LIST_QUERIES = 5
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
        services.article_save(user=team, agreement=avenant, data={"number": "1", "body": "Réécrit"})
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
