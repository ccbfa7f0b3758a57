"""Services of the governance area: who may act, what is refused, the minutes e-mail."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from relais.core.models import Notification
from relais.governance import services
from relais.governance.enums import AttendanceStatus, BodyKind, MeetingState, ReportState
from relais.governance.models import Attendance, CommitmentResult, ReportJournal
from relais.networks.models import Club
from relais.users.enums import Role
from tests.factories import make_user
from tests.mail import deliver_outbox

from . import factories as f

pytestmark = pytest.mark.django_db


def minimal_pdf() -> bytes:
    """A one-page PDF written by pypdf (no text)."""
    import pypdf

    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def team(world):
    return world.users["academie_team"]


@pytest.fixture
def convention(world):
    return f.agreement(world.home)


@pytest.fixture
def held(convention):
    body = f.body(convention)
    f.member(body, name="Anne Dupont", email="Anne.Dupont@example.org")
    f.member(body, name="Bruno Petit", email="bruno.petit@example.org")
    f.member(body, name="Sans Courriel", email="")
    f.member(body, name="Ancien Membre", email="ancien@example.org", active=False)
    return f.meeting(body, date(2025, 10, 2), state=MeetingState.HELD)


class TestBodies:
    def test_create_for_a_convention(self, team, convention):
        body = services.body_create(
            user=team,
            agreement=convention,
            data={
                "name": "Comité de pilotage régional",
                "kind": BodyKind.STEERING,
                "min_meetings_per_year": 2,
                "required_months": [2, 9, 9],
                "rule_text": "deux fois par an, en septembre et février",
            },
        )
        assert body.academie == convention.academie
        assert body.required_months == [2, 9]

    @pytest.mark.parametrize(
        "role", ["bassin_referent", "teacher", "volunteer", "organisation_rep"]
    )
    def test_only_the_convention_team_creates(self, world, convention, role):
        with pytest.raises(PermissionDenied):
            services.body_create(
                user=world.users[role],
                agreement=convention,
                data={"name": "X", "kind": BodyKind.STEERING},
            )

    def test_other_academie_team_refused(self, world):
        foreign = f.agreement(world.other)
        with pytest.raises(PermissionDenied):
            services.body_create(
                user=world.users["academie_team"],
                agreement=foreign,
                data={"name": "X", "kind": BodyKind.STEERING},
            )

    def test_rule_must_be_consistent(self, team, convention):
        with pytest.raises(ValidationError) as error:
            services.body_create(
                user=team,
                agreement=convention,
                data={"name": "X", "kind": BodyKind.STEERING, "min_meetings_per_year": 1,
                      "required_months": [9, 2]},
            )  # fmt: skip
        assert "min_meetings_per_year" in error.value.message_dict

    def test_club_body_by_the_bassin_referent(self, world):
        club = Club.objects.create(
            name="Club du bassin un", academie=world.home, bassin=world.bassin
        )
        referent = world.users["bassin_referent"]
        body = services.body_create(
            user=referent,
            club=club,
            data={
                "name": "Comité du club",
                "kind": BodyKind.CLUB_STEERING,
                "min_meetings_per_year": 2,
            },
        )
        assert body.academie == world.home
        # The pôle member of the same bassin does not run the club.
        with pytest.raises(PermissionDenied):
            services.body_update(user=world.users["hub_member"], body=body, data={"name": "Y"})
        other_club = Club.objects.create(
            name="Club voisin", academie=world.home, bassin=world.bassin2
        )
        with pytest.raises(PermissionDenied):
            services.body_create(
                user=referent, club=other_club, data={"name": "Z", "kind": BodyKind.CLUB_STEERING}
            )
        with pytest.raises(ValidationError):
            services.body_create(
                user=referent, club=club, data={"name": "Z", "kind": BodyKind.STEERING}
            )

    def test_member_add_and_remove(self, team, convention):
        body = f.body(convention)
        member = services.member_add(
            user=team,
            body=body,
            data={"full_name": "Léa Roux", "email": "LEA@example.org", "role": "membre"},
        )
        assert member.email == "lea@example.org"
        with pytest.raises(ValidationError):
            services.member_add(
                user=team,
                body=body,
                data={"full_name": "Autre", "email": "lea@example.org", "role": "membre"},
            )
        services.member_remove(user=team, member=member)
        member.refresh_from_db()
        assert not member.active
        with pytest.raises(ValidationError):
            services.member_remove(user=team, member=member)


class TestMeetings:
    def test_plan_hold_and_log(self, team, convention):
        body = f.body(convention)
        meeting = services.meeting_plan(
            user=team,
            body=body,
            starts_at=f.at(date(2025, 9, 15)),
            place="Rectorat",
            agenda="Bilan",
        )
        meeting = services.meeting_mark_held(user=team, meeting=meeting, today=date(2025, 9, 15))
        assert meeting.state == MeetingState.HELD
        creation, held = meeting.journal.all()
        assert (creation.transition, creation.from_state, creation.to_state) == (
            "creation",
            "",
            "prevue",
        )
        assert (held.transition, held.from_state, held.to_state, held.by) == (
            "tenir",
            "prevue",
            "tenue",
            team,
        )
        assert held.by_name == (team.get_full_name() or team.email)

    def test_cannot_be_held_before_its_day(self, team, convention):
        meeting = f.meeting(f.body(convention), date(2030, 1, 10))
        with pytest.raises(ValidationError, match="ne peut pas être déjà tenue"):
            services.meeting_mark_held(user=team, meeting=meeting, today=date(2030, 1, 9))

    def test_refused_transitions(self, team, convention):
        body = f.body(convention)
        held = f.meeting(body, date(2025, 10, 1), state=MeetingState.HELD)
        with pytest.raises(ValidationError):
            services.meeting_cancel(user=team, meeting=held)
        cancelled = services.meeting_cancel(user=team, meeting=f.meeting(body, date(2025, 11, 1)))
        with pytest.raises(ValidationError):
            services.meeting_mark_held(user=team, meeting=cancelled)
        assert services.meeting_replan(user=team, meeting=cancelled).state == MeetingState.PLANNED

    def test_not_a_manager(self, world, convention):
        body = f.body(convention)
        with pytest.raises(PermissionDenied):
            services.meeting_plan(user=world.users["teacher"], body=body, starts_at=timezone.now())

    def test_attendance(self, team, held):
        members = list(held.body.members.all())
        statuses = {
            members[0].pk: AttendanceStatus.PRESENT,
            members[1].pk: AttendanceStatus.EXCUSED,
        }
        assert services.attendance_record(user=team, meeting=held, statuses=statuses) == 2
        statuses[members[1].pk] = AttendanceStatus.PRESENT
        services.attendance_record(user=team, meeting=held, statuses=statuses)
        assert Attendance.objects.filter(meeting=held, status="present").count() == 2
        other = f.member(f.body(held.body.agreement, name="Autre"))
        with pytest.raises(ValidationError):
            services.attendance_record(user=team, meeting=held, statuses={other.pk: "present"})

    def test_attendance_needs_a_held_meeting(self, team, convention):
        planned = f.meeting(f.body(convention), date(2030, 1, 1))
        with pytest.raises(ValidationError, match="réunion tenue"):
            services.attendance_record(user=team, meeting=planned, statuses={})


class TestMinutes:
    def test_minutes_need_a_held_meeting(self, team, convention):
        planned = f.meeting(f.body(convention), date(2030, 1, 1))
        with pytest.raises(ValidationError, match="une fois la réunion tenue"):
            services.minutes_save(user=team, meeting=planned, text="Compte rendu")
        with pytest.raises(ValidationError, match="n'a pas été tenue"):
            services.minutes_send(user=team, meeting=planned)

    def test_send_without_minutes_refused(self, team, held):
        with pytest.raises(ValidationError, match="pas encore rédigé"):
            services.minutes_send(user=team, meeting=held)
        with pytest.raises(ValidationError):
            services.minutes_save(user=team, meeting=held, text="   ")

    def test_text_minutes_sent_once_to_active_members(self, team, held):
        services.minutes_save(user=team, meeting=held, text="Les partenaires ont fait le bilan.")
        services.decision_add(user=team, meeting=held, text="Organiser un forum des métiers")
        with pytest.raises(ValidationError):
            services.decision_add(user=team, meeting=held, text=" ")
        services.action_item_add(
            user=team, meeting=held, description="Réserver la salle", owner="Anne Dupont",
            owner_email="anne.dupont@example.org", due_date=date(2025, 11, 1),
        )  # fmt: skip
        with pytest.raises(ValidationError) as error:
            services.action_item_add(user=team, meeting=held, description="", owner="")
        assert set(error.value.message_dict) == {"description", "owner"}
        recipients = services.minutes_send(user=team, meeting=held)
        assert recipients == ["anne.dupont@example.org", "bruno.petit@example.org"]
        held.refresh_from_db()
        assert held.minutes_sent_by == team and held.minutes_sent_at is not None
        notification = Notification.objects.get(key=f"governance.meeting:{held.pk}:minutes")
        assert "Les partenaires ont fait le bilan." in notification.body
        assert "Organiser un forum des métiers" in notification.body
        assert "Réserver la salle — Anne Dupont, avant le 01/11/2025" in notification.body
        with pytest.raises(ValidationError, match="déjà été envoyé"):
            services.minutes_send(user=team, meeting=held)
        with pytest.raises(ValidationError, match="ne peut plus être modifié"):
            services.minutes_save(user=team, meeting=held, text="Autre")
        assert Notification.objects.filter(about=f"governance.meeting:{held.pk}").count() == 1

    def test_pdf_minutes_attached(
        self, team, held, settings, tmp_path, django_capture_on_commit_callbacks
    ):
        settings.MEDIA_ROOT = tmp_path
        upload = SimpleUploadedFile("cr.pdf", minimal_pdf(), content_type="application/pdf")
        services.minutes_save(user=team, meeting=held, upload=upload)
        with django_capture_on_commit_callbacks(execute=True):
            services.minutes_send(user=team, meeting=held)
        deliver_outbox()
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert sorted(message.to) == ["anne.dupont@example.org", "bruno.petit@example.org"]
        name, content, mimetype = message.attachments[0]
        assert mimetype == "application/pdf" and content.startswith(b"%PDF-")
        assert "en pièce jointe" in message.body

    def test_not_a_pdf_refused(self, team, held, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        upload = SimpleUploadedFile("cr.pdf", b"GIF89a not a pdf", content_type="application/pdf")
        with pytest.raises(ValidationError) as error:
            services.minutes_save(user=team, meeting=held, upload=upload)
        assert "minutes_file" in error.value.message_dict

    def test_no_recipient(self, team, convention):
        meeting = f.meeting(f.body(convention), date(2025, 10, 1), state=MeetingState.HELD,
                            minutes_text="CR")  # fmt: skip
        with pytest.raises(ValidationError, match="Aucun membre actif"):
            services.minutes_send(user=team, meeting=meeting)

    def test_sending_refused_to_non_managers(self, world, held):
        held.minutes_text = "CR"
        held.save()
        for role in ("bassin_referent", "volunteer", "head_of_school"):
            with pytest.raises(PermissionDenied):
                services.minutes_send(user=world.users[role], meeting=held)


class TestActionItems:
    def test_done_by_owner_or_manager(self, world, held):
        owner = make_user(Role.TEACHER, world.school, email="owner@example.org")
        item = f.action_item(held, owner_email="owner@example.org", due=date(2025, 11, 1))
        services.action_item_mark_done(user=owner, item=item, done_on=date(2025, 10, 20))
        assert item.done_on == date(2025, 10, 20)
        with pytest.raises(ValidationError, match="déjà réalisée"):
            services.action_item_mark_done(user=world.users["academie_team"], item=item)
        other = f.action_item(held, owner_email="someone@example.org")
        with pytest.raises(PermissionDenied):
            services.action_item_mark_done(user=owner, item=other)


class TestReports:
    def test_lifecycle(self, team, convention):
        first = f.commitment(convention, description="Mobiliser 10 CEE")
        second = f.commitment(convention, description="Accueillir 50 élèves en PFMP", quantity=50)
        report = services.report_create(user=team, agreement=convention, school_year=2024)
        assert set(report.results.values_list("commitment_id", flat=True)) == {first.pk, second.pk}
        with pytest.raises(ValidationError, match="existe déjà"):
            services.report_create(user=team, agreement=convention, school_year=2024)
        with pytest.raises(ValidationError, match="À compléter"):
            services.report_validate(user=team, report=report)
        services.report_update(
            user=team,
            report=report,
            data={
                "summary": "Forum des métiers",
                "figures": "12 CEE",
                "action_plan": "Deux forums",
            },
            results={first.pk: {"achieved": 12, "comment": "Objectif dépassé"}},
        )
        assert CommitmentResult.objects.get(report=report, commitment=first).achieved == 12
        report = services.report_validate(user=team, report=report)
        assert report.state == ReportState.FINAL and report.finalized_by == team
        with pytest.raises(ValidationError, match="déjà validé"):
            services.report_validate(user=team, report=report)
        with pytest.raises(ValidationError, match="validé"):
            services.report_update(user=team, report=report, data={"summary": "X"})
        assert list(
            ReportJournal.objects.filter(report=report).values_list("transition", flat=True)
        ) == [
            "creation",
            "valider",
        ]

    def test_refusals(self, world, convention):
        with pytest.raises(PermissionDenied):
            services.report_create(
                user=world.users["volunteer"], agreement=convention, school_year=2024
            )
        draft = f.agreement(world.home, state="brouillon")
        with pytest.raises(ValidationError, match="pas encore entrée en vigueur"):
            services.report_create(
                user=world.users["academie_team"], agreement=draft, school_year=2024
            )
        with pytest.raises(ValidationError, match="entrée en vigueur en 2023-2024"):
            services.report_create(
                user=world.users["academie_team"], agreement=convention, school_year=2022
            )


class TestReportYears:
    """The school years a bilan may be opened for: one rule, in the service, used by the
    page's choices (report_years_open) and checked again when a report is opened."""

    def test_from_the_entry_into_force_to_the_current_year(self, team, convention):
        today = date(2026, 1, 15)  # school year 2025-2026
        assert services.report_years_open(convention, today=today) == [2025, 2024, 2023]
        services.report_create(user=team, agreement=convention, school_year=2024, today=today)
        assert services.report_years_open(convention, today=today) == [2025, 2023]
        assert services.report_years_open(convention, today=date(2023, 8, 31)) == []

    def test_no_year_to_come_nor_after_the_end(self, world, team, convention):
        today = date(2026, 1, 15)
        with pytest.raises(ValidationError, match="2035-2036 n'a pas encore commencé"):
            services.report_create(user=team, agreement=convention, school_year=2035, today=today)
        with pytest.raises(ValidationError, match="2026-2027 n'a pas encore commencé"):
            services.report_create(user=team, agreement=convention, school_year=2026, today=today)
        ended = f.agreement(world.home, state="expiree", ended_on=date(2024, 12, 31))
        assert services.report_years_open(ended, today=today) == [2024, 2023]
        with pytest.raises(ValidationError, match="a pris fin en 2024-2025"):
            services.report_create(user=team, agreement=ended, school_year=2025, today=today)
        assert not ended.annual_reports.exists()
        not_in_force = f.agreement(world.home, state="brouillon")
        assert services.report_years_open(not_in_force, today=today) == []


class TestDailyReminders:
    def test_action_items_due_within_seven_days_once(self, held):
        today = date(2025, 10, 10)
        due = f.action_item(held, owner_email="owner@example.org", due=today + timedelta(days=7))
        later = f.action_item(held, owner_email="late@example.org", due=today + timedelta(days=8))
        f.action_item(held, owner_email="past@example.org", due=today - timedelta(days=1))
        f.action_item(held, owner_email="done@example.org", due=today, done_on=today)
        f.action_item(held, owner_email="", due=today)
        sent = services.send_daily_reminders(today=today)
        assert sent["action_items"] == 1
        notification = Notification.objects.get(key=f"governance.action:{due.pk}:due")
        assert notification.recipients == ["owner@example.org"]
        # The next day, only the item now due within 7 days is reminded; the first is not again.
        assert services.send_daily_reminders(today=today + timedelta(days=1))["action_items"] == 1
        assert Notification.objects.get(about=f"governance.action:{later.pk}").recipients == [
            "late@example.org"
        ]
        assert services.send_daily_reminders(today=today + timedelta(days=1))["action_items"] == 0

    def test_required_month_started_without_meeting(self, world, convention):
        team = world.users["academie_team"]
        team.email = "daet@example.org"
        team.save()
        lonely = f.body(convention, name="Comité stratégique", months=[6])
        planned = f.body(convention, name="Comité de pilotage", minimum=2, months=[9, 2])
        f.meeting(planned, date(2026, 2, 20))
        draft_body = f.body(f.agreement(world.home, state="brouillon"), months=[2])
        other_month = f.body(convention, name="Groupe projet", months=[3])
        sent = services.send_daily_reminders(today=date(2026, 2, 2))
        assert sent["bodies"] == 0  # June body not yet, February one has its meeting
        sent = services.send_daily_reminders(today=date(2026, 6, 1))
        assert sent["bodies"] == 1
        notification = Notification.objects.get(about=f"governance.body:{lonely.pk}")
        assert notification.recipients == ["daet@example.org"]
        assert "juin" in notification.subject
        assert services.send_daily_reminders(today=date(2026, 6, 2))["bodies"] == 0
        assert not Notification.objects.filter(about=f"governance.body:{draft_body.pk}").exists()
        assert not Notification.objects.filter(about=f"governance.body:{other_month.pk}").exists()
