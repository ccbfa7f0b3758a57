"""Demo of the parcours Avenir, loaded by ``load_demo`` after the pôles de stages.

The demo collège (the demo teacher's) and up to four other public collèges of its bassin
(REP or REP+ ones and others) get whole rosters, 6e to 3e, for the previous and the current
roster year, and the experiences of their classes over both years:

- the rosters are CSV files as a school's information system exports them (« Nom de
  famille ; Prénom 1 ; Division ; Libellé MEF ; Numéro élève… », Windows-1252), imported by
  each school's head through ``relais.pupils.services.roster_import_csv``: the previous
  year's, then the current one, which moves pupils up. Pupils already on the demo
  collège's roster (the pôle de stages' demo pupils) are in the file under their names, so
  the import finds them instead of duplicating them;
- the experiences go through the real services (``class_credit``, ``experience_record``):
  visits, testimonies and forums with the real professional organisations of the demo,
  interventions of a conseiller entreprises pour l'école and of the réserve citoyenne,
  class projects and mini-entreprises, stages de 3e in the demo companies; the current
  year's are dated around today, some ahead (planned). Attendance is drawn per pupil:
  pupils of REP/REP+ collèges and pupils flagged by their school (QPV, newly arrived,
  disability) take part less often and find a stage less often (Mesure 1), so the gap
  shows on the indicators;
- the previous year's counts (``SchoolStat``) are taken by ``stats_snapshot`` once its
  roster is credited and before the current roster moves pupils up: they are the trend.

The other collèges' heads get a demo account (``principal.<uai>@demo.relais.example``,
the demo password). Names are invented, drawn from first and last names common in France,
of diverse origins. Idempotent: a school whose current roster is imported does not
re-import the previous one; every experience carries a ``source_ref`` (« demo:… ») and is
recorded once; a second run changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from relais.core.clock import today
from relais.core.db import analyze
from relais.core.demo import DEMO_EMAIL_DOMAIN
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.pupils.models import Pupil
from relais.pupils.services import roster_import_csv
from relais.pupils.years import roster_year_of
from relais.users.enums import Role
from relais.users.models import Membership, User

from .enums import Source
from .models import Credit, Experience
from .services import ExperienceData, class_credit, experience_record
from .services.stats import stats_snapshot

SEED = 2015  # the parcours Avenir: arrêté du 1er juillet 2015
OTHER_SCHOOLS = 4
LEVELS = ("6e", "5e", "4e", "3e")
MEF = {"6e": "6EME", "5e": "5EME", "4e": "4EME", "3e": "3EME"}
HEADER = ["Nom de famille", "Prénom 1", "Date de naissance", "Division", "Libellé MEF",
          "Numéro élève", "QPV", "Handicap", "Allophone"]  # fmt: skip
REF_PREFIX = "demo:"

# Names by origin (Windows-1252 only, as the exports are): (last names, first names).
ORIGINS = {
    "fr": (
        "Martin Bernard Dubois Roux Fabre Chabert Bonnet Granier Arnaud Michel Laurent "
        "Mercier Faure Vidal Rouvière Teissier Boissier Pagès Causse Cabanel Salles Durand "
        "Lefebvre Girard Fournier Morel Blanc Guérin Rousseau Chevalier Brun Perrin Aubert "
        "Julien Maurin Sabatier Vincent Lacroix Barre Combes Bousquet Delmas Gros Rey",
        "Léa Lucas Chloé Hugo Emma Nathan Louise Jules Manon Théo Camille Thomas Jade Louis "
        "Lou Arthur Zoé Mathis Clara Enzo Maëlys Timéo Ambre Noé Romane Gabin Lola Raphaël "
        "Océane Maxime Juliette Baptiste Anaïs Clément Margaux Axel Lilou Tom Eva Paul",
    ),
    "maghreb": (
        "Benali Haddad Bouzid Mansouri Belkacem Amrani Cherif El_Idrissi Benhamou Kaci Ouali "
        "Saïdi Boukhari Zerrouki Hamdi Benaïssa Meziane Rahmani Aït_Ahmed Brahimi Chaouch",
        "Yanis Inès Mohamed Yasmine Rayan Nour Adam Lina Sofiane Amine Kenza Ilyes Sara "
        "Hamza Aya Nassim Imane Bilal Salma Walid Meryem Karim Nadia Anis Selma Mehdi Leïla",
    ),
    "africa": (
        "Diallo Traoré Koné Camara Diop Ndiaye Sow Mendy Kouassi Sylla Cissé Touré Bamba "
        "Keïta Fofana Mbemba Nkounkou Abdallah Said Mohamed Soilihi",
        "Moussa Fatoumata Aminata Ibrahima Awa Oumar Mariam Souleymane Djibril Bintou Koffi "
        "Grâce Divine Merveille Aïcha Mamadou Hawa Seydou Kadidia Issa Ramata",
    ),
    "iberia": (
        "Garcia Martinez Fernandez Lopez Sanchez Rodriguez Moreno Gimenez Reyes Santiago "
        "Da_Silva Pereira Ferreira Rodrigues Oliveira Gonçalves Costa Ruiz Hernandez",
        "Maria Ana João Tiago Diego Lucía Carmen Rafael Manolo Esperanza Inês Rodrigo Pablo "
        "Sofia Mateo Alba Hugo Paulo Beatriz Kevin",
    ),
    "world": (
        "Nguyen Tran Pham Lê Rossi Ferrari Russo Yilmaz Kaya Demir Petrosyan Hakobyan "
        "Kowalski Nowak Rakoto Bianchi Sahin Öztürk Lin Chen",
        "Minh Linh Bao Thanh Giulia Matteo Luca Elif Emir Yusuf Zeynep Arman Anahit Kacper "
        "Zofia Tahina Chiara Mei Kevin Leo",
    ),
    "arrived": (
        "Shevchenko Kovalenko Bondarenko Hosseini Ahmadi Rahimi Al_Hassan Haddad Karimi "
        "Popescu Ionescu Marin",
        "Oleksandr Sofiia Daryna Maksym Ahmad Zahra Omar Hiba Rami Fatima Andrei Ioana",
    ),
}
# Weights of the origins by the school's priority education (REP+, REP, none).
MIX = {
    "REP+": {"fr": 25, "maghreb": 35, "africa": 18, "iberia": 14, "world": 8},
    "REP": {"fr": 40, "maghreb": 28, "africa": 12, "iberia": 12, "world": 8},
    "": {"fr": 68, "maghreb": 12, "africa": 6, "iberia": 9, "world": 5},
}
# Per school profile: pupils per class, share of QPV residents, newly arrived per level.
CLASS_SIZE = {"REP+": 23, "REP": 25, "": 26}
QPV_SHARE = {"REP+": 0.45, "REP": 0.3, "": 0.06}
# Attendance and stage found, for priority pupils and the others (Mesure 1: 33 % against
# 22 % report difficulties finding a stage).
PRESENT = {True: 0.9, False: 0.94}
STAGE_FOUND = {True: 0.87, False: 0.95}
# Of those, the share who did the stage in the current year's first week (the others have
# it planned in the second): pupils who struggle find later, often through the pôle.
FIRST_WEEK = {True: 0.4, False: 0.7}
# Priority collèges get fewer of the partners' actions: the share of their classes reached.
PRIORITY_SCHOOL_SHARE = 0.9


def prefix(school: Establishment) -> str:
    """The start of the numbers the demo gives a school's pupils (« 0025… » for 0300025P):
    then the cohort's two digits (« 99 » for pupils it did not generate) and a serial."""
    return school.uai[3:7]


# The Monday of a stage week, moved off the school's holidays (issue 15, item 11): the zones'
# calendar is the pôles de stages' (``relais.internships.holidays``, a layer above), so the
# demo's loader passes it in.
SchoolWeek = Callable[[Establishment, datetime.date], datetime.date]


def _weekday(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


# --- rosters -------------------------------------------------------------------------------


@dataclass
class DemoPupil:
    ref: str
    last_name: str
    first_name: str
    born: datetime.date
    cohort: int  # the rentrée of the pupil's 6e
    arrival: int  # first roster year in this school
    leaves: int  # first roster year without the pupil (9999: stays to 3e)
    qpv: bool = False
    disability: bool = False
    newly_arrived: bool = False
    class_label: str = ""

    def level(self, year: int) -> str:
        return LEVELS[year - self.cohort]


def _names(rng: random.Random, origin: str) -> tuple[str, str]:
    last, first = ORIGINS[origin]
    firsts = first.split()
    if origin != "arrived" and rng.random() < 0.2:
        firsts = ORIGINS["fr"][1].split()
    return rng.choice(last.split()).replace("_", " "), rng.choice(firsts)


def _cohort(school: Establishment, cohort: int, classes: int) -> list[DemoPupil]:
    """The pupils who enter 6e at the rentrée ``cohort``, and those who join that cohort
    later: a function of the school and the year only, so that every roster year of the
    demo is the same whenever it is loaded."""
    profile = school.priority_education
    rng = random.Random(f"{SEED}:{school.uai}:{cohort}")
    size = classes * CLASS_SIZE[profile] + rng.randint(-3, 2)
    mix = MIX[profile]
    pupils: list[DemoPupil] = []
    seen: set[tuple[str, str]] = set()
    for serial in range(size + 2):
        arrival = cohort if serial < size else cohort + 1 + serial % 2  # a few join later
        origin = "arrived" if serial >= size and serial % 2 else rng.choices(
            list(mix), weights=list(mix.values())
        )[0]  # fmt: skip
        last, first = _names(rng, origin)
        while (last, first) in seen:
            last, first = _names(rng, origin)
        seen.add((last, first))
        born = datetime.date(cohort - 11, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        leaves = cohort + 1 + rng.randrange(3) if rng.random() < 0.04 else 9999
        pupils.append(
            DemoPupil(
                ref=f"{prefix(school)}{cohort % 100:02d}{serial:03d}",
                last_name=last,
                first_name=first,
                born=born,
                cohort=cohort,
                arrival=arrival,
                leaves=max(leaves, arrival + 1),
                qpv=rng.random() < QPV_SHARE[profile],
                disability=rng.random() < 0.03,
                newly_arrived=origin == "arrived",
            )  # fmt: skip
        )
    return pupils


@dataclass
class Roster:
    school: Establishment
    year: int
    pupils: list[DemoPupil] = field(default_factory=list)

    def write(self, folder: Path) -> Path:
        """The file as the school's information system exports it."""
        path = folder / f"{self.school.uai}_liste_eleves_{self.year}-{self.year + 1}.csv"
        with path.open("w", encoding="cp1252", newline="") as out:
            writer = csv.writer(out, delimiter=";")
            writer.writerow(HEADER)
            for p in sorted(self.pupils, key=lambda p: (p.class_label, p.last_name, p.ref)):
                writer.writerow([
                    p.last_name, p.first_name, f"{p.born:%d/%m/%Y}", p.class_label,
                    MEF[p.level(self.year)], p.ref, "O" if p.qpv else "N",
                    "O" if p.disability else "N", "O" if p.newly_arrived else "N",
                ])  # fmt: skip
        return path


def classes_per_level(school: Establishment, is_demo_school: bool) -> int:
    if is_demo_school:
        return 3
    return 2 + int(school.uai[-2]) % 3  # 2 to 4 classes a level


def roster(school: Establishment, year: int, classes: int) -> Roster:
    """The roster of ``year``: the four cohorts present, each pupil in a class drawn for
    the year; pupils already on the school's roster of that year and absent from the
    generated lists (the pôle de stages' demo pupils) keep their class and flags."""
    result = Roster(school, year)
    extras = _already_there(school, year)
    for index, level in enumerate(LEVELS):
        cohort = year - index
        pupils = [p for p in _cohort(school, cohort, classes) if p.arrival <= year < p.leaves]
        own = [p for p in extras if p.cohort == cohort]
        count = max(
            classes, round((len(pupils) + len(own)) / CLASS_SIZE[school.priority_education])
        )
        labels = sorted({f"{level} {'ABCDEF'[i]}" for i in range(min(count, 6))}
                        | {p.class_label for p in own})  # fmt: skip
        sizes = {label: 0 for label in labels}
        for p in own:
            sizes[p.class_label] += 1
        rng = random.Random(f"{SEED}:{school.uai}:{year}:{level}")
        rng.shuffle(pupils)
        for p in pupils:
            p.class_label = min(labels, key=lambda label: (sizes[label], label))
            sizes[p.class_label] += 1
        result.pupils += pupils + own
    return result


def _already_there(school: Establishment, year: int) -> list[DemoPupil]:
    """Pupils on the school's roster of ``year`` that the demo did not generate, as the
    export would list them (with a number if they have none yet)."""
    rows = list(
        Pupil.objects.filter(
            establishment=school, school_year=year, purged_at__isnull=True,
            level__in=LEVELS,
        ).order_by("last_name", "first_name", "pk")
    )  # fmt: skip
    generated = prefix(school)
    rows = [p for p in rows if not (p.school_ref.startswith(generated) and
                                    p.school_ref[4:6] != "99")]  # fmt: skip
    used = {p.school_ref for p in rows}
    serial, pupils = 0, []
    for p in rows:
        ref = p.school_ref
        while not ref:
            candidate = f"{generated}99{serial:03d}"
            serial += 1
            ref = "" if candidate in used else candidate
        used.add(ref)
        cohort = year - LEVELS.index(p.level)
        pupils.append(
            DemoPupil(
                ref,
                p.last_name,
                p.first_name,
                datetime.date(cohort - 11, 6, 15),
                cohort,
                year,
                9999,
                p.qpv,
                p.disability,
                p.newly_arrived,
                p.class_label,
            )  # fmt: skip
        )
    return pupils


# --- experiences -------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    """What classes of a level did: ``share`` of the level's classes take part."""

    code: str
    level: str
    kind: str
    title: str
    partner: str  # an organisation's acronym, « company », or a label
    when: tuple[int, int] | int  # previous year: (month, day); current: days from today
    share: float = 1.0
    source: str = Source.CLASS


# The previous year (all done) and the current one (around today; ahead is planned).
PAST = [
    Event("visite-6e", "6e", "visite", "Visite d'entreprise", "company", (11, 20), 0.5),
    Event("temoignage-6e", "6e", "temoignage", "Des artisans racontent leur métier",
          "CRMA Occitanie", (3, 10), 0.5, Source.CATALOGUE),
    Event("portes-ouvertes-5e", "5e", "portes_ouvertes", "Portes ouvertes du lycée "
          "professionnel", "Lycée professionnel du bassin", (2, 7), 0.5),
    Event("projet-5e", "5e", "projet_classe", "Projet de classe : jardin et métiers du "
          "paysage", "company", (5, 19), 0.5),
    Event("industrie-4e", "4e", "semaine_industrie", "Semaine de l'industrie : portes "
          "ouvertes d'usines", "UIMM Occitanie", (3, 24), 0.75, Source.CATALOGUE),
    Event("mixite-4e", "4e", "mixite", "Ingénieures et techniciennes : des rôles modèles",
          "MEDEF Occitanie", (1, 27), 0.5, Source.CATALOGUE),
    Event("projet-4e", "4e", "projet_classe", "Projet de classe : une entreprise du "
          "quartier", "company", (6, 2), 0.6),
    Event("reserve-4e", "4e", "intervention_reserve", "Les métiers de la sécurité civile",
          "Réserve citoyenne de l'Éducation nationale", (4, 14), 0.5, Source.RESERVE),
    Event("forum-3e", "3e", "forum", "Forum des métiers et de l'apprentissage",
          "CCI Occitanie", (1, 16), 1.0, Source.CATALOGUE),
    Event("cee-3e", "3e", "intervention_cee", "Présentation des métiers de l'industrie",
          "Conseiller entreprises pour l'école", (11, 27), 0.5, Source.ADVISOR),
    Event("visite-3e", "3e", "visite", "Visite d'entreprise", "company", (4, 8), 0.85),
    Event("mini-stage-3e", "3e", "portes_ouvertes", "Mini-stage en lycée professionnel",
          "Lycée professionnel du bassin", (2, 12), 0.5),
    Event("mini-3e", "3e", "mini_entreprise", "Mini-entreprise", "CCI Occitanie", (5, 28),
          0.34),
    Event("concours-3e", "3e", "concours", "Concours « Ma vidéo industrie »",
          "UIMM Occitanie", (3, 31), 0.5, Source.CATALOGUE),
]  # fmt: skip
CURRENT = [
    Event("visite-6e", "6e", "visite", "Visite d'entreprise", "company", -30, 0.5),
    Event("temoignage-6e", "6e", "temoignage", "Des artisans racontent leur métier",
          "CRMA Occitanie", 60, 0.5, Source.CATALOGUE),
    Event("projet-5e", "5e", "projet_classe", "Projet de classe : jardin et métiers du "
          "paysage", "company", 120, 0.5),
    Event("mixite-4e", "4e", "mixite", "Ingénieures et techniciennes : des rôles modèles",
          "MEDEF Occitanie", -20, 0.5, Source.CATALOGUE),
    Event("industrie-4e", "4e", "semaine_industrie", "Semaine de l'industrie : portes "
          "ouvertes d'usines", "UIMM Occitanie", 100, 0.75, Source.CATALOGUE),
    Event("forum-3e", "3e", "forum", "Forum des métiers et de l'apprentissage",
          "CCI Occitanie", -45, 1.0, Source.CATALOGUE),
    Event("cee-3e", "3e", "intervention_cee", "Présentation des métiers de l'industrie",
          "Conseiller entreprises pour l'école", -12, 0.5, Source.ADVISOR),
    Event("visite-3e", "3e", "visite", "Visite d'entreprise", "company", 40, 0.75),
    Event("mini-3e", "3e", "mini_entreprise", "Mini-entreprise", "CCI Occitanie", 150,
          0.34),
]  # fmt: skip
# Stages de 3e: the previous year's week, the current year's first week (done) and the
# second (planned, the pôle de stages' period three weeks ahead).
PAST_STAGE = (12, 8)
STAGE_WEEKS = (-25, 21)


class Recorder:
    """Records a school's experiences of one year through the services, once each."""

    def __init__(self, school, year, staff, companies, partners, pupils, is_current,
                 school_week: SchoolWeek | None = None):  # fmt: skip
        self.school, self.year, self.staff = school, year, staff
        self.school_week = school_week or (lambda _school, monday: monday)
        self.companies, self.partners = companies, partners
        self.is_current = is_current
        self.pupils = pupils  # ref → Pupil (this year's roster)
        self.done = set(
            Experience.objects.filter(
                establishment=school, source_ref__startswith=f"{REF_PREFIX}{year}:"
            ).values_list("source_ref", flat=True)
        )
        self.count = 0
        self.priority = {
            ref: bool(school.priority_education) or p.qpv or p.disability or p.newly_arrived
            for ref, p in pupils.items()
        }

    def day(self, when) -> datetime.date:
        if isinstance(when, tuple):
            month, day = when
            return _weekday(datetime.date(self.year + (month < 8), month, day))
        first, last = datetime.date(self.year, 9, 3), datetime.date(self.year + 1, 6, 26)
        day = min(max(today() + datetime.timedelta(days=when), first), last)
        return _weekday(day)

    def partner(self, label: str, rng: random.Random) -> tuple[Organisation | None, str]:
        if label == "company":
            return (rng.choice(self.companies), "") if self.companies else (None, "")
        if label in self.partners:
            return self.partners[label], ""
        return None, label

    def event(self, event: Event) -> None:
        ref = f"{REF_PREFIX}{self.year}:{event.code}"
        rng = random.Random(f"{SEED}:{self.school.uai}:{ref}")
        classes = sorted({p.class_label for p in self.pupils.values() if p.level == event.level})
        share = event.share * (PRIORITY_SCHOOL_SHARE if self.school.priority_education else 1)
        chosen = [c for c in classes if rng.random() < share] or classes[:1]
        for label in chosen:
            if f"{ref}:{label}" in self.done:
                continue
            organisation, partner_label = self.partner(event.partner, rng)
            roster = sorted(
                (p for p in self.pupils.values() if p.class_label == label),
                key=lambda p: p.school_ref,
            )
            absent = [p.pk for p in roster
                      if rng.random() > PRESENT[self.priority[p.school_ref]]]  # fmt: skip
            title = event.title
            if organisation is not None and event.partner == "company":
                title = f"{event.title} : {organisation.name}"
            class_credit(
                user=self.staff, establishment=self.school, school_year=self.year,
                class_labels=[label],
                data=ExperienceData(kind=event.kind, date=self.day(event.when), title=title,
                                    organisation=organisation, partner_label=partner_label,
                                    place=organisation.commune.name if organisation
                                    and organisation.commune else ""),
                absent_ids=absent, source=event.source, source_ref=f"{ref}:{label}",
            )  # fmt: skip
            self.count += 1

    def stages(self) -> None:
        """Each pupil of 3e who found a stage, grouped by host company (up to four
        pupils of a class in the same company the same week)."""
        rng = random.Random(f"{SEED}:{self.school.uai}:{self.year}:stages")
        third = sorted(
            (p for p in self.pupils.values() if p.level == "3e"),
            key=lambda p: (p.class_label, p.school_ref),
        )
        weeks: dict[tuple[str, int], list] = {}
        for p in third:
            if p.school_ref[4:6] == "99" and self.is_current:
                continue  # the pôle de stages' demo pupils: their stage comes from the pôle
            priority = self.priority[p.school_ref]
            if rng.random() < STAGE_FOUND[priority]:
                week = 0 if not self.is_current else int(rng.random() > FIRST_WEEK[priority])
                weeks.setdefault((p.class_label, week), []).append(p)
        for (label, week), found in sorted(weeks.items()):
            when = PAST_STAGE if not self.is_current else STAGE_WEEKS[week]
            day = self.day(when)
            day = self.school_week(self.school, day - datetime.timedelta(days=day.weekday()))
            for start in range(0, len(found), 4):
                group = found[start : start + 4]
                ref = f"{REF_PREFIX}{self.year}:stage:{label}:{week}:{start}"
                company, _ = self.partner("company", rng)
                if ref in self.done:
                    continue
                experience_record(
                    user=self.staff, establishment=self.school,
                    data=ExperienceData(kind="stage_3e", date=day,
                                        title="Stage d'observation de 3e", organisation=company,
                                        place=company.commune.name if company and
                                        company.commune else ""),
                    pupil_ids=[p.pk for p in group], source=Source.SCHOOL, source_ref=ref,
                    classes=label,
                )  # fmt: skip
                self.count += 1


# --- loading -------------------------------------------------------------------------------


def _schools(demo_school: Establishment) -> list[Establishment]:
    """The demo collège, then public collèges of its bassin: priority ones and others."""
    if demo_school.bassin_id is None:  # the loader checked it: never here
        return [demo_school]
    others = list(
        Establishment.objects.filter(
            bassin_id=demo_school.bassin_id, kind="college", sector="public", is_open=True
        )
        .exclude(pk=demo_school.pk)
        .order_by("uai")
    )
    priority = [s for s in others if s.priority_education][: OTHER_SCHOOLS // 2]
    rest = [s for s in others if not s.priority_education][: OTHER_SCHOOLS - len(priority)]
    return [demo_school, *priority, *rest]


def _head(school: Establishment, rng: random.Random) -> User:
    """The head of a collège of the demo (a demo account, the demo password)."""
    user, created = User.objects.get_or_create(
        email=f"principal.{school.uai.lower()}@{DEMO_EMAIL_DOMAIN}",
        defaults={
            "first_name": rng.choice(ORIGINS["fr"][1].split()),
            "last_name": rng.choice(ORIGINS["fr"][0].split()),
            "job_title": "Chef d'établissement",
            "is_demo": True,
        },
    )
    if created:
        user.set_password(settings.RELAIS_DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=Role.HEAD_OF_SCHOOL, establishment=school)
    return user


def _demo_user(name: str) -> User | None:
    return User.objects.filter(email=f"{name}@{DEMO_EMAIL_DOMAIN}").first()


def load(*, school_week: SchoolWeek | None = None) -> str:
    """The demo's parcours Avenir; ``school_week(school, monday)`` moves a stage's week off
    the school's holidays (``relais.demo.loading`` passes the pôles de stages' calendar)."""
    teacher = _demo_user("enseignant")
    if teacher is None:
        return ""
    membership = Membership.objects.filter(user=teacher, role=Role.TEACHER).first()
    if membership is None or membership.establishment is None:
        return ""
    demo_school = membership.establishment
    if demo_school.bassin_id is None:
        return ""
    with transaction.atomic():
        return _load(demo_school, teacher, school_week)


def _load(demo_school: Establishment, teacher: User, school_week: SchoolWeek | None) -> str:
    year = roster_year_of(today())
    schools = _schools(demo_school)
    rng = random.Random(SEED)
    principal = _demo_user("principal")
    staff = {
        s.pk: (principal, teacher) if s.pk == demo_school.pk and principal else (_head(s, rng),) * 2
        for s in schools
    }
    companies = list(
        Organisation.objects.filter(
            is_demo=True, kind="entreprise", academie_id=demo_school.academie_id
        ).select_related("commune").order_by("siret")
    )  # fmt: skip
    partners = {o.acronym: o for o in Organisation.objects.filter(acronym__in=[
        e.partner for e in PAST])}  # fmt: skip
    recorded, imported, snapshot = 0, 0, []
    with tempfile.TemporaryDirectory(prefix="relais-demo-listes-") as folder:
        for target in (year - 1, year):
            for school in schools:
                head, recorder_user = staff[school.pk]
                if (
                    target < year
                    and Pupil.objects.filter(
                        establishment=school,
                        school_year__gte=year,
                        school_ref__startswith=prefix(school),
                    ).exists()
                ):
                    continue  # the current roster is in: last year's is closed
                classes = classes_per_level(school, school.pk == demo_school.pk)
                path = roster(school, target, classes).write(Path(folder))
                result = roster_import_csv(
                    user=head, establishment=school, path=path, school_year=target
                )
                imported += result.created + result.moved_up + result.updated
                pupils = {
                    p.school_ref: p
                    for p in Pupil.objects.filter(
                        establishment=school, school_year=target, purged_at__isnull=True
                    )
                    if p.school_ref
                }
                recorder = Recorder(school, target, recorder_user, companies, partners, pupils,
                                    is_current=target == year, school_week=school_week)  # fmt: skip
                for event in PAST if target < year else CURRENT:
                    # Each record refreshes the school's counts, a join of the rows just
                    # written: the planner is told how many there are now.
                    analyze(Pupil, Experience, Credit)
                    recorder.event(event)
                recorder.stages()
                recorded += recorder.count
                if target < year:
                    snapshot.append(school.pk)
            if target < year and snapshot:
                stats_snapshot(school_year=target, establishment_ids=snapshot)
    return (
        f"Parcours Avenir : {len(schools)} collèges, {imported} élève(s) importé(s) ou "
        f"passé(s) en classe supérieure, {recorded} expérience(s) enregistrée(s)"
        + (f", compteurs de {year - 1}-{year} figés" if snapshot else "")
    )
