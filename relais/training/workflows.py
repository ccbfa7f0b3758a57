"""The state machines of the training app (``relais.core.workflow``, ADR 0007).

A change of the training offer (CPME Île-de-France, art. 2.5: « se concerteront chaque fois
que sera envisagée l'ouverture, la transformation ou la fermeture d'une section »)::

    en préparation ──soumettre──▶ en concertation ──decider──▶ décidée
          │                            └──ne_pas_retenir──▶ non retenue
          └─────────abandonner─────────┴──▶ abandonnée

- submitting names the organisations consulted (the parties of the conventions in force over
  the établissement's territory) and the deadline of their opinions;
- deciding (either way) waits for every opinion or for the deadline to pass;
- a decided opening, transformation or closing changes the inventory at once.

A company's answer to a young newcomer's CV (art. 2.2)::

    intéressée ──proposer_entretien──▶ entretien ──promettre──▶ promesse écrite ──signer──▶ contrat
         └──────────────┴──────────────────┴──────clore──▶ sans suite
"""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from relais.core.workflow import Transition, Workflow

from . import perms
from .enums import AnswerState, ChangeState
from .models import NewcomerAnswer, NewcomerJournal, SectionChange, SectionChangeJournal

TEAM_ONLY = "Seule l'équipe académique de cette académie conduit la concertation."


def _opinions_in(
    change: SectionChange, *, today: date | None = None, **context: object
) -> str | None:
    today = today or timezone.localdate()
    if change.opinion_deadline is not None and change.opinion_deadline < today:
        return None
    waiting = change.opinions.filter(opinion="").count()
    if waiting:
        plural = waiting > 1
        return (
            f"{waiting} organisation{'s' if plural else ''} consultée{'s' if plural else ''} "
            f"n'{'ont' if plural else 'a'} pas encore rendu d'avis : la décision attend ces "
            f"avis ou la fin du délai, le {change.opinion_deadline:%d/%m/%Y}."
        )
    return None


def _decided(
    change: SectionChange, *, user: object = None, today: date | None = None, **context: object
) -> None:
    change.decided_on = today or timezone.localdate()


CHANGE_WORKFLOW: Workflow[SectionChange] = Workflow(
    model=SectionChange,
    journal=SectionChangeJournal,
    states=ChangeState,
    transitions=[
        Transition(
            "soumettre", "Soumettre à la concertation", sources={ChangeState.DRAFT},
            target=ChangeState.CONSULTATION, may_fire=perms.manages_change, refusal=TEAM_ONLY,
        ),
        Transition(
            "decider", "Décider l'évolution", sources={ChangeState.CONSULTATION},
            target=ChangeState.ADOPTED, may_fire=perms.manages_change, guard=_opinions_in,
            effect=_decided, refusal=TEAM_ONLY,
        ),
        Transition(
            "ne_pas_retenir", "Refuser l'évolution", sources={ChangeState.CONSULTATION},
            target=ChangeState.REJECTED, may_fire=perms.manages_change, guard=_opinions_in,
            effect=_decided, refusal=TEAM_ONLY,
        ),
        Transition(
            "abandonner", "Abandonner le projet",
            sources={ChangeState.DRAFT, ChangeState.CONSULTATION}, target=ChangeState.ABANDONED,
            may_fire=perms.manages_change, refusal=TEAM_ONLY,
        ),
    ],
)  # fmt: skip


def _promised(answer: NewcomerAnswer, *, contract_kind: str = "", **context: object) -> None:
    """The contract promised (checked by the service): the préfecture reads which one."""
    answer.contract_kind = contract_kind or answer.contract_kind


COMPANY_ONLY = "Seule l'entreprise qui a répondu fait avancer sa réponse."
OPEN_ANSWERS = {AnswerState.INTEREST, AnswerState.INTERVIEW, AnswerState.PROMISE}

ANSWER_WORKFLOW: Workflow[NewcomerAnswer] = Workflow(
    model=NewcomerAnswer,
    journal=NewcomerJournal,
    states=AnswerState,
    transitions=[
        Transition(
            "proposer_entretien", "Proposer un entretien", sources={AnswerState.INTEREST},
            target=AnswerState.INTERVIEW, may_fire=perms.may_answer_for, refusal=COMPANY_ONLY,
        ),
        Transition(
            "promettre", "Remettre une promesse écrite",
            sources={AnswerState.INTEREST, AnswerState.INTERVIEW}, target=AnswerState.PROMISE,
            may_fire=perms.may_answer_for, effect=_promised, refusal=COMPANY_ONLY,
        ),
        Transition(
            "signer", "Enregistrer le contrat signé", sources={AnswerState.PROMISE},
            target=AnswerState.CONTRACT, may_fire=perms.may_answer_for, refusal=COMPANY_ONLY,
        ),
        Transition(
            "clore", "Clore sans suite", sources=OPEN_ANSWERS, target=AnswerState.DROPPED,
            may_fire=perms.may_close_answer,
            refusal="Seuls l'entreprise et le CASNAV closent une réponse.",
        ),
    ],
)  # fmt: skip
