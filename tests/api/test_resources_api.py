"""API of the library of kits and resources and of the preparation of the stage de 3e
(issue 15, items 1 and 2), end to end: the académie team adds a tutor kit and versions it,
each role reads what it may, a school marks its class's preparation, the pôle reads it."""

import datetime

import pytest
import time_machine

from relais.internships.enums import SchoolLevel
from tests.api.conftest import ROLES, results
from tests.internships.factories import PeriodFactory
from tests.pupils.factories import PupilFactory

BEFORE = datetime.datetime(2026, 1, 23, 9, tzinfo=datetime.UTC)
KIT = {"title": "Kit du tuteur", "audience": "entreprises", "kind": "kit_tuteur",
       "academie": "A10", "body": "Accueillir l'élève une journée par service."}  # fmt: skip


def test_the_academie_team_adds_then_versions_a_kit(world, client_for):
    team = client_for("academie_team")
    response = team.post("/api/v1/ressources/", KIT, format="json")
    assert response.status_code == 201, response.content
    location = response["Location"]
    body = team.get(location).json()
    assert body["version"]["number"] == 1 and body["academie"] == "A10"
    response = team.post(
        f"{location}nouvelle-version/", {"body": "Plus court", "note": "v2"}, format="json"
    )
    assert response.status_code == 200
    assert [v["number"] for v in response.json()["versions"]] == [2, 1]
    assert response.json()["uses"] == {"opens": 0, "downloads": 0, "sends": 0}
    # Bad input: French errors per field, nothing written.
    response = team.post("/api/v1/ressources/", {**KIT, "academie": "ZZZ"}, format="json")
    assert response.status_code == 400 and "Académie inconnue" in str(response.json())
    response = team.post("/api/v1/ressources/", {**KIT, "kind": "guide", "body": ""}, format="json")
    assert response.status_code == 400 and "un texte, un lien ou un fichier" in str(response.json())
    response = team.post("/api/v1/ressources/", {**KIT, "academie": ""}, format="json")
    assert response.status_code == 403  # national resources are the national team's


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_and_who_writes(world, client_for, role):
    client_for("academie_team").post("/api/v1/ressources/", KIT, format="json")
    listed = results(client_for(role).get("/api/v1/ressources/?public=entreprises"))
    assert len(listed) == (0 if role == "no_membership" else 1)
    if listed:
        assert (listed[0]["uses"] is not None) == (role in ("national_admin", "academie_team"))
    other = {**KIT, "title": "Autre", "kind": "guide"}
    created = client_for(role).post("/api/v1/ressources/", other, format="json")
    assert created.status_code == (201 if role in ("national_admin", "academie_team") else 403)


def test_anonymous_gets_401(world, db):
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/ressources/").status_code == 401
    assert APIClient().get("/api/v1/stages/preparations/").status_code == 401


def test_preparation_end_to_end(world, client_for):
    PupilFactory(establishment=world.school_a1, class_label="3e A")
    period = PeriodFactory(establishment=world.school_a1, level=SchoolLevel.THIRD)
    step = {"period": period.pk, "class_label": "3e A", "topic": "objectifs",
            "done_on": "2026-01-20"}  # fmt: skip
    with time_machine.travel(BEFORE, tick=False):
        for role, expected in (("hub_member", 403), ("organisation_rep", 404), ("teacher", 200)):
            response = client_for(role).post(
                "/api/v1/stages/preparations/contenus/", step, format="json"
            )
            assert response.status_code == expected, role
        assert response.json()["done"] == {"objectifs": "2026-01-20"}
        bad = client_for("teacher").post(
            "/api/v1/stages/preparations/contenus/",
            {**step, "done_on": "2026-03-01"},
            format="json",
        )
        assert bad.status_code == 400 and "à venir" in str(bad.json())
        rows = results(client_for("hub_member").get("/api/v1/stages/preparations/?annee=2025"))
        assert [(r["class_label"], r["prepared"], r["pupils"]) for r in rows] == [
            ("3e A", False, None)
        ]
        rows = results(client_for("teacher").get("/api/v1/stages/preparations/?annee=2025"))
        assert rows[0]["pupils"] == 1  # the school reads its own small counts
        assert results(client_for("volunteer").get("/api/v1/stages/preparations/?annee=2025")) == []
        bad = client_for("teacher").get("/api/v1/stages/preparations/?annee=abc")
        assert bad.status_code == 400
