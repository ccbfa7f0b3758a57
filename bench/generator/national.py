"""National-scale data for ``bench/bench_national.py`` (issue 11): the 30 real académies with
300 bassins, 60,000 établissements (every real collège of France, the annuaire of Montpellier
and Toulouse, and copies of their profiles elsewhere with UAIs in ranges the annuaire does
not use), 20,000 conventions over every scope (national ones declined in most académies,
with their parties and commitments), one club per bassin with its two mandates, the pôles'
cases (pupils referred and placed in every collège) and the parcours' counts of every
collège of France (``PathwaysGenerator.national_colleges`` and ``national_stats``).

Rows are written with ``bulk_create`` or COPY, in one transaction, with a fixed seed. Every
database constraint holds; the names are fictitious (« Convention nationale n° 12 »).
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from .common import FIRST_NAMES, LAST_NAMES, aware, bulk, log, step

SIZES = {
    "bassins": 300,
    "establishments": 60_000,
    "agreements": 20_000,
    "national_agreements": 40,
    "referred": 120_000,  # pupils referred to a pôle this year, across France
    "placed_share": 0.72,
}
SCOPE_SHARES = [  # the rest after national ones and their declinations
    ("region_academique", 0.02),
    ("academie", 0.28),
    ("bassin", 0.30),
    ("etablissement", 0.40),
]
STATES = [("en_vigueur", 0.72), ("brouillon", 0.12), ("expiree", 0.10), ("en_signature", 0.06)]
CATEGORIES = ["cee", "pfmp", "immersion", "decouverte", "jurys"]


def _pick(rng: random.Random, shares) -> str:
    draw, total = rng.random(), 0.0
    for value, share in shares:
        total += share
        if draw < total:
            return value
    return shares[-1][0]


class NationalGenerator:
    def __init__(self, rng: random.Random, today: datetime.date, year: int):
        from relais.territories.models import Academie

        self.rng = rng
        self.today = today
        self.year = year
        self.academies = list(Academie.objects.select_related("region").order_by("code"))

    # --- territories and établissements ------------------------------------------------------

    def bassins(self) -> int:
        """Bassins up to ``SIZES["bassins"]``, spread over the académies that have fewest."""
        from relais.territories.models import Bassin

        existing = defaultdict(int)
        for academie_id in Bassin.objects.values_list("academie_id", flat=True):
            existing[academie_id] += 1
        missing = SIZES["bassins"] - sum(existing.values())
        objects, serial = [], 0
        while missing > 0:
            academie = min(self.academies, key=lambda a: (existing[a.pk], a.code))
            existing[academie.pk] += 1
            serial += 1
            objects.append(
                Bassin(
                    code=f"N{academie.code}{serial:04d}",
                    name=f"BASSIN {academie.name.upper()} {existing[academie.pk]}",
                    academie=academie,
                )  # fmt: skip
            )
            missing -= 1
        bulk(Bassin, objects, "bassins")
        return len(objects)

    def establishments(self) -> int:
        """Copies of real établissements' profiles in every académie up to the target, with
        generated UAIs (4th digit 7 to 9) in real communes of the académie."""
        from relais.core.identifiers import uai_check_letter
        from relais.core.text import search_key
        from relais.establishments.models import Establishment
        from relais.territories.models import Commune

        rng = self.rng
        missing = SIZES["establishments"] - Establishment.objects.count()
        if missing <= 0:
            return 0
        models = list(Establishment.objects.filter(is_open=True).order_by("uai")[:6000])
        used = set(Establishment.objects.values_list("uai", flat=True))
        communes = defaultdict(list)
        for commune in Commune.objects.filter(latitude__isnull=False).select_related("departement"):
            if commune.departement is not None and commune.departement.academie_id:
                communes[commune.departement.academie_id].append(commune)
        serial: dict[str, int] = defaultdict(int)
        now = aware(self.today, rng)
        objects = []
        for index in range(missing):
            academie = self.academies[index % len(self.academies)]
            if not communes[academie.pk]:
                continue
            model = rng.choice(models)
            commune = rng.choice(communes[academie.pk])
            dept = commune.departement
            # A UAI's first three digits: 0 and the département (« 034 »), or the overseas
            # département (« 971 »); Corse (2A, 2B) as « 020 ». Then 7000 to 9999, a range
            # the annuaire does not use: 3,000 per prefix.
            code = dept.code
            prefix = code if len(code) == 3 and code.isdigit() else f"0{code}"
            prefix = prefix if prefix.isdigit() else "020"
            while True:
                serial[prefix] += 1
                if serial[prefix] > 2999:
                    raise RuntimeError(f"Plus de 3 000 UAI générés pour {prefix}.")
                body = f"{prefix}{7000 + serial[prefix]:04d}"
                uai = body + uai_check_letter(body)
                if uai not in used:
                    break
            used.add(uai)
            objects.append(
                Establishment(
                    uai=uai,
                    name=model.name,
                    kind=model.kind,
                    nature_code=model.nature_code,
                    nature_label=model.nature_label,
                    sector=model.sector,
                    priority_education=model.priority_education,
                    postal_code=commune.postal_code,
                    commune=commune,
                    departement=dept,
                    academie=academie,
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                    is_open=True,
                    created_at=now,
                    updated_at=now,
                    search_text=search_key(model.name, uai, commune.name),
                )  # fmt: skip
            )
        bulk(Establishment, objects, "établissements")
        return len(objects)

    def assign_bassins(self) -> int:
        """Each établissement without a bassin goes to one of its académie's bassins."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE establishments_establishment e
                   SET bassin_id = b.ids[1 + (e.id %% b.n)]
                  FROM (SELECT academie_id, array_agg(id ORDER BY id) AS ids, count(*) AS n
                          FROM territories_bassin GROUP BY academie_id) b
                 WHERE e.academie_id = b.academie_id AND e.bassin_id IS NULL
                """,
                [],  # with parameters, « %% » is the modulo operator
            )
            return cursor.rowcount

    # --- conventions ---------------------------------------------------------------------------

    def _agreement(self, number: str, scope: str, state: str, **fields):
        from relais.agreements.models import Agreement

        rng = self.rng
        signed = self.today - datetime.timedelta(days=rng.randint(30, 2000))
        dated = state != "brouillon" and state != "en_signature"
        end = signed + datetime.timedelta(days=3 * 365)
        if state == "expiree":
            end = self.today - datetime.timedelta(days=rng.randint(1, 400))
        return Agreement(
            number=number, title=f"Convention {number}", kind="cadre", scope=scope,
            state=state, signed_on=signed if dated else None,
            start_date=signed if dated else None, duration_months=36,
            current_start=signed if dated else None, current_end=end if dated else None,
            ended_on=end if state == "expiree" else None, **fields,
        )  # fmt: skip

    def _declinations(self, nationals) -> list:
        """Each national convention declined in seven académies out of ten (in every state)
        and in one région académique out of ten."""
        rng = self.rng
        declinations = []
        regions = {a.region for a in self.academies if a.region_id}
        for parent in nationals:
            for academie in self.academies:
                if rng.random() < 0.7:
                    declinations.append(self._agreement(
                        f"BD-{parent.pk}-{academie.code}", "academie",
                        _pick(rng, STATES), academie=academie, parent=parent))  # fmt: skip
            for region in regions:
                if rng.random() < 0.1:
                    declinations.append(self._agreement(
                        f"BR-{parent.pk}-{region.code}", "region_academique", "en_vigueur",
                        academic_region=region, parent=parent))  # fmt: skip
        return declinations

    def _others(self, count: int) -> list:
        """Conventions of the régions, académies, bassins and schools."""
        from relais.establishments.models import Establishment
        from relais.territories.models import Bassin

        rng = self.rng
        bassins = list(Bassin.objects.values_list("pk", "academie_id"))
        schools = list(
            Establishment.objects.filter(bassin__isnull=False).values_list(
                "pk", "academie_id", "bassin_id"
            )
        )
        others = []
        for index in range(count):
            scope, state = _pick(rng, SCOPE_SHARES), _pick(rng, STATES)
            academie = rng.choice(self.academies)
            fields: dict = {"academie": academie}
            if scope == "region_academique":
                fields = {"academic_region_id": academie.region_id}
            elif scope == "bassin":
                pk, academie_id = rng.choice(bassins)
                fields = {"academie_id": academie_id, "bassin_id": pk}
            elif scope == "etablissement":
                pk, academie_id, bassin_id = rng.choice(schools)
                fields = {
                    "academie_id": academie_id,
                    "bassin_id": bassin_id,
                    "establishment_id": pk,
                }
            others.append(self._agreement(f"BG-{index:06d}", scope, state, **fields))
        return others

    def agreements(self) -> int:
        """National conventions declined in most académies, then the others over every
        scope and state; a party for each national convention and declination (a national
        organisation), two commitments on each."""
        from relais.agreements.models import Agreement, Commitment, Party
        from relais.organisations.models import Organisation

        rng = self.rng
        partners = list(Organisation.objects.filter(academie__isnull=True,
                                                    academic_region__isnull=True)[:20])  # fmt: skip
        nationals = bulk(Agreement, [
            self._agreement(f"BN-{i:03d}", "national", "en_vigueur")
            for i in range(SIZES["national_agreements"])
        ], "conventions nationales")  # fmt: skip
        declinations = bulk(Agreement, self._declinations(nationals), "déclinaisons")
        count = SIZES["agreements"] - len(nationals) - len(declinations)
        others = bulk(Agreement, self._others(count), "autres conventions")
        parties = bulk(Party, [
            Party(agreement=a, organisation=partners[a.pk % len(partners)],
                  name=partners[a.pk % len(partners)].name, side="economique")
            for a in nationals + declinations if partners
        ], "parties")  # fmt: skip
        commitments = [
            Commitment(agreement_id=party.agreement_id, party=party, category=category,
                       description="Engagement", quantity=rng.randint(5, 200))
            for party in parties for category in rng.sample(CATEGORIES, 2)
        ]  # fmt: skip
        bulk(Commitment, commitments, "engagements")
        return len(nationals) + len(declinations) + len(others)

    # --- clubs, pôles ----------------------------------------------------------------------------

    def clubs(self) -> int:
        """A club in nine bassins out of ten, with its référent and pilote for the year."""
        from relais.networks.models import Club, Mandate
        from relais.territories.models import Bassin

        rng = self.rng
        bassins = [b for b in Bassin.objects.filter(club__isnull=True) if rng.random() < 0.9]
        clubs = bulk(Club, [Club(name=f"Club {b.name}", academie_id=b.academie_id, bassin=b)
                            for b in bassins], "clubs")  # fmt: skip
        start = datetime.date(self.year, 9, 1)
        mandates = [
            Mandate(club=club, role=role, school_year=self.year,
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    email=f"mandat{club.pk}{role}@bench.example", appointed_on=start,
                    starts_on=start, ends_on=datetime.date(self.year + 1, 8, 31))
            for club in clubs for role in ("referent", "pilote") if rng.random() < 0.85
        ]  # fmt: skip
        bulk(Mandate, mandates, "mandats")
        return len(clubs)

    def cases(self) -> int:
        """Pupils of 3e referred to their bassin's pôle this year, most of them placed (COPY)."""
        from relais.establishments.models import Establishment
        from relais.internships.models import PlacementCase, PlacementHub
        from relais.pupils.models import Pupil
        from relais.territories.models import Bassin

        rng = self.rng
        hubs = {}
        for bassin in Bassin.objects.filter(hubs__isnull=True):
            hubs[bassin.pk] = None
        created = bulk(PlacementHub, [PlacementHub(name=f"Pôle {pk}", bassin_id=pk)
                                      for pk in hubs], "pôles")  # fmt: skip
        hub_of = {hub.bassin_id: hub.pk for hub in created}
        hub_of.update(dict(PlacementHub.objects.values_list("bassin_id", "pk")))
        colleges = list(
            Establishment.objects.filter(kind="college", bassin__isnull=False).values_list(
                "pk", "bassin_id"
            )
        )
        total = SIZES["referred"]
        retention = datetime.date(self.year + 3, 8, 31)
        pupils = []
        for offset in range(total):
            school, _bassin = colleges[offset % len(colleges)]
            pupils.append(Pupil(establishment_id=school, school_year=self.year,
                                school_ref=f"N{offset}", first_name=rng.choice(FIRST_NAMES),
                                last_name=rng.choice(LAST_NAMES), class_label="3e A",
                                level="3e", qpv=rng.random() < 0.1,
                                retention_until=retention))  # fmt: skip
        pupils = bulk(Pupil, pupils, "élèves")
        cases = []
        bassin_of = dict(colleges)
        for pupil in pupils:
            referred = aware(self.today - datetime.timedelta(days=rng.randint(20, 90)), rng)
            placed = rng.random() < SIZES["placed_share"]
            at = referred + datetime.timedelta(days=rng.randint(1, 30)) if placed else None
            cases.append(PlacementCase(pupil=pupil, state="placed" if placed else "referred",
                                       hub_id=hub_of[bassin_of[pupil.establishment_id]],
                                       referred_at=referred, placed_at=at, closed_at=at,
                                       opened_at=referred))  # fmt: skip
        bulk(PlacementCase, cases, "dossiers")
        log(f"   {total} élèves orientés, {sum(c.state == 'placed' for c in cases)} placés")
        return total

    def run(self) -> dict:
        figures = {}
        for label, method in (
            ("bassins", self.bassins),
            ("établissements", self.establishments),
            ("rattachement aux bassins", self.assign_bassins),
            ("conventions", self.agreements),
            ("clubs", self.clubs),
            ("dossiers des pôles", self.cases),
        ):
            with step(label):
                figures[label] = method()
        return figures


__all__ = ["SIZES", "NationalGenerator"]
