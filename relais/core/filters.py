"""Number filters that keep their values in range, for the lists' FilterSets (pages, exports
and API alike).

django-filter's ``NumberFilter`` takes a decimal: « 1e300 », « -7e281 » or « 2.5 » reached
PostgreSQL as an identifier or became a school year whose first day overflows ``date``: a
server error. These take whole numbers in a plausible range; anything else is a French form
error (a 400 with the field's message in the API), and the list is not filtered by it.
"""

from typing import Any

import django_filters
from django import forms

from .dates import SCHOOL_YEAR_MAX, SCHOOL_YEAR_MIN

DB_INTEGER_MAX = 2**31 - 1  # PostgreSQL's « integer », the type of every identifier


class IdFilter(django_filters.NumberFilter):  # type: ignore[misc]
    """An identifier: a whole number from 1 to 2 147 483 647."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INTEGER_MAX)
        super().__init__(*args, **kwargs)


class SchoolYearFilter(django_filters.NumberFilter):  # type: ignore[misc]
    """The year a school year starts (2025 for 2025-2026), from 1990 to 2099."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", SCHOOL_YEAR_MIN)
        kwargs.setdefault("max_value", SCHOOL_YEAR_MAX)
        super().__init__(*args, **kwargs)
