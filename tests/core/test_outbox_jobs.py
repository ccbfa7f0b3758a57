"""The outbox in its real surroundings: committed rows, the procrastinate worker, two workers
racing for one message, and a request made while the SMTP server is down."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone
from django.utils.html import escape

from relais.actions.models import ActionRequest
from relais.core.enums import NotificationState
from relais.core.models import Notification
from relais.core.notifications import notify_once
from relais.core.outbox import deliver
from tests.actions.factories import OfferFactory
from tests.jobs import job_status, run_worker_once
from tests.mail import smtp_server

pytestmark = pytest.mark.django_db(transaction=True)


def _notify(key="job:1"):
    with transaction.atomic():
        return notify_once(
            key=key, recipients=["anne@example.org"], subject=f"Objet {key}", body="Bonjour."
        )


def test_two_workers_never_send_the_same_message_twice(settings):
    with smtp_server(settings) as server:
        server.delay = 0.5  # the first worker holds the row while the server answers
        notification = _notify()
        barrier = threading.Barrier(2)
        results = []

        def worker():
            try:
                barrier.wait()
                results.append(deliver(notification.pk))
            finally:
                connection.close()  # each thread had its own database connection

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(results, key=str) == [None, NotificationState.SENT]
        assert len(server.messages) == 1
        assert deliver(notification.pk) is None  # and a third call, later, does nothing
        assert len(server.messages) == 1


def test_the_commit_defers_the_job_that_sends_it(settings):
    with smtp_server(settings) as server:
        notification = _notify()
        run_worker_once(queues=["emails"])
        notification.refresh_from_db()
        assert notification.state == NotificationState.SENT
        assert [message["Subject"] for message in server.messages] == ["Objet job:1"]


def test_a_rolled_back_change_leaves_no_message():
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_once(key="job:rolled-back", recipients=["a@example.org"], subject="x", body="x")
        raise RuntimeError("the change fails after writing its e-mail")
    assert not Notification.objects.exists()


def test_the_minute_sweep_retries_in_the_worker(settings):
    from relais.core.tasks import deliver_due

    with smtp_server(settings, started=False) as server:
        notification = _notify()
        run_worker_once(queues=["emails"])  # the job of the commit: connection refused
        notification.refresh_from_db()
        assert notification.state == NotificationState.FAILED and notification.attempts == 1
        server.start()
        with time_machine.travel(timezone.now() + timedelta(minutes=5)):
            job_id = deliver_due.defer(timestamp=0)
            run_worker_once(queues=["emails"])
        assert job_status(job_id) == "succeeded"
        notification.refresh_from_db()
        assert notification.state == NotificationState.SENT and len(server.messages) == 1


def test_a_request_succeeds_while_the_smtp_server_is_down(world, client_for, settings):
    offer = OfferFactory(academie=world.home, organisation=world.company)
    with smtp_server(settings, started=False) as server:
        response = client_for(world.users["teacher"]).post(
            f"/actions/offres/{offer.pk}/demander/",
            {"establishment": world.school.pk, "contact_name": "J. Moreau",
             "contact_email": "j@ac.fr", "classes": "3e B", "pupil_count": "26"},
        )  # fmt: skip
        request = ActionRequest.objects.get()  # the change is saved
        assert response.status_code == 302 and response["Location"] == request.get_absolute_url()
        notification = Notification.objects.get(about=f"actions.request:{request.pk}")
        assert notification.state == NotificationState.PENDING  # written, not « envoyé »

        run_worker_once(queues=["emails"])
        notification.refresh_from_db()
        assert notification.state == NotificationState.FAILED and notification.attempts == 1
        assert notification.sent_at is None and notification.last_error
        page = client_for(world.users["national_admin"]).get("/courriels/").content.decode()
        assert escape(notification.subject) in page and "échec" in page
        assert "Connexion refusée" in page

        server.start()
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            from relais.core.tasks import deliver_due

            deliver_due.defer(timestamp=0)
            run_worker_once(queues=["emails"])
        notification.refresh_from_db()
        assert notification.state == NotificationState.SENT
        assert len(server.messages) == 1


def test_the_nightly_purge_forgets_old_finished_email_jobs(settings):
    from procrastinate.contrib.django import app

    from relais.core.tasks import deliver_due, purge_email_jobs

    old = deliver_due.defer(timestamp=0)
    run_worker_once(queues=["emails"])
    recent = deliver_due.defer(timestamp=1)
    run_worker_once(queues=["emails"])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_events SET at = at - interval '3 days' WHERE job_id = %s", [old]
        )
    purge = purge_email_jobs.defer(timestamp=0)
    run_worker_once(queues=["emails"])
    assert job_status(purge) == "succeeded"
    assert app.job_manager.list_jobs(id=old) == []
    assert job_status(recent) == "succeeded"  # finished less than 48 hours ago: kept
