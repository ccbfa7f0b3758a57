"""The one rule of reserved places (``relais.matching.reservations``)."""

import datetime

import pytest

from relais.matching.reservations import places_open_to_others, places_still_held, release_date

WEEK = datetime.date(2026, 3, 16)
BEFORE = WEEK - datetime.timedelta(days=15)
RELEASED = WEEK - datetime.timedelta(days=14)


def open_places(**kwargs):
    base = {
        "capacity": 2,
        "reserved": 1,
        "priority_holding": 0,
        "other_holding": 0,
        "week_start": WEEK,
        "today": BEFORE,
    }
    return places_open_to_others(**{**base, **kwargs})


def test_release_date_is_two_weeks_before():
    assert release_date(WEEK) == datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({}, 1),  # one of two places held
        ({"other_holding": 1}, 0),
        ({"today": RELEASED}, 2),  # released: open to all
        ({"today": RELEASED, "other_holding": 1}, 1),
        ({"priority_holding": 1}, 1),  # the reservation is used: the other place is open
        ({"priority_holding": 1, "other_holding": 1}, 0),  # full
        ({"reserved": 5}, 0),  # more reserved than places: all held
        ({"from_run": True}, 2),  # a run's suggestion is not bound by the reservation
        ({"capacity": 0}, 0),
    ],
)
def test_places_open_to_others(kwargs, expected):
    assert open_places(**kwargs) == expected


def test_held_places_shrink_with_priority_pupils():
    held = [
        places_still_held(capacity=3, reserved=2, priority_holding=p, week_start=WEEK, today=BEFORE)
        for p in range(4)
    ]
    assert held == [2, 1, 0, 0]
