"""Dated events of a convention's terms: renewals, notice deadlines and ends of term (for the
« Échéances » page, the iCal feed and the lists), and the e-mail alerts before them.

Pure Python, like :mod:`relais.agreements.deadlines`, whose terms and periods it walks (same
conventions: a period's ``end`` is its last day in force; days asked about beyond
``HORIZON`` are read as it).
"""

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from .deadlines import (
    ALERT_DAYS,
    HORIZON,
    MAX_DAYS,
    Period,
    Terms,
    _bounded,
    _fr,
    _is_int,
    _last_notice_day,
    _period,
    _reference_period,
    has_notice,
)


class DeadlineKind(enum.StrEnum):
    """What falls due: in a day's order, a renewal, a notice deadline, an end of term."""

    RENEWAL = "reconduction"
    NOTICE = "preavis"
    END_OF_TERM = "fin"


@dataclass(frozen=True, slots=True)
class Deadline:
    """A dated event of a convention, for the « Échéances » page and the alerts.

    ``period`` is the period the event belongs to (for a renewal: the new period). ``final``
    marks the end of the last period: the convention expires (or terminates) that day.
    """

    kind: DeadlineKind
    due_on: date
    period: Period
    final: bool = False

    @property
    def label(self) -> str:
        if self.kind is DeadlineKind.RENEWAL:
            return f"Reconduction tacite n° {self.period.index}"
        if self.kind is DeadlineKind.NOTICE:
            if self.final:
                return "Dernier jour pour notifier la non-reconduction (préavis)"
            return "Dernier jour pour dénoncer la convention (non-reconduction)"
        return "Fin de la convention" if self.final else "Fin de la période en cours"


def _events(terms: Terms, period: Period) -> Iterator[Deadline]:
    if period.is_renewal:
        yield Deadline(DeadlineKind.RENEWAL, period.start, period)
    if period.end is None:
        return
    following = _period(terms, period.index + 1)
    if has_notice(terms, period):
        day = _last_notice_day(period.end, months=terms.notice_months, days=terms.notice_days)
        yield Deadline(DeadlineKind.NOTICE, day, period, final=following is None)
    yield Deadline(DeadlineKind.END_OF_TERM, period.end, period, final=following is None)


def deadlines_between(terms: Terms, *, start: date, end: date) -> Iterator[Deadline]:
    """Renewals, notice deadlines and ends of term due from ``start`` to ``end`` (both
    included), in date order. An open-ended convention has none until it is terminated."""
    if start > end:
        raise ValueError(
            f"Le début de la période ({_fr(start)}) est postérieur à sa fin ({_fr(end)})."
        )
    if start > HORIZON:
        return
    end = _bounded(end)
    period = _reference_period(terms, start)
    while period is not None and period.start <= end:
        for deadline in _events(terms, period):
            if start <= deadline.due_on <= end:
                yield deadline
        if period.end is None:
            return
        period = _period(terms, period.index + 1)


@dataclass(frozen=True, slots=True)
class Alert:
    """An e-mail to send ``days_before`` days before a deadline."""

    deadline: Deadline
    days_before: int

    @property
    def send_on(self) -> date:
        return self.deadline.due_on - timedelta(days=self.days_before)


def alerts_between(
    terms: Terms, *, start: date, end: date, days_before: Iterable[int] = ALERT_DAYS
) -> list[Alert]:
    """Alerts to send from ``start`` to ``end`` (both included), by sending day.

    The end of a period followed by a renewal gets no alert of its own: the renewal, due the
    next day, has them. A job that missed days passes the whole range since its last run;
    sending each alert once (by deadline, kind and ``days_before``) is the caller's concern.
    """
    offsets = sorted(set(days_before), reverse=True)
    if any(not _is_int(n) or n < 0 or n > MAX_DAYS for n in offsets):
        raise ValueError(
            "Les délais d'alerte doivent être des nombres entiers de jours positifs "
            f"(au plus {MAX_DAYS})."
        )
    if not offsets or start > HORIZON:
        return []
    end = _bounded(end)
    horizon = end + timedelta(days=offsets[0])
    alerts = [
        Alert(deadline, n)
        for deadline in deadlines_between(terms, start=start, end=horizon)
        if deadline.kind is not DeadlineKind.END_OF_TERM or deadline.final
        for n in offsets
        if start <= deadline.due_on - timedelta(days=n) <= end
    ]
    return sorted(alerts, key=lambda alert: alert.send_on)
