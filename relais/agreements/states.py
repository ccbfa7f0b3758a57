"""The state of a convention on a given day, computed on read from its stored lifecycle and
its dates: what every page, document and API answer shows (the stored ``state`` is the
workflow's; the nightly job only sends alerts and refreshes the dates lists filter on).

| stored state            | on the day asked                   | shown                       |
|-------------------------|------------------------------------|-----------------------------|
| brouillon, en signature,|                                    | the stored state            |
| abandonnée              |                                    |                             |
| en vigueur, résiliée,   | before the last signature          | « Pas encore signée »       |
| expirée, remplacée      | signed, before taking effect       | « Signée, pas encore en     |
|                         |                                    | vigueur » (from …)          |
|                         | in force, no ending notified then  | « En vigueur »              |
|                         | an ending notified, before its end | « En préavis » (until …)    |
|                         | after the last period              | « Expirée »                 |
|                         | after an ending or replacement     | « Terminée »                |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from relais.core import clock
from relais.core.dates import format_date as _format_date

from . import deadlines
from .consolidation import usable_terms
from .enums import AgreementState, Ending


@dataclass(frozen=True)
class DayState:
    code: str
    label: str
    badge: str  # the DSFR badge class
    detail: str = ""  # « depuis le … », « jusqu'au … »

    @property
    def text(self) -> str:
        return f"{self.label} {self.detail}".strip()


NOT_SIGNED = "non_signee"
SIGNED_NOT_IN_FORCE = "signee"
IN_FORCE = "en_vigueur"
IN_NOTICE = "en_preavis"
EXPIRED = "expiree"
ENDED = "terminee"

LABELS = {
    NOT_SIGNED: "Pas encore signée",
    SIGNED_NOT_IN_FORCE: "Signée, pas encore en vigueur",
    IN_FORCE: "En vigueur",
    IN_NOTICE: "En préavis",
    EXPIRED: "Expirée",
    ENDED: "Terminée",
}
CODES = [
    (AgreementState.DRAFT.value, AgreementState.DRAFT.label),
    (AgreementState.IN_SIGNATURE.value, AgreementState.IN_SIGNATURE.label),
    *LABELS.items(),
    (AgreementState.ABANDONED.value, AgreementState.ABANDONED.label),
]
SIGNED_STATES = (
    AgreementState.IN_FORCE,
    AgreementState.TERMINATED,
    AgreementState.EXPIRED,
    AgreementState.SUPERSEDED,
)
_BADGES = {
    AgreementState.DRAFT: "fr-badge--new",
    AgreementState.IN_SIGNATURE: "fr-badge--info",
    SIGNED_NOT_IN_FORCE: "fr-badge--info",
    IN_FORCE: "fr-badge--success",
    IN_NOTICE: "fr-badge--warning",
}


def format_date(day: date | None) -> str:
    return _format_date(day) if day is not None else ""


def _state(code: str, detail: str = "") -> DayState:
    label = LABELS.get(code) or str(AgreementState(code).label)
    return DayState(code, label, _BADGES.get(code, ""), detail)


def state_on(agreement, *, on: date | None = None, clauses: dict | None = None) -> DayState:
    """The state of ``agreement`` on ``on`` (today by default), see the table above."""
    on = on or clock.today()
    if agreement.state not in SIGNED_STATES:
        return _state(agreement.state)
    if agreement.signed_on is not None and on < agreement.signed_on:
        return _state(NOT_SIGNED)
    terms = usable_terms(agreement, clauses)
    if terms is None:  # unusable stored dates: the stored state, as before
        return DayState(agreement.state, agreement.get_state_display(), "")
    if on < terms.start:
        return _state(SIGNED_NOT_IN_FORCE, f"(en vigueur le {format_date(terms.start)})")
    if agreement.state == AgreementState.SUPERSEDED and agreement.ended_on is not None:
        if on > agreement.ended_on:
            return _state(ENDED, f"(remplacée le {format_date(agreement.ended_on)})")
        return _state(IN_FORCE)
    status = deadlines.status_on(terms, on=on)
    notified = agreement.notice_received_on
    if status is deadlines.Status.IN_FORCE:
        if terms.terminated_on is not None and notified is not None and on >= notified:
            return _state(IN_NOTICE, f"(fin le {format_date(terms.terminated_on)})")
        return _state(IN_FORCE)
    if status is deadlines.Status.TERMINATED and agreement.ending != Ending.EXPIRY:
        if agreement.ending == Ending.NON_RENEWAL:
            return _state(ENDED, f"(non reconduite, fin le {format_date(terms.terminated_on)})")
        return _state(ENDED, f"(fin le {format_date(terms.terminated_on)})")
    return _state(EXPIRED, f"(le {format_date(deadlines.expiry_date(terms))})")
