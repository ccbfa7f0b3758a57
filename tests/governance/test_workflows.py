"""The governance workflows (ADR 0007): their tables, who may fire what, journals that the
database refuses to rewrite, meetings and reports that cannot be deleted behind their
journal, French refusals, and writes that lock the row (two users at once move a meeting,
validate a report, send minutes or add a member once)."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import ProtectedError

from relais.governance import services
from relais.governance.enums import BodyKind, MeetingState, ReportState
from relais.governance.models import AnnualReport, BodyMember, MeetingJournal, ReportJournal
from relais.governance.workflows import MEETING_WORKFLOW, REPORT_WORKFLOW
from relais.networks.models import Club
from tests.journals import assert_append_only

from . import factories as f


def _names(workflow, state):
    return {item.name for item in workflow.allowed_from(state)}


def test_the_tables():
    assert _names(MEETING_WORKFLOW, MeetingState.PLANNED) == {"tenir", "annuler"}
    assert _names(MEETING_WORKFLOW, MeetingState.CANCELLED) == {"replanifier"}
    assert _names(MEETING_WORKFLOW, MeetingState.HELD) == set()
    assert _names(REPORT_WORKFLOW, ReportState.DRAFT) == {"valider"}
    assert _names(REPORT_WORKFLOW, ReportState.FINAL) == set()


# --- who may fire what ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, expected",
    [
        ("academie_team", {"tenir", "annuler"}),
        ("national_admin", {"tenir", "annuler"}),
        ("bassin_referent", set()),
        ("teacher", set()),
        ("volunteer", set()),
    ],
)
def test_who_may_move_a_convention_meeting(world, role, expected):
    meeting = f.meeting(f.body(f.agreement(world.home)), date(2025, 10, 1))
    assert MEETING_WORKFLOW.names(world.users[role], meeting, today=date(2025, 10, 1)) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, expected",
    [("bassin_referent", {"annuler"}), ("academie_team", {"annuler"}), ("teacher", set())],
)
def test_a_club_meeting_is_not_held_before_its_day(world, role, expected):
    club = Club.objects.create(name="Club du bassin un", academie=world.home, bassin=world.bassin)
    body = f.body(club=club, kind=BodyKind.CLUB_STEERING)
    meeting = f.meeting(body, date(2025, 10, 1))
    user = world.users[role]
    assert MEETING_WORKFLOW.names(user, meeting, today=date(2025, 9, 30)) == expected
    on_the_day = MEETING_WORKFLOW.names(user, meeting, today=date(2025, 10, 1))
    assert on_the_day == (expected | {"tenir"} if expected else set())


@pytest.mark.django_db
def test_a_report_is_validated_once_written_by_its_team(world):
    convention = f.agreement(world.home)
    report = AnnualReport.objects.create(agreement=convention, school_year=2024)
    team = world.users["academie_team"]
    assert REPORT_WORKFLOW.names(team, report) == set()
    with pytest.raises(ValidationError) as error:
        REPORT_WORKFLOW.check(team, report, "valider")
    assert error.value.messages == [
        "À compléter avant validation : actions conduites, plan d'actions."
    ]
    report.summary, report.action_plan = "Forum", "Deux forums"
    assert REPORT_WORKFLOW.names(team, report) == {"valider"}
    assert REPORT_WORKFLOW.names(world.users["teacher"], report) == set()


# --- journals ------------------------------------------------------------------------------


@pytest.fixture
def journals(world):
    team = world.users["academie_team"]
    convention = f.agreement(world.home)
    meeting = services.meeting_plan(
        user=team, body=f.body(convention), starts_at=f.at(date(2025, 10, 1))
    )
    report = services.report_create(
        user=team, agreement=convention, school_year=2024, today=date(2025, 10, 1)
    )
    return meeting, report


@pytest.mark.django_db
@pytest.mark.parametrize("journal", [MeetingJournal, ReportJournal])
def test_the_database_refuses_to_rewrite_or_delete_a_journal(journals, journal):
    lines = journal.objects.all()
    assert lines.count() == 1 and lines.get().transition == "creation"
    assert_append_only(lines, other_state="tenue")
    assert lines.get().note == ""
    # The one change allowed: the account is deleted, its name stays.
    assert lines.get().by_name


@pytest.mark.django_db
def test_a_meeting_or_a_report_with_a_journal_cannot_be_deleted(journals, world):
    meeting, report = journals
    with pytest.raises(ProtectedError):
        meeting.delete()
    with pytest.raises(ProtectedError):
        report.delete()
    with pytest.raises(ProtectedError):
        meeting.body.delete()  # its meetings go with it: not behind their journal
    team = world.users["academie_team"]
    name = team.get_full_name() or team.email
    team.delete()  # the author goes, the lines keep their name
    line = meeting.journal.get()
    assert line.by is None and line.by_name == name


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fire_refuses_in_french(world):
    team = world.users["academie_team"]
    convention = f.agreement(world.home)
    held = f.meeting(f.body(convention), date(2025, 10, 1), state=MeetingState.HELD)
    with pytest.raises(ValidationError) as error:
        services.meeting_cancel(user=team, meeting=held)
    assert error.value.messages == [
        "Impossible : « Annuler la réunion » n'est pas possible dans l'état « Tenue »."
    ]
    planned = f.meeting(held.body, date(2025, 11, 1))
    with pytest.raises(PermissionDenied, match="Seule l'équipe qui anime cette instance"):
        services.meeting_cancel(user=world.users["teacher"], meeting=planned)
    with pytest.raises(ValidationError, match="Étape inconnue : « archiver »"):
        MEETING_WORKFLOW.fire(planned, "archiver", user=team)
    report = AnnualReport.objects.create(
        agreement=convention, school_year=2024, summary="Forum", action_plan="Plan"
    )
    with pytest.raises(PermissionDenied, match="Seule l'équipe qui gère cette convention"):
        services.report_validate(user=world.users["teacher"], report=report)
    planned.refresh_from_db()
    report.refresh_from_db()
    assert planned.is_planned and report.is_draft
    assert not MeetingJournal.objects.exists() and not ReportJournal.objects.exists()


# --- concurrency ---------------------------------------------------------------------------


def _at_once(*calls):
    """Run the calls in threads (one connection each) released together; each answer is
    "ok" or the French message of its refusal."""
    barrier = threading.Barrier(len(calls))
    answers = []

    def run(call):
        try:
            barrier.wait()
            call()
            answers.append("ok")
        except (ValidationError, PermissionDenied) as error:
            answers.append(" ".join(getattr(error, "messages", [str(error)])))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(answers)


@pytest.mark.django_db(transaction=True)
def test_two_managers_holding_a_meeting_at_once_hold_it_once(world):
    meeting = f.meeting(f.body(f.agreement(world.home)), date(2025, 10, 1))
    answers = _at_once(
        lambda: services.meeting_mark_held(user=world.users["academie_team"], meeting=meeting),
        lambda: services.meeting_mark_held(user=world.users["national_admin"], meeting=meeting),
    )
    assert answers == [
        "Impossible : « Marquer comme tenue » n'est pas possible dans l'état « Tenue ».",
        "ok",
    ]
    meeting.refresh_from_db()
    assert meeting.is_held and meeting.journal.filter(transition="tenir").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_and_a_hold_at_once_leave_one_move(world):
    meeting = f.meeting(f.body(f.agreement(world.home)), date(2025, 10, 1))
    team = world.users["academie_team"]
    answers = _at_once(
        lambda: services.meeting_mark_held(user=team, meeting=meeting),
        lambda: services.meeting_cancel(user=team, meeting=meeting, note="Grève"),
    )
    assert answers[1] == "ok" and answers[0].startswith("Impossible : « ")
    assert MeetingJournal.objects.filter(meeting=meeting).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_validations_at_once_validate_once(world):
    report = AnnualReport.objects.create(
        agreement=f.agreement(world.home), school_year=2024, summary="Forum", action_plan="Plan"
    )
    answers = _at_once(
        lambda: services.report_validate(user=world.users["academie_team"], report=report),
        lambda: services.report_validate(user=world.users["national_admin"], report=report),
    )
    assert answers[1] == "ok" and answers[0].startswith("Ce bilan est déjà validé")
    report.refresh_from_db()
    assert report.is_final and report.journal.filter(transition="valider").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_members_with_one_address_at_once_join_once(world):
    body = f.body(f.agreement(world.home))
    data = {"full_name": "Anne Dupont", "email": "anne@example.org", "role": "membre"}
    answers = _at_once(
        lambda: services.member_add(user=world.users["academie_team"], body=body, data=data),
        lambda: services.member_add(user=world.users["national_admin"], body=body, data=data),
    )
    assert answers == ["Un membre actif de l'instance a déjà ce courriel.", "ok"]
    assert BodyMember.objects.filter(body=body).count() == 1
