"""Rules that used to live in the pages, now in the selectors and services: the partners the
list's « Partenaire » filter offers and accepts (one rule for the page and the API), and the
secret address of the personal iCal feed."""

import pytest

from relais.agreements import services
from relais.agreements.selectors import (
    calendar_feed_by_token,
    calendar_feed_of,
    partner_choices,
    partner_in_reach,
    partners_in_reach,
)
from relais.organisations.models import Organisation
from tests.agreements.factories import draft_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(world):
    team = world.users["academie_team"]
    union = Organisation.objects.create(
        name="Union professionnelle du bâtiment", kind="professionnelle", level="national"
    )
    elsewhere = Organisation.objects.create(
        name="Fédération d'une autre académie", kind="professionnelle", level="national"
    )
    draft_agreement(team, world.home, title="Avec l'union", partner=union)
    draft_agreement(team, world.home, title="Avec l'entreprise", partner=world.company)
    draft_agreement(world.users["national_admin"], world.other, partner=elsewhere)
    world.union, world.elsewhere = union, elsewhere
    return world


def test_partners_of_another_academie_are_neither_offered_nor_accepted(partners):
    world, team = partners, partners.users["academie_team"]
    assert set(partners_in_reach(team)) == {world.union, world.company}
    assert list(partner_choices(team)) == [world.union]  # the company: found by the search
    assert list(partner_choices(team, selected=world.company.pk)) == [world.company, world.union]
    # Even chosen by its identifier, a partner out of reach is not named.
    assert list(partner_choices(team, selected=world.elsewhere.pk)) == [world.union]
    assert partner_in_reach(team, world.union.pk)
    assert not partner_in_reach(team, world.elsewhere.pk)
    assert not partner_in_reach(team, 2_147_483_647)


def test_the_national_administrator_reaches_every_partner(partners):
    admin = partners.users["national_admin"]
    assert set(partner_choices(admin)) == {partners.union, partners.elsewhere}
    assert partner_in_reach(admin, partners.elsewhere.pk)


def test_a_teacher_reaches_the_partners_of_the_conventions_they_see(partners):
    teacher = partners.users["teacher"]
    visible_partners = set(partners_in_reach(teacher))
    assert partners.elsewhere not in visible_partners
    assert set(partner_choices(teacher)) <= visible_partners


def test_renewing_the_feed_address_revokes_the_old_one(world):
    user = world.users["teacher"]
    assert calendar_feed_of(user) is None
    first = services.calendar_feed_renew(user=user)
    assert calendar_feed_of(user) == first and len(first.token) >= 40
    assert calendar_feed_by_token(first.token) == first
    second = services.calendar_feed_renew(user=user)
    assert second.pk == first.pk and second.token != first.token
    assert calendar_feed_by_token(first.token) is None
    assert calendar_feed_by_token(second.token).user == user
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert calendar_feed_by_token(second.token) is None
