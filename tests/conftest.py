"""A small world of two académies, used by the permission matrix and the page tests.

Académie « home »: bassin 1 with school 1 (REP+), bassin 2 with school 2, a local company, a
regional and a national professional organisation. Académie « other »: school 3 and a company.
"""

from dataclasses import dataclass

import pytest

from relais.users.enums import Role
from tests.factories import (
    AcademicRegionFactory,
    AcademieFactory,
    BassinFactory,
    EstablishmentFactory,
    OrganisationFactory,
    make_user,
)


@dataclass
class World:
    home: object
    other: object
    bassin: object
    bassin2: object
    school: object
    school2: object
    school_other: object
    company: object
    company_other: object
    regional: object
    national: object
    users: dict


ROLES = [
    "anonymous",
    "no_membership",
    "national_admin",
    "academie_team",
    "bassin_referent",
    "hub_member",
    "head_of_school",
    "teacher",
    "organisation_rep",
    "volunteer",
]


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> World:
    """The world of the module docstring (also built once per module by the permission
    matrices: ``tests.www.matrix.module_fixture``)."""
    region = AcademicRegionFactory(code="R1", name="Région Une")
    home = AcademieFactory(code="91", name="Maison", region=region)
    other = AcademieFactory(code="92", name="Ailleurs", region=AcademicRegionFactory(code="R2"))
    bassin = BassinFactory(academie=home, name="BASSIN UN")
    bassin2 = BassinFactory(academie=home, name="BASSIN DEUX")
    school = EstablishmentFactory(
        academie=home, bassin=bassin, rep_plus=True, name="Collège Étienne Dolet"
    )
    school2 = EstablishmentFactory(academie=home, bassin=bassin2, name="Collège Voisin")
    school_other = EstablishmentFactory(academie=other, name="Collège Lointain")
    national = OrganisationFactory(national=True, name="Mouvement national", acronym="MN")
    regional = OrganisationFactory(
        professional=True,
        name="Union régionale",
        level="regional",
        academie=None,
        academic_region=region,
        parent=national,
    )
    company = OrganisationFactory(academie=home, name="Boulangerie du Lez")
    company_other = OrganisationFactory(academie=other, name="Garage lointain")
    users = {
        "anonymous": None,
        "no_membership": make_user(),
        "national_admin": make_user(Role.NATIONAL_ADMIN, is_staff=True, is_superuser=True),
        "academie_team": make_user(Role.ACADEMIE_TEAM, home),
        "bassin_referent": make_user(Role.BASSIN_REFERENT, bassin),
        "hub_member": make_user(Role.HUB_MEMBER, bassin),
        "head_of_school": make_user(Role.HEAD_OF_SCHOOL, school),
        "teacher": make_user(Role.TEACHER, school),
        "organisation_rep": make_user(Role.ORGANISATION_REP, company),
        "volunteer": make_user(Role.VOLUNTEER, home),
    }
    return World(
        home,
        other,
        bassin,
        bassin2,
        school,
        school2,
        school_other,
        company,
        company_other,
        regional,
        national,
        users,
    )


@pytest.fixture
def client_for(client):
    def _client(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return _client


@pytest.fixture
def user_factory(db):
    """Build a user holding one role on one scope: ``user_factory(Role.TEACHER, school)``."""
    return make_user


def pytest_collection_modifyitems(items):
    """Within each module, the cases that share a module-wide world (a fixture named
    ``…_once``: ``tests.www.matrix.module_fixture``) run after the module's other tests, so
    that a world built for one test never meets the module's world in the database (their
    factories' codes would collide). Modules keep their order, and so does each group."""
    first = {}
    for index, item in enumerate(items):
        first.setdefault(item.module, index)
    # A stable sort: within a module and a group, the collection order stays.
    items.sort(
        key=lambda item: (
            first[item.module],
            any(name.endswith("_once") for name in item.fixturenames),
        )
    )
