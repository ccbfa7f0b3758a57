"""The training API end to end (issue 15, items 5 and 6): a consulted organisation gives
its opinion, a partner reports a métier en tension, a company answers a CV up to the
contract, counted against the commitment (small counts hidden); who reads what, with
frozen query counts."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from relais.training import services
from relais.users.enums import Role
from tests.factories import make_user
from tests.training.factories import casnav_member, convention_in_force, newcomer, section


@pytest.fixture
def api(world):
    world.company.parent = world.regional
    world.company.save()
    convention_in_force(world.home, world.regional, casnav=5)
    world.casnav = casnav_member(make_user(), world.home)
    world.union_rep = make_user(Role.ORGANISATION_REP, world.regional)
    return world


def test_opinion_and_shortage_through_the_api(api, client_for):
    team = api.users["academie_team"]
    change = services.change_create(
        user=team, kind="fermeture", section=section(api.school),
        data={"reason": "Plus de candidats.", "effective_on": date(2027, 9, 1)},
    )  # fmt: skip
    change = services.change_submit(user=team, change=change)
    opinion = change.opinions.get()
    client = client_for(api.union_rep)
    url = f"/api/v1/formations/evolutions/{change.pk}/avis/"
    refused = client.post(url, {"opinion_id": opinion.pk, "opinion": "defavorable"})
    assert refused.status_code == 400 and "s'explique" in refused.content.decode()
    given = client.post(
        url, {"opinion_id": opinion.pk, "opinion": "reserve", "comment": "Trop tôt."}
    )
    assert given.status_code == 200 and given.json()["opinion"] == "reserve"
    assert client_for(api.users["organisation_rep"]).post(
        url, {"opinion_id": opinion.pk, "opinion": "favorable"}
    ).status_code in (403, 404)
    reported = client_for(api.union_rep).post(
        "/api/v1/formations/metiers-en-tension/",
        {
            "organisation_id": api.regional.pk,
            "academie": api.home.code,
            "sector": "D",
            "job": "Boulanger",
        },
    )
    assert reported.status_code == 201
    listed = client_for(api.users["teacher"]).get("/api/v1/formations/sections/?secteur=D").json()
    assert listed["count"] == 1
    assert (
        client_for(api.users["volunteer"]).get("/api/v1/formations/sections/").json()["count"] == 0
    )


def test_a_cv_answered_up_to_the_contract_through_the_api(
    api, client_for, django_assert_num_queries
):
    young = newcomer(api.casnav, api.home)
    services.newcomer_share(user=api.casnav, newcomer=young, organisation=api.regional)
    company = client_for(api.users["organisation_rep"])
    with django_assert_num_queries(9):
        listed = company.get("/api/v1/jeunes-allophones/").json()
    assert [row["first_name"] for row in listed["results"]] == ["Amadou"]
    other = newcomer(api.casnav, api.home, first_name="Binta")
    services.newcomer_share(user=api.casnav, newcomer=other, organisation=api.regional)
    with django_assert_num_queries(9):  # the same with two CVs: no query per row
        assert company.get("/api/v1/jeunes-allophones/").json()["count"] == 2
    for role in ("academie_team", "national_admin", "teacher"):
        assert client_for(api.users[role]).get("/api/v1/jeunes-allophones/").json()["count"] == 0
    assert (
        client_for(api.union_rep).get(f"/api/v1/jeunes-allophones/{young.pk}/").status_code == 404
    )
    company = client_for(api.users["organisation_rep"])
    answer = company.post(
        f"/api/v1/jeunes-allophones/{young.pk}/reponse/", {"company_id": api.company.pk}
    )
    assert answer.status_code == 201
    answer_id = answer.json()["id"]
    base = f"/api/v1/jeunes-allophones/{young.pk}/reponse"
    day = (timezone.localdate() + timedelta(days=2)).isoformat()
    assert (
        company.post(
            f"{base}/proposer_entretien/", {"answer_id": answer_id, "interview_on": day}
        ).status_code
        == 200
    )
    missing = company.post(f"{base}/promettre/", {"answer_id": answer_id})
    assert missing.status_code == 400 and "contrat promis" in missing.content.decode()
    assert (
        company.post(
            f"{base}/promettre/", {"answer_id": answer_id, "contract_kind": "apprentissage"}
        ).status_code
        == 200
    )
    signed = company.post(f"{base}/signer/", {"answer_id": answer_id})
    assert signed.json()["state"] == "contrat"
    seen = client_for(api.casnav).get(f"/api/v1/jeunes-allophones/{young.pk}/").json()
    assert [a["state"] for a in seen["answers"]] == ["contrat"]
    [line] = client_for(api.union_rep).get("/api/v1/jeunes-allophones/engagements/").json()
    assert line["committed"] == 5 and line["contracts"] == "< 11"
