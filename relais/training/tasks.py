"""Scheduled jobs of the training app (procrastinate; `make run` starts the worker)."""

from django.utils import timezone
from procrastinate.contrib.django import app

from .services import newcomers_purge_expired, opinion_reminders_send


@app.periodic(cron="40 6 * * *", periodic_id="training-purge-newcomers")
@app.task(name="training.purge_newcomers", queueing_lock="training.purge_newcomers")
def purge_newcomers(timestamp: int) -> str:
    """Every morning: purge the CVs of young newcomers past their retention date, and remind
    the organisations whose opinion is due within five days."""
    today = timezone.localdate()
    purged = newcomers_purge_expired(today=today)
    reminded = opinion_reminders_send(today=today)
    return f"{purged} CV purgé(s), {reminded} rappel(s) d'avis."
