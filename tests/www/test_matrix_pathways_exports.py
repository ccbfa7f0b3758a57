"""Permission matrix of the parcours Avenir exports (issue 10, item 5): the pupil's PDF and
JSON and the class's PDF are for the pupil's school's staff only; anyone else, the pôle de
stages and the académie included, gets a 404."""

import datetime

import pytest

from relais.core.clock import today
from relais.pathways.services import ExperienceData, class_credit
from relais.pupils.models import Pupil
from relais.pupils.services import pupil_fill
from relais.pupils.years import roster_year_of
from tests.www.matrix import cases, check_answer, module_fixture, row

SCHOOL = row(404, head_of_school=200, teacher=200)


def add_pupil(school, last: str, first: str, year: int, klass: str = "3e B") -> Pupil:
    data = {"last_name": last, "first_name": first, "class_label": klass, "level": "3e",
            "school_year": year}  # fmt: skip
    pupil = pupil_fill(Pupil(establishment=school), data)
    pupil.save()
    return pupil


def build_exports(world):
    w = world
    w.year = roster_year_of(today())
    w.pupils = [add_pupil(w.school, "Martin", "Léa", w.year),
                add_pupil(w.school, "Diallo", "Moussa", w.year)]  # fmt: skip
    class_credit(
        user=w.users["teacher"], establishment=w.school, school_year=w.year,
        class_labels=["3e B"],
        data=ExperienceData(kind="visite", date=datetime.date(w.year, 11, 5), title="Visite"),
    )  # fmt: skip
    return w


exports_once = module_fixture(build_exports)


MATRIX = [
    (
        "pathways:pupil_pdf",
        lambda w: f"/parcours/eleves/{w.pupils[0].pk}/parcours.pdf",
        "get",
        SCHOOL,
    ),  # fmt: skip
    (
        "pathways:pupil_json",
        lambda w: f"/parcours/eleves/{w.pupils[0].pk}/parcours.json",
        "get",
        SCHOOL,
    ),  # fmt: skip
    (
        "pathways:class_pdf",
        lambda w: f"/parcours/etablissements/{w.school.pk}/pdf/3e B/?annee={w.year}",
        "get",
        SCHOOL,
    ),  # fmt: skip
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_pathways_exports_matrix(exports_once, db, client_for, name, build, method, role, expected):
    check_answer(client_for(exports_once.users[role]), build(exports_once), method, role, expected)
