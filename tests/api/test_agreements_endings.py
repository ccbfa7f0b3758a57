"""Issue 13 through the API: every way a convention ends, the state computed on read on a
reference date (``?on=``) in the list and the detail, the parties as of a date, avenant
articles that say what they do."""
# The shared fixtures are imported by name and taken as arguments.
# ruff: noqa: F811

from datetime import date

from relais.agreements import services
from tests.agreements.factories import in_force_agreement, sign_all

from .agreement_fixtures import LIST, detail, lille, team  # noqa: F401

CPME = {"duration_months": 36, "notice_months": 3, "termination_months": 3}


def test_non_renewal_of_the_cpme_text(world, team, client_for):
    """CPME Île-de-France: three years, no tacit renewal, 3 months' notice of non-renewal."""
    cpme = in_force_agreement(team, world.academie_a, fields=CPME, signed_on=date(2024, 5, 22))
    client = client_for("academie_team")
    body = client.get(detail(cpme), {"on": "2026-01-01"}).json()
    assert body["dates"]["notice_deadline"] == "2027-02-21"
    assert body["day_state"] == {
        "on": "2026-01-01",
        "code": "en_vigueur",
        "label": "En vigueur",
        "text": "En vigueur",
    }
    assert "non_reconduction" in body["actions"]["transitions"]
    response = client.post(
        detail(cpme, "non-renewal/"),
        {"on": "2026-11-30", "reason": "Nouvelle convention régionale"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["termination"]["ending"] == "non_reconduction"
    assert body["dates"]["terminated_on"] == "2027-05-21"
    assert body["day_state"]["text"] == "En préavis (fin le 21/05/2027)"
    later = client.get(detail(cpme), {"on": "2027-06-01"}).json()["day_state"]
    assert later["code"] == "terminee"
    line = next(item for item in client.get(LIST).json()["results"] if item["id"] == cpme.pk)
    assert line["state"] == "resiliee" and line["day_state"]["code"] == "en_preavis"


def test_breach_mutual_and_withdrawal(world, lille, team, client_for):
    client = client_for("academie_team")
    missing = client.post(detail(lille, "breach/"), {"on": "2026-11-30"}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    future = client.post(
        detail(lille, "mutual/"),
        {"on": "2026-11-02", "ends_on": "2026-10-01", "reason": "Accord"},
        format="json",
    )
    assert future.status_code == 400
    assert "ne peut pas précéder" in future.json()["ends_on"][0]
    other = in_force_agreement(team, world.academie_a, partners=2, signed_on=date(2024, 1, 2))
    partner = other.parties.get(name="Partenaire 2")
    response = client.post(
        detail(other, "withdraw/"),
        {"party": partner.pk, "on": "2026-09-01", "reason": "Départ"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "en_vigueur"
    assert "Partenaire 2" not in [p["name"] for p in body["parties"]]  # gone by today (+2 months)
    before = client.get(detail(other), {"on": "2026-10-01"}).json()
    assert "Partenaire 2" in [p["name"] for p in before["parties"]]
    withdrawn = next(p for p in before["parties"] if p["name"] == "Partenaire 2")
    assert withdrawn["withdrawn_on"] == "2026-11-01"
    response = client.post(
        detail(lille, "breach/"), {"on": "2026-11-30", "reason": "Manquement"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["termination"]["ending"] == "resiliation_faute"


def test_avenant_articles_and_parties_as_of_a_date(world, lille, team, client_for):
    client = client_for("academie_team")
    avenant = client.post(detail(lille, "avenants/"), {}, format="json").json()
    url = f"{LIST}{avenant['id']}/articles/"
    silent = client.post(url, {"number": "1", "body": "Objet réécrit"}, format="json")
    assert silent.status_code == 400 and "operation" in silent.json()
    response = client.post(
        url, {"number": "1", "body": "Objet réécrit", "operation": "remplace"}, format="json"
    )
    assert response.status_code == 201 and response.json()["operation"] == "remplace"
    added = client.post(url, {"number": "3", "body": "Ajout"}, format="json").json()
    assert added["operation"] == "ajoute"
    the_avenant = lille.avenants.get()
    services.agreement_update(
        user=team, agreement=the_avenant, data={"effective_date": date(2025, 1, 1)}
    )
    sign_all(team, the_avenant, on=date(2024, 12, 1))
    before = client.get(detail(lille), {"on": "2024-12-31"}).json()
    after = client.get(detail(lille), {"on": "2025-01-01"}).json()
    assert before["applied_avenants"] == [] and len(after["applied_avenants"]) == 1
    assert [a["number"] for a in after["articles"]] == ["1", "2", "3"]
    assert after["articles"][0]["body"] == "Objet réécrit"
    assert before["articles"][0]["body"] != "Objet réécrit"
