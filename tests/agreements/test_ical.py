"""The personal iCal feed: a secret address, the deadlines and meetings the user sees (not
another académie's), RFC 5545 lines (≤ 75 octets, CRLF, escaped text), a revocable token."""

from datetime import UTC, date, datetime, timedelta

import pytest
from dateutil.relativedelta import relativedelta

from relais.agreements.ical import CalendarEvent, build_calendar
from relais.agreements.models import CalendarFeed
from relais.governance.enums import MeetingState
from tests.agreements.factories import in_force_agreement
from tests.governance import factories as gov

pytestmark = pytest.mark.django_db


def unfold(body: str) -> list[str]:
    return body.replace("\r\n ", "").split("\r\n")


def events(body: str) -> list[dict]:
    """The VEVENTs as {property (without parameters): value}."""
    found, current = [], None
    for line in unfold(body):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            found.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name.split(";")[0]] = value
    return found


def _renewed(user, academie, title):
    """Tacitly renewed once (12 months, 3 months' notice): its notice deadline is ahead."""
    start = date.today() - relativedelta(months=24) + timedelta(days=120)
    return in_force_agreement(
        user,
        academie,
        title=title,
        fields={"duration_months": 12, "tacit_renewal": True, "notice_months": 3},
        signed_on=start,
    )


@pytest.fixture
def feed_world(world):
    team = world.users["academie_team"]
    mine = _renewed(team, world.home, "Convention Clubster, réseau; Lille")
    theirs = _renewed(world.users["national_admin"], world.other, "Convention d'ailleurs")
    soon = date.today() + timedelta(days=20)
    body = gov.body(mine, name="Comité stratégique")
    gov.meeting(
        body,
        soon,
        place="Rectorat, salle 3; bâtiment B",
        agenda="Bilan de l'année écoulée, perspectives; questions diverses\n"
        + "Présentation des actions conduites dans les établissements du bassin " * 3,
    )
    gov.meeting(body, soon + timedelta(days=1), state=MeetingState.CANCELLED)
    gov.meeting(body, date.today() - timedelta(days=200), state=MeetingState.HELD)
    gov.meeting(gov.body(theirs, name="Comité d'ailleurs"), soon)
    world.mine, world.theirs = mine, theirs
    return world


def _subscribe(client, user) -> str:
    client.force_login(user)
    response = client.post("/conventions/calendrier/renouveler/")
    assert response.status_code == 302 and response["Location"] == "/conventions/calendrier/"
    token = CalendarFeed.objects.get(user=user).token
    page = client.get("/conventions/calendrier/").content.decode()
    assert f"/conventions/calendrier/{token}.ics" in page
    client.logout()
    return f"/conventions/calendrier/{token}.ics"


def test_feed_carries_the_visible_deadlines_and_meetings(feed_world, client):
    world = feed_world
    url = _subscribe(client, world.users["academie_team"])
    response = client.get(url)  # no session: calendar applications cannot log in
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")

    found = events(text)
    mine = world.mine
    notice = [e for e in found if e["UID"].startswith(f"convention-{mine.pk}-preavis-")]
    # The feed covers 13 months: this year's notice deadline and next year's.
    assert len(notice) == 2
    assert notice[0]["DTSTART"] < notice[1]["DTSTART"]
    assert notice[0]["DTSTART"] == f"{mine.next_notice_deadline:%Y%m%d}"
    assert notice[0]["DTEND"] == f"{mine.next_notice_deadline + timedelta(days=1):%Y%m%d}"
    assert notice[0]["SUMMARY"] == (
        f"Dernier jour pour dénoncer la convention (non-reconduction) — {mine.number}"
    )
    # Commas and semicolons of the title are escaped.
    assert notice[0]["DESCRIPTION"].startswith("Convention Clubster\\, réseau\\; Lille (")
    assert notice[0]["URL"].endswith(f"/conventions/{mine.pk}/")
    assert not [e for e in found if e["UID"].startswith(f"convention-{world.theirs.pk}-")]

    meetings = [e for e in found if e["UID"].startswith("reunion-")]
    assert [e["SUMMARY"] for e in meetings] == ["Réunion — Comité stratégique"]
    [meeting] = meetings
    assert meeting["LOCATION"] == "Rectorat\\, salle 3\\; bâtiment B"
    assert meeting["DESCRIPTION"].startswith(
        "Bilan de l'année écoulée\\, perspectives\\; questions diverses\\nPrésentation"
    )
    assert meeting["DTSTART"].endswith("Z")


def test_feed_lines_are_folded_at_75_octets_with_crlf(feed_world, client):
    url = _subscribe(client, feed_world.users["academie_team"])
    raw = client.get(url).content
    assert b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long agenda was folded
    for line in lines:
        line.decode()  # never cut inside a UTF-8 character


def test_folding_never_splits_a_character():
    summary = "é" * 100 + " — fin"
    body = build_calendar(
        [CalendarEvent(uid="x@relais", summary=summary, day=date(2026, 6, 1))],
        name="Essai",
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )
    raw = body.encode()
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert events(body)[0]["SUMMARY"] == summary


def test_renewing_the_address_revokes_the_old_one(feed_world, client):
    user = feed_world.users["academie_team"]
    old = _subscribe(client, user)
    assert client.get(old).status_code == 200
    new = _subscribe(client, user)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert client.get("/conventions/calendrier/inconnu.ics").status_code == 404
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(new).status_code == 404


def test_another_academie_sees_its_own_deadlines_only(feed_world, client):
    world = feed_world
    from relais.users.enums import Role
    from tests.factories import make_user

    other_team = make_user(Role.ACADEMIE_TEAM, world.other)
    found = events(client.get(_subscribe(client, other_team)).content.decode())
    uids = {e["UID"] for e in found}
    assert any(uid.startswith(f"convention-{world.theirs.pk}-preavis-") for uid in uids)
    assert not any(uid.startswith(f"convention-{world.mine.pk}-") for uid in uids)
    assert [e["SUMMARY"] for e in found if e["UID"].startswith("reunion-")] == [
        "Réunion — Comité d'ailleurs"
    ]
