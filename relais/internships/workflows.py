"""The workflows of the pôles de stages (ADR 0007): the offer, the pupil's case, the proposal
to a company and the engine's suggestion. Services fire them with ``WORKFLOW.fire``; pages
and the API ask ``WORKFLOW.names(user, obj)`` what to offer.

Offer::

    brouillon ──publier──▶ publiée ◀──rouvrir (une place se libère)──┐
        │                    │  └──completer (toutes les places prises)──▶ complète
        └──fermer──▶ fermée ◀┘ (et depuis complète)                     │
                     expirée ◀──expirer (dernière semaine passée)───────┘ (publiée ou complète)

Case, the official path of Mesure 1 (« 1. L'élève cherche un stage […] 2. S'il ne trouve pas
de stage, il se tourne vers l'équipe pédagogique. 3. […] l'établissement contacte le pôle de
stages »)::

    recherche seul ─aider▶ aidé par ─orienter▶ orienté ─proposer▶ proposition ─placer▶ placé
          │                l'équipe              │  ▲                envoyée
          └──retirer──────────┴──▶ retiré ◀──────┤  └─remettre_en_file─┘ (refus, expiration,
                                   refusé ◀─decliner┘   annulation ; retirer et decliner
                                                        aussi depuis « proposition envoyée »)

    attribuer, accord_entreprise, anonymiser: steps journaled without a change of state.

Proposal::

    envoyée ──accepter (lien signé)──▶ acceptée ──confirmer (établissement)──▶ confirmée
       │  └──refuser (lien signé), expirer (tâche)     │
       └──annuler, dossier_clos──▶ annulée ◀───────────┘

Suggestion of the engine::

    à examiner ──envoyer──▶ proposition envoyée
        ├──ecarter──▶ écartée
        └──modifier (another offer-week, journaled, same state)

Who fires what comes from ``perms``. The moves that follow from another one (an offer full,
open again or past its last week; a proposal without an answer in time; the pupil back in
the pôle's queue after the company's refusal) are fired by the services and the jobs with
``user=None`` (``by_the_system``) and never offered as a button. The company answers through
its signed link, without an account: its transitions are fired with ``user=None`` too
(``by_signed_link``), the service having checked the token.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from relais.core.workflow import Transition, Workflow
from relais.users.models import User
from relais.users.types import AnyUser

from . import perms
from .enums import (
    OPEN_CASE_STATES,
    OPEN_PROPOSAL_STATES,
    CaseState,
    OfferState,
    ProposalState,
    SuggestionState,
)
from .models import (
    CaseJournal,
    InternshipOffer,
    OfferJournal,
    OfferSlot,
    PlacementCase,
    PlacementHub,
    Proposal,
    ProposalJournal,
    Suggestion,
    SuggestionJournal,
)


def by_the_system(user: AnyUser, obj: object) -> bool:
    """A move that follows from another one, fired by a service or a job (``user=None``)."""
    return user is None


def by_signed_link(user: AnyUser, obj: object) -> bool:
    """The company's answer through its signed link: no account (``user=None``); the
    service checked the token before firing."""
    return user is None


SYSTEM_ONLY = "Cette étape suit d'elle-même une autre action : elle ne se fait pas à la main."
LINK_ONLY = "Seule l'entreprise répond, par le lien qu'elle a reçu."

# --- offer ---------------------------------------------------------------------------------


def _ready_to_publish(offer: InternshipOffer, **context: object) -> str | None:
    if not any(slot.capacity > 0 for slot in offer.slots.all()):
        return "Indiquez au moins une semaine avec des places avant de publier."
    if offer.latitude is None or offer.longitude is None:
        return "La commune de l'offre n'a pas de coordonnées : précisez-les."
    return None


def _stamp_publication(offer: InternshipOffer, **context: object) -> None:
    if offer.published_at is None:
        offer.published_at = timezone.now()


def _has_free_place(offer: InternshipOffer) -> bool:
    return any(slot.free > 0 for slot in offer.slots.all())


def _every_place_taken(offer: InternshipOffer, **context: object) -> str | None:
    return "Il reste des places libres." if _has_free_place(offer) else None


def _a_place_is_free(offer: InternshipOffer, **context: object) -> str | None:
    return None if _has_free_place(offer) else "Aucune place n'est libre."


def _last_week_passed(
    offer: InternshipOffer, *, today: datetime.date | None = None, **context: object
) -> str | None:
    """A stage of the last week has ended (its Friday has passed)."""
    today = today or timezone.localdate()
    if offer.slots.filter(week__gte=today - datetime.timedelta(days=4)).exists():
        return "La dernière semaine de l'offre n'est pas encore passée."
    return None


OFFER_WORKFLOW: Workflow[InternshipOffer] = Workflow(
    model=InternshipOffer,
    journal=OfferJournal,
    states=OfferState,
    transitions=[
        Transition(
            "publier",
            "Publier",
            sources={OfferState.DRAFT},
            target=OfferState.PUBLISHED,
            may_fire=perms.can_manage_offer,
            guard=_ready_to_publish,
            effect=_stamp_publication,
            refusal="Vous ne pouvez pas publier cette offre.",
        ),
        Transition(
            "completer",
            "Toutes les places sont prises",
            sources={OfferState.PUBLISHED},
            target=OfferState.FULL,
            may_fire=by_the_system,
            guard=_every_place_taken,
            refusal=SYSTEM_ONLY,
        ),
        Transition(
            "rouvrir",
            "Une place s'est libérée",
            sources={OfferState.FULL},
            target=OfferState.PUBLISHED,
            may_fire=by_the_system,
            guard=_a_place_is_free,
            refusal=SYSTEM_ONLY,
        ),
        Transition(
            "fermer",
            "Fermer l'offre",
            sources={OfferState.DRAFT, OfferState.PUBLISHED, OfferState.FULL},
            target=OfferState.CLOSED,
            may_fire=perms.can_manage_offer,
            refusal="Vous ne pouvez pas fermer cette offre.",
        ),
        Transition(
            "expirer",
            "Dernière semaine passée",
            sources={OfferState.PUBLISHED, OfferState.FULL},
            target=OfferState.EXPIRED,
            may_fire=by_the_system,
            guard=_last_week_passed,
            refusal=SYSTEM_ONLY,
        ),
    ],
)


# --- case ----------------------------------------------------------------------------------


def _ready_for_the_pole(case: PlacementCase, **context: object) -> str | None:
    """What the pôle needs to work on the pupil's case."""
    pupil = case.pupil
    missing = []
    if pupil.establishment.bassin_id is None:
        missing.append("L'établissement n'est rattaché à aucun bassin, donc à aucun pôle.")
    if case.period_id is None:
        missing.append("Indiquez la période de stage de l'élève.")
    if not case.wishes:
        missing.append("Indiquez au moins un vœu (famille de métiers).")
    if pupil.establishment.latitude is None:
        missing.append("L'établissement n'a pas de coordonnées : le pôle ne peut pas calculer.")
    return "Avant d'orienter l'élève vers le pôle : " + " ".join(missing) if missing else None


def _refer(case: PlacementCase, **context: object) -> None:
    case.hub = PlacementHub.of_bassin(case.pupil.establishment.bassin)
    if case.referred_at is None:
        case.referred_at = timezone.now()


def _close(case: PlacementCase, **context: object) -> None:
    case.closed_at = timezone.now()


def _place(case: PlacementCase, **context: object) -> None:
    case.placed_at = case.closed_at = timezone.now()


def _assign(case: PlacementCase, *, owner: User | None, **context: object) -> None:
    case.owner = owner


def _back_to_queue_allowed(user: AnyUser, case: PlacementCase) -> bool:
    """After the company's refusal or the expiry (no one), or a cancelled proposal (the
    pôle, the school)."""
    return user is None or perms.can_close_case(user, case)


SCHOOL_PATH = "Seul l'établissement de l'élève le fait avancer jusqu'au pôle de stages."
CASE_REFUSAL = "Vous ne pouvez pas faire avancer ce dossier à cette étape."
BEFORE_PLACEMENT = {CaseState.SEARCHING_ALONE, CaseState.HELPED_BY_TEAM, CaseState.REFERRED,
                    CaseState.PROPOSAL_SENT}  # fmt: skip

CASE_WORKFLOW: Workflow[PlacementCase] = Workflow(
    model=PlacementCase,
    journal=CaseJournal,
    states=CaseState,
    transitions=[
        # The steps a person fires on the case's page (``CASE_MANUAL_STEPS``; its buttons
        # carry these verbs, the journal and the lists the state reached).
        Transition(
            "aider",
            "Confier à l'équipe pédagogique",
            sources={CaseState.SEARCHING_ALONE},
            target=CaseState.HELPED_BY_TEAM,
            may_fire=perms.is_school_of_case,
            refusal=SCHOOL_PATH,
        ),
        Transition(
            "orienter",
            "Orienter vers le pôle de stages",
            sources={CaseState.HELPED_BY_TEAM},
            target=CaseState.REFERRED,
            may_fire=perms.is_school_of_case,
            guard=_ready_for_the_pole,
            effect=_refer,
            refusal=SCHOOL_PATH,
        ),
        Transition(
            "decliner",
            "Enregistrer le refus de l'élève ou de sa famille",
            sources={CaseState.REFERRED, CaseState.PROPOSAL_SENT},
            target=CaseState.DECLINED,
            may_fire=perms.can_close_case,
            effect=_close,
            refusal=CASE_REFUSAL,
        ),
        Transition(
            "retirer",
            "Retirer le dossier",
            sources=BEFORE_PLACEMENT,
            target=CaseState.WITHDRAWN,
            may_fire=perms.can_close_case,
            effect=_close,
            refusal=CASE_REFUSAL,
        ),
        # The steps that follow the proposals (``services.proposals``).
        Transition(
            "proposer",
            "Proposer une entreprise",
            sources={CaseState.REFERRED},
            target=CaseState.PROPOSAL_SENT,
            may_fire=perms.can_handle_case,
            refusal="Seul le pôle de stages envoie des propositions.",
        ),
        Transition(
            "remettre_en_file",
            "Remettre dans la file du pôle",
            sources={CaseState.PROPOSAL_SENT},
            target=CaseState.REFERRED,
            may_fire=_back_to_queue_allowed,
            refusal=CASE_REFUSAL,
        ),
        Transition(
            "placer",
            "Confirmer le stage",
            sources={CaseState.PROPOSAL_SENT},
            target=CaseState.PLACED,
            may_fire=perms.is_school_of_case,
            effect=_place,
            refusal="Seul l'établissement de l'élève confirme le stage.",
        ),
        # Steps journaled without a change of state.
        Transition(
            "attribuer",
            "Attribuer le dossier",
            sources=OPEN_CASE_STATES,
            target=None,
            may_fire=perms.can_handle_case,
            effect=_assign,
            refusal="Seul le pôle de stages attribue ce dossier.",
        ),
        Transition(
            "accord_entreprise",
            "Accord de l'entreprise",
            sources={CaseState.PROPOSAL_SENT},
            target=None,
            may_fire=by_signed_link,
            refusal=LINK_ONLY,
        ),
        Transition(
            "anonymiser",
            "Données de l'élève anonymisées",
            sources=set(CaseState),
            target=None,
            may_fire=by_the_system,
            refusal=SYSTEM_ONLY,
        ),
    ],
)
# The name of the journal's first line (``CASE_WORKFLOW.log_creation``).
CASE_OPENING = "ouvrir"
# What the school and the pôle fire by hand on the case's page.
CASE_MANUAL_STEPS = ("aider", "orienter", "decliner", "retirer")


# --- proposal ------------------------------------------------------------------------------


def _in_time(
    proposal: Proposal, *, now: datetime.datetime | None = None, **context: object
) -> str | None:
    if proposal.expires_at <= (now or timezone.now()):
        return "Le délai de réponse à cette proposition est dépassé."
    return None


def _past_deadline(
    proposal: Proposal, *, now: datetime.datetime | None = None, **context: object
) -> str | None:
    if proposal.expires_at > (now or timezone.now()):
        return "Le délai de réponse à cette proposition n'est pas encore passé."
    return None


def _answered(
    proposal: Proposal,
    *,
    now: datetime.datetime | None = None,
    answered_by: str = "",
    answer: str = "",
    **context: object,
) -> None:
    proposal.answered_at = now or timezone.now()
    proposal.answered_by_name = answered_by[:150]
    proposal.answer_note = answer


def _expired(
    proposal: Proposal, *, now: datetime.datetime | None = None, **context: object
) -> None:
    proposal.answered_at = now or timezone.now()


def _cancelled(proposal: Proposal, *, reason: str = "", **context: object) -> None:
    proposal.closed_note = reason


def _confirmed(proposal: Proposal, *, user: User, **context: object) -> None:
    proposal.confirmed_by = user
    proposal.confirmed_at = timezone.now()


def _closes_the_case(user: AnyUser, proposal: Proposal) -> bool:
    """Withdrawing a case, or recording the family's refusal, cancels its open proposal."""
    return perms.can_close_case(user, proposal.case)


PROPOSAL_WORKFLOW: Workflow[Proposal] = Workflow(
    model=Proposal,
    journal=ProposalJournal,
    states=ProposalState,
    transitions=[
        Transition(
            "accepter",
            "J'accueille l'élève",
            sources={ProposalState.SENT},
            target=ProposalState.ACCEPTED,
            may_fire=by_signed_link,
            guard=_in_time,
            effect=_answered,
            refusal=LINK_ONLY,
        ),
        Transition(
            "refuser",
            "Je ne peux pas l'accueillir",
            sources={ProposalState.SENT},
            target=ProposalState.REFUSED,
            may_fire=by_signed_link,
            guard=_in_time,
            effect=_answered,
            refusal=LINK_ONLY,
        ),
        Transition(
            "expirer",
            "Sans réponse dans le délai",
            sources={ProposalState.SENT},
            target=ProposalState.EXPIRED,
            may_fire=by_the_system,
            guard=_past_deadline,
            effect=_expired,
            refusal=SYSTEM_ONLY,
        ),
        Transition(
            "annuler",
            "Annuler la proposition",
            sources=OPEN_PROPOSAL_STATES,
            target=ProposalState.CANCELLED,
            may_fire=perms.can_cancel_proposal,
            effect=_cancelled,
            refusal="Vous ne pouvez pas annuler cette proposition.",
        ),
        Transition(
            "dossier_clos",
            "Annulée avec le dossier",
            sources=OPEN_PROPOSAL_STATES,
            target=ProposalState.CANCELLED,
            may_fire=_closes_the_case,
            effect=_cancelled,
            refusal=CASE_REFUSAL,
        ),
        Transition(
            "confirmer",
            "Confirmer le stage",
            sources={ProposalState.ACCEPTED},
            target=ProposalState.CONFIRMED,
            may_fire=perms.can_confirm_proposal,
            effect=_confirmed,
            refusal="Seul l'établissement de l'élève confirme le stage.",
        ),
    ],
)
# The name of the journal's first line: the pôle sends the proposal.
PROPOSAL_SENDING = "envoyer"


# --- suggestion ----------------------------------------------------------------------------


def _has_a_slot(suggestion: Suggestion, **context: object) -> str | None:
    return None if suggestion.slot_id else "Choisissez d'abord une offre et une semaine."


def _set_slot(suggestion: Suggestion, *, slot: OfferSlot, **context: object) -> None:
    suggestion.slot = slot
    suggestion.edited = True


POLE_ONLY = "Seul le pôle de stages traite les suggestions."

SUGGESTION_WORKFLOW: Workflow[Suggestion] = Workflow(
    model=Suggestion,
    journal=SuggestionJournal,
    states=SuggestionState,
    transitions=[
        Transition(
            "envoyer",
            "Envoyer la proposition",
            sources={SuggestionState.PENDING},
            target=SuggestionState.SENT,
            may_fire=perms.can_handle_suggestion,
            guard=_has_a_slot,
            refusal=POLE_ONLY,
        ),
        Transition(
            "ecarter",
            "Écarter",
            sources={SuggestionState.PENDING},
            target=SuggestionState.DISCARDED,
            may_fire=perms.can_handle_suggestion,
            refusal=POLE_ONLY,
        ),
        Transition(
            "modifier",
            "Modifier",
            sources={SuggestionState.PENDING},
            target=None,
            may_fire=perms.can_handle_suggestion,
            effect=_set_slot,
            refusal=POLE_ONLY,
        ),
    ],
)
# The name of the journal's first line: the engine's run made the suggestion.
SUGGESTION_CREATION = "calcul"
