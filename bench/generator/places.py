"""Territory and partners: bassins with their pôle and club, établissements,
organisations, and the members and mandates of the new clubs."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict

from .common import (
    DEMO_BASSIN_EXTRA,
    FIRST_NAMES,
    GENERATED_BASSIN_PREFIX,
    LAST_NAMES,
    TARGET,
    TRADES,
    Context,
    aware,
    bulk,
    log,
)

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
