"""Pôles de stages (Mesure 1): offers and their places per week, internship periods, pupils
and their case along the official path, engine runs, proposals, placements, host feedback.

Personal data of minors is kept to the minimum (names, class, level, school, optional home
commune, priority flags, wishes) and anonymised after ``Pupil.retention_until``.
"""

from ._common import DEFAULT_ALERT_DAYS, DEFAULT_ANSWER_DAYS
from .cases import PlacementCase, Pupil
from .journals import CaseJournal, OfferJournal, ProposalJournal, SuggestionJournal
from .offers import InternshipOffer, InternshipPeriod, OfferSlot, PlacementHub
from .placements import HostFeedback, MatchingRun, Placement, Proposal, Suggestion

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
    "Proposal",
    "ProposalJournal",
    "Pupil",
    "Suggestion",
    "SuggestionJournal",
]
