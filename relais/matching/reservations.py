"""Places reserved for priority pupils: one rule for the engine and the proposal service.

A company may reserve places of an offer for priority pupils (issue 4). Issue 12 measured
that, held inside a run of the engine, they never add a priority placement (the fairness
policy already sets how many priority pupils are placed) and always cost placements of other
pupils. Their use is elsewhere: first-come manual proposals would fill the places before the
priority pupils, who are referred later, are even known. So:

- a reserved place is *held* for priority pupils until its release date, ``RELEASE_DAYS``
  days before the week starts; from that date on it is open to everyone;
- places already given to priority pupils (held by a sent proposal, or taken) count against
  the reservation: once the priority pupils hold as many places of the week as reserved,
  nothing is held any more;
- a run of the engine does not hold them (``SolveOptions.hold_reserved`` is off): it sees
  every waiting pupil at once and its fairness policy protects the priority pupils. A proposal
  sent from a run's suggestion may therefore take a held place; a proposal chosen by hand may
  not, before the release date.

``places_still_held`` is that rule: the proposal service reads it for every proposal chosen
by hand, and the engine's input gives it per offer-week (``Offers.reserved`` as ``(n, weeks)``),
so that after a priority pupil took a reserved place the remaining one is open to all in both
(``places_open_to_others`` is the same rule seen from the other pupils).
"""

from __future__ import annotations

import datetime

RELEASE_DAYS = 14


def release_date(week_start: datetime.date, release_days: int = RELEASE_DAYS) -> datetime.date:
    """The day a week's reserved places open to every pupil."""
    return week_start - datetime.timedelta(days=release_days)


def places_still_held(
    *,
    capacity: int,
    reserved: int,
    priority_holding: int,
    week_start: datetime.date,
    today: datetime.date,
    release_days: int = RELEASE_DAYS,
) -> int:
    """Places of one offer-week still held for priority pupils (see the module docstring).

    ``capacity``: the week's places; ``reserved``: the offer's reserved places per week;
    ``priority_holding``: places of the week held or taken by priority pupils.
    """
    if today >= release_date(week_start, release_days):
        return 0
    return max(0, min(reserved, capacity) - priority_holding)


def places_open_to_others(
    *,
    capacity: int,
    reserved: int,
    priority_holding: int,
    other_holding: int,
    week_start: datetime.date,
    today: datetime.date,
    from_run: bool = False,
    release_days: int = RELEASE_DAYS,
) -> int:
    """Places of one offer-week a pupil who is not a priority pupil may still take.

    ``other_holding``: places held or taken by the other pupils. A proposal sent from a run
    of the engine (``from_run``) is not bound by the reservation.
    """
    free = capacity - priority_holding - other_holding
    if from_run:
        return max(0, free)
    held = places_still_held(
        capacity=capacity,
        reserved=reserved,
        priority_holding=priority_holding,
        week_start=week_start,
        today=today,
        release_days=release_days,
    )
    return max(0, free - held)
