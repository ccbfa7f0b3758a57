"""Shared helpers of the internships models."""

from django.db.models import Q

DEFAULT_ALERT_DAYS = 15
DEFAULT_ANSWER_DAYS = 7


def choices_in(field: str, choices) -> Q:
    """The database check that ``field`` holds one of ``choices``."""
    return Q(**{f"{field}__in": [value for value, _ in choices]})
