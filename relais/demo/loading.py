"""Demo data for ``make run``: real reference data, real partners named in the seeds, fifty
companies clearly marked as demo, and one account per role.

Everything is idempotent: a second run creates nothing and changes nothing that a user
edited (an existing account keeps its password).
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass
from typing import Any

import pghistory
from django.conf import settings
from django.db import transaction

from relais.core.demo import DEMO_ACADEMIES, DEMO_EMAIL_DOMAIN
from relais.core.identifiers import build_siret
from relais.establishments.models import Establishment
from relais.nomenclatures.models import NafCode
from relais.organisations.enums import OrganisationKind, OrganisationLevel, SizeBand
from relais.organisations.models import Organisation
from relais.organisations.services import organisation_search_text
from relais.territories.models import AcademicRegion, Academie, Bassin, Commune
from relais.users.enums import Role
from relais.users.models import Membership, User

COMPANY_COUNT = 50
SEED = 2026


@dataclass(frozen=True)
class Partner:
    name: str
    acronym: str
    level: str
    parent: str | None = None
    region: str | None = None  # name of the région académique for regional bodies
    website: str = ""


# Real professional organisations: the national ones and those named in data/seeds/
# (Lille Clubster convention, CPME Île-de-France convention), plus their Occitanie branches.
PARTNERS = [
    Partner(
        "Mouvement des entreprises de France",
        "MEDEF",
        OrganisationLevel.NATIONAL,
        website="https://www.medef.com",
    ),
    Partner(
        "Union des industries et métiers de la métallurgie",
        "UIMM",
        OrganisationLevel.NATIONAL,
        website="https://uimm.lafabriquedelavenir.fr",
    ),
    Partner(
        "Confédération des petites et moyennes entreprises",
        "CPME",
        OrganisationLevel.NATIONAL,
        website="https://www.cpme.fr",
    ),
    Partner(
        "Chambres de métiers et de l'artisanat de France",
        "CMA France",
        OrganisationLevel.NATIONAL,
        website="https://www.artisanat.fr",
    ),
    Partner("CCI France", "CCI France", OrganisationLevel.NATIONAL, website="https://www.cci.fr"),
    Partner(
        "MEDEF Nord-Pas de Calais",
        "MEDEF NPC",
        OrganisationLevel.REGIONAL,
        "MEDEF",
        "Hauts-de-France",
    ),
    Partner(
        "UIMM Nord-Pas de Calais",
        "UIMM NPDC",
        OrganisationLevel.REGIONAL,
        "UIMM",
        "Hauts-de-France",
    ),
    Partner(
        "Chambre de métiers et de l'artisanat Nord-Pas de Calais",
        "CMA NPdC",
        OrganisationLevel.REGIONAL,
        "CMA France",
        "Hauts-de-France",
    ),
    Partner(
        "Chambre de commerce et d'industrie de région Nord de France",
        "CCIR NdF",
        OrganisationLevel.REGIONAL,
        "CCI France",
        "Hauts-de-France",
    ),
    Partner("CPME Île-de-France", "CPME IDF", OrganisationLevel.REGIONAL, "CPME", "Île-de-France"),
    Partner("MEDEF Occitanie", "MEDEF Occitanie", OrganisationLevel.REGIONAL, "MEDEF", "Occitanie"),
    Partner("CPME Occitanie", "CPME Occitanie", OrganisationLevel.REGIONAL, "CPME", "Occitanie"),
    Partner("UIMM Occitanie", "UIMM Occitanie", OrganisationLevel.REGIONAL, "UIMM", "Occitanie"),
    Partner(
        "Chambre régionale de métiers et de l'artisanat Occitanie",
        "CRMA Occitanie",
        OrganisationLevel.REGIONAL,
        "CMA France",
        "Occitanie",
    ),
    Partner(
        "CCI Occitanie", "CCI Occitanie", OrganisationLevel.REGIONAL, "CCI France", "Occitanie"
    ),
]

# (NAF code, trade used in the demo company's name)
DEMO_TRADES = [
    ("10.71C", "Boulangerie"),
    ("43.21A", "Électricité générale"),
    ("45.20A", "Garage"),
    ("56.10A", "Restaurant"),
    ("62.01Z", "Studio numérique"),
    ("71.12B", "Bureau d'études"),
    ("25.62B", "Mécanique de précision"),
    ("01.21Z", "Domaine viticole"),
    ("55.10Z", "Hôtel"),
    ("96.02A", "Salon de coiffure"),
    ("43.32A", "Menuiserie"),
    ("30.30Z", "Atelier aéronautique"),
    ("81.30Z", "Paysagiste"),
    ("49.41A", "Transports"),
    ("75.00Z", "Clinique vétérinaire"),
    ("47.73Z", "Pharmacie"),
    ("86.90D", "Cabinet infirmier"),
    ("41.20A", "Construction"),
    ("10.13B", "Charcuterie"),
    ("47.76Z", "Jardinerie"),
    ("69.20Z", "Cabinet comptable"),
    ("93.13Z", "Salle de sport"),
    ("88.91A", "Crèche"),
    ("16.10A", "Scierie"),
    ("27.12Z", "Tableaux électriques"),
]
SIZE_BANDS = [
    SizeBand.MICRO,
    SizeBand.MICRO,
    SizeBand.MICRO,
    SizeBand.SME,
    SizeBand.SME,
    SizeBand.MID,
]


def demo_siret(index: int) -> str:
    """A SIRET with valid Luhn keys in a range no real company uses (SIREN 9999xxxx-)."""
    return build_siret(f"9999{index:04d}", f"{index % 10000:04d}")


@transaction.atomic
def load_partners() -> dict[str, int]:
    """The real professional organisations (national and regional), linked to their parent."""
    counts = {"created": 0, "unchanged": 0}
    by_acronym: dict[str, Organisation] = {}
    regions = {r.name: r for r in AcademicRegion.objects.all()}
    for partner in PARTNERS:
        defaults = {
            "acronym": partner.acronym,
            "level": partner.level,
            "parent": by_acronym.get(partner.parent) if partner.parent else None,
            "academic_region": regions.get(partner.region) if partner.region else None,
            "website": partner.website,
            "search_text": organisation_search_text(
                Organisation(name=partner.name, acronym=partner.acronym)
            ),
        }
        org, created = Organisation.objects.get_or_create(
            name=partner.name, kind=OrganisationKind.PROFESSIONAL, defaults=defaults
        )
        by_acronym[partner.acronym] = org
        counts["created" if created else "unchanged"] += 1
    return counts


@transaction.atomic
def load_companies(count: int = COMPANY_COUNT) -> dict[str, int]:
    """Fifty demo companies in real communes of the demo académies (communes that have a
    collège), with a valid but fictitious SIRET and a real NAF code."""
    rng = random.Random(SEED)
    communes = list(
        Commune.objects.filter(
            establishments__kind="college",
            establishments__academie__code__in=DEMO_ACADEMIES,
            latitude__isnull=False,
        )
        .select_related("departement__academie__region")
        .distinct()
        .order_by("insee_code")
    )
    if not communes:
        return {"created": 0, "unchanged": 0}
    nafs = {n.code: n for n in NafCode.objects.filter(code__in=[c for c, _ in DEMO_TRADES])}
    counts = {"created": 0, "unchanged": 0}
    for index in range(count):
        commune = rng.choice(communes)
        naf_code, trade = DEMO_TRADES[index % len(DEMO_TRADES)]
        siret = demo_siret(index + 1)
        name = f"{trade} {commune.name} (démo)"
        assert commune.departement is not None  # a commune with a collège of the académie
        academie = commune.departement.academie
        _, created = Organisation.objects.get_or_create(
            siret=siret,
            defaults={
                "name": name,
                "kind": OrganisationKind.COMPANY,
                "level": OrganisationLevel.LOCAL,
                "naf": nafs.get(naf_code),
                "size_band": rng.choice(SIZE_BANDS),
                "address": f"{rng.randint(1, 120)} rue de la République",
                "postal_code": commune.postal_code,
                "commune": commune,
                "latitude": commune.latitude,
                "longitude": commune.longitude,
                "academie": academie,
                "academic_region": academie.region,
                "email": f"contact{index + 1}@entreprise-demo.example",
                "is_demo": True,
                "description": "Entreprise fictive créée pour la démonstration de Relais.",
                "search_text": organisation_search_text(
                    Organisation(
                        name=name, siret=siret, commune=commune, postal_code=commune.postal_code
                    )
                ),
            },
        )
        counts["created" if created else "unchanged"] += 1
    return counts


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: Role
    scope: object
    job_title: str


def demo_accounts() -> list[DemoAccount]:
    """One account per role, on real places of the académie de Montpellier (and one académie
    team account in Toulouse, to show that territories are kept apart)."""
    montpellier = Academie.objects.get(code="11")
    toulouse = Academie.objects.get(code="16")
    school = (
        Establishment.objects.filter(
            academie=montpellier, kind="college", bassin__isnull=False, priority_education="REP+"
        )
        .select_related("bassin")
        .order_by("uai")
        .first()
    )
    bassin = school.bassin if school else Bassin.objects.filter(academie=montpellier).first()
    organisation = Organisation.objects.get(acronym="CPME Occitanie")
    d = DEMO_EMAIL_DOMAIN
    return [
        DemoAccount(
            f"admin@{d}",
            "Alix",
            "Nationale",
            Role.NATIONAL_ADMIN,
            None,
            "Administratrice nationale",
        ),
        DemoAccount(
            f"daet.montpellier@{d}",
            "Camille",
            "Durand",
            Role.ACADEMIE_TEAM,
            montpellier,
            "Cellule relation école-entreprise (DAET)",
        ),
        DemoAccount(
            f"daet.toulouse@{d}",
            "Hugo",
            "Garcia",
            Role.ACADEMIE_TEAM,
            toulouse,
            "Cellule relation école-entreprise (DAET)",
        ),
        DemoAccount(
            f"referent.bassin@{d}",
            "Inès",
            "Martin",
            Role.BASSIN_REFERENT,
            bassin,
            "Référente école-entreprise du bassin",
        ),
        DemoAccount(
            f"pole.stages@{d}",
            "Karim",
            "Benali",
            Role.HUB_MEMBER,
            bassin,
            "Animateur du pôle de stages",
        ),
        DemoAccount(
            f"principal@{d}",
            "Sophie",
            "Leroy",
            Role.HEAD_OF_SCHOOL,
            school,
            "Principale de collège",
        ),
        DemoAccount(
            f"enseignant@{d}",
            "Julien",
            "Moreau",
            Role.TEACHER,
            school,
            "Professeur principal de 3e",
        ),
        DemoAccount(
            f"cpme.occitanie@{d}",
            "Nadia",
            "Roux",
            Role.ORGANISATION_REP,
            organisation,
            "Chargée de mission relation école-entreprise",
        ),
        DemoAccount(
            f"reserviste@{d}", "Paul", "Lambert", Role.VOLUNTEER, montpellier, "Réserviste citoyen"
        ),
    ]


@transaction.atomic
def load_accounts() -> list[DemoAccount]:
    accounts = demo_accounts()
    for account in accounts:
        user, created = User.objects.get_or_create(
            email=account.email,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "job_title": account.job_title,
                "is_demo": True,
                "is_staff": account.role == Role.NATIONAL_ADMIN,
                "is_superuser": account.role == Role.NATIONAL_ADMIN,
            },
        )
        if created:
            user.set_password(settings.RELAIS_DEMO_PASSWORD)
            user.save(update_fields=["password"])
        scope_fields: dict[type[object], str] = {
            Academie: "academie",
            Bassin: "bassin",
            Establishment: "establishment",
            Organisation: "organisation",
        }
        scope_field = scope_fields.get(type(account.scope))
        fields: dict[str, Any] = {scope_field: account.scope} if scope_field else {}
        Membership.objects.get_or_create(user=user, role=account.role, **fields)
    return accounts


# Each domain app loads its own demo after the partners and accounts, in this order
# (conventions first: governance bodies, clubs and CEE hang on them).
APP_DEMOS = (
    "agreements",
    "governance",
    "networks",
    "volunteers",
    "volunteers.demo_cet",
    "governance.demo_councils",
    "juries",
    "training",
    "actions",
    "resources",
    "internships",
    "internships.demo_preparation",
    "demo.disability",
    "pathways",
)


def _school_week(school, monday):
    """The first Monday from ``monday`` whose week is school days in the school's zone (no
    school holidays, no public holiday): the parcours Avenir demo's stage weeks (issue 15,
    item 11), through the pôles de stages' calendar."""
    from relais.internships.demo import school_week
    from relais.internships.holidays import zone_of

    return school_week(monday, zone_of(school.academie))


# Arguments of an application's demo ``load`` (none for most).
APP_DEMO_ARGUMENTS = {"pathways": {"school_week": _school_week}}


def _demo_module(name: str) -> str:
    """« actions » → relais.actions.demo; « internships.demo_preparation » is a module."""
    return f"relais.{name}" if "." in name else f"relais.{name}.demo"


def load_all() -> dict:
    with pghistory.context(command="load_demo"):
        result = {
            "partners": load_partners(),
            "companies": load_companies(),
            "accounts": load_accounts(),
        }
        result["apps"] = [
            summary
            for name in APP_DEMOS
            if (
                summary := importlib.import_module(_demo_module(name)).load(
                    **APP_DEMO_ARGUMENTS.get(name, {})
                )
            )
        ]
        return result
