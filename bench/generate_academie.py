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
import datetime
import os
import random
import re
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("RELAIS_PGDATA", "/tmp/relais-bench-pg")
os.environ.setdefault("RELAIS_DB_NAME", "relais_bench_load")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

SEED = 20151211  # the 12 mesures of the relation école-entreprise were presented in Dec. 2015
ACADEMIE = "11"  # Montpellier
DEMO_BASSIN = "11117"  # Gard Sud-Est: the demo référent's and pôle member's bassin
TARGET = {
    "clubs": 300,
    "establishments": 6_000,
    "organisations": 20_000,
    "agreements": 5_000,
    "offers": 30_000,
    "pupils": 50_000,
}
DEMO_BASSIN_EXTRA = {"establishments": 400, "offers": 5_000, "pupils": 8_000}
DEMO_SCHOOL_PUPILS = 400
BATCH = 2_000
GENERATED_BASSIN_PREFIX = "11G"

FIRST_NAMES = [
    "Lina", "Noah", "Inès", "Adam", "Jade", "Yanis", "Lou", "Sacha", "Aya", "Nathan", "Maëlys",
    "Rayan", "Chloé", "Ilyes", "Léna", "Hugo", "Sofia", "Amir", "Zoé", "Lucas", "Nour", "Malo",
    "Camila", "Elias", "Louise", "Mohamed", "Rose", "Tiago", "Anaïs", "Ewen", "Manon", "Théo",
    "Emma", "Gabriel", "Alice", "Raphaël", "Mila", "Arthur", "Lola", "Jules", "Ambre", "Louis",
    "Léa", "Paul", "Sarah", "Nolan", "Juliette", "Ethan", "Romane", "Timéo", "Clara", "Kenzo",
    "Eva", "Mathis", "Agathe", "Younès", "Célia", "Axel", "Salomé",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont",
    "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
    "Blanc", "Guerin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier",
    "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Perez", "Marchand",
    "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux",
    "Colin", "Fernandez", "Pierre", "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud",
    "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe",
]  # fmt: skip
# (NAF code, trade) of the generated companies.
TRADES = [
    ("10.71C", "Boulangerie"), ("43.21A", "Électricité"), ("45.20A", "Garage"),
    ("56.10A", "Restaurant"), ("62.01Z", "Studio numérique"), ("71.12B", "Bureau d'études"),
    ("25.62B", "Mécanique de précision"), ("01.21Z", "Domaine viticole"), ("55.10Z", "Hôtel"),
    ("96.02A", "Salon de coiffure"), ("43.32A", "Menuiserie"), ("30.30Z", "Aéronautique"),
    ("81.30Z", "Paysagiste"), ("49.41A", "Transports"), ("75.00Z", "Clinique vétérinaire"),
    ("47.73Z", "Pharmacie"), ("86.90D", "Cabinet infirmier"), ("41.20A", "Construction"),
    ("10.13B", "Charcuterie"), ("47.76Z", "Jardinerie"), ("69.20Z", "Cabinet comptable"),
    ("93.13Z", "Salle de sport"), ("88.91A", "Crèche"), ("16.10A", "Scierie"),
    ("27.12Z", "Tableaux électriques"), ("47.11B", "Supérette"), ("68.31Z", "Agence immobilière"),
    ("43.22A", "Plomberie"), ("71.11Z", "Cabinet d'architecture"), ("03.11Z", "Pêcherie"),
]  # fmt: skip
ARTICLE_HEADINGS = [
    "Objet de la convention", "Engagements de l'académie", "Engagements du partenaire",
    "Découverte des métiers", "Stages et périodes de formation en milieu professionnel",
    "Conseillers entreprises pour l'école", "Gouvernance et suivi", "Communication",
    "Évaluation", "Durée et reconduction", "Résiliation", "Règlement des litiges",
]  # fmt: skip
LEGAL_BASIS = (
    "Vu le code de l'éducation, notamment ses articles L. 331-4, L. 335-1 et D. 331-66 ;\n"
    "Vu la circulaire n° 2016-035 du 1er mars 2016 relative au renforcement de la relation "
    "école-entreprise ;"
)


def setup_django():
    import django

    django.setup()


def log(message: str) -> None:
    print(message, flush=True)


@contextmanager
def step(label: str):
    started = time.perf_counter()
    log(f"… {label}")
    yield
    log(f"   {label} : {time.perf_counter() - started:.1f} s")


@contextmanager
def explicit_timestamps(*models):
    """Let the generator set ``created_at``/``updated_at``/``at`` itself (spread over the
    past) instead of Django's auto_now: every such field is then given explicitly."""
    fields = [
        f
        for model in models
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def bulk(model, objects: list, label: str = "") -> list:
    """bulk_create in batches, with a progress line for the big tables."""
    created = []
    for start in range(0, len(objects), BATCH):
        created += model.objects.bulk_create(objects[start : start + BATCH])
        if len(objects) > 5 * BATCH and label:
            print(f"\r   {label} : {len(created):>7} / {len(objects)}", end="", flush=True)
    if len(objects) > 5 * BATCH and label:
        print()
    return created


def aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    from django.utils import timezone

    moment = datetime.datetime.combine(day, datetime.time(8 + rng.randrange(10), rng.randrange(60)))
    return timezone.make_aware(moment)


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


class Context:
    """What every section needs: the académie, its communes and bassins, the demo users."""

    def __init__(self, rng: random.Random):
        from django.db.models import Count

        from relais.establishments.models import Establishment
        from relais.territories.models import Academie, Bassin, Commune
        from relais.users.models import User

        self.rng = rng
        self.today = datetime.date.today()
        self.academie = Academie.objects.select_related("region").get(code=ACADEMIE)
        self.communes = list(
            Commune.objects.filter(departement__academie=self.academie, latitude__isnull=False)
            .select_related("departement")
            .order_by("insee_code")
        )
        self.real_bassins = list(Bassin.objects.filter(academie=self.academie).order_by("code"))
        self.demo_bassin = Bassin.objects.get(code=DEMO_BASSIN)
        # Commune → its bassin (the bassin of most of its établissements).
        votes = (
            Establishment.objects.filter(academie=self.academie, bassin__isnull=False)
            .values("commune_id", "bassin_id")
            .annotate(n=Count("pk"))
            .order_by("commune_id", "-n")
        )
        self.bassin_of_commune = {}
        for row in votes:
            self.bassin_of_commune.setdefault(row["commune_id"], row["bassin_id"])
        self.communes_of_bassin = defaultdict(list)
        for commune in self.communes:
            bassin_id = self.bassin_of_commune.get(commune.pk)
            if bassin_id:
                self.communes_of_bassin[bassin_id].append(commune)
        self.daet = User.objects.get(email="daet.montpellier@demo.relais.example")
        self.hub_member = User.objects.get(email="pole.stages@demo.relais.example")
        self.teacher = User.objects.get(email="enseignant@demo.relais.example")
        self.demo_school = self.teacher.memberships.get().establishment
        self.bassins = list(self.real_bassins)  # completed by generate_bassins


# --- bassins, pôles, clubs -------------------------------------------------------------------


def generate_bassins(ctx: Context) -> None:
    """Bassins named after real communes of the académie, each with its pôle de stages, up to
    TARGET["clubs"] clubs in the académie."""
    from relais.core.text import search_key
    from relais.governance.enums import BodyKind
    from relais.governance.models import Body
    from relais.internships.models import PlacementHub
    from relais.networks.models import Club
    from relais.networks.services import LILLE_CHARTER, STEERING_RULE
    from relais.territories.models import Bassin

    existing = Club.objects.filter(academie=ctx.academie).count()
    missing = TARGET["clubs"] - existing
    rng = ctx.rng
    names = rng.sample([c for c in ctx.communes if c.pk not in ctx.bassin_of_commune], missing)
    bassins = bulk(
        Bassin,
        [
            Bassin(
                code=f"{GENERATED_BASSIN_PREFIX}{i + 1:03d}",
                name=c.name.upper(),
                academie=ctx.academie,
            )
            for i, c in enumerate(names)
        ],
    )
    for bassin, commune in zip(bassins, names, strict=True):
        ctx.communes_of_bassin[bassin.pk].append(commune)
    bulk(
        PlacementHub,
        [
            PlacementHub(
                bassin=b,
                name=f"Pôle de stages du {b}",
                email=f"pole.{b.code.lower()}@bench.example",
                created_at=aware(ctx.today - datetime.timedelta(days=400), rng),
            )
            for b in bassins
        ],
    )
    now = aware(ctx.today, rng)
    clubs = []
    for b in bassins:
        club = Club(
            name=f"Club école-entreprise du {b}",
            academie=ctx.academie,
            bassin=b,
            charter=LILLE_CHARTER,
            contact_email=f"club.{b.code.lower()}@bench.example",
            created_at=now,
            updated_at=now,
        )
        club.search_text = search_key(club.name, b.name)
        clubs.append(club)
    clubs = bulk(Club, clubs)
    bulk(
        Body,
        [
            Body(
                name=f"Comité de pilotage — {c.name}",
                kind=BodyKind.CLUB_STEERING,
                club=c,
                academie=ctx.academie,
                min_meetings_per_year=2,
                rule_text=STEERING_RULE,
                created_at=now,
                updated_at=now,
            )
            for c in clubs
        ],
    )
    ctx.bassins = ctx.real_bassins + bassins
    ctx.new_clubs = clubs
    log(f"   {len(bassins)} bassins, pôles et clubs générés ({existing} clubs existaient)")


# --- établissements --------------------------------------------------------------------------


def generate_establishments(ctx: Context) -> None:
    """Copies of the profile of real établissements of the académie, renamed, in real
    communes, with UAIs whose 4th digit is 7 or 8 (unused by the annuaire)."""
    from relais.core.identifiers import uai_check_letter
    from relais.core.text import search_key
    from relais.establishments.models import Establishment

    rng = ctx.rng
    real = list(Establishment.objects.filter(academie=ctx.academie, is_open=True).order_by("uai"))
    missing = (
        TARGET["establishments"]
        - len(real)
        - Establishment.objects.filter(academie=ctx.academie, is_open=False).count()
    )
    used = set(Establishment.objects.values_list("uai", flat=True))
    serial = defaultdict(int)
    colleges = [e for e in real if e.kind == "college"]
    objects = []
    now = aware(ctx.today, rng)
    for index in range(missing):
        in_demo_bassin = index < DEMO_BASSIN_EXTRA["establishments"]
        # One in ten of the demo bassin's extra schools is a collège (pupils, periods, offers).
        model = rng.choice(colleges) if in_demo_bassin and index % 10 == 0 else rng.choice(real)
        bassin = ctx.demo_bassin if in_demo_bassin else rng.choice(ctx.bassins)
        commune = rng.choice(ctx.communes_of_bassin.get(bassin.pk) or ctx.communes)
        dept = commune.departement
        while True:
            serial[dept.code] += 1
            number = serial[dept.code]
            body = f"0{dept.code[:2]}{7 + number // 1000}{number % 1000:03d}"
            uai = body + uai_check_letter(body)
            if uai not in used:
                break
        used.add(uai)
        name = re.sub(r"\s+", " ", model.name).strip()
        objects.append(
            Establishment(
                uai=uai,
                name=name,
                kind=model.kind,
                nature_code=model.nature_code,
                nature_label=model.nature_label,
                sector=model.sector,
                private_contract=model.private_contract,
                priority_education=model.priority_education,
                general_track=model.general_track,
                technological_track=model.technological_track,
                vocational_track=model.vocational_track,
                lycee_des_metiers=model.lycee_des_metiers,
                segpa=model.segpa,
                ulis=model.ulis,
                apprenticeship=model.apprenticeship,
                agricultural=model.agricultural,
                address_1=f"{rng.randint(1, 80)} {rng.choice(['rue', 'avenue', 'chemin'])} "
                f"{rng.choice(LAST_NAMES)}",
                postal_code=commune.postal_code,
                commune=commune,
                departement=dept,
                academie=ctx.academie,
                bassin=bassin,
                latitude=commune.latitude + rng.uniform(-0.01, 0.01),
                longitude=commune.longitude + rng.uniform(-0.01, 0.01),
                email=f"ce.{uai.lower()}@bench.example",
                pupil_count=model.pupil_count,
                is_open=True,
                created_at=now,
                updated_at=now,
                search_text=search_key(name, uai, commune.name, commune.postal_code),
            )
        )
    bulk(Establishment, objects, "établissements")
    log(f"   {len(objects)} établissements générés ({len(real)} réels ouverts)")


# --- organisations ---------------------------------------------------------------------------


def generate_organisations(ctx: Context) -> None:
    from relais.core.identifiers import build_siret
    from relais.nomenclatures.models import NafCode
    from relais.organisations.enums import OrganisationKind, OrganisationLevel, SizeBand
    from relais.organisations.models import Organisation
    from relais.organisations.services import organisation_search_text

    rng = ctx.rng
    nafs = {n.code: n for n in NafCode.objects.filter(code__in=[c for c, _ in TRADES])}
    cpme = Organisation.objects.get(acronym="CPME Occitanie")
    bands = [SizeBand.MICRO] * 6 + [SizeBand.SME] * 3 + [SizeBand.MID]
    objects = []
    for index in range(TARGET["organisations"]):
        commune = rng.choice(ctx.communes)
        draw = rng.random()
        siret = None
        if draw < 0.85:
            kind = OrganisationKind.COMPANY
            naf_code, trade = rng.choice(TRADES)
            name = f"{trade} {rng.choice(LAST_NAMES)}"
            if rng.random() < 0.3:
                name += f" {rng.choice(['et fils', 'SARL', 'SAS', '& associés'])}"
            siret = build_siret(f"9999{5000 + index // 4:04d}", f"{index % 4 + 1:04d}")
        elif draw < 0.95:
            kind, naf_code = OrganisationKind.ASSOCIATION, "88.99B"
            purpose = rng.choice(["sportive", "culturelle", "d'insertion", "des parents"])
            name = f"Association {purpose} de {commune.name}"
            if rng.random() < 0.5:
                siret = build_siret(f"9999{5000 + index // 4:04d}", f"{index % 4 + 1:04d}")
        else:
            kind, naf_code = OrganisationKind.PUBLIC_BODY, "84.11Z"
            body = rng.choice(["Mairie", "Communauté de communes", "Centre hospitalier", "SDIS"])
            name = f"{body} de {commune.name}"
        created = aware(ctx.today - datetime.timedelta(days=rng.randrange(1, 1100)), rng)
        org = Organisation(
            name=name,
            kind=kind,
            level=OrganisationLevel.LOCAL,
            parent=cpme if kind == OrganisationKind.COMPANY and index % 17 == 0 else None,
            siret=siret,
            naf=nafs.get(naf_code),
            size_band=rng.choice(bands) if siret else "",
            address=f"{rng.randint(1, 120)} {rng.choice(['rue', 'avenue', 'boulevard'])} "
            f"{rng.choice(LAST_NAMES)}",
            postal_code=commune.postal_code,
            commune=commune,
            latitude=commune.latitude,
            longitude=commune.longitude,
            academie=ctx.academie,
            academic_region=ctx.academie.region,
            email=f"contact{index + 1}@bench-entreprise.example",
            description="Structure fictive générée pour les mesures de charge de Relais.",
            is_demo=True,
            archived_at=created + datetime.timedelta(days=30) if index % 50 == 0 else None,
            created_at=created,
            updated_at=created,
        )
        org.search_text = organisation_search_text(org)
        objects.append(org)
    bulk(Organisation, objects, "organisations")
    cpme_children = sum(1 for o in objects if o.parent_id)
    log(f"   {len(objects)} organisations ({cpme_children} adhérentes de la CPME Occitanie)")


# --- conventions and avenants ----------------------------------------------------------------


def reserve_ids(model, count: int) -> list[int]:
    """Primary keys taken from the table's own sequence (rows that point at each other, such
    as avenants and the conventions they amend, can then go in the same batch)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [model._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


def seed_paragraphs() -> list[str]:
    """Paragraphs of the real conventions of data/seeds/, used as article bodies."""
    from django.conf import settings

    paragraphs = []
    for path in sorted((Path(settings.DATA_DIR) / "seeds").glob("*convention*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            text = re.sub(r"\s+", " ", block).strip()
            if 200 <= len(text) <= 1500:
                paragraphs.append(text)
    return paragraphs


class AgreementFactory:
    """Builds conventions and avenants in memory (with their parties, signatories, articles,
    commitments, version, journal), then writes everything in dependency order."""

    def __init__(self, ctx: Context):
        from relais.agreements.models import Agreement
        from relais.establishments.models import Establishment
        from relais.organisations.enums import OrganisationKind
        from relais.organisations.models import Organisation

        self.ctx, self.rng = ctx, ctx.rng
        self.ids = iter(reserve_ids(Agreement, int(TARGET["agreements"] * 1.4)))
        self.schools = list(
            Establishment.objects.filter(
                academie=ctx.academie, kind__in=["college", "lycee"], bassin__isnull=False
            ).select_related("bassin")
        )
        self.demo_schools = [s for s in self.schools if s.bassin_id == ctx.demo_bassin.pk]
        self.companies = list(
            Organisation.objects.filter(
                academie=ctx.academie, kind=OrganisationKind.COMPANY, archived_at__isnull=True
            ).only("pk", "name", "acronym", "address", "postal_code")
        )
        self.professionals = list(
            Organisation.objects.filter(
                kind=OrganisationKind.PROFESSIONAL, academic_region=ctx.academie.region
            ).order_by("pk")
        )
        self.paragraphs = seed_paragraphs()
        self.agreements, self.parties, self.signatories = [], [], []
        self.articles, self.commitments, self.versions = [], [], []
        self.journal = []  # (agreement, transition, from, to, at, note, data or callable)
        self.parts = {}  # agreement → its parties, signatories, articles (for text & snapshot)
        self.framework_in_force = []

    # -- helpers

    def person(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def terms(self, kind: str) -> dict:
        from relais.agreements import deadlines
        from relais.agreements.enums import AgreementKind

        rng = self.rng
        if kind == AgreementKind.CEE:
            return {
                "duration_months": 36,
                "tacit_renewal": False,
                "max_renewals": None,
                "notice_months": 0,
                "termination_months": 6,
            }
        tacit = rng.random() < 0.5
        fields = {
            "duration_months": rng.choice([12, 24, 36, 36, 36, 48, 60]),
            "tacit_renewal": tacit,
            "max_renewals": rng.choice([None, 1, 2, 3]) if tacit else None,
            "notice_months": rng.choice([0, 1, 2, 3]) if tacit else 0,
            "termination_months": rng.choice([0, 1, 2, 3]),
        }
        try:
            deadlines.Terms(start=datetime.date(2000, 1, 1), **fields)
        except ValueError:
            fields.update(notice_months=0, termination_months=0)
        return fields

    def territory(self, scope: str) -> dict:
        from relais.agreements.enums import AgreementScope

        ctx, rng = self.ctx, self.rng
        if scope == AgreementScope.ACADEMIC_REGION:
            return {"academic_region": ctx.academie.region}
        if scope == AgreementScope.ACADEMIE:
            return {"academie": ctx.academie, "academic_region": ctx.academie.region}
        if scope == AgreementScope.BASSIN:
            bassin = ctx.demo_bassin if rng.random() < 0.1 else rng.choice(ctx.bassins)
            return {"academie": ctx.academie, "bassin": bassin}
        draw = rng.random()
        school = (
            ctx.demo_school
            if draw < 0.005
            else rng.choice(self.demo_schools if draw < 0.1 else self.schools)
        )
        return {"academie": ctx.academie, "bassin": school.bassin, "establishment": school}

    # -- one convention

    def convention(self, index: int, *, supersedes=None):
        from relais.agreements.enums import AgreementKind, AgreementScope, AgreementState
        from relais.agreements.models import Agreement

        rng = self.rng
        if supersedes is not None:
            scope, kind = supersedes.scope, supersedes.kind
        else:
            share = index / TARGET["agreements"]
            if share < 0.05:
                scope = AgreementScope.ACADEMIC_REGION
            elif share < 0.2:
                scope = AgreementScope.ACADEMIE
            elif share < 0.45:
                scope = AgreementScope.BASSIN
            else:
                scope = AgreementScope.ESTABLISHMENT
            if scope in (AgreementScope.ACADEMIE, AgreementScope.ACADEMIC_REGION):
                kind = AgreementKind.CEE if rng.random() < 0.35 else AgreementKind.FRAMEWORK
            else:
                kind = AgreementKind.LOCAL if rng.random() < 0.85 else AgreementKind.FRAMEWORK
        territory = (
            {
                f: getattr(supersedes, f)
                for f in ("academic_region", "academie", "bassin", "establishment")
            }
            if supersedes is not None
            else self.territory(scope)
        )
        agreement = Agreement(
            pk=next(self.ids),
            kind=kind,
            scope=scope,
            legal_basis=LEGAL_BASIS,
            preamble=rng.choice(self.paragraphs),
            created_by=self.ctx.daet,
            dispute_clause="Les parties recherchent d'abord une solution amiable.",
            competent_court="tribunal administratif de Montpellier",
            open_to_new_signatories=rng.random() < 0.2,
            supersedes=supersedes,
            **territory,
            **self.terms(kind),
        )
        if kind == AgreementKind.LOCAL and self.framework_in_force and rng.random() < 0.3:
            agreement.parent = rng.choice(self.framework_in_force)
        partners = self.add_parties(agreement)
        agreement.title = self.title(agreement, partners[0])
        self.add_articles(agreement, count=rng.randint(3, 8))
        self.add_commitments(agreement)
        state = (
            "signed"
            if supersedes is not None
            else rng.choices(["draft", "in_signature", "abandoned", "signed"], [12, 8, 4, 76])[0]
        )
        if state == "signed":
            self.sign(agreement, signed_on=self.signature_day(supersedes))
            in_force = agreement.state == AgreementState.IN_FORCE
            if in_force and scope == AgreementScope.ACADEMIE and kind == AgreementKind.FRAMEWORK:
                self.framework_in_force.append(agreement)
        else:
            self.unsigned(agreement, state)
        self.agreements.append(agreement)
        return agreement

    def signature_day(self, supersedes) -> datetime.date:
        today = self.ctx.today
        if supersedes is not None:
            return supersedes.ended_on + datetime.timedelta(days=1)
        return today - datetime.timedelta(days=self.rng.randrange(1, 7 * 365))

    def title(self, agreement, partner) -> str:
        from relais.agreements.enums import AgreementKind, AgreementScope

        if agreement.kind == AgreementKind.CEE:
            return f"Convention conseillers entreprises pour l'école — Montpellier — {partner.name}"
        where = {
            AgreementScope.ACADEMIC_REGION: "Région académique Occitanie",
            AgreementScope.ACADEMIE: "Académie de Montpellier",
            AgreementScope.BASSIN: str(agreement.bassin),
        }.get(agreement.scope) or agreement.establishment.name.title()
        label = "Convention-cadre" if agreement.kind == AgreementKind.FRAMEWORK else "Convention"
        return f"{label} de partenariat — {where} — {partner.name}"[:255]

    def add_parties(self, agreement) -> list:
        from relais.agreements.enums import AgreementScope, PartySide
        from relais.agreements.models import Party, Signatory

        rng = self.rng
        if agreement.scope == AgreementScope.ESTABLISHMENT:
            school = agreement.establishment
            education = (school.name.title(), "le chef d'établissement", "Principal")
        elif agreement.scope == AgreementScope.ACADEMIC_REGION:
            education = (
                "Région académique Occitanie",
                "la rectrice de région académique",
                "Rectrice de région académique",
            )
        else:
            education = (
                "Académie de Montpellier",
                "le recteur de l'académie de Montpellier",
                "Recteur d'académie",
            )
        count = rng.choice([1, 1, 1, 2, 2, 3])
        if agreement.scope in (AgreementScope.ACADEMIE, AgreementScope.ACADEMIC_REGION):
            partners = rng.sample(self.professionals, min(count, len(self.professionals)))
        else:
            partners = rng.sample(self.companies, count)
        parties, signatories = [], []
        party = Party(
            agreement=agreement,
            order=1,
            name=education[0],
            side=PartySide.EDUCATION,
            represented_by=education[1],
        )
        parties.append(party)
        signatories.append(
            Signatory(
                agreement=agreement,
                party=party,
                order=1,
                full_name=self.person(),
                title=education[2],
            )
        )
        for order, org in enumerate(partners, start=2):
            party = Party(
                agreement=agreement,
                order=order,
                organisation=org,
                name=org.name,
                short_name=org.acronym,
                side=PartySide.ECONOMIC,
                represented_by="son représentant légal",
                address=org.address,
            )
            parties.append(party)
            signatories.append(
                Signatory(
                    agreement=agreement,
                    party=party,
                    order=order,
                    full_name=self.person(),
                    title=rng.choice(
                        ["Gérant", "Gérante", "Président", "Présidente", "Directeur général"]
                    ),
                )
            )
        self.parts[agreement.pk] = {
            "parties": parties,
            "signatories": signatories,
            "articles": [],
            "commitments": [],
        }
        self.parties += parties
        self.signatories += signatories
        return partners

    def add_articles(self, agreement, *, count: int, numbers=None) -> None:
        from relais.agreements.models import Article

        headings = self.rng.sample(ARTICLE_HEADINGS, count)
        numbers = numbers or [f"Article {i}" for i in range(1, count + 1)]
        for order, (number, heading) in enumerate(zip(numbers, headings, strict=False), start=1):
            article = Article(
                agreement=agreement,
                order=order,
                number=number,
                heading=heading,
                body=self.rng.choice(self.paragraphs),
            )
            self.parts[agreement.pk]["articles"].append(article)
            self.articles.append(article)

    def add_commitments(self, agreement) -> None:
        from relais.agreements.enums import CommitmentCategory, PartySide
        from relais.agreements.models import Commitment

        rng = self.rng
        for party in self.parts[agreement.pk]["parties"]:
            if party.side != PartySide.ECONOMIC:
                continue
            for _ in range(rng.choice([0, 1, 1, 2])):
                category = rng.choice(list(CommitmentCategory))
                commitment = Commitment(
                    agreement=agreement,
                    party=party,
                    category=category,
                    description=category.label,
                    quantity=rng.randint(1, 20),
                    unit=rng.choice(["élèves", "conseillers", "interventions"]),
                    article_number="Article 1",
                )
                self.parts[agreement.pk]["commitments"].append(commitment)
                self.commitments.append(commitment)

    # -- lifecycle

    def log(self, agreement, transition, before, after, at, note="", data=None):
        self.journal.append((agreement, transition, before, after, at, note, data))

    def unsigned(self, agreement, state: str) -> None:
        from relais.agreements.enums import AgreementState, Transition

        rng, today = self.rng, self.ctx.today
        created = today - datetime.timedelta(days=rng.randrange(3, 200))
        agreement.created_at = aware(created, rng)
        agreement.state = AgreementState.DRAFT
        if state == "abandoned":
            at = aware(created + datetime.timedelta(days=rng.randrange(1, 3)), rng)
            agreement.state = AgreementState.ABANDONED
            self.log(
                agreement,
                Transition.ABANDON,
                AgreementState.DRAFT,
                agreement.state,
                at,
                "Le partenaire ne donne pas suite.",
            )
        elif state == "in_signature":
            sent = created + datetime.timedelta(days=rng.randrange(1, 3))
            self.send(agreement, sent)
            signatories = self.parts[agreement.pk]["signatories"]
            for signatory in signatories[: rng.randrange(len(signatories))]:
                day = sent + datetime.timedelta(days=rng.randrange(0, (today - sent).days + 1))
                self.record_signature(agreement, signatory, day)
        agreement.updated_at = agreement.created_at

    def send(self, agreement, day: datetime.date) -> None:
        from relais.agreements.enums import AgreementState, Transition
        from relais.agreements.models import AgreementVersion

        at = aware(day, self.rng)
        self.versions.append(
            AgreementVersion(
                agreement=agreement, number=1, content=None, created_at=at, created_by=self.ctx.daet
            )
        )
        agreement.state = AgreementState.IN_SIGNATURE
        self.log(
            agreement,
            Transition.SEND_FOR_SIGNATURE,
            AgreementState.DRAFT,
            AgreementState.IN_SIGNATURE,
            at,
            "",
            {"version": 1},
        )

    def record_signature(self, agreement, signatory, day: datetime.date) -> None:
        from relais.agreements.enums import AgreementState, SignatureMode, Transition

        signatory.signed_on = day
        signatory.mode = self.rng.choice([SignatureMode.PAPER, SignatureMode.ELECTRONIC])
        signatory.recorded_by = self.ctx.daet
        self.log(
            agreement,
            Transition.SIGN,
            AgreementState.IN_SIGNATURE,
            AgreementState.IN_SIGNATURE,
            aware(day, self.rng),
            f"{signatory.full_name} ({signatory.party.name})",
            lambda s=signatory: {
                "signatory": s.pk,
                "signed_on": s.signed_on.isoformat(),
                "mode": s.mode,
            },
        )

    def sign(self, agreement, *, signed_on: datetime.date) -> None:
        """Send, collect every signature (the last on ``signed_on``), enter into force, then
        end as the dates say: expired, terminated or still in force."""
        from relais.agreements.enums import AgreementState, Transition

        rng = self.rng
        created = signed_on - datetime.timedelta(days=rng.randrange(20, 150))
        sent = created + datetime.timedelta(days=rng.randrange(5, 15))
        agreement.created_at = aware(created, rng)
        self.send(agreement, sent)
        signatories = self.parts[agreement.pk]["signatories"]
        for position, signatory in enumerate(signatories, start=1):
            span = (signed_on - sent).days
            last = position == len(signatories)
            self.record_signature(
                agreement,
                signatory,
                signed_on if last else sent + datetime.timedelta(days=rng.randrange(span + 1)),
            )
        agreement.signed_on = signed_on
        if agreement.supersedes is None and rng.random() < 0.15:
            first_of_next = (signed_on.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
            agreement.effective_date = first_of_next
        agreement.start_date = agreement.effective_date or signed_on
        agreement.state = AgreementState.IN_FORCE
        self.log(
            agreement,
            Transition.ENTER_INTO_FORCE,
            AgreementState.IN_SIGNATURE,
            AgreementState.IN_FORCE,
            aware(signed_on, rng),
            f"Prend effet le {agreement.start_date:%d/%m/%Y}.",
            {"start_date": agreement.start_date.isoformat()},
        )
        self.end_by_dates(agreement)
        agreement.updated_at = aware(
            min(self.ctx.today, signed_on + datetime.timedelta(days=3)), rng
        )

    def end_by_dates(self, agreement) -> None:
        from relais.agreements import deadlines
        from relais.agreements.consolidation import terms_of
        from relais.agreements.enums import AgreementState, Transition

        rng, today = self.rng, self.ctx.today
        terms = terms_of(agreement, self.clauses(agreement))
        status = deadlines.status_on(terms, on=today)
        if status == deadlines.Status.EXPIRED:
            agreement.ended_on = deadlines.expiry_date(terms)
            agreement.state = AgreementState.EXPIRED
            self.log(
                agreement,
                Transition.EXPIRE,
                AgreementState.IN_FORCE,
                agreement.state,
                aware(min(today, agreement.ended_on + datetime.timedelta(days=1)), rng),
                f"Fin le {agreement.ended_on:%d/%m/%Y}.",
            )
            return
        start = agreement.start_date
        if rng.random() < 0.07 and start < today - datetime.timedelta(days=30):
            notice = start + datetime.timedelta(days=rng.randrange(1, (today - start).days))
            try:
                last_day = deadlines.termination_effective_date(terms, notice_received_on=notice)
            except ValueError:
                return
            agreement.notice_received_on, agreement.terminated_on = notice, last_day
            agreement.termination_reason = "Cessation d'activité du partenaire."
            agreement.state = AgreementState.TERMINATED
            self.log(
                agreement,
                Transition.TERMINATE,
                AgreementState.IN_FORCE,
                agreement.state,
                aware(notice, rng),
                agreement.termination_reason,
                {"notice_received_on": notice.isoformat(), "last_day": last_day.isoformat()},
            )
            if last_day < today:
                agreement.ended_on = deadlines.expiry_date(
                    terms_of(agreement, self.clauses(agreement))
                )

    def supersede(self, agreement) -> None:
        """End ``agreement`` (in force) and return its successor, in force the day after."""
        from relais.agreements.enums import AgreementState, Transition

        today = self.ctx.today
        agreement.ended_on = today - datetime.timedelta(days=self.rng.randrange(1, 120))
        if agreement.ended_on < agreement.start_date:
            agreement.ended_on = agreement.start_date
        successor = self.convention(0, supersedes=agreement)
        agreement.state = AgreementState.SUPERSEDED
        self.log(
            agreement,
            Transition.SUPERSEDE,
            AgreementState.IN_FORCE,
            agreement.state,
            aware(successor.signed_on, self.rng),
            f"Remplacée par {self.number(successor)}.",
        )

    # -- avenants

    def avenant(self, agreement, count: int):
        from relais.agreements.enums import AgreementKind, AgreementState
        from relais.agreements.models import Agreement, Party, Signatory

        rng, today = self.rng, self.ctx.today
        end = min(today, agreement.ended_on or today, agreement.terminated_on or today)
        first = agreement.start_date + datetime.timedelta(days=30)
        if end <= first + datetime.timedelta(days=30):
            return None
        avenant = Agreement(
            pk=next(self.ids),
            kind=AgreementKind.AVENANT,
            scope=agreement.scope,
            academic_region=agreement.academic_region,
            academie=agreement.academie,
            bassin=agreement.bassin,
            establishment=agreement.establishment,
            amends=agreement,
            title=f"Avenant n° {count} — {agreement.title}"[:255],
            created_by=self.ctx.daet,
        )
        parts = {"parties": [], "signatories": [], "articles": [], "commitments": []}
        self.parts[avenant.pk] = parts
        for party in self.parts[agreement.pk]["parties"]:
            copy = Party(
                agreement=avenant,
                order=party.order,
                organisation=party.organisation,
                name=party.name,
                short_name=party.short_name,
                side=party.side,
                represented_by=party.represented_by,
                address=party.address,
            )
            parts["parties"].append(copy)
            parts["signatories"].append(
                Signatory(
                    agreement=avenant,
                    party=copy,
                    order=party.order,
                    full_name=self.person(),
                    title="Signataire",
                )
            )
        self.parties += parts["parties"]
        self.signatories += parts["signatories"]
        existing = [a.number for a in self.parts[agreement.pk]["articles"]]
        numbers = [rng.choice(existing)] if rng.random() < 0.6 else [f"Article {len(existing) + 1}"]
        self.add_articles(avenant, count=1, numbers=numbers)
        ongoing = agreement.state == AgreementState.IN_FORCE
        state = (
            rng.choices(["signed", "draft", "in_signature", "abandoned"], [70, 15, 10, 5])[0]
            if ongoing
            else "signed"
        )
        if state == "signed" and ongoing and agreement.kind != AgreementKind.CEE:
            self.maybe_change_clauses(agreement, avenant)
        if state == "signed":
            signed_on = first + datetime.timedelta(days=rng.randrange((end - first).days - 29))
            self.sign_avenant(avenant, signed_on)
        else:
            self.unsigned(avenant, state)
            if avenant.created_at.date() < agreement.start_date:
                avenant.created_at = avenant.updated_at = aware(agreement.start_date, rng)
        self.agreements.append(avenant)
        return avenant

    def maybe_change_clauses(self, agreement, avenant) -> None:
        """One avenant in three changes a clause, when the convention stays in force with it
        (its state was decided from its own terms)."""
        from relais.agreements import deadlines
        from relais.agreements.consolidation import terms_of

        rng = self.rng
        if rng.random() >= 0.3:
            return
        change = rng.choice(
            [
                {"notice_months": rng.choice([1, 2, 3])},
                {"duration_months": rng.choice([36, 48, 60])},
            ]
        )
        try:
            terms = terms_of(agreement, self.clauses(agreement) | change)
        except ValueError:
            return
        if deadlines.status_on(terms, on=self.ctx.today) == deadlines.Status.IN_FORCE:
            avenant.clause_changes = change

    def sign_avenant(self, avenant, signed_on: datetime.date) -> None:
        from relais.agreements.enums import AgreementState, Transition

        rng = self.rng
        created = signed_on - datetime.timedelta(days=rng.randrange(20, 29))
        avenant.created_at = aware(created, rng)
        self.send(avenant, created + datetime.timedelta(days=5))
        for signatory in self.parts[avenant.pk]["signatories"]:
            self.record_signature(avenant, signatory, signed_on)
        avenant.signed_on = avenant.start_date = signed_on
        avenant.state = AgreementState.IN_FORCE
        self.log(
            avenant,
            Transition.ENTER_INTO_FORCE,
            AgreementState.IN_SIGNATURE,
            AgreementState.IN_FORCE,
            aware(signed_on, rng),
            f"Prend effet le {signed_on:%d/%m/%Y}.",
            {"start_date": signed_on.isoformat()},
        )
        avenant.updated_at = avenant.created_at

    # -- derived values

    def clauses(self, agreement) -> dict:
        """Consolidated clauses: the convention's, then its avenants in force in order."""
        from relais.agreements.consolidation import CLAUSE_FIELDS
        from relais.agreements.enums import AgreementState

        clauses = {name: getattr(agreement, name) for name in CLAUSE_FIELDS}
        avenants = sorted(
            (
                a
                for a in getattr(agreement, "_bench_avenants", [])
                if a.state
                in (AgreementState.IN_FORCE, AgreementState.EXPIRED, AgreementState.TERMINATED)
            ),
            key=lambda a: (a.start_date or datetime.date.max, a.pk),
        )
        for avenant in avenants:
            clauses.update(avenant.clause_changes or {})
        return clauses

    @staticmethod
    def number(agreement) -> str:
        from relais.agreements.enums import AgreementKind
        from relais.agreements.services import NUMBER_PREFIX

        prefix = NUMBER_PREFIX[AgreementKind(agreement.kind)]
        return f"{prefix}-{agreement.created_at.year}-{agreement.pk:05d}"

    def finish(self) -> None:
        """Numbers, computed dates (the real ``key_dates``), versions' content."""
        from relais.agreements.consolidation import key_dates

        today = self.ctx.today
        for agreement in self.agreements:
            agreement.number = self.number(agreement)
        for agreement in self.agreements:
            if agreement.start_date is not None:
                dates = key_dates(agreement, on=today, clauses=self.clauses(agreement))
                agreement.current_start = dates.period.start if dates.period else None
                agreement.current_end = dates.end_of_term
                agreement.next_notice_deadline = dates.notice_deadline
        by_pk = {a.pk: a for a in self.agreements}
        for version in self.versions:
            version.content = self.snapshot(by_pk[version.agreement.pk])

    def snapshot(self, agreement) -> dict:
        """The content of ``services._snapshot``, from the rows in memory."""
        parts = self.parts[agreement.pk]
        clause_names = (
            "duration_months",
            "tacit_renewal",
            "max_renewals",
            "notice_months",
            "termination_months",
            "dispute_clause",
            "competent_court",
            "confidentiality_clause",
            "open_to_new_signatories",
            "clause_changes",
        )
        return {
            "number": agreement.number,
            "title": agreement.title,
            "kind": agreement.kind,
            "scope": agreement.scope,
            "territory": agreement.territory_label,
            "legal_basis": agreement.legal_basis,
            "preamble": agreement.preamble,
            "articles": [
                {"number": a.number, "heading": a.heading, "body": a.body, "removes": a.removes}
                for a in parts["articles"]
            ],
            "parties": [
                {
                    "name": p.name,
                    "short_name": p.short_name,
                    "side": p.side,
                    "represented_by": p.represented_by,
                    "organisation_id": p.organisation_id,
                }
                for p in parts["parties"]
            ],
            "signatories": [
                {"party": s.party.name, "full_name": s.full_name, "title": s.title}
                for s in parts["signatories"]
            ],
            "commitments": [
                {
                    "party": c.party.name,
                    "category": c.category,
                    "description": c.description,
                    "quantity": c.quantity,
                    "unit": c.unit,
                    "due_date": None,
                }
                for c in parts["commitments"]
            ],
            "clauses": {name: getattr(agreement, name) for name in clause_names}
            | {
                "effective_date": agreement.effective_date.isoformat()
                if agreement.effective_date
                else None
            },
        }

    def search_text(self, agreement) -> str:
        """What ``services.refresh_search`` indexes."""
        from relais.core.text import search_key

        parts = self.parts[agreement.pk]
        texts = [agreement.number, agreement.title, agreement.preamble, agreement.legal_basis]
        texts += [f"{a.number} {a.heading} {a.body}" for a in parts["articles"]]
        texts += [f"{p.name} {p.short_name}" for p in parts["parties"]]
        texts += [f"{s.full_name} {s.title}" for s in parts["signatories"]]
        if agreement.amends is not None:
            texts.append(agreement.amends.title)
        return search_key(*texts)

    def write(self) -> None:
        from django.db import connection

        from relais.agreements.models import (
            Agreement,
            AgreementVersion,
            Article,
            Commitment,
            Party,
            Signatory,
            TransitionLog,
        )

        # Parents and replaced conventions first (they are referenced by pk).
        order = sorted(self.agreements, key=lambda a: (a.amends_id is not None, a.pk))
        bulk(Agreement, order, "conventions et avenants")
        bulk(Party, self.parties, "parties")
        bulk(Signatory, self.signatories, "signataires")
        bulk(Article, self.articles, "articles")
        bulk(Commitment, self.commitments)
        bulk(AgreementVersion, self.versions)
        logs = [
            TransitionLog(
                agreement=a,
                transition=t,
                from_state=f,
                to_state=to,
                at=at,
                by=self.ctx.daet,
                note=note,
                data=data() if callable(data) else data or {},
            )
            for a, t, f, to, at, note, data in self.journal
        ]
        bulk(TransitionLog, logs, "journal des conventions")
        # The full-text index, as services.refresh_search computes it (French configuration).
        with connection.cursor() as cursor:
            for start in range(0, len(self.agreements), 500):
                chunk = self.agreements[start : start + 500]
                cursor.execute(
                    "UPDATE agreements_agreement AS a SET search_vector = "
                    "to_tsvector('french'::regconfig, v.text) "
                    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, text) WHERE a.id = v.id",
                    [[a.pk for a in chunk], [self.search_text(a) for a in chunk]],
                )


def generate_agreements(ctx: Context) -> None:
    from relais.agreements.enums import AgreementKind, AgreementState

    factory = AgreementFactory(ctx)
    rng = ctx.rng
    index = 0
    while index < TARGET["agreements"]:
        agreement = factory.convention(index)
        index += 1
        if (
            agreement.state == AgreementState.IN_FORCE
            and rng.random() < 0.03
            and index < TARGET["agreements"]
        ):
            factory.supersede(agreement)
            index += 1
    avenants = 0
    for agreement in list(factory.agreements):
        if agreement.kind == AgreementKind.AVENANT or agreement.start_date is None:
            continue
        if rng.random() < 0.18:
            agreement._bench_avenants = []
            for count in range(1, rng.choice([1, 1, 1, 1, 2]) + 1):
                avenant = factory.avenant(agreement, count)
                if avenant is not None:
                    agreement._bench_avenants.append(avenant)
                    avenants += 1
    factory.finish()
    factory.write()
    states = defaultdict(int)
    for agreement in factory.agreements:
        states[agreement.state] += 1
    log(
        f"   {index} conventions, {avenants} avenants ; états : "
        + ", ".join(f"{k} {v}" for k, v in sorted(states.items()))
    )


# --- pôles de stages: offers, periods, pupils, cases -----------------------------------------


def school_year_weeks(today: datetime.date) -> list[datetime.date]:
    """Mondays of the current school year, September to mid-June, without the two weeks of
    the Christmas holidays."""
    first_year = today.year if today.month >= 8 else today.year - 1
    day, weeks = monday(datetime.date(first_year, 9, 8)), []
    while day <= datetime.date(first_year + 1, 6, 14):
        if not (day.month == 12 and day.day >= 21) and not (day.month == 1 and day.day < 4):
            weeks.append(day)
        day += datetime.timedelta(weeks=1)
    return weeks


class Internships:
    """Offers with their weekly places, then pupils whose periods fall in those weeks, and
    their cases; a proposal or a placement takes a real free place."""

    LEVEL_KIND = {"3e": ("stage_3e", 1), "2nde": ("stage_2nde", 2), "1re_pro": ("pfmp", 4)}

    def __init__(self, ctx: Context):
        from relais.internships.models import PlacementHub
        from relais.nomenclatures.models import RomeCode
        from relais.organisations.enums import OrganisationKind
        from relais.organisations.models import Organisation

        self.ctx, self.rng = ctx, ctx.rng
        weeks = school_year_weeks(ctx.today)
        # Each bassin's 3e internships crowd into a few weeks (Mesure 2 wants to spread them).
        peak = [w for w in weeks if w.month in (12, 1, 2, 3)]
        self.weeks_3e = {b.pk: sorted(self.rng.sample(peak, 4)) for b in ctx.bassins}
        self.weeks_2nde = [w for w in weeks if w.month == 6][-2:-1]  # the June stage de seconde
        self.weeks_pfmp = {b.pk: sorted(self.rng.sample(weeks, 2)) for b in ctx.bassins}
        self.romes = list(RomeCode.objects.order_by("code"))
        companies = Organisation.objects.filter(
            academie=ctx.academie, kind=OrganisationKind.COMPANY, archived_at__isnull=True
        ).select_related("commune")
        self.hosts_of_bassin = defaultdict(list)
        self.hosts = []
        for org in companies:
            self.hosts.append(org)
            bassin_id = ctx.bassin_of_commune.get(org.commune_id)
            if bassin_id:
                self.hosts_of_bassin[bassin_id].append(org)
        self.cpme = Organisation.objects.get(acronym="CPME Occitanie")
        self.hubs = {h.bassin_id: h for h in PlacementHub.objects.filter(bassin__in=ctx.bassins)}
        # (bassin, week, level) → slots of open offers with free places
        self.free = defaultdict(list)

    def offers(self) -> None:
        from relais.internships.enums import OfferState
        from relais.internships.models import InternshipOffer, OfferSlot, OfferTransition

        ctx, rng = self.ctx, self.rng
        offers, slots, journal = [], [], []
        states = [
            OfferState.PUBLISHED,
            OfferState.FULL,
            OfferState.DRAFT,
            OfferState.CLOSED,
            OfferState.EXPIRED,
        ]
        for index in range(TARGET["offers"]):
            in_demo = index < DEMO_BASSIN_EXTRA["offers"]
            bassin = ctx.demo_bassin if in_demo else rng.choice(ctx.bassins)
            host = rng.choice(self.hosts_of_bassin.get(bassin.pk) or self.hosts)
            level = rng.choices(["3e", "2nde", "1re_pro"], [70, 15, 15])[0]
            kind, weeks = self.LEVEL_KIND[level]
            rome = rng.choice(self.romes)
            state = rng.choices(states, [62, 8, 15, 10, 5])[0]
            created = ctx.today - datetime.timedelta(days=rng.randrange(1, 90))
            created_at = aware(created, rng)
            published_at = (
                None
                if state == OfferState.DRAFT
                else created_at + datetime.timedelta(hours=rng.randrange(1, 72))
            )
            pushed = index % 20 == 0
            offer = InternshipOffer(
                host=host,
                posted_by=self.cpme if index % 10 == 0 else None,
                bassin=bassin,
                title=f"Découverte du métier : {rome.label}"[:200],
                description="Offre fictive générée pour les mesures de charge de Relais.",
                kind=kind,
                duration_weeks=weeks if level != "1re_pro" else 4,
                rome=rome,
                naf=host.naf_id and host.naf,
                levels=[level],
                address=host.address,
                commune=host.commune,
                latitude=host.latitude,
                longitude=host.longitude,
                accessible=rng.random() < 0.6,
                tutor_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                tutor_email=f"tuteur{index}@bench-entreprise.example",
                reserved_places=1 if rng.random() < 0.2 else 0,
                state=state,
                partner=self.cpme if pushed else None,
                remote_id=f"cpme-{index}" if pushed else "",
                published_at=published_at,
                created_at=created_at,
                updated_at=created_at,
            )
            offers.append(offer)
            journal.append(
                OfferTransition(
                    offer=offer,
                    from_state="",
                    to_state=OfferState.DRAFT,
                    at=created_at,
                    note="Offre créée",
                )
            )
            if state != OfferState.DRAFT:
                journal.append(
                    OfferTransition(
                        offer=offer,
                        from_state=OfferState.DRAFT,
                        to_state=OfferState.PUBLISHED,
                        at=published_at,
                    )
                )
                if state != OfferState.PUBLISHED:
                    journal.append(
                        OfferTransition(
                            offer=offer,
                            from_state=OfferState.PUBLISHED,
                            to_state=state,
                            at=published_at + datetime.timedelta(days=rng.randrange(1, 20)),
                        )
                    )
            for week in self.offer_weeks(bassin, level):
                slot = OfferSlot(offer=offer, week=week, capacity=rng.randint(1, 3))
                slots.append(slot)
                if state in (OfferState.PUBLISHED, OfferState.FULL):
                    self.free[(bassin.pk, week, level)].append(slot)
        bulk(InternshipOffer, offers, "offres de stage")
        bulk(OfferSlot, slots, "places par semaine")
        bulk(OfferTransition, journal, "journal des offres")
        self.slots = slots
        log(f"   {len(offers)} offres, {len(slots)} semaines de places")

    def offer_weeks(self, bassin, level) -> list[datetime.date]:
        if level == "3e":
            return self.rng.sample(self.weeks_3e[bassin.pk], self.rng.randint(1, 3))
        if level == "2nde":
            return list(self.weeks_2nde)
        return [self.rng.choice(self.weeks_pfmp[bassin.pk])]

    def pupils(self) -> None:
        from relais.establishments.models import Establishment
        from relais.internships.enums import CaseState, OfferState, ProposalState
        from relais.internships.models import (
            CaseStep,
            InternshipPeriod,
            Placement,
            PlacementCase,
            Proposal,
            Pupil,
        )
        from relais.internships.services import retention_date, school_year_of

        ctx, rng = self.ctx, self.rng
        schools = Establishment.objects.filter(
            academie=ctx.academie, bassin__isnull=False, is_open=True
        ).order_by("uai")
        colleges = [s for s in schools if s.kind == "college"]
        lycees_gt = [s for s in schools if s.kind == "lycee" and s.general_track]
        lycees_pro = [s for s in schools if s.kind == "lycee" and s.vocational_track]
        demo_colleges = [s for s in colleges if s.bassin_id == ctx.demo_bassin.pk]
        other_colleges = [s for s in colleges if s.bassin_id != ctx.demo_bassin.pk]
        demo_share = DEMO_BASSIN_EXTRA["pupils"] - DEMO_SCHOOL_PUPILS
        rest = TARGET["pupils"] - DEMO_BASSIN_EXTRA["pupils"]
        plan = [(ctx.demo_school, "3e")] * DEMO_SCHOOL_PUPILS
        plan += [(rng.choice(demo_colleges), "3e") for _ in range(demo_share)]
        plan += [(rng.choice(other_colleges), "3e") for _ in range(int(rest * 0.8))]
        plan += [(rng.choice(lycees_gt), "2nde") for _ in range(int(rest * 0.1))]
        plan += [(rng.choice(lycees_pro), "1re_pro") for _ in range(TARGET["pupils"] - len(plan))]
        year = school_year_of(ctx.today)
        periods = {}
        for school, level in sorted(set(plan), key=lambda p: (p[0].uai, p[1])):
            kind, weeks = self.LEVEL_KIND[level]
            start = (
                self.weeks_3e[school.bassin_id][school.pk % 4]
                if level == "3e"
                else self.weeks_2nde[0]
                if level == "2nde"
                else self.weeks_pfmp[school.bassin_id][school.pk % 2]
            )
            weeks = 4 if level == "1re_pro" else weeks
            periods[(school.pk, level)] = InternshipPeriod(
                establishment=school,
                school_year=year,
                level=level,
                start=start,
                end=start + datetime.timedelta(weeks=weeks - 1, days=4),
                duration_weeks=weeks,
                pupil_count=school.pupil_count // 4 if school.pupil_count else 120,
            )
        bulk(InternshipPeriod, list(periods.values()))
        retention = retention_date(ctx.today)
        families = sorted({r.code[:3] for r in self.romes})
        now = aware(ctx.today, rng)
        pupils, cases, steps, proposals, placements = [], [], [], [], []
        counts = defaultdict(int)
        steps_of = {
            "searching_alone": [],
            "helped_by_team": ["helped_by_team"],
            "withdrawn": ["helped_by_team", "withdrawn"],
            "referred": ["helped_by_team", "referred"],
            "declined": ["helped_by_team", "referred", "declined"],
            "proposal_sent": ["helped_by_team", "referred", "proposal_sent"],
            "placed": ["helped_by_team", "referred", "proposal_sent", "placed"],
        }
        for index, (school, level) in enumerate(plan):
            period = periods[(school.pk, level)] if rng.random() < 0.92 else None
            created = now - datetime.timedelta(days=rng.randrange(10, 80), hours=rng.randrange(24))
            pupil = Pupil(
                establishment=school,
                period=period,
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                class_label=f"{'3e' if level == '3e' else '2nde' if level == '2nde' else '1re'} "
                f"{'ABCDEF'[index % 6]}",
                level=level,
                home_commune=rng.choice(ctx.communes) if rng.random() < 0.5 else None,
                qpv=rng.random() < 0.1,
                disability=rng.random() < 0.03,
                needs_access=rng.random() < 0.01,
                newly_arrived=rng.random() < 0.03,
                wishes=rng.sample(families, rng.randint(1, 3)),
                max_km=rng.choice([5, 10, 15, 20, 30]),
                retention_until=retention,
                created_at=created,
                updated_at=created,
            )
            pupils.append(pupil)
            target = rng.choices(list(steps_of), [25, 20, 7, 25, 3, 6, 14])[0]
            slot = None
            if target in ("proposal_sent", "placed"):
                slot = self.take_place(school, level, period, placed=target == "placed")
                if slot is None:
                    target = "referred"
            case = PlacementCase(pupil=pupil, opened_at=created)
            by = ctx.teacher if school.pk == ctx.demo_school.pk else None
            steps.append(
                CaseStep(
                    case=case,
                    from_state="",
                    to_state=CaseState.SEARCHING_ALONE,
                    by=by,
                    at=created,
                    note="Dossier ouvert",
                )
            )
            state, at = CaseState.SEARCHING_ALONE, created
            for next_state in steps_of[target]:
                at = min(now, at + datetime.timedelta(days=rng.randrange(1, 6)))
                steps.append(
                    CaseStep(case=case, from_state=state, to_state=next_state, by=by, at=at)
                )
                if next_state == CaseState.REFERRED:
                    case.referred_at = at
                    case.hub = self.hubs[school.bassin_id]
                    if school.bassin_id == ctx.demo_bassin.pk and rng.random() < 0.5:
                        case.owner = ctx.hub_member
                state = next_state
            case.state = state
            if state in (CaseState.PLACED, CaseState.DECLINED, CaseState.WITHDRAWN):
                case.closed_at = at
            if state == CaseState.PLACED:
                case.placed_at = at
            case.updated_at = at
            if slot is not None:
                proposal = Proposal(
                    case=case,
                    slot=slot,
                    nonce=f"{rng.getrandbits(128):032x}",
                    sent_by=ctx.hub_member,
                    sent_at=at - datetime.timedelta(hours=2),
                    expires_at=at
                    + datetime.timedelta(days=self.hubs[school.bassin_id].answer_days),
                    state=ProposalState.CONFIRMED
                    if state == CaseState.PLACED
                    else ProposalState.SENT,
                )
                if state == CaseState.PLACED:
                    proposal.answered_at = proposal.confirmed_at = at
                    proposal.answered_by_name = slot.offer.tutor_name
                    proposal.confirmed_by = ctx.teacher
                    offer = slot.offer
                    placements.append(
                        Placement(
                            case=case,
                            proposal=proposal,
                            offer=offer,
                            start=slot.week,
                            end=slot.week
                            + datetime.timedelta(weeks=offer.duration_weeks - 1, days=4),
                            created_at=at,
                        )
                    )
                proposals.append(proposal)
            cases.append(case)
            counts[state] += 1
        bulk(Pupil, pupils, "élèves")
        bulk(PlacementCase, cases, "dossiers")
        bulk(CaseStep, steps, "étapes des dossiers")
        bulk(Proposal, proposals)
        bulk(Placement, placements)
        from relais.internships.models import OfferSlot

        OfferSlot.objects.bulk_update(
            [s for s in self.slots if s.held or s.taken], ["held", "taken"], batch_size=BATCH
        )
        _ = OfferState
        log(
            f"   {len(pupils)} élèves, {len(periods)} périodes ; dossiers : "
            + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        )

    def take_place(self, school, level, period, *, placed: bool):
        """A free place of an open offer of the school's bassin in the pupil's first week."""
        if period is None:
            return None
        for slot in self.free.get((school.bassin_id, period.start, level), []):
            if slot.capacity - slot.held - slot.taken > 0:
                if placed:
                    slot.taken += 1
                else:
                    slot.held += 1
                return slot
        return None


# --- clubs: members and mandates -------------------------------------------------------------


def generate_club_members(ctx: Context) -> None:
    from relais.core.school_years import school_year_of
    from relais.establishments.models import Establishment
    from relais.networks.enums import ByRight, MandateRole
    from relais.networks.models import ClubMember, Mandate
    from relais.organisations.models import Organisation

    rng = ctx.rng
    schools = defaultdict(list)
    for school in Establishment.objects.filter(bassin__in=[c.bassin for c in ctx.new_clubs]):
        schools[school.bassin_id].append(school)
    orgs = list(Organisation.objects.filter(academie=ctx.academie, kind="entreprise")[:5000])
    year = school_year_of(ctx.today)
    members, mandates = [], []
    for club in ctx.new_clubs:
        local = schools.get(club.bassin_id, [])
        cio = next((s for s in local if s.kind == "orientation"), None)
        if cio is not None:
            members.append(
                ClubMember(
                    club=club,
                    establishment=cio,
                    by_right=ByRight.CIO_DIRECTOR,
                    function="Direction du CIO",
                )
            )
        for school in rng.sample(
            [s for s in local if s is not cio], min(8, len(local) - bool(cio))
        ):
            members.append(
                ClubMember(club=club, establishment=school, function="Chef d'établissement")
            )
        for org in rng.sample(orgs, 4):
            members.append(ClubMember(club=club, organisation=org, function="Gérant"))
        start = datetime.date(year, 9, 1)
        for role in (MandateRole.REFERENT, MandateRole.PILOTE):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            mandates.append(
                Mandate(
                    club=club,
                    role=role,
                    school_year=year,
                    full_name=name,
                    email=f"{club.bassin.code.lower()}.{role}@bench.example",
                    organisation=rng.choice(orgs) if role == MandateRole.PILOTE else None,
                    establishment=rng.choice(local)
                    if role == MandateRole.REFERENT and local
                    else None,
                    appointed_on=datetime.date(year, 6, 30),
                    appointed_by="Le recteur d'académie",
                    starts_on=start,
                    ends_on=datetime.date(year + 1, 8, 31),
                    is_demo=True,
                )
            )
    bulk(ClubMember, members)
    bulk(Mandate, mandates)
    log(f"   {len(members)} membres de club, {len(mandates)} mandats")


# --- main ------------------------------------------------------------------------------------


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
    from relais.internships.models import InternshipOffer, PlacementCase, Pupil
    from relais.networks.models import Club
    from relais.organisations.models import Organisation

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
    args = parser.parse_args()
    if os.environ.get("DATABASE_URL"):
        raise SystemExit("Ce générateur écrit dans le PostgreSQL embarqué : retirez DATABASE_URL.")
    name = os.environ["RELAIS_DB_NAME"]
    if name == "relais":
        raise SystemExit("Refus : RELAIS_DB_NAME=relais est la base de développement.")
    setup_django()
    import io

    import pghistory
    from django.core.management import call_command
    from django.db import connection, transaction

    from relais.agreements.models import Agreement, AgreementVersion, TransitionLog
    from relais.internships.models import InternshipOffer, Placement, Pupil
    from relais.organisations.models import Organisation
    from relais.territories.models import Bassin

    started = time.perf_counter()
    log(f"Base {name} sur le cluster {os.environ['RELAIS_PGDATA']}")
    if not args.no_prepare:
        with step("migrate et load_demo (données de référence réelles, comptes de démonstration)"):
            call_command("migrate", verbosity=0)
            call_command("load_demo", stdout=io.StringIO())
    if Bassin.objects.filter(code__startswith=GENERATED_BASSIN_PREFIX).exists():
        raise SystemExit(
            f"La base {name} contient déjà les données générées : rien n'est fait. "
            "Pour repartir de zéro : DROP DATABASE, puis relancer."
        )
    if not args.no_small_copy:
        with step(f"copie de la base de démonstration en {name}_small"):
            copy_database(name, f"{name}_small")
    prepared = time.perf_counter()
    rng = random.Random(SEED)
    models = (
        Organisation,
        Agreement,
        AgreementVersion,
        TransitionLog,
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
