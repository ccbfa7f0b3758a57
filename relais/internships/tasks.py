"""Scheduled jobs of the pôles de stages (procrastinate; `make run` starts the worker). Each
job calls a plain service, which the tests also call directly."""

from django.utils import timezone
from procrastinate.contrib.django import app

from .services import (
    feedback_requests_send,
    offers_expire,
    proposals_expire,
    pupils_purge_expired,
)


@app.periodic(cron="*/15 * * * *", periodic_id="internships-expire-proposals")
@app.task(name="internships.expire_proposals", queueing_lock="internships.expire_proposals")
def expire_proposals(timestamp: int) -> str:
    """Every quarter of an hour: proposals past their answer deadline expire, which frees
    their place and puts the pupil back in the pôle's queue."""
    return f"{proposals_expire(now=timezone.now())} proposition(s) expirée(s)."


@app.periodic(cron="20 6 * * *", periodic_id="internships-daily")
@app.task(name="internships.daily", queueing_lock="internships.daily")
def internships_daily(timestamp: int) -> str:
    """Every morning: expire past offers, ask hosts for their feedback, anonymise pupils
    past their retention date."""
    today = timezone.localdate()
    expired = offers_expire(today=today)
    asked = feedback_requests_send(today=today)
    purged = pupils_purge_expired(today=today)
    return (
        f"{expired} offre(s) expirée(s), {asked} demande(s) d'avis, {purged} élève(s) anonymisé(s)."
    )
