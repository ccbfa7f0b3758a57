"""The races and wiring bugs of issue 12, item 7, each reproduced with real threads on their
own database connections: one thread holds its transaction open at the worst moment while
the other runs into its row locks, then the first commits.

- the last two places of an offer taken at once: the offer becomes full;
- an offer closed while a proposal on it is refused: it stays closed;
- a company whose answer lost a race is told so in French (never « Acceptée… Merci ! »);
- a priority pupil's reserved place does not keep the remaining place reserved, in the
  proposal service and in the engine alike (one rule).
"""

import datetime
import threading
import time

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.urls import reverse

from relais.internships import services
from relais.internships.enums import OfferState, ProposalState
from relais.internships.models import InternshipOffer, OfferSlot, Proposal
from relais.internships.services.matching import _cases, _slots, build_problem
from relais.matching import SolveOptions, solve_optimal
from relais.users.enums import Role
from tests.factories import make_user
from tests.internships.factories import (
    WEEK,
    HubFactory,
    RomeCodeFactory,
    SlotFactory,
    published_offer,
    referred_case,
)

BEFORE_RELEASE = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def world(transactional_db, world):
    """The shared world, committed: each thread reads it through its own connection."""
    return world


@pytest.fixture
def setting(world):
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin)
    return world


def _blocked_backends() -> int:
    """Backends of this database waiting for a row lock (another thread's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        )
        return int(cursor.fetchone()[0])


def interleave(first, second):
    """``first`` runs in a transaction held open until ``second`` (in another thread, on
    another connection) waits for one of its locks, or has finished; then ``first`` commits.
    Returns what each returned or raised."""
    outcomes: list[object] = [None, None]
    done_first = threading.Event()
    release = threading.Event()

    def run_first():
        try:
            with transaction.atomic():
                outcomes[0] = first()
                done_first.set()
                release.wait(timeout=10)
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[0] = error
        finally:
            done_first.set()
            connections.close_all()

    def run_second():
        try:
            outcomes[1] = second()
        except Exception as error:  # noqa: BLE001
            outcomes[1] = error
        finally:
            connections.close_all()

    one = threading.Thread(target=run_first)
    one.start()
    done_first.wait(timeout=10)
    two = threading.Thread(target=run_second)
    two.start()
    deadline = time.monotonic() + 5
    while two.is_alive() and _blocked_backends() == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    one.join(timeout=10)
    two.join(timeout=10)
    return outcomes


def _offer_two_weeks(world):
    """A published offer whose last two places are one in each of two weeks."""
    offer = published_offer(world.bassin, world.company, capacity=1)
    SlotFactory(offer=offer, week=WEEK + datetime.timedelta(weeks=1), capacity=1)
    return offer


def test_the_last_two_places_taken_at_once_make_the_offer_full(setting):
    world = setting
    offer = _offer_two_weeks(world)
    first_week, second_week = offer.slots.order_by("week")
    cases = [referred_case(world.school, world.users["teacher"]) for _ in range(2)]
    # The second pupil's period covers the second week.
    period = cases[1].period
    period.end = second_week.week + datetime.timedelta(days=4)
    period.save()
    members = [world.users["hub_member"], make_user(Role.HUB_MEMBER, world.bassin)]
    outcomes = interleave(
        lambda: services.proposal_send(user=members[0], case=cases[0], slot=first_week),
        lambda: services.proposal_send(user=members[1], case=cases[1], slot=second_week),
    )
    assert all(isinstance(o, Proposal) for o in outcomes), outcomes
    offer.refresh_from_db()
    assert offer.state == OfferState.FULL
    assert [s.free for s in offer.slots.order_by("week")] == [0, 0]


def test_two_places_of_one_week_taken_at_once_make_the_offer_full(setting):
    world = setting
    offer = published_offer(world.bassin, world.company, capacity=2)
    slot = offer.slots.get()
    cases = [referred_case(world.school, world.users["teacher"]) for _ in range(2)]
    members = [world.users["hub_member"], make_user(Role.HUB_MEMBER, world.bassin)]
    outcomes = interleave(
        lambda: services.proposal_send(user=members[0], case=cases[0], slot=slot),
        lambda: services.proposal_send(user=members[1], case=cases[1], slot=slot),
    )
    assert all(isinstance(o, Proposal) for o in outcomes), outcomes
    offer.refresh_from_db()
    assert offer.state == OfferState.FULL


def _full_offer_with_a_proposal(world):
    offer = published_offer(world.bassin, world.company, capacity=1)
    case = referred_case(world.school, world.users["teacher"])
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    offer.refresh_from_db()
    assert offer.state == OfferState.FULL
    return offer, proposal


@pytest.mark.parametrize("refuse_first", [True, False], ids=["refusal-first", "closing-first"])
def test_an_offer_closed_while_a_proposal_is_refused_stays_closed(setting, refuse_first):
    world = setting
    offer, proposal = _full_offer_with_a_proposal(world)
    manager = world.users["bassin_referent"]
    stale = InternshipOffer.objects.get(pk=offer.pk)  # read before either change

    def refuse():
        return services.proposal_refuse(proposal=proposal, answered_by_name="Tuteur")

    def close():
        return services.offer_close(user=manager, offer=stale, note="Entreprise fermée")

    outcomes = interleave(refuse, close) if refuse_first else interleave(close, refuse)
    assert not any(isinstance(o, Exception) for o in outcomes), outcomes
    offer.refresh_from_db()
    assert offer.state == OfferState.CLOSED
    assert offer.slots.get().free == 1
    assert Proposal.objects.get().state == ProposalState.REFUSED


def test_an_edit_from_a_stale_page_does_not_reopen_a_closed_offer(setting):
    """The edit form was opened before the offer was closed: saving it must not write the
    old state back (the row is read again under its lock)."""
    world = setting
    offer, _ = _full_offer_with_a_proposal(world)
    manager = world.users["bassin_referent"]
    stale = InternshipOffer.objects.get(pk=offer.pk)
    outcomes = interleave(
        lambda: services.offer_close(user=manager, offer=offer, note="Fermée"),
        lambda: services.offer_update(user=manager, offer=stale, data={"title": "Nouveau"}),
    )
    assert isinstance(outcomes[1], ValidationError), outcomes
    assert "ne se modifie plus" in outcomes[1].messages[0]
    offer.refresh_from_db()
    assert (offer.state, offer.title) == (OfferState.CLOSED, stale.title)


def test_a_company_whose_answer_lost_the_race_is_told_so(setting, client):
    """The tutor answers « I host the pupil » while a colleague's refusal is being saved:
    the page says the answer was not recorded and why, with a 409, not « Merci ! »."""
    world = setting
    offer = published_offer(world.bassin, world.company, capacity=1)
    case = referred_case(world.school, world.users["teacher"])
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    url = reverse("internships:answer", args=[services.proposal_token(proposal)])
    outcomes = interleave(
        lambda: services.proposal_refuse(proposal=proposal, answered_by_name="Collègue"),
        lambda: client.post(url, {"decision": "accept", "name": "Claire Dupuis", "note": ""}),
    )
    assert isinstance(outcomes[0], Proposal), outcomes
    response = outcomes[1]
    assert response.status_code == 409, response
    page = response.content.decode()
    assert "Votre réponse n'a pas été enregistrée" in page
    assert "refusée entre-temps" in page
    assert "Merci !" not in page
    assert Proposal.objects.get().state == ProposalState.REFUSED


def test_the_answer_page_after_a_lost_race_is_clear_when_already_accepted(setting, client):
    world = setting
    offer = published_offer(world.bassin, world.company, capacity=1)
    case = referred_case(world.school, world.users["teacher"])
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    url = reverse("internships:answer", args=[services.proposal_token(proposal)])
    outcomes = interleave(
        lambda: services.proposal_accept(proposal=proposal, answered_by_name="Collègue"),
        lambda: client.post(url, {"decision": "refuse", "name": "Claire Dupuis", "note": ""}),
    )
    page = outcomes[1].content.decode()
    assert outcomes[1].status_code == 409
    assert "acceptée entre-temps" in page and "Collègue" in page
    assert Proposal.objects.get().state == ProposalState.ACCEPTED


def _priority_and_other(world):
    """A priority pupil (REP+ school of the world) and a pupil of a school outside
    priority education, both referred to the same pôle."""
    priority = referred_case(world.school, world.users["teacher"])
    other_school = world.school2
    other_school.bassin = world.bassin
    other_school.save()
    other = referred_case(other_school, make_user(Role.TEACHER, other_school))
    assert priority.pupil.is_priority and not other.pupil.is_priority
    return priority, other


def test_a_priority_pupil_taking_the_reserved_place_frees_the_rule_for_the_other(setting):
    """Two places, one reserved, before the release date: the priority pupil's proposal and
    the other pupil's arrive at once; both are sent, whichever comes first."""
    world = setting
    offer = published_offer(world.bassin, world.company, capacity=2, reserved_places=1)
    slot = offer.slots.get()
    priority, other = _priority_and_other(world)
    members = [world.users["hub_member"], make_user(Role.HUB_MEMBER, world.bassin)]
    with time_machine.travel(BEFORE_RELEASE, tick=False):
        outcomes = interleave(
            lambda: services.proposal_send(user=members[0], case=priority, slot=slot),
            lambda: services.proposal_send(user=members[1], case=other, slot=slot),
        )
    assert all(isinstance(o, Proposal) for o in outcomes), outcomes
    offer.refresh_from_db()
    assert offer.state == OfferState.FULL


def test_the_engine_and_the_proposal_service_apply_one_rule_of_reserved_places(setting):
    """After a priority pupil took the reserved place, the remaining place is open to the
    other pupil: the proposal service accepts them, and so does the engine even when it
    holds reservations (it used to read the offer's whole reservation against the places
    left, and refused the pupil the service accepted)."""
    world = setting
    offer = published_offer(world.bassin, world.company, capacity=2, reserved_places=1)
    slot = offer.slots.get()
    priority, other = _priority_and_other(world)
    with time_machine.travel(BEFORE_RELEASE, tick=False):
        services.proposal_send(user=world.users["hub_member"], case=priority, slot=slot)
        hub = HubFactory(bassin=world.bassin)
        problem, skipped = build_problem(
            _cases(hub, None), _slots(hub, None, WEEK, WEEK), WEEK, WEEK
        )
        held = solve_optimal(problem, SolveOptions(hold_reserved=True))
        assert not skipped and list(problem.pupils.ids) == [other.pk]
        assert int(held.placed.sum()) == 1
        proposal = services.proposal_send(
            user=world.users["hub_member"], case=other, slot=OfferSlot.objects.get(pk=slot.pk)
        )
    assert proposal.state == ProposalState.SENT
