"""Every way a convention ends, as transitions of ``AGREEMENT_WORKFLOW`` (``workflows``):
their guards and effects, each with its date rule. The day given (``on``) is the day the
letter was received, or sent where the text counts from the sending.

| transition (``enums.Transition``) | last day in force                                        |
|-----------------------------------|----------------------------------------------------------|
| ``non_reconduction``              | the end of the period in force, when the notice of       |
|                                   | non-renewal (``notice_months``) is in time; otherwise    |
|                                   | the end of the first later period it is in time for      |
|                                   | (Lille, CPME: « un préavis de trois mois »)              |
| ``resiliation``                   | ``on`` + ``termination_months`` (CEE model: six months   |
|                                   | « à compter de la réception de la notification écrite »)  |
| ``resiliation_faute``             | ``on`` + ``breach_months`` (Lille: « à l'expiration d'un  |
|                                   | délai de deux mois suivant l'envoi d'une lettre          |
|                                   | recommandée … valant mise en demeure »)                  |
| ``commun_accord``                 | the day the parties agree on                             |
| ``retrait`` (one party)           | ``on`` + ``termination_months`` for that party; the      |
|                                   | others stay bound (at least two parties must remain)     |
| ``expiration`` (nightly job)      | the end of the last period                               |

No ending lasts beyond the convention's natural expiry. Each one writes the journal line
(who, when, the day given, the last day, the clause applied) from which its notice letter
is generated (``letters``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.core.exceptions import ValidationError

from relais.core.dates import format_date

from . import deadlines
from .consolidation import consolidate, consolidated_clauses, terms_of
from .enums import Ending
from .models import Agreement, Party


def _terms(agreement: Agreement) -> deadlines.Terms:
    terms = terms_of(agreement)
    if terms is None:
        raise ValidationError("La convention n'a pas encore pris effet.")
    return terms


def _in_force_on(terms: deadlines.Terms, on: date, field: str = "on") -> None:
    if deadlines.current_period(terms, on=on) is None:
        raise ValidationError({field: f"La convention n'est pas en vigueur le {format_date(on)}."})


def _capped(terms: deadlines.Terms, last: date) -> date:
    expiry = deadlines.expiry_date(terms)
    return last if expiry is None else min(last, expiry)


def _record(
    agreement: Agreement,
    *,
    ending: str,
    on: date,
    last_day: date,
    reason: str,
    party: Party | None,
    journal: dict,
    **extra: object,
) -> None:
    agreement.ending = ending
    agreement.notice_received_on = on
    agreement.terminated_on = last_day
    agreement.termination_reason = reason
    agreement.terminated_by = party
    journal |= {
        "ending": ending,
        "on": on.isoformat(),
        "notice_received_on": on.isoformat(),
        "last_day": last_day.isoformat(),
        "party": party.pk if party else None,
        **extra,
    }


def non_renewal_last_day(agreement: Agreement, *, on: date) -> date:
    try:
        return deadlines.non_renewal_end(_terms(agreement), notified_on=on)
    except ValueError as exc:
        raise ValidationError({"on": str(exc)}) from exc


def note_non_renewal(
    agreement: Agreement, *, user, on: date, reason: str, party, journal: dict, **context
) -> None:
    """Notice of non-renewal: the convention ends at the end of its current period (or of
    the next one for a late notice, which lets the tacit renewal happen)."""
    terms = _terms(agreement)
    last_day = non_renewal_last_day(agreement, on=on)
    deadline = deadlines.notice_deadline(terms, on=on)
    _record(
        agreement, ending=Ending.NON_RENEWAL, on=on, last_day=last_day, reason=reason,
        party=party, journal=journal, in_time=deadline is not None and on <= deadline,
        notice_months=terms.notice_months,
    )  # fmt: skip


def termination_last_day(agreement: Agreement, *, on: date, breach: bool = False) -> date:
    """``on`` + the termination (or breach) delay of the consolidated clauses, capped at the
    natural expiry (``deadlines.termination_effective_date``)."""
    terms = _terms(agreement)
    clauses = consolidated_clauses(agreement)
    if breach and clauses.get("breach_months") is not None:
        terms = replace(terms, termination_months=clauses["breach_months"], termination_days=0)
    try:
        return deadlines.termination_effective_date(terms, notice_received_on=on)
    except ValueError as exc:
        raise ValidationError({"on": str(exc)}) from exc


def counted_from(agreement: Agreement, *, breach: bool = False) -> str:
    """« envoi » or « réception »: what the text counts the delay from."""
    sending = agreement.breach_from_sending if breach else agreement.termination_from_sending
    return "envoi" if sending else "réception"


def note_termination(
    agreement: Agreement, *, user, on: date, reason: str, party, journal: dict, **context
) -> None:
    """Termination with notice: ``on`` + the termination delay."""
    last_day = termination_last_day(agreement, on=on)
    _record(
        agreement, ending=Ending.TERMINATION, on=on, last_day=last_day, reason=reason,
        party=party, journal=journal, counted_from=counted_from(agreement),
        delay_months=consolidated_clauses(agreement)["termination_months"] or 0,
    )  # fmt: skip


def note_breach(
    agreement: Agreement, *, user, on: date, reason: str, party, journal: dict, **context
) -> None:
    """Termination for breach (« non-respect des termes de la convention »), after the
    formal notice (« mise en demeure »): ``on`` + the breach delay."""
    last_day = termination_last_day(agreement, on=on, breach=True)
    clauses = consolidated_clauses(agreement)
    months = clauses["breach_months"]
    _record(
        agreement, ending=Ending.BREACH, on=on, last_day=last_day, reason=reason,
        party=party, journal=journal, counted_from=counted_from(agreement, breach=True),
        delay_months=months if months is not None else clauses["termination_months"] or 0,
    )  # fmt: skip


def note_mutual(
    agreement: Agreement,
    *,
    user,
    on: date,
    ends_on: date,
    reason: str,
    journal: dict,
    **context,
) -> None:
    """Mutual agreement: the parties agree on ``on`` that the convention ends on ``ends_on``
    (its last day in force), no later than its natural expiry."""
    terms = _terms(agreement)
    _in_force_on(terms, on)
    if ends_on < on:
        raise ValidationError(
            {"ends_on": "La fin convenue ne peut pas précéder la date de l'accord."}
        )
    expiry = deadlines.expiry_date(terms)
    if expiry is not None and ends_on > expiry:
        raise ValidationError(
            {"ends_on": f"La convention expire de toute façon le {format_date(expiry)}."}
        )
    _record(
        agreement, ending=Ending.MUTUAL, on=on, last_day=ends_on, reason=reason, party=None,
        journal=journal,
    )  # fmt: skip


# --- a party's withdrawal --------------------------------------------------------------------


def may_withdraw(agreement: Agreement, *, party: Party | None = None, **context) -> str | None:
    """At least three parties, so that two remain; with ``party``: a party still bound."""
    current = consolidate(agreement)
    if len(current.parties) < 3:
        return (
            "Le retrait d'une partie suppose qu'au moins deux parties restent liées : "
            "enregistrez plutôt une résiliation."
        )
    if party is not None and party.pk not in {p.pk for p in current.parties}:
        return f"{party.name} n'est pas (ou plus) partie à cette convention."
    if party is not None and party.withdrawn_on is not None:
        return f"Le retrait de {party.name} est déjà enregistré."
    return None


def note_withdrawal(
    agreement: Agreement, *, user, on: date, party: Party, reason: str, journal: dict, **context
) -> None:
    """A party withdraws; the others stay bound. It is bound until ``on`` + the termination
    delay (capped at the convention's expiry)."""
    last_day = termination_last_day(agreement, on=on)
    Party.objects.filter(pk=party.pk).update(withdrawal_notice_on=on, withdrawn_on=last_day)
    party.withdrawal_notice_on, party.withdrawn_on = on, last_day
    journal |= {
        "on": on.isoformat(),
        "last_day": last_day.isoformat(),
        "party": party.pk,
        "party_name": party.name,
        "counted_from": counted_from(agreement),
    }
