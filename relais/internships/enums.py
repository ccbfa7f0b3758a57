"""Choices and states of the pôles de stages (Mesure 1 of the 12 mesures, 2015).

The states of each workflow are a TextChoices enum here; their transitions (who moves what,
from where to where) are declared once, in ``workflows.py`` (ADR 0007).
"""

from django.db import models


class SchoolLevel(models.TextChoices):
    """The levels an internship period concerns (and an offer is open to)."""

    THIRD = "3e", "3e (collège)"
    SECOND_GT = "2nde", "Seconde générale et technologique"
    CAP = "cap", "CAP"
    SECOND_PRO = "2nde_pro", "Seconde professionnelle"
    FIRST_PRO = "1re_pro", "Première professionnelle"
    FINAL_PRO = "tle_pro", "Terminale professionnelle"
    OTHER = "autre", "Autre niveau"


class OfferKind(models.TextChoices):
    THIRD = "stage_3e", "Stage d'observation de 3e (5 jours)"
    SECOND = "stage_2nde", "Stage de seconde (2 semaines)"
    PFMP = "pfmp", "PFMP (période de formation en milieu professionnel)"
    OTHER = "autre", "Autre stage"


# Length of a stage by kind, in weeks (a PFMP gives its own).
KIND_WEEKS = {OfferKind.THIRD: 1, OfferKind.SECOND: 2}


class OfferState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    PUBLISHED = "published", "Publiée"
    FULL = "full", "Complète"
    CLOSED = "closed", "Fermée"
    EXPIRED = "expired", "Expirée"


# Offers whose places the pôle may propose.
OPEN_OFFER_STATES = (OfferState.PUBLISHED, OfferState.FULL)


class CaseState(models.TextChoices):
    """The official path of Mesure 1: the pupil searches, then the teaching team helps, then
    the school refers the pupil to the pôle, which proposes a company."""

    SEARCHING_ALONE = "searching_alone", "Recherche seul"
    HELPED_BY_TEAM = "helped_by_team", "Aidé par l'équipe pédagogique"
    REFERRED = "referred", "Orienté vers le pôle de stages"
    PROPOSAL_SENT = "proposal_sent", "Proposition envoyée"
    PLACED = "placed", "Placé"
    DECLINED = "declined", "Refusé par l'élève ou sa famille"
    WITHDRAWN = "withdrawn", "Retiré (stage trouvé autrement, départ…)"


# Final: no transition leaves them (tests/internships/test_workflows.py checks it against the
# workflow); the database ties ``closed_at`` to them.
FINAL_CASE_STATES = (CaseState.PLACED, CaseState.DECLINED, CaseState.WITHDRAWN)
OPEN_CASE_STATES = tuple(s for s in CaseState if s not in FINAL_CASE_STATES)
# States in which the pôle of the bassin handles the case (and sees the pupil).
REFERRED_STATES = (CaseState.REFERRED, CaseState.PROPOSAL_SENT, CaseState.PLACED)


class ProposalState(models.TextChoices):
    SENT = "sent", "Envoyée à l'entreprise"
    ACCEPTED = "accepted", "Acceptée par l'entreprise"
    REFUSED = "refused", "Refusée par l'entreprise"
    EXPIRED = "expired", "Expirée sans réponse"
    CANCELLED = "cancelled", "Annulée"
    CONFIRMED = "confirmed", "Confirmée par l'établissement"


# A proposal in these states holds (sent) or takes (accepted, confirmed) a place.
HOLDING_PROPOSAL_STATES = (ProposalState.SENT,)
TAKING_PROPOSAL_STATES = (ProposalState.ACCEPTED, ProposalState.CONFIRMED)
OPEN_PROPOSAL_STATES = (ProposalState.SENT, ProposalState.ACCEPTED)


class SuggestionState(models.TextChoices):
    """The engine's suggestion for one pupil, reviewed by the pôle."""

    PENDING = "pending", "À examiner"
    SENT = "sent", "Proposition envoyée"
    DISCARDED = "discarded", "Écartée"


class HubKind(models.TextChoices):
    """Mesure 1: « au niveau d'un bassin d'éducation et de formation […] ou d'une filière
    économique »."""

    BASSIN = "bassin", "Pôle de bassin"
    SECTOR = "filiere", "Pôle de filière économique"


class FairnessPolicy(models.TextChoices):
    """``relais.matching.Policy``, as the pôle chooses it (same values)."""

    PARITY = "parity", "Parité : même taux de placement pour les élèves prioritaires et les autres"
    STRICT = "strict", "Priorité stricte : les élèves prioritaires d'abord"
    NONE = "none", "Sans règle : les élèves prioritaires ne sont pas distingués"
