"""Pôles by bassin or by economic sector (issue 12, item 5) and the fairness policy the pôle
chooses (item 1, stored on the pôle and on each run)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from relais.internships import services
from relais.internships.enums import HubKind
from relais.internships.models import PlacementHub
from relais.internships.services.matching import _slots, hubs_of_run, run_create
from tests.internships.factories import (
    WEEK,
    RomeCodeFactory,
    published_offer,
    referred_case,
)

WINDOW = {"window_start": WEEK, "window_end": WEEK + datetime.timedelta(days=6)}


@pytest.fixture
def sector(world, hub):
    """A pôle de filière (industrie, ROME H) seated in the world's bassin."""
    return services.hub_create_sector(
        user=world.users["bassin_referent"],
        bassin=world.bassin,
        data={"name": "Pôle de l'industrie", "sectors": ["H", "H"], "email": "ind@exemple.fr"},
    )


def test_a_sector_pole_is_created_by_those_who_manage_the_bassin(world, sector):
    assert sector.kind == HubKind.SECTOR and sector.sectors == ["H"]
    assert sector.sector_labels == ["H — Industrie"]
    for role in ("teacher", "organisation_rep", "volunteer"):
        with pytest.raises(PermissionDenied):
            services.hub_create_sector(
                user=world.users[role], bassin=world.bassin, data={"name": "X", "sectors": ["F"]}
            )


@pytest.mark.parametrize(
    ("sectors", "message"),
    [([], "Cochez au moins une filière."), (["Z"], "Filière inconnue : Z.")],
)
def test_a_sector_pole_needs_known_sectors(world, hub, sectors, message):
    with pytest.raises(ValidationError) as error:
        services.hub_create_sector(
            user=world.users["academie_team"],
            bassin=world.bassin,
            data={"name": "Pôle", "sectors": sectors},
        )
    assert error.value.message_dict["sectors"] == [message]


def test_one_bassin_pole_per_bassin_and_a_bassin_pole_has_no_sector(world, hub, sector):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementHub.objects.create(bassin=world.bassin, name="Doublon")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementHub.objects.filter(pk=hub.pk).update(sectors=["H"])
    assert PlacementHub.of_bassin(world.bassin) == hub
    # Editing a bassin pôle never gives it sectors.
    services.hub_update(user=world.users["bassin_referent"], hub=hub, data={"sectors": ["H"]})
    hub.refresh_from_db()
    assert hub.sectors == []


def test_a_run_works_on_the_union_of_the_poles_pupils_and_offers(world, hub, sector):
    """The bassin's pupils; the bassin's offers and the sector pôle's offers of another
    bassin of the académie (its sector only); an offer in both counted once."""
    RomeCodeFactory(code="D1106")
    member = world.users["hub_member"]
    cases = [referred_case(world.school, world.users["teacher"]) for _ in range(3)]
    own = published_offer(world.bassin, world.company, capacity=1)  # H22, in both pôles
    industry = published_offer(world.bassin2, world.company, capacity=2)  # H22, bassin 2
    trade = published_offer(world.bassin2, world.company, capacity=5, rome__code="D1106")
    assert [h.pk for h in hubs_of_run(sector)] == [hub.pk, sector.pk]
    run = run_create(user=member, hub=hub, **WINDOW)
    assert run.places == 3  # 1 + 2: the bassin 2 trade offer is no pôle's here
    assert run.stats["placed"] == 3 and run.pupils == 3
    slots = {s.slot.offer_id for s in run.suggestions.select_related("slot")}
    assert slots == {own.pk, industry.pk} and trade.pk not in slots
    assert run.stats["hubs"] == [hub.name, sector.name]
    # Each pupil once, each place once: three different suggestions, no offer-week over.
    assert len({s.case_id for s in run.suggestions.all()}) == len(cases)
    # Without the sector pôle, the bassin 2 offers are out of the run.
    sector.delete()
    assert [s.offer_id for s in _slots(hub, None, WEEK, WEEK)] == [own.pk]


def test_the_pole_chooses_its_policy_and_each_run_keeps_it(world, hub):
    member = world.users["hub_member"]
    referred_case(world.school, world.users["teacher"])
    published_offer(world.bassin, world.company, capacity=1)
    services.hub_update(user=world.users["bassin_referent"], hub=hub, data={"policy": "strict"})
    run = run_create(user=member, hub=hub, **WINDOW)
    assert run.policy == "strict" and run.stats["fairness"]["policy"] == "strict"
    told = run_create(user=member, hub=hub, policy="none", **WINDOW)
    assert told.policy == "none"
    with pytest.raises(ValidationError):
        services.hub_update(user=world.users["bassin_referent"], hub=hub, data={"policy": "x"})
