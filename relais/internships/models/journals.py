"""The journals of the workflows of the pôles de stages (ADR 0007): one line per transition,
which the database refuses to update or delete (``core.workflow.JournalEntry``).

An offer's journal outlives nothing but keeps its offer: ``PROTECT``. Cases, proposals and
suggestions concern minors: their journals go with the pupil's data (``CASCADE``), removed
on purpose by the purge inside ``core.workflow.purging_journals``
(``services.cases.pupils_purge_expired``).
"""

from __future__ import annotations

from django.db import models

from relais.core.workflow import JournalEntry

from ..enums import CaseState, OfferState, ProposalState, SuggestionState
from .cases import PlacementCase
from .offers import InternshipOffer
from .placements import Proposal, Suggestion


def _label(states: type[models.TextChoices], value: str) -> str:
    return str(states(value).label) if value in states.values else value


class OfferJournal(JournalEntry):
    offer = models.ForeignKey(
        InternshipOffer, verbose_name="offre", on_delete=models.PROTECT, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape d'une offre de stage"
        verbose_name_plural = "journal des offres de stage"

    @property
    def to_state_label(self) -> str:
        return _label(OfferState, self.to_state)


class CaseJournal(JournalEntry):
    case = models.ForeignKey(
        PlacementCase, verbose_name="dossier", on_delete=models.CASCADE, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape d'un dossier"
        verbose_name_plural = "journal des dossiers"

    @property
    def title(self) -> str:
        """The step's name on the case's page: the state reached, or « Suivi » for a line
        that leaves the state as it was (assignment, the company's answer…)."""
        if self.from_state == self.to_state:
            return "Suivi"
        return _label(CaseState, self.to_state)


class ProposalJournal(JournalEntry):
    proposal = models.ForeignKey(
        Proposal, verbose_name="proposition", on_delete=models.CASCADE, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape d'une proposition de stage"
        verbose_name_plural = "journal des propositions de stage"

    @property
    def to_state_label(self) -> str:
        return _label(ProposalState, self.to_state)


class SuggestionJournal(JournalEntry):
    suggestion = models.ForeignKey(
        Suggestion, verbose_name="suggestion", on_delete=models.CASCADE, related_name="journal"
    )

    class Meta(JournalEntry.Meta):
        verbose_name = "étape d'une suggestion de placement"
        verbose_name_plural = "journal des suggestions de placement"

    @property
    def to_state_label(self) -> str:
        return _label(SuggestionState, self.to_state)
