"""Factories of the pôles de stages (factory_boy) and shortcuts that walk the real services."""

import datetime

import factory

from relais.internships import services
from relais.internships.enums import CaseState, OfferKind, OfferState, SchoolLevel
from relais.internships.models import (
    InternshipOffer,
    InternshipPeriod,
    OfferSlot,
    PlacementCase,
    PlacementHub,
    Pupil,
)
from relais.nomenclatures.models import RomeCode
from tests.factories import CommuneFactory, EstablishmentFactory, OrganisationFactory

# The Monday of a February week of the school year 2025-2026 (zone C winter holidays start on
# 21 February 2026).
WEEK = datetime.date(2026, 2, 2)


class RomeCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RomeCode
        django_get_or_create = ("code",)

    code = "H2201"
    label = factory.LazyAttribute(lambda o: f"Métier {o.code}")


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementHub
        django_get_or_create = ("bassin",)

    bassin = factory.SubFactory("tests.factories.BassinFactory")
    name = factory.LazyAttribute(lambda o: f"Pôle de stages du {o.bassin}")
    email = "pole@exemple.fr"


class PeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternshipPeriod

    establishment = factory.SubFactory(EstablishmentFactory)
    school_year = "2025-2026"
    level = SchoolLevel.THIRD
    start = WEEK
    end = WEEK + datetime.timedelta(days=4)
    duration_weeks = 1
    pupil_count = 25


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternshipOffer

    host = factory.SubFactory(OrganisationFactory)
    bassin = factory.SubFactory("tests.factories.BassinFactory")
    title = factory.Sequence(lambda n: f"Découverte du métier {n}")
    kind = OfferKind.THIRD
    rome = factory.SubFactory(RomeCodeFactory)
    levels = factory.LazyFunction(lambda: [SchoolLevel.THIRD])
    commune = factory.SubFactory(CommuneFactory)
    latitude = 43.62
    longitude = 3.88
    accessible = True
    tutor_name = "Claire Dupuis"
    tutor_email = "tuteur@entreprise.example"
    state = OfferState.DRAFT

    class Params:
        published = factory.Trait(
            state=OfferState.PUBLISHED,
            published_at=factory.LazyFunction(lambda: datetime.datetime.now(datetime.UTC)),
        )


class SlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferSlot

    offer = factory.SubFactory(OfferFactory)
    week = WEEK
    capacity = 2


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    establishment = factory.SubFactory(EstablishmentFactory)
    period = factory.SubFactory(
        PeriodFactory, establishment=factory.SelfAttribute("..establishment")
    )
    first_name = factory.Sequence(lambda n: f"Lina{n}")
    last_name = factory.Sequence(lambda n: f"Demo{n}")
    class_label = "3e B"
    level = SchoolLevel.THIRD
    wishes = factory.LazyFunction(lambda: ["H22"])
    max_km = 15
    retention_until = datetime.date(2026, 8, 31)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlacementCase

    pupil = factory.SubFactory(PupilFactory)
    state = CaseState.SEARCHING_ALONE


def referred_case(school, school_user, **pupil_fields) -> PlacementCase:
    """A pupil of ``school`` walked along the path to the pôle by ``school_user``."""
    RomeCodeFactory(code="H2201")
    pupil = PupilFactory(establishment=school, **pupil_fields)
    case = services.case_open(user=school_user, pupil=pupil)
    services.case_move(user=school_user, case=case, step="aider")
    return services.case_move(user=school_user, case=case, step="orienter", note="Aucune piste")


def published_offer(bassin, host, *, capacity=2, week=WEEK, **fields) -> InternshipOffer:
    offer = OfferFactory(bassin=bassin, host=host, published=True, **fields)
    SlotFactory(offer=offer, week=week, capacity=capacity)
    return offer
