"""Permission matrix of the parcours Avenir pages: names stay in the pupil's school."""

import datetime

import pytest

from relais.core.clock import today
from relais.pathways.services import ExperienceData, class_credit, internship_record
from relais.pupils.models import Pupil
from relais.pupils.services import pupil_fill
from relais.pupils.years import roster_year_of
from tests.www.matrix import cases, check_answer, module_fixture, row

# The school's own staff (school 1); anyone else gets a 404 (another school's pupils do not
# exist for them).
SCHOOL = row(404, head_of_school=200, teacher=200)
SCHOOL_POST = row(404, head_of_school=302, teacher=302)


@pytest.fixture
def parcours(world):
    return build_parcours(world)


def build_parcours(world):
    w = world
    year = roster_year_of(today())
    w.year = year
    w.pupils = []
    for last, first in (("Martin", "Léa"), ("Diallo", "Moussa")):
        pupil = pupil_fill(Pupil(establishment=w.school), {
            "last_name": last, "first_name": first, "class_label": "3e B", "level": "3e",
            "school_year": year})  # fmt: skip
        pupil.save()
        w.pupils.append(pupil)
    w.experience = class_credit(
        user=w.users["teacher"], establishment=w.school, school_year=year,
        class_labels=["3e B"],
        data=ExperienceData(kind="visite", date=datetime.date(year, 11, 5), title="Visite"),
    )  # fmt: skip
    w.placement = internship_record(
        pupil=w.pupils[0], kind="stage_3e", date=datetime.date(year + 1, 1, 12),
        organisation=w.company, place="", source_ref="internships.placement:99",
    )  # fmt: skip
    return w


parcours_once = module_fixture(build_parcours)


MATRIX = [
    ("pathways:school", lambda w: f"/parcours/etablissements/{w.school.pk}/", "get", SCHOOL),
    (
        "pathways:class",
        lambda w: f"/parcours/etablissements/{w.school.pk}/classes/3e B/",
        "get",
        SCHOOL,
    ),
    (
        "pathways:credit",
        lambda w: f"/parcours/etablissements/{w.school.pk}/experience/",
        "get",
        SCHOOL,
    ),  # fmt: skip
    (
        "pathways:experience",
        lambda w: f"/parcours/experiences/{w.experience.pk}/",
        "get",
        SCHOOL,
    ),  # fmt: skip
    (
        "pathways:experience_delete",
        lambda w: f"/parcours/experiences/{w.experience.pk}/supprimer/",
        "post",
        SCHOOL_POST,
    ),  # fmt: skip
    (
        "pathways:internship",
        lambda w: f"/parcours/eleves/{w.pupils[1].pk}/stage/",
        "get",
        SCHOOL,
    ),  # fmt: skip
]
# The entry page redirects each role to its own page (tested in test_pathways_school.py).
COVERED_ELSEWHERE = {"pathways:home"}


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_pathways_matrix(parcours_once, db, client_for, name, build, method, role, expected):
    check_answer(
        client_for(parcours_once.users[role]), build(parcours_once), method, role, expected
    )
