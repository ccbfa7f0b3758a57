"""Every write on conventions (the lifecycle itself is ``relais.agreements.workflows``).

- ``drafting``: create a convention (or decline one locally) and write its draft;
- ``lifecycle``: send for signature, back to draft, signatures and entry into force,
  termination, expiry, abandon, each firing a transition of ``AGREEMENT_WORKFLOW``;
- ``avenants``: open an avenant to a convention in force;
- ``scans``: the signed PDF;
- ``calendar``: the secret address of the personal iCal feed;
- ``common``: the stored search index and dates, shared checks.

Callers import from here: ``from relais.agreements import services``.
"""

from .avenants import avenant_create
from .calendar import calendar_feed_renew
from .common import EDITABLE_FIELDS, NUMBER_PREFIX, refresh_dates, refresh_search
from .drafting import (
    agreement_create,
    agreement_decline,
    agreement_update,
    article_remove,
    article_save,
    commitment_remove,
    commitment_save,
    party_remove,
    party_save,
    signatory_remove,
    signatory_save,
)
from .endings import agreement_end, party_withdraw
from .lifecycle import (
    agreement_abandon,
    agreement_back_to_draft,
    agreement_expire,
    agreement_record_signature,
    agreement_send_for_signature,
    agreement_terminate,
)
from .scans import scan_add

__all__ = [
    "EDITABLE_FIELDS",
    "NUMBER_PREFIX",
    "agreement_abandon",
    "agreement_back_to_draft",
    "agreement_create",
    "agreement_decline",
    "agreement_end",
    "agreement_expire",
    "agreement_record_signature",
    "agreement_send_for_signature",
    "agreement_terminate",
    "agreement_update",
    "article_remove",
    "article_save",
    "avenant_create",
    "calendar_feed_renew",
    "commitment_remove",
    "commitment_save",
    "party_remove",
    "party_save",
    "party_withdraw",
    "refresh_dates",
    "refresh_search",
    "scan_add",
    "signatory_remove",
    "signatory_save",
]
