"""Who sees which body, meeting and report; the compliance overview."""

from datetime import date

import pytest

from relais.agreements.models import Party
from relais.governance import selectors
from relais.governance.enums import BodyKind, MeetingState, ReportState
from relais.governance.models import AnnualReport
from relais.governance.rules import AT_RISK, MISSED
from relais.networks.models import Club

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def bodies(world):
    home = f.body(f.agreement(world.home), name="Maison")
    other = f.body(f.agreement(world.other), name="Ailleurs")
    club = Club.objects.create(name="Club un", academie=world.home, bassin=world.bassin)
    club_body = f.body(club=club, kind=BodyKind.CLUB_STEERING, name="Club")
    other_club = Club.objects.create(
        name="Club lointain", academie=world.other, bassin=_other_bassin(world)
    )
    far_club = f.body(club=other_club, kind=BodyKind.CLUB_STEERING, name="Club lointain")
    return {"home": home, "other": other, "club": club_body, "far_club": far_club}


def _other_bassin(world):
    from tests.factories import BassinFactory

    return BassinFactory(academie=world.other)


def names(queryset):
    return {b.name for b in queryset}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("national_admin", {"Maison", "Ailleurs", "Club", "Club lointain"}),
        ("academie_team", {"Maison", "Club"}),
        ("bassin_referent", {"Maison", "Club"}),
        ("teacher", {"Maison", "Club"}),
        # A réserviste has their own space, not the bodies (issue 14).
        ("volunteer", set()),
        # A company's representative reads the clubs of its académie, not the conventions
        # its organisation is not party to.
        ("organisation_rep", {"Club"}),
        ("no_membership", set()),
    ],
)
def test_bodies_visible_to(world, bodies, role, expected):
    assert names(selectors.bodies_visible_to(world.users[role])) == expected


def test_a_party_representative_sees_its_conventions_bodies(world):
    convention = f.agreement(world.other)
    Party.objects.create(
        agreement=convention, organisation=world.company, name="Boulangerie", side="economique"
    )
    body = f.body(convention, name="Partenaire")
    assert body in selectors.bodies_visible_to(world.users["organisation_rep"])


def test_meetings_follow_their_body(world, bodies):
    mine = f.meeting(bodies["home"], date(2025, 10, 1))
    f.meeting(bodies["other"], date(2025, 10, 1))
    visible = list(selectors.meetings_visible_to(world.users["academie_team"]))
    assert visible == [mine]
    assert "body" in selectors.meetings_visible_to(world.users["teacher"]).query.select_related


def test_compliance_overview(world):
    team = world.users["academie_team"]
    in_force = f.agreement(world.home, start=date(2024, 1, 10))
    missed = f.body(in_force, name="Comité régional", minimum=2, months=[9, 2])
    f.meeting(missed, date(2025, 9, 12), state=MeetingState.HELD)
    f.meeting(missed, date(2026, 2, 12), state=MeetingState.CANCELLED)
    f.body(in_force, name="Comité stratégique", months=[6])
    met = f.body(in_force, name="Groupe projet")
    f.meeting(met, date(2025, 11, 5), state=MeetingState.HELD)
    f.body(f.agreement(world.home, state="brouillon"), name="Brouillon", months=[9])
    overview = selectors.compliance_overview(team, school_year=2025, today=date(2026, 3, 2))
    assert [b.name for b in overview.missed] == ["Comité régional"]
    assert overview.missed[0].compliance.missed_months == (2,)
    assert [b.name for b in overview.at_risk] == ["Comité stratégique"]
    assert overview.at_risk[0].compliance.status == AT_RISK
    assert [b.name for b in overview.met] == ["Groupe projet"]
    assert overview.missed[0].compliance.status == MISSED
    # The previous school year (2024-2025): the convention was in force, no report.
    assert overview.report_year == 2024
    assert overview.without_report == [in_force]


def test_conventions_without_report(world):
    team = world.users["academie_team"]
    reported = f.agreement(world.home, start=date(2023, 9, 1))
    AnnualReport.objects.create(
        agreement=reported,
        school_year=2024,
        state=ReportState.FINAL,
        finalized_at="2025-07-01T10:00:00+02:00",
    )
    draft_report = f.agreement(world.home, start=date(2023, 9, 1))
    AnnualReport.objects.create(agreement=draft_report, school_year=2024)
    later = f.agreement(world.home, start=date(2025, 9, 2))
    ended = f.agreement(
        world.home, state="expiree", start=date(2021, 6, 1), ended_on=date(2024, 5, 31)
    )
    ended_in_year = f.agreement(
        world.home, state="expiree", start=date(2021, 9, 1), ended_on=date(2024, 12, 31)
    )
    f.agreement(world.home, state="brouillon")
    f.agreement(world.other, start=date(2023, 9, 1))
    found = set(selectors.conventions_without_report(team, school_year=2024))
    assert found == {draft_report, ended_in_year}
    assert later not in found and ended not in found


def test_my_action_items(world):
    teacher = world.users["teacher"]
    teacher.email = "Prof@Example.org"
    teacher.save()
    body = f.body(f.agreement(world.home))
    meeting = f.meeting(body, date(2025, 10, 1), state=MeetingState.HELD)
    mine = f.action_item(meeting, owner_email="prof@example.org", due=date(2025, 10, 20))
    f.action_item(meeting, owner_email="prof@example.org", done_on=date(2025, 10, 2))
    f.action_item(meeting, owner_email="other@example.org")
    far = f.meeting(f.body(f.agreement(world.other)), date(2025, 10, 1))
    f.action_item(far, owner_email="prof@example.org")
    assert list(selectors.my_action_items(teacher)) == [mine]
    overdue = selectors.overdue_action_items(
        selectors.action_items_of_body(body), today=date(2025, 10, 21)
    )
    assert list(overdue) == [mine]


def test_reports_follow_their_convention(world):
    home = AnnualReport.objects.create(agreement=f.agreement(world.home), school_year=2024)
    AnnualReport.objects.create(agreement=f.agreement(world.other), school_year=2024)
    assert list(selectors.reports_visible_to(world.users["head_of_school"])) == [home]
    assert list(selectors.reports_visible_to(world.users["no_membership"])) == []
