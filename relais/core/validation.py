"""Plausibility rules applied to every input, whatever door it came through (page, API,
import): dates within a range a convention or a school year can have, and no control
characters in text.

- Dates: a service that stores a date calls ``check_date_range`` first, so that a typo
  (« 0218 » for « 2018 », « 9999 ») gets a French field error instead of a row whose
  computed deadlines overflow ``datetime.date`` (year 10 000) and break every page showing it.
- Control characters: PostgreSQL refuses NUL in text (a 500 if it reaches the database) and
  the other C0 characters (tab, CR and LF apart) have no place in what a person types. The
  web middleware and the API's parsers reject them with ``CONTROL_CHARACTERS_MESSAGE``.
"""

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from .dates import DATE_MAX, DATE_MIN, DATE_RANGE_MESSAGE, date_in_range

__all__ = [
    "CONTROL_CHARACTERS_MESSAGE",
    "DATE_MAX",
    "DATE_MIN",
    "DATE_RANGE_MESSAGE",
    "check_date_range",
    "check_date_ranges",
    "date_in_range",
    "has_control_characters",
]

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
CONTROL_CHARACTERS_MESSAGE = "Les caractères de contrôle (octet nul) ne sont pas acceptés."


def check_date_range(value: date | None, field: str) -> None:
    """Refuse a date outside 01/01/1990 – 31/12/2100 with a French error on ``field``.

    ``None`` passes: whether a date is required is the caller's rule. A ``datetime`` is
    checked on its day."""
    if value is None:
        return
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if not date_in_range(day):
        raise ValidationError({field: DATE_RANGE_MESSAGE})


def check_date_ranges(values: dict[str, Any], fields: Iterable[str]) -> None:
    """``check_date_range`` on each of ``fields`` present in ``values``, every error at once."""
    errors = {}
    for field in fields:
        try:
            check_date_range(values.get(field), field)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)


def has_control_characters(value: object) -> bool:
    """True if ``value`` (a string, or any nesting of dicts, lists and strings, keys
    included) holds a NUL or another C0 control character other than tab, CR and LF."""
    if isinstance(value, str):
        return CONTROL_CHARACTERS.search(value) is not None
    if isinstance(value, dict):
        return any(has_control_characters(k) or has_control_characters(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_control_characters(item) for item in value)
    return False
