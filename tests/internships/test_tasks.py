"""The jobs, run by the real procrastinate worker on the test database."""

import pytest
from django.utils import timezone

from relais.internships import services, tasks
from relais.internships.enums import CaseState, ProposalState
from relais.internships.models import OfferSlot
from tests.internships.factories import HubFactory, RomeCodeFactory, published_offer, referred_case
from tests.jobs import job_status, run_worker_once


@pytest.mark.django_db(transaction=True)
def test_the_worker_expires_proposals_and_frees_the_place(world):
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin)
    offer = published_offer(world.bassin, world.company, capacity=1)
    case = referred_case(world.school, world.users["teacher"])
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    proposal.sent_at = timezone.now() - timezone.timedelta(days=8)
    proposal.expires_at = timezone.now() - timezone.timedelta(days=1)  # no answer in time
    proposal.save()
    job = tasks.expire_proposals.defer(timestamp=0)
    run_worker_once()
    assert job_status(job) == "succeeded"
    proposal.refresh_from_db()
    case.refresh_from_db()
    assert proposal.state == ProposalState.EXPIRED and case.state == CaseState.REFERRED
    slot = OfferSlot.objects.get(offer=offer)
    assert (slot.held, slot.taken) == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_runs(world):
    job = tasks.internships_daily.defer(timestamp=0)
    run_worker_once()
    assert job_status(job) == "succeeded"
