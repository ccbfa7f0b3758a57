"""Benchmark of the national steering and the open data at national scale (issue 11; by
hand, not in CI).

    .venv/bin/python bench/bench_national.py                # data once, then the measures
    .venv/bin/python bench/bench_national.py --repeat 50    # more requests per page
    .venv/bin/python bench/bench_national.py --generate-only

Everything happens on its own embedded PostgreSQL cluster (``/tmp/relais-bench-national-pg``,
database ``relais_bench_national``; ``RELAIS_PGDATA`` and ``RELAIS_DB_NAME`` override them):
no one else's database is touched. The data: migrate and ``load_demo`` (the real académies,
communes, annuaire), every real collège of France and the parcours' counts of each
(``generator/pathways.py``, four years), then ``generator/national.py``: 300 bassins, 60,000
établissements, 20,000 conventions (40 national ones declined in most académies), a club in
nine bassins out of ten, 120,000 pupils referred to the pôles; ANALYZE. A second run finds
the data and only measures.

Measures, in this process, with Django's test client (the whole middleware stack, DEBUG
off), as the national administration, each page opened ``--repeat`` times after two
warm-up openings: p50 / p95 / max and the SQL queries of one opening — the académies side
by side with the map (objective p95 < 500 ms), an académie's bassins, a bassin's schools,
the CSV of the académies, the national partners and one national convention, the API's
table — read from the aggregates, after the nightly job that computes them (timed; the page
counted live is measured first for comparison). Then the open data snapshot of the whole
country (``snapshot_build``, three runs, objective < 60 s). The machine's load
(``os.getloadavg``) is noted before and after each
section. Results in ``bench/results/national.json``.
"""

from __future__ import annotations

import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("RELAIS_PGDATA", "/tmp/relais-bench-national-pg")
os.environ.setdefault("RELAIS_DB_NAME", "relais_bench_national")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

from bench_pathways import bench_main, load, summary, timed_pages  # noqa: E402
from generator.common import log, step  # noqa: E402

SEED = 20151211  # the 12 mesures of the relation école-entreprise
DEMO = "demo.relais.example"


def generated() -> bool:
    from relais.agreements.models import Agreement

    return Agreement.objects.filter(number__startswith="BG-").exists()


def generate() -> dict:
    import pghistory
    from django.core.management import call_command
    from django.db import connection, transaction
    from generator.national import NationalGenerator
    from generator.pathways import PathwaysGenerator

    from relais.core.clock import today
    from relais.pupils.years import roster_year_of

    call_command("migrate", verbosity=0)
    if generated():
        log("Les données nationales sont déjà là.")
        return {}
    started = time.perf_counter()
    with step("load_demo (données de référence réelles, démonstration)"):
        call_command("load_demo", stdout=io.StringIO())
    year = roster_year_of(today())
    rng = random.Random(SEED)
    figures: dict = {}
    with pghistory.context(command="bench_national"), transaction.atomic():
        pathways = PathwaysGenerator(rng, year, today(), None)
        with step("collèges de France"):
            path = ROOT / "data/opendata/colleges_france_geoloc.csv"
            figures["colleges"] = pathways.national_colleges(path)
        figures.update(NationalGenerator(rng, today(), year).run())
        with step("compteurs du parcours Avenir (quatre années)"):
            figures["schoolstat_rows"] = pathways.national_stats()
    with step("ANALYZE"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def sizes() -> dict:
    from relais.agreements.models import Agreement
    from relais.establishments.models import Establishment
    from relais.internships.models import PlacementCase
    from relais.networks.models import Club
    from relais.pathways.models import SchoolStat
    from relais.territories.models import Academie, Bassin

    return {
        "academies": Academie.objects.count(),
        "bassins": Bassin.objects.count(),
        "establishments": Establishment.objects.count(),
        "agreements": Agreement.objects.count(),
        "clubs": Club.objects.count(),
        "cases": PlacementCase.objects.count(),
        "schoolstat_rows": SchoolStat.objects.count(),
    }


def measure(repeat: int) -> dict:
    from django.conf import settings
    from django.test import Client

    from relais.reporting import partners, snapshot
    from relais.territories.models import Academie, Bassin
    from relais.users.models import User

    results: dict = {"sizes": sizes()}
    log(f"Données : {results['sizes']}")
    admin = User.objects.get(email=f"admin@{DEMO}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin)
    montpellier = Academie.objects.get(code="11")
    bassin = Bassin.objects.filter(academie=montpellier).order_by("code").first()
    agreement = partners.national_agreements().filter(number__startswith="BN-").first()
    assert bassin is not None and agreement is not None
    from relais.core.clock import today
    from relais.pupils.years import roster_year_of
    from relais.reporting.models import Aggregate
    from relais.reporting.refresh import aggregates_refresh

    log(f"\nSans agrégats (comptés à chaque ouverture), charge {load()}")
    Aggregate.objects.all().delete()
    results["pages_live"] = timed_pages(client, {"académies, comptées en direct": "/pilotage/"}, 3)
    log(f"\nTâche de nuit reporting.aggregates_refresh (cinq années), charge {load()}")
    began = time.perf_counter()
    results["aggregates_rows"] = aggregates_refresh(year=roster_year_of(today()))
    results["aggregates_seconds"] = round(time.perf_counter() - began, 1)
    log(f"  {results['aggregates_rows']} lignes en {results['aggregates_seconds']} s")
    log(f"\nPilotage national (administration nationale), charge {load()}")
    results["load_before_pages"] = load()
    results["pages"] = timed_pages(
        client,
        {
            "académies côte à côte et carte": "/pilotage/",
            "bassins d'une académie": f"/pilotage/?academie={montpellier.pk}",
            "établissements d'un bassin": f"/pilotage/?bassin={bassin.pk}",
            "CSV des académies": "/pilotage/export/?tableau=territoires",
            "conventions nationales": "/pilotage/partenaires/",
            "une convention nationale": f"/pilotage/partenaires/{agreement.pk}/",
            "API : tableau des académies": "/api/v1/pilotage/territoires/",
        },
        repeat,
    )
    results["load_after_pages"] = load()
    log(f"\nInstantané des données ouvertes du pays, charge {load()}")
    samples = []
    with tempfile.TemporaryDirectory() as folder:
        settings.RELAIS_OPENDATA_DIR = folder
        for _ in range(3):
            began = time.perf_counter()
            built = snapshot.snapshot_build()
            samples.append(time.perf_counter() - began)
        rows = built.package().get("x-rows", {})
    results["snapshot_seconds"] = summary(samples)
    results["snapshot_rows"] = rows
    results["load_after_snapshot"] = load()
    log(f"  instantané : {', '.join(f'{s:.1f} s' for s in samples)} ; lignes {rows}")
    return results


if __name__ == "__main__":
    bench_main(generate, measure, "national")
