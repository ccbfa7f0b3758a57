"""The scheduled jobs, run by the real procrastinate worker on the test database."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import timezone
from procrastinate.contrib.django import app

from relais.core.models import Notification
from relais.core.school_years import school_year_bounds, school_year_of
from relais.networks import tasks
from relais.networks.enums import MandateRole
from relais.networks.rules import campus_label_end
from relais.users.enums import Role
from tests.factories import AcademieFactory, BassinFactory, make_user

from .factories import CampusFactory, ClubFactory, MandateFactory


def _run_worker():
    """The worker's own psycopg connector (Django's connection hands JSON back as text)."""
    worker_app = app.with_connector(app.connector.get_worker_connector())
    worker_app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)


@pytest.mark.django_db(transaction=True)
def test_mandate_reminders_job_runs_in_the_worker(monkeypatch):
    today = timezone.localdate()
    year = school_year_of(today)
    end = school_year_bounds(year)[1]
    if (end - today).days > 120:  # outside the reminder window: move "today" into it
        monkeypatch.setattr(timezone, "localdate", lambda: date(year + 1, 7, 1))
        year = school_year_of(date(year + 1, 7, 1))
    academie = AcademieFactory(code="W1")
    team = make_user(Role.ACADEMIE_TEAM, academie)
    club = ClubFactory(academie=academie, bassin=BassinFactory(academie=academie))
    MandateFactory(club=club, school_year=year, role=MandateRole.PILOTE, email="pil@ex.fr")
    tasks.mandate_reminders.defer()
    _run_worker()
    assert Notification.objects.filter(key__startswith="networks.mandats-a-renouveler").count() == 1
    assert {tuple(m.to) for m in mail.outbox} == {(team.email,), ("pil@ex.fr",)}
    tasks.mandate_reminders.defer()
    _run_worker()
    assert len(mail.outbox) == 2  # sent once


@pytest.mark.django_db(transaction=True)
def test_campus_label_reminders_job_runs_in_the_worker():
    today = timezone.localdate()
    academie = AcademieFactory(code="W2")
    team = make_user(Role.ACADEMIE_TEAM, academie)
    start = today - relativedelta(years=4) + timedelta(days=60)  # the label ends in 59 days
    campus = CampusFactory(
        academie=academie, label_starts_on=start, label_ends_on=campus_label_end(start)
    )
    tasks.campus_label_reminders.defer()
    _run_worker()
    tasks.campus_label_reminders.defer()
    _run_worker()
    assert [m.to for m in mail.outbox] == [[team.email]]  # once
    assert campus.name in mail.outbox[0].subject
