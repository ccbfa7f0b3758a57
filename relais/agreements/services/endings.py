"""Ending a convention (``relais.agreements.endings`` for the date rules): a notice of
non-renewal, a termination with notice or for breach, a mutual agreement, a party's
withdrawal. Each checks what the user typed (French errors by field), fires its transition
of ``AGREEMENT_WORKFLOW`` and refreshes the stored dates; the journal line it writes is what
the notice letter is generated from (``relais.agreements.letters``)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.validation import check_date_range
from relais.users.types import AnyUser

from ..consolidation import consolidate
from ..enums import Transition
from ..models import Agreement, Party
from ..workflows import AGREEMENT_WORKFLOW
from .common import check_manage, refresh_dates

ENDING_TRANSITIONS = {
    Transition.NON_RENEWAL,
    Transition.TERMINATE,
    Transition.BREACH,
    Transition.MUTUAL,
}
REASON_REQUIRED: dict[str, str] = {
    Transition.NON_RENEWAL: "Indiquez le motif de la non-reconduction.",
    Transition.TERMINATE: "Indiquez le motif de la résiliation.",
    Transition.BREACH: "Indiquez le manquement constaté (mise en demeure).",
    Transition.MUTUAL: "Indiquez l'objet de l'accord des parties.",
    Transition.WITHDRAWAL: "Indiquez le motif du retrait.",
}


def _checked(agreement: Agreement, *, step: str, on: date, reason: str, today: date) -> str:
    """The reason, stripped; French errors for a missing reason or a date to come."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REASON_REQUIRED[step]})
    if on > today:
        raise ValidationError({"on": "Cette date ne peut pas être dans le futur."})
    check_date_range(on, "on")
    return reason


def _party_of(agreement: Agreement, party: Party | None) -> Party | None:
    if party is None:
        return None
    if party.pk not in {p.pk for p in consolidate(agreement).parties}:
        raise ValidationError({"party": "Cette partie n'est pas partie à la convention."})
    return party


@transaction.atomic
def agreement_end(
    *,
    user: AnyUser,
    agreement: Agreement,
    step: str,
    on: date,
    reason: str,
    party: Party | None = None,
    ends_on: date | None = None,
    today: date | None = None,
) -> Agreement:
    """End a convention in force by ``step`` (non-renewal, termination, breach, mutual
    agreement) from the letter of ``on`` (received, or sent where the text counts from the
    sending; for a mutual agreement: the day of the agreement, ending on ``ends_on``)."""
    if step not in ENDING_TRANSITIONS:
        raise ValidationError(f"Étape inconnue : « {step} ».")
    check_manage(user, agreement)
    today = today or timezone.localdate()
    reason = _checked(agreement, step=step, on=on, reason=reason, today=today)
    context: dict[str, object] = {"party": _party_of(agreement, party)}
    if step == Transition.MUTUAL:
        if ends_on is None:
            raise ValidationError({"ends_on": "Indiquez le dernier jour en vigueur convenu."})
        check_date_range(ends_on, "ends_on")
        context = {"ends_on": ends_on}
    journal: dict[str, object] = {}
    agreement = AGREEMENT_WORKFLOW.fire(
        agreement, step, user=user, note=reason, data=journal, journal=journal, on=on,
        reason=reason, **context,
    )  # fmt: skip
    refresh_dates(agreement, today=today)
    return agreement


@transaction.atomic
def party_withdraw(
    *,
    user: AnyUser,
    agreement: Agreement,
    party: Party,
    on: date,
    reason: str,
    today: date | None = None,
) -> Agreement:
    """A party withdraws from a convention in force (its letter of ``on``); the other
    parties stay bound. It is bound until ``on`` + the termination delay."""
    check_manage(user, agreement)
    today = today or timezone.localdate()
    reason = _checked(agreement, step=Transition.WITHDRAWAL, on=on, reason=reason, today=today)
    journal: dict[str, object] = {}
    return AGREEMENT_WORKFLOW.fire(
        agreement, Transition.WITHDRAWAL, user=user, note=f"{party.name} : {reason}",
        data=journal, journal=journal, on=on, party=party, reason=reason,
    )  # fmt: skip
