"""Pôles de stages (Mesure 1): offers and their places per week, internship periods, pupils
and their case along the official path, engine runs, proposals, placements, host feedback.

The pupils themselves are ``relais.pupils``'s; a case keeps what the search needs (period,
wishes, distance, optional home commune, accessibility), purged with the pupil's data.
"""

from ._common import DEFAULT_ALERT_DAYS, DEFAULT_ANSWER_DAYS
from .cases import PlacementCase
from .journals import CaseJournal, OfferJournal, ProposalJournal, SuggestionJournal
from .offers import InternshipOffer, InternshipPeriod, OfferSlot, PlacementHub
from .placements import HostFeedback, MatchingRun, Placement, Proposal, Suggestion
from .preparation import PreparationStep, StageReport

__all__ = [
    "CaseJournal",
    "DEFAULT_ALERT_DAYS",
    "DEFAULT_ANSWER_DAYS",
    "HostFeedback",
    "InternshipOffer",
    "InternshipPeriod",
    "MatchingRun",
    "OfferSlot",
    "OfferJournal",
    "Placement",
    "PlacementCase",
    "PlacementHub",
    "PreparationStep",
    "Proposal",
    "ProposalJournal",
    "Suggestion",
    "StageReport",
    "SuggestionJournal",
]
