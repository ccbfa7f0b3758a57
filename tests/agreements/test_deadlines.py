"""Deadline module: month ends, 29 February, long renewal chains, notices, terminations.

Plain pytest, no database. The brute-force tests at the end compare the module with
day-by-day reference computations that use neither ``relativedelta`` nor the module.
"""

import calendar
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from relais.agreements.deadline_events import (
    Alert,
    DeadlineKind,
    alerts_between,
    deadlines_between,
)
from relais.agreements.deadlines import (
    Period,
    Status,
    Terms,
    anniversary,
    current_period,
    delay_expiry,
    end_of_term,
    expiry_date,
    next_renewal,
    notice_deadline,
    notice_in_time,
    periods,
    status_on,
    terminate,
    termination_effective_date,
)

ONE_DAY = timedelta(days=1)
FAR = date(2100, 1, 1)


def d(iso: str) -> date:
    return date.fromisoformat(iso)


def spans(terms: Terms, until: date = FAR) -> list[tuple[int, date, date | None]]:
    return [tuple(p) for p in periods(terms, until=until)]


# The seeds. Lille and CPME signature dates are not legible in the texts: plausible ones.
LILLE = Terms(
    start=d("2016-03-31"),
    duration_years=5,
    tacit_renewal=True,
    notice_months=3,
    termination_months=2,
)
CPME = Terms(start=d("2018-05-22"), duration_years=3, notice_months=3, termination_months=3)
CEE = Terms(start=d("2024-02-29"), duration_years=3, termination_months=6)


# --- end of the initial term: last day in force, month ends, 29 February -----------------


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        ("2024-03-01", 36, "2027-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-03-31", 3, "2024-06-30"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-01-30", 1, "2024-02-29"),
        ("2023-01-29", 1, "2023-02-28"),
        ("2024-01-01", 12, "2024-12-31"),
        ("2024-04-30", 1, "2024-05-29"),
        ("2024-05-31", 1, "2024-06-30"),
        ("2024-08-31", 6, "2025-02-28"),
        ("2027-08-31", 6, "2028-02-29"),
        ("2024-12-31", 2, "2025-02-28"),
        ("2028-02-29", 12, "2029-02-28"),
        ("2028-02-29", 48, "2032-02-28"),
        ("2025-03-01", 36, "2028-02-29"),
        ("2024-09-01", 12, "2025-08-31"),
    ],
)
def test_end_is_the_last_day_in_force(start, months, end):
    terms = Terms(start=d(start), duration_months=months)
    assert spans(terms) == [(0, d(start), d(end))]
    assert end_of_term(terms, on=d(start)) == d(end)
    assert status_on(terms, on=d(end)) is Status.IN_FORCE
    assert status_on(terms, on=d(end) + ONE_DAY) is Status.EXPIRED


def test_years_are_normalised_to_months():
    assert Terms(start=d("2024-01-01"), duration_years=3) == Terms(
        start=d("2024-01-01"), duration_months=36
    )
    mixed = Terms(start=d("2024-01-01"), duration_years=1, duration_months=6)
    assert mixed.duration_months == 18
    assert end_of_term(mixed, on=d("2024-01-01")) == d("2025-06-30")
    yearly = Terms(start=d("2024-01-01"), duration_months=6, tacit_renewal=True, renewal_years=1)
    assert yearly.renewal_months == 12


def test_anniversary_goes_to_the_first_of_the_next_month_when_the_day_is_missing():
    assert anniversary(d("2024-01-31"), 1) == d("2024-03-01")
    assert anniversary(d("2024-01-31"), 2) == d("2024-03-31")
    assert anniversary(d("2024-02-29"), 12) == d("2025-03-01")
    assert anniversary(d("2024-02-29"), 48) == d("2028-02-29")
    assert anniversary(d("2024-05-15"), 0) == d("2024-05-15")


# --- renewals: no drift over long chains ---------------------------------------------------


def test_monthly_periods_from_31_january_never_drift():
    terms = Terms(start=d("2024-01-31"), duration_months=1, tacit_renewal=True)
    assert spans(terms, until=d("2024-06-01"))[:5] == [
        (0, d("2024-01-31"), d("2024-02-29")),
        (1, d("2024-03-01"), d("2024-03-30")),
        (2, d("2024-03-31"), d("2024-04-30")),
        (3, d("2024-05-01"), d("2024-05-30")),
        (4, d("2024-05-31"), d("2024-06-30")),
    ]
    for period in periods(terms, until=d("2040-01-01")):
        assert period.start.day == 31 or period.start.day == 1
        if period.start.day == 1:  # the previous month has no 31st
            previous = period.start - ONE_DAY
            assert previous.day < 31


def test_yearly_renewals_from_31_january_2010_over_15_years():
    terms = Terms(start=d("2010-01-31"), duration_years=1, tacit_renewal=True, notice_months=3)
    chain = spans(terms, until=d("2025-01-31"))
    assert len(chain) == 16
    for index, start, end in chain:
        assert start == date(2010 + index, 1, 31)
        assert end == date(2011 + index, 1, 30)
    assert current_period(terms, on=d("2024-06-15")) == (14, d("2024-01-31"), d("2025-01-30"))
    assert next_renewal(terms, on=d("2024-06-15")) == d("2025-01-31")
    assert notice_deadline(terms, on=d("2024-06-15")) == d("2024-10-30")


def test_yearly_renewals_from_29_february_over_15_years():
    terms = Terms(start=d("2012-02-29"), duration_years=1, tacit_renewal=True)
    chain = spans(terms, until=d("2027-12-31"))
    assert len(chain) == 16
    for index, start, end in chain:
        year = 2012 + index
        assert start == (date(year, 2, 29) if calendar.isleap(year) else date(year, 3, 1))
        assert end == date(year + 1, 2, 28)
    assert chain[4] == (4, d("2016-02-29"), d("2017-02-28"))


def test_lille_five_year_renewals_over_15_years_and_more():
    chain = spans(LILLE, until=d("2036-12-31"))
    assert chain == [
        (0, d("2016-03-31"), d("2021-03-30")),
        (1, d("2021-03-31"), d("2026-03-30")),
        (2, d("2026-03-31"), d("2031-03-30")),
        (3, d("2031-03-31"), d("2036-03-30")),
        (4, d("2036-03-31"), d("2041-03-30")),
    ]
    assert expiry_date(LILLE) is None
    assert notice_deadline(LILLE, on=d("2025-01-01")) == d("2025-12-30")
    assert notice_deadline(LILLE, on=d("2026-03-31")) == d("2030-12-30")


def test_three_year_renewals_from_29_february_2024():
    terms = replace(CEE, tacit_renewal=True)
    ends = [end for _, _, end in spans(terms, until=d("2040-01-01"))]
    assert ends[:6] == [
        d("2027-02-28"),
        d("2030-02-28"),
        d("2033-02-28"),
        d("2036-02-28"),
        d("2039-02-28"),
        d("2042-02-28"),
    ]
    assert spans(terms, until=d("2036-03-01"))[-1][1] == d("2036-02-29")


def test_renewal_length_differs_from_the_initial_term():
    terms = Terms(start=d("2024-01-31"), duration_months=3, tacit_renewal=True, renewal_months=12)
    assert spans(terms, until=d("2026-06-01")) == [
        (0, d("2024-01-31"), d("2024-04-30")),
        (1, d("2024-05-01"), d("2025-04-30")),
        (2, d("2025-05-01"), d("2026-04-30")),
        (3, d("2026-05-01"), d("2027-04-30")),
    ]


def test_current_period_on_boundaries_and_far_in_the_future():
    terms = Terms(start=d("2024-03-01"), duration_years=3, tacit_renewal=True)
    assert current_period(terms, on=d("2024-02-29")) is None
    assert current_period(terms, on=d("2024-03-01")).index == 0
    assert current_period(terms, on=d("2027-02-28")).index == 0
    assert current_period(terms, on=d("2027-03-01")) == (1, d("2027-03-01"), d("2030-02-28"))
    far = current_period(terms, on=d("2523-03-01"))
    assert far.covers(d("2523-03-01"))
    assert far.start == anniversary(d("2024-03-01"), 36 * far.index)


# --- limited renewals, no renewal, open-ended ----------------------------------------------


def test_renewable_twice():
    terms = Terms(
        start=d("2024-09-01"),
        duration_years=1,
        tacit_renewal=True,
        max_renewals=2,
        notice_months=2,
    )
    assert spans(terms) == [
        (0, d("2024-09-01"), d("2025-08-31")),
        (1, d("2025-09-01"), d("2026-08-31")),
        (2, d("2026-09-01"), d("2027-08-31")),
    ]
    assert expiry_date(terms) == d("2027-08-31")
    assert next_renewal(terms, on=d("2025-01-01")) == d("2025-09-01")
    assert next_renewal(terms, on=d("2026-01-01")) == d("2026-09-01")
    assert next_renewal(terms, on=d("2027-01-01")) is None
    assert notice_deadline(terms, on=d("2026-01-01")) == d("2026-06-30")
    # The last period ends anyway, but the 2 months' notice of non-renewal still applies.
    assert notice_deadline(terms, on=d("2027-01-01")) == d("2027-06-30")
    assert end_of_term(terms, on=d("2027-08-31")) == d("2027-08-31")
    assert status_on(terms, on=d("2027-09-01")) is Status.EXPIRED
    assert current_period(terms, on=d("2027-09-01")) is None
    assert end_of_term(terms, on=d("2027-09-01")) is None


def test_zero_renewals_allowed_is_a_single_term():
    terms = Terms(start=d("2024-09-01"), duration_years=1, tacit_renewal=True, max_renewals=0)
    assert spans(terms) == [(0, d("2024-09-01"), d("2025-08-31"))]
    assert next_renewal(terms, on=d("2025-01-01")) is None


def test_convention_without_renewal():
    assert spans(CPME) == [(0, d("2018-05-22"), d("2021-05-21"))]
    assert expiry_date(CPME) == d("2021-05-21")
    assert next_renewal(CPME, on=d("2020-01-01")) is None
    # « ne pas reconduire la convention … sous réserve d'un préavis de trois mois »
    assert notice_deadline(CPME, on=d("2020-01-01")) == d("2021-02-21")
    assert status_on(CPME, on=d("2018-05-21")) is Status.NOT_YET_IN_FORCE
    assert status_on(CPME, on=d("2018-05-22")) is Status.IN_FORCE
    assert status_on(CPME, on=d("2021-05-21")) is Status.IN_FORCE
    assert status_on(CPME, on=d("2021-05-22")) is Status.EXPIRED
    notice, event = deadlines_between(CPME, start=d("2018-01-01"), end=d("2030-01-01"))
    assert (notice.kind, notice.due_on, notice.final) == (
        DeadlineKind.NOTICE,
        d("2021-02-21"),
        True,
    )
    assert notice.label == "Dernier jour pour notifier la non-reconduction (préavis)"
    assert (event.kind, event.due_on, event.period, event.final) == (
        DeadlineKind.END_OF_TERM,
        d("2021-05-21"),
        (0, d("2018-05-22"), d("2021-05-21")),
        True,
    )


def test_before_the_start_the_initial_term_is_the_reference():
    assert current_period(CPME, on=d("2018-01-01")) is None
    assert end_of_term(CPME, on=d("2018-01-01")) == d("2021-05-21")
    assert next_renewal(LILLE, on=d("2015-01-01")) == d("2021-03-31")
    assert notice_deadline(LILLE, on=d("2015-01-01")) == d("2020-12-30")


def test_open_ended_convention_only_ends_by_termination():
    terms = Terms(start=d("2024-03-31"), termination_months=2)
    assert terms.is_open_ended
    assert spans(terms) == [(0, d("2024-03-31"), None)]
    assert current_period(terms, on=d("2099-12-31")) == (0, d("2024-03-31"), None)
    assert end_of_term(terms, on=d("2030-01-01")) is None
    assert next_renewal(terms, on=d("2030-01-01")) is None
    assert notice_deadline(terms, on=d("2030-01-01")) is None
    assert expiry_date(terms) is None
    assert status_on(terms, on=d("2099-12-31")) is Status.IN_FORCE
    assert list(deadlines_between(terms, start=d("2024-01-01"), end=d("2099-01-01"))) == []
    assert termination_effective_date(terms, notice_received_on=d("2030-12-31")) == d("2031-02-28")
    ended = terminate(terms, notice_received_on=d("2030-12-31"))
    assert spans(ended) == [(0, d("2024-03-31"), d("2031-02-28"))]
    assert status_on(ended, on=d("2031-03-01")) is Status.TERMINATED
    [event] = deadlines_between(ended, start=d("2024-01-01"), end=d("2099-01-01"))
    assert (event.kind, event.due_on, event.final) == (
        DeadlineKind.END_OF_TERM,
        d("2031-02-28"),
        True,
    )
    assert event.label == "Fin de la convention"


# --- notice deadlines ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "notice", "deadline"),
    [
        ("2024-03-01", 36, (3, 0), "2026-11-30"),  # end 2027-02-28
        ("2024-01-01", 12, (3, 0), "2024-09-30"),  # end 2024-12-31
        ("2024-07-01", 12, (6, 0), "2024-12-31"),  # end 2025-06-30
        ("2024-03-01", 12, (1, 0), "2025-01-31"),  # end 2025-02-28: 31 Jan + 1 month fits
        ("2023-03-01", 12, (1, 0), "2024-01-31"),  # end 2024-02-29
        ("2024-04-01", 12, (1, 0), "2025-02-28"),  # end 2025-03-31: 1 Mar + 1 month is 1 Apr
        ("2024-03-01", 36, (0, 15), "2027-02-13"),
        ("2024-03-01", 36, (1, 15), "2027-01-13"),
        ("2024-03-01", 36, (0, 0), "2027-02-28"),
        ("2024-04-01", 12, (2, 0), "2025-01-31"),  # end 2025-03-31
    ],
)
def test_notice_deadline(start, months, notice, deadline):
    terms = Terms(
        start=d(start),
        duration_months=months,
        tacit_renewal=True,
        notice_months=notice[0],
        notice_days=notice[1],
    )
    end = end_of_term(terms, on=d(start))
    last = notice_deadline(terms, on=d(start))
    assert last == d(deadline)
    assert delay_expiry(last, months=notice[0], days=notice[1]) <= end
    assert delay_expiry(last + ONE_DAY, months=notice[0], days=notice[1]) > end


def test_notice_received_the_day_before_on_and_after_the_deadline():
    terms = Terms(start=d("2024-03-01"), duration_years=3, tacit_renewal=True, notice_months=3)
    deadline = d("2026-11-30")
    for day in (deadline - ONE_DAY, deadline, deadline + ONE_DAY):
        assert notice_deadline(terms, on=day) == deadline
    assert notice_in_time(terms, received_on=deadline - ONE_DAY)
    assert notice_in_time(terms, received_on=deadline)
    assert not notice_in_time(terms, received_on=deadline + ONE_DAY)
    assert not notice_in_time(terms, received_on=d("2027-02-28"))
    # On the first day of the renewed period the next deadline applies.
    assert notice_deadline(terms, on=d("2027-02-28")) == deadline
    assert notice_deadline(terms, on=d("2027-03-01")) == d("2029-11-30")
    assert notice_in_time(terms, received_on=d("2027-03-01"))


def test_notice_that_fills_the_period_is_due_on_its_first_day():
    terms = Terms(
        start=d("2024-01-01"),
        duration_months=2,
        tacit_renewal=True,
        notice_months=1,
        notice_days=27,
    )
    for period in periods(terms, until=d("2430-01-01")):
        deadline = notice_deadline(terms, on=period.start)
        assert period.start <= deadline <= period.end
    assert notice_deadline(terms, on=d("2025-01-01")) == d("2025-01-01")  # 1 Jan–28 Feb


def test_notice_deadline_without_tacit_renewal():
    """Issue 13: the CPME text asks for 3 months' notice of non-renewal without tacit
    renewal; without a notice clause (CEE model) there is no notice deadline."""
    assert notice_deadline(CPME, on=d("2019-01-01")) == d("2021-02-21")
    assert notice_in_time(CPME, received_on=d("2019-01-01"))
    assert not notice_in_time(CPME, received_on=d("2021-02-22"))
    assert notice_deadline(CEE, on=d("2025-01-01")) is None
    assert (
        notice_deadline(terminate(CPME, notice_received_on=d("2019-01-01")), on=d("2019-01-02"))
        is None
    )


def test_non_renewal_ends_at_the_end_of_the_period():
    from relais.agreements.deadlines import non_renewal_end

    # Lille: in time → end of the initial term; late → the renewal happens, end of the next.
    assert non_renewal_end(LILLE, notified_on=d("2020-12-30")) == d("2021-03-30")
    assert non_renewal_end(LILLE, notified_on=d("2020-12-31")) == d("2026-03-30")
    assert non_renewal_end(CPME, notified_on=d("2019-01-01")) == d("2021-05-21")
    with pytest.raises(ValueError, match="pas en vigueur le 01/01/2016"):
        non_renewal_end(LILLE, notified_on=d("2016-01-01"))


# --- termination --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("terms", "received", "last_day"),
    [
        (CEE, "2025-01-15", "2025-07-15"),
        (CEE, "2024-08-31", "2025-02-28"),
        (CEE, "2024-08-29", "2025-02-28"),
        (CEE, "2025-08-31", "2026-02-28"),
        (CEE, "2026-03-31", "2026-09-30"),
        (CEE, "2024-02-29", "2024-08-29"),
        (LILLE, "2024-03-31", "2024-05-31"),
        (LILLE, "2023-12-31", "2024-02-29"),
        (LILLE, "2024-12-31", "2025-02-28"),
        (LILLE, "2024-01-15", "2024-03-15"),
        (LILLE, "2026-03-30", "2026-05-30"),  # into the renewed period
        (CPME, "2019-11-30", "2020-02-29"),
    ],
)
def test_termination_effective_date(terms, received, last_day):
    last = termination_effective_date(terms, notice_received_on=d(received))
    assert last == d(last_day)
    ended = terminate(terms, notice_received_on=d(received))
    assert ended.terminated_on == last
    assert status_on(ended, on=last) is Status.IN_FORCE
    assert status_on(ended, on=last + ONE_DAY) is Status.TERMINATED
    assert end_of_term(ended, on=last) == last
    assert next_renewal(ended, on=last) is None
    assert expiry_date(ended) == last


def test_termination_in_days():
    terms = Terms(start=d("2024-01-01"), termination_days=30)
    assert termination_effective_date(terms, notice_received_on=d("2024-02-15")) == d("2024-03-16")
    immediate = Terms(start=d("2024-01-01"))
    assert termination_effective_date(immediate, notice_received_on=d("2024-02-15")) == d(
        "2024-02-15"
    )


def test_termination_cannot_outlast_the_natural_expiry():
    # CEE model, 3 years fixed: a notice received 2 months before the end changes nothing.
    assert termination_effective_date(CEE, notice_received_on=d("2026-12-28")) == d("2027-02-28")
    ended = terminate(CEE, notice_received_on=d("2026-12-28"))
    assert status_on(ended, on=d("2027-03-01")) is Status.TERMINATED


def test_termination_cuts_the_renewals():
    ended = terminate(LILLE, notice_received_on=d("2025-12-15"))
    assert ended.terminated_on == d("2026-02-15")
    assert spans(ended) == [
        (0, d("2016-03-31"), d("2021-03-30")),
        (1, d("2021-03-31"), d("2026-02-15")),
    ]
    events = list(deadlines_between(ended, start=d("2025-06-01"), end=d("2030-01-01")))
    assert [(e.kind, e.due_on, e.final) for e in events] == [
        (DeadlineKind.END_OF_TERM, d("2026-02-15"), True)
    ]


@pytest.mark.parametrize(
    ("received", "message"),
    [
        ("2024-02-28", "antérieur à la prise d'effet"),
        ("2027-03-01", "plus en vigueur"),
    ],
)
def test_termination_outside_the_convention_is_refused(received, message):
    with pytest.raises(ValueError, match=message):
        termination_effective_date(CEE, notice_received_on=d(received))


def test_a_terminated_convention_cannot_be_terminated_again_after_its_end():
    ended = terminate(CEE, notice_received_on=d("2025-01-15"))
    assert termination_effective_date(ended, notice_received_on=d("2025-03-01")) == d("2025-07-15")
    with pytest.raises(ValueError, match="plus en vigueur"):
        terminate(ended, notice_received_on=d("2025-07-16"))


# --- fixed end dates ----------------------------------------------------------------------


def test_fixed_end_date_without_renewal():
    terms = Terms(start=d("2024-10-15"), end_date=d("2025-08-31"))
    assert spans(terms) == [(0, d("2024-10-15"), d("2025-08-31"))]
    assert expiry_date(terms) == d("2025-08-31")
    assert status_on(terms, on=d("2025-09-01")) is Status.EXPIRED


def test_fixed_end_date_with_yearly_renewals_anchored_on_the_day_after():
    terms = Terms(
        start=d("2024-10-15"),
        end_date=d("2025-08-31"),
        tacit_renewal=True,
        renewal_years=1,
        notice_months=3,
    )
    assert spans(terms, until=d("2027-12-31")) == [
        (0, d("2024-10-15"), d("2025-08-31")),
        (1, d("2025-09-01"), d("2026-08-31")),
        (2, d("2026-09-01"), d("2027-08-31")),
        (3, d("2027-09-01"), d("2028-08-31")),
    ]
    assert notice_deadline(terms, on=d("2024-12-01")) == d("2025-05-31")


def test_fixed_end_date_overrides_the_duration_which_sets_the_renewals():
    terms = Terms(
        start=d("2024-03-01"), duration_years=3, end_date=d("2026-08-31"), tacit_renewal=True
    )
    assert spans(terms, until=d("2029-09-01")) == [
        (0, d("2024-03-01"), d("2026-08-31")),
        (1, d("2026-09-01"), d("2029-08-31")),
        (2, d("2029-09-01"), d("2032-08-31")),
    ]


def test_fixed_end_date_on_31_january_with_monthly_renewals():
    terms = Terms(
        start=d("2024-01-01"), end_date=d("2024-01-30"), tacit_renewal=True, renewal_months=1
    )
    assert spans(terms, until=d("2024-04-01")) == [
        (0, d("2024-01-01"), d("2024-01-30")),
        (1, d("2024-01-31"), d("2024-02-29")),
        (2, d("2024-03-01"), d("2024-03-30")),
        (3, d("2024-03-31"), d("2024-04-30")),
    ]


def test_one_day_convention():
    terms = Terms(start=d("2024-06-01"), end_date=d("2024-06-01"))
    assert spans(terms) == [(0, d("2024-06-01"), d("2024-06-01"))]
    assert status_on(terms, on=d("2024-06-02")) is Status.EXPIRED


# --- deadline events and alerts -----------------------------------------------------------


def test_deadlines_between_lists_renewals_notices_and_ends_in_order():
    events = list(deadlines_between(LILLE, start=d("2020-12-30"), end=d("2026-03-31")))
    assert [(e.kind, e.due_on, e.period.index, e.final) for e in events] == [
        (DeadlineKind.NOTICE, d("2020-12-30"), 0, False),
        (DeadlineKind.END_OF_TERM, d("2021-03-30"), 0, False),
        (DeadlineKind.RENEWAL, d("2021-03-31"), 1, False),
        (DeadlineKind.NOTICE, d("2025-12-30"), 1, False),
        (DeadlineKind.END_OF_TERM, d("2026-03-30"), 1, False),
        (DeadlineKind.RENEWAL, d("2026-03-31"), 2, False),
    ]
    assert [e.label for e in events[:3]] == [
        "Dernier jour pour dénoncer la convention (non-reconduction)",
        "Fin de la période en cours",
        "Reconduction tacite n° 1",
    ]
    # Both bounds are included, and a window strictly inside a period may be empty.
    assert list(deadlines_between(LILLE, start=d("2020-12-31"), end=d("2021-03-29"))) == []
    [only] = deadlines_between(LILLE, start=d("2021-03-31"), end=d("2021-03-31"))
    assert only.kind is DeadlineKind.RENEWAL


def test_deadlines_between_limited_renewals_ends_with_a_final_end():
    terms = Terms(
        start=d("2024-01-31"),
        duration_months=1,
        tacit_renewal=True,
        max_renewals=1,
        notice_days=10,
    )
    events = list(deadlines_between(terms, start=d("2000-01-01"), end=d("2100-01-01")))
    assert [(e.kind, e.due_on, e.final) for e in events] == [
        (DeadlineKind.NOTICE, d("2024-02-19"), False),
        (DeadlineKind.END_OF_TERM, d("2024-02-29"), False),
        (DeadlineKind.RENEWAL, d("2024-03-01"), False),
        (DeadlineKind.NOTICE, d("2024-03-20"), True),  # notice of non-renewal, issue 13
        (DeadlineKind.END_OF_TERM, d("2024-03-30"), True),
    ]
    assert events[-1].label == "Fin de la convention"


def test_deadlines_between_rejects_an_inverted_range():
    with pytest.raises(ValueError, match="postérieur à sa fin"):
        list(deadlines_between(LILLE, start=d("2025-01-02"), end=d("2025-01-01")))


def test_alerts_90_30_and_7_days_before_each_deadline():
    alerts = alerts_between(LILLE, start=d("2025-01-01"), end=d("2026-12-31"))
    assert [(a.send_on, a.days_before, a.deadline.kind) for a in alerts] == [
        (d("2025-10-01"), 90, DeadlineKind.NOTICE),
        (d("2025-11-30"), 30, DeadlineKind.NOTICE),
        (d("2025-12-23"), 7, DeadlineKind.NOTICE),
        (d("2025-12-31"), 90, DeadlineKind.RENEWAL),
        (d("2026-03-01"), 30, DeadlineKind.RENEWAL),
        (d("2026-03-24"), 7, DeadlineKind.RENEWAL),
    ]
    assert all(isinstance(a, Alert) for a in alerts)


def test_alerts_of_a_single_day_and_of_the_final_end():
    assert [
        (a.days_before, a.deadline.kind)
        for a in alerts_between(CPME, start=d("2021-05-14"), end=d("2021-05-14"))
    ] == [(7, DeadlineKind.END_OF_TERM)]
    assert alerts_between(CPME, start=d("2021-05-15"), end=d("2021-05-20")) == []
    assert alerts_between(CPME, start=d("2021-01-01"), end=d("2021-12-31"), days_before=()) == []
    with pytest.raises(ValueError, match="délais d'alerte"):
        alerts_between(CPME, start=d("2021-01-01"), end=d("2021-12-31"), days_before=(-1,))


def test_status_labels_are_french():
    assert Status.IN_FORCE.label == "En vigueur"
    assert Status.IN_FORCE == "en_vigueur"
    assert {s.label for s in Status} == {
        "Pas encore en vigueur",
        "En vigueur",
        "Expirée",
        "Résiliée",
    }


def test_period_helpers():
    period = Period(1, d("2024-03-01"), d("2024-03-31"))
    assert period.is_renewal
    assert period.covers(d("2024-03-31"))
    assert not period.covers(d("2024-04-01"))
    assert Period(0, d("2024-03-01"), None).covers(d("2999-01-01"))


# --- validation ---------------------------------------------------------------------------


START = d("2024-03-01")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"start": None}, "date de prise d'effet est obligatoire"),
        ({"start": datetime(2024, 3, 1, 12, 0)}, "date de prise d'effet doit être une date"),
        ({"start": "2024-03-01"}, "date de prise d'effet doit être une date"),
        ({"duration_months": -3}, "La durée doit être positive"),
        ({"duration_months": 0}, "La durée doit être positive"),
        ({"duration_years": -1}, "La durée doit être positive"),
        ({"duration_years": 1, "duration_months": -13}, "La durée doit être positive"),
        ({"duration_months": 1.5}, "La durée doit être un nombre entier"),
        ({"duration_months": True}, "La durée doit être un nombre entier"),
        ({"end_date": d("2024-02-29")}, "La date de fin \\(29/02/2024\\) précède"),
        ({"end_date": datetime(2025, 1, 1)}, "La date de fin doit être une date"),
        ({"tacit_renewal": True}, "durée indéterminée ne peut pas être reconduite"),
        (
            {"tacit_renewal": True, "end_date": d("2025-02-28")},
            "exige une durée de reconduction",
        ),
        (
            {"duration_years": 1, "tacit_renewal": True, "renewal_months": 0},
            "La durée de reconduction doit être positive",
        ),
        ({"duration_years": 1, "renewal_months": 12}, "n'est pas reconduite tacitement"),
        ({"duration_years": 1, "max_renewals": 2}, "n'est pas reconduite tacitement"),
        (
            {"duration_years": 1, "tacit_renewal": True, "max_renewals": -1},
            "nombre maximal de reconductions ne peut pas être négatif",
        ),
        ({"duration_years": 1, "notice_months": -1}, "préavis de non-reconduction ne peut pas"),
        ({"duration_years": 1, "notice_days": -5}, "préavis de non-reconduction ne peut pas"),
        ({"duration_years": 1, "notice_days": 2.5}, "préavis de non-reconduction doit être"),
        ({"termination_months": -2}, "délai de résiliation ne peut pas être négatif"),
        ({"termination_days": -1}, "délai de résiliation ne peut pas être négatif"),
        (
            {"duration_months": 3, "tacit_renewal": True, "notice_months": 6},
            "préavis de non-reconduction \\(6 mois\\) est plus long que la période initiale",
        ),
        (
            {"duration_months": 3, "tacit_renewal": True, "notice_months": 3},
            "plus long que la période initiale",
        ),
        (
            {"duration_months": 1, "tacit_renewal": True, "notice_days": 31},
            "\\(31 jours\\) est plus long que la période initiale",
        ),
        (
            {
                "duration_years": 1,
                "tacit_renewal": True,
                "renewal_months": 2,
                "notice_months": 3,
            },
            "plus long que la durée de reconduction \\(2 mois\\)",
        ),
        (
            {
                "duration_years": 1,
                "tacit_renewal": True,
                "renewal_months": 2,
                "notice_months": 1,
                "notice_days": 28,
            },
            "plus long que la durée de reconduction",
        ),
        (
            {
                "end_date": d("2024-04-15"),
                "tacit_renewal": True,
                "renewal_years": 1,
                "notice_months": 2,
            },
            "plus long que la période initiale \\(du 01/03/2024 au 15/04/2024\\)",
        ),
        ({"terminated_on": d("2024-02-01")}, "fin anticipée \\(01/02/2024\\) précède"),
        (
            {"duration_years": 1, "terminated_on": d("2025-03-01")},
            "fin anticipée \\(01/03/2025\\) est postérieure à la fin de la convention",
        ),
    ],
)
def test_inconsistent_terms_are_rejected_in_french(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Terms(**{"start": START, **kwargs})


@pytest.mark.parametrize(
    "kwargs",
    [
        # The notice only matters where a renewal follows.
        {"duration_months": 3, "notice_months": 6},
        {"duration_months": 3, "tacit_renewal": True, "max_renewals": 0, "notice_months": 6},
        {
            "duration_years": 1,
            "tacit_renewal": True,
            "renewal_months": 2,
            "max_renewals": 1,
            "notice_months": 6,
        },
        # The longest notice that still leaves a day in every period.
        {"duration_months": 12, "tacit_renewal": True, "notice_months": 11},
        {"duration_months": 1, "tacit_renewal": True, "notice_days": 27},
        {"duration_months": 2, "tacit_renewal": True, "notice_months": 1, "notice_days": 27},
        {"termination_months": 6},
    ],
)
def test_consistent_terms_are_accepted(kwargs):
    Terms(**{"start": START, **kwargs})


def test_validation_also_applies_to_replace():
    with pytest.raises(ValueError, match="La durée doit être positive"):
        replace(CPME, duration_months=-1)


# --- brute force against day-by-day references --------------------------------------------


def months_elapsed(start: date, day: date) -> int:
    """Whole calendar months from ``start`` (in force) to ``day``, counted on the calendar."""
    months = (day.year - start.year) * 12 + day.month - start.month
    return months - (day.day < start.day)


def reference_boundaries(start: date, targets: list[int]) -> list[date]:
    """First day, walking one day at a time, on which each number of months has elapsed."""
    found, day = [], start
    for target in targets:
        while months_elapsed(start, day) < target:
            day += ONE_DAY
        found.append(day)
    return found


def reference_expiry(day: date, months: int, days: int = 0) -> date:
    """Art. 641 CPC with the calendar module: same quantième, or the month's last day."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last)) + timedelta(days=days)


def every_day(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


@pytest.mark.parametrize("year", [2023, 2024, 2025])
@pytest.mark.parametrize(("initial", "renewal", "renewals"), [(1, 1, 14), (3, 12, 3), (36, 36, 1)])
def test_periods_match_a_day_by_day_reference(year, initial, renewal, renewals):
    for start in every_day(year):
        terms = Terms(
            start=start,
            duration_months=initial,
            tacit_renewal=True,
            renewal_months=renewal,
            max_renewals=renewals,
        )
        targets = [initial + k * renewal for k in range(renewals + 1)]
        outs = reference_boundaries(start, targets)
        expected = [
            (k, start if k == 0 else outs[k - 1], outs[k] - ONE_DAY) for k in range(len(outs))
        ]
        assert spans(terms) == expected, start
        for k, first, last in expected:
            assert current_period(terms, on=first).index == k
            assert current_period(terms, on=last).index == k


@pytest.mark.parametrize("year", [2023, 2024, 2025])
@pytest.mark.parametrize("notice", [(3, 0), (6, 0), (1, 15), (0, 45)])
def test_notice_deadlines_match_a_backward_scan(year, notice):
    months, days = notice
    for start in every_day(year):
        terms = Terms(
            start=start,
            duration_years=1,
            tacit_renewal=True,
            notice_months=months,
            notice_days=days,
        )
        for period in list(periods(terms, until=start + timedelta(days=800))):
            expected = period.end
            while reference_expiry(expected, months, days) > period.end:
                expected -= ONE_DAY
            assert notice_deadline(terms, on=period.start) == expected, (start, period)


@pytest.mark.parametrize("delay", [2, 6, 3])
def test_termination_dates_match_the_calendar_reference(delay):
    terms = Terms(start=d("2023-01-01"), termination_months=delay)
    for day in every_day(2023) + every_day(2024) + every_day(2025):
        assert termination_effective_date(terms, notice_received_on=day) == reference_expiry(
            day, delay
        )
