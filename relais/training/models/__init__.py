"""Models of the training app: the inventory of vocational and apprenticeship sections and
its changes under concertation (``sections``), and the CASNAV's CVs of young allophone
newcomers shared with companies (``newcomers``)."""

from .newcomers import CasnavStaff, Newcomer, NewcomerAnswer, NewcomerJournal, NewcomerShare
from .sections import (
    SectionChange,
    SectionChangeJournal,
    SectionOpinion,
    ShortageReport,
    TrainingSection,
)

__all__ = [
    "CasnavStaff",
    "Newcomer",
    "NewcomerAnswer",
    "NewcomerJournal",
    "NewcomerShare",
    "SectionChange",
    "SectionChangeJournal",
    "SectionOpinion",
    "ShortageReport",
    "TrainingSection",
]
