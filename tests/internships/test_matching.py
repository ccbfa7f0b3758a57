"""The engine wired to the database: a run over referred pupils and free places, its
suggestions with French explanations, the greedy figures beside it, edits and sending."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from relais.internships import selectors
from relais.internships.enums import CaseState, SuggestionState
from relais.internships.models import PlacementHub
from relais.internships.services.matching import (
    check_window,
    run_create,
    run_send_all,
    suggestion_discard,
    suggestion_send,
    suggestion_update,
)
from tests.factories import EstablishmentFactory
from tests.internships.factories import WEEK, published_offer, referred_case
from tests.pupils.factories import PupilFactory

WINDOW = {"window_start": WEEK, "window_end": WEEK + datetime.timedelta(days=6)}


@pytest.fixture
def scarce(world, hub):
    """One place, two pupils: one priority (REP+ school), one not, referred first."""
    teacher = world.users["teacher"]
    plain_school = EstablishmentFactory(academie=world.home, bassin=world.bassin, name="Collège B")
    from relais.users.enums import Role
    from tests.factories import make_user

    other_teacher = make_user(Role.TEACHER, plain_school)
    first = referred_case(plain_school, other_teacher)  # referred first, not priority
    second = referred_case(world.school, teacher)  # REP+: priority
    offer = published_offer(world.bassin, world.company, capacity=1)
    return first, second, offer


def test_run_serves_priority_pupils_first_and_keeps_the_greedy_figures(world, scarce):
    first, second, offer = scarce
    run = run_create(
        user=world.users["hub_member"], hub=PlacementHub.of_bassin(world.bassin), **WINDOW
    )
    assert (run.pupils, run.places, run.bound) == (2, 1, 1)
    assert run.stats["placed"] == 1 and run.stats["placed_priority"] == 1
    assert run.greedy_stats["placed"] == 1 and run.greedy_stats["placed_priority"] == 0
    by_case = {s.case_id: s for s in run.suggestions.select_related("slot", "greedy_slot")}
    assert by_case[second.pk].slot.offer == offer and by_case[second.pk].reason == "placed"
    assert by_case[first.pk].slot is None
    # A shortage, never blamed on the priority pupils (relais.matching.explain, issue 12).
    assert by_case[first.pk].reason == "shortage"
    assert "pénurie" in by_case[first.pk].explanation
    assert "prioritaire" not in by_case[first.pk].explanation
    assert f"l'offre « {offer.title} » de {world.company.name}" in by_case[second.pk].explanation
    # The greedy baseline, first come first served, gave the place to the first referred.
    assert by_case[first.pk].greedy_slot.offer == offer and by_case[second.pk].greedy_slot is None


def test_pupils_that_cannot_enter_the_engine_are_listed(world, hub):
    teacher = world.users["teacher"]
    late = referred_case(world.school, teacher)
    late.period.start = late.period.end = WEEK + datetime.timedelta(weeks=5)
    late.period.save()
    run = run_create(user=world.users["hub_member"], hub=hub, **WINDOW)
    assert run.skipped == [{"case": late.pk, "reason": "période hors de la fenêtre du calcul"}]


def test_no_offer_in_reach_is_explained(world, hub):
    case = referred_case(world.school, world.users["teacher"], max_km=1)
    published_offer(world.bassin, world.company, latitude=44.5, longitude=3.88)
    run = run_create(user=world.users["hub_member"], hub=hub, **WINDOW)
    suggestion = run.suggestions.get(case=case)
    assert suggestion.reason == "out_of_reach"
    assert "aucune offre à portée" in suggestion.explanation


@pytest.mark.parametrize(
    "role",
    [
        "teacher",
        "organisation_rep",
        "volunteer",
        "national_admin",
        "academie_team",
        "bassin_referent",
    ],
)
def test_only_the_pole_runs_the_engine(world, hub, role):
    with pytest.raises(PermissionDenied):
        run_create(user=world.users[role], hub=hub, **WINDOW)


def test_whole_academie_run_is_for_the_academie_team(world, scarce):
    run = run_create(user=world.users["academie_team"], academie=world.home, **WINDOW)
    assert run.pupils == 2 and run.hub is None
    with pytest.raises(PermissionDenied):
        run_create(user=world.users["hub_member"], academie=world.home, **WINDOW)


def test_the_academie_team_gets_the_totals_of_its_run_never_a_name(world, scarce):
    """Issue 17: an académie-wide run is figures for the team; its suggestions name pupils,
    so they show only to the pôle of each pupil, who alone may send them."""
    team = world.users["academie_team"]
    run = run_create(user=team, academie=world.home, **WINDOW)
    assert selectors.run_suggestions(user=team, run=run) == ([], 2)
    assert run_send_all(user=team, run=run) == (0, [])
    assert not run.suggestions.exclude(state=SuggestionState.PENDING).exists()
    member = world.users["hub_member"]
    assert not selectors.runs_visible_to(user=member).filter(pk=run.pk).exists()
    own = run_create(user=member, hub=PlacementHub.of_bassin(world.bassin), **WINDOW)
    rows, hidden = selectors.run_suggestions(user=member, run=own)
    assert len(rows) == 2 and hidden == 0
    assert not selectors.runs_visible_to(user=world.users["bassin_referent"]).exists()


def test_edit_send_discard_and_send_all(world, scarce):
    first, second, offer = scarce
    member = world.users["hub_member"]
    run = run_create(user=member, hub=PlacementHub.of_bassin(world.bassin), **WINDOW)
    placed = run.suggestions.get(case=second)
    unplaced = run.suggestions.get(case=first)
    wrong = published_offer(world.bassin, world.company, levels=["2nde"])
    with pytest.raises(ValidationError, match="pas ouverte au niveau"):
        suggestion_update(user=member, suggestion=unplaced, slot=wrong.slots.get())
    with pytest.raises(ValidationError, match="Choisissez d'abord"):
        suggestion_send(user=member, suggestion=unplaced)
    other = published_offer(world.bassin, world.company)
    suggestion_update(user=member, suggestion=unplaced, slot=other.slots.get())
    unplaced.refresh_from_db()
    assert unplaced.edited
    sent, errors = run_send_all(user=member, run=run)
    assert (sent, errors) == (2, [])
    placed.refresh_from_db()
    second.refresh_from_db()
    assert placed.state == SuggestionState.SENT and second.state == CaseState.PROPOSAL_SENT
    with pytest.raises(ValidationError, match="n'est pas possible dans l'état « Proposition"):
        suggestion_discard(user=member, suggestion=placed)
    unplaced.refresh_from_db()
    assert [(line.transition, line.by) for line in unplaced.journal.all()] == [
        ("calcul", member),
        ("modifier", member),
        ("envoyer", member),
    ]
    assert unplaced.journal.get(transition="modifier").note.startswith(world.company.name)


def test_send_all_reports_a_place_taken_meanwhile(world, scarce):
    first, second, offer = scarce
    member = world.users["hub_member"]
    run = run_create(user=member, hub=PlacementHub.of_bassin(world.bassin), **WINDOW)
    newcomer = referred_case(world.school, world.users["teacher"])
    from relais.internships.services import proposal_send

    proposal_send(user=member, case=newcomer, slot=offer.slots.get())
    sent, errors = run_send_all(user=member, run=run)
    assert sent == 0 and len(errors) == 1 and "Plus aucune place libre" in errors[0]
    assert second.pupil.first_name in errors[0]


def test_pupils_without_wishes_or_level_match(world, hub):
    case = referred_case(world.school, world.users["teacher"])
    PupilFactory(establishment=world.school)  # not referred: not in the run
    published_offer(world.bassin, world.company, levels=["2nde"])
    run = run_create(user=world.users["hub_member"], hub=hub, **WINDOW)
    assert run.pupils == 1
    assert run.suggestions.get(case=case).reason == "no_offer_for_level"


def test_discarding_is_the_poles_and_journaled(world, scarce):
    member = world.users["hub_member"]
    run = run_create(user=member, hub=PlacementHub.of_bassin(world.bassin), **WINDOW)
    suggestion = run.suggestions.first()
    with pytest.raises(PermissionDenied, match="Seul le pôle de stages"):
        suggestion_discard(user=world.users["teacher"], suggestion=suggestion)
    suggestion = suggestion_discard(user=member, suggestion=suggestion)
    assert suggestion.state == SuggestionState.DISCARDED
    assert suggestion.journal.last().transition == "ecarter"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (WEEK, WEEK - datetime.timedelta(days=1), "La fin précède le début."),
        (WEEK, WEEK + datetime.timedelta(weeks=60, days=1), "au plus 60 semaines"),
    ],
)
def test_the_window_of_a_run_is_the_engines_rule(world, hub, start, end, message):
    """60 weeks at most, the end after the start: checked by the service (the page's form
    and any other caller get the same French error), before anything is computed."""
    with pytest.raises(ValidationError) as error:
        check_window(start, end)
    assert message in error.value.message_dict["window_end"][0]
    with pytest.raises(ValidationError) as error:
        run_create(user=world.users["hub_member"], hub=hub, window_start=start, window_end=end)
    assert message in error.value.message_dict["window_end"][0]
    check_window(WEEK, WEEK + datetime.timedelta(weeks=60))  # 60 weeks exactly: fine
