"""Periods and offers over school holidays or public holidays are flagged, in the pages and
in the API (issue 12, item 6), from the zone's calendar Relais already reads."""

import datetime

import pytest

from relais.internships.holidays import public_holidays, week_warnings, weeks_warnings
from tests.internships.factories import PeriodFactory, SlotFactory, published_offer

CHRISTMAS = datetime.date(2026, 12, 21)


def test_public_holidays_follow_easter():
    days = public_holidays(2026)
    assert len(days) == 11
    assert days[datetime.date(2026, 4, 6)] == "lundi de Pâques"
    assert days[datetime.date(2026, 5, 14)] == "Ascension"
    assert days[datetime.date(2026, 5, 25)] == "lundi de Pentecôte"
    assert public_holidays(2027)[datetime.date(2027, 3, 29)] == "lundi de Pâques"


@pytest.mark.parametrize(
    ("monday", "zone", "expected"),
    [
        (CHRISTMAS, "C", ["vacances de Noël (zone C)", "jour férié le 25/12/2026 (Noël)"]),
        (datetime.date(2026, 2, 16), "A", ["vacances d'hiver (zone A)"]),
        (datetime.date(2026, 2, 16), "C", []),  # zone C starts on the 21st
        (datetime.date(2026, 4, 6), "", ["jour férié le 06/04/2026 (lundi de Pâques)"]),
        (datetime.date(2026, 2, 2), "C", []),
        (datetime.date(2035, 12, 24), "C", ["jour férié le 25/12/2035 (Noël)"]),  # no data
    ],
)
def test_week_warnings(monday, zone, expected):
    assert week_warnings(monday, zone) == expected


def test_weeks_warnings_name_the_week():
    lines = weeks_warnings([datetime.date(2026, 2, 2), CHRISTMAS], "C")
    assert lines == [
        "semaine du 21/12/2026 : vacances de Noël (zone C), jour férié le 25/12/2026 (Noël)"
    ]


@pytest.fixture
def zone_c(world):
    world.home.holiday_zone = "C"
    world.home.save()
    return world


def test_the_periods_page_flags_a_period_over_christmas(zone_c, client_for):
    world = zone_c
    PeriodFactory(
        establishment=world.school, start=CHRISTMAS, end=CHRISTMAS + datetime.timedelta(4)
    )
    PeriodFactory(establishment=world.school)  # February: nothing to say
    page = client_for(world.users["teacher"]).get("/stages/periodes/").content.decode()
    assert page.count("Vacances ou jour férié") == 1
    assert "semaine du 21/12/2026 : vacances de Noël (zone C)" in page


def test_declaring_a_period_over_christmas_warns_the_school(zone_c, client_for):
    world = zone_c
    client = client_for(world.users["head_of_school"])
    response = client.post(
        "/stages/periodes/nouvelle/",
        {
            "establishment": world.school.pk,
            "school_year": "2026-2027",
            "level": "3e",
            "start": "2026-12-21",
            "end": "2026-12-25",
            "duration_weeks": 1,
        },
        follow=True,
    )
    page = response.content.decode()
    assert "La période de stage est enregistrée." in page
    assert "Attention, la période tombe sur des jours sans école" in page
    assert "vacances de Noël (zone C)" in page


def test_the_offer_page_and_the_api_flag_the_weeks(zone_c, client_for, hub):
    world = zone_c
    offer = published_offer(world.bassin, world.company, capacity=1)
    SlotFactory(offer=offer, week=CHRISTMAS, capacity=1)
    client = client_for(world.users["hub_member"])
    page = client.get(f"/stages/offres/{offer.pk}/").content.decode()
    assert page.count("Vacances ou jour férié") == 1
    data = client.get(f"/api/v1/stages/offres/{offer.pk}/").json()
    warnings = {p["week"]: p["calendar_warnings"] for p in data["places"]}
    assert warnings == {
        "2026-02-02": [],
        "2026-12-21": ["vacances de Noël (zone C)", "jour férié le 25/12/2026 (Noël)"],
    }
