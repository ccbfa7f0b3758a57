"""Writes of the training app: the sections' inventory and its changes under concertation
(``sections``), the CASNAV's CVs of young newcomers (``newcomers``)."""

from .newcomers import (
    answer_advance,
    answer_create,
    casnav_name,
    newcomer_share,
    newcomer_upload,
    newcomer_withdraw_consent,
    newcomers_purge_expired,
)
from .sections import (
    change_abandon,
    change_create,
    change_decide,
    change_submit,
    opinion_give,
    opinion_reminders_send,
    section_create,
    shortage_report,
)

__all__ = [
    "answer_advance",
    "answer_create",
    "casnav_name",
    "change_abandon",
    "change_create",
    "change_decide",
    "change_submit",
    "newcomer_share",
    "newcomer_upload",
    "newcomer_withdraw_consent",
    "newcomers_purge_expired",
    "opinion_give",
    "opinion_reminders_send",
    "section_create",
    "shortage_report",
]
