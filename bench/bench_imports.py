"""Benchmark of the reference-data imports on the real files of ``data/opendata``.

Run by hand (not in CI): ``.venv/bin/python bench/bench_imports.py``.

On a dedicated database (``relais_bench``, dropped and re-created, then migrated), each import
runs first on empty tables, then a second time on the same file (the idempotent run: nothing
created nor updated). A last run re-imports the annuaire after every établissement was
altered, to time the update path (6,237 updates and their history events). Wall-clock time
and peak memory (``resource.getrusage``, the process's maximum resident set size so far) are
printed as a table and written to ``bench/results/imports.json`` (git-ignored).
"""

from __future__ import annotations

import io
import json
import os
import platform
import resource
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "relais_bench"
STEPS = (
    ("import_academies", "academies"),
    ("import_departements", "departements"),
    ("import_communes", "communes"),
    ("import_annuaire", "annuaire"),
    ("import_rome", "rome"),
    ("import_naf", "naf"),
)


def setup_django() -> None:
    """Point Django at a fresh ``relais_bench`` database and migrate it."""
    os.environ["RELAIS_DB_NAME"] = DATABASE
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    recreate_database()
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def recreate_database() -> None:
    if os.environ.get("DATABASE_URL"):
        raise SystemExit("Ce banc d'essai utilise le PostgreSQL embarqué : retirez DATABASE_URL.")
    import psycopg

    from relais.core import embedded_db

    socket_dir = embedded_db.ensure_running()
    with psycopg.connect(
        host=str(socket_dir), user=embedded_db.SUPERUSER, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')


def peak_memory_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale


def timed_import(command: str, kind: str, run: str) -> dict:
    from django.core.management import call_command

    from relais.core.models import ImportRun

    started = time.perf_counter()
    call_command(command, no_progress=True, stdout=io.StringIO())
    seconds = time.perf_counter() - started
    journal = ImportRun.objects.filter(kind=kind).order_by("-pk").first()
    return {
        "import": command,
        "run": run,
        "seconds": round(seconds, 3),
        "created": journal.created,
        "updated": journal.updated,
        "unchanged": journal.unchanged,
        "peak_memory_mb": round(peak_memory_mb(), 1),
    }


def alter_every_establishment() -> int:
    from django.db.models import F, Value
    from django.db.models.functions import Concat

    from relais.establishments.models import Establishment

    return Establishment.objects.update(name=Concat(F("name"), Value(" (modifié)")))


def environment() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    return {
        "date": datetime.now().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "postgresql": server_version,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def print_table(rows: list[dict]) -> None:
    header = f"{'import':<22}{'run':<22}{'s':>8}{'created':>9}{'updated':>9}{'unchanged':>11}"
    print(header + f"{'peak MB':>9}")
    print("-" * (len(header) + 9))
    for row in rows:
        print(
            f"{row['import']:<22}{row['run']:<22}{row['seconds']:>8.2f}{row['created']:>9}"
            f"{row['updated']:>9}{row['unchanged']:>11}{row['peak_memory_mb']:>9.0f}"
        )


def main() -> None:
    setup_django()
    rows = [timed_import(command, kind, "1st (empty tables)") for command, kind in STEPS]
    rows += [timed_import(command, kind, "2nd (idempotent)") for command, kind in STEPS]
    alter_every_establishment()
    rows.append(timed_import("import_annuaire", "annuaire", "3rd (every row changed)"))
    print_table(rows)
    results = {"environment": environment(), "runs": rows}
    target = ROOT / "bench" / "results" / "imports.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nRésultats écrits dans {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
