"""Load test of Relais: the demo roles walk their main pages, and API clients read the lists.

Run by ``bench/bench_load.py`` (which starts gunicorn on the benchmark database, runs
locust headless, bounded in time and users, against 127.0.0.1 only, and collects the CSV):

    .venv/bin/locust -f bench/locustfile.py --headless -u 20 -r 20 --run-time 60s \\
        --host http://127.0.0.1:8765 --csv bench/results/load_20

Each simulated person logs in through the real login form (CSRF token included), then opens
one of their pages, thinks 1 to 3 seconds (``RELAIS_LOAD_WAIT="1,3"``) and goes on. The
API clients use a token (``RELAIS_LOAD_TOKENS``: JSON {role: key}, prepared by the driver).
Requests are named by page, so locust's statistics are per page.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_pages import (  # noqa: E402
    API,
    API_ROLES,
    DEMO_PASSWORD,
    ORG_WORDS,
    PASSWORD_ENV,
    ROLES,
    SCHOOL_WORDS,
    WEIGHTS,
    email,
    pages,
)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CONVENTION_LINK = re.compile(r'href="/conventions/(\d+)/"')
WAIT = tuple(float(x) for x in os.environ.get("RELAIS_LOAD_WAIT", "1,3").split(","))


@events.test_start.add_listener
def _loopback_only(environment, **kwargs):
    host = environment.host or ""
    if not re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?/?$", host):
        raise SystemExit(f"Ce test de charge ne vise que 127.0.0.1 (hôte reçu : {host!r}).")


class RoleUser(HttpUser):
    """A person of one role: logs in through the form, then walks the role's pages."""

    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def on_start(self):
        self.rng = random.Random()
        self.pages = pages(self.role)
        self.conventions: list[str] = []
        form = self.client.get("/connexion/", name="connexion : formulaire")
        token = CSRF.search(form.text)
        if token is None:
            raise RuntimeError("Jeton CSRF absent du formulaire de connexion.")
        with self.client.post(
            "/connexion/",
            data={
                "username": email(self.role),
                "password": os.environ.get(PASSWORD_ENV, DEMO_PASSWORD),
                "csrfmiddlewaretoken": token.group(1),
            },
            headers={"Referer": f"{self.host}/connexion/"},
            name="connexion : envoi",
            catch_response=True,
        ) as response:
            if response.url is None or "/connexion/" in response.url:
                response.failure("connexion refusée")

    def url(self, path: str) -> str | None:
        if "{convention}" in path:
            if not self.conventions:
                listing = self.client.get("/conventions/", name="conventions : liste")
                self.conventions = CONVENTION_LINK.findall(listing.text)
                if not self.conventions:
                    return None
            path = path.replace("{convention}", self.rng.choice(self.conventions))
        return path.replace("{school_q}", self.rng.choice(SCHOOL_WORDS)).replace(
            "{org_q}", self.rng.choice(ORG_WORDS)
        )

    @task
    def open_a_page(self):
        label, path = self.rng.choice(self.pages)
        url = self.url(path)
        if url is not None:
            self.client.get(url, name=label)


def _role_user(role: str) -> type:
    return type(f"{role.title()}User", (RoleUser,), {"role": role, "weight": WEIGHTS[role]})


for _role in ROLES:
    globals()[f"{_role.title()}User"] = _role_user(_role)


class ApiUser(HttpUser):
    """A partner's or a team's program reading the API lists with a token."""

    weight = WEIGHTS["api"]
    wait_time = between(*WAIT)

    def on_start(self):
        tokens = json.loads(os.environ.get("RELAIS_LOAD_TOKENS", "{}"))
        role = random.choice([r for r in API_ROLES if r in tokens] or [None])
        if role is None:
            raise RuntimeError("RELAIS_LOAD_TOKENS est vide : lancez bench/bench_load.py.")
        self.client.headers["Authorization"] = f"Token {tokens[role]}"
        self.client.headers["Accept"] = "application/json"

    @task
    def read_a_list(self):
        label, path = random.choice(API)
        self.client.get(path, name=label)
