"""Benchmark of the parcours Avenir at académie and national scale (by hand, not in CI).

    .venv/bin/python bench/bench_pathways.py                # data once, then the measures
    .venv/bin/python bench/bench_pathways.py --repeat 50    # more requests per page
    .venv/bin/python bench/bench_pathways.py --generate-only

Everything happens on its own embedded PostgreSQL cluster (``/tmp/relais-bench-pathways-pg``,
database ``relais_bench_pathways``; ``RELAIS_PGDATA`` and ``RELAIS_DB_NAME`` override them):
no one else's database is touched. The data (``bench/generator/pathways.py``): migrate and
``load_demo``, then 150,000 pupils in 450 collèges and lycées of the académie de
Montpellier with 600,000 credits, the nightly ``stats_refresh_all`` (timed), every other
collège of France with its counts (3.4 million collégiens, four years), ANALYZE. A second
run finds the data and only measures.

Measures, in this process, with Django's test client (the whole middleware stack, DEBUG
off, static files collected), each page opened ``--repeat`` times after two warm-up
openings, p50 / p95 / max and the SQL queries of one opening:

- the class page and the school dashboard of the demo collège (1,000 pupils) as the demo
  teacher; objective p95 < 200 ms;
- the indicators of the académie (DAET) and of the nation (national administration),
  ``pathways:indicators``, objective < 500 ms; and the selectors under them
  (``figures_by_level``, ``figures_by_child``, ``trend``), which are measured whether or
  not the page exists yet;
- a 1,000-pupil school's roster import (``roster_import_csv`` on a SIECLE-like CSV): first
  import, the same file again, and next year's file that moves pupils up; objective < 5 s.
  Each repeat is rolled back;
- ``stats_refresh`` of the demo collège (every write on its parcours runs it) and the
  nightly ``stats_refresh_all`` of the académie, rolled back.

The machine's load (``os.getloadavg``) is noted before and after each section. Results in
``bench/results/pathways.json``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("RELAIS_PGDATA", "/tmp/relais-bench-pathways-pg")
os.environ.setdefault("RELAIS_DB_NAME", "relais_bench_pathways")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

from generator.common import FIRST_NAMES, LAST_NAMES, log, step  # noqa: E402

SEED = 20150701  # arrêté du 1er juillet 2015 relatif au parcours Avenir
MARKER = "B"  # generated pupils' identifiers start with it
DEMO = "demo.relais.example"


def load() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(samples),
        "p50": round(statistics.median(samples), 1),
        "p95": round(p95, 1),
        "max": round(ordered[-1], 1),
        "min": round(ordered[0], 1),
    }


# --- data ----------------------------------------------------------------------------------


def generated() -> bool:
    from relais.pupils.models import Pupil

    return Pupil.objects.filter(school_ref__startswith=MARKER).count() > 100_000


def generate() -> dict:
    import pghistory
    from django.core.management import call_command
    from django.db import connection, transaction
    from generator.pathways import SIZES, PathwaysGenerator

    from relais.core.clock import today
    from relais.pathways.models import Credit, SchoolStat
    from relais.pathways.services import stats_refresh_all
    from relais.pupils.years import roster_year_of
    from relais.users.models import User

    figures: dict = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    if generated():
        log("Les données du parcours sont déjà là.")
        return figures
    with step("load_demo (données de référence réelles, démonstration)"):
        call_command("load_demo", stdout=io.StringIO())
    teacher = User.objects.get(email=f"enseignant@{DEMO}")
    school_id = teacher.memberships.get().establishment_id
    year = roster_year_of(today())
    gen = PathwaysGenerator(random.Random(SEED), year, today(), school_id)
    with pghistory.context(command="bench_pathways"), transaction.atomic():
        with step("établissements de l'académie"):
            gen.pick_schools()
        with step("élèves (COPY)"):
            log(f"   {gen.pupils()} élèves")
        with step("expériences et participations (COPY)"):
            experiences, credits = gen.experiences()
            log(f"   {experiences} expériences, {credits} participations")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        with step("stats_refresh_all (académie, première fois)"):
            began = time.perf_counter()
            rows = stats_refresh_all()
            figures["stats_refresh_all_first_s"] = round(time.perf_counter() - began, 2)
            log(f"   {rows} lignes en {figures['stats_refresh_all_first_s']} s")
        with step("collèges de France hors annuaire"):
            log(f"   {gen.national_colleges(ROOT / 'data/opendata/colleges_france_geoloc.csv')}")
        with step("compteurs nationaux (4 années)"):
            log(f"   {gen.national_stats()} lignes")
    with step("ANALYZE"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    from django.db.models import Sum

    figures["generation_s"] = round(time.perf_counter() - started)
    figures["credits"] = Credit.objects.count()
    figures["national_college_pupils"] = SchoolStat.objects.filter(
        school_year=year, level__in=["6e", "5e", "4e", "3e"]
    ).aggregate(n=Sum("pupils"))["n"]
    log(f"Génération : {figures['generation_s']} s, charge {load()} ; tailles {SIZES}")
    return figures


# --- measures ------------------------------------------------------------------------------


def counter(queries: list[str]):
    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    return count


def body(response) -> bytes:
    """A response's body, read to its end when it is streamed (a CSV)."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def timed_pages(client, pages: dict[str, str], repeat: int) -> dict:
    from django.db import connection

    results = {}
    for label, url in pages.items():
        for _ in range(2):
            body(client.get(url))
        queries: list[str] = []
        # The request may reopen the connection: the wrapper stays on the connection object.
        with connection.execute_wrapper(counter(queries)):
            response = client.get(url)
            size = len(body(response))
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            body(client.get(url))
            samples.append((time.perf_counter() - began) * 1000)
        results[label] = {
            "url": url,
            "status": response.status_code,
            "queries": len(queries),
            "bytes": size,
            **summary(samples),
        }
        row = results[label]
        log(f"  {label:<44} HTTP {row['status']}  {row['queries']:>3} req.  p50 {row['p50']:>7} "
            f"p95 {row['p95']:>7} max {row['max']:>7} ms")  # fmt: skip
    return results


def timed_calls(calls: dict, repeat: int) -> dict:
    results = {}
    for label, call in calls.items():
        call()
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            call()
            samples.append((time.perf_counter() - began) * 1000)
        results[label] = summary(samples)
        row = results[label]
        log(f"  {label:<44} p50 {row['p50']:>7} p95 {row['p95']:>7} max {row['max']:>7} ms")
    return results


@contextmanager
def rolled_back():
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def roster_file(folder: Path, year: int, cohorts: dict[int, list], name: str) -> Path:
    """A SIECLE-like export of a 1,000-pupil collège: the four cohorts present in ``year``."""
    path = folder / name
    with path.open("w", encoding="cp1252", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["Nom de famille", "Prénom 1", "Date de naissance", "Division",
                         "Libellé MEF", "Numéro élève", "QPV", "Allophone"])  # fmt: skip
        for index, level in enumerate(("6EME", "5EME", "4EME", "3EME")):
            for n, (last, first, ref, qpv) in enumerate(cohorts[year - index]):
                writer.writerow([last.upper(), first, f"{1 + n % 28:02d}/0{1 + n % 9}/"
                                 f"{year - index - 11}", f"{level[0]}e {'ABCDEFGHIJ'[n % 10]}",
                                 level, ref, "O" if qpv else "N", "N"])  # fmt: skip
    return path


def measure_imports(repeat: int, year: int) -> dict:
    """A 1,000-pupil collège without pupils yet (in the académie de Toulouse): its roster
    of last year imported, imported again, then this year's (moving up)."""
    from relais.establishments.models import Establishment
    from relais.pupils.services import roster_import_csv
    from relais.users.enums import Role
    from relais.users.models import Membership, User

    school = (
        Establishment.objects.filter(academie__code="16", kind="college", pupils__isnull=True)
        .order_by("uai")
        .first()
    )
    head, _ = User.objects.get_or_create(email=f"principal.bench@{DEMO}")
    Membership.objects.get_or_create(user=head, role=Role.HEAD_OF_SCHOOL, establishment=school)
    rng = random.Random(SEED)
    cohorts = {
        c: [
            (
                rng.choice(LAST_NAMES),
                rng.choice(FIRST_NAMES),
                f"{c % 100:02d}{n:04d}",
                rng.random() < 0.1,
            )
            for n in range(250)
        ]  # fmt: skip
        for c in range(year - 4, year + 1)
    }
    results: dict = {"school": school.uai, "fresh": [], "again": [], "move_up": []}
    with tempfile.TemporaryDirectory(prefix="relais-bench-listes-") as folder:
        last = roster_file(Path(folder), year - 1, cohorts, "liste_precedente.csv")
        current = roster_file(Path(folder), year, cohorts, "liste_courante.csv")
        for _ in range(repeat):
            with rolled_back():
                for key, path, target in (("fresh", last, year - 1), ("again", last, year - 1),
                                          ("move_up", current, year)):  # fmt: skip
                    began = time.perf_counter()
                    result = roster_import_csv(
                        user=head, establishment=school, path=path, school_year=target
                    )
                    results[key].append((time.perf_counter() - began) * 1000)
                    results[f"{key}_result"] = {
                        "created": result.created, "moved_up": result.moved_up,
                        "updated": result.updated, "unchanged": result.unchanged,
                        "left": result.left,
                    }  # fmt: skip
    for key in ("fresh", "again", "move_up"):
        results[key] = summary(results[key])
        row = results[key]
        log(f"  import {key:<37} p50 {row['p50']:>7} p95 {row['p95']:>7} max {row['max']:>7} ms"
            f"  {results[f'{key}_result']}")  # fmt: skip
    return results


def measure(repeat: int) -> dict:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from relais.core.clock import today
    from relais.pathways import selectors
    from relais.pathways.selectors import Territory
    from relais.pathways.services import stats_refresh, stats_refresh_all
    from relais.pupils.models import Pupil
    from relais.pupils.years import roster_year_of
    from relais.territories.models import Academie
    from relais.users.models import User

    year = roster_year_of(today())
    teacher = User.objects.get(email=f"enseignant@{DEMO}")
    school = teacher.memberships.get().establishment
    montpellier = Academie.objects.get(code="11")
    sizes = Pupil.objects.filter(establishment=school, school_year=year)
    generated_class = (
        sizes.filter(school_ref__startswith=MARKER, level="3e").order_by("class_label").first()
    )
    results: dict = {"load_before": load(), "year": year, "school_pupils": sizes.count()}
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(teacher)
    base = f"/parcours/etablissements/{school.pk}/"
    log(f"\nPages de l'établissement ({results['school_pupils']} élèves), charge {load()}")
    results["school_pages"] = timed_pages(
        client,
        {
            "classe 3e A (démonstration)": f"{base}classes/3e A/?annee={year}",
            f"classe {generated_class.class_label} (générée)":
                f"{base}classes/{generated_class.class_label}/?annee={year}",
            "tableau de bord de l'établissement": f"{base}?annee={year}",
        },
        repeat,
    )  # fmt: skip
    try:
        url = reverse("pathways:indicators")
    except NoReverseMatch:
        url = None
    results["indicators_url"] = url
    if url:
        log(f"\nPages des indicateurs ({url}), charge {load()}")
        pages = {}
        for email, territory, label in (
            (f"daet.montpellier@{DEMO}", f"academie:{montpellier.pk}", "indicateurs académie"),
            (f"admin@{DEMO}", "national", "indicateurs national"),
        ):
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(User.objects.get(email=email))
            pages.update(timed_pages(
                client, {label: f"{url}?territoire={territory}&annee={year}"}, repeat
            ))  # fmt: skip
        results["indicator_pages"] = pages
    else:
        log("\nLa page pathways:indicators n'existe pas encore : sélecteurs seuls.")
    academie, nation = Territory("academie", montpellier.pk), Territory("national")
    years = list(range(year - 3, year + 1))
    log(f"\nSélecteurs des indicateurs, charge {load()}")
    results["selectors"] = timed_calls(
        {
            "académie : figures_by_level": lambda: selectors.figures_by_level(academie, year),
            "académie : figures_by_child (bassins)":
                lambda: selectors.figures_by_child(academie, year),
            "académie : trend (4 ans)": lambda: selectors.trend(academie, years),
            "national : figures_by_level": lambda: selectors.figures_by_level(nation, year),
            "national : figures_by_child (académies)":
                lambda: selectors.figures_by_child(nation, year),
            "national : figures_by_child 3e": lambda: selectors.figures_by_child(
                nation, year, level="3e"),
            "national : trend (4 ans)": lambda: selectors.trend(nation, years),
        },
        repeat,
    )  # fmt: skip
    log(f"\nImport de la liste d'un collège de 1 000 élèves, charge {load()}")
    results["imports"] = measure_imports(max(3, repeat // 6), year)
    log(f"\nCompteurs, charge {load()}")

    def refresh_school():
        with rolled_back():
            stats_refresh(establishment_id=school.pk, school_year=year)

    def refresh_all():
        with rolled_back():
            stats_refresh_all()

    results["stats"] = timed_calls(
        {"stats_refresh (collège de 1 000 élèves)": refresh_school}, max(5, repeat // 3)
    )
    results["stats"].update(timed_calls({"stats_refresh_all (académie)": refresh_all}, 3))
    results["load_after"] = load()
    return results


def bench_main(generate, measure, name: str) -> None:
    """The command line of a benchmark on its own embedded database: generate the data once,
    then (unless ``--generate-only``) measure, and write ``bench/results/<name>.json``."""
    parser = argparse.ArgumentParser(description=sys.modules["__main__"].__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="requêtes mesurées par page")
    parser.add_argument("--generate-only", action="store_true")
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        raise SystemExit("Ce banc d'essai utilise le PostgreSQL embarqué : retirez DATABASE_URL.")
    if os.environ["RELAIS_DB_NAME"] == "relais":
        raise SystemExit("Refus : RELAIS_DB_NAME=relais est la base de développement.")
    from bench_load import collect_static

    collect_static()
    import django

    django.setup()
    log(f"Base {os.environ['RELAIS_DB_NAME']} sur {os.environ['RELAIS_PGDATA']}, charge {load()}")
    figures: dict = {"started": datetime.datetime.now().isoformat(timespec="seconds")}
    figures["generation"] = generate()
    if not args.generate_only:
        figures.update(measure(args.repeat))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    log(f"\nRésultats dans {path} ; charge {load()}")


if __name__ == "__main__":
    bench_main(generate, measure, "pathways")
