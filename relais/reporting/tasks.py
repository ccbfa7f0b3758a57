"""Scheduled jobs of the reporting area (procrastinate): the national view's aggregates,
then the daily open data snapshot (which reads them)."""

from procrastinate.contrib.django import app

from relais.core.clock import today
from relais.pupils.years import roster_year_of

from . import snapshot
from .refresh import aggregates_refresh as refresh


@app.periodic(cron="0 2 * * *", periodic_id="reporting-aggregates-refresh")
@app.task(name="reporting.aggregates_refresh", queueing_lock="reporting.aggregates_refresh")
def aggregates_refresh(timestamp: int | None = None) -> str:
    """Every night: every measure per territory for the current school year and the four
    before (``refresh.aggregates_refresh``)."""
    written = refresh(year=roster_year_of(today()))
    return f"{written} agrégats calculés."


@app.periodic(cron="30 2 * * *", periodic_id="reporting-opendata-snapshot")
@app.task(name="reporting.opendata_snapshot")
def opendata_snapshot(timestamp: int | None = None) -> str:
    """Every night: the open data files of the day (``snapshot.snapshot_build``)."""
    return str(snapshot.snapshot_build().path)
