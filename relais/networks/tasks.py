"""Scheduled jobs of the networks area (procrastinate). Each job calls a plain service, so
that the rule is tested directly; notify_once makes every e-mail go once."""

from django.utils import timezone
from procrastinate.contrib.django import app

from . import services


@app.periodic(cron="0 6 * * *", periodic_id="networks-mandate-reminders")
@app.task(name="networks.mandate_reminders")
def mandate_reminders(timestamp: int | None = None) -> int:
    """Every morning: mandates ending without successor (J-120, J-30)."""
    return services.send_mandate_reminders(today=timezone.localdate())


@app.periodic(cron="10 6 * * *", periodic_id="networks-campus-label-reminders")
@app.task(name="networks.campus_label_reminders")
def campus_label_reminders(timestamp: int | None = None) -> int:
    """Every morning: campus labels ending within 12 then 6 months."""
    return services.send_campus_label_reminders(today=timezone.localdate())
