"""The juror's state machine (``relais.core.workflow``, ADR 0007).

    désigné ──convoquer──▶ convoqué ──constater_presence──▶ a siégé
       │                     └──constater_absence──▶ absent
       └──────retirer──────────┴──▶ désistement

- convoking (the académie team) sets the date of the convocation; the e-mail is written in
  the outbox by the service in the same transaction;
- presence and absence are recorded on or after the day of the session, not before;
- a withdrawal (the organisation or the team) is possible until the eve of the session.
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from relais.core.workflow import Transition, Workflow

from . import perms
from .enums import JurorState
from .models import Juror, JurorJournal


def _not_before_the_day(
    juror: Juror, *, today: date | None = None, **context: object
) -> str | None:
    today = today or timezone.localdate()
    if juror.session.date > today:
        return (
            f"La session a lieu le {juror.session.date:%d/%m/%Y} : la présence se constate "
            "ce jour-là."
        )
    return None


def _before_the_day(juror: Juror, *, today: date | None = None, **context: object) -> str | None:
    today = today or timezone.localdate()
    if juror.session.date <= today:
        return "La session a commencé : un désistement n'est plus possible, constatez l'absence."
    return None


def _convoked(juror: Juror, *, user: object = None, **context: object) -> None:
    juror.convoked_at = timezone.now()


TEAM_ONLY = "Seule l'équipe académique convoque les jurés et constate leur présence."

JUROR_WORKFLOW: Workflow[Juror] = Workflow(
    model=Juror,
    journal=JurorJournal,
    states=JurorState,
    transitions=[
        Transition(
            "convoquer", "Convoquer", sources={JurorState.NAMED}, target=JurorState.CONVOKED,
            may_fire=perms.can_run, guard=_before_the_day, effect=_convoked, refusal=TEAM_ONLY,
        ),
        Transition(
            "constater_presence", "Constater sa présence", sources={JurorState.CONVOKED},
            target=JurorState.ATTENDED, may_fire=perms.can_run, guard=_not_before_the_day,
            refusal=TEAM_ONLY,
        ),
        Transition(
            "constater_absence", "Constater son absence", sources={JurorState.CONVOKED},
            target=JurorState.ABSENT, may_fire=perms.can_run, guard=_not_before_the_day,
            refusal=TEAM_ONLY,
        ),
        Transition(
            "retirer", "Enregistrer le désistement",
            sources={JurorState.NAMED, JurorState.CONVOKED}, target=JurorState.WITHDRAWN,
            may_fire=perms.can_withdraw, guard=_before_the_day,
            refusal="Seule l'organisation qui a désigné ce juré peut le retirer.",
        ),
    ],
)  # fmt: skip
