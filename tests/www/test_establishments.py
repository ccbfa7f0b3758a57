import csv
import io

import pytest

from relais.establishments.enums import EstablishmentKind
from tests.factories import BassinFactory, CommuneFactory, EstablishmentFactory


def _rows(response):
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


def test_list_shows_only_the_reach(world, client_for):
    client = client_for(world.users["academie_team"])
    response = client.get("/etablissements/")
    names = [e.name for e in response.context["page_obj"]]
    assert sorted(names) == ["Collège Voisin", "Collège Étienne Dolet"]

    client = client_for(world.users["teacher"])
    names = [e.name for e in client.get("/etablissements/").context["page_obj"]]
    assert names == ["Collège Étienne Dolet"]


@pytest.mark.parametrize("query", ["etienne", "ÉTIENNE dolet", "Dolet"])
def test_search_ignores_accents_and_case(world, client_for, query):
    client = client_for(world.users["national_admin"])
    response = client.get("/etablissements/", {"q": query})
    assert [e.uai for e in response.context["page_obj"]] == [world.school.uai]


def test_search_by_uai_and_commune(world, client_for):
    client = client_for(world.users["national_admin"])
    response = client.get("/etablissements/", {"q": world.school2.uai.lower()})
    assert [e.uai for e in response.context["page_obj"]] == [world.school2.uai]
    response = client.get("/etablissements/", {"q": world.school_other.commune.name})
    assert world.school_other.uai in [e.uai for e in response.context["page_obj"]]


def test_filters(world, client_for):
    client = client_for(world.users["national_admin"])
    page = client.get("/etablissements/", {"priority": "REP+"}).context["page_obj"]
    assert [e.uai for e in page] == [world.school.uai]
    page = client.get("/etablissements/", {"bassin": world.bassin2.pk}).context["page_obj"]
    assert [e.uai for e in page] == [world.school2.uai]
    page = client.get("/etablissements/", {"academie": world.other.pk}).context["page_obj"]
    assert [e.uai for e in page] == [world.school_other.uai]
    page = client.get("/etablissements/", {"kind": "lycee"}).context["page_obj"]
    assert list(page) == []


def test_filter_on_a_bassin_outside_the_reach_is_refused(world, client_for):
    client = client_for(world.users["teacher"])
    response = client.get("/etablissements/", {"bassin": world.bassin2.pk})
    assert response.context["filter"].errors  # not a valid choice for this user
    assert world.school2.uai not in response.content.decode()


def test_export_follows_scope_and_filters(world, client_for):
    client = client_for(world.users["academie_team"])
    rows = _rows(client.get("/etablissements/export.csv"))
    assert rows[0][0] == "UAI"
    assert {r[0] for r in rows[1:]} == {world.school.uai, world.school2.uai}
    rows = _rows(client.get("/etablissements/export.csv", {"priority": "any"}))
    assert [r[0] for r in rows[1:]] == [world.school.uai]


def test_detail_page(world, client_for):
    client = client_for(world.users["head_of_school"])
    response = client.get(f"/etablissements/{world.school.uai.lower()}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Collège Étienne Dolet" in body and "REP+" in body and "BASSIN UN" in body


def _populate(academie, count):
    bassin = BassinFactory(academie=academie)
    for index in range(count):
        EstablishmentFactory(
            academie=academie,
            bassin=bassin if index % 2 else None,
            commune=CommuneFactory(departement__academie=academie) if index % 3 else None,
            kind=EstablishmentKind.LYCEE if index % 4 else EstablishmentKind.COLLEGE,
        )


# Session, user, memberships; count + rows of the page; the académie and bassin choices of
# the filter form (a count and a cursor each).
LIST_QUERIES = 9


@pytest.mark.parametrize("extra", [3, 40])
def test_list_query_count_is_constant(world, client_for, django_assert_num_queries, extra):
    _populate(world.home, extra)
    client = client_for(world.users["academie_team"])
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/etablissements/", {"q": "coll"})
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [3, 40])
def test_detail_query_count(world, client_for, django_assert_num_queries, extra):
    _populate(world.home, extra)
    client = client_for(world.users["academie_team"])
    # Session, user, memberships, the school; then the hub's sections (issue 14):
    # conventions, clubs, periods, action requests, actions done, partners nearby.
    with django_assert_num_queries(10):
        assert client.get(f"/etablissements/{world.school.uai}/").status_code == 200


def test_history_page_shows_changes(world, client_for):
    world.school.name = "Collège Étienne-Dolet"
    world.school.save()
    client = client_for(world.users["academie_team"])
    body = client.get(f"/etablissements/{world.school.uai}/historique/").content.decode()
    assert "Modification" in body and "Collège Étienne-Dolet" in body
    assert "Collège Étienne Dolet" in body  # the value before
