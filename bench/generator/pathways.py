"""Data of the parcours Avenir for ``bench/bench_pathways.py``: an académie's rosters and
credited experiences, and a nation's counts.

- **Académie** (Montpellier, code 11): 150,000 pupils in 450 real collèges and lycées of the
  annuaire (the demo collège first, with 1,000 pupils), whole classes of the current roster
  year (6e to 3e; 2nde to terminale, CAP and bac pro by the lycée's tracks), QPV / newly
  arrived / disability flags; then 600,000 credits: experiences of the current year (some
  ahead: planned) and of the previous one (the pupils' previous level), each class's
  outings, testimonies, forums, projects credited to the class but the absent, and stages
  (stage de 3e and de seconde per pupil, one to three pupils per host; PFMP per class).
  Pupils of REP/REP+ schools and flagged pupils are absent and without a stage more often.
- **Nation**: every real collège of France (``data/opendata/colleges_france_geoloc.csv``)
  missing from the annuaire becomes an établissement (REP/REP+ drawn: the file does not say
  it), and each gets ``SchoolStat`` rows (4 levels × priority or not) for the current year
  and three past ones, sized so that the collèges of France count 3.4 million pupils. The
  académie's past years get such rows too (its current year's come from the real
  ``stats_refresh_all``, run by the bench).

Everything goes in with PostgreSQL's COPY (ids reserved from the sequences), in the caller's
transaction, with a fixed seed.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .common import FIRST_NAMES, LAST_NAMES, log

SIZES = {
    "schools": 450,
    "pupils": 150_000,
    "credits": 600_000,
    "demo_school_pupils": 1_000,
    "national_college_pupils": 3_400_000,
    "past_years": 3,
}
COLLEGE = ["6e", "5e", "4e", "3e"]
GT = ["2nde", "1re", "tle"]
PRO = ["2nde_pro", "1re_pro", "tle_pro", "cap", "cap2"]
FIRST_LEVELS = {"6e", "2nde", "2nde_pro", "cap"}
PREVIOUS = {"5e": "6e", "4e": "5e", "3e": "4e", "1re": "2nde", "tle": "1re",
            "1re_pro": "2nde_pro", "tle_pro": "1re_pro", "cap2": "cap"}  # fmt: skip
LABEL = {"2nde": "2nde", "1re": "1re", "tle": "Tle", "2nde_pro": "2nde PRO",
         "1re_pro": "1re PRO", "tle_pro": "Tle PRO", "cap": "1CAP", "cap2": "2CAP"}  # fmt: skip
V, M, S, P = "visit", "meeting", "internship", "project"
# (kind, label, items, levels, share of classes, days from today for the current year /
# (month, day) for the previous one). Stages are per pupil (``per_pupil``).
EVENTS = [
    ("visite", "Visite d'entreprise", [V], {"6e", "3e", "2nde", "cap"}, 0.6, -40, (11, 18)),
    ("temoignage", "Témoignage en classe", [M], {"6e", "5e", "1re", "1re_pro"}, 0.5, 35, (3, 12)),
    ("forum", "Forum des métiers", [M], {"3e", "2nde", "tle", "tle_pro"}, 0.9, -50, (1, 20)),
    ("semaine_industrie", "Semaine de l'industrie", [V, M], {"4e", "2nde_pro"}, 0.7, 110,
     (3, 24)),
    ("intervention_cee", "Intervention d'un conseiller entreprises pour l'école", [M],
     {"3e", "4e", "1re"}, 0.4, -12, (11, 27)),
    ("projet_classe", "Projet de classe avec un partenaire", [P], {"5e", "4e", "1re"}, 0.5,
     130, (5, 20)),
    ("mini_entreprise", "Mini-entreprise", [P], {"3e", "2nde", "1re_pro"}, 0.35, 150, (5, 28)),
    ("portes_ouvertes", "Journée portes ouvertes", [V], {"3e", "tle"}, 0.5, 60, (2, 7)),
    ("pfmp", "Période de formation en milieu professionnel", [S],
     {"2nde_pro", "1re_pro", "tle_pro", "cap", "cap2"}, 1.0, -20, (1, 12)),
]  # fmt: skip
STAGES = {"3e": ("stage_3e", "Stage d'observation de 3e", (-25, 21), (12, 8)),
          "2nde": ("stage_2nde", "Stage de seconde", (190, 190), (6, 16))}  # fmt: skip
PRESENT = {True: 0.86, False: 0.94}
STAGE_FOUND = {True: 0.82, False: 0.95}


@dataclass
class School:
    pk: int
    uai: str
    kind: str
    priority: bool
    academie_id: int
    bassin_id: int | None
    levels: list[str]
    size: int = 0
    classes: dict[str, tuple[str, list[tuple[int, bool]]]] = field(default_factory=dict)


def copy_rows(model, columns: list[str], rows) -> int:
    """COPY ``rows`` (tuples in the order of ``columns``) into ``model``'s table."""
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def reserve_ids(model, count: int) -> int:
    """The first of ``count`` ids reserved in ``model``'s sequence."""
    from django.db import connection

    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        first = cursor.fetchone()[0] + 1
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count]
        )
    return first


class PathwaysGenerator:
    def __init__(self, rng: random.Random, year: int, today: datetime.date, demo_school_id):
        from relais.territories.models import Academie

        self.rng, self.year, self.today = rng, year, today
        self.academie = Academie.objects.get(code="11")
        self.demo_school_id = demo_school_id
        self.schools: list[School] = []
        self.now = datetime.datetime.now(datetime.UTC)

    # --- schools and pupils --------------------------------------------------------------

    def pick_schools(self) -> None:
        from relais.establishments.models import Establishment

        rows = list(
            Establishment.objects.filter(
                academie=self.academie, kind__in=["college", "lycee"], is_open=True
            ).order_by("kind", "uai")
        )
        rows.sort(key=lambda e: (e.pk != self.demo_school_id, e.kind != "college", e.uai))
        for e in rows[: SIZES["schools"]]:
            if e.kind == "college":
                levels = COLLEGE
            else:
                levels = (GT if e.general_track or e.technological_track else []) + (
                    PRO if e.vocational_track else []
                )
                levels = levels or GT
            self.schools.append(
                School(
                    e.pk,
                    e.uai,
                    e.kind,
                    bool(e.priority_education),
                    e.academie_id,
                    e.bassin_id,
                    levels,
                )  # fmt: skip
            )
        weights = [self.rng.lognormvariate(0, 0.45) * (1.3 if s.kind == "lycee" else 1)
                   for s in self.schools]  # fmt: skip
        demo = self.schools[0] if self.schools[0].pk == self.demo_school_id else None
        rest = SIZES["pupils"] - (SIZES["demo_school_pupils"] if demo else 0)
        total = sum(w for s, w in zip(self.schools, weights, strict=True) if s is not demo)
        for school, weight in zip(self.schools, weights, strict=True):
            school.size = (
                SIZES["demo_school_pupils"] if school is demo else round(rest * weight / total)
            )
        self.schools[-1].size += SIZES["pupils"] - sum(s.size for s in self.schools)
        kinds = defaultdict(int)
        for s in self.schools:
            kinds[s.kind] += 1
        log(f"   {len(self.schools)} établissements ({dict(kinds)})")

    def pupils(self) -> int:
        """Whole classes of the current roster year; the demo collège keeps its demo pupils
        and gets new classes up to its size."""
        from relais.pupils.models import Pupil

        existing = defaultdict(lambda: defaultdict(int))
        for school_id, label in Pupil.objects.filter(school_year=self.year).values_list(
            "establishment_id", "class_label"
        ):
            existing[school_id][label] += 1
        first_id = reserve_ids(Pupil, SIZES["pupils"] + 10_000)
        rows, pk = [], first_id
        retention = datetime.date(self.year + 1, 8, 31)
        rng = self.rng
        for school in self.schools:
            own = existing.get(school.pk, {})
            remaining = school.size - sum(own.values())
            target = 26 if school.kind == "college" else 30
            for position, level in enumerate(school.levels):
                per_level = remaining // len(school.levels) + (
                    position < remaining % len(school.levels)
                )
                count = max(1, round(per_level / target))
                taken = [lab for lab in own if lab.startswith(LABEL.get(level, level) + " ")]
                letters = [c for c in "ABCDEFGHIJKLMNOP" if
                           f"{LABEL.get(level, level)} {c}" not in taken][:count]  # fmt: skip
                for index, letter in enumerate(letters):
                    label = f"{LABEL.get(level, level)} {letter}"
                    n = per_level // count + (index < per_level % count)
                    members = []
                    for _ in range(n):
                        qpv = rng.random() < (0.35 if school.priority else 0.06)
                        arrived = rng.random() < 0.02
                        disability = rng.random() < 0.03
                        flagged = school.priority or qpv or arrived or disability
                        rows.append((
                            pk, school.pk, self.year, f"B{pk:08d}", rng.choice(FIRST_NAMES),
                            rng.choice(LAST_NAMES), label, level, qpv, disability, arrived,
                            retention, self.now, self.now,
                        ))  # fmt: skip
                        members.append((pk, flagged))
                        pk += 1
                    school.classes[label] = (level, members)
        columns = ["id", "establishment_id", "school_year", "school_ref", "first_name",
                   "last_name", "class_label", "level", "qpv", "disability", "newly_arrived",
                   "retention_until", "created_at", "updated_at"]  # fmt: skip
        self._add_demo_classes(existing)
        return copy_rows(Pupil, columns, rows)

    def _add_demo_classes(self, existing) -> None:
        """The demo's own pupils of the demo collège get experiences too."""
        from relais.pupils.models import Pupil

        school = next((s for s in self.schools if s.pk == self.demo_school_id), None)
        if school is None:
            return
        for pupil in Pupil.objects.filter(establishment_id=school.pk, school_year=self.year):
            level, members = school.classes.setdefault(pupil.class_label, (pupil.level, []))
            members.append((pupil.pk, True))

    # --- experiences and credits ---------------------------------------------------------

    def _day(self, when, current: bool) -> datetime.date:
        if current:
            first = datetime.date(self.year, 9, 3)
            last = datetime.date(self.year + 1, 6, 26)
            return min(max(self.today + datetime.timedelta(days=when), first), last)
        month, day = when
        return datetime.date(self.year - 1 + (month < 8), month, day)

    def _candidates(self):
        """(school, class label, members, kind, label, items, date, year, share, per pupil)
        for each class and each experience its level (this year) or its previous level
        (last year) may have had."""
        for school in self.schools:
            for label, (level, members) in school.classes.items():
                for current, lvl in ((True, level), (False, PREVIOUS.get(level))):
                    if lvl is None:
                        continue
                    year = self.year if current else self.year - 1
                    for kind, title, items, levels, share, now_day, past_day in EVENTS:
                        if lvl in levels:
                            day = self._day(now_day if current else past_day, current)
                            yield (school, label, members, kind, title, items, day, year,
                                   share, False)  # fmt: skip
                    if lvl in STAGES:
                        kind, title, weeks, past_day = STAGES[lvl]
                        day = self._day(weeks[0] if current else past_day, current)
                        yield school, label, members, kind, title, [S], day, year, 1.0, True

    def experiences(self) -> tuple[int, int]:
        from relais.pathways.models import Credit, Experience

        candidates = list(self._candidates())
        # The share of classes reached, scaled so that the credits come to SIZES["credits"]:
        # every pupil of a class has a stage to find; for the rest, min(1, share × factor).
        fixed = sum(len(c[2]) * 0.92 for c in candidates if c[9])
        lo, hi = 0.0, 20.0
        for _ in range(40):
            factor = (lo + hi) / 2
            expected = fixed + sum(
                min(1.0, c[8] * factor) * len(c[2]) * 0.91 for c in candidates if not c[9]
            )
            lo, hi = (factor, hi) if expected < SIZES["credits"] else (lo, factor)
        rng = self.rng
        experiences, credits = [], []
        next_id = reserve_ids(Experience, len(candidates) * 12)
        for school, label, members, kind, title, items, day, year, share, per_pupil in candidates:
            if not per_pupil and rng.random() > min(1.0, share * factor):
                continue
            if per_pupil:
                found = [pk for pk, flagged in members if rng.random() < STAGE_FOUND[flagged]]
                groups = []
                while found:
                    size = rng.choice((1, 1, 2, 3))
                    groups.append(found[:size])
                    found = found[size:]
            else:
                groups = [[pk for pk, flagged in members if rng.random() < PRESENT[flagged]]]
            for group in groups:
                if not group:
                    continue
                partner = f"{rng.choice(LAST_NAMES)} et fils" if per_pupil else "Partenaire"
                source = "etablissement" if per_pupil else "classe"
                experiences.append((
                    next_id, school.pk, kind, title, items, title, day, year, partner, "",
                    source, "", label, self.now, self.now,
                ))  # fmt: skip
                credits.extend((next_id, pk, self.now) for pk in group)
                next_id += 1
        copy_rows(
            Experience,
            [
                "id",
                "establishment_id",
                "kind",
                "kind_label",
                "items",
                "title",
                "date",
                "school_year",
                "partner_label",
                "place",
                "source",
                "source_ref",
                "classes",
                "created_at",
                "updated_at",
            ],  # fmt: skip
            experiences,
        )
        copy_rows(Credit, ["experience_id", "pupil_id", "created_at"], credits)
        return len(experiences), len(credits)

    # --- the nation --------------------------------------------------------------------------

    def national_colleges(self, path: Path) -> int:
        """Every real collège of France not in the annuaire, as an établissement."""
        from relais.core.text import search_key
        from relais.establishments.models import Establishment
        from relais.territories.models import Academie, Commune, Departement

        academies = {a.code: a.pk for a in Academie.objects.all()}
        departements = {d.code: d.pk for d in Departement.objects.all()}
        communes = dict(Commune.objects.values_list("insee_code", "pk"))
        known = set(Establishment.objects.values_list("uai", flat=True))
        rng = self.rng
        objects = []
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle, delimiter=";"):
                uai = row["numero_uai"]
                academie = academies.get(row["code_academie"])
                if uai in known or academie is None or row["etat_etablissement"] != "1":
                    continue
                known.add(uai)
                dept = row["code_departement"]
                dept = dept[1:] if len(dept) == 3 and dept.startswith("0") else dept
                public = row["secteur_public_prive_libe"] == "Public"
                draw = rng.random()
                rep = ("REP+" if draw < 0.06 else "REP" if draw < 0.2 else "") if public else ""
                name = row["appellation_officielle"] or row["denomination_principale"]
                objects.append(
                    Establishment(
                        uai=uai,
                        name=name[:255],
                        kind="college",
                        nature_code="340",
                        sector="public" if public else "prive",
                        priority_education=rep,
                        postal_code=row["code_postal_uai"][:5],
                        commune_id=communes.get(row["code_commune"]),
                        departement_id=departements.get(dept),
                        academie_id=academie,
                        latitude=float(row["latitude"]) if row["latitude"] else None,
                        longitude=float(row["longitude"]) if row["longitude"] else None,
                        search_text=search_key(name, uai, row["libelle_commune"]),
                    )  # fmt: skip
                )
        Establishment.objects.bulk_create(objects, batch_size=2000)
        return len(objects)

    def national_stats(self) -> int:
        """SchoolStat rows of every collège outside the académie's pupils, for the current
        year and the past ones (and the académie's past years), the current year's
        collèges of France adding up to 3.4 million pupils."""
        from relais.establishments.models import Establishment
        from relais.pathways.models import SchoolStat

        generated = {s.pk: s.size for s in self.schools}
        taken = set(SchoolStat.objects.values_list("establishment_id", "school_year"))
        colleges = list(
            Establishment.objects.filter(kind="college", is_open=True).values_list(
                "pk", "priority_education", "academie_id", "bassin_id"
            )
        )
        academie_pupils = sum(s.size for s in self.schools if s.kind == "college")
        others = [c for c in colleges if c[0] not in generated]
        mean = (SIZES["national_college_pupils"] - academie_pupils) / max(1, len(others))
        rng = self.rng
        rows = []
        for pk, rep, academie_id, bassin_id in colleges:
            size = generated.get(pk) or mean * rng.lognormvariate(0, 0.35) / 1.06
            for back in range(SIZES["past_years"] + 1):
                year = self.year - back
                if (pk, year) in taken or (pk in generated and back == 0):
                    continue  # counted already (the académie's current year: the service)
                for index, level in enumerate(COLLEGE):
                    n = round(size / 4 * (1 + 0.02 * back))
                    share = 1.0 if rep else 0.16
                    for priority, count in (
                        (True, round(n * share)),
                        (False, n - round(n * share)),
                    ):
                        if count == 0:
                            continue
                        rows.append(self._stat_row(pk, year, level, index, priority, count, back,
                                                   academie_id, bassin_id))  # fmt: skip
        return copy_rows(
            SchoolStat,
            [
                "establishment_id",
                "school_year",
                "level",
                "priority",
                "pupils",
                "visit",
                "meeting",
                "internship",
                "project",
                "complete",
                "academie_id_copy",
                "bassin_id_copy",
                "refreshed_at",
            ],  # fmt: skip
            rows,
        )

    def _stat_row(self, pk, year, level, index, priority, count, back, academie_id, bassin_id):
        """Rates that grow with the level and over the years, priority pupils behind."""
        rng = self.rng
        lag = 0.15 if priority else 0.0
        progress = (index + 1) / 4 - 0.05 * back
        rate = {
            V: max(0.0, min(1.0, 0.35 + 0.5 * progress - lag + rng.uniform(-0.05, 0.05))),
            M: max(0.0, min(1.0, 0.40 + 0.5 * progress - lag + rng.uniform(-0.05, 0.05))),
            S: max(0.0, (0.92 - lag - 0.02 * back) if level == "3e" else 0.02),
            P: max(0.0, min(1.0, 0.25 + 0.4 * progress - lag + rng.uniform(-0.05, 0.05))),
        }
        done = {item: round(count * r) for item, r in rate.items()}
        complete = round(count * rate[V] * rate[M] * rate[S] * rate[P] * 1.6)
        complete = min(complete, *done.values())
        return (pk, year, level, priority, count, done[V], done[M], done[S], done[P], complete,
                academie_id, bassin_id, self.now)  # fmt: skip


__all__ = ["SIZES", "PathwaysGenerator", "copy_rows", "reserve_ids"]
