"""Permission matrix of the pupils' pages (/eleves/): every URL, every role.

School 1 has a pupil referred to the pôle of bassin 1 (« referred ») and a pupil on its
roster only (« roster »). The roster, its export and import are the school's; a pupil's
record is also read by the pôle their case is referred to; above the school, nothing.
"""

import pytest

from tests.conftest import ROLES
from tests.internships.factories import HubFactory, RomeCodeFactory, referred_case
from tests.pupils.factories import PupilFactory
from tests.www.matrix import LOGIN, check_answer, module_fixture, row

SCHOOL = ("head_of_school", "teacher")
POLE = ("hub_member",)


def only(answer, roles, default=404, **others):
    expected = row(default, **others)
    expected.update({role: answer for role in roles})
    return expected


SCHOOL_PAGES = only(200, SCHOOL, default=403)
EVERYONE = row(200)
SCHOOL_AND_POLE = only(200, SCHOOL + POLE)
SCHOOL_ONLY = only(200, SCHOOL)
SCHOOL_EDIT = only(200, SCHOOL, hub_member=403)


@pytest.fixture
def extra(world):
    return build_extra(world)


def build_extra(world):
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin)
    referred = referred_case(world.school, world.users["teacher"]).pupil
    roster = PupilFactory(establishment=world.school)
    return referred, roster


world_extra_once = module_fixture(lambda w: (w, build_extra(w)))


MATRIX = [
    ("pupils:roster", lambda w, x: "/eleves/", "get", SCHOOL_PAGES),
    ("pupils:export", lambda w, x: "/eleves/export/?format=xlsx", "get", SCHOOL_PAGES),
    ("pupils:pupil_create", lambda w, x: "/eleves/nouveau/", "get", SCHOOL_PAGES),
    ("pupils:import", lambda w, x: "/eleves/importer/", "get", SCHOOL_PAGES),
    ("pupils:template", lambda w, x: "/eleves/modele.csv", "get", EVERYONE),
    ("pupils:pupil_detail", lambda w, x: f"/eleves/{x[0].pk}/", "get", SCHOOL_AND_POLE),
    ("pupils:pupil_detail", lambda w, x: f"/eleves/{x[1].pk}/", "get", SCHOOL_ONLY),
    ("pupils:pupil_edit", lambda w, x: f"/eleves/{x[0].pk}/modifier/", "get", SCHOOL_EDIT),
    ("pupils:pupil_edit", lambda w, x: f"/eleves/{x[1].pk}/modifier/", "get", SCHOOL_ONLY),
]

CASES = [
    pytest.param(name, build, method, role, expected[role], id=f"{name}-{i}-{role}")
    for i, (name, build, method, expected) in enumerate(MATRIX)
    for role in ROLES
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), CASES)
def test_pupils_matrix(world_extra_once, db, client_for, name, build, method, role, expected):
    world, extra = world_extra_once
    assert expected == LOGIN or isinstance(expected, int)
    check_answer(client_for(world.users[role]), build(world, extra), method, role, expected)
