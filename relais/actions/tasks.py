"""Scheduled jobs of the catalogue (procrastinate): each calls a plain service."""

from django.utils import timezone
from procrastinate.contrib.django import app

from . import services


@app.periodic(cron="20 6 * * *", periodic_id="actions-unanswered-request-reminders")
@app.task(name="actions.unanswered_request_reminders")
def unanswered_request_reminders(timestamp: int | None = None) -> int:
    """Every morning: requests unanswered for 10 days, reminded once to the partner."""
    return services.send_unanswered_request_reminders(today=timezone.localdate())
