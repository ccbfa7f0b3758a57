"""Factories of the volunteers app, and a minimal CEE convention in force (built with the
ORM: the conventions' own services are tested in tests/agreements)."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from relais.agreements.enums import (
    AgreementKind,
    AgreementScope,
    AgreementState,
    CommitmentCategory,
    PartySide,
)
from relais.agreements.models import Agreement, Commitment, Party
from relais.core.text import search_key
from relais.volunteers.enums import (
    AdvisorKind,
    AdvisorState,
    ApplicationState,
    Availability,
    CourseFunction,
    InterventionDomain,
    ProfessionalStatus,
    ReserveSkill,
)
from relais.volunteers.models import (
    Advisor,
    AdvisorIntervention,
    Course,
    CourseParticipant,
    ImmersionApplication,
    ImmersionOffer,
    ReserveApplication,
    ReserveRequest,
)
from tests.factories import (
    AcademieFactory,
    CommuneFactory,
    EstablishmentFactory,
    OrganisationFactory,
    UserFactory,
)

_numbers = iter(range(1, 10**6))


def cee_agreement(academie, organisation, *, committed: int = 3, start: date | None = None):
    """A CEE convention in force for ``academie``, signed by ``organisation``, committing
    ``committed`` CEE (Article 1)."""
    start = start or timezone.localdate() - timedelta(days=200)
    agreement = Agreement.objects.create(
        number=f"CEE-T{next(_numbers):05d}",
        title=f"Convention CEE {organisation.name}",
        kind=AgreementKind.CEE,
        scope=AgreementScope.ACADEMIE,
        state=AgreementState.IN_FORCE,
        academie=academie,
        academic_region=academie.region,
        duration_months=36,
        tacit_renewal=False,
        signed_on=start,
        start_date=start,
        current_end=date(start.year + 3, start.month, start.day) - timedelta(days=1),
    )
    Party.objects.create(agreement=agreement, order=0, name=str(academie), side=PartySide.EDUCATION)
    party = Party.objects.create(
        agreement=agreement,
        order=1,
        organisation=organisation,
        name=organisation.name,
        side=PartySide.ECONOMIC,
    )
    if committed:
        Commitment.objects.create(
            agreement=agreement,
            party=party,
            category=CommitmentCategory.CEE,
            description=f"Mobiliser {committed} conseillers entreprises pour l'école",
            quantity=committed,
            article_number="1",
        )
    return agreement


class AdvisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advisor

    kind = AdvisorKind.CEE
    academie = factory.SubFactory(AcademieFactory)
    organisation = factory.SubFactory(
        OrganisationFactory,
        professional=True,
        academie=factory.SelfAttribute("..academie"),
        email=factory.Sequence(lambda n: f"organisation{n}@ex.fr"),
    )
    agreement = factory.LazyAttribute(
        lambda o: cee_agreement(o.academie, o.organisation) if o.kind == AdvisorKind.CEE else None
    )
    first_name = "Claire"
    last_name = factory.Sequence(lambda n: f"Conseillère{n}")
    email = factory.Sequence(lambda n: f"conseiller{n}@entreprise.example")
    status = ProfessionalStatus.EMPLOYEE
    employer_name = factory.Sequence(lambda n: f"Employeur {n}")
    sectors = "Bâtiment, travaux publics"
    domains = [InterventionDomain.PARCOURS_AVENIR, InterventionDomain.JURIES]
    search_text = factory.LazyAttribute(lambda o: search_key(o.first_name, o.last_name, o.sectors))

    class Params:
        designated = factory.Trait(
            state=AdvisorState.DESIGNATED,
            designated_on=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30)),
            letter_number=factory.Sequence(lambda n: f"CEE-T-{n:05d}"),
            mission="Accompagner les collèges dans le parcours Avenir.",
            geographic_scope="Académie entière",
            mandate_start=factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=30)),
            mandate_end=factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=700)),
            contact_name="Sophie Daet",
            contact_email="daet@ac-test.example",
        )
        active = factory.Trait(
            designated=True,
            state=AdvisorState.ACTIVE,
            employer_informed_on=factory.LazyFunction(
                lambda: timezone.localdate() - timedelta(days=20)
            ),
        )


class InterventionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvisorIntervention

    advisor = factory.SubFactory(AdvisorFactory, active=True)
    establishment = factory.SubFactory(
        EstablishmentFactory, academie=factory.SelfAttribute("..advisor.academie")
    )
    domain = InterventionDomain.PARCOURS_AVENIR
    date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=5))
    hours = Decimal("2.0")


class ReserveApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReserveApplication

    academie = factory.SubFactory(AcademieFactory)
    first_name = "Jean"
    last_name = factory.Sequence(lambda n: f"Réserviste{n}")
    email = factory.Sequence(lambda n: f"reserviste{n}@exemple.fr")
    profession = "Ingénieure en électronique"
    skills = [ReserveSkill.JOB, ReserveSkill.SCIENCE]
    availability = [Availability.WEDNESDAY]
    commune = factory.SubFactory(
        CommuneFactory, departement__academie=factory.SelfAttribute("...academie")
    )
    max_distance_km = 30
    charter_accepted_at = factory.LazyFunction(timezone.now)
    confidentiality_version = "2026-1"
    confidentiality_accepted_at = factory.LazyFunction(timezone.now)
    submitted_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(
        lambda o: search_key(o.first_name, o.last_name, o.profession)
    )

    class Params:
        validated = factory.Trait(
            state=ApplicationState.VALIDATED,
            vetted_at=factory.LazyFunction(timezone.now),
            vetted_by=factory.SubFactory(UserFactory),
            user=factory.SubFactory(UserFactory, email=factory.SelfAttribute("..email")),
        )


class ReserveRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReserveRequest

    reservist = factory.SubFactory(ReserveApplicationFactory, validated=True)
    establishment = factory.SubFactory(
        EstablishmentFactory, academie=factory.SelfAttribute("..reservist.academie")
    )
    requested_by = factory.SubFactory(UserFactory)
    subject = "Présenter son métier en 3e"
    message = "Nous préparons le stage d'observation."
    skill = ReserveSkill.JOB


class ImmersionOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImmersionOffer

    organisation = factory.SubFactory(OrganisationFactory)
    academie = factory.SelfAttribute("organisation.academie")
    title = factory.Sequence(lambda n: f"Découvrir l'atelier {n}")
    description = "Deux jours à l'atelier de production."
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date + timedelta(days=1))
    capacity = 2


class ImmersionApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImmersionApplication

    offer = factory.SubFactory(ImmersionOfferFactory)
    applicant = factory.SubFactory(UserFactory)
    establishment = factory.SubFactory(
        EstablishmentFactory, academie=factory.SelfAttribute("..offer.academie")
    )
    motivation = "Mieux connaître l'industrie pour mes élèves."
    confidentiality_version = "2026-1"
    confidentiality_accepted_at = factory.LazyFunction(timezone.now)


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    academie = factory.SubFactory(AcademieFactory)
    title = factory.Sequence(lambda n: f"Parcours 56 h — promotion {n}")
    start_date = date(2026, 1, 5)
    preparation_end = date(2026, 2, 27)
    immersion_end = date(2026, 5, 29)
    end_date = date(2026, 6, 30)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseParticipant

    course = factory.SubFactory(CourseFactory)
    full_name = factory.Sequence(lambda n: f"Principal{n} Dupont")
    email = factory.Sequence(lambda n: f"principal{n}@ac-test.example")
    function = CourseFunction.HEAD_OF_SCHOOL
