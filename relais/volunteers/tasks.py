"""Scheduled jobs of the volunteers area (procrastinate). Each job calls a plain service, so
that its rule is tested directly; ``notify_once`` makes every e-mail go out once. Their
queue is « volunteers » (a worker without --queues serves every queue)."""

from django.utils import timezone
from procrastinate.contrib.django import app

from .services import advisors, reserve


@app.periodic(cron="20 6 * * *", periodic_id="volunteers-advisor-mandates")
@app.task(name="volunteers.advisor_mandates", queue="volunteers")
def advisor_mandates(timestamp: int | None = None) -> dict:
    """Every morning: close the CEE / CET mandates past their end, tell the team and the
    organisation of those ending within 60 days, and remind organisations that have not
    confirmed that the employer is informed 15 days after a designation."""
    today = timezone.localdate()
    return {
        "ended": advisors.advisors_end_expired(today=today),
        "ending": advisors.remind_mandate_ends(today=today),
        "employer_reminders": advisors.remind_employer_information(today=today),
    }


@app.periodic(cron="30 6 * * *", periodic_id="volunteers-overdue-vettings")
@app.task(name="volunteers.overdue_vettings", queue="volunteers")
def overdue_vettings(timestamp: int | None = None) -> int:
    """Every morning: flag to the académie team the réserve applications waiting for more
    than two months (once per application)."""
    return reserve.remind_overdue_vettings(now=timezone.now())
