"""Factories of the catalogue of actions."""

import factory
from django.utils import timezone

from relais.actions.enums import ActionKind, OfferState, RequestState
from relais.actions.models import ActionRecord, ActionRequest, Offer
from tests.factories import AcademieFactory, EstablishmentFactory, OrganisationFactory


class OfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offer

    academie = factory.SubFactory(AcademieFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, academie=factory.SelfAttribute("..academie")
    )
    kind = ActionKind.COMPANY_VISIT
    title = factory.Sequence(lambda n: f"Visite de l'atelier {n}")
    capacity = 2
    contact_email = factory.Sequence(lambda n: f"offre{n}@partenaire.fr")
    state = OfferState.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    search_text = factory.LazyAttribute(lambda o: o.title.lower())


class ActionRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionRequest

    offer = factory.SubFactory(OfferFactory)
    establishment = factory.SubFactory(
        EstablishmentFactory, academie=factory.SelfAttribute("..offer.academie")
    )
    contact_name = "Julien Moreau"
    contact_email = factory.Sequence(lambda n: f"prof{n}@ac-test.fr")
    classes = "3e A"
    pupil_count = 25
    state = RequestState.SENT


class ActionRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionRecord

    establishment = factory.SubFactory(EstablishmentFactory)
    organisation = factory.SubFactory(
        OrganisationFactory, academie=factory.SelfAttribute("..establishment.academie")
    )
    kind = ActionKind.TESTIMONY
    title = "Témoignage d'une ingénieure"
    done_on = factory.LazyFunction(timezone.localdate)
    school_year = 2025
    classes = "4e B"
    pupil_count = 28
