"""The pure rules: school years, the pilote's 5-year limit, June nominations, labels."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from relais.core.school_years import school_year_bounds, school_year_label, school_year_of
from relais.networks import rules


@pytest.mark.parametrize(
    "day, year",
    [
        (date(2025, 9, 1), 2025),
        (date(2025, 8, 31), 2024),
        (date(2026, 1, 15), 2025),
        (date(2026, 6, 30), 2025),
        (date(2025, 12, 31), 2025),
    ],
)
def test_school_year_starts_on_first_september(day, year):
    assert school_year_of(day) == year


def test_school_year_bounds_and_label():
    assert school_year_bounds(2025) == (date(2025, 9, 1), date(2026, 8, 31))
    assert school_year_label(2025) == "2025-2026"


@pytest.mark.parametrize(
    "years, up_to, expected",
    [
        ([], 2025, 0),
        ([2025], 2025, 1),
        ([2021, 2022, 2023, 2024, 2025], 2025, 5),
        ([2020, 2022, 2023], 2023, 2),  # the gap of 2021 breaks the series
        ([2024], 2025, 0),
    ],
)
def test_consecutive_years(years, up_to, expected):
    assert rules.consecutive_years(years, up_to=up_to) == expected


@pytest.mark.parametrize("held", [0, 1, 2, 3, 4])
def test_pilote_may_be_renewed_up_to_five_years(held):
    previous = range(2025 - held, 2025)
    assert rules.check_pilote_term(previous, 2025) == held + 1


def test_sixth_consecutive_year_is_refused_with_a_french_message():
    with pytest.raises(ValidationError) as error:
        rules.check_pilote_term([2020, 2021, 2022, 2023, 2024], 2025)
    message = error.value.messages[0]
    assert "dans la limite de 5 ans" in message
    assert "2020-2021 à 2024-2025" in message
    assert "sixième" in message
    assert error.value.code == "pilote_term_limit"


def test_seven_years_are_refused_too():
    with pytest.raises(ValidationError):
        rules.check_pilote_term(range(2018, 2025), 2025)


def test_a_year_off_starts_a_new_series():
    assert rules.check_pilote_term([2019, 2020, 2021, 2022, 2023], 2025) == 1
    assert rules.can_renew_pilote([2019, 2020, 2021, 2022, 2023], 2025)
    assert not rules.can_renew_pilote([2019, 2020, 2021, 2022, 2023], 2024)


def test_recording_again_the_same_year_does_not_count_twice():
    assert rules.check_pilote_term([2021, 2022, 2023, 2024, 2025], 2025) == 5


def test_referent_is_named_in_june_before_the_school_year():
    rules.check_referent_nomination(
        appointed_on=date(2025, 6, 20), school_year=2025, replacement=False
    )
    for wrong in (date(2025, 5, 31), date(2025, 7, 1), date(2024, 6, 20)):
        with pytest.raises(ValidationError) as error:
            rules.check_referent_nomination(appointed_on=wrong, school_year=2025, replacement=False)
        assert "juin 2025" in error.value.message_dict["appointed_on"][0]


def test_referent_replacement_is_dated_within_the_school_year():
    rules.check_referent_nomination(
        appointed_on=date(2026, 1, 10), school_year=2025, replacement=True
    )
    with pytest.raises(ValidationError):
        rules.check_referent_nomination(
            appointed_on=date(2026, 9, 2), school_year=2025, replacement=True
        )


@pytest.mark.parametrize(
    "start, end",
    [
        (date(2025, 9, 1), date(2029, 8, 31)),
        (date(2024, 2, 29), date(2028, 2, 28)),
        (date(2023, 1, 1), date(2026, 12, 31)),
    ],
)
def test_campus_label_lasts_four_years(start, end):
    assert rules.campus_label_end(start) == end


def test_label_ending_within_n_months():
    today = date(2026, 1, 15)
    assert rules.label_ends_within(date(2026, 7, 15), today=today, months=6)
    assert not rules.label_ends_within(date(2026, 7, 16), today=today, months=6)
    assert not rules.label_ends_within(date(2026, 1, 14), today=today, months=6)  # already over
    assert not rules.label_ends_within(None, today=today, months=6)


def test_directory_is_published_from_june_never_in_the_future():
    today = date(2025, 7, 1)
    ok = rules.directory_publication_problem
    assert ok(published_on=date(2025, 6, 1), school_year=2025, today=today) == ""
    assert "pas avant le 01/06/2025" in ok(
        published_on=date(2025, 5, 31), school_year=2025, today=today
    )
    assert "futur" in ok(published_on=date(2025, 7, 2), school_year=2025, today=today)
