"""Factories of the juries app."""

from datetime import time, timedelta

import factory
from django.utils import timezone

from relais.juries.enums import JurorState
from relais.juries.models import ExamSession, Juror
from tests.factories import AcademieFactory, OrganisationFactory


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExamSession

    academie = factory.SubFactory(AcademieFactory)
    diploma = "CAP Boulanger"
    specialty = "Épreuve pratique"
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    starts_at = time(8, 30)
    place = "Lycée des métiers, atelier B"
    seats = 3


class JurorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Juror

    session = factory.SubFactory(SessionFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, professional=True, academie=factory.SelfAttribute("..session.academie")
    )
    full_name = factory.Sequence(lambda n: f"Juré Numéro{n}")
    email = factory.Sequence(lambda n: f"jure{n}@entreprise.example")
    employer_name = "Fournil du Lez"

    class Params:
        convoked = factory.Trait(
            state=JurorState.CONVOKED, convoked_at=factory.LazyFunction(timezone.now)
        )
