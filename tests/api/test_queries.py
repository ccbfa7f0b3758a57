"""Frozen numbers of SQL queries: a list costs the same whatever its length, so an N+1 fails.

Each list is read with several objects whose related rows (commune, bassin, académie,
parent, NAF…) are all distinct, so that any lazy relation would add queries. The count
includes the token lookup (1) and the user's reach (1, memberships)."""

import pytest

from relais.nomenclatures.models import NafCode
from tests.factories import (
    AcademieFactory,
    BassinFactory,
    CommuneFactory,
    DepartementFactory,
    EstablishmentFactory,
    OrganisationFactory,
)

from .conftest import token_client

# token + reach + count + page
LIST_QUERIES = 4


def more_objects(world, number: int) -> None:
    for index in range(number):
        academie = AcademieFactory(code=f"Q{index:02d}", name=f"Académie Q{index}")
        bassin = BassinFactory(academie=academie)
        commune = CommuneFactory(departement=DepartementFactory(academie=academie))
        EstablishmentFactory(academie=academie, bassin=bassin, commune=commune)
        naf = NafCode.objects.create(
            code=f"{10 + index}.11Z",
            label=f"Activité {index}",
            section="C",
            division=f"{10 + index}",
            group=f"{10 + index}.1",
            naf_class=f"{10 + index}.11",
        )
        OrganisationFactory(
            academie=academie,
            commune=commune,
            naf=naf,
            parent=OrganisationFactory(professional=True, academie=academie),
        )


LISTS = [
    ("/api/v1/academies/", LIST_QUERIES),
    ("/api/v1/bassins/", LIST_QUERIES),
    ("/api/v1/departements/", LIST_QUERIES - 1),  # public data: no reach needed
    ("/api/v1/communes/", LIST_QUERIES - 1),
    ("/api/v1/etablissements/", LIST_QUERIES),
    ("/api/v1/organisations/", LIST_QUERIES),
    # A filter by académie code checks the code among the académies in reach: +1.
    ("/api/v1/etablissements/?academie=A10&kind=college&q=jean", LIST_QUERIES + 1),
    ("/api/v1/organisations/?academie=A10&status=all", LIST_QUERIES + 1),
    ("/api/v1/communes/?q=mont", LIST_QUERIES - 1),
]


@pytest.mark.parametrize("url, expected", LISTS)
def test_list_queries_do_not_grow_with_the_list(
    world, users, django_assert_num_queries, url, expected
):
    client = token_client(users["national_admin"])
    with django_assert_num_queries(expected):
        small = client.get(url)
    more_objects(world, 6)
    client = token_client(users["national_admin"])
    with django_assert_num_queries(expected):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    if "?" not in url:
        assert large.json()["count"] >= small.json()["count"] + 6


@pytest.mark.parametrize("role", ["academie_team", "teacher", "organisation_rep"])
def test_scoped_lists_have_the_same_cost(world, users, django_assert_num_queries, role):
    more_objects(world, 4)
    client = token_client(users[role])
    # A representative's reach also walks their organisation's tree: one query per level
    # (the organisation, its children, then no grandchild).
    extra = 2 if role == "organisation_rep" else 0
    for url in ["/api/v1/etablissements/", "/api/v1/organisations/", "/api/v1/bassins/"]:
        with django_assert_num_queries(LIST_QUERIES + extra):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/api/v1/academies/A10/", 3),
        ("/api/v1/bassins/BA1/", 3),
        ("/api/v1/communes/34172/", 2),
        ("/api/v1/departements/34/", 2),
    ],
)
def test_detail_queries(world, users, django_assert_num_queries, url, expected):
    client = token_client(users["national_admin"])
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_establishment_and_organisation_detail_queries(world, users, django_assert_num_queries):
    client = token_client(users["national_admin"])
    with django_assert_num_queries(3):
        assert client.get(f"/api/v1/etablissements/{world.school_a1.uai}/").status_code == 200
    with django_assert_num_queries(3):
        assert client.get(f"/api/v1/organisations/{world.child_a.pk}/").status_code == 200
