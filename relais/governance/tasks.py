"""Background jobs of the governance area (procrastinate). The job bodies are plain
services, called directly by the tests."""

from procrastinate.contrib.django import app

from . import services


@app.periodic(cron="0 7 * * *", periodic_id="governance_daily_reminders")
@app.task(name="governance.daily_reminders", queueing_lock="governance.daily_reminders")
def daily_reminders(timestamp: int | None = None) -> dict:
    """Every morning: remind owners of action items due within 7 days, and the académie team
    of bodies whose required month has started without a planned meeting (each once)."""
    return services.send_daily_reminders()
