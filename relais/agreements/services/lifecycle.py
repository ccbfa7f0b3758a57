"""The lifecycle of a convention: each service checks what the user typed (French errors by
field), then fires its transition of ``AGREEMENT_WORKFLOW`` (``relais.agreements.workflows``),
which locks the row, checks the state, the user and the guard, and journals the move."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.validation import check_date_range
from relais.users.types import AnyUser

from .. import deadlines
from ..consolidation import usable_terms
from ..enums import AgreementState, SignatureMode, Transition
from ..models import Agreement, Party, Signatory
from ..workflows import AGREEMENT_WORKFLOW
from .common import check_manage, refresh_dates
from .endings import agreement_end
from .entry import enter_into_force_if_signed
from .esign import signature_invite


def _required(text: str, field: str, message: str) -> str:
    if not (text or "").strip():
        raise ValidationError({field: message})
    return text.strip()


@transaction.atomic
def agreement_send_for_signature(
    *, user: AnyUser, agreement: Agreement, note: str = ""
) -> Agreement:
    """Freeze the draft in a new version and open it for signature. Needs at least two
    parties, a signatory for each party, and a text (preamble or articles)."""
    journal: dict[str, object] = {"version": None}
    agreement = AGREEMENT_WORKFLOW.fire(
        agreement, Transition.SEND_FOR_SIGNATURE, user=user, note=note, data=journal,
        journal=journal,
    )  # fmt: skip
    signature_invite(user=user, agreement=agreement)
    return agreement


@transaction.atomic
def agreement_back_to_draft(*, user: AnyUser, agreement: Agreement, note: str) -> Agreement:
    """Take a convention back to draft to change its text, while nobody has signed yet."""
    check_manage(user, agreement)
    note = _required(note, "note", "Indiquez pourquoi le texte revient en brouillon.")
    return AGREEMENT_WORKFLOW.fire(agreement, Transition.BACK_TO_DRAFT, user=user, note=note)


@transaction.atomic
def agreement_record_signature(
    *, user: AnyUser, signatory: Signatory, signed_on: date, mode: str, today: date | None = None
) -> Agreement:
    """Record one signature (its own date and mode). At the last signature the convention
    enters into force: it takes effect on its stated date, else at the last signature."""
    agreement = signatory.agreement
    check_manage(user, agreement)
    today = today or timezone.localdate()
    if signed_on > today:
        raise ValidationError({"signed_on": "La date de signature ne peut pas être dans le futur."})
    check_date_range(signed_on, "signed_on")
    if mode not in SignatureMode.values:
        raise ValidationError({"mode": "Choisissez le mode de signature (papier ou électronique)."})
    agreement = AGREEMENT_WORKFLOW.fire(
        agreement,
        Transition.SIGN,
        user=user,
        note=f"{signatory.full_name} ({signatory.party.name})",
        data={"signatory": signatory.pk, "signed_on": signed_on.isoformat(), "mode": mode},
        signatory=signatory,
        signed_on=signed_on,
        mode=mode,
    )
    return enter_into_force_if_signed(agreement, user=user, today=today)


@transaction.atomic
def agreement_terminate(
    *,
    user: AnyUser,
    agreement: Agreement,
    notice_received_on: date,
    reason: str,
    party: Party | None = None,
    today: date | None = None,
) -> Agreement:
    """Record the termination of a convention in force from a notice received (or sent,
    where the text counts from the sending: ``Agreement.termination_from_sending``) on
    ``notice_received_on``. Its last day in force follows from the termination clause
    (CEE model: 6 months; ``endings``)."""
    try:
        return agreement_end(
            user=user, agreement=agreement, step=Transition.TERMINATE, on=notice_received_on,
            reason=reason, party=party, today=today,
        )  # fmt: skip
    except ValidationError as error:
        if hasattr(error, "error_dict") and "on" in error.error_dict:
            error.error_dict["notice_received_on"] = error.error_dict.pop("on")
        raise


@transaction.atomic
def agreement_expire(
    *, agreement: Agreement, today: date, user: AnyUser | None = None
) -> Agreement:
    """Close a convention whose last period (or termination) has ended before ``today``: a
    convention in force expires (journaled); a terminated one keeps its state and gets the
    day its termination took effect."""
    terms = usable_terms(agreement)
    if agreement.state not in (AgreementState.IN_FORCE, AgreementState.TERMINATED) or not terms:
        raise ValidationError("Seule une convention en vigueur ou résiliée peut expirer.")
    if deadlines.status_on(terms, on=today) not in (
        deadlines.Status.EXPIRED,
        deadlines.Status.TERMINATED,
    ):
        raise ValidationError("Cette convention est encore en vigueur.")
    ended_on = deadlines.expiry_date(terms)
    if agreement.state == AgreementState.IN_FORCE:
        agreement = AGREEMENT_WORKFLOW.fire(
            agreement,
            Transition.EXPIRE,
            user=user,
            note=f"Fin le {ended_on:%d/%m/%Y}.",
            today=today,
            ended_on=ended_on,
        )
    else:
        Agreement.objects.filter(pk=agreement.pk).update(
            ended_on=ended_on, updated_at=timezone.now()
        )
        agreement.ended_on = ended_on
    refresh_dates(agreement, today=today)
    return agreement


@transaction.atomic
def agreement_abandon(*, user: AnyUser, agreement: Agreement, note: str) -> Agreement:
    """Abandon a draft or a convention still in signature."""
    check_manage(user, agreement)
    note = _required(note, "note", "Indiquez pourquoi la convention est abandonnée.")
    return AGREEMENT_WORKFLOW.fire(agreement, Transition.ABANDON, user=user, note=note)
