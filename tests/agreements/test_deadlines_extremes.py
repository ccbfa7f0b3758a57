"""The deadline engine over extreme inputs (hypothesis): any date from ``date.min`` to
``date.max`` for every date it takes, any duration, renewal, notice and delay.

Terms are either refused with the documented ``ValueError`` in French (never Python's own
``OverflowError`` nor « year 10000 is out of range »), or every function answers, whatever
day is asked, with ordered dates: a period starts before it ends, the notice deadline falls
within its period, the next renewal is the day after the end of the term, deadlines come in
date order within the window asked. No database.
"""

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relais.agreements.deadline_events import alerts_between, deadlines_between
from relais.agreements.deadlines import (
    ALERT_DAYS,
    HORIZON,
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
ENGLISH = re.compile(r"out of range|year \d+|must|invalid|overflow", re.IGNORECASE)

any_day = st.dates(min_value=date.min, max_value=date.max)
plausible_day = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
huge = st.integers(-(10**6), 10**9)
day = st.one_of(plausible_day, any_day)


@st.composite
def plausible_terms(draw) -> dict:
    """Terms a convention may have: plausible dates, durations up to 100 years."""
    tacit = draw(st.booleans())
    start = draw(plausible_day)
    arguments = {
        "start": start,
        "duration_months": draw(st.one_of(st.none(), st.integers(1, 1200))),
        "end_date": draw(st.one_of(st.none(), st.dates(start, date(2100, 12, 31)))),
        "tacit_renewal": tacit,
        "renewal_months": draw(st.one_of(st.none(), st.integers(1, 1200))) if tacit else None,
        "max_renewals": draw(st.one_of(st.none(), st.integers(0, 10))) if tacit else None,
        "notice_months": draw(st.integers(0, 12)),
        "notice_days": draw(st.integers(0, 31)),
        "termination_months": draw(st.integers(0, 1200)),
        "termination_days": draw(st.integers(0, 366)),
        "terminated_on": draw(st.one_of(st.none(), st.dates(start, date(2200, 12, 31)))),
    }
    return {k: v for k, v in arguments.items() if v is not None}


@st.composite
def extreme_terms(draw) -> dict:
    """Anything: every date from date.min to date.max, any count."""
    number = st.one_of(st.none(), st.integers(-3, 1300), huge)
    arguments = {
        "start": draw(day),
        "duration_months": draw(number),
        "end_date": draw(st.one_of(st.none(), day)),
        "tacit_renewal": draw(st.booleans()),
        "renewal_months": draw(number),
        "max_renewals": draw(number),
        "notice_months": draw(number),
        "notice_days": draw(number),
        "termination_months": draw(number),
        "termination_days": draw(number),
        "terminated_on": draw(st.one_of(st.none(), day)),
    }
    return {k: v for k, v in arguments.items() if v is not None}


TERMS = {"plausible": plausible_terms(), "extreme": extreme_terms()}
flavours = pytest.mark.parametrize("flavour", list(TERMS))


def build(arguments: dict) -> Terms | None:
    """The terms, or None when refused with the documented French error."""
    try:
        return Terms(**arguments)
    except ValueError as error:
        assert_french(error)
        return None


def assert_french(error: ValueError) -> None:
    message = str(error)
    assert type(error) is ValueError, repr(error)
    assert message and not ENGLISH.search(message), message


EXTREMES = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@flavours
@EXTREMES
@given(data=st.data(), on=day)
def test_any_terms_any_day_gives_ordered_dates_or_a_french_refusal(flavour, data, on):
    terms = build(data.draw(TERMS[flavour]))
    if terms is None:
        return
    status = status_on(terms, on=on)
    period = current_period(terms, on=on)
    end = end_of_term(terms, on=on)
    renewal = next_renewal(terms, on=on)
    notice = notice_deadline(terms, on=on)
    expiry = expiry_date(terms)
    assert (status is Status.IN_FORCE) == (period is not None)
    if period is not None:
        assert period.start <= min(on, HORIZON)
        assert period.end is None or period.start <= period.end
        assert end == period.end
    if end is not None:
        assert terms.start <= end
    if renewal is not None:
        assert end is not None and renewal == end + ONE_DAY
    if notice is not None:
        assert end is not None and notice <= end
        assert notice_in_time(terms, received_on=notice)
    if expiry is not None:
        assert terms.start <= expiry
        assert end is None or end <= expiry


@flavours
@EXTREMES
@given(data=st.data(), start=day, days=st.integers(0, 3 * 366))
def test_deadlines_and_alerts_of_a_window_are_ordered_and_inside_it(flavour, data, start, days):
    terms = build(data.draw(TERMS[flavour]))
    if terms is None:
        return
    end = min(start + timedelta(days=days), date.max) if start < date.max - ONE_DAY else start
    due = list(deadlines_between(terms, start=start, end=end))
    assert [d.due_on for d in due] == sorted(d.due_on for d in due)
    assert all(start <= d.due_on <= end for d in due)
    for deadline in due:
        assert deadline.period.start <= deadline.due_on
        assert deadline.period.end is None or deadline.due_on <= deadline.period.end + ONE_DAY
    alerts = alerts_between(terms, start=start, end=end, days_before=ALERT_DAYS)
    assert [a.send_on for a in alerts] == sorted(a.send_on for a in alerts)
    assert all(start <= a.send_on <= end and a.send_on <= a.deadline.due_on for a in alerts)


@flavours
@EXTREMES
@given(data=st.data(), received=day)
def test_termination_ends_within_the_convention_or_is_refused_in_french(flavour, data, received):
    terms = build(data.draw(TERMS[flavour]))
    if terms is None:
        return
    try:
        last = termination_effective_date(terms, notice_received_on=received)
    except ValueError as error:
        assert_french(error)
        return
    assert terms.start <= received <= last
    ended = terminate(terms, notice_received_on=received)
    assert expiry_date(ended) == last
    assert status_on(ended, on=last) is Status.IN_FORCE
    if last < date.max:
        assert status_on(ended, on=last + ONE_DAY) in (Status.TERMINATED, Status.EXPIRED)


@flavours
@EXTREMES
@given(data=st.data(), until=day)
def test_periods_follow_each_other_without_gap(flavour, data, until):
    terms = build(data.draw(TERMS[flavour]))
    if terms is None:
        return
    until = min(until, terms.start + timedelta(days=50 * 366))  # a bounded walk
    previous = None
    for period in periods(terms, until=until):
        assert period.start <= until
        assert period.end is None or period.start <= period.end
        if previous is not None:
            assert period.index == previous.index + 1
            assert period.start == previous.end + ONE_DAY
        previous = period


@EXTREMES
@given(start=any_day, months=st.integers(-(10**7), 10**7), days=st.integers(-(10**8), 10**8))
def test_calendar_helpers_never_overflow_silently(start, months, days):
    for compute in (
        lambda: anniversary(start, months),
        lambda: delay_expiry(start, months=months, days=days),
    ):
        try:
            compute()
        except ValueError as error:
            assert_french(error)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"start": date(9999, 6, 1), "duration_months": 36}, "comprise entre le 01/01/1990"),
        ({"start": date(218, 1, 22), "duration_months": 36}, "\\(22/01/0218\\)"),
        ({"start": date(2024, 1, 1), "end_date": date(2101, 1, 1)}, "La date de fin"),
        ({"start": date(2024, 1, 1), "duration_months": 1201}, "dépasser 1200 mois"),
        (
            {
                "start": date(2024, 1, 1),
                "duration_months": 36,
                "tacit_renewal": True,
                "max_renewals": 34,
            },
            "reconductions cumulées \\(34 × 36 mois\\)",
        ),  # fmt: skip
        ({"start": date(2024, 1, 1), "termination_days": 10**6}, "dépasser 36525 jours"),
    ],
)
def test_out_of_range_terms_are_refused_in_french(arguments, message):
    with pytest.raises(ValueError, match=message):
        Terms(**arguments)


def test_a_day_asked_beyond_the_horizon_is_read_as_the_horizon():
    terms = Terms(start=date(2024, 3, 1), duration_months=1, tacit_renewal=True)
    assert current_period(terms, on=date.max) == current_period(terms, on=HORIZON)
    assert status_on(terms, on=date.max) is Status.IN_FORCE
    assert notice_deadline(terms, on=date(9999, 12, 31)) == notice_deadline(terms, on=HORIZON)
    assert list(deadlines_between(terms, start=date(9500, 1, 1), end=date.max)) == []
    with pytest.raises(ValueError, match="au plus tard du 31/12/2100"):
        termination_effective_date(terms, notice_received_on=date(9999, 12, 31))
    with pytest.raises(ValueError, match="comprise entre"):
        replace(terms, start=date(10, 1, 1))
