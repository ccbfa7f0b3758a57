"""Offers: creation and its rules, places per week, the state machine and its journal, the
partner upsert, periods."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from relais.internships import services
from relais.internships.enums import OfferState
from relais.internships.models import InternshipOffer, OfferSlot
from relais.internships.workflows import OFFER_WORKFLOW
from relais.nomenclatures.models import RomeCode
from tests.factories import CommuneFactory, OrganisationFactory
from tests.internships.factories import WEEK, OfferFactory, SlotFactory, published_offer


@pytest.fixture
def commune(world):
    from tests.factories import EstablishmentFactory  # noqa: F401 - the school makes the bassin

    commune = world.school.commune
    commune.latitude, commune.longitude = 43.6, 3.9
    commune.save()
    return commune


def offer_data(world, commune, **extra):
    return {
        "host": world.company,
        "title": "Découverte de la boulangerie",
        "kind": "stage_3e",
        "rome": RomeCode.objects.get(code="H2201"),
        "levels": ["3e"],
        "commune": commune,
        "accessible": True,
        "tutor_email": "fournil@exemple.fr",
        **extra,
    }


@pytest.mark.parametrize(
    "role", ["hub_member", "bassin_referent", "academie_team", "organisation_rep", "national_admin"]
)
def test_offer_create_takes_the_bassin_and_coordinates_of_its_commune(world, hub, commune, role):
    offer = services.offer_create(
        user=world.users[role], data=offer_data(world, commune), slots={WEEK: 3}
    )
    assert offer.bassin == world.bassin  # the bassin of the commune's schools
    assert (offer.latitude, offer.longitude) == (43.6, 3.9)
    assert offer.state == OfferState.DRAFT and offer.duration_weeks == 1
    assert list(offer.slots.values_list("week", "capacity")) == [(WEEK, 3)]
    journal = [(e.transition, e.from_state, e.to_state, e.by) for e in offer.journal.all()]
    assert journal == [("creation", "", "draft", world.users[role])]


@pytest.mark.parametrize("role", ["teacher", "head_of_school", "volunteer", "no_membership"])
def test_schools_and_volunteers_do_not_post_offers(world, hub, commune, role):
    with pytest.raises(PermissionDenied):
        services.offer_create(user=world.users[role], data=offer_data(world, commune))


def test_a_pole_member_cannot_post_in_another_bassin(world, hub, commune):
    with pytest.raises(PermissionDenied):
        services.offer_create(
            user=world.users["hub_member"], data=offer_data(world, commune, bassin=world.bassin2)
        )


def test_offer_rules_in_french(world, hub, commune):
    with pytest.raises(ValidationError) as error:
        services.offer_create(
            user=world.users["hub_member"],
            data=offer_data(world, commune, levels=[], kind="pfmp", diploma=""),
        )
    assert set(error.value.message_dict) == {"levels", "diploma"}
    orphan = CommuneFactory(departement__academie=world.home)
    with pytest.raises(ValidationError) as error:
        services.offer_create(user=world.users["academie_team"], data=offer_data(world, orphan))
    assert "bassin" in error.value.message_dict


def test_stage_de_seconde_lasts_two_weeks(world, hub, commune):
    offer = services.offer_create(
        user=world.users["hub_member"],
        data=offer_data(world, commune, kind="stage_2nde", levels=["2nde"], duration_weeks=7),
    )
    assert offer.duration_weeks == 2


def test_publish_needs_places_then_full_and_back(world, hub, commune):
    user = world.users["hub_member"]
    offer = services.offer_create(user=user, data=offer_data(world, commune))
    with pytest.raises(ValidationError, match="au moins une semaine"):
        services.offer_publish(user=user, offer=offer)
    services.offer_set_slots(user=user, offer=offer, slots={WEEK: 1})
    services.offer_publish(user=user, offer=offer)
    offer.refresh_from_db()
    assert offer.state == OfferState.PUBLISHED and offer.published_at is not None
    slot = offer.slots.get()
    slot.held = 1
    slot.save()
    services.offer_set_slots(user=user, offer=offer, slots={WEEK: 1})
    offer.refresh_from_db()
    assert offer.state == OfferState.FULL
    services.offer_set_slots(user=user, offer=offer, slots={WEEK: 2})
    offer.refresh_from_db()
    assert offer.state == OfferState.PUBLISHED
    with pytest.raises(ValidationError, match="descendre en dessous"):
        services.offer_set_slots(user=user, offer=offer, slots={WEEK: 0})
    with pytest.raises(ValidationError, match="n'est pas un lundi"):
        services.offer_set_slots(
            user=user, offer=offer, slots={WEEK + datetime.timedelta(days=1): 1}
        )
    services.offer_close(user=user, offer=offer, note="Plus de tuteur")
    offer.refresh_from_db()
    assert [(e.transition, e.from_state, e.to_state) for e in offer.journal.all()] == [
        ("creation", "", "draft"),
        ("publier", "draft", "published"),
        ("completer", "published", "full"),
        ("rouvrir", "full", "published"),
        ("fermer", "published", "closed"),
    ]
    # The moves that follow the places are the offer's own: nobody fired them.
    assert [e.by for e in offer.journal.filter(transition__in=["completer", "rouvrir"])] == [
        None,
        None,
    ]
    with pytest.raises(ValidationError, match="ne se modifie plus"):
        services.offer_update(user=user, offer=offer, data={"title": "Autre"})


REFUSED = [
    (state, name)
    for state in OfferState
    for name in OFFER_WORKFLOW.by_name
    if name not in {t.name for t in OFFER_WORKFLOW.allowed_from(state)}
]


@pytest.mark.parametrize(("before", "name"), REFUSED, ids=[f"{a}-{b}" for a, b in REFUSED])
def test_every_refused_offer_move(world, hub, before, name):
    """Each state and each transition the table does not allow from it: a French refusal
    (for the one who may fire it), nothing changed, nothing journaled."""
    offer = OfferFactory(
        bassin=world.bassin, host=world.company, published=before != "draft", state=before
    )
    manager = world.users["hub_member"]
    user = manager if OFFER_WORKFLOW.transition(name).may_fire(manager, offer) else None
    with pytest.raises(ValidationError, match="n'est pas possible dans l'état"):
        OFFER_WORKFLOW.fire(offer, name, user=user)
    offer.refresh_from_db()
    assert offer.state == before and not offer.journal.exists()


def test_publishing_needs_a_week_with_places_and_a_manager(world, hub):
    offer = OfferFactory(bassin=world.bassin, host=world.company)
    member = world.users["hub_member"]
    assert OFFER_WORKFLOW.blocked(member, offer) == {
        "publier": "Indiquez au moins une semaine avec des places avant de publier."
    }
    SlotFactory(offer=offer, week=WEEK)
    assert OFFER_WORKFLOW.names(member, offer) == {"publier", "fermer"}
    assert OFFER_WORKFLOW.names(world.users["teacher"], offer) == set()
    with pytest.raises(PermissionDenied, match="Vous ne pouvez pas publier cette offre"):
        services.offer_publish(user=world.users["teacher"], offer=offer)
    published = published_offer(world.bassin, world.company)
    with pytest.raises(PermissionDenied, match="suit d'elle-même"):  # not by hand
        OFFER_WORKFLOW.fire(published, "expirer", user=member)


def test_expire_offers_whose_last_week_passed(world, hub):
    offer = OfferFactory(bassin=world.bassin, host=world.company, published=True)
    SlotFactory(offer=offer, week=WEEK)
    assert services.offers_expire(today=WEEK + datetime.timedelta(days=4)) == 0
    assert services.offers_expire(today=WEEK + datetime.timedelta(days=5)) == 1
    offer.refresh_from_db()
    last = offer.journal.last()
    assert offer.state == OfferState.EXPIRED and last.note == "Dernière semaine passée"
    assert (last.transition, last.by) == ("expirer", None)


def test_database_refuses_overbooking_and_bad_weeks(world, hub):
    slot = SlotFactory(offer__bassin=world.bassin, offer__host=world.company, capacity=1)
    slot.held, slot.taken = 1, 1
    with pytest.raises(IntegrityError), transaction.atomic():
        slot.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        OfferSlot.objects.create(
            offer=slot.offer, week=WEEK + datetime.timedelta(days=2), capacity=1
        )


def test_upsert_is_idempotent_per_partner(world, hub, commune):
    rep = world.users["organisation_rep"]
    data = offer_data(world, commune)
    first, created = services.offer_upsert_remote(
        user=rep, partner=world.company, remote_id="A-1", data=data, slots={WEEK: 2}, publish=True
    )
    assert created and first.state == OfferState.PUBLISHED and first.posted_by == world.company
    again, created = services.offer_upsert_remote(
        user=rep, partner=world.company, remote_id="A-1", data=data, slots={WEEK: 2}, publish=True
    )
    assert not created and again.pk == first.pk
    assert InternshipOffer.objects.filter(remote_id="A-1").count() == 1
    changed, _ = services.offer_upsert_remote(
        user=rep,
        partner=world.company,
        remote_id="A-1",
        data={**data, "title": "Nouveau titre"},
        slots={WEEK + datetime.timedelta(weeks=1): 1},
    )
    assert changed.title == "Nouveau titre"
    assert list(changed.slots.values_list("week", "capacity")) == [
        (WEEK + datetime.timedelta(weeks=1), 1)
    ]
    # Another partner may use the same remote id.
    other = OrganisationFactory(academie=world.home)
    _, created = services.offer_upsert_remote(
        user=world.users["national_admin"], partner=other, remote_id="A-1", data=data
    )
    assert created
    with pytest.raises(PermissionDenied):
        services.offer_upsert_remote(user=rep, partner=other, remote_id="B", data=data)


def test_periods(world, hub):
    teacher = world.users["teacher"]
    period = services.period_create(
        user=teacher,
        establishment=world.school,
        data={
            "school_year": "2025-2026",
            "level": "2nde",
            "start": datetime.date(2026, 6, 15),
            "end": datetime.date(2026, 6, 26),
            "duration_weeks": 2,
            "pupil_count": 30,
        },
    )
    assert period.start_weeks() == [datetime.date(2026, 6, 15)]
    assert period.covered_weeks() == [datetime.date(2026, 6, 15), datetime.date(2026, 6, 22)]
    with pytest.raises(ValidationError, match="plus courte"):
        services.period_update(user=teacher, period=period, data={"duration_weeks": 3})
    with pytest.raises(ValidationError, match="pas dans l'année"):
        services.period_update(
            user=teacher, period=period, data={"duration_weeks": 2, "school_year": "2024-2025"}
        )
    with pytest.raises(PermissionDenied):
        services.period_create(user=world.users["hub_member"], establishment=world.school, data={})
    period.refresh_from_db()
    services.period_delete(user=teacher, period=period)
