"""Governance API: scoping (404 outside), meeting creation and minutes, French 400s, the
OpenAPI schema and frozen query counts."""

import io
from datetime import date

import pypdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.governance.enums import BodyKind, MeetingState
from relais.governance.models import AnnualReport, Attendance, CommitmentResult, Meeting
from relais.networks.models import Club
from tests.governance import factories as f
from tests.mail import deliver_outbox

from .conftest import results, token_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def gov(world):
    w = world
    w.convention = f.agreement(w.academie_a, title="Convention Alpha")
    commitment = f.commitment(w.convention)
    w.body = f.body(w.convention, name="Comité Alpha", minimum=2, months=[9, 2])
    f.member(w.body, name="Anne", email="anne@example.org")
    w.meeting = f.meeting(w.body, date(2025, 9, 20), state=MeetingState.HELD)
    w.report = AnnualReport.objects.create(agreement=w.convention, school_year=2024)
    CommitmentResult.objects.create(report=w.report, commitment=commitment, achieved=3)
    w.f_convention = f.agreement(w.academie_b, title="Convention Bêta")
    w.f_body = f.body(w.f_convention, name="Comité Bêta")
    w.f_meeting = f.meeting(w.f_body, date(2025, 9, 20), state=MeetingState.HELD)
    w.f_report = AnnualReport.objects.create(agreement=w.f_convention, school_year=2024)
    club = Club.objects.create(name="Club Alpha", academie=w.academie_a, bassin=w.bassin_a1)
    w.club_body = f.body(club=club, kind=BodyKind.CLUB_STEERING, name="Club Alpha")
    return w


def test_lists_are_scoped(gov, client_for):
    client = client_for("academie_team")
    bodies = results(client.get("/api/v1/instances/"))
    assert {b["name"] for b in bodies} == {"Comité Alpha", "Club Alpha"}
    alpha = next(b for b in bodies if b["name"] == "Comité Alpha")
    assert alpha["rule_label"] == "2 réunions par année scolaire, en septembre et février"
    assert alpha["members"][0]["full_name"] == "Anne"
    assert alpha["compliance"]["status"] in {"conforme", "a_risque", "manquee", "a_venir"}
    assert [m["body"]["name"] for m in results(client.get("/api/v1/reunions/"))] == ["Comité Alpha"]
    assert [r["agreement"]["title"] for r in results(client.get("/api/v1/bilans/"))] == [
        "Convention Alpha"
    ]
    clubs = results(client.get("/api/v1/instances/", {"kind": "pilotage_club"}))
    assert [b["name"] for b in clubs] == ["Club Alpha"]
    mine = results(client.get("/api/v1/instances/", {"convention": gov.convention.pk}))
    assert [b["name"] for b in mine] == ["Comité Alpha"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/instances/{f_body}/", "/api/v1/reunions/{f_meeting}/", "/api/v1/bilans/{f_report}/"],
)
def test_foreign_objects_are_404(gov, client_for, path):
    url = path.format(f_body=gov.f_body.pk, f_meeting=gov.f_meeting.pk, f_report=gov.f_report.pk)
    assert client_for("academie_team").get(url).status_code == 404
    assert client_for("national_admin").get(url).status_code == 200
    assert client_for("no_membership").get(url).status_code == 404


def test_foreign_meeting_actions_are_404(gov, client_for):
    client = client_for("academie_team")
    for action in ("tenue", "compte-rendu", "envoyer-compte-rendu"):
        response = client.post(f"/api/v1/reunions/{gov.f_meeting.pk}/{action}/", {}, format="json")
        assert response.status_code == 404


def test_create_a_meeting(gov, client_for):
    client = client_for("academie_team")
    response = client.post(
        "/api/v1/reunions/",
        {"body": gov.body.pk, "starts_at": "2026-02-12T14:00:00+01:00", "place": "Rectorat"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "prevue"
    assert Meeting.objects.filter(body=gov.body, place="Rectorat").exists()


def test_create_refusals(gov, client_for):
    client = client_for("academie_team")
    response = client.post(
        "/api/v1/reunions/", {"body": gov.f_body.pk, "starts_at": "2026-02-12T14:00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["body"] == [f"Instance inconnue : {gov.f_body.pk}."]
    response = client.post(
        "/api/v1/reunions/", {"body": gov.body.pk, "starts_at": "demain"}, format="json"
    )
    assert response.status_code == 400 and "starts_at" in response.json()
    teacher = client_for("teacher")
    response = teacher.post(
        "/api/v1/reunions/", {"body": gov.body.pk, "starts_at": "2026-02-12T14:00"}, format="json"
    )
    assert response.status_code == 403
    assert "équipe qui anime" in response.json()["detail"]


def test_minutes_and_sending(gov, client_for, django_capture_on_commit_callbacks):
    client = client_for("academie_team")
    planned = f.meeting(gov.body, date(2030, 2, 12))
    response = client.post(
        f"/api/v1/reunions/{planned.pk}/compte-rendu/", {"minutes_text": "CR"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == [
        "Le compte rendu s'écrit une fois la réunion tenue."
    ]
    response = client.post(f"/api/v1/reunions/{gov.meeting.pk}/compte-rendu/", {}, format="json")
    assert response.status_code == 400
    response = client.post(
        f"/api/v1/reunions/{gov.meeting.pk}/compte-rendu/",
        {"minutes_text": "Le comité a validé le plan."},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["minutes_text"] == "Le comité a validé le plan."
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/reunions/{gov.meeting.pk}/envoyer-compte-rendu/")
    assert response.status_code == 200
    assert response.json()["recipients"] == ["anne@example.org"]
    assert response.json()["meeting"]["minutes_sent_at"]
    deliver_outbox()
    assert len(mail.outbox) == 1
    again = client.post(f"/api/v1/reunions/{gov.meeting.pk}/envoyer-compte-rendu/")
    assert again.status_code == 400 and "déjà été envoyé" in again.json()["non_field_errors"][0]


def test_pdf_minutes_upload(gov, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=100, height=100)
    buffer = io.BytesIO()
    writer.write(buffer)
    client = client_for("academie_team")
    good = SimpleUploadedFile("cr.pdf", buffer.getvalue(), content_type="application/pdf")
    response = client.post(
        f"/api/v1/reunions/{gov.meeting.pk}/compte-rendu/",
        {"minutes_file": good},
        format="multipart",
    )
    assert response.status_code == 200 and response.json()["minutes_file_url"].endswith(
        f"/instances/reunions/{gov.meeting.pk}/compte-rendu.pdf"
    )
    bad = SimpleUploadedFile("cr.pdf", b"hello", content_type="application/pdf")
    response = client.post(
        f"/api/v1/reunions/{gov.meeting.pk}/compte-rendu/",
        {"minutes_file": bad},
        format="multipart",
    )
    assert response.status_code == 400
    assert "n'est pas un PDF" in response.json()["minutes_file"][0]


def test_hold_a_meeting(gov, client_for):
    planned = f.meeting(gov.body, date(2025, 10, 1))
    response = client_for("academie_team").post(f"/api/v1/reunions/{planned.pk}/tenue/")
    assert response.status_code == 200 and response.json()["status"] == "tenue"
    response = client_for("academie_team").post(f"/api/v1/reunions/{planned.pk}/tenue/")
    assert response.status_code == 400


def test_available_transitions_say_what_the_user_may_do_now(gov, client_for):
    """The workflow's answer, never a copy of its table: « tenir » once the day has come,
    « annuler » while planned, nothing for a reader; « valider » once the report is
    written."""
    planned = f.meeting(gov.body, date(2025, 10, 1))
    team, reader = client_for("academie_team"), client_for("teacher")
    meeting = team.get(f"/api/v1/reunions/{planned.pk}/").json()
    assert meeting["status"] == "prevue"
    assert sorted(meeting["available_transitions"]) == ["annuler", "tenir"]
    assert reader.get(f"/api/v1/reunions/{planned.pk}/").json()["available_transitions"] == []
    held = team.get(f"/api/v1/reunions/{gov.meeting.pk}/").json()
    assert held["status"] == "tenue" and held["available_transitions"] == []
    report = team.get(f"/api/v1/bilans/{gov.report.pk}/").json()
    assert report["status"] == "brouillon" and report["available_transitions"] == []
    AnnualReport.objects.filter(pk=gov.report.pk).update(summary="Forum", action_plan="Plan")
    report = team.get(f"/api/v1/bilans/{gov.report.pk}/").json()
    assert report["available_transitions"] == ["valider"]
    assert reader.get(f"/api/v1/bilans/{gov.report.pk}/").json()["available_transitions"] == []


def test_schema_lists_the_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in [
        "/api/v1/instances/",
        "/api/v1/instances/{id}/",
        "/api/v1/reunions/",
        "/api/v1/reunions/{id}/compte-rendu/",
        "/api/v1/reunions/{id}/envoyer-compte-rendu/",
        "/api/v1/reunions/{id}/tenue/",
        "/api/v1/bilans/",
        "/api/v1/bilans/{id}/",
    ]:
        assert path in schema["paths"], path
    assert "post" in schema["paths"]["/api/v1/reunions/"]


def _more(world, count):
    for index in range(count):
        convention = f.agreement(world.academie_a)
        commitment = f.commitment(convention)
        body = f.body(convention, name=f"Comité {index}")
        members = [
            f.member(body, name=f"M{index}-{i}", email=f"m{index}{i}@example.org") for i in range(2)
        ]
        meeting = f.meeting(body, date(2025, 10, 1), state=MeetingState.HELD)
        for member in members:
            Attendance.objects.create(meeting=meeting, member=member, status="present")
        meeting.decisions.create(text="Décision")
        f.action_item(meeting)
        report = AnnualReport.objects.create(agreement=convention, school_year=2024)
        CommitmentResult.objects.create(report=report, commitment=commitment, achieved=index)


# token + reach + count + page (+ prefetches)
QUERIES = [
    ("/api/v1/instances/", 6),  # + members, held meetings of the page
    ("/api/v1/reunions/", 7),  # + attendances, decisions, action items
    ("/api/v1/bilans/", 7),  # + results, commitments, parties
    ("instance", 5),
    ("reunion", 6),
    ("bilan", 6),
]


@pytest.mark.parametrize(("url", "expected"), QUERIES)
def test_query_counts(gov, users, django_assert_num_queries, url, expected):
    details = {
        "instance": f"/api/v1/instances/{gov.body.pk}/",
        "reunion": f"/api/v1/reunions/{gov.meeting.pk}/",
        "bilan": f"/api/v1/bilans/{gov.report.pk}/",
    }
    path = details.get(url, url)
    client = token_client(users["academie_team"])
    with django_assert_num_queries(expected):
        assert client.get(path).status_code == 200
    _more(gov, 5)
    client = token_client(users["academie_team"])
    with django_assert_num_queries(expected):
        assert client.get(path).status_code == 200
