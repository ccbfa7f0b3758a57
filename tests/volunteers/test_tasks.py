"""The scheduled jobs and their rules: run by the real procrastinate worker on the test
database, each e-mail sent once."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import timezone

from relais.core.models import Notification
from relais.users.enums import Role
from relais.volunteers import tasks
from relais.volunteers.enums import AdvisorState
from relais.volunteers.models import Advisor
from relais.volunteers.services import advisors as services
from tests.factories import AcademieFactory, OrganisationFactory, make_user
from tests.jobs import job_status, run_worker_once

from .factories import AdvisorFactory, ReserveApplicationFactory


def _run_worker():
    """The jobs of the area, then the e-mails they wrote (the outbox's queue)."""
    run_worker_once(queues=["volunteers", "emails"])


@pytest.mark.django_db(transaction=True)
def test_advisor_mandates_job_runs_in_the_worker():
    today = timezone.localdate()
    academie = AcademieFactory(code="W5")
    team = make_user(Role.ACADEMIE_TEAM, academie)
    org = OrganisationFactory(professional=True, academie=academie, email="org@ex.fr")
    common = {"academie": academie, "organisation": org}
    expired = AdvisorFactory(
        **common, active=True, mandate_start=today - timedelta(days=400),
        mandate_end=today - timedelta(days=1),
    )  # fmt: skip
    ending = AdvisorFactory(**common, active=True, mandate_end=today + timedelta(days=30))
    unconfirmed = AdvisorFactory(
        **common, designated=True, designated_on=today - timedelta(days=20)
    )
    job = tasks.advisor_mandates.defer()
    _run_worker()
    assert job_status(job) == "succeeded"
    expired.refresh_from_db()
    assert expired.state == AdvisorState.ENDED and expired.ended_on == expired.mandate_end
    assert expired.journal.last().note == "Fin du mandat"
    keys = set(Notification.objects.values_list("key", flat=True))
    assert f"volunteers.advisor:{ending.pk}:mandate-end:{ending.mandate_end:%Y-%m-%d}" in keys
    assert f"volunteers.advisor:{unconfirmed.pk}:employer-reminder" in keys
    sent = len(mail.outbox)
    assert sent == 2 and {tuple(sorted(m.to)) for m in mail.outbox} == {
        tuple(sorted([team.email, "org@ex.fr"])),
        ("org@ex.fr",),
    }
    tasks.advisor_mandates.defer()
    _run_worker()
    assert len(mail.outbox) == sent  # each reminder once


@pytest.mark.django_db(transaction=True)
def test_overdue_vettings_job_runs_in_the_worker():
    academie = AcademieFactory(code="W6")
    team = make_user(Role.ACADEMIE_TEAM, academie)
    late = ReserveApplicationFactory(
        academie=academie, submitted_at=timezone.now() - relativedelta(months=3)
    )
    ReserveApplicationFactory(academie=academie)
    job = tasks.overdue_vettings.defer()
    _run_worker()
    assert job_status(job) == "succeeded"
    assert [m.to for m in mail.outbox] == [[team.email]]
    assert late.full_name in mail.outbox[0].subject
    tasks.overdue_vettings.defer()
    _run_worker()
    assert len(mail.outbox) == 1


def test_employer_reminder_waits_the_delay_and_skips_confirmed(db):
    today = timezone.localdate()
    days = services.CONFIRMATION_REMINDER_DAYS
    recent = AdvisorFactory(designated=True, designated_on=today - timedelta(days=days - 1))
    AdvisorFactory(active=True, designated_on=today - timedelta(days=days + 5))
    due = AdvisorFactory(designated=True, designated_on=today - timedelta(days=days))
    assert services.remind_employer_information(today=today) == 1
    assert Notification.objects.get().key == f"volunteers.advisor:{due.pk}:employer-reminder"
    assert recent.pk != due.pk


def test_mandate_end_notice_window(db):
    today = timezone.localdate()
    days = services.MANDATE_END_NOTICE_DAYS
    AdvisorFactory(active=True, mandate_end=today + timedelta(days=days + 1))
    inside = AdvisorFactory(active=True, mandate_end=today + timedelta(days=days))
    AdvisorFactory(mandate_end=today + timedelta(days=5))  # proposed only
    assert services.remind_mandate_ends(today=today) == 1
    assert Notification.objects.get().about == f"volunteers.advisor:{inside.pk}"
    assert services.advisors_end_expired(today=today) == 0
    assert Advisor.objects.filter(state=AdvisorState.ENDED).count() == 0
