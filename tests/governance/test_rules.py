"""The meeting rule of a body, judged for a school year (pure function, no database)."""

from datetime import date, timedelta

import pytest

from relais.core.school_years import school_year_bounds, school_year_of
from relais.governance import rules
from relais.governance.rules import AT_RISK, MET, MISSED, NOT_STARTED, compliance


def judge(*, minimum=1, months=(), held=(), year=2025, today, since=None, until=None):
    return compliance(
        min_meetings=minimum,
        required_months=months,
        held_dates=held,
        school_year=year,
        today=today,
        since=since,
        until=until,
    )


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2025, 9, 1), 2025),
        (date(2025, 8, 31), 2024),
        (date(2026, 1, 1), 2025),
        (date(2026, 8, 31), 2025),
        (date(2024, 2, 29), 2023),
    ],
)
def test_school_year_of(day, year):
    assert school_year_of(day) == year


def test_school_year_bounds_and_months():
    assert school_year_bounds(2025) == (date(2025, 9, 1), date(2026, 8, 31))
    # February belongs to the second calendar year; leap years give it 29 days.
    assert rules.month_in_school_year(2025, 2) == (date(2026, 2, 1), date(2026, 2, 28))
    assert rules.month_in_school_year(2023, 2) == (date(2024, 2, 1), date(2024, 2, 29))
    assert rules.month_in_school_year(2025, 9) == (date(2025, 9, 1), date(2025, 9, 30))


def test_months_left_counts_the_current_month():
    assert rules.months_left(2025, date(2026, 6, 30)) == [6, 7, 8]
    assert rules.months_left(2025, date(2026, 8, 31)) == [8]
    assert rules.months_left(2025, date(2026, 9, 1)) == []
    assert len(rules.months_left(2025, date(2025, 8, 1))) == 12


def test_rule_label():
    assert rules.rule_label(2, [2, 9]) == "2 réunions par année scolaire, en septembre et février"
    assert rules.rule_label(1, []) == "1 réunion par année scolaire"


class TestLilleRegionalSteering:
    """« deux fois par an, en septembre et février »."""

    rule = {"minimum": 2, "months": (9, 2)}

    def test_both_held_is_met_even_before_the_year_ends(self):
        verdict = judge(
            **self.rule, held=[date(2025, 9, 20), date(2026, 2, 10)], today=date(2026, 3, 1)
        )
        assert verdict.status == MET and verdict.held == 2

    def test_february_not_over_yet_is_at_risk(self):
        verdict = judge(**self.rule, held=[date(2025, 9, 20)], today=date(2026, 2, 28))
        assert verdict.status == AT_RISK
        assert verdict.pending_months == (2,)
        assert verdict.months_left == (2, 3, 4, 5, 6, 7, 8)

    def test_february_past_without_meeting_is_missed_in_march(self):
        verdict = judge(
            **self.rule, held=[date(2025, 9, 20), date(2026, 1, 30)], today=date(2026, 3, 1)
        )
        assert verdict.status == MISSED
        assert verdict.missed_months == (2,)
        assert "février" in verdict.reasons[0]

    def test_a_february_of_the_previous_school_year_does_not_count(self):
        verdict = judge(
            **self.rule, held=[date(2025, 2, 10), date(2025, 9, 20)], today=date(2026, 3, 1)
        )
        assert verdict.missed_months == (2,)
        assert verdict.held == 1

    def test_september_missed_is_known_on_1_october(self):
        assert judge(**self.rule, today=date(2025, 9, 30)).status == AT_RISK
        assert judge(**self.rule, today=date(2025, 10, 1)).missed_months == (9,)

    def test_leap_february_ends_on_the_29th(self):
        verdict = judge(**self.rule, year=2023, held=[date(2023, 9, 5)], today=date(2024, 2, 29))
        assert verdict.status == AT_RISK
        assert (
            judge(**self.rule, year=2023, held=[date(2023, 9, 5)], today=date(2024, 3, 1)).status
            == MISSED
        )


class TestYearlyMinimum:
    """CEE model art. 6: « a minima une fois par an »; clubs: « au moins deux fois par an »."""

    def test_not_met_during_the_year_is_at_risk_with_the_months_left(self):
        verdict = judge(minimum=2, held=[date(2025, 11, 3)], today=date(2026, 6, 15))
        assert verdict.status == AT_RISK
        assert verdict.months_left_count == 3
        assert "1 réunion tenue sur 2" in verdict.reasons[0]

    def test_missed_only_once_the_year_is_over(self):
        assert judge(minimum=2, held=[date(2025, 11, 3)], today=date(2026, 8, 31)).status == AT_RISK
        verdict = judge(minimum=2, held=[date(2025, 11, 3)], today=date(2026, 9, 1))
        assert verdict.status == MISSED
        assert verdict.months_left == ()

    def test_meetings_on_the_boundaries_count(self):
        held = [date(2025, 9, 1), date(2026, 8, 31)]
        assert judge(minimum=2, held=held, today=date(2026, 9, 1)).status == MET
        outside = [date(2025, 8, 31), date(2026, 9, 1)]
        assert judge(minimum=1, held=outside, today=date(2026, 9, 2)).status == MISSED

    def test_more_meetings_than_required_is_fine(self):
        held = [date(2025, 10, 1) + timedelta(days=30 * i) for i in range(5)]
        assert judge(minimum=1, held=held, today=date(2026, 9, 1)).status == MET

    def test_a_year_not_started(self):
        verdict = judge(minimum=1, today=date(2025, 8, 31))
        assert verdict.status == NOT_STARTED


class TestLilleStrategicCommittee:
    """« une fois par an en juin »."""

    def test_june_meeting(self):
        assert judge(months=(6,), held=[date(2026, 6, 25)], today=date(2026, 7, 1)).status == MET

    def test_a_meeting_in_may_does_not_replace_june(self):
        verdict = judge(months=(6,), held=[date(2026, 5, 28)], today=date(2026, 7, 1))
        assert verdict.status == MISSED and verdict.missed_months == (6,)


class TestPartialYear:
    def test_months_before_the_entry_into_force_are_not_owed(self):
        # Signed in November: September is waived, February still owed, no yearly minimum.
        verdict = judge(
            minimum=2,
            months=(9, 2),
            held=[date(2026, 2, 3)],
            today=date(2026, 9, 2),
            since=date(2025, 11, 15),
        )
        assert verdict.status == MET
        assert verdict.required == 0

    def test_a_month_cut_by_the_start_is_waived(self):
        verdict = judge(months=(11,), today=date(2026, 1, 1), since=date(2025, 11, 15))
        assert verdict.status == MET

    def test_months_after_the_end_are_not_owed(self):
        verdict = judge(
            months=(9, 6), held=[date(2025, 9, 8)], today=date(2026, 7, 1), until=date(2026, 3, 31)
        )
        assert verdict.status == MET


def test_each_verdict_has_its_badge():
    """The page's badge colour comes from the verdict, not from a string in the template."""
    assert judge(held=[date(2025, 10, 1)], today=date(2025, 11, 1)).badge == "fr-badge--success"
    assert judge(today=date(2025, 11, 1)).badge == "fr-badge--warning"
    assert judge(today=date(2026, 9, 2)).badge == "fr-badge--error"
    assert judge(today=date(2025, 8, 1)).badge == "fr-badge--info"
    assert judge(held=[date(2025, 10, 1)], today=date(2025, 11, 1)).is_met
