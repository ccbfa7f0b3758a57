"""A school with two classes of a roster, made through the real services."""

import datetime

import pytest
import time_machine

from relais.pupils.models import Pupil
from relais.pupils.services import pupil_fill
from relais.users.enums import Role
from tests.factories import EstablishmentFactory, make_user

# A day of the roster year 2026-2027, before most experiences of the tests.
TODAY = datetime.date(2027, 3, 15)
YEAR = 2026


def add_pupil(school, last, first, klass="3e B", level="3e", year=YEAR, **flags) -> Pupil:
    data = {"last_name": last, "first_name": first, "class_label": klass, "level": level,
            "school_year": year, **flags}  # fmt: skip
    pupil = pupil_fill(Pupil(establishment=school), data)
    pupil.save()
    return pupil


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2027, 3, 15, 10, 0), tick=False):
        yield TODAY


@pytest.fixture
def school(db):
    return EstablishmentFactory(name="Collège Voltaire")


@pytest.fixture
def rep_school(db, school):
    return EstablishmentFactory(
        name="Collège Jules Ferry", rep=True, academie=school.academie, bassin=school.bassin
    )


@pytest.fixture
def teacher(school):
    return make_user(Role.TEACHER, school)


@pytest.fixture
def class_3b(school):
    names = [("Martin", "Léa"), ("Diallo", "Moussa"), ("Bernard", "Hugo"), ("Petit", "Inès")]
    return [add_pupil(school, last, first) for last, first in names]
