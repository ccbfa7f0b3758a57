"""The governance demo: bodies of the three seed conventions when they exist, idempotent."""

from datetime import date

import pytest

from relais.governance import demo
from relais.governance.enums import MeetingState, ReportState
from relais.governance.models import AnnualReport, Body, Meeting
from relais.users.enums import Role
from tests.factories import make_user

from . import factories as f

pytestmark = pytest.mark.django_db


def test_nothing_without_the_demo_conventions(world):
    assert demo.load() == "Instances de démonstration : aucune convention de démonstration."
    assert not Body.objects.exists()


def test_bodies_meetings_and_report(world):
    make_user(Role.NATIONAL_ADMIN)
    lille = f.agreement(world.home, title=demo.LILLE_TITLE, start=date(2016, 3, 15))
    cpme = f.agreement(world.other, title=demo.CPME_TITLE, state="expiree",
                       start=date(2018, 2, 5), ended_on=date(2021, 2, 4))  # fmt: skip
    cee = f.agreement(world.home, title=demo.CEE_TITLE, start=date(2025, 9, 22))
    f.commitment(cee, quantity=10)
    summary = demo.load()
    assert summary.startswith("Instances de démonstration : 5 instances")
    strategic = Body.objects.get(agreement=lille, kind="comite_strategique")
    assert strategic.required_months == [6]
    steering = Body.objects.get(agreement=lille, kind="comite_pilotage")
    assert steering.required_months == [2, 9] and steering.min_meetings_per_year == 2
    assert Body.objects.filter(agreement=lille, kind="groupe_projet").count() == 1
    assert Body.objects.get(agreement=cpme).min_meetings_per_year == 1
    held = Meeting.objects.filter(state=MeetingState.HELD)
    assert held.filter(minutes_sent_at__isnull=False).exists()
    assert held.filter(decisions__isnull=False).exists()
    assert Meeting.objects.filter(action_items__isnull=False).exists()
    report = AnnualReport.objects.get(agreement=cee)
    assert report.state == ReportState.FINAL and report.results.get().achieved == 8
    # A second run changes nothing.
    meetings = Meeting.objects.count()
    assert demo.load() == "Instances de démonstration : déjà chargées."
    assert Meeting.objects.count() == meetings and Body.objects.count() == 5
