"""Who may do what in the catalogue, written once in relais.actions.perms and read by the
forms' choices (through the selectors), the pages' buttons, the API and the services."""

import pytest
from django.utils import timezone

from relais.actions import perms
from relais.actions.enums import OfferState, RequestState
from relais.actions.selectors import offer_partners, schools_acted_for
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from tests.factories import OrganisationFactory

from .factories import ActionRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db

ROLES = ["no_membership", "national_admin", "academie_team", "bassin_referent", "hub_member",
         "head_of_school", "teacher", "organisation_rep", "volunteer"]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_the_schools_offered_are_those_the_user_acts_for(world, role):
    """The request and record forms list exactly the schools the services accept."""
    user = world.users[role]
    allowed = {school for school in Establishment.objects.all()
               if perms.can_act_for_school(user, school)}  # fmt: skip
    assert set(schools_acted_for(user=user)) == allowed


def test_schools_acted_for_per_role(world):
    assert set(schools_acted_for(user=world.users["teacher"])) == {world.school}
    assert set(schools_acted_for(user=world.users["academie_team"])) == {
        world.school,
        world.school2,
    }
    assert not schools_acted_for(user=world.users["organisation_rep"]).exists()
    assert not schools_acted_for(user=world.users["bassin_referent"]).exists()


def test_the_partners_offered_for_an_offer(world):
    archived = OrganisationFactory(academie=world.home, archived_at=timezone.now())
    assert set(offer_partners(user=world.users["organisation_rep"])) == {world.company}
    team = set(offer_partners(user=world.users["academie_team"]))
    assert {world.company, world.regional, world.national} <= team
    assert world.company_other not in team and archived not in team
    assert not offer_partners(user=world.users["teacher"]).exists()
    assert set(offer_partners(user=world.users["national_admin"])) >= set(
        Organisation.objects.filter(archived_at__isnull=True)
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_partner_offered_passes_the_services_check(world, role):
    """A partner chosen in the form, for an académie the user manages or the partner's own,
    is accepted by ``can_manage_offer``."""
    user = world.users[role]
    for organisation in offer_partners(user=user):
        offer = OfferFactory.build(organisation=organisation, academie=organisation.academie
                                   or world.home)  # fmt: skip
        assert perms.can_manage_offer(user, offer), organisation


def test_who_requests_an_offer(world):
    published = OfferFactory(academie=world.home, organisation=world.company)
    draft = OfferFactory(academie=world.home, organisation=world.company, state=OfferState.DRAFT,
                         published_at=None)  # fmt: skip
    assert perms.can_request_offer(world.users["teacher"], published)
    assert perms.can_request_offer(world.users["academie_team"], published)
    assert not perms.can_request_offer(world.users["teacher"], draft)
    assert not perms.can_request_offer(world.users["organisation_rep"], published)
    assert not perms.can_request_offer(world.users["volunteer"], published)


def test_who_cancels_and_completes(world):
    offer = OfferFactory(academie=world.home, organisation=world.company)
    sent = ActionRequestFactory(offer=offer, establishment=world.school)
    accepted = ActionRequestFactory(
        offer=offer, establishment=world.school, state=RequestState.ACCEPTED,
        answered_at=timezone.now(),
    )  # fmt: skip
    rep, teacher = world.users["organisation_rep"], world.users["teacher"]
    assert perms.can_cancel_request(teacher, sent) and perms.can_cancel_request(teacher, accepted)
    assert not perms.can_cancel_request(rep, sent) and perms.can_cancel_request(rep, accepted)
    assert perms.can_complete_request(rep, accepted) and perms.can_complete_request(
        teacher, accepted
    )
    assert not perms.can_cancel_request(world.users["bassin_referent"], accepted)
    assert not perms.can_complete_request(world.users["bassin_referent"], accepted)
