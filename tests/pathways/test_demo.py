"""The demo of the parcours Avenir: whole rosters imported from CSV files through the real
service, experiences over two roster years, the gap between priority pupils and the
others, loaded twice without change."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse

from relais.pathways.enums import Source
from relais.pathways.models import Credit, Experience, SchoolStat
from relais.pathways.selectors import Territory, figures_by_level, gap, trend
from relais.pupils.models import Pupil
from relais.users.models import User

# A Monday of the roster year 2026-2027: the demo's dates are around the day it is loaded.
DAY = datetime.datetime(2026, 12, 7, 10, 0)
YEAR = 2026


PUPIL = ("establishment_id", "school_ref", "last_name", "first_name", "school_year",
         "class_label", "level", "qpv", "disability", "newly_arrived")  # fmt: skip
STAT = ("establishment_id", "school_year", "level", "priority", "pupils", "visit", "meeting",
        "internship", "project", "complete")  # fmt: skip


def state() -> tuple:
    """Everything the demo writes, without ids or timestamps."""
    return (
        sorted(Pupil.objects.values_list(*PUPIL)),
        sorted(Experience.objects.values_list("establishment_id", "source_ref", "date")),
        Credit.objects.count(),
        sorted(SchoolStat.objects.values_list(*STAT)),
    )


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_rosters_experiences_gap_and_idempotence(client):
    with time_machine.travel(DAY, tick=False):
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        teacher = User.objects.get(email="enseignant@demo.relais.example")
        school = teacher.memberships.get().establishment
        before = state()

        # Whole rosters of several collèges of the bassin, two years, REP ones among them.
        schools = Pupil.objects.filter(school_year=YEAR).values("establishment").distinct()
        assert 4 <= schools.count() <= 6
        rosters = Pupil.objects.filter(establishment__bassin=school.bassin, school_year=YEAR)
        assert rosters.filter(establishment__priority_education__in=["REP", "REP+"]).exists()
        assert rosters.filter(establishment__priority_education="").exists()
        assert set(rosters.values_list("level", flat=True)) == {"6e", "5e", "4e", "3e"}
        sizes = rosters.values("establishment", "class_label").annotate(n=Count("pk"))
        assert all(18 <= row["n"] <= 30 for row in sizes)
        assert rosters.filter(qpv=True).exists() and rosters.filter(newly_arrived=True).exists()
        # The pôle de stages' demo pupils were found by name, not duplicated.
        pole = Pupil.objects.filter(establishment=school, last_name__startswith="Démo")
        assert pole.count() > 0 and all(p.school_ref for p in pole)
        names = pole.values("last_name", "first_name").annotate(n=Count("pk"))
        assert all(row["n"] == 1 for row in names)
        # Last year's roster moved up: its pupils kept last year's credits.
        moved = Pupil.objects.filter(
            school_year=YEAR, level="4e", credits__experience__school_year=YEAR - 1
        )
        assert moved.exists()

        # Experiences from every source the school records, some of them ahead.
        sources = set(Experience.objects.values_list("source", flat=True))
        assert {Source.CATALOGUE, Source.ADVISOR, Source.RESERVE, Source.CLASS,
                Source.SCHOOL} <= sources  # fmt: skip
        assert Experience.objects.filter(date__gt=DAY.date()).exists()

        # The gap shows: priority pupils' 3e completion is lower, this year and last year.
        bassin = Territory("bassin", school.bassin_id)
        third = figures_by_level(bassin, YEAR)["3e"]
        assert third["priority"].rate() < third["others"].rate()
        assert 5 <= gap(third["priority"], third["others"]) <= 35
        (_, past_priority, past_others), _ = trend(bassin, [YEAR - 1, YEAR])
        assert past_priority.pupils > 0 and past_others.pupils > 0
        assert past_priority.rate() < past_others.rate()

        # The demo teacher's class page names the class's pupils.
        client.force_login(teacher)
        response = client.get(reverse("pathways:class", args=[school.pk, "3e A"]))
        assert response.status_code == 200
        pupil = Pupil.objects.filter(
            establishment=school, school_year=YEAR, class_label="3e A", school_ref__gt=""
        ).first()
        assert pupil.last_name in response.content.decode()

        call_command("load_demo", "--no-reference", verbosity=0, stdout=io.StringIO())
        assert state() == before
