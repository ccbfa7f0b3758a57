"""The entry into force at the last signature, whoever gave it: the team recording a paper
signature (``lifecycle``) or the signatory signing through their link (``esign``)."""

from __future__ import annotations

from datetime import date

from relais.users.types import AnyUser

from ..enums import AgreementState, Transition
from ..models import Agreement
from ..workflows import AGREEMENT_WORKFLOW
from .common import refresh_dates, refresh_search


def enter_into_force_if_signed(
    agreement: Agreement, *, user: AnyUser | None, today: date
) -> Agreement:
    """At the last signature (on paper or electronic) the convention enters into force: it
    takes effect on its stated date, else at the last signature."""
    if agreement.signatories.filter(signed_on__isnull=True).exists():
        return agreement
    signed = agreement.signatories.values_list("signed_on", flat=True)
    last = max(day for day in signed if day is not None)  # all have signed (checked above)
    start = agreement.effective_date or last
    agreement = AGREEMENT_WORKFLOW.fire(
        agreement,
        Transition.ENTER_INTO_FORCE,
        user=user,
        note=f"Prend effet le {start:%d/%m/%Y}.",
        data={"start_date": start.isoformat()},
    )
    refresh_dates(agreement, today=today)
    _after_entry_into_force(agreement, user=user, today=today)
    return agreement


def _after_entry_into_force(agreement: Agreement, *, user: AnyUser | None, today: date) -> None:
    """A new convention ends the one it replaces; an avenant changes its convention."""
    old = agreement.supersedes
    if old is not None and old.state == AgreementState.IN_FORCE:
        old = AGREEMENT_WORKFLOW.fire(
            old,
            Transition.SUPERSEDE,
            user=user,
            note=f"Remplacée par {agreement.number}.",
            replacement=agreement,
        )
        refresh_dates(old, today=today)
    amended = agreement.amends  # None unless agreement.amends_id
    if amended is not None:
        refresh_dates(amended, today=today)
        refresh_search(amended)
