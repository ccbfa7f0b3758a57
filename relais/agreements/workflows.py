"""The lifecycle of a convention (ADR 0007: declared once, fired by the services, read by the
pages and the API)::

    brouillon ──envoi en signature──▶ en signature ──dernière signature──▶ en vigueur
        ▲  │                             │  │                                │ │ │
        │  └──abandon──▶ abandonnée ◀────┘  └──retour en brouillon (aucune   │ │ └─▶ expirée
        └──────────────────────────────────────signature encore)             │ └──▶ résiliée
                                                                             └────▶ remplacée

The names of the transitions are the values of ``enums.Transition``. Who: the académie team
of the convention's scope (``perms.can_manage``); the expiry is noted by the nightly job and
the replacement follows the entry into force of the new convention. Sending for signature
freezes the text in an ``AgreementVersion`` (the transition's effect).

Guards take the service's context: without it (``available`` for a page) they say whether the
convention may move now; with it (``fire``) they also check what the service passes (the
signatory who signs, the replacing convention). ``agreement_actions`` gives pages and the API
what a user may do on a convention: the transitions available and the other actions (edit a
draft, write an avenant, decline locally, deposit a scan).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from relais.core.validation import check_date_range
from relais.core.workflow import Transition, Workflow
from relais.users.models import User
from relais.users.types import AnyUser

from . import deadlines, endings
from .consolidation import usable_terms
from .drafts import signature_blockers, snapshot, validate_clauses
from .enums import AgreementKind, AgreementScope, AgreementState, Ending
from .enums import Transition as Step
from .models import Agreement, AgreementJournal, AgreementVersion, Signatory
from .perms import can_create, can_manage

DRAFT, IN_SIGNATURE, IN_FORCE = (
    AgreementState.DRAFT,
    AgreementState.IN_SIGNATURE,
    AgreementState.IN_FORCE,
)
REFUSAL = "Seule l'équipe académique du périmètre de cette convention peut la modifier."


def by_the_system(user: AnyUser | None, agreement: Agreement) -> bool:
    """The nightly job (no user) notes what the dates decide."""
    return user is None or not user.is_authenticated


# --- guards ---------------------------------------------------------------------------------


def ready_for_signature(agreement: Agreement, **context: object) -> str | None:
    blockers = signature_blockers(agreement)
    return " ".join(blockers) if blockers else None


def nobody_signed(agreement: Agreement, **context: object) -> str | None:
    if any(s.signed_on for s in agreement.signatories.all()):
        return (
            "Une signature est déjà enregistrée : le texte signé ne peut plus changer. "
            "Abandonnez cette convention ou modifiez-la par avenant une fois en vigueur."
        )
    return None


def may_sign(
    agreement: Agreement, *, signatory: Signatory | None = None, **context: object
) -> str | None:
    """Someone is left to sign; with a ``signatory``: this one has not signed yet."""
    if signatory is None:
        if all(s.signed_on for s in agreement.signatories.all()):
            return "Toutes les signatures sont déjà enregistrées."
        return None
    current = Signatory.objects.select_for_update().filter(pk=signatory.pk).first()
    if current is None or current.agreement_id != agreement.pk:
        return "Ce signataire n'est pas un signataire de cette convention."
    if current.signed_on is not None:
        return (
            f"La signature de {current.full_name} est déjà enregistrée "
            f"(le {current.signed_on:%d/%m/%Y})."
        )
    return None


def all_signed(agreement: Agreement, **context: object) -> str | None:
    signatories = list(agreement.signatories.all())
    if not signatories or not all(s.signed_on for s in signatories):
        return "La convention entre en vigueur à la dernière signature."
    return None


def term_over(agreement: Agreement, *, today: date | None = None, **context: object) -> str | None:
    terms = usable_terms(agreement)
    if terms is None:
        return "Seule une convention en vigueur ou résiliée peut expirer."
    status = deadlines.status_on(terms, on=today or timezone.localdate())
    if status not in (deadlines.Status.EXPIRED, deadlines.Status.TERMINATED):
        return "Cette convention est encore en vigueur."
    return None


def replaced(
    agreement: Agreement, *, replacement: Agreement | None = None, **context: object
) -> str | None:
    if (
        replacement is None
        or replacement.supersedes_id != agreement.pk
        or replacement.state != IN_FORCE
    ):
        return "Une convention est remplacée à l'entrée en vigueur de celle qui la remplace."
    return None


# --- effects --------------------------------------------------------------------------------


def freeze_version(
    agreement: Agreement, *, user: User, journal: dict[str, object], **context: object
) -> None:
    """Freeze the text in a new version, once its clauses are checked again (French errors by
    field, for a row written before a check); its number goes to the journal's data."""
    validate_clauses(agreement)
    number = (
        agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    AgreementVersion.objects.create(
        agreement=agreement, number=number, content=snapshot(agreement), created_by=user
    )
    journal["version"] = number


def record_signature(
    agreement: Agreement,
    *,
    user: User,
    signatory: Signatory,
    signed_on: date,
    mode: str,
    **context: object,
) -> None:
    check_date_range(agreement.effective_date, "effective_date")  # a row predating the check
    Signatory.objects.filter(pk=signatory.pk).update(
        signed_on=signed_on, mode=mode, recorded_by=user
    )


def start(agreement: Agreement, *, user: AnyUser | None, **context: object) -> None:
    """In force: from its stated date, else from the last signature (all have signed: the
    guard ``all_signed``)."""
    last = max(s.signed_on for s in agreement.signatories.all() if s.signed_on is not None)
    agreement.signed_on = last
    agreement.start_date = agreement.effective_date or last


def note_expiry(
    agreement: Agreement, *, user: AnyUser | None, ended_on: date, **context: object
) -> None:
    agreement.ended_on = ended_on
    agreement.ending = Ending.EXPIRY


def not_ending(agreement: Agreement, **context: object) -> str | None:
    """One ending at a time: once an ending is notified, the convention runs to its end."""
    if agreement.terminated_on is not None:
        return (
            f"Une fin est déjà notifiée : la convention prend fin le "
            f"{agreement.terminated_on:%d/%m/%Y}."
        )
    return None


def renewable_or_notice(agreement: Agreement, **context: object) -> str | None:
    """A notice of non-renewal means something when a renewal follows or the text asks for
    one (CPME Île-de-France)."""
    blocked = not_ending(agreement)
    if blocked:
        return blocked
    terms = usable_terms(agreement)
    if terms is None or terms.is_open_ended:
        return "Une convention à durée indéterminée se résilie ; elle n'est pas reconduite."
    if not terms.tacit_renewal and not (terms.notice_months or terms.notice_days):
        return "Cette convention n'est pas reconduite : elle prend fin à son terme, sans préavis."
    return None


def start_any(user: AnyUser | None, agreement: Agreement) -> bool:
    """The entry into force follows the last signature: recorded by the team, or given by
    the signatory through their signing link (no account)."""
    return by_the_system(user, agreement) or can_manage(user, agreement)  # type: ignore[arg-type]


def note_replacement(
    agreement: Agreement, *, user: AnyUser | None, replacement: Agreement, **context: object
) -> None:
    assert replacement.start_date is not None  # in force (the guard ``replaced``)
    agreement.ended_on = replacement.start_date - timedelta(days=1)
    agreement.ending = Ending.REPLACEMENT


AGREEMENT_WORKFLOW: Workflow[Agreement] = Workflow(
    model=Agreement,
    journal=AgreementJournal,
    states=AgreementState,
    transitions=[
        Transition(
            Step.SEND_FOR_SIGNATURE,
            "Envoyer en signature",
            sources={DRAFT},
            target=IN_SIGNATURE,
            may_fire=can_manage,
            guard=ready_for_signature,
            effect=freeze_version,
            refusal=REFUSAL,
        ),
        Transition(
            Step.BACK_TO_DRAFT,
            "Revenir en brouillon",
            sources={IN_SIGNATURE},
            target=DRAFT,
            may_fire=can_manage,
            guard=nobody_signed,
            refusal=REFUSAL,
        ),
        # One signature among others: journaled, the state stays.
        Transition(
            Step.SIGN,
            "Enregistrer une signature",
            sources={IN_SIGNATURE},
            target=None,
            may_fire=can_manage,
            guard=may_sign,
            effect=record_signature,
            refusal=REFUSAL,
        ),
        Transition(
            Step.ENTER_INTO_FORCE,
            "Entrée en vigueur",
            sources={IN_SIGNATURE},
            target=IN_FORCE,
            may_fire=start_any,
            guard=all_signed,
            effect=start,
            refusal=REFUSAL,
        ),
        Transition(
            Step.EXPIRE,
            "Constater l'expiration",
            sources={IN_FORCE},
            target=AgreementState.EXPIRED,
            may_fire=by_the_system,
            guard=term_over,
            effect=note_expiry,
            refusal="L'expiration d'une convention est constatée chaque nuit par Relais.",
        ),
        # Every way a convention ends (``endings``): the convention stays in force, « en
        # préavis », until the last day the transition computes.
        Transition(
            Step.NON_RENEWAL,
            "Enregistrer une non-reconduction",
            sources={IN_FORCE},
            target=AgreementState.TERMINATED,
            may_fire=can_manage,
            guard=renewable_or_notice,
            effect=endings.note_non_renewal,
            refusal=REFUSAL,
        ),
        Transition(
            Step.TERMINATE,
            "Enregistrer une résiliation",
            sources={IN_FORCE},
            target=AgreementState.TERMINATED,
            may_fire=can_manage,
            guard=not_ending,
            effect=endings.note_termination,
            refusal=REFUSAL,
        ),
        Transition(
            Step.BREACH,
            "Résilier pour manquement",
            sources={IN_FORCE},
            target=AgreementState.TERMINATED,
            may_fire=can_manage,
            guard=not_ending,
            effect=endings.note_breach,
            refusal=REFUSAL,
        ),
        Transition(
            Step.MUTUAL,
            "Mettre fin d'un commun accord",
            sources={IN_FORCE},
            target=AgreementState.TERMINATED,
            may_fire=can_manage,
            guard=not_ending,
            effect=endings.note_mutual,
            refusal=REFUSAL,
        ),
        # A party leaves, the others stay bound: journaled, the state stays.
        Transition(
            Step.WITHDRAWAL,
            "Enregistrer le retrait d'une partie",
            sources={IN_FORCE},
            target=None,
            may_fire=can_manage,
            guard=endings.may_withdraw,
            effect=endings.note_withdrawal,
            refusal=REFUSAL,
        ),
        # A signatory signs through their link (``signing``): no account, the link and the
        # one-time code are the proof of identity.
        Transition(
            Step.E_SIGN,
            "Signature électronique",
            sources={IN_SIGNATURE},
            target=None,
            may_fire=by_the_system,
            guard=may_sign,
            effect=record_signature,
        ),
        # Follows the entry into force of the convention that replaces it, whoever signed it.
        Transition(
            Step.SUPERSEDE,
            "Remplacer",
            sources={IN_FORCE},
            target=AgreementState.SUPERSEDED,
            guard=replaced,
            effect=note_replacement,
        ),
        Transition(
            Step.ABANDON,
            "Abandonner",
            sources={DRAFT, IN_SIGNATURE},
            target=AgreementState.ABANDONED,
            may_fire=can_manage,
            refusal=REFUSAL,
        ),
    ],
)


# --- what a user may do on a convention -------------------------------------------------------

DECLINABLE_SCOPES = (
    AgreementScope.NATIONAL,
    AgreementScope.ACADEMIC_REGION,
    AgreementScope.ACADEMIE,
)


def can_edit(user: AnyUser, agreement: Agreement) -> bool:
    """Change the text, clauses, parties, signatories, articles or commitments: a draft."""
    return agreement.state == DRAFT and can_manage(user, agreement)


def can_amend(user: AnyUser, agreement: Agreement) -> bool:
    """Write an avenant: to a convention in force (not to an avenant)."""
    return (
        agreement.state == IN_FORCE
        and agreement.kind != AgreementKind.AVENANT
        and can_manage(user, agreement)
    )


def can_decline(user: AnyUser, agreement: Agreement) -> bool:
    """Decline locally a national, regional or académie convention in force: any académie
    team (on a territory it manages, checked at creation)."""
    return (
        agreement.state == IN_FORCE
        and agreement.kind != AgreementKind.AVENANT
        and agreement.scope in DECLINABLE_SCOPES
        and can_create(user)
    )


def can_add_scan(user: AnyUser, agreement: Agreement) -> bool:
    """Deposit the signed scan: once sent for signature (not a draft, not abandoned)."""
    return agreement.state not in (DRAFT, AgreementState.ABANDONED) and can_manage(user, agreement)


@dataclass(frozen=True)
class AgreementActions:
    """What ``user`` may do on a convention now: pages and the API show exactly this."""

    transitions: tuple[str, ...]  # names available (``AGREEMENT_WORKFLOW.available``)
    edit: bool
    amend: bool
    decline: bool
    add_scan: bool

    def can(self, name: str) -> bool:
        return str(name) in self.transitions


def agreement_actions(user: AnyUser, agreement: Agreement) -> AgreementActions:
    return AgreementActions(
        transitions=tuple(t.name for t in AGREEMENT_WORKFLOW.available(user, agreement)),
        edit=can_edit(user, agreement),
        amend=can_amend(user, agreement),
        decline=can_decline(user, agreement),
        add_scan=can_add_scan(user, agreement),
    )
