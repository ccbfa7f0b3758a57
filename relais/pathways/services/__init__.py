"""Writes on the parcours Avenir: experiences and their credits (``experiences``), the
académie's settings (``settings``), the counts that leave the school (``stats``)."""

from .experiences import (
    ExperienceData,
    class_credit,
    credits_set,
    experience_delete,
    experience_record,
    internship_declare,
    internship_record,
)
from .settings import kind_set, objective_add, objective_remove
from .stats import stats_refresh, stats_refresh_all

__all__ = [
    "ExperienceData",
    "class_credit",
    "credits_set",
    "experience_delete",
    "experience_record",
    "internship_declare",
    "internship_record",
    "kind_set",
    "objective_add",
    "objective_remove",
    "stats_refresh",
    "stats_refresh_all",
]
