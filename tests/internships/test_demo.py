"""The demo of the pôles de stages, on top of the real reference data."""

import io

import pytest
from django.core.management import call_command

from relais.internships.enums import CaseState
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
    assert with_a_case.count() == 30
    assert all(p.last_name.startswith("Démo") for p in with_a_case)
    assert all(case.period and case.wishes for case in PlacementCase.objects.all())
    states = set(PlacementCase.objects.values_list("state", flat=True))
    assert states == set(CaseState.values)
    assert InternshipOffer.objects.filter(state="published").count() >= 5
    assert MatchingRun.objects.count() == 1
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
