"""Scheduled jobs of conventions (procrastinate; `make run` starts the worker)."""

from django.utils import timezone
from procrastinate.contrib.django import app

from .alerts import run_daily
from .information import inform


@app.periodic(cron="10 6 * * *", periodic_id="agreements-daily")
@app.task(name="agreements.daily", queueing_lock="agreements.daily")
def agreements_daily(timestamp: int) -> str:
    """Every morning: expire ended conventions, send the 90/30/7-day alerts, refresh dates."""
    report = run_daily(today=timezone.localdate())
    return (
        f"{report.alerts_sent} alerte(s) envoyée(s), {report.expired} convention(s) expirée(s), "
        f"{report.refreshed} convention(s) mises à jour, "
        f"{report.reminders_sent} relance(s) de signature."
    )


@app.periodic(cron="20 6 * * *", periodic_id="agreements-information")
@app.task(name="agreements.information", queueing_lock="agreements.information")
def agreements_information(timestamp: int) -> str:
    """Every morning: inform the national team and the académie teams concerned of each
    signature, renewal, avenant or end of a national, régional or académie convention, once
    (``information.inform``)."""
    return f"{inform(today=timezone.localdate())} information(s) envoyée(s)."
