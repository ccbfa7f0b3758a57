"""What the four journals of the volunteers app share: the French label of each state, for
the journal table of the pages. The rows are ``core.workflow.JournalEntry``: the database
refuses to update or delete them."""

from __future__ import annotations

from django.db import models

from relais.core.workflow import JournalEntry


class VolunteerJournal(JournalEntry):
    """A journal line with ``from_label`` and ``to_label`` read from ``states``."""

    states: type[models.TextChoices]  # set by each journal

    class Meta(JournalEntry.Meta):
        abstract = True

    def _label(self, value: str) -> str:
        if not value:
            return "—"
        try:
            return str(self.states(value).label)
        except ValueError:  # a state that no longer exists keeps its stored value
            return value

    @property
    def from_label(self) -> str:
        return self._label(self.from_state)

    @property
    def to_label(self) -> str:
        return self._label(self.to_state)
