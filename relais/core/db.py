"""Small database helpers shared by the apps."""

from __future__ import annotations

from django.db import connection, models

# Below this many rows written, the statistics of the table do not change a plan.
ANALYZE_FROM = 200


def analyze(*model_classes: type[models.Model]) -> None:
    """Refresh PostgreSQL's planner statistics of these models' tables.

    Called after a bulk write that is queried again in the same transaction (a first
    roster, a demo, a reference import): autovacuum only sees committed rows, so a table
    analysed while it was empty keeps « 0 rows » for the planner until the commit, and a
    query joining it picks nested loops over sequential scans, quadratic in the rows just
    written. ``ANALYZE`` inside the transaction counts its own uncommitted rows; it reads a
    sample (30,000 rows at most per table), a few milliseconds per table."""
    tables = sorted({m._meta.db_table for m in model_classes})
    if not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
