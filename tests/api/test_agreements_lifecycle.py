"""The life of a convention through the API: creation and edition of drafts, sending for
signature, signatures and entry into force, avenants, computed dates, termination, back to
draft and abandon, local declinations and the rows of a draft (tests/api/agreement_fixtures.py
for the shared fixtures)."""

# The shared fixtures are imported by name and taken as arguments.
# ruff: noqa: F811

from django.utils import timezone

from relais.agreements import services
from relais.agreements.models import Agreement, Article, Commitment, Party, Signatory
from tests.agreements.factories import draft_agreement, in_force_agreement

from .agreement_fixtures import LIST, admin, detail, draft, ids, lille, team  # noqa: F401

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
    assert body["actions"] == {
        "transitions": ["abandon"],  # no party yet: not ready for signature
        "edit": True,
        "amend": False,
        "decline": False,
        "add_scan": False,
    }
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
        {
            "number": "2",
            "heading": "Axe 2 modifié",
            "body": "Nouveau texte",
            "operation": "remplace",
        },  # fmt: skip
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
        "ending": "resiliation",
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
            "signs_adhesions": False,
            "withdrawal_notice_on": None,
            "withdrawn_on": None,
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
    assert again.json()["non_field_errors"] == [
        "Impossible : « Enregistrer une résiliation » n'est pas possible dans l'état "
        "« Fin notifiée »."
    ]


def test_back_to_draft_and_abandon(world, draft, client_for):
    client = client_for("academie_team")
    sent = client.post(detail(draft, "send-for-signature/"), {}, format="json").json()
    assert sent["actions"]["transitions"] == ["retour_brouillon", "signature", "abandon"]
    assert sent["actions"]["add_scan"] and not sent["actions"]["edit"]
    response = client.post(detail(draft, "back-to-draft/"), {"note": "Erreur d'adresse"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "brouillon"
    assert [version["number"] for version in response.json()["versions"]] == [1]
    response = client.post(detail(draft, "abandon/"), {"note": "Projet arrêté"}, format="json")
    assert response.status_code == 200
    assert response.json()["state"] == "abandonnee"
    assert list(draft.journal.values_list("transition", flat=True)) == [
        "creation",
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
