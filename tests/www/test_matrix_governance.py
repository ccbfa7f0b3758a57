"""Permission matrix of the governance pages (instances, meetings, minutes, action items,
annual reports, compliance, exports).

A convention of the home académie (in force) has a steering committee with a member, a held
meeting with minutes (text and PDF), a decision and an action item, and a draft annual
report; the same exists in the other académie (404 but for the national administration).
A club of the home bassin 1 has its steering committee, run by the bassin référent too.
"""

import io
from datetime import date

import pypdf
import pytest
from django.core.files.base import ContentFile

from relais.governance.enums import BodyKind, MeetingState
from relais.governance.models import AnnualReport, Decision
from relais.networks.models import Club
from tests.governance import factories as f
from tests.www.matrix import cases, check_answer, module_fixture, row

EVERYONE = row(200)
ONLY_NATIONAL = row(404, national_admin=200)
ONLY_NATIONAL_POST = row(404, national_admin=302)
# An académie convention: read in its académie (not by a representative of a company that
# is not a party), run by the académie team.
VIEW = row(200, no_membership=404, organisation_rep=404)
MANAGE = row(403, national_admin=200, academie_team=200, no_membership=404, organisation_rep=404)
MANAGE_POST = row(
    403, national_admin=302, academie_team=302, no_membership=404, organisation_rep=404
)
# A club's body: clubs are read in their académie (the representative's company is there),
# run by the académie team and the bassin référent.
CLUB_VIEW = row(200, no_membership=404)
CLUB_MANAGE = row(
    403, national_admin=200, academie_team=200, bassin_referent=200, no_membership=404
)
CREATE = row(403, national_admin=200, academie_team=200, bassin_referent=200)


def _pdf() -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _setup(academie, suffix):
    convention = f.agreement(academie, title=f"Convention {suffix}")
    body = f.body(convention, name=f"Comité de pilotage {suffix}", months=[9])
    member = f.member(body, email=f"membre-{suffix}@example.org")
    meeting = f.meeting(
        body, date(2025, 9, 18), state=MeetingState.HELD, minutes_text="Compte rendu."
    )
    meeting.minutes_file.save("cr.pdf", ContentFile(_pdf()))
    decision = Decision.objects.create(meeting=meeting, text="Organiser un forum")
    item = f.action_item(meeting, due=date(2025, 10, 1), owner_email="x@example.org")
    planned = f.meeting(body, date(2025, 10, 10))
    report = AnnualReport.objects.create(
        agreement=convention, school_year=2024, summary="Actions", action_plan="Plan"
    )
    return convention, body, member, meeting, decision, item, planned, report


@pytest.fixture
def gov(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_gov(world)


def build_gov(world):
    w = world
    (w.convention, w.body, w.member, w.meeting, w.decision, w.item, w.planned, w.report) = _setup(
        w.home, "maison"
    )
    (w.f_convention, w.f_body, w.f_member, w.f_meeting, w.f_decision, w.f_item, w.f_planned,
     w.f_report) = _setup(w.other, "ailleurs")  # fmt: skip
    w.club = Club.objects.create(name="Club du bassin un", academie=w.home, bassin=w.bassin)
    w.club_body = f.body(club=w.club, kind=BodyKind.CLUB_STEERING, name="Comité du club", minimum=2)
    return w


gov_once = module_fixture(build_gov, settings=lambda folder: {"MEDIA_ROOT": folder})


MATRIX = [
    ("governance:body_list", lambda w: "/instances/", "get", EVERYONE),
    ("governance:body_export", lambda w: "/instances/export.csv", "get", EVERYONE),
    ("governance:body_export", lambda w: "/instances/export.xlsx", "get", EVERYONE),
    ("governance:meeting_export", lambda w: "/instances/reunions/export.csv", "get", EVERYONE),
    ("governance:meeting_export", lambda w: "/instances/reunions/export.xlsx", "get", EVERYONE),
    ("governance:compliance", lambda w: "/instances/conformite/", "get", EVERYONE),
    ("governance:body_create", lambda w: "/instances/nouvelle/", "get", CREATE),
    ("governance:body_detail", lambda w: f"/instances/{w.body.pk}/", "get", VIEW),
    ("governance:body_detail", lambda w: f"/instances/{w.f_body.pk}/", "get", ONLY_NATIONAL),
    ("governance:body_detail", lambda w: f"/instances/{w.club_body.pk}/", "get", CLUB_VIEW),
    ("governance:body_edit", lambda w: f"/instances/{w.body.pk}/modifier/", "get", MANAGE),
    ("governance:body_edit", lambda w: f"/instances/{w.f_body.pk}/modifier/", "get", ONLY_NATIONAL),
    (
        "governance:body_edit",
        lambda w: f"/instances/{w.club_body.pk}/modifier/",
        "get",
        CLUB_MANAGE,
    ),
    ("governance:member_add", lambda w: f"/instances/{w.body.pk}/membres/ajouter/", "get", MANAGE),
    (
        "governance:member_add",
        lambda w: f"/instances/{w.f_body.pk}/membres/ajouter/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "governance:member_remove",
        lambda w: f"/instances/membres/{w.member.pk}/retirer/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:member_remove",
        lambda w: f"/instances/membres/{w.f_member.pk}/retirer/",
        "post",
        ONLY_NATIONAL_POST,
    ),
    (
        "governance:meeting_create",
        lambda w: f"/instances/{w.body.pk}/reunions/nouvelle/",
        "get",
        MANAGE,
    ),
    (
        "governance:meeting_create",
        lambda w: f"/instances/{w.club_body.pk}/reunions/nouvelle/",
        "get",
        CLUB_MANAGE,
    ),
    ("governance:meeting_detail", lambda w: f"/instances/reunions/{w.meeting.pk}/", "get", VIEW),
    (
        "governance:meeting_detail",
        lambda w: f"/instances/reunions/{w.f_meeting.pk}/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "governance:meeting_edit",
        lambda w: f"/instances/reunions/{w.meeting.pk}/modifier/",
        "get",
        MANAGE,
    ),
    (
        "governance:meeting_edit",
        lambda w: f"/instances/reunions/{w.f_meeting.pk}/modifier/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "governance:meeting_hold",
        lambda w: f"/instances/reunions/{w.planned.pk}/tenue/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:meeting_cancel",
        lambda w: f"/instances/reunions/{w.planned.pk}/annuler/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:meeting_cancel",
        lambda w: f"/instances/reunions/{w.f_planned.pk}/annuler/",
        "post",
        ONLY_NATIONAL_POST,
    ),
    (
        "governance:meeting_replan",
        lambda w: f"/instances/reunions/{w.planned.pk}/replanifier/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:meeting_attendance",
        lambda w: f"/instances/reunions/{w.meeting.pk}/presences/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:meeting_minutes",
        lambda w: f"/instances/reunions/{w.meeting.pk}/compte-rendu/",
        "get",
        MANAGE,
    ),
    (
        "governance:meeting_minutes",
        lambda w: f"/instances/reunions/{w.f_meeting.pk}/compte-rendu/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "governance:meeting_minutes_file",
        lambda w: f"/instances/reunions/{w.meeting.pk}/compte-rendu.pdf",
        "get",
        VIEW,
    ),
    (
        "governance:meeting_minutes_file",
        lambda w: f"/instances/reunions/{w.f_meeting.pk}/compte-rendu.pdf",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "governance:meeting_send_minutes",
        lambda w: f"/instances/reunions/{w.meeting.pk}/envoyer-compte-rendu/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:meeting_send_minutes",
        lambda w: f"/instances/reunions/{w.f_meeting.pk}/envoyer-compte-rendu/",
        "post",
        ONLY_NATIONAL_POST,
    ),
    (
        "governance:decision_add",
        lambda w: f"/instances/reunions/{w.meeting.pk}/decisions/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:decision_remove",
        lambda w: f"/instances/decisions/{w.decision.pk}/supprimer/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:decision_remove",
        lambda w: f"/instances/decisions/{w.f_decision.pk}/supprimer/",
        "post",
        ONLY_NATIONAL_POST,
    ),
    (
        "governance:action_add",
        lambda w: f"/instances/reunions/{w.meeting.pk}/actions/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:action_done",
        lambda w: f"/instances/actions/{w.item.pk}/realisee/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:action_done",
        lambda w: f"/instances/actions/{w.f_item.pk}/realisee/",
        "post",
        ONLY_NATIONAL_POST,
    ),
    ("governance:report_list", lambda w: "/instances/bilans/", "get", EVERYONE),
    (
        "governance:report_agreement",
        lambda w: f"/instances/bilans/convention/{w.convention.pk}/",
        "get",
        VIEW,
    ),
    (
        "governance:report_agreement",
        lambda w: f"/instances/bilans/convention/{w.f_convention.pk}/",
        "get",
        ONLY_NATIONAL,
    ),
    ("governance:report_detail", lambda w: f"/instances/bilans/{w.report.pk}/", "get", VIEW),
    (
        "governance:report_detail",
        lambda w: f"/instances/bilans/{w.f_report.pk}/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "governance:report_edit",
        lambda w: f"/instances/bilans/{w.report.pk}/modifier/",
        "get",
        MANAGE,
    ),
    (
        "governance:report_edit",
        lambda w: f"/instances/bilans/{w.f_report.pk}/modifier/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "governance:report_validate",
        lambda w: f"/instances/bilans/{w.report.pk}/valider/",
        "post",
        MANAGE_POST,
    ),
    (
        "governance:report_validate",
        lambda w: f"/instances/bilans/{w.f_report.pk}/valider/",
        "post",
        ONLY_NATIONAL_POST,
    ),
    (
        "governance:report_evidence",
        lambda w: f"/instances/bilans/{w.report.pk}/preuves/reunions/",
        "get",
        VIEW,
    ),
    (
        "governance:report_evidence",
        lambda w: f"/instances/bilans/{w.f_report.pk}/preuves/reunions/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "governance:report_docx",
        lambda w: f"/instances/bilans/{w.report.pk}/bilan.docx",
        "get",
        VIEW,
    ),
    (
        "governance:report_docx",
        lambda w: f"/instances/bilans/{w.f_report.pk}/bilan.docx",
        "get",
        ONLY_NATIONAL,
    ),
    ("governance:report_pdf", lambda w: f"/instances/bilans/{w.report.pk}/bilan.pdf", "get", VIEW),
    (
        "governance:report_pdf",
        lambda w: f"/instances/bilans/{w.f_report.pk}/bilan.pdf",
        "get",
        ONLY_NATIONAL,
    ),
]


# Issue 14: a réserviste (volunteer with no other role) no longer reaches the governance bodies and their meetings:
# each of these pages is a 404 for them (it was 200 or 403 in their académie).
VOLUNTEER_OUTSIDE = {
    "governance:body_detail",
    "governance:body_edit",
    "governance:member_add",
    "governance:member_remove",
    "governance:meeting_create",
    "governance:meeting_detail",
    "governance:meeting_edit",
    "governance:meeting_hold",
    "governance:meeting_cancel",
    "governance:meeting_replan",
    "governance:meeting_attendance",
    "governance:meeting_minutes",
    "governance:meeting_minutes_file",
    "governance:meeting_send_minutes",
    "governance:decision_add",
    "governance:decision_remove",
    "governance:action_add",
    "governance:action_done",
    # … nor the bilans of conventions they do not act under (they read only their CEE's).
    "governance:report_agreement",
    "governance:report_detail",
    "governance:report_edit",
    "governance:report_validate",
    "governance:report_evidence",
    "governance:report_docx",
    "governance:report_pdf",
}
MATRIX = [
    (name, build, method, {**expected, "volunteer": 404} if name in VOLUNTEER_OUTSIDE else expected)
    for name, build, method, expected in MATRIX
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_governance_matrix(gov_once, db, client_for, name, build, method, role, expected):
    check_answer(client_for(gov_once.users[role]), build(gov_once), method, role, expected)
