"""Reads of the parcours Avenir.

Names stay in the school: the class and school pages read credits of the user's own
school's pupils (``relais.pupils.selectors``). Above the school — bassin, académie, région
académique, nation — only the counts of ``SchoolStat``, and a count of fewer than
``SMALL_COUNT`` pupils is hidden (with the rate computed from it), so that no pupil can be
recognised.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet, Sum

from relais.core.clock import today
from relais.pupils.models import Pupil
from relais.pupils.selectors import pupils_of_schools
from relais.users.scopes import Reach, get_reach
from relais.users.types import AnyUser

from .enums import ITEMS, Item, Status
from .models import Credit, Experience, Objective, SchoolStat
from .services.settings import national_setting_ensure

SMALL_COUNT = 11


# --- objectives ----------------------------------------------------------------------------


def objectives_for(*, academie_id: int | None, school_year: int) -> dict[str, set[str]]:
    """The items due by the end of ``school_year`` per level. An académie that set
    objectives for a level replaces the national default of that level."""
    rows = Objective.objects.filter(
        Q(academie__isnull=True) | Q(academie_id=academie_id),
        Q(school_year__isnull=True) | Q(school_year=school_year),
    ).values_list("academie_id", "level", "item")
    if not rows and national_setting_ensure():
        return objectives_for(academie_id=academie_id, school_year=school_year)
    own: dict[str, set[str]] = defaultdict(set)
    national: dict[str, set[str]] = defaultdict(set)
    for academie, level, item in rows:
        (national if academie is None else own)[level].add(item)
    return {level: own.get(level) or national[level] for level in {*own, *national}}


# --- one pupil, one class, one school --------------------------------------------------------


@dataclass
class PupilParcours:
    """A pupil's four items: the experiences credited, and each item's status."""

    pupil: Pupil
    experiences: list[Experience] = field(default_factory=list)
    status: dict[str, str] = field(default_factory=dict)
    due: set[str] = field(default_factory=set)

    @property
    def done_count(self) -> int:
        return sum(1 for item in ITEMS if self.status.get(item) == Status.DONE)

    @property
    def complete(self) -> bool:
        return self.done_count == len(ITEMS)

    @property
    def missing_due(self) -> list[str]:
        """The items due this year and not done (nor planned)."""
        return [item for item in ITEMS if item in self.due and self.status[item] == Status.MISSING]

    def cells(self) -> list[tuple[str, str, str]]:
        """(item, status, label) in the order of the four items, for the pages."""
        labels = dict(Status.choices)
        return [(item.value, self.status[item], labels[self.status[item]]) for item in ITEMS]


def _status(experiences: Iterable[Experience | _Dated], day: datetime.date) -> dict[str, str]:
    status = {item.value: Status.MISSING.value for item in ITEMS}
    for experience in experiences:
        for item in experience.items:
            if experience.date <= day:
                status[item] = Status.DONE
            elif status[item] == Status.MISSING:
                status[item] = Status.PLANNED
    return status


class _Dated(NamedTuple):
    """What a pupil's status needs of a credited experience (``with_experiences=False``)."""

    items: list[str]
    date: datetime.date


def parcours_of(
    pupils: list[Pupil],
    *,
    objectives: dict[str, set[str]] | None = None,
    with_experiences: bool = True,
    roster: QuerySet[Pupil] | None = None,
) -> list[PupilParcours]:
    """The parcours of ``pupils`` (already scoped by the caller), in two queries. Without
    ``with_experiences`` (the school's dashboard, a thousand pupils) only each credit's
    items and date are read, not the experiences: the statuses are the same. ``roster``,
    the query that read ``pupils``, selects their credits by a subquery rather than a
    list of a thousand ids."""
    day = today()
    ids = roster.values_list("pk", flat=True) if roster is not None else [p.pk for p in pupils]
    by_pupil: dict[int, list[Experience]] = defaultdict(list)
    dated: dict[int, list[_Dated]] = defaultdict(list)
    if with_experiences:
        credits = (
            Credit.objects.filter(pupil_id__in=ids)
            .select_related("experience__organisation")
            .order_by("experience__date", "experience_id")
        )
        for credit in credits:
            by_pupil[credit.pupil_id].append(credit.experience)
    else:
        rows = Credit.objects.filter(pupil_id__in=ids).values_list(
            "pupil_id", "experience__items", "experience__date"
        )
        for pupil_id, items, date in rows:
            dated[pupil_id].append(_Dated(items, date))
    objectives = objectives or {}
    return [
        PupilParcours(
            pupil=pupil,
            experiences=by_pupil[pupil.pk] if with_experiences else [],
            status=_status(by_pupil[pupil.pk] if with_experiences else dated[pupil.pk], day),
            due=objectives.get(pupil.level, set()),
        )
        for pupil in pupils
    ]


def pupil_parcours(pupil: Pupil) -> PupilParcours:
    """One pupil's parcours (the caller has read the pupil through a scoped selector)."""
    objectives = objectives_for(
        academie_id=pupil.establishment.academie_id, school_year=pupil.school_year
    )
    return parcours_of([pupil], objectives=objectives)[0]


@dataclass
class ClassSummary:
    class_label: str
    level: str
    pupils: int = 0
    complete: int = 0
    done: dict[str, int] = field(default_factory=dict)
    missing_due: int = 0


def class_parcours(
    *,
    user: AnyUser,
    establishment_id: int,
    academie_id: int | None,
    school_year: int,
    class_label: str,
) -> list[PupilParcours]:
    """The class page: each pupil of the class and their four items."""
    pupils = list(
        pupils_of_schools(user=user)
        .filter(establishment_id=establishment_id, school_year=school_year, class_label=class_label)
        .select_related("establishment")
        .order_by("last_name", "first_name", "pk")
    )
    objectives = objectives_for(academie_id=academie_id, school_year=school_year)
    return parcours_of(pupils, objectives=objectives)


def school_parcours(
    *, user: AnyUser, establishment_id: int, academie_id: int | None, school_year: int
) -> tuple[list[ClassSummary], list[PupilParcours]]:
    """The school's dashboard: per class, how many pupils have done each item and all four;
    and the pupils still missing an item due this year, by class and name."""
    roster = pupils_of_schools(user=user).filter(
        establishment_id=establishment_id, school_year=school_year
    )
    pupils = list(roster.order_by("class_label", "last_name", "first_name", "pk"))
    objectives = objectives_for(academie_id=academie_id, school_year=school_year)
    rows = parcours_of(pupils, objectives=objectives, with_experiences=False, roster=roster)
    classes: dict[str, ClassSummary] = {}
    for row in rows:
        pupil = row.pupil
        summary = classes.setdefault(
            pupil.class_label,
            ClassSummary(pupil.class_label, pupil.level, done={i.value: 0 for i in ITEMS}),
        )
        summary.pupils += 1
        summary.complete += row.complete
        summary.missing_due += bool(row.missing_due)
        for item in ITEMS:
            summary.done[item] += row.status[item] == Status.DONE
    ordered = sorted(classes.values(), key=lambda c: (_level_rank(c.level), c.class_label))
    return ordered, [row for row in rows if row.missing_due]


def _level_rank(level: str) -> int:
    from relais.pupils.enums import Level

    values = list(Level.values)
    return values.index(level) if level in values else len(values)


def experiences_of_school(*, user: AnyUser, establishment_id: int) -> QuerySet[Experience]:
    """The experiences recorded for a school (its staff only)."""
    if establishment_id not in get_reach(user).establishment_ids:
        return Experience.objects.none()
    return Experience.objects.filter(establishment_id=establishment_id).select_related(
        "organisation"
    )


# --- above the school: counts only -----------------------------------------------------------


@dataclass
class Figures:
    """Counts of a group of pupils; ``None`` where hidden (fewer than SMALL_COUNT)."""

    pupils: int
    done: dict[str, int]
    complete: int

    @property
    def hidden(self) -> bool:
        return self.pupils < SMALL_COUNT

    def rate(self, item: str | None = None) -> float | None:
        """Percentage of the group who did ``item`` (all four when None), to a tenth; None
        if hidden."""
        exact = self.exact_rate(item)
        return None if exact is None else round(exact, 1)

    def exact_rate(self, item: str | None = None) -> float | None:
        if self.hidden or not self.pupils:
            return None
        count = self.complete if item is None else self.done[item]
        return 100 * count / self.pupils

    def rates(self) -> list[float | None]:
        return [self.rate(item) for item in ITEMS]


def _figures(row: Mapping[str, Any]) -> Figures:
    return Figures(
        pupils=row["pupils"] or 0,
        done={item.value: row[item.value] or 0 for item in ITEMS},
        complete=row["complete"] or 0,
    )


SUMS = {
    "pupils": Sum("pupils"),
    **{item.value: Sum(item.value) for item in ITEMS},
    "complete": Sum("complete"),
}


@dataclass(frozen=True)
class Territory:
    """Where the figures are computed: the nation, a région académique, an académie, a
    bassin or a school."""

    kind: str  # "national" | "region" | "academie" | "bassin" | "school"
    pk: int | None = None

    def q(self) -> Q:
        return {
            "national": Q(),
            "region": Q(establishment__academie__region_id=self.pk),
            "academie": Q(academie_id_copy=self.pk),
            "bassin": Q(bassin_id_copy=self.pk),
            "school": Q(establishment_id=self.pk),
        }[self.kind]


def may_read_figures(user: AnyUser, territory: Territory) -> bool:
    """The national team everywhere; the région's and the académie's teams in theirs;
    bassin référents and pôles in their bassin; a school's staff in their school."""
    reach = get_reach(user)
    if reach.national:
        return True
    if territory.kind == "region":
        return territory.pk in reach.managed_region_ids
    if territory.kind == "academie":
        return territory.pk in reach.managed_academie_ids
    if territory.kind == "bassin":
        return territory.pk in reach.bassin_ids or _bassin_in_managed(reach, territory.pk)
    if territory.kind == "school":
        return territory.pk in reach.establishment_ids or _school_in_reach(reach, territory.pk)
    return False


def _bassin_in_managed(reach: Reach, bassin_id: int | None) -> bool:
    from relais.territories.models import Bassin

    if bassin_id is None:
        return False
    return Bassin.objects.filter(pk=bassin_id, academie_id__in=reach.managed_academie_ids).exists()


def _school_in_reach(reach: Reach, establishment_id: int | None) -> bool:
    from relais.establishments.models import Establishment

    if establishment_id is None:
        return False
    return Establishment.objects.filter(
        Q(bassin_id__in=reach.bassin_ids) | Q(academie_id__in=reach.managed_academie_ids),
        pk=establishment_id,
    ).exists()


def stats(territory: Territory, school_year: int) -> QuerySet[SchoolStat]:
    return SchoolStat.objects.filter(territory.q(), school_year=school_year)


def figures_by_level(territory: Territory, school_year: int) -> dict[str, dict[str, Figures]]:
    """Per level: all pupils, priority pupils, the others."""
    rows = stats(territory, school_year).values("level", "priority").annotate(**SUMS).order_by()
    result: dict[str, dict[str, Figures]] = {}
    for row in rows:
        groups = result.setdefault(row["level"], {})
        groups["priority" if row["priority"] else "others"] = _figures(row)
    for groups in result.values():
        groups["all"] = _add(groups.get("priority"), groups.get("others"))
    return dict(sorted(result.items(), key=lambda kv: _level_rank(kv[0])))


def _add(a: Figures | None, b: Figures | None) -> Figures:
    parts = [f for f in (a, b) if f is not None]
    return Figures(
        pupils=sum(f.pupils for f in parts),
        done={item.value: sum(f.done[item] for f in parts) for item in ITEMS},
        complete=sum(f.complete for f in parts),
    )


def figures_by_child(
    territory: Territory, school_year: int, *, level: str | None = None
) -> list[tuple[int, Figures, Figures, Figures]]:
    """Per child territory (région → académies, académie → bassins, bassin → schools,
    nation → académies): (child id, all, priority, others)."""
    child = {
        "national": "academie_id_copy",
        "region": "academie_id_copy",
        "academie": "bassin_id_copy",
        "bassin": "establishment_id",
    }[territory.kind]
    rows = stats(territory, school_year)
    if level:
        rows = rows.filter(level=level)
    grouped: dict[int, dict[str, Figures]] = defaultdict(dict)
    for row in rows.values(child, "priority").annotate(**SUMS).order_by():
        grouped[row[child]]["priority" if row["priority"] else "others"] = _figures(row)
    return [
        (
            pk,
            _add(g.get("priority"), g.get("others")),
            _add(g.get("priority"), None),
            _add(None, g.get("others")),
        )  # fmt: skip
        for pk, g in grouped.items()
        if pk is not None
    ]


def trend(
    territory: Territory, years: list[int], *, level: str = "3e"
) -> list[tuple[int, Figures, Figures]]:
    """Per year: (year, priority pupils, other pupils) of ``level`` — whether the gap
    closes."""
    rows = (
        SchoolStat.objects.filter(territory.q(), school_year__in=years, level=level)
        .values("school_year", "priority")
        .annotate(**SUMS)
        .order_by()
    )
    by_year: dict[int, dict[str, Figures]] = defaultdict(dict)
    for row in rows:
        by_year[row["school_year"]]["priority" if row["priority"] else "others"] = _figures(row)
    return [
        (year, _add(by_year[year].get("priority"), None), _add(None, by_year[year].get("others")))
        for year in sorted(years)
    ]


def gap(priority: Figures, others: Figures, item: str | None = None) -> float | None:
    """Points of completion the priority pupils lag behind the others (negative: ahead);
    None when either group is hidden."""
    a, b = priority.exact_rate(item), others.exact_rate(item)
    if a is None or b is None:
        return None
    return round(b - a, 1)  # from the exact rates: 83.33 - 91.67 is -8.3, not -8.4


__all__ = [
    "SMALL_COUNT",
    "ClassSummary",
    "Figures",
    "Item",
    "PupilParcours",
    "Territory",
    "class_parcours",
    "experiences_of_school",
    "figures_by_child",
    "figures_by_level",
    "gap",
    "may_read_figures",
    "objectives_for",
    "parcours_of",
    "pupil_parcours",
    "school_parcours",
    "trend",
]
