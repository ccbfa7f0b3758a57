"""The counts of the parcours that leave the school (``SchoolStat``): per school, year,
level and priority group, how many pupils have done each item, and all four.

An item is done when the pupil was credited with an experience counting for it, dated on or
before the end of the year (and not after today): the whole parcours in the school counts,
not only the year's. A pupil is a priority pupil when their school is in REP or REP+, or
the school flagged them (QPV, disability, newly arrived): Mesure 1 asks whether these
pupils lag behind.

A year's rows are rewritten while its roster is the current one (or a coming one); the rows
of past years are kept as they were, because pupils have since moved up: they are the
trend. ``stats_refresh`` runs in the transaction of every write on a school's parcours or
roster; ``stats_refresh_all`` runs nightly (``tasks.pathways_stats_nightly``), when planned
experiences become done.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from relais.core.clock import today
from relais.establishments.models import Establishment
from relais.pupils.models import Pupil
from relais.pupils.years import roster_year_of

from ..enums import Item
from ..models import Credit, Experience, SchoolStat


def year_end(school_year: int) -> datetime.date:
    """The last day of a roster year (31 July)."""
    return datetime.date(school_year + 1, 7, 31)


def done_condition(item: str, *, until: datetime.date, pupil_ref: str = "pk") -> Exists:
    """The pupil (``OuterRef(pupil_ref)``) has done ``item`` by ``until``."""
    return Exists(
        Credit.objects.filter(
            pupil_id=OuterRef(pupil_ref),
            experience__items__contains=[item],
            experience__date__lte=until,
        )
    )


# One pass over the credits: each pupil's items done by the day, then the counts per school,
# level and group. (A correlated EXISTS per item, and the four again for « complete », read
# the credits eight times: every credit of the académie for the nightly refresh, a school's
# for each write; measured by bench/bench_pathways.py.) The pupils are the outer side and
# their credits are reached through the credit's pupil index: the plan stays linear even
# when the planner has no statistics yet (a demo or an import in one transaction), where a
# separately aggregated « done » relation, joined back to the pupils, was re-aggregated for
# every pupil. The items are the enum's values.
_ROWS_SQL = """
SELECT establishment_id, academie_id, bassin_id, level, flagged,
       count(*), {counts}, count(*) FILTER (WHERE {all_four})
FROM (
    SELECT p.id, p.establishment_id, e.academie_id, e.bassin_id, p.level,
           (p.qpv OR p.disability OR p.newly_arrived OR e.priority_education <> '') AS flagged,
           {flags}
    FROM {pupil} p
    JOIN {establishment} e ON e.id = p.establishment_id
    LEFT JOIN ({credit} c JOIN {experience} x ON x.id = c.experience_id AND x.date <= %(until)s)
        ON c.pupil_id = p.id
    WHERE p.school_year = %(year)s {school}
    GROUP BY p.id, e.id
) per_pupil
GROUP BY 1, 2, 3, 4, 5
"""


def _rows_sql(one_school: bool) -> str:
    return _ROWS_SQL.format(
        flags=", ".join(
            f"coalesce(bool_or('{item}' = ANY(x.items)), false) AS {item}" for item in Item
        ),
        counts=", ".join(f"count(*) FILTER (WHERE {item})" for item in Item),
        all_four=" AND ".join(Item.values),
        credit=Credit._meta.db_table,
        experience=Experience._meta.db_table,
        pupil=Pupil._meta.db_table,
        establishment=Establishment._meta.db_table,
        school="AND p.establishment_id = %(school)s" if one_school else "",
    )


def _rows(school_year: int, establishment_id: int | None) -> list[SchoolStat]:
    until = min(today(), year_end(school_year))
    params: dict[str, datetime.date | int | None] = {
        "until": until,
        "year": school_year,
        "school": establishment_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(_rows_sql(establishment_id is not None), params)
        grouped = cursor.fetchall()
    return [
        SchoolStat(
            establishment_id=school,
            school_year=school_year,
            level=level,
            priority=flagged,
            pupils=n,
            **dict(zip(Item.values, done, strict=True)),
            complete=complete,
            academie_id_copy=academie,
            bassin_id_copy=bassin,
        )
        for school, academie, bassin, level, flagged, n, *done, complete in grouped
    ]


def is_open_year(school_year: int) -> bool:
    """Whether a year's counts are still computed (the current roster year or a later one)."""
    return school_year >= roster_year_of(today())


@transaction.atomic
def stats_refresh(*, establishment_id: int, school_year: int) -> int:
    """Rewrite one school's counts of ``school_year`` (nothing for a closed year)."""
    if not is_open_year(school_year):
        return 0
    rows = _rows(school_year, establishment_id)
    SchoolStat.objects.filter(establishment_id=establishment_id, school_year=school_year).delete()
    SchoolStat.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def stats_refresh_all(*, school_year: int | None = None) -> int:
    """Rewrite every school's counts of ``school_year`` (the current roster year by
    default), in one grouped query."""
    year = roster_year_of(today()) if school_year is None else school_year
    rows = _rows(year, None)
    SchoolStat.objects.filter(school_year=year).delete()
    SchoolStat.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


@transaction.atomic
def stats_snapshot(*, school_year: int, establishment_ids: Iterable[int] | None = None) -> int:
    """Rewrite the counts of ``school_year`` from the rosters and credits as they stand now,
    even for a closed year (which ``stats_refresh`` leaves as it was): the same aggregation
    (``_rows``), counting what was done by the end of that year.

    Right only while ``school_year``'s roster is still the schools' latest: once the next
    roster has moved the pupils up, their year and level are the new ones, and a closed
    year would count only the pupils who left. It keeps a year's counts when a school's
    year is closed before the next roster comes in; the demo builds the previous year's
    counts with it (``relais.pathways.demo``: that year's roster imported and credited,
    its counts taken, then the current roster imported). ``establishment_ids`` limits the
    rewrite to those schools (every school by default)."""
    if establishment_ids is None:
        rows = _rows(school_year, None)
        SchoolStat.objects.filter(school_year=school_year).delete()
    else:
        ids = sorted(set(establishment_ids))
        rows = [row for pk in ids for row in _rows(school_year, pk)]
        SchoolStat.objects.filter(school_year=school_year, establishment_id__in=ids).delete()
    SchoolStat.objects.bulk_create(rows, batch_size=5000)
    return len(rows)
