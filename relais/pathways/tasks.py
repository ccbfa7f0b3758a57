"""Scheduled job of the parcours Avenir (procrastinate): it calls a plain service."""

from procrastinate.contrib.django import app

from . import services


@app.periodic(cron="50 2 * * *", periodic_id="pathways-stats-nightly")
@app.task(name="pathways.stats_nightly")
def stats_nightly(timestamp: int | None = None) -> int:
    """Every night: the counts of the current roster year, rewritten for every school (a
    planned experience whose day has come counts as done)."""
    return services.stats_refresh_all()
