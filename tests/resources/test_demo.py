"""The demo loaders of the library and of the preparation of the stage de 3e: cheap and
idempotent (without load_demo)."""

import datetime

import time_machine

from relais.internships import demo_preparation
from relais.internships.models import PreparationStep
from relais.resources import demo
from relais.resources.models import Resource
from relais.resources.selectors import tutor_kit_for
from relais.users.enums import Role
from tests.factories import AcademieFactory, EstablishmentFactory, make_user
from tests.internships.factories import PeriodFactory
from tests.pupils.factories import PupilFactory


def test_library_demo_is_idempotent_and_follows_the_texts(db):
    montpellier = AcademieFactory(code="11", name="Montpellier")
    assert demo.load().startswith("Kits et ressources : 12")
    assert demo.load() == ""
    national = Resource.objects.get(kind="kit_tuteur", academie=None)
    assert national.current.number == 2 and national.versions.count() == 2
    assert tutor_kit_for(academie_id=montpellier.pk).academie_id == montpellier.pk
    assert set(Resource.objects.filter(kind="preparation").values_list("topic", flat=True)) == {
        "objectifs", "recherche", "collecte", "tri",
    }  # fmt: skip
    urls = set(Resource.objects.filter(kind="formation").values_list("current__url", flat=True))
    assert "https://magistere.education.fr/" in urls


def test_preparation_demo(world):
    teacher = make_user(Role.TEACHER, world.school, email="enseignant@demo.relais.example")
    for label in ("3e A", "3e B"):
        PupilFactory(establishment=world.school, class_label=label)
    PeriodFactory(establishment=world.school)
    PeriodFactory(establishment=EstablishmentFactory(academie=world.home, bassin=world.bassin))
    with time_machine.travel(datetime.datetime(2026, 1, 26, 9, tzinfo=datetime.UTC), tick=False):
        assert demo_preparation.load().endswith("6 contenu(s) marqué(s) fait(s)")
        assert demo_preparation.load() == ""
    mine = PreparationStep.objects.filter(period__establishment=world.school)
    assert set(mine.values_list("class_label", flat=True)) == {"3e A"} and mine.count() == 2
    assert mine.first().done_by == teacher
