"""Pure rules of the networks area (no database): school years, mandates, campus labels.

School year: a year ``Y`` names the school year « Y-Y+1 », from 1 September Y to 31 August
Y+1. Like the conventions' deadlines, an *end* date is the **last day in force**.

Pilote's term (convention Clubster, académie de Lille, « Gouvernance et mise en œuvre ») :
« Son mandat est renouvelable tous les ans dans la limite de 5 ans. » Relais counts the
**consecutive** school years a person has been pilote of the same club. Choice for gaps: a
school year without a mandate interrupts the series, so a person can be named again after
at least one full school year off (the text limits a renewed mandate, not a lifetime). A
mandate held in another club does not count: the mandate is the club's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from relais.core.school_years import school_year_bounds, school_year_label

PILOTE_MAX_CONSECUTIVE_YEARS = 5
REFERENT_NOMINATION_MONTH = 6  # « nommé par le Recteur chaque année au mois de juin »
CAMPUS_LABEL_YEARS = 4  # « labellise […] pour une durée de 4 ans » (12 mesures, fiche 4)


def consecutive_years(years: Iterable[int], *, up_to: int) -> int:
    """How many school years in a row, ending with ``up_to``, appear in ``years``."""
    held = set(years)
    count, year = 0, up_to
    while year in held:
        count += 1
        year -= 1
    return count


def check_pilote_term(previous_years: Iterable[int], new_year: int) -> int:
    """Raise a French ValidationError when a pilote mandate for ``new_year`` would be the
    sixth consecutive one; return its rank in the series otherwise (1 = a first mandate)."""
    previous = set(previous_years)
    previous.discard(new_year)
    series = consecutive_years(previous, up_to=new_year - 1)
    if series >= PILOTE_MAX_CONSECUTIVE_YEARS:
        first = new_year - series
        raise ValidationError(
            "Le mandat de pilote est renouvelable chaque année dans la limite de 5 ans : "
            "cette personne est déjà pilote de ce club depuis 5 années scolaires de suite "
            f"({school_year_label(first)} à {school_year_label(new_year - 1)}). Un sixième "
            "mandat consécutif n'est pas possible ; elle pourra de nouveau être nommée après "
            "une interruption d'au moins une année scolaire.",
            code="pilote_term_limit",
        )
    return series + 1


def can_renew_pilote(previous_years: Iterable[int], next_year: int) -> bool:
    try:
        check_pilote_term(previous_years, next_year)
    except ValidationError:
        return False
    return True


def check_referent_nomination(*, appointed_on: date, school_year: int, replacement: bool) -> None:
    """« Le référent école-entreprise […] est nommé par le Recteur chaque année au mois de
    juin » for the school year that follows. A replacement during the year (departure,
    illness) is dated when it happens, within that school year."""
    start, end = school_year_bounds(school_year)
    if replacement:
        if not (start <= appointed_on <= end):
            raise ValidationError(
                {
                    "appointed_on": "Un remplacement en cours d'année est daté dans l'année "
                    f"scolaire {school_year_label(school_year)} "
                    f"(du {start:%d/%m/%Y} au {end:%d/%m/%Y})."
                }
            )
        return
    if appointed_on.year != school_year or appointed_on.month != REFERENT_NOMINATION_MONTH:
        raise ValidationError(
            {
                "appointed_on": "Le référent école-entreprise est nommé par le recteur au mois "
                f"de juin qui précède l'année scolaire : pour {school_year_label(school_year)}, "
                f"en juin {school_year}. Pour une nomination à une autre date, cochez "
                "« remplacement en cours d'année »."
            }
        )


def campus_label_end(start: date) -> date:
    """Last day of a 4-year label that starts on ``start`` (1 Sept 2025 → 31 Aug 2029)."""
    return start + relativedelta(years=CAMPUS_LABEL_YEARS) - relativedelta(days=1)


def label_ends_within(end: date | None, *, today: date, months: int) -> bool:
    """Is the label still in force today and ending within ``months`` months?"""
    if end is None or end < today:
        return False
    return end <= today + relativedelta(months=months)


def directory_publication_problem(*, published_on: date, school_year: int, today: date) -> str:
    """The annuaire des clubs « est communiqué à l'issue du comité stratégique de juin »:
    the annuaire of school year Y-Y+1 is published from June Y, never in the future."""
    if published_on > today:
        return "La date de publication ne peut pas être dans le futur."
    if published_on < date(school_year, REFERENT_NOMINATION_MONTH, 1):
        return (
            f"L'annuaire {school_year_label(school_year)} se publie à l'issue du comité "
            f"stratégique de juin {school_year} : pas avant le 01/06/{school_year}."
        )
    return ""
