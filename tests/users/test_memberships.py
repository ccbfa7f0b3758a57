import pytest
from django.db import IntegrityError

from relais.users.enums import Role
from relais.users.models import Membership
from relais.users.scopes import get_reach
from tests.factories import AcademieFactory, EstablishmentFactory, UserFactory


@pytest.mark.django_db
def test_a_role_needs_its_own_kind_of_scope():
    user = UserFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.TEACHER, academie=AcademieFactory())


@pytest.mark.django_db
def test_a_national_role_has_no_scope():
    user = UserFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.NATIONAL_ADMIN, academie=AcademieFactory())


@pytest.mark.django_db
def test_the_same_membership_cannot_be_given_twice():
    user, school = UserFactory(), EstablishmentFactory()
    Membership.objects.create(user=user, role=Role.TEACHER, establishment=school)
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=user, role=Role.TEACHER, establishment=school)


def test_reach_of_several_memberships_adds_up(world):
    user = world.users["teacher"]
    Membership.objects.create(user=user, role=Role.HUB_MEMBER, bassin=world.bassin2)
    reach = get_reach(type(user).objects.get(pk=user.pk))
    assert reach.establishment_ids == {world.school.pk}
    assert reach.bassin_ids == {world.bassin2.pk}
    assert reach.has_role(Role.TEACHER, Role.HUB_MEMBER)


def test_membership_changes_are_kept_in_history(world):
    from pghistory.models import Events

    membership = world.users["teacher"].memberships.get()
    membership.establishment = world.school2
    membership.save()
    events = list(Events.objects.tracks(membership).order_by("pgh_id"))
    assert [e.pgh_label for e in events] == ["insert", "update"]
    assert events[1].pgh_diff["establishment_id"] == [world.school.pk, world.school2.pk]
