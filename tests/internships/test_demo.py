"""The demo of the pôles de stages, on top of the real reference data."""

import io

import pytest
from django.core.management import call_command

from relais.internships.enums import CaseState
from relais.internships.holidays import week_warnings
from relais.internships.models import (
    InternshipOffer,
    MatchingRun,
    PlacementCase,
    PlacementHub,
)
from relais.pupils.models import Pupil


@pytest.mark.django_db
@pytest.mark.slow
def test_demo_has_cases_at_every_step_and_is_idempotent():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    assert PlacementHub.objects.filter(bassin__academie__code="11").count() > 10
    with_a_case = Pupil.objects.filter(cases__isnull=False).distinct()
    assert with_a_case.count() == 36  # 30 of the demo collège, 6 of its neighbour
    assert all(p.last_name.startswith("Démo") for p in with_a_case)
    assert all(case.period and case.wishes for case in PlacementCase.objects.all())
    states = set(PlacementCase.objects.values_list("state", flat=True))
    assert states == set(CaseState.values)
    assert InternshipOffer.objects.filter(state="published").count() >= 5
    # Issue 12: the engine at work — clearly more than first come, first served, the gap
    # closed as far as the places allow, the rest explained, a sector pôle, no holiday.
    first, second = MatchingRun.objects.order_by("pk")
    assert first.pupils == 16 and first.stats["placed"] == first.bound
    assert first.stats["placed"] >= first.greedy_stats["placed"] + 3
    assert abs(first.stats["priority_gap"]) < abs(first.greedy_stats["priority_gap"])
    assert first.stats["advice"] or first.stats["placed"] == first.pupils
    assert second.stats["changes"]["place_gone"] == 1
    assert PlacementHub.objects.filter(kind="filiere").count() == 1
    week = first.window_start
    assert not week_warnings(week, "C")
    counts = (
        Pupil.objects.count(),
        PlacementCase.objects.count(),
        InternshipOffer.objects.count(),
        MatchingRun.objects.count(),
    )
    call_command("load_demo", "--no-reference", verbosity=0, stdout=io.StringIO())
    assert (
        Pupil.objects.count(),
        PlacementCase.objects.count(),
        InternshipOffer.objects.count(),
        MatchingRun.objects.count(),
    ) == counts
