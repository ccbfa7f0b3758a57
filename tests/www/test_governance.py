"""Governance pages: journeys through the forms, the compliance page, the exports and the
frozen number of SQL queries of each list and detail page."""

import csv
import io
from datetime import date, timedelta

import openpyxl
import pypdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from relais.core.school_years import school_year_of
from relais.documents.rendering import docx_text, pdf_text
from relais.governance.enums import AttendanceStatus, MeetingState, ReportState
from relais.governance.models import ActionItem, AnnualReport, Attendance, Body, Meeting
from tests.governance import factories as f
from tests.mail import deliver_outbox

pytestmark = pytest.mark.django_db


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


@pytest.fixture
def team(world, client_for):
    return client_for(world.users["academie_team"])


@pytest.fixture
def convention(world):
    return f.agreement(world.home, title="Convention Clubster")


class TestJourney:
    def test_create_a_body_plan_hold_minutes_send(
        self, world, team, convention, settings, tmp_path, django_capture_on_commit_callbacks
    ):
        settings.MEDIA_ROOT = tmp_path
        response = team.post(
            "/instances/nouvelle/",
            {
                "name": "Comité de pilotage régional",
                "kind": "comite_pilotage",
                "agreement": convention.pk,
                "min_meetings_per_year": 2,
                "required_months": ["9", "2"],
                "rule_text": "deux fois par an, en septembre et février",
            },
        )
        body = Body.objects.get(name="Comité de pilotage régional")
        assert response.status_code == 302 and response["Location"] == f"/instances/{body.pk}/"
        assert body.required_months == [2, 9]
        for name, email in [
            ("Anne Dupont", "anne@example.org"),
            ("Bruno Petit", "bruno@example.org"),
        ]:
            response = team.post(
                f"/instances/{body.pk}/membres/ajouter/",
                {"full_name": name, "email": email, "role": "membre"},
            )
            assert response.status_code == 302
        day = timezone.localdate() - timedelta(days=1)
        response = team.post(
            f"/instances/{body.pk}/reunions/nouvelle/",
            {"starts_at": f"{day:%Y-%m-%d}T14:30", "place": "Rectorat", "agenda": "Plan annuel"},
        )
        meeting = Meeting.objects.get(body=body)
        assert response["Location"] == f"/instances/reunions/{meeting.pk}/"
        assert timezone.localtime(meeting.starts_at).hour == 14
        page = team.get(f"/instances/reunions/{meeting.pk}/").content.decode()
        assert "Marquer comme tenue" in page
        team.post(f"/instances/reunions/{meeting.pk}/tenue/")
        meeting.refresh_from_db()
        assert meeting.state == MeetingState.HELD
        members = list(body.members.order_by("full_name"))
        team.post(
            f"/instances/reunions/{meeting.pk}/presences/",
            {f"status_{members[0].pk}": "present", f"status_{members[1].pk}": "excuse"},
        )
        assert Attendance.objects.get(member=members[1]).status == AttendanceStatus.EXCUSED
        team.post(f"/instances/reunions/{meeting.pk}/decisions/", {"text": "Lancer le concours"})
        team.post(
            f"/instances/reunions/{meeting.pk}/actions/",
            {"description": "Écrire le règlement", "owner": "Anne Dupont",
             "owner_email": "anne@example.org", "due_date": f"{day + timedelta(days=30):%Y-%m-%d}"},
        )  # fmt: skip
        assert ActionItem.objects.get(meeting=meeting).owner_email == "anne@example.org"
        # Sending before the minutes exist is refused with a French message.
        response = team.post(f"/instances/reunions/{meeting.pk}/envoyer-compte-rendu/", follow=True)
        assert "pas encore rédigé" in response.content.decode()
        upload = SimpleUploadedFile("cr.pdf", _pdf(), content_type="application/pdf")
        response = team.post(
            f"/instances/reunions/{meeting.pk}/compte-rendu/",
            {"minutes_text": "Le comité a adopté le plan.", "minutes_file": upload},
        )
        assert response.status_code == 302
        with django_capture_on_commit_callbacks(execute=True):
            response = team.post(
                f"/instances/reunions/{meeting.pk}/envoyer-compte-rendu/", follow=True
            )
        assert "envoyé à 2 membres" in response.content.decode()
        deliver_outbox()
        assert len(mail.outbox) == 1 and sorted(mail.outbox[0].to) == [
            "anne@example.org",
            "bruno@example.org",
        ]
        deliver_outbox()
        assert mail.outbox[0].attachments[0][2] == "application/pdf"
        page = team.get(f"/instances/reunions/{meeting.pk}/").content.decode()
        assert "Envoyé le" in page and "Lancer le concours" in page
        response = team.post(f"/instances/reunions/{meeting.pk}/envoyer-compte-rendu/", follow=True)
        assert "déjà été envoyé" in response.content.decode()
        deliver_outbox()
        assert len(mail.outbox) == 1

    def test_bad_pdf_is_refused_with_the_typed_text_kept(
        self, team, convention, settings, tmp_path
    ):
        settings.MEDIA_ROOT = tmp_path
        meeting = f.meeting(f.body(convention), date(2025, 10, 1), state=MeetingState.HELD)
        upload = SimpleUploadedFile("cr.pdf", b"not a pdf at all", content_type="application/pdf")
        response = team.post(
            f"/instances/reunions/{meeting.pk}/compte-rendu/",
            {"minutes_text": "Texte saisi", "minutes_file": upload},
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "n&#x27;est pas un PDF" in page or "n'est pas un PDF" in page
        assert "Texte saisi" in page
        meeting.refresh_from_db()
        assert meeting.minutes_text == ""

    def test_body_form_errors(self, team, convention):
        response = team.post(
            "/instances/nouvelle/",
            {"name": "X", "kind": "comite_pilotage", "agreement": convention.pk,
             "min_meetings_per_year": 1, "required_months": ["9", "2"]},
        )  # fmt: skip
        assert response.status_code == 400
        assert "inférieur au nombre de mois imposés" in response.content.decode()
        response = team.post("/instances/nouvelle/", {"name": "Y", "kind": "comite_pilotage"})
        assert response.status_code == 400
        assert "Choisissez la convention ou le club" in response.content.decode()

    def test_report_journey(self, world, team, convention):
        f.commitment(convention, description="Mobiliser des conseillers entreprises")
        response = team.post(
            f"/instances/bilans/convention/{convention.pk}/", {"school_year": "2024"}
        )
        report = AnnualReport.objects.get(agreement=convention)
        assert response["Location"] == f"/instances/bilans/{report.pk}/modifier/"
        result = report.results.get()
        page = team.get(f"/instances/bilans/{report.pk}/modifier/").content.decode()
        assert "Réalisé — Mobiliser des conseillers entreprises" in page
        response = team.post(
            f"/instances/bilans/{report.pk}/modifier/",
            {
                "summary": "Forum des métiers",
                "figures": "300 élèves",
                "action_plan": "Deux forums",
                f"achieved_{result.commitment_id}": "8",
                f"comment_{result.commitment_id}": "Deux désistements",
            },
        )
        assert response.status_code == 302
        response = team.post(f"/instances/bilans/{report.pk}/valider/", follow=True)
        assert "est validé" in response.content.decode()
        report.refresh_from_db()
        assert report.state == ReportState.FINAL
        response = team.post(f"/instances/bilans/{report.pk}/valider/", follow=True)
        assert "déjà validé" in response.content.decode()
        docx = team.get(f"/instances/bilans/{report.pk}/bilan.docx")
        assert "Deux désistements" in docx_text(docx.content)
        pdf = team.get(f"/instances/bilans/{report.pk}/bilan.pdf")
        assert pdf["Content-Type"] == "application/pdf"
        assert "Forum des métiers" in pdf_text(pdf.content)
        # The year is taken: it is no longer offered.
        page = team.get(f"/instances/bilans/convention/{convention.pk}/").content.decode()
        assert '<option value="2024"' not in page

    def test_action_marked_done_by_its_owner_from_the_compliance_page(self, world, client_for):
        teacher = world.users["teacher"]
        teacher.email = "prof@example.org"
        teacher.save()
        meeting = f.meeting(f.body(f.agreement(world.home)), date(2025, 10, 1), state="tenue")
        item = f.action_item(meeting, owner_email="prof@example.org", due=date(2025, 10, 2))
        client = client_for(teacher)
        page = client.get("/instances/conformite/").content.decode()
        assert "Préparer le bilan" in page and "En retard" in page
        response = client.post(
            f"/instances/actions/{item.pk}/realisee/",
            {"next": "/instances/conformite/#mes-actions"},
        )
        assert response["Location"] == "/instances/conformite/#mes-actions"
        item.refresh_from_db()
        assert item.done_on == timezone.localdate()


class TestWhatThePagesOffer:
    """Buttons come from the workflows (MEETING_WORKFLOW, REPORT_WORKFLOW) and the flags the
    views compute: no state is compared in the templates."""

    def test_meeting_buttons_follow_the_workflow(self, world, team, client_for, convention):
        body = f.body(convention)
        f.member(body, name="Anne Dupont", email="anne@example.org")
        soon = f.meeting(body, timezone.localdate() + timedelta(days=3))
        page = team.get(f"/instances/reunions/{soon.pk}/").content.decode()
        assert "Annuler la réunion" in page and "Marquer comme tenue" not in page
        assert "Les présences se notent une fois la réunion tenue." in page
        assert "Ajouter l&#x27;action" in page or "Ajouter l'action" in page
        team.post(f"/instances/reunions/{soon.pk}/annuler/", {"note": "Grève"})
        soon.refresh_from_db()
        assert soon.is_cancelled and soon.journal.get().note == "Grève"
        page = team.get(f"/instances/reunions/{soon.pk}/").content.decode()
        assert "Prévoir de nouveau" in page and "Annuler la réunion" not in page
        assert "fr-badge--error" in page and "Ajouter l&#x27;action" not in page
        held = f.meeting(body, date(2025, 10, 1), state=MeetingState.HELD)
        page = team.get(f"/instances/reunions/{held.pk}/").content.decode()
        for absent in ("Marquer comme tenue", "Annuler la réunion", "Prévoir de nouveau"):
            assert absent not in page
        assert "Enregistrer les présences" in page and "Ajouter la décision" in page
        reader = client_for(world.users["teacher"])
        page = reader.get(f"/instances/reunions/{held.pk}/").content.decode()
        assert "Enregistrer les présences" not in page and "Ajouter la décision" not in page

    def test_report_page_says_what_is_missing_before_validation(self, world, team, convention):
        report = AnnualReport.objects.create(agreement=convention, school_year=2024)
        page = team.get(f"/instances/bilans/{report.pk}/").content.decode()
        assert "À compléter avant validation : actions conduites, plan d&#x27;actions." in page
        assert "Valider le bilan" not in page and "Modifier" in page
        AnnualReport.objects.filter(pk=report.pk).update(summary="Forum", action_plan="Plan")
        page = team.get(f"/instances/bilans/{report.pk}/").content.decode()
        assert "Valider le bilan" in page and "À compléter" not in page


class TestCompliancePage:
    def test_lists_missed_at_risk_and_reports(self, world, team, convention):
        year = school_year_of(timezone.localdate())
        missed = f.body(convention, name="Comité de l'an dernier", minimum=2)
        f.meeting(missed, date(year - 1, 10, 1), state=MeetingState.HELD)
        page = team.get(f"/instances/conformite/?annee={year - 1}").content.decode()
        assert "Comité de l&#x27;an dernier" in page
        assert "1 réunion tenue sur 2 attendues." in page
        assert "Convention Clubster" in page  # in force in year - 2, no report
        page = team.get("/instances/conformite/").content.decode()
        assert "Instances à surveiller" in page

    def test_body_page_lists_overdue_actions(self, world, team, convention):
        body = f.body(convention)
        meeting = f.meeting(body, date(2025, 10, 1), state=MeetingState.HELD)
        f.action_item(meeting, due=date(2025, 10, 15), description="Relancer les partenaires")
        f.action_item(meeting, due=date(2099, 1, 1), description="Plus tard")
        page = team.get(f"/instances/{body.pk}/").content.decode()
        overdue = page.split("Actions en retard")[1].split("Membres")[0]
        assert "Relancer les partenaires" in overdue and "Plus tard" not in overdue

    def test_filters(self, world, team, convention):
        f.body(convention, name="Comité A")
        f.body(f.agreement(world.home, state="brouillon"), name="Comité B", months=[9])
        page = team.get("/instances/", {"conformite": "sans_objet"}).content.decode()
        assert "Comité B" in page and "Comité A" not in page
        page = team.get("/instances/", {"convention": convention.pk}).content.decode()
        assert "Comité A" in page and "Comité B" not in page


class TestExports:
    def test_bodies_csv_and_xlsx(self, world, team, convention):
        body = f.body(convention, name="Comité stratégique", months=[6])
        f.meeting(body, date(2025, 6, 20), state=MeetingState.HELD, place="Lille")
        response = team.get("/instances/export.csv")
        rows = list(
            csv.reader(
                io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
            )
        )
        assert rows[0][0] == "Instance" and rows[1][0] == "Comité stratégique"
        assert rows[1][5] == "1 réunion par année scolaire, en juin"
        workbook = openpyxl.load_workbook(io.BytesIO(team.get("/instances/export.xlsx").content))
        assert workbook.active["A2"].value == "Comité stratégique"
        response = team.get("/instances/reunions/export.csv")
        text = b"".join(response.streaming_content).decode("utf-8-sig")
        assert "Comité stratégique;" in text and ";Lille;Tenue;" in text
        workbook = openpyxl.load_workbook(
            io.BytesIO(team.get("/instances/reunions/export.xlsx").content)
        )
        assert workbook.active["D2"].value == "Lille"

    def test_exports_are_scoped(self, world, client_for):
        f.body(f.agreement(world.other), name="Comité lointain")
        response = client_for(world.users["academie_team"]).get("/instances/export.csv")
        assert "Comité lointain" not in b"".join(response.streaming_content).decode("utf-8-sig")


# --- frozen query counts ---------------------------------------------------------------


def _populate(world, count: int):
    """``count`` conventions of the home académie, each with a body (members, a held meeting
    with attendance, decisions and action items, a planned one) and a report."""
    year = school_year_of(timezone.localdate())
    for index in range(count):
        convention = f.agreement(world.home, title=f"Convention {index}")
        f.commitment(convention)
        body = f.body(convention, name=f"Comité {index:02d}", months=[9])
        members = [
            f.member(body, name=f"Membre {index}-{i}", email=f"m{index}-{i}@example.org")
            for i in range(3)
        ]
        held = f.meeting(body, date(year, 9, 10), state=MeetingState.HELD, minutes_text="CR")
        for member in members:
            Attendance.objects.create(meeting=held, member=member, status="present")
        held.decisions.create(text=f"Décision {index}")
        f.action_item(held, due=date(2025, 10, 1), owner_email="daet@example.org")
        f.meeting(body, date(year + 1, 2, 10))
        AnnualReport.objects.create(agreement=convention, school_year=year - 1)


@pytest.fixture
def daet(world):
    user = world.users["academie_team"]
    user.email = "daet@example.org"
    user.save()
    return user


# Session, user, memberships (reach) are 3 of each count.
def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


PAGES = [
    # + conventions of the filter, count, page, held meetings of the page.
    ("body_list", lambda w: "/instances/", 7),
    # + the held meetings of every filtered body, to judge them.
    ("body_list_filtered", lambda w: "/instances/?conformite=conforme&kind=comite_pilotage", 9),
    # + body, members, meetings, action items.
    ("body_detail", lambda w: f"/instances/{_first(Body).pk}/", 7),
    # + meeting, members, attendance, decisions, action items.
    ("meeting_detail", lambda w: f"/instances/reunions/{_first(Meeting, state='tenue').pk}/", 8),
    # + bodies, their held meetings, conventions without report, my action items.
    ("compliance", lambda w: "/instances/conformite/", 7),
    ("report_list", lambda w: "/instances/bilans/", 5),
    # + convention, years taken, count, page.
    (
        "report_agreement",
        lambda w: f"/instances/bilans/convention/{_first(AnnualReport).agreement_id}/",
        7,
    ),
    # + report, results and the consolidated convention (parts, avenants), held meetings.
    # The bilan's figures computed from Relais (relais.reporting.bilans): four more queries.
    ("report_detail", lambda w: f"/instances/bilans/{_first(AnnualReport).pk}/", 16),
]  # fmt: skip


@pytest.mark.parametrize("size", [1, 6])
@pytest.mark.parametrize(("page", "build", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_query_counts(
    world, daet, client_for, django_assert_num_queries, size, page, build, expected
):
    _populate(world, size)
    client = client_for(daet)
    path = build(world)
    with django_assert_num_queries(expected):
        assert client.get(path).status_code == 200
