"""Factories of the pôles de stages (factory_boy) and shortcuts that walk the real services."""

import datetime

import factory

from relais.internships import services
from relais.internships.enums import CaseState, HubKind, OfferKind, OfferState, SchoolLevel
from relais.internships.models import (
    InternshipOffer,
    InternshipPeriod,
    OfferSlot,
    PlacementCase,
    PlacementHub,
)
from relais.nomenclatures.models import RomeCode
from tests.factories import CommuneFactory, EstablishmentFactory, OrganisationFactory
from tests.pupils.factories import PupilFactory

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
        django_get_or_create = ("bassin", "kind")

    bassin = factory.SubFactory("tests.factories.BassinFactory")
    kind = HubKind.BASSIN
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
    school_insurer = "MAE, responsabilité civile scolaire"
    school_insurance_policy = "MAE-2025-118"


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
    tutor_civility = "Madame"
    tutor_function = "responsable d'atelier"
    hours_per_day = 7
    daily_schedule = "9 h – 12 h et 13 h 30 – 17 h 30"
    activities = "Observation de l'atelier de fabrication et entretien avec deux salariés."
    host_insurer = "Assurances du Midi, RC entreprise"
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


class CaseFactory(factory.django.DjangoModelFactory):
    """A case with its search data: a period of the pupil's school, one wish, 15 km."""

    class Meta:
        model = PlacementCase

    pupil = factory.SubFactory(PupilFactory)
    period = factory.SubFactory(
        PeriodFactory, establishment=factory.SelfAttribute("..pupil.establishment")
    )
    wishes = factory.LazyFunction(lambda: ["H22"])
    max_km = 15
    state = CaseState.SEARCHING_ALONE


CASE_FIELDS = ("period", "wishes", "max_km", "home_commune", "needs_access")


def open_case(school, school_user, **fields) -> PlacementCase:
    """A pupil put on ``school``'s roster, with a case opened by ``school_user`` through the
    service. ``fields`` go to the case's search data (period, wishes, max_km, home_commune,
    needs_access) or to the pupil; by default a period of the school, one wish, 15 km."""
    RomeCodeFactory(code="H2201")
    search = {name: fields.pop(name) for name in CASE_FIELDS if name in fields}
    pupil = fields.pop("pupil", None) or PupilFactory(establishment=school, **fields)
    if "period" not in search:
        search["period"] = PeriodFactory(establishment=school, level=pupil.level)
    search.setdefault("wishes", ["H22"])
    search.setdefault("max_km", 15)
    return services.case_open(user=school_user, pupil=pupil, data=search)


def referred_case(school, school_user, **fields) -> PlacementCase:
    """A pupil of ``school`` walked along the path to the pôle by ``school_user`` (``fields``
    as for ``open_case``)."""
    case = open_case(school, school_user, **fields)
    services.case_move(user=school_user, case=case, step="aider")
    return services.case_move(user=school_user, case=case, step="orienter", note="Aucune piste")


def published_offer(bassin, host, *, capacity=2, week=WEEK, **fields) -> InternshipOffer:
    offer = OfferFactory(bassin=bassin, host=host, published=True, **fields)
    SlotFactory(offer=offer, week=week, capacity=capacity)
    return offer
