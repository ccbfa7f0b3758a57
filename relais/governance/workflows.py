"""The two state machines of the governance area, declared on ``relais.core.workflow``
(ADR 0007): a meeting (prévue → tenue, prévue → annulée → prévue) and an annual report
(brouillon → validé). Services fire them (``MEETING_WORKFLOW.fire(meeting, "tenir", …)``);
pages and the API ask ``available``/``names`` which buttons and actions to offer.

- A meeting is held on or after its day, not before (``today`` comes from the caller, the
  local date by default). A held meeting stays held: its attendance, minutes and decisions
  are a record. A cancelled meeting may be planned again.
- A report is validated once its « actions conduites » and its next year's « plan
  d'actions » are written (Lille: the strategic committee « établira le bilan des actions
  conduites lors de l'année écoulée »; CPME IdF art. 3.1: « un bilan de l'année passée et un
  plan de partenariat […] de l'année à venir »). Validation records when and by whom; a
  validated report no longer changes.
- Only the team that runs the body (``perms.can_manage_body``), or that manages the
  convention for its report (``perms.can_manage_report``), fires them.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from relais.core.workflow import Transition, Workflow
from relais.users.types import AnyUser

from .enums import MeetingState, ReportState
from .models import AnnualReport, Meeting, MeetingJournal, ReportJournal
from .perms import can_manage_body, can_manage_report

MEETING_REFUSAL = "Seule l'équipe qui anime cette instance peut la modifier."
REPORT_REFUSAL = "Seule l'équipe qui gère cette convention valide son bilan."


def _runs_body(user: AnyUser, meeting: Meeting) -> bool:
    return can_manage_body(user, meeting.body)


def _not_before_its_day(
    meeting: Meeting, *, today: date | None = None, **context: object
) -> str | None:
    today = today or timezone.localdate()
    if timezone.localdate(meeting.starts_at) > today:
        return (
            "La réunion est prévue le "
            f"{timezone.localtime(meeting.starts_at):%d/%m/%Y} : elle ne peut pas être déjà "
            "tenue."
        )
    return None


MEETING_WORKFLOW: Workflow[Meeting] = Workflow(
    model=Meeting,
    journal=MeetingJournal,
    states=MeetingState,
    transitions=[
        Transition(
            "tenir",
            "Marquer comme tenue",
            sources={MeetingState.PLANNED},
            target=MeetingState.HELD,
            may_fire=_runs_body,
            guard=_not_before_its_day,
            refusal=MEETING_REFUSAL,
        ),
        Transition(
            "annuler",
            "Annuler la réunion",
            sources={MeetingState.PLANNED},
            target=MeetingState.CANCELLED,
            may_fire=_runs_body,
            refusal=MEETING_REFUSAL,
        ),
        Transition(
            "replanifier",
            "Prévoir de nouveau",
            sources={MeetingState.CANCELLED},
            target=MeetingState.PLANNED,
            may_fire=_runs_body,
            refusal=MEETING_REFUSAL,
        ),
    ],
)


def _manages_convention(user: AnyUser, report: AnnualReport) -> bool:
    return can_manage_report(user, report.agreement)


REPORT_REQUIRED = (("summary", "actions conduites"), ("action_plan", "plan d'actions"))


def _written(report: AnnualReport, **context: object) -> str | None:
    missing = [label for name, label in REPORT_REQUIRED if not getattr(report, name).strip()]
    if missing:
        return "À compléter avant validation : " + ", ".join(missing) + "."
    return None


def _finalize(
    report: AnnualReport,
    *,
    user: AnyUser | None,
    now: datetime | None = None,
    computed: list[dict[str, object]] | None = None,
    **context: object,
) -> None:
    report.finalized_at = now or timezone.now()
    if computed is not None:
        report.computed = computed
    report.finalized_by = user if user is not None and user.is_authenticated else None


REPORT_WORKFLOW: Workflow[AnnualReport] = Workflow(
    model=AnnualReport,
    journal=ReportJournal,
    states=ReportState,
    transitions=[
        Transition(
            "valider",
            "Valider le bilan",
            sources={ReportState.DRAFT},
            target=ReportState.FINAL,
            may_fire=_manages_convention,
            guard=_written,
            effect=_finalize,
            refusal=REPORT_REFUSAL,
        ),
    ],
)
