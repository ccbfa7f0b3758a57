"""Demo data of the networks app, loaded by `load_demo` after the partners and the accounts:
a club in every real bassin of the demo académies (Montpellier, Toulouse) with its steering
committee, a fictitious référent and pilote (« (démo) », e-mails on the demo domain), the
members by right, a few members, the annuaire published in Montpellier, and two campus."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from relais.core.demo import DEMO_ACADEMIES, DEMO_EMAIL_DOMAIN
from relais.core.school_years import school_year_bounds, school_year_of
from relais.establishments.models import Establishment
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.territories.models import Academie, Bassin
from relais.users.models import User

from . import rules, services
from .enums import ByRight, CampusMemberKind, MandateRole
from .models import Campus, CampusMember, Club, DirectoryPublication, Mandate

FIRST_NAMES = [
    "Claire",
    "Mehdi",
    "Sandrine",
    "Thomas",
    "Nathalie",
    "Youssef",
    "Émilie",
    "Marc",
    "Aurélie",
    "Julien",
    "Fatima",
    "Olivier",
    "Céline",
    "Bruno",
    "Laura",
    "Pierre",
]
LAST_NAMES = [
    "Bernard",
    "Roussel",
    "Fabre",
    "Marty",
    "Vidal",
    "Garnier",
    "Roux",
    "Bonnet",
    "Girard",
    "Mercier",
    "Blanc",
    "Guerin",
    "Faure",
    "Andre",
    "Lefebvre",
    "Perrin",
]
APPOINTING = ["MEDEF Occitanie", "CPME Occitanie", "UIMM Occitanie", "CCI Occitanie",
              "CRMA Occitanie"]  # fmt: skip


def _person(index: int, offset: int) -> tuple[str, str]:
    first = FIRST_NAMES[(index + offset) % len(FIRST_NAMES)]
    last = LAST_NAMES[(index * 3 + offset) % len(LAST_NAMES)]
    slug = f"{first}.{last}".lower().replace("é", "e").replace("è", "e")
    return f"{first} {last} (démo)", f"{slug}.{index}@{DEMO_EMAIL_DOMAIN}"


def _mandate(club, role, year, name, email, *, organisation=None, organisations=(), index=0):
    start, end = school_year_bounds(year)
    mandate, created = Mandate.objects.get_or_create(
        club=club,
        role=role,
        starts_on=start,
        defaults={
            "school_year": year,
            "full_name": name,
            "email": email,
            "phone": f"04 67 00 {index % 100:02d} {(index * 7) % 100:02d}",
            "organisation": organisation,
            "appointed_on": date(year, 6, 20),
            "appointed_by": f"Recteur ({club.academie})"
            if role == MandateRole.REFERENT
            else ", ".join(o.acronym for o in organisations),
            "ends_on": end,
            "is_demo": True,
        },
    )
    if created and organisations:
        mandate.appointing_organisations.set(organisations)
    if created:
        services.mandate_seat_on_steering_committee(mandate)
    return created


@transaction.atomic
def load() -> str:
    """Create the demo records (idempotent) and return a one-line French summary."""
    admin = User.objects.filter(email=f"admin@{DEMO_EMAIL_DOMAIN}").first()
    academies = list(Academie.objects.filter(code__in=DEMO_ACADEMIES))
    if admin is None or not academies:
        return ""
    year = school_year_of(timezone.localdate())
    appointing = list(Organisation.objects.filter(acronym__in=APPOINTING))
    hub = User.objects.filter(email=f"pole.stages@{DEMO_EMAIL_DOMAIN}").first()
    created_clubs = created_mandates = 0
    bassins = Bassin.objects.filter(academie__in=academies).select_related("academie")
    for index, bassin in enumerate(bassins.order_by("academie__code", "code")):
        club = Club.objects.filter(bassin=bassin).first()
        if club is None:
            club = services.club_create(
                user=admin,
                bassin=bassin,
                contact_email=f"club.{bassin.code.lower()}@{DEMO_EMAIL_DOMAIN}",
            )
            created_clubs += 1
            _add_members(admin, club, bassin, hub)
        companies = Organisation.objects.filter(
            kind=OrganisationKind.COMPANY, is_demo=True, academie=bassin.academie
        ).order_by("siret")
        company = companies[index % max(companies.count(), 1)] if companies.exists() else None
        referent = _person(index, 0)
        pilote = _person(index, 5)
        created_mandates += _mandate(club, MandateRole.REFERENT, year, *referent, index=index)
        # The first club's pilote is in their fifth year in a row: to be replaced next June.
        years = range(year - 4, year + 1) if index == 0 else [year]
        for held in years:
            created_mandates += _mandate(
                club, MandateRole.PILOTE, held, *pilote, organisation=company,
                organisations=appointing[:2] if index % 2 else appointing[1:4], index=index,
            )  # fmt: skip
    montpellier = next((a for a in academies if a.code == DEMO_ACADEMIES[0]), None)
    if montpellier is not None and date(year, 6, 1) <= timezone.localdate():
        DirectoryPublication.objects.get_or_create(
            academie=montpellier,
            school_year=year,
            defaults={"published_on": date(year, 6, 28), "published_by": admin,
                      "note": "Publié à l'issue du comité stratégique de juin (démonstration)."},
        )  # fmt: skip
    campuses = _load_campuses(academies)
    return (
        f"Clubs école-entreprise : {created_clubs} créé(s) ({Club.objects.count()} au total), "
        f"{created_mandates} mandat(s) ; campus des métiers : {campuses} créé(s)."
    )


def _add_members(admin, club, bassin, hub) -> None:
    if hub is not None and hub.memberships.filter(bassin=bassin).exists():
        services.club_member_add(
            user=admin, club=club, full_name=f"{hub.get_full_name()} (démo)", email=hub.email,
            function="Animateur du pôle de stages", by_right=ByRight.POLE_ANIMATOR,
        )  # fmt: skip
    schools = Establishment.objects.filter(bassin=bassin, kind__in=["college", "lycee"])
    for school in schools.order_by("uai")[:2]:
        services.club_member_add(user=admin, club=club, establishment=school)
    company = Organisation.objects.filter(
        kind=OrganisationKind.COMPANY, is_demo=True, commune__establishments__bassin=bassin
    ).first()
    if company is not None:
        services.club_member_add(user=admin, club=club, organisation=company)


CAMPUSES = [
    # Labelled in 2015 (12 mesures, fiche 4: « de l'aéronautique et du spatial […] académie
    # de Toulouse »); the dates here are those of the demonstration.
    ("16", "Campus des métiers et des qualifications de l'aéronautique et du spatial",
     "Aéronautique et spatial", date(2023, 1, 1), False),
    ("11", "Campus des métiers et des qualifications de la transition énergétique (démo)",
     "Énergies renouvelables et bâtiment durable", date(2022, 9, 1), True),
]  # fmt: skip


def _load_campuses(academies) -> int:
    by_code = {a.code: a for a in academies}
    created = 0
    for code, name, sector, start, is_demo in CAMPUSES:
        academie = by_code.get(code)
        if academie is None or Campus.objects.filter(name=name, academie=academie).exists():
            continue
        lycees = Establishment.objects.filter(academie=academie, vocational_track=True)
        head = lycees.order_by("uai").first()
        campus = Campus.objects.create(
            name=name, sector=sector, academie=academie, head_establishment=head,
            label_starts_on=start, label_ends_on=rules.campus_label_end(start),
            label_reference="Labellisation par le ministère (données de démonstration)",
            is_demo=is_demo,
            search_text=services.campus_search_text(Campus(name=name, sector=sector)),
        )  # fmt: skip
        created += 1
        for school in lycees.order_by("uai")[:3]:
            CampusMember.objects.create(
                campus=campus, kind=CampusMemberKind.SCHOOL, establishment=school
            )
        CampusMember.objects.create(
            campus=campus, kind=CampusMemberKind.HIGHER_EDUCATION,
            name="Université de la région (démo)",
        )  # fmt: skip
        CampusMember.objects.create(
            campus=campus, kind=CampusMemberKind.COMMUNITY, name="Région Occitanie"
        )
        company = Organisation.objects.filter(is_demo=True, academie=academie).first()
        if company is not None:
            CampusMember.objects.create(
                campus=campus, kind=CampusMemberKind.COMPANY, organisation=company
            )
    return created
