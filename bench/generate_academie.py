"""Fill a benchmark database with an académie's worth of data, for the load test.

Run by hand (not in CI), on its own embedded PostgreSQL cluster so that nobody else's
database is touched (the defaults below; both can be overridden in the environment):

    RELAIS_PGDATA=/tmp/relais-bench-pg RELAIS_DB_NAME=relais_bench_load \\
        nice -n 10 .venv/bin/python bench/generate_academie.py

It first runs ``migrate`` and ``load_demo`` (real reference data: annuaire, communes, ROME,
NAF; the demo accounts), copies that database as ``<name>_small`` (the demo size, for the
SQL-queries-per-page comparison of ``bench/bench_queries.py``), then adds, in the académie
de Montpellier (code 11) where the demo accounts work:

- bassins, pôles de stages and clubs up to 300 clubs école-entreprise in the académie (each
  with its steering committee, members and the two mandates of the school year);
- établissements up to 6,000 in the académie: each copies the profile (type, nature,
  sector, tracks, REP) of a real établissement of the académie, in a real commune, with a
  generated UAI in ranges the annuaire does not use (4th digit 7 or 8: ``0307…``, ``0348…``);
  400 of them in the demo référent's bassin (Gard Sud-Est);
- 20,000 organisations (companies, associations, public bodies) in real communes, fictitious
  and marked as demo, with valid SIRETs in the unused range ``9999…`` (SIREN 99995000 to
  99999999; the demo's fifty use 99990001 to 99990050); 1,000 are members of CPME Occitanie;
- 5,000 conventions and about 1,100 avenants over every state, scope and kind, with their
  parties, signatories, articles (paragraphs of the real seed conventions), commitments,
  frozen versions, transition journal, full-text index and computed dates (by the real
  ``consolidation.key_dates``);
- 30,000 internship offers with their places per week and state journal;
- 50,000 pupils with their internship periods and cases at every step of the path (with the
  proposals, held or taken places and placements that the states imply).

Rows are written with ``bulk_create`` in batches of 2,000 (the services would take hours), in
one transaction: a failure writes nothing. Every database constraint holds and the
``search_text`` / ``search_vector`` columns are filled as the services fill them. The seed is
fixed; a second run refuses (the generated bassins are already there).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RELAIS_PGDATA", "/tmp/relais-bench-pg")
os.environ.setdefault("RELAIS_DB_NAME", "relais_bench_load")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

from generator.agreement_rows import journal_model  # noqa: E402
from generator.agreements import generate_agreements  # noqa: E402
from generator.common import (  # noqa: E402
    ACADEMIE,
    GENERATED_BASSIN_PREFIX,
    SEED,
    Context,
    explicit_timestamps,
    log,
    scale_sizes,
    step,
)
from generator.internships import Internships  # noqa: E402
from generator.places import (  # noqa: E402
    generate_bassins,
    generate_club_members,
    generate_establishments,
    generate_organisations,
)


def copy_database(source: str, target: str) -> None:
    """``target`` becomes a copy of ``source`` (PostgreSQL template), replacing any old one."""
    import psycopg
    from django.db import connections

    from relais.core import embedded_db

    connections.close_all()
    socket_dir = embedded_db.ensure_running()
    with psycopg.connect(
        host=str(socket_dir), user=embedded_db.SUPERUSER, dbname="postgres", autocommit=True
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def counts() -> dict[str, int]:
    from relais.agreements.models import Agreement
    from relais.establishments.models import Establishment
    from relais.internships.models import InternshipOffer, PlacementCase
    from relais.networks.models import Club
    from relais.organisations.models import Organisation
    from relais.pupils.models import Pupil

    return {
        "établissements (académie 11)": Establishment.objects.filter(
            academie__code=ACADEMIE
        ).count(),
        "organisations": Organisation.objects.count(),
        "conventions et avenants": Agreement.objects.count(),
        "offres de stage": InternshipOffer.objects.count(),
        "élèves": Pupil.objects.count(),
        "dossiers": PlacementCase.objects.count(),
        "clubs (académie 11)": Club.objects.filter(academie__code=ACADEMIE).count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--no-prepare",
        action="store_true",
        help="ne pas lancer migrate et load_demo avant de générer",
    )
    parser.add_argument(
        "--no-small-copy",
        action="store_true",
        help="ne pas copier la base de démonstration en <base>_small",
    )
    parser.add_argument(
        "--if-missing",
        action="store_true",
        help="ne rien faire (et réussir) si la base contient déjà les données générées",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="taille relative (0.1 : un dixième d'académie, pour bench_queries.py)",
    )
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        raise SystemExit("Ce générateur écrit dans le PostgreSQL embarqué : retirez DATABASE_URL.")
    name = os.environ["RELAIS_DB_NAME"]
    if name == "relais":
        raise SystemExit("Refus : RELAIS_DB_NAME=relais est la base de développement.")
    import io

    import django

    django.setup()

    import pghistory
    from django.core.management import call_command
    from django.db import connection, transaction

    from relais.agreements.models import Agreement, AgreementVersion
    from relais.internships.models import InternshipOffer, Placement
    from relais.organisations.models import Organisation
    from relais.pupils.models import Pupil
    from relais.territories.models import Bassin

    started = time.perf_counter()
    log(f"Base {name} sur le cluster {os.environ['RELAIS_PGDATA']}")
    if not args.no_prepare:
        with step("migrate et load_demo (données de référence réelles, comptes de démonstration)"):
            call_command("migrate", verbosity=0)
            call_command("load_demo", stdout=io.StringIO())
    if Bassin.objects.filter(code__startswith=GENERATED_BASSIN_PREFIX).exists():
        if args.if_missing:
            log(f"La base {name} contient déjà les données générées.")
            return
        raise SystemExit(
            f"La base {name} contient déjà les données générées : rien n'est fait. "
            "Pour repartir de zéro : DROP DATABASE, puis relancer."
        )
    if not args.no_small_copy:
        with step(f"copie de la base de démonstration en {name}_small"):
            copy_database(name, f"{name}_small")
    prepared = time.perf_counter()
    if args.scale != 1.0:
        scale_sizes(args.scale)
        log(f"Taille : {args.scale:g} fois l'académie")
    rng = random.Random(SEED)
    models = (
        Organisation,
        Agreement,
        AgreementVersion,
        journal_model()[0],
        InternshipOffer,
        Pupil,
        Placement,
    )
    with (
        pghistory.context(command="generate_academie"),
        transaction.atomic(),
        explicit_timestamps(*models),
    ):
        ctx = Context(rng)
        with step("bassins, pôles de stages et clubs"):
            generate_bassins(ctx)
        with step("établissements"):
            generate_establishments(ctx)
        with step("organisations"):
            generate_organisations(ctx)
        with step("conventions et avenants"):
            generate_agreements(ctx)
        internships = Internships(ctx)
        with step("offres de stage"):
            internships.offers()
        with step("élèves, périodes et dossiers"):
            internships.pupils()
        with step("membres et mandats des clubs"):
            generate_club_members(ctx)
    generated = time.perf_counter()
    with step("ANALYZE"), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total = time.perf_counter() - started
    log("\nContenu de la base :")
    for label, value in counts().items():
        log(f"  {label:<32}{value:>8}")
    log(
        f"\nGénération : {generated - prepared:.0f} s ; en tout (migrate, load_demo, copie, "
        f"ANALYZE compris) : {total:.0f} s ; charge de la machine : "
        + " / ".join(f"{x:.1f}" for x in os.getloadavg())
    )


if __name__ == "__main__":
    main()
