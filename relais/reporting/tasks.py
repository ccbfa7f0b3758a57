"""Scheduled jobs of the reporting area (procrastinate): the daily open data snapshot."""

from procrastinate.contrib.django import app

from . import snapshot


@app.periodic(cron="30 2 * * *", periodic_id="reporting-opendata-snapshot")
@app.task(name="reporting.opendata_snapshot")
def opendata_snapshot(timestamp: int | None = None) -> str:
    """Every night: the open data files of the day (``snapshot.snapshot_build``)."""
    return str(snapshot.snapshot_build().path)
