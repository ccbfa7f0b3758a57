"""Issue 12 wired to the database: the fairness policy a pôle chooses, re-runs that keep
the previous suggestions, advice with the établissements' names, and a run's suggestion
on a reserved place that the proposal service accepts (one rule of reserved places)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from relais.internships.enums import SuggestionState
from relais.internships.models import OfferSlot
from relais.internships.services.matching import run_create, suggestion_send
from relais.users.enums import Role
from tests.factories import EstablishmentFactory, make_user
from tests.internships.factories import WEEK, published_offer, referred_case

WINDOW = {"window_start": WEEK, "window_end": WEEK + datetime.timedelta(days=6)}
BEFORE_RELEASE = datetime.datetime(2026, 1, 5, 9, tzinfo=datetime.UTC)


@pytest.fixture
def plain(world):
    """A collège that is not REP, its teacher."""
    school = EstablishmentFactory(academie=world.home, bassin=world.bassin, name="Collège B")
    return school, make_user(Role.TEACHER, school)


def test_the_run_keeps_its_policy_and_the_range(world, hub, plain):
    school, teacher = plain
    referred_case(school, teacher)
    referred_case(world.school, world.users["teacher"])  # REP+: priority
    published_offer(world.bassin, world.company, capacity=1)
    member = world.users["hub_member"]
    strict = run_create(user=member, hub=hub, policy="strict", **WINDOW)
    fairness = strict.stats["fairness"]
    assert fairness["policy"] == "strict" and fairness["range"] == [0, 1]
    assert fairness["target"]["priority_placed"] == 1 and fairness["reached"]
    none = run_create(user=member, hub=hub, policy="none", **WINDOW)
    assert none.stats["fairness"]["policy"] == "none"
    with pytest.raises(ValidationError):
        run_create(user=member, hub=hub, policy="lottery", **WINDOW)


def test_a_rerun_keeps_the_pending_suggestions(world, hub, plain):
    school, teacher = plain
    cases = [referred_case(school, teacher) for _ in range(3)]
    published_offer(world.bassin, world.company, capacity=2)
    member = world.users["hub_member"]
    first = run_create(user=member, hub=hub, **WINDOW)
    placed = {s.case_id: s.slot_id for s in first.suggestions.all()}
    assert sum(slot is not None for slot in placed.values()) == 2
    published_offer(world.bassin, world.company, capacity=1)  # one more place
    second = run_create(user=member, hub=hub, **WINDOW)
    again = {s.case_id: s.slot_id for s in second.suggestions.all()}
    kept = [c.pk for c in cases if placed[c.pk] is not None]
    assert all(again[pk] == placed[pk] for pk in kept)
    assert second.stats["changes"]["kept"] == 2
    assert second.stats["changes"]["newly_placed"] == 1
    newcomer = second.suggestions.get(case_id=next(pk for pk, s in placed.items() if s is None))
    assert "Depuis le calcul précédent : placé alors qu'il ne l'était pas" in (newcomer.explanation)


def test_advice_names_the_etablissement(world, hub, plain):
    school, teacher = plain
    for _ in range(3):
        referred_case(school, teacher)
    published_offer(world.bassin, world.company, capacity=1)
    run = run_create(user=world.users["hub_member"], hub=hub, **WINDOW)
    [line] = run.stats["advice"]
    assert line["kind"] == "shortage" and line["pupils"] == 2
    assert line["text"].startswith("2 élèves de l'établissement Collège B souhaitant")


def test_a_runs_suggestion_may_take_a_reserved_place(world, hub, plain):
    """Issue 12: the engine does not hold reservations; its suggestion is sendable. A
    proposal chosen by hand for the same pupil would be refused before the release date."""
    school, teacher = plain
    case = referred_case(school, teacher)
    published_offer(world.bassin, world.company, capacity=1, reserved_places=1)
    member = world.users["hub_member"]
    with time_machine.travel(BEFORE_RELEASE, tick=False):
        run = run_create(user=member, hub=hub, **WINDOW)
        suggestion = run.suggestions.get(case=case)
        assert suggestion.slot is not None
        suggestion_send(user=member, suggestion=suggestion)
    suggestion.refresh_from_db()
    assert suggestion.state == SuggestionState.SENT
    assert OfferSlot.objects.get(pk=suggestion.slot_id).held == 1
