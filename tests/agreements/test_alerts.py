"""The daily job: alerts at 90, 30 and 7 days, sent once, to the académie team of the
scope; expiry of ended conventions; and one run through the real procrastinate worker."""

from datetime import date, timedelta

import pytest
from django.core import mail

from relais.agreements.alerts import run_daily, send_alerts
from relais.agreements.enums import AgreementState
from relais.core.enums import NotificationState
from relais.core.models import Notification
from relais.users.enums import Role
from tests.agreements.factories import in_force_agreement
from tests.factories import make_user
from tests.jobs import job_status, run_worker_once
from tests.mail import deliver_outbox, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewing(world):
    """Signed 2016-03-01, 5 years, tacitly renewed, 3 months' notice (Lille's clauses):
    second period ends 2026-02-28, notice deadline 2025-11-30."""
    return in_force_agreement(
        world.users["academie_team"],
        world.home,
        signed_on=date(2016, 3, 1),
        fields={"duration_months": 60, "tacit_renewal": True, "notice_months": 3},
    )


def test_alerts_at_90_30_7_days_once_each(world, renewing, django_capture_on_commit_callbacks):
    deadline = date(2025, 11, 30)
    team = world.users["academie_team"].email
    sent_on = []
    day = deadline - timedelta(days=100)
    while day <= deadline:
        with django_capture_on_commit_callbacks(execute=True):
            if send_alerts(today=day):
                sent_on.append(day)
        day += timedelta(days=1)
    deliver_outbox()
    notice_mails = [m for m in mail.outbox if "dénoncer" in m.subject]
    assert [(deadline - d).days for d in sent_on if d <= deadline] == [90, 30, 7]
    assert len(notice_mails) == 3
    assert all(m.to == [team] for m in notice_mails)
    assert "Sans dénonciation" in notice_mails[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send_alerts(today=deadline - timedelta(days=7)) == 0  # once


def test_a_missed_day_is_caught_up(world, renewing, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_alerts(today=date(2025, 9, 3))  # the J-90 was due on 1 September
    assert sent == 1
    assert Notification.objects.filter(key__endswith="J-90").count() == 1


def test_other_academies_team_gets_nothing(world, renewing, django_capture_on_commit_callbacks):
    outsider = make_user(Role.ACADEMIE_TEAM, world.other)
    with django_capture_on_commit_callbacks(execute=True):
        send_alerts(today=date(2025, 9, 1))
    deliver_outbox()
    assert mail.outbox and all(outsider.email not in m.to for m in mail.outbox)


def test_daily_run_expires_ended_conventions(world):
    ended = in_force_agreement(world.users["academie_team"], world.home, signed_on=date(2020, 1, 6))
    report = run_daily(today=date(2023, 1, 6))
    ended.refresh_from_db()
    assert report.expired == 1
    assert ended.state == AgreementState.EXPIRED and ended.ended_on == date(2023, 1, 5)


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_job_runs_in_the_real_worker(world, renewing):
    from relais.agreements.tasks import agreements_daily

    job_id = agreements_daily.defer(timestamp=0)
    run_worker_once()
    assert job_status(job_id) == "succeeded"
    renewing.refresh_from_db()
    assert renewing.current_end is not None


def test_a_refused_alert_does_not_stop_the_alerts_of_the_other_conventions(world, settings):
    """The daily run only writes the alerts; the server refusing the first convention's
    team leaves that one in « échec » and sends the next one."""
    other_team = make_user(Role.ACADEMIE_TEAM, world.other)
    fields = {"duration_months": 60, "tacit_renewal": True, "notice_months": 3}
    first = in_force_agreement(
        world.users["academie_team"], world.home, signed_on=date(2016, 3, 1), fields=fields
    )
    second = in_force_agreement(other_team, world.other, signed_on=date(2016, 3, 1), fields=fields)
    with smtp_server(settings) as server:
        server.refused_recipients = {world.users["academie_team"].email}
        report = run_daily(today=date(2025, 9, 1))
        assert report.alerts_sent == 2
        sweep = deliver_outbox()
        assert (sweep.failed, sweep.sent) == (1, 1)
        refused = Notification.objects.get(about=f"agreements.agreement:{first.pk}")
        delivered = Notification.objects.get(about=f"agreements.agreement:{second.pk}")
        assert refused.state == NotificationState.FAILED and "550" in refused.last_error
        assert delivered.state == NotificationState.SENT
        assert [envelope[1] for envelope in server.envelopes] == [[other_team.email]]
