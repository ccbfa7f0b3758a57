"""Shared pieces of the académie generator: sizes, names, helpers, and the context every
section reads (the académie, its communes and bassins, the demo accounts)."""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from contextlib import contextmanager

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
DEMO_BASSIN_EXTRA = {"establishments": 400, "offers": 5_000, "pupils": 8_000, "school_pupils": 400}


def scale_sizes(factor: float) -> None:
    """A smaller (or larger) académie: every generated count times ``factor`` (the real
    établissements and clubs stay; ``bench_queries.py`` compares two sizes)."""
    for sizes in (TARGET, DEMO_BASSIN_EXTRA):
        for key, value in sizes.items():
            sizes[key] = max(1, round(value * factor))


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
