"""Two answers for the last place never overbook it: real threads, each on its own database
connection, racing on the row lock of the slot (``select_for_update``)."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from relais.internships import services
from relais.internships.enums import ProposalState
from relais.internships.models import OfferSlot, Proposal
from relais.users.enums import Role
from tests.factories import make_user
from tests.internships.factories import HubFactory, RomeCodeFactory, published_offer, referred_case


@pytest.fixture
def world(transactional_db, world):
    """The shared world, committed: each thread reads it through its own connection."""
    return world


def race(*calls):
    """Run the calls at the same moment in threads; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test checks
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def setting(world):
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin)
    offer = published_offer(world.bassin, world.company, capacity=1)
    cases = [referred_case(world.school, world.users["teacher"]) for _ in range(2)]
    return offer, cases


def test_two_proposals_for_the_last_place(world, setting):
    offer, cases = setting
    slot = offer.slots.get()
    members = [world.users["hub_member"], make_user(Role.HUB_MEMBER, world.bassin)]
    outcomes = race(
        *[
            (
                lambda case=case, member=member: services.proposal_send(
                    user=member, case=case, slot=slot
                )
            )
            for case, member in zip(cases, members, strict=True)
        ]
    )
    sent = [o for o in outcomes if isinstance(o, Proposal)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(sent) == 1 and len(refused) == 1, outcomes
    assert "Plus aucune place libre" in refused[0].messages[0]
    slot.refresh_from_db()
    assert (slot.held, slot.taken) == (1, 0)


def test_two_answers_to_the_same_proposal(world, setting):
    offer, cases = setting
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=cases[0], slot=offer.slots.get()
    )
    token = services.proposal_token(proposal)
    outcomes = race(
        lambda: services.proposal_accept(proposal=services.proposal_from_token(token)),
        lambda: services.proposal_accept(proposal=services.proposal_from_token(token)),
    )
    accepted = [o for o in outcomes if isinstance(o, Proposal)]
    assert len(accepted) == 1, outcomes
    assert isinstance(next(o for o in outcomes if o not in accepted), ValidationError)
    slot = OfferSlot.objects.get(offer=offer)
    assert (slot.held, slot.taken) == (0, 1)
    assert Proposal.objects.get().state == ProposalState.ACCEPTED


def test_an_acceptance_racing_the_expiry_job(world, setting):
    """The company answers while the job expires the proposal: exactly one of them wins and
    the place is counted once."""
    offer, cases = setting
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=cases[0], slot=offer.slots.get()
    )
    deadline = proposal.expires_at
    outcomes = race(
        lambda: services.proposal_accept(
            proposal=proposal, now=deadline - datetime.timedelta(seconds=1)
        ),
        lambda: services.proposals_expire(now=deadline),
    )
    proposal.refresh_from_db()
    slot = OfferSlot.objects.get(offer=offer)
    if proposal.state == ProposalState.ACCEPTED:
        assert outcomes[1] == 0 and (slot.held, slot.taken) == (0, 1)
    else:
        assert proposal.state == ProposalState.EXPIRED and outcomes[1] == 1
        assert isinstance(outcomes[0], ValidationError) and (slot.held, slot.taken) == (0, 0)
