"""Deadlines of a partnership convention: terms, tacit renewals, notice and termination.

Pure Python, no Django: the ``agreements`` models turn a convention's clauses into a
:class:`Terms` and ask this module for its dates. Every function is a pure function of the
terms and of the day asked about. The dated events of the terms (renewals, notice
deadlines, ends of term) and their alerts are in :mod:`relais.agreements.deadline_events`.

Conventions used everywhere in this module
------------------------------------------

**A period's** ``end`` **is its LAST DAY IN FORCE (inclusive).** The convention is in force on
every day ``start <= day <= end``; the next period, if any, starts on ``end + 1 day``. ``end``
is ``None`` only for an open-ended convention (« durée indéterminée »).

**Terms are calendar months counted from the original start.** A term of N months taking
effect on day S is out of force from its *anniversary* ``S ⊕ N``: the day with the same number
(« quantième ») N months later or, when that month has no such day, the first day of the next
month; its end is the day before. Thus:

- 2024-03-01 + 3 years ends 2027-02-28;
- 2024-02-29 + 1 year ends 2025-02-28 (no 29 February in 2025: out of force from 1 March);
- 2024-03-31 + 3 months ends 2024-06-30; 2023-01-31 + 1 month ends 2023-02-28 (29th in 2024).

The k-th boundary is always ``S ⊕ (N + k·M)`` (M: renewal length), never a month added to a
previous, clamped end, so month-end drift cannot accumulate: monthly periods from 31 January
2024 end on 29 February, then start on 1 March and on 31 March (not 29 March); yearly periods
from 2010-01-31 all end on 30 January.

**A notice or delay of P received on day D runs as a « délai »** (art. 641 and 642 of the code
de procédure civile): it starts the day after D and expires at the end of ``D + P``, the same
quantième P months later or, when there is none, the last day of that month (this is exactly
``relativedelta``'s clamping): 2024-08-31 + 6 months → 2025-02-28. Months are added before days.

- :func:`notice_deadline` is the last day on which a notice of non-renewal may be *received*
  so that its notice period has expired by the end of the term: the latest D with
  ``D + notice <= end``. Three months before an end on 2027-02-28: 2026-11-30 (1 December is
  one day late, since 1 December + 3 months = 1 March).
- :func:`termination_effective_date` returns ``receipt + delay``: the termination takes effect
  when the delay expires, at the end of that day, so the returned date is the convention's
  **last day in force** (its new ``end``). It does NOT end the day before; it is out of force
  from the next day. CEE model (6 months): received 2025-01-15 → in force until 2025-07-15.

**Bounds: no date overflows.** The dates a convention is built from (effective date, fixed
end date) lie between 01/01/1990 and 31/12/2100 (``relais.core.dates``, the range the
services check); durations, renewals, notices and delays are at most 1 200 months (100
years, ``MAX_MONTHS``) or 36 525 days; the renewals of a limited convention add up to 100
years at most. Terms outside these bounds raise the documented ``ValueError`` with a French
message. A day asked about (``on``, ``until``, a window's end) later than 31/12/9000
(``HORIZON``) is read as that day. So no computation reaches year 10 000 whatever day is
asked, and :func:`anniversary` and :func:`delay_expiry`, given an impossible date, raise
the same French ``ValueError`` instead of Python's ``OverflowError``.
"""

import enum
from collections.abc import Iterator
from dataclasses import InitVar, dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from relais.core.dates import DATE_MAX, DATE_MIN, format_date

ONE_DAY = timedelta(days=1)
ALERT_DAYS = (90, 30, 7)
MAX_MONTHS = 1200  # 100 years: any duration, renewal, notice or delay
MAX_DAYS = 36_525  # 100 years in days
HORIZON = date(9000, 12, 31)  # a day asked about beyond it is read as it


def _bounded(day: date) -> date:
    """The day asked about, read as HORIZON beyond it (no computation can then overflow)."""
    return min(day, HORIZON)


def _out_of_calendar(day: date) -> ValueError:
    return ValueError(
        f"La date calculée à partir du {_fr(day)} sort du calendrier (après le 31/12/9999 "
        "ou avant le 01/01/0001)."
    )


def anniversary(start: date, months: int) -> date:
    """First day out of force of a term of ``months`` months taking effect on ``start``.

    The same quantième ``months`` later, or the first day of the following month when that
    month is too short (2024-01-31 ⊕ 1 = 2024-03-01, 2024-02-29 ⊕ 12 = 2025-03-01).
    """
    try:
        shifted = start + relativedelta(months=months)
        return shifted if shifted.day == start.day else shifted + ONE_DAY
    except (OverflowError, ValueError) as error:
        raise _out_of_calendar(start) from error


def delay_expiry(day: date, *, months: int = 0, days: int = 0) -> date:
    """Last day of a délai of ``months`` then ``days`` running from ``day`` (art. 641 CPC)."""
    try:
        return day + relativedelta(months=months, days=days)
    except (OverflowError, ValueError) as error:
        raise _out_of_calendar(day) from error


_fr = format_date


def _fr_delay(months: int, days: int) -> str:
    parts = [f"{months} mois"] if months else []
    if days or not months:
        parts.append(f"{days} jour{'s' if days > 1 else ''}")
    return " et ".join(parts)


class Period(NamedTuple):
    """One period of a convention: ``index`` 0 is the initial term, k the k-th tacit renewal.

    ``end`` is the last day in force (inclusive), ``None`` for an open-ended convention.
    """

    # Shadows tuple.index, which NamedTuple allows at run time but typeshed's tuple forbids.
    index: int  # type: ignore[assignment]
    start: date
    end: date | None

    @property
    def is_renewal(self) -> bool:
        return self.index > 0

    def covers(self, day: date) -> bool:
        """Whether the convention is in force on ``day`` under this period."""
        return self.start <= day and (self.end is None or day <= self.end)


class Status(enum.StrEnum):
    """Where a convention stands on a given day, from its terms alone."""

    NOT_YET_IN_FORCE = "a_venir"
    IN_FORCE = "en_vigueur"
    EXPIRED = "expiree"
    TERMINATED = "resiliee"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    Status.NOT_YET_IN_FORCE: "Pas encore en vigueur",
    Status.IN_FORCE: "En vigueur",
    Status.EXPIRED: "Expirée",
    Status.TERMINATED: "Résiliée",
}


@dataclass(frozen=True, kw_only=True)
class Terms:
    """The term, renewal and termination clauses of a convention.

    - ``start``: effective date (by default the last signature: « prend effet à compter de la
      date de signature »).
    - ``duration_months`` (or ``duration_years``, added to it and normalised to months): length
      of the initial term; ``None`` with no ``end_date`` for an open-ended convention.
    - ``end_date``: fixed last day in force of the initial term. It overrides the duration,
      which then only serves as the default renewal length.
    - ``tacit_renewal`` (« renouvelable par tacite reconduction »), ``renewal_months`` (or
      ``renewal_years``; default: the initial duration), ``max_renewals`` (``None``: unlimited).
    - ``notice_months``/``notice_days``: notice of non-renewal (Lille, CPME: 3 months).
    - ``termination_months``/``termination_days``: delay between the receipt of a notice of
      termination and its effect (Lille: 2 months, CEE model: 6 months).
    - ``terminated_on``: last day in force after an early termination (see :func:`terminate`).

    Inconsistent terms raise ``ValueError`` with a French message.
    """

    start: date
    duration_months: int | None = None
    end_date: date | None = None
    tacit_renewal: bool = False
    renewal_months: int | None = None
    max_renewals: int | None = None
    notice_months: int = 0
    notice_days: int = 0
    termination_months: int = 0
    termination_days: int = 0
    terminated_on: date | None = None
    duration_years: InitVar[int | None] = None
    renewal_years: InitVar[int | None] = None

    def __post_init__(self, duration_years: int | None, renewal_years: int | None) -> None:
        months = _in_months(self.duration_months, duration_years, "La durée")
        renewal = _in_months(self.renewal_months, renewal_years, "La durée de reconduction")
        object.__setattr__(self, "duration_months", months)
        object.__setattr__(self, "renewal_months", renewal)
        _check_dates(self)
        _check_counts(self)
        _check_renewal(self)
        _check_notice(self)
        _check_termination(self)

    @property
    def is_open_ended(self) -> bool:
        """No duration and no end date: only a termination ends it."""
        return self.duration_months is None and self.end_date is None

    @property
    def renewal_length(self) -> int | None:
        """Length in months of each tacit renewal (default: the initial duration)."""
        return self.renewal_months if self.renewal_months is not None else self.duration_months


# --- validation ----------------------------------------------------------------------------


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _in_months(months: int | None, years: int | None, what: str) -> int | None:
    for value in (months, years):
        if value is not None and not _is_int(value):
            raise ValueError(f"{what} doit être un nombre entier de mois ou d'années.")
    if months is None and years is None:
        return None
    total = (months or 0) + 12 * (years or 0)
    if total <= 0 or (months or 0) < 0 or (years or 0) < 0:
        raise ValueError(f"{what} doit être positive (au moins un mois).")
    if total > MAX_MONTHS:
        raise ValueError(f"{what} ne peut pas dépasser {MAX_MONTHS} mois (100 ans).")
    return total


def _check_dates(terms: Terms) -> None:
    if terms.start is None:
        raise ValueError("La date de prise d'effet est obligatoire.")
    for label, value in (
        ("La date de prise d'effet", terms.start),
        ("La date de fin", terms.end_date),
        ("La date de fin anticipée", terms.terminated_on),
    ):
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            raise ValueError(f"{label} doit être une date (sans heure).")
    for label, value in (
        ("La date de prise d'effet", terms.start),
        ("La date de fin", terms.end_date),
    ):
        if value is not None and not DATE_MIN <= value <= DATE_MAX:
            raise ValueError(
                f"{label} ({_fr(value)}) doit être comprise entre le {_fr(DATE_MIN)} et le "
                f"{_fr(DATE_MAX)}."
            )
    if terms.end_date is not None and terms.end_date < terms.start:
        raise ValueError(
            f"La date de fin ({_fr(terms.end_date)}) précède la date de prise d'effet "
            f"({_fr(terms.start)})."
        )


def _check_counts(terms: Terms) -> None:
    counts = (
        (terms.max_renewals, "Le nombre maximal de reconductions", MAX_MONTHS, ""),
        (terms.notice_months, "Le préavis de non-reconduction", MAX_MONTHS, " mois (100 ans)"),
        (terms.notice_days, "Le préavis de non-reconduction", MAX_DAYS, " jours (100 ans)"),
        (terms.termination_months, "Le délai de résiliation", MAX_MONTHS, " mois (100 ans)"),
        (terms.termination_days, "Le délai de résiliation", MAX_DAYS, " jours (100 ans)"),
    )
    for value, label, limit, unit in counts:
        if value is None:
            continue
        if not _is_int(value):
            raise ValueError(f"{label} doit être un nombre entier.")
        if value < 0:
            raise ValueError(f"{label} ne peut pas être négatif.")
        if value > limit:
            raise ValueError(f"{label} ne peut pas dépasser {limit}{unit}.")


def _check_renewal(terms: Terms) -> None:
    if not terms.tacit_renewal:
        if terms.renewal_months is not None:
            raise ValueError(
                "Une durée de reconduction est indiquée mais la convention n'est pas "
                "reconduite tacitement."
            )
        if terms.max_renewals:
            raise ValueError(
                "Un nombre de reconductions est indiqué mais la convention n'est pas "
                "reconduite tacitement."
            )
        return
    if terms.is_open_ended:
        raise ValueError(
            "Une convention à durée indéterminée ne peut pas être reconduite tacitement : "
            "indiquez sa durée ou sa date de fin."
        )
    if terms.renewal_length is None:
        raise ValueError("La reconduction tacite exige une durée de reconduction.")
    if terms.max_renewals and terms.max_renewals * terms.renewal_length > MAX_MONTHS:
        raise ValueError(
            f"Les reconductions cumulées ({terms.max_renewals} × {terms.renewal_length} mois) "
            f"ne peuvent pas dépasser {MAX_MONTHS} mois (100 ans)."
        )


def _check_notice(terms: Terms) -> None:
    """The notice must leave at least one day, in every period it precedes, to be given."""
    if not (terms.notice_months or terms.notice_days):
        return
    if not terms.tacit_renewal:
        return  # the last period: see ``has_notice``
    notice = _fr_delay(terms.notice_months, terms.notice_days)
    if terms.max_renewals != 0:
        end = _renewal_day_out(terms, 0) - ONE_DAY
        if delay_expiry(terms.start, months=terms.notice_months, days=terms.notice_days) > end:
            raise ValueError(
                f"Le préavis de non-reconduction ({notice}) est plus long que la période "
                f"initiale (du {_fr(terms.start)} au {_fr(end)})."
            )
    length = terms.renewal_length
    if length is not None and (terms.max_renewals is None or terms.max_renewals >= 2):
        fits = terms.notice_months < length and terms.notice_days < _shortest_span_days(
            length - terms.notice_months
        )
        if not fits:
            raise ValueError(
                f"Le préavis de non-reconduction ({notice}) est plus long que la durée de "
                f"reconduction ({length} mois)."
            )


@cache
def _shortest_span_days(months: int) -> int:
    """Fewest days in ``months`` consecutive calendar months, over a whole Gregorian cycle."""
    firsts = (date(2000 + i // 12, i % 12 + 1, 1) for i in range(12 * 400))
    return min((first + relativedelta(months=months) - first).days for first in firsts)


def _check_termination(terms: Terms) -> None:
    last = terms.terminated_on
    if last is None:
        return
    if last < terms.start:
        raise ValueError(
            f"La date de fin anticipée ({_fr(last)}) précède la date de prise d'effet "
            f"({_fr(terms.start)})."
        )
    natural = _natural_expiry(terms)
    if natural is not None and last > natural:
        raise ValueError(
            f"La date de fin anticipée ({_fr(last)}) est postérieure à la fin de la "
            f"convention ({_fr(natural)})."
        )


# --- periods -------------------------------------------------------------------------------


def _first_day_out(terms: Terms, index: int) -> date | None:
    """Day after period ``index`` by the clauses alone (no renewal limit, no termination)."""
    if terms.end_date is not None:
        renewals_from = terms.end_date + ONE_DAY
        return anniversary(renewals_from, index * (terms.renewal_length or 0))
    if terms.duration_months is None:
        return None
    return anniversary(terms.start, terms.duration_months + index * (terms.renewal_length or 0))


def _renewal_day_out(terms: Terms, index: int) -> date:
    """``_first_day_out`` of a convention with a term (renewed, or ending): never None."""
    day = _first_day_out(terms, index)
    assert day is not None, "a convention with a term"
    return day


def _exists(terms: Terms, index: int) -> bool:
    if index == 0:
        return True
    return terms.tacit_renewal and (terms.max_renewals is None or index <= terms.max_renewals)


def _period(terms: Terms, index: int) -> Period | None:
    """Period ``index``, or ``None`` if the clauses or a termination leave no such period."""
    if not _exists(terms, index):
        return None
    start = terms.start if index == 0 else _renewal_day_out(terms, index - 1)
    out = _first_day_out(terms, index)
    end = None if out is None else out - ONE_DAY
    last = terms.terminated_on
    if last is not None:
        if start > last:
            return None
        end = last if end is None else min(end, last)
    return Period(index, start, end)


def _index_at(terms: Terms, day: date) -> int:
    """Index of the period that covers ``day >= start`` if renewals never stopped."""
    first_out = _first_day_out(terms, 0)
    if not terms.tacit_renewal or first_out is None or day < first_out:
        return 0
    length = terms.renewal_length or 1
    elapsed = (day.year - first_out.year) * 12 + day.month - first_out.month
    index = max(1, elapsed // length + 1)
    while index > 1 and _renewal_day_out(terms, index - 1) > day:
        index -= 1
    while _renewal_day_out(terms, index) <= day:
        index += 1
    return index


def _natural_expiry(terms: Terms) -> date | None:
    if terms.is_open_ended or (terms.tacit_renewal and terms.max_renewals is None):
        return None
    last_index = (terms.max_renewals or 0) if terms.tacit_renewal else 0
    return _renewal_day_out(terms, last_index) - ONE_DAY


def _reference_period(terms: Terms, on: date) -> Period | None:
    """The period in force on ``on``; the initial one before the start; ``None`` after."""
    on = _bounded(on)
    if on < terms.start:
        return _period(terms, 0)
    return current_period(terms, on=on)


# --- public API ----------------------------------------------------------------------------


def periods(terms: Terms, *, until: date) -> Iterator[Period]:
    """The successive periods starting on or before ``until``: the initial term, then each
    tacit renewal (« renouvelable par tacite reconduction »), up to ``max_renewals``."""
    until = _bounded(until)
    index = 0
    while (period := _period(terms, index)) is not None and period.start <= until:
        yield period
        if period.end is None:
            return
        index += 1


def current_period(terms: Terms, *, on: date) -> Period | None:
    """The period in force on ``on`` (« la présente convention est conclue pour une durée
    de… »), or ``None`` before its effective date and after its expiry or termination."""
    on = _bounded(on)
    if on < terms.start:
        return None
    period = _period(terms, _index_at(terms, on))
    return period if period is not None and period.covers(on) else None


def end_of_term(terms: Terms, *, on: date) -> date | None:
    """Last day in force of the period in force on ``on`` (of the initial term before the
    start); ``None`` for an open-ended convention or once it has expired."""
    period = _reference_period(terms, on)
    return None if period is None else period.end


def next_renewal(terms: Terms, *, on: date) -> date | None:
    """First day of the tacit renewal that follows the period in force on ``on`` (the initial
    term before the start), or ``None`` when no renewal remains (no tacit renewal clause,
    ``max_renewals`` reached, open-ended, expired or terminated)."""
    period = _reference_period(terms, on)
    if period is None or period.end is None:
        return None
    following = _period(terms, period.index + 1)
    return None if following is None else following.start


def has_notice(terms: Terms, period: Period) -> bool:
    """Whether a notice deadline precedes the end of ``period``: a renewal follows it, or the
    text asks for notice of non-renewal even without tacit renewal (CPME Île-de-France: « si
    l'un ou l'autre des partenaires souhaite résilier ou ne pas reconduire la convention, il
    est tenu d'en informer l'autre partie sous réserve d'un préavis de trois mois »). None
    once an ending is recorded (``terminated_on``) or for an open-ended period."""
    if period.end is None or terms.terminated_on is not None:
        return False
    if _period(terms, period.index + 1) is not None:
        return True
    if not (terms.notice_months or terms.notice_days):
        return False
    # The last period: only a notice that can be given within it (no deadline before it).
    last = _last_notice_day(period.end, months=terms.notice_months, days=terms.notice_days)
    return last >= period.start


def notice_deadline(terms: Terms, *, on: date) -> date | None:
    """Last day on which a notice of non-renewal may be RECEIVED to stop the renewal that
    follows the period in force on ``on`` (« en cas de non-renouvellement, un préavis de trois
    mois doit être respecté »), or, for a convention whose text asks for notice without tacit
    renewal, to notify in time that it will not be renewed: the latest D with
    ``D + notice <= end`` (see the module doc).

    ``None`` when no renewal follows and no notice is asked for. The date may already be past
    on ``on``: the convention will then be renewed, and the next deadline is asked for on a
    day of the next period.
    """
    period = _reference_period(terms, on)
    if period is None or period.end is None or not has_notice(terms, period):
        return None
    return _last_notice_day(period.end, months=terms.notice_months, days=terms.notice_days)


def non_renewal_end(terms: Terms, *, notified_on: date) -> date:
    """Last day in force of a convention after a notice of non-renewal notified on
    ``notified_on``: the end of the period in force that day when the notice is in time,
    otherwise the end of the first later period it is in time for (a late notice lets the
    tacit renewal happen: Lille, « un préavis de trois mois doit être respecté »). Raises a
    French ``ValueError`` when the convention is not in force that day or has no end."""
    if current_period(terms, on=notified_on) is None:
        raise ValueError(
            f"La convention n'est pas en vigueur le {_fr(notified_on)} : il n'y a rien à dénoncer."
        )
    period = current_period(terms, on=notified_on)
    while period is not None:
        if period.end is None:
            raise ValueError(
                "Une convention à durée indéterminée ne se dénonce pas pour non-reconduction : "
                "enregistrez une résiliation."
            )
        if delay_expiry(notified_on, months=terms.notice_months, days=terms.notice_days) <= (
            period.end
        ):
            return period.end
        following = _period(terms, period.index + 1)
        if following is None:
            return period.end  # too late, but nothing follows: it ends anyway
        period = following
    raise ValueError("Aucune période ne suit.")  # pragma: no cover


def _last_notice_day(end: date, *, months: int, days: int) -> date:
    """Latest D with ``delay_expiry(D) <= end``; ``delay_expiry`` is non-decreasing in D."""
    delay = relativedelta(months=months, days=days)
    day = end - delay
    if day + delay <= end:
        while day + ONE_DAY + delay <= end:
            day += ONE_DAY
    else:
        while day + delay > end:
            day -= ONE_DAY
    return day


def notice_in_time(terms: Terms, *, received_on: date) -> bool:
    """Whether a notice of non-renewal received on ``received_on`` stops the next renewal."""
    deadline = notice_deadline(terms, on=received_on)
    return deadline is not None and received_on <= deadline


def termination_effective_date(terms: Terms, *, notice_received_on: date) -> date:
    """Last day in force of a convention terminated by a notice received on
    ``notice_received_on``: receipt + termination delay (CEE model, art. 8: « la résiliation
    prendra effet à l'expiration d'un délai minimal de six mois à compter de la réception »).

    The termination takes effect at the end of the returned day, which is the convention's
    new ``end``: it is still in force that day, out of force the next. If the convention
    would expire earlier anyway (no renewal left), that earlier end is returned. Lille's
    clause counts its 2 months from the *sending* of the registered letter: pass that date.
    """
    received = notice_received_on
    if received > DATE_MAX:
        raise ValueError(
            f"L'avis de résiliation ({_fr(received)}) doit être daté au plus tard du "
            f"{_fr(DATE_MAX)}."
        )
    if received < terms.start:
        raise ValueError(
            f"L'avis de résiliation ({_fr(received)}) est antérieur à la prise d'effet de la "
            f"convention ({_fr(terms.start)})."
        )
    if current_period(terms, on=received) is None:
        raise ValueError(
            f"La convention n'est plus en vigueur le {_fr(received)} : il n'y a rien à résilier."
        )
    last = delay_expiry(received, months=terms.termination_months, days=terms.termination_days)
    expiry = expiry_date(terms)
    return last if expiry is None else min(last, expiry)


def terminate(terms: Terms, *, notice_received_on: date) -> Terms:
    """The same terms, ended early by a notice of termination received that day."""
    last = termination_effective_date(terms, notice_received_on=notice_received_on)
    return replace(terms, terminated_on=last)


def expiry_date(terms: Terms) -> date | None:
    """Last day in force if no notice is ever given: the end of the last possible period (or
    the termination), ``None`` when renewals are unlimited or the convention open-ended."""
    return terms.terminated_on if terms.terminated_on is not None else _natural_expiry(terms)


def status_on(terms: Terms, *, on: date) -> Status:
    """Not yet in force (before the effective date), in force, expired, or terminated (after
    the last day in force set by :func:`terminate`)."""
    on = _bounded(on)
    if on < terms.start:
        return Status.NOT_YET_IN_FORCE
    if current_period(terms, on=on) is not None:
        return Status.IN_FORCE
    return Status.EXPIRED if terms.terminated_on is None else Status.TERMINATED
