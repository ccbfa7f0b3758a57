"""The daily run of conventions: alerts 90, 30 and 7 days before each deadline to the
académie team of the convention's scope (each alert sent once), expiry of the conventions
whose last day has passed, and the stored dates that lists filter on.

``run_daily`` is what the scheduled job (tasks.py) calls; tests call it directly too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError

from relais.core.notifications import absolute_url, notify_once
from relais.users.enums import Role
from relais.users.models import User

from . import deadline_events, deadlines
from .consolidation import usable_terms
from .enums import AgreementScope, AgreementState
from .selectors import live_agreements
from .services import agreement_expire, refresh_dates
from .services.esign import signature_reminders

# A job that did not run for a few days still sends the alerts it missed (once each).
CATCH_UP_DAYS = 7


def team_emails(agreement) -> list[str]:
    """The académie team of the convention's scope (national administrators for a national
    convention)."""
    users = User.objects.filter(is_active=True)
    if agreement.scope == AgreementScope.NATIONAL:
        users = users.filter(memberships__role=Role.NATIONAL_ADMIN)
    elif agreement.scope == AgreementScope.ACADEMIC_REGION:
        users = users.filter(
            memberships__role=Role.ACADEMIE_TEAM,
            memberships__academie__region_id=agreement.academic_region_id,
        )
    else:
        users = users.filter(
            memberships__role=Role.ACADEMIE_TEAM, memberships__academie_id=agreement.academie_id
        )
    return sorted(set(users.values_list("email", flat=True)))


def alert_key(agreement, alert: deadline_events.Alert) -> str:
    d = alert.deadline
    return f"convention:{agreement.pk}:{d.kind}:{d.due_on:%Y-%m-%d}:J-{alert.days_before}"


@dataclass
class DailyReport:
    alerts_sent: int = 0
    expired: int = 0
    refreshed: int = 0
    reminders_sent: int = 0


def send_alerts(*, today: date) -> int:
    """E-mail the alerts due from ``today - CATCH_UP_DAYS`` to ``today`` whose deadline is
    still ahead. Returns how many were sent now (already sent ones are skipped)."""
    sent = 0
    for agreement in live_agreements():
        terms = usable_terms(agreement)
        if terms is None:
            continue
        alerts = deadline_events.alerts_between(
            terms, start=today - timedelta(days=CATCH_UP_DAYS), end=today
        )
        due = [alert for alert in alerts if alert.deadline.due_on >= today]
        recipients = team_emails(agreement) if due else []
        for alert in due:
            days_left = (alert.deadline.due_on - today).days
            notification = notify_once(
                key=alert_key(agreement, alert),
                recipients=recipients,
                subject=f"[Relais] {alert.deadline.label} dans {days_left} jours — "
                f"{agreement.number}",
                template="agreements/mail/deadline_alert.txt",
                context={
                    "agreement": agreement,
                    "deadline": alert.deadline,
                    "days_left": days_left,
                    "url": absolute_url(agreement.get_absolute_url()),
                },
                about=f"agreements.agreement:{agreement.pk}",
            )
            sent += notification is not None
    return sent


def close_ended(*, today: date) -> int:
    """Mark expired the conventions whose last day in force is before ``today``."""
    closed = 0
    for agreement in live_agreements().filter(ended_on__isnull=True):
        terms = usable_terms(agreement)
        if terms is None:
            continue
        if deadlines.status_on(terms, on=today) in (
            deadlines.Status.EXPIRED,
            deadlines.Status.TERMINATED,
        ):
            try:
                agreement_expire(agreement=agreement, today=today)
                closed += agreement.state == AgreementState.IN_FORCE
            except ValidationError:
                continue
    return closed


def run_daily(*, today: date) -> DailyReport:
    report = DailyReport()
    report.expired = close_ended(today=today)
    report.alerts_sent = send_alerts(today=today)
    report.reminders_sent = signature_reminders(today=today)
    for agreement in live_agreements():
        refresh_dates(agreement, today=today)
        report.refreshed += 1
    return report
