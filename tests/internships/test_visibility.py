"""Who sees which pupils, cases, offers and proposals (selectors scoped by users.scopes)."""

import datetime

import pytest

from relais.internships import selectors, services
from relais.pupils import selectors as pupil_selectors
from tests.factories import BassinFactory
from tests.internships.factories import open_case, published_offer, referred_case
from tests.pupils.factories import PupilFactory

ROLES = ["no_membership", "national_admin", "academie_team", "bassin_referent", "hub_member",
         "head_of_school", "teacher", "organisation_rep", "volunteer"]  # fmt: skip


@pytest.fixture
def data(world, hub):
    teacher = world.users["teacher"]
    referred = referred_case(world.school, teacher)
    alone = open_case(world.school, teacher)
    offer = published_offer(world.bassin, world.company)
    draft = published_offer(BassinFactory(academie=world.other), world.company_other)
    draft.state = "draft"
    draft.save()
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=referred, slot=offer.slots.get()
    )
    return referred, alone, offer, draft, proposal


# Issue 17: the pupil's school and, once referred, the pôle that handles the case; neither
# the bassin référent nor the académie team (figures only).
PUPILS = {
    "no_membership": set(), "national_admin": set(), "volunteer": set(), "organisation_rep": set(),
    "academie_team": set(), "bassin_referent": set(), "hub_member": {"referred"},
    "head_of_school": {"referred", "alone"}, "teacher": {"referred", "alone"},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_pupil_data_only_to_the_school_and_once_referred_to_the_pole(world, data, role):
    referred, alone, *_ = data
    names = {referred.pupil.pk: "referred", alone.pupil.pk: "alone"}
    user = world.users[role]
    assert {names[p.pk] for p in selectors.pupils_visible_to(user=user)} == PUPILS[role]
    assert {names[c.pupil_id] for c in selectors.cases_visible_to(user=user)} == PUPILS[role]


def test_the_pole_of_another_bassin_and_another_school_see_nothing(world, data):
    from relais.users.enums import Role
    from tests.factories import make_user

    for outsider in (
        make_user(Role.HUB_MEMBER, world.bassin2),
        make_user(Role.HEAD_OF_SCHOOL, world.school2),
        make_user(Role.TEACHER, world.school_other),
    ):
        assert not selectors.pupils_visible_to(user=outsider).exists()
        assert not selectors.cases_visible_to(user=outsider).exists()
        assert not selectors.proposals_visible_to(user=outsider).exists()


OFFERS = {
    "no_membership": set(), "volunteer": set(),
    "national_admin": {"offer", "draft"}, "academie_team": {"offer"},
    "bassin_referent": {"offer"}, "hub_member": {"offer"},
    "head_of_school": {"offer"}, "teacher": {"offer"}, "organisation_rep": {"offer"},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_offers(world, data, role):
    _, _, offer, draft, _ = data
    names = {offer.pk: "offer", draft.pk: "draft"}
    found = {names[o.pk] for o in selectors.offers_visible_to(user=world.users[role])}
    assert found == OFFERS[role]


def test_schools_see_only_published_offers(world, data):
    _, _, offer, _, _ = data
    offer.state = "draft"
    offer.save()
    assert not selectors.offers_visible_to(user=world.users["teacher"]).exists()
    assert selectors.offers_visible_to(user=world.users["organisation_rep"]).exists()


@pytest.mark.parametrize("role", ROLES)
def test_proposals_reach_the_company_without_the_pupil_record(world, data, role):
    *_, proposal = data
    seen = selectors.proposals_visible_to(user=world.users[role]).exists()
    assert seen == (role in {"hub_member", "head_of_school", "teacher", "organisation_rep"})


def test_the_pole_keeps_seeing_a_case_it_handled(world, data):
    referred, *_ = data
    services.case_move(user=world.users["teacher"], case=referred, step="retirer")
    assert (
        selectors.cases_visible_to(user=world.users["hub_member"]).filter(pk=referred.pk).exists()
    )


def test_anonymised_pupils_are_listed_nowhere_but_stay_readable(world, data):
    """One rule for the pages and the API: the school's roster (``relais.pupils``) and
    ``case_list`` leave out the pupils anonymised after their retention date; their record
    and case stay readable."""
    referred, alone, *_ = data
    pupil = referred.pupil
    services.pupils_purge_expired(today=pupil.retention_until + datetime.timedelta(days=1))
    teacher, member = world.users["teacher"], world.users["hub_member"]
    roster = pupil_selectors.pupils_of_schools
    assert set(roster(user=teacher)) == set()  # both pupils were purged
    assert not selectors.case_list(user=teacher).exists()
    assert not selectors.case_list(user=member).exists()
    assert selectors.case_get(user=member, pk=referred.pk).pupil.last_name == "anonymisé"
    assert selectors.pupil_get(user=teacher, pk=pupil.pk).first_name == "Élève"
    fresh = PupilFactory(establishment=world.school, retention_until=datetime.date(2100, 8, 31))
    assert list(roster(user=teacher)) == [fresh]
