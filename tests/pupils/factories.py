"""Factories of the pupils (factory_boy)."""

import datetime

import factory

from relais.pupils.enums import Level
from relais.pupils.models import Pupil
from tests.factories import EstablishmentFactory


class PupilFactory(factory.django.DjangoModelFactory):
    """A pupil of 3e on the 2025-2026 roster of a school."""

    class Meta:
        model = Pupil

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = 2025
    first_name = factory.Sequence(lambda n: f"Lina{n}")
    last_name = factory.Sequence(lambda n: f"Demo{n}")
    class_label = "3e B"
    level = Level.THIRD
    retention_until = factory.LazyAttribute(lambda o: datetime.date(o.school_year + 1, 8, 31))

    class Params:
        purged = factory.Trait(
            first_name="Élève",
            last_name="anonymisé",
            class_label="—",
            purged_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
        )
