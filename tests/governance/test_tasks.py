"""The daily reminders job, run by the real procrastinate worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from relais.core.models import Notification
from relais.governance import tasks
from relais.governance.enums import MeetingState
from tests.jobs import job_status, run_worker_once

from . import factories as f


@pytest.mark.django_db(transaction=True)
def test_worker_sends_the_reminders_once(world):
    today = timezone.localdate()
    meeting = f.meeting(f.body(f.agreement(world.home)), today, state=MeetingState.HELD)
    item = f.action_item(meeting, owner_email="owner@example.org", due=today + timedelta(days=3))
    job_id = tasks.daily_reminders.defer(timestamp=0)
    run_worker_once()
    assert job_status(job_id) == "succeeded"
    assert Notification.objects.get(about=f"governance.action:{item.pk}").recipients == [
        "owner@example.org"
    ]
    second = tasks.daily_reminders.defer(timestamp=1)
    run_worker_once()
    assert job_status(second) == "succeeded"
    assert Notification.objects.filter(about=f"governance.action:{item.pk}").count() == 1
