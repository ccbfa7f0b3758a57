"""The daily job of the governance area: action items coming due, and required months
begun without a meeting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once
from relais.core.school_years import school_year_of
from relais.users.enums import Role
from relais.users.models import Membership

from .. import rules
from ..enums import MeetingState
from ..models import ActionItem, Body, Meeting
from ..selectors import active_period

REMINDER_DAYS = 7


def _academie_team_emails(academie_ids: Iterable[int | None]) -> dict[int | None, list[str]]:
    found: dict[int | None, list[str]] = {}
    rows = Membership.objects.filter(
        role=Role.ACADEMIE_TEAM, academie_id__in=list(academie_ids), user__is_active=True
    ).values_list("academie_id", "user__email")
    for academie_id, email in rows:
        found.setdefault(academie_id, []).append(email)
    return found


def send_daily_reminders(*, today: date | None = None) -> dict[str, int]:
    """The daily job: (1) each owner of an open action item due within 7 days (today to
    today + 7) gets one reminder per item; (2) the académie team of a body whose required
    month has started without a planned or held meeting in it gets one reminder per body and
    month. Returns the counts sent."""
    today = today or timezone.localdate()
    sent = {"action_items": 0, "bodies": 0}
    items = (
        ActionItem.objects.filter(
            done_on__isnull=True,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=REMINDER_DAYS),
        )
        .exclude(owner_email="")
        .select_related("meeting__body")
    )
    for item in items:
        if notify_once(
            key=f"governance.action:{item.pk}:due",
            recipients=[item.owner_email],
            subject=f"Action à mener avant le {item.due_date:%d/%m/%Y} — {item.meeting.body.name}",
            template="governance/mail/action_due.txt",
            context={"item": item, "url": absolute_url(item.meeting.get_absolute_url())},
            about=f"governance.action:{item.pk}",
        ):
            sent["action_items"] += 1
    sent["bodies"] = _remind_required_months(today)
    return sent


def _remind_required_months(today: date) -> int:
    year = school_year_of(today)
    month_start, month_end = rules.month_in_school_year(year, today.month)
    meeting_in_month = Meeting.objects.filter(
        body=OuterRef("pk"),
        state__in=[MeetingState.PLANNED, MeetingState.HELD],
        starts_at__date__gte=month_start,
        starts_at__date__lte=month_end,
    )
    candidates = (
        Body.objects.filter(required_months__contains=[today.month], academie__isnull=False)
        .exclude(Exists(meeting_in_month))
        .select_related("agreement", "club")
    )
    bodies = [b for b in candidates if active_period(b) is not None]
    teams = _academie_team_emails({b.academie_id for b in bodies})
    count = 0
    for body in bodies:
        if notify_once(
            key=f"governance.body:{body.pk}:month:{month_start:%Y-%m}",
            recipients=teams.get(body.academie_id, []),
            subject=f"{body.name} : aucune réunion prévue en {rules.MONTH_NAMES[today.month]}",
            template="governance/mail/month_without_meeting.txt",
            context={
                "body": body,
                "month": rules.MONTH_NAMES[today.month],
                "rule": rules.rule_label(body.min_meetings_per_year, body.required_months),
                "url": absolute_url(body.get_absolute_url()),
            },
            about=f"governance.body:{body.pk}",
        ):
            count += 1
    return count
