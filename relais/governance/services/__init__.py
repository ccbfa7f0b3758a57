"""Every write of the governance area: bodies and their members, meetings (plan, hold,
cancel), attendance, minutes and their sending, decisions, action items, annual reports, and
the daily reminders. Each service checks who may act (``perms``) and raises a French
``ValidationError`` when the request breaks a rule.

Meetings and reports move only through their workflows (``workflows.py``: ``fire`` locks the
row, checks and journals). The other writes that depend on what the row says now (a meeting
held, minutes not yet sent, a report still a draft, a member still active) re-read it under
a row lock first (``common._locked``), so that two requests cannot both pass the check.
"""

from .bodies import (
    BODY_FIELDS,
    MEMBER_FIELDS,
    body_create,
    body_seat_chair,
    body_update,
    member_add,
    member_remove,
)
from .councils import council_create, recommendation_add, recommendation_follow_up
from .meetings import (
    action_item_add,
    action_item_mark_done,
    attendance_record,
    decision_add,
    decision_remove,
    meeting_cancel,
    meeting_mark_held,
    meeting_plan,
    meeting_replan,
    meeting_update,
    minutes_recipients,
    minutes_save,
    minutes_send,
)
from .reminders import REMINDER_DAYS, send_daily_reminders
from .reports import report_create, report_update, report_validate, report_years_open

__all__ = [
    "BODY_FIELDS",
    "MEMBER_FIELDS",
    "REMINDER_DAYS",
    "action_item_add",
    "action_item_mark_done",
    "attendance_record",
    "body_create",
    "body_seat_chair",
    "body_update",
    "council_create",
    "decision_add",
    "decision_remove",
    "meeting_cancel",
    "meeting_mark_held",
    "meeting_plan",
    "meeting_replan",
    "meeting_update",
    "member_add",
    "member_remove",
    "minutes_recipients",
    "minutes_save",
    "minutes_send",
    "recommendation_add",
    "recommendation_follow_up",
    "report_create",
    "report_update",
    "report_validate",
    "report_years_open",
    "send_daily_reminders",
]
