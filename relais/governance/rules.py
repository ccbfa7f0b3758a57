"""Pure rules of the governance area (no database): school years and the meeting rule of a
body.

School year: ``Y`` names « Y-Y+1 », from 1 September Y to 31 August Y+1 (an end date is the
last day included, as everywhere in Relais).

A body's rule is taken from its convention:

- Lille, Clubster (« Gouvernance et mise en œuvre ») : the strategic committee « se réunira une
  fois par an en juin » (1 meeting, June); the regional steering committee « deux fois par an,
  en septembre et février » (2 meetings, September and February — February falls in the
  second calendar year of the school year); each club's steering committee « se réunit au
  moins deux fois par an »;
- model CEE convention, art. 6: the steering committee « se réunit a minima une fois par an »;
- CPME Île-de-France, art. 3.1: « Le comité de pilotage se réunira une fois par an ».

Verdict for a school year, on a given day (only *held* meetings count):

- **missed**: a required month is over without a held meeting in it, or the school year is
  over with fewer held meetings than the minimum;
- **at risk**: the year is running and the rule is not met yet (the months left are given);
- **met**: the minimum is reached and every required month has had its meeting;
- **not started**: the school year has not begun.

A body active for part of the year only (``since``: the convention took effect during the
year; ``until``: it ended during the year) owes the required months lying wholly inside its
active period, and the yearly minimum only when it was active the whole year. Choice: the
text sets a yearly rhythm, and a convention signed in March cannot have held its September
committee.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from relais.core.school_years import school_year_bounds

MONTH_NAMES = {
    1: "janvier",
    2: "février",
    3: "mars",
    4: "avril",
    5: "mai",
    6: "juin",
    7: "juillet",
    8: "août",
    9: "septembre",
    10: "octobre",
    11: "novembre",
    12: "décembre",
}
# The months of a school year in order, September first.
SCHOOL_YEAR_MONTHS = (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8)

MET = "conforme"
AT_RISK = "a_risque"
MISSED = "manquee"
NOT_STARTED = "a_venir"
STATUS_LABELS = {
    MET: "Règle respectée",
    AT_RISK: "À surveiller",
    MISSED: "Règle non respectée",
    NOT_STARTED: "Année non commencée",
}
# The DSFR badge of each verdict (pages: governance/_compliance_badge.html).
STATUS_BADGES = {
    MET: "fr-badge--success",
    AT_RISK: "fr-badge--warning",
    MISSED: "fr-badge--error",
    NOT_STARTED: "fr-badge--info",
}


def month_in_school_year(year: int, month: int) -> tuple[date, date]:
    """First and last day of ``month`` within the school year ``year`` (September–December
    fall in Y, January–August in Y+1)."""
    calendar_year = year if month >= 9 else year + 1
    last = calendar.monthrange(calendar_year, month)[1]
    return date(calendar_year, month, 1), date(calendar_year, month, last)


def months_left(year: int, today: date) -> list[int]:
    """Months of the school year ``year`` not yet over on ``today``, the current one
    included (empty once the year is over; all twelve before it starts)."""
    return [m for m in SCHOOL_YEAR_MONTHS if month_in_school_year(year, m)[1] >= today]


def month_list(months: Iterable[int]) -> str:
    """« septembre et février »."""
    names = [MONTH_NAMES[m] for m in months]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " et " + names[-1]


def rule_label(min_meetings: int, required_months: Iterable[int]) -> str:
    """« 2 réunions par année scolaire, en septembre et février »."""
    months = sorted(set(required_months), key=SCHOOL_YEAR_MONTHS.index)
    text = f"{min_meetings} réunion{'s' if min_meetings > 1 else ''} par année scolaire"
    if months:
        text += f", en {month_list(months)}"
    return text


@dataclass(frozen=True)
class Compliance:
    """The verdict of a body's rule for one school year on one day."""

    status: str
    school_year: int
    held: int
    required: int
    missed_months: tuple[int, ...] = ()
    pending_months: tuple[int, ...] = ()  # required months still to come (or running)
    months_left: tuple[int, ...] = ()
    reasons: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def badge(self) -> str:
        """The css class of the verdict's badge."""
        return STATUS_BADGES[self.status]

    @property
    def is_met(self) -> bool:
        return self.status == MET

    @property
    def is_missed(self) -> bool:
        return self.status == MISSED

    @property
    def is_at_risk(self) -> bool:
        return self.status == AT_RISK

    @property
    def months_left_count(self) -> int:
        return len(self.months_left)


def compliance(
    *,
    min_meetings: int,
    required_months: Iterable[int],
    held_dates: Iterable[date],
    school_year: int,
    today: date,
    since: date | None = None,
    until: date | None = None,
) -> Compliance:
    """Judge a body's meeting rule for ``school_year`` on ``today`` (see the module
    docstring). ``held_dates`` are the days of its *held* meetings (any year: only those
    of the school year count)."""
    start, end = school_year_bounds(school_year)
    active_from = max(start, since) if since else start
    active_to = min(end, until) if until else end
    held = sorted(d for d in held_dates if start <= d <= end)
    months = sorted(set(required_months), key=SCHOOL_YEAR_MONTHS.index)
    owed = [
        m
        for m in months
        if month_in_school_year(school_year, m)[0] >= active_from
        and month_in_school_year(school_year, m)[1] <= active_to
    ]
    whole_year = active_from == start and active_to == end
    required = min_meetings if whole_year else 0
    if today < start:
        return Compliance(
            NOT_STARTED, school_year, 0, required, months_left=tuple(SCHOOL_YEAR_MONTHS)
        )
    held_months = {d.month for d in held}
    missed = tuple(
        m for m in owed if m not in held_months and month_in_school_year(school_year, m)[1] < today
    )
    pending = tuple(m for m in owed if m not in held_months and m not in missed)
    reasons = [f"Aucune réunion tenue en {MONTH_NAMES[m]}." for m in missed]
    year_over = today > end
    if year_over and len(held) < required:
        reasons.append(
            f"{len(held)} réunion{'s' if len(held) > 1 else ''} tenue"
            f"{'s' if len(held) > 1 else ''} sur {required} attendue{'s' if required > 1 else ''}."
        )
    left = tuple(months_left(school_year, today))
    if reasons:
        status = MISSED
    elif len(held) >= required and not pending:
        status = MET
    else:
        status = AT_RISK
        if len(held) < required:
            reasons.append(
                f"{len(held)} réunion{'s' if len(held) > 1 else ''} tenue"
                f"{'s' if len(held) > 1 else ''} sur {required} ; "
                f"{len(left)} mois restant{'s' if len(left) > 1 else ''}."
            )
        if pending:
            reasons.append(f"Réunion à tenir en {month_list(pending)}.")
    return Compliance(
        status,
        school_year,
        len(held),
        required,
        missed_months=missed,
        pending_months=pending,
        months_left=left,
        reasons=tuple(reasons),
    )
