"""Load test at académie scale: gunicorn as ``make run`` serves, locust at 1 then 20 users.

Run by hand (not in CI), after ``bench/generate_academie.py``:

    .venv/bin/python bench/bench_load.py                  # 1 then 20 users, 60 s each
    .venv/bin/python bench/bench_load.py --users 20 --run-time 30s

It works on the benchmark cluster only (``RELAIS_PGDATA=/tmp/relais-bench-pg``,
``RELAIS_DB_NAME=relais_bench_load`` by default): it starts that embedded PostgreSQL if needed,
prepares an API token for the roles that read the API, starts gunicorn with
``config/gunicorn.py`` (gthread, 2 processes per core, 4 threads; DEBUG off; static files
by WhiteNoise) on 127.0.0.1 and a free port, waits for ``/sante/``, times six logins through
the form, runs a 20 s warm-up (not counted), then ``locust --headless`` against that loopback
address only, bounded in users and time, its statistics reset once every user is logged in
(steady state), then stops gunicorn (and
leaves the database cluster as it found it). From locust's CSV it prints, per page, the
number of requests, p50, p95 and errors, with the requests per second, the load average of
the machine before, during and after, and the processes that used the CPU meanwhile (the
machine is shared). Results go to ``bench/results/load.json`` (git-ignored).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
# People arrive two per second (20 users: all logged in after 10 s): a login costs a
# deliberately slow password hash, and a whole académie does not log in in the same second.
SPAWN_RATE = 2
os.environ.setdefault("RELAIS_PGDATA", "/tmp/relais-bench-pg")
os.environ.setdefault("RELAIS_DB_NAME", "relais_bench_load")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare_database() -> tuple[dict[str, str], bool]:
    """Start the benchmark cluster if needed; API tokens for the roles that read the API.
    Returns the tokens and whether this process started the cluster."""
    from relais.core import embedded_db

    started = embedded_db._running_info() is None
    embedded_db.ensure_running()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)  # as `make run` does: the code may have moved on
    from load_pages import API_ROLES, email

    from relais.territories.models import Bassin
    from relais.users.models import User
    from relais.users.services import api_token_regenerate

    if not Bassin.objects.filter(code__startswith="11G").exists():
        print("Attention : base sans données générées (bench/generate_academie.py).")
    tokens = {
        role: api_token_regenerate(user=User.objects.get(email=email(role))).key
        for role in API_ROLES
    }
    connections.close_all()
    return tokens, started


def collect_static() -> None:
    stamp = ROOT / "staticfiles" / ".collected"
    if not stamp.exists():
        print("Préparation des fichiers statiques (collectstatic)…")
        subprocess.run(
            [BIN / "python", "manage.py", "collectstatic", "--noinput"],
            cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        stamp.touch()


def start_gunicorn(port: int, log_path: Path) -> subprocess.Popen:
    env = os.environ | {
        "RELAIS_HOST": "127.0.0.1",
        "RELAIS_PORT": str(port),
        "RELAIS_ACCESS_LOG": str(log_path.with_suffix(".access.log")),
    }
    log = log_path.open("w")
    process = subprocess.Popen(
        [BIN / "gunicorn", "--config", "config/gunicorn.py"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn s'est arrêté : voir {log_path}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante/", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit(f"gunicorn ne répond pas sur /sante/ : voir {log_path}")


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn (its master forwards TERM to its workers) and wait for it."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class LoadSampler(threading.Thread):
    """Samples the load average and the busiest processes every 5 s while locust runs."""

    def __init__(self):
        super().__init__(daemon=True)
        self.loads: list[float] = []
        self.busy: dict[str, float] = {}
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(5):
            self.loads.append(os.getloadavg()[0])
            top = subprocess.run(
                ["ps", "-eo", "pcpu,args", "--sort=-pcpu", "--no-headers"],
                capture_output=True, text=True, check=False,
            ).stdout.splitlines()[:8]  # fmt: skip
            for line in top:
                cpu, _, args = line.strip().partition(" ")
                name = " ".join(args.split()[:3])[:70]
                self.busy[name] = max(self.busy.get(name, 0.0), float(cpu))


def _number(cell: str) -> float:
    """A figure of locust's CSV; 0 for an empty cell or « N/A » (a page that no request
    completed since the statistics were reset)."""
    try:
        return float(cell or 0)
    except ValueError:
        return 0.0


def run_locust(users: int, run_time: str, host: str, tokens: dict, wait: str, prefix="") -> dict:
    prefix = RESULTS / (prefix or f"load_{users}")
    env = os.environ | {"RELAIS_LOAD_TOKENS": json.dumps(tokens), "RELAIS_LOAD_WAIT": wait}
    sampler = LoadSampler()
    before = os.getloadavg()
    sampler.start()
    started = time.perf_counter()
    subprocess.run(
        [BIN / "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
         "-u", str(users), "-r", str(SPAWN_RATE), "--run-time", run_time, "--stop-timeout", "10",
         "--host", host, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
         "--reset-stats"],
        cwd=ROOT, env=env, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - started
    sampler.done.set()
    sampler.join()
    rows = list(csv.DictReader((prefix.parent / f"{prefix.name}_stats.csv").open()))
    pages = [
        {
            "page": row["Name"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "p50_ms": _number(row["50%"]),
            "p95_ms": _number(row["95%"]),
            "max_ms": _number(row["Max Response Time"]),
            "rps": _number(row["Requests/s"]),
        }
        for row in rows
    ]
    busy = sorted(sampler.busy.items(), key=lambda item: -item[1])[:10]
    return {
        "users": users,
        "run_time": run_time,
        "seconds": round(elapsed, 1),
        "load_before": [round(x, 2) for x in before],
        "load_during_max": round(max(sampler.loads, default=0.0), 2),
        "load_during_mean": round(sum(sampler.loads) / max(1, len(sampler.loads)), 2),
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "busiest_processes": busy,
        "pages": pages,
    }


def measure_logins(host: str, count: int = 6) -> dict:
    """Logins one after the other through the form (CSRF), outside the load: what a person
    waits for at the door. The password hash is slow on purpose (PBKDF2), so under load the
    logins are counted apart: locust's figures start once everyone is in (--reset-stats)."""
    import re

    import requests
    from load_pages import DEMO_PASSWORD, ROLES, email

    times = []
    for index in range(count):
        session = requests.Session()
        form = session.get(f"{host}/connexion/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        role = list(ROLES)[index % len(ROLES)]
        started = time.perf_counter()
        answer = session.post(
            f"{host}/connexion/",
            data={"username": email(role), "password": DEMO_PASSWORD,
                  "csrfmiddlewaretoken": token},
            headers={"Referer": f"{host}/connexion/"}, timeout=30,
        )  # fmt: skip
        times.append((time.perf_counter() - started) * 1000)
        if "/connexion/" in answer.url:
            raise SystemExit(f"Connexion refusée pour {email(role)}.")
    times.sort()
    return {"count": count, "median_ms": round(times[count // 2]), "max_ms": round(times[-1])}


def print_run(run: dict) -> None:
    print(f"\n{run['users']} utilisateur(s), {run['run_time']} :")
    print(f"{'page':<44}{'req.':>6}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'err.':>6}")
    for page in sorted(run["pages"], key=lambda p: (p["page"] == "Aggregated", p["page"])):
        print(
            f"{page['page'][:43]:<44}{page['requests']:>6}{page['p50_ms']:>8.0f}"
            f"{page['p95_ms']:>8.0f}{page['max_ms']:>8.0f}{page['failures']:>6}"
        )
    total = next((p for p in run["pages"] if p["page"] == "Aggregated"), None)
    if total:
        print(f"Débit : {total['rps']:.1f} requêtes/s")
    print(
        f"Charge de la machine : avant {run['load_before']}, pendant (1 min) moyenne "
        f"{run['load_during_mean']} max {run['load_during_max']}, après {run['load_after']}"
    )
    print("Processus les plus actifs pendant la mesure (% CPU max) :")
    for name, cpu in run["busiest_processes"]:
        print(f"  {cpu:>5.0f} %  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Test de charge (locust) à l'échelle d'une académie."
    )
    parser.add_argument("--users", type=int, nargs="+", default=[1, 20])
    parser.add_argument("--run-time", default="60s")
    parser.add_argument("--wait", default="1,3", help="temps de réflexion min,max (s)")
    parser.add_argument(
        "--warmup", default="20s", help="tour de chauffe non compté (processus, gabarits)"
    )
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        raise SystemExit("Ce banc d'essai utilise le PostgreSQL embarqué : retirez DATABASE_URL.")
    RESULTS.mkdir(parents=True, exist_ok=True)
    tokens, cluster_started = prepare_database()
    collect_static()
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    gunicorn = start_gunicorn(port, RESULTS / "load_gunicorn.log")
    runs, logins = [], {}
    try:
        # Every gunicorn process imports the views and compiles the templates on first use:
        # a run of 8 users first, not counted, so that the figures measure the steady state.
        if args.warmup not in ("", "0", "0s"):
            run_locust(8, args.warmup, host, tokens, args.wait, prefix="warmup")
        logins = measure_logins(host)
        print(
            f"Connexion (formulaire, {logins['count']} à la suite, hors charge) : médiane "
            f"{logins['median_ms']} ms, max {logins['max_ms']} ms"
        )
        for users in args.users:
            run = run_locust(users, args.run_time, host, tokens, args.wait)
            print_run(run)
            runs.append(run)
    finally:
        stop(gunicorn)
        if cluster_started:
            from relais.core import embedded_db

            embedded_db.stop()
    import config.gunicorn as gconf

    results = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "database": os.environ["RELAIS_DB_NAME"],
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "gunicorn": {"workers": gconf.workers, "threads": gconf.threads},
        "wait_s": args.wait,
        "logins": logins,
        "runs": runs,
    }
    (RESULTS / "load.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nRésultats écrits dans {(RESULTS / 'load.json').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
