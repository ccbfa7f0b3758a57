"""The catalogue's scheduled job, run by the real procrastinate worker."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django import app

from relais.actions import tasks
from relais.actions.models import ActionRequest

from .factories import ActionRequestFactory


@pytest.mark.django_db(transaction=True)
def test_unanswered_request_reminders_job_runs_in_the_worker():
    request = ActionRequestFactory(offer__contact_email="partenaire@ex.fr")
    ActionRequest.objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=12)
    )
    worker = app.with_connector(app.connector.get_worker_connector())
    for _ in range(2):
        tasks.unanswered_request_reminders.defer()
        worker.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)
    assert [m.to for m in mail.outbox] == [["partenaire@ex.fr"]]
