"""The calendar of a bassin (Mesure 2) with the real school holidays, and the indicators."""

import datetime

import pytest

from relais.internships import services
from relais.internships.services.calendar import (
    bassin_calendar,
    holiday_weeks,
    school_year_weeks,
)
from relais.internships.services.indicators import export_row, indicators
from relais.internships.years import internship_year_label
from tests.factories import EstablishmentFactory
from tests.internships.factories import (
    PeriodFactory,
    SlotFactory,
    published_offer,
    referred_case,
)

YEAR = "2025-2026"
FEB_2 = datetime.date(2026, 2, 2)


def test_school_year_weeks_and_zone_c_holidays():
    weeks = school_year_weeks(YEAR)
    assert weeks[0] == datetime.date(2025, 9, 1) and weeks[-1] == datetime.date(
        2026, 6, 29
    ) - datetime.timedelta(days=7)
    holidays = holiday_weeks("C", weeks)
    assert datetime.date(2025, 12, 22) in holidays  # Noël
    assert datetime.date(2026, 2, 23) in holidays  # hiver, zone C
    assert FEB_2 not in holidays
    assert holiday_weeks("DOM", weeks) == set()


def test_calendar_flags_the_peak_and_suggests_other_weeks(world, hub):
    schools = [world.school] + [
        EstablishmentFactory(academie=world.home, bassin=world.bassin) for _ in range(3)
    ]
    for school in schools:
        PeriodFactory(
            establishment=school,
            start=FEB_2,
            end=FEB_2 + datetime.timedelta(days=4),
            pupil_count=100,
        )
    offer = published_offer(world.bassin, world.company, capacity=60)
    SlotFactory(offer=offer, week=FEB_2 + datetime.timedelta(weeks=1), capacity=60)
    calendar = bassin_calendar(bassin=world.bassin, school_year=YEAR)
    week = next(w for w in calendar.weeks if w.monday == FEB_2)
    assert (week.pupils, week.places, week.shortfall, week.concentrated) == (400, 60, 340, True)
    assert calendar.peak == 400 and calendar.zone == "C"
    assert len(calendar.suggestions) == 3
    assert calendar.spreading.peak_after == 100
    holidays = holiday_weeks("C", school_year_weeks(YEAR))
    assert all(s.to not in holidays for s in calendar.suggestions)
    # The week with places gets a school first.
    assert calendar.suggestions[0].to == FEB_2 + datetime.timedelta(weeks=1)


def test_calendar_counts_registered_pupils_without_a_declared_count(world, hub):
    period = PeriodFactory(establishment=world.school, pupil_count=None)
    referred_case(world.school, world.users["teacher"], period=period)
    calendar = bassin_calendar(bassin=world.bassin, school_year=YEAR)
    assert calendar.total_pupils == 1


@pytest.fixture
def referred(world, hub):
    """Three referred pupils of the REP+ school (priority) and two of a plain school."""
    from relais.users.enums import Role
    from tests.factories import make_user

    plain = EstablishmentFactory(academie=world.home, bassin=world.bassin, name="Collège Clair")
    plain_teacher = make_user(Role.TEACHER, plain)
    teacher, member = world.users["teacher"], world.users["hub_member"]
    priority = [referred_case(world.school, teacher) for _ in range(3)]
    others = [referred_case(plain, plain_teacher) for _ in range(2)]
    offer = published_offer(world.bassin, world.company, capacity=5)
    for case in (priority[0], others[0], others[1]):
        proposal = services.proposal_send(user=member, case=case, slot=offer.slots.get())
        services.proposal_accept(proposal=proposal)
        school_user = teacher if case in priority else plain_teacher
        services.proposal_confirm(user=school_user, proposal=proposal)
    services.proposal_send(user=member, case=priority[1], slot=offer.slots.get())
    return priority, others


def _year_of_now():
    return internship_year_label(datetime.date.today())


def test_indicators_split_priority_and_others_with_the_gap(world, referred):
    rows = indicators(user=world.users["hub_member"], school_year=_year_of_now())
    bassin, total = rows
    assert bassin.label == "Bassin Un" and total.key is None  # never « Bassin Bassin Un »
    everyone = total.all
    assert (everyone.referred, everyone.proposed, everyone.placed) == (5, 4, 3)
    assert (total.priority.referred, total.priority.placed) == (3, 1)
    assert (total.others.referred, total.others.placed) == (2, 2)
    assert total.gap == pytest.approx(66.7)  # 100 % of the others, 33.3 % of priority pupils
    assert len(total.companies) == 1 and everyone.median_days == 0
    assert export_row(total)[:7] == ["Total", 5, 4, 3, 60.0, 0, 1]


def test_indicators_by_school_and_scoped(world, referred):
    rows = indicators(
        user=world.users["academie_team"], school_year=_year_of_now(), group="etablissement"
    )
    assert [r.label for r in rows] == ["Collège Clair", "Collège Étienne Dolet", "Total"]
    mine = indicators(user=world.users["teacher"], school_year=_year_of_now())
    assert mine[-1].all.referred == 3  # their own school only
    assert (
        indicators(user=world.users["no_membership"], school_year=_year_of_now())[-1].all.referred
        == 0
    )
    assert indicators(user=world.users["hub_member"], school_year="2019-2020")[-1].all.referred == 0
