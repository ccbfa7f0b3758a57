"""Demo data of the pôles de stages, loaded by `load_demo` after the partners and the accounts.

- a pôle for every bassin of the demo académies (Montpellier, Toulouse);
- in the bassin of the demo pôle member: internship periods of its collèges (most of them the
  same week, so that the calendar shows a concentration), offers of the demo companies with
  places, and about thirty fictitious pupils of the demo collège (last name « Démo »), put
  on its roster (``relais.pupils``) with cases at every step of the path, built through the
  services (journals, proposals, places);
- the engine at work (``demo_scene``): offers near the pupils in a week of school days, a
  scarce family, priority pupils referred after others, a pôle de filière, two runs where
  the engine places clearly more than « first come, first served » and closes the gap.

The pupils are invented; no real person is named. The notifications of the demo are
journaled but not sent (dummy e-mail backend while loading). Idempotent: a second run
changes nothing (the demo collège already has cases).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from relais.establishments.models import Establishment
from relais.nomenclatures.models import RomeCode
from relais.organisations.models import Organisation
from relais.pupils.services import pupil_create
from relais.territories.models import Bassin
from relais.users.enums import Role
from relais.users.models import Membership, User

from . import demo_scene, services
from .enums import HubKind, OfferState
from .holidays import week_warnings, zone_of
from .models import InternshipOffer, InternshipPeriod, PlacementCase, PlacementHub
from .services.confidentiality import placement_confidentiality_record
from .years import internship_year_label, internship_year_of

DEMO_ACADEMIES = ("11", "16")
DOMAIN = "demo.relais.example"
# Demo trades (relais.demo.DEMO_TRADES) → the ROME code (v4.60) of the job they show; an
# offer's title names that code's job (issue 15, item 11: titles that match their ROME code).
TRADE_ROME = {
    "Boulangerie": "D1102",  # Boulanger / Boulangère
    "Électricité générale": "F1602",  # Electricien / Electricienne du bâtiment
    "Garage": "I1604",  # Mécanicien / Mécanicienne automobile
    "Restaurant": "G1602",  # Commis / Commise de cuisine
    "Studio numérique": "M1805",  # Développeur / Développeuse informatique
    "Bureau d'études": "H1206",  # Ingénieur / Ingénieure R&D en industrie
    "Mécanique de précision": "H2903",  # Tourneur-fraiseur / Tourneuse-fraiseuse
    "Domaine viticole": "A1405",  # Arboriculteur / Arboricultrice
    "Hôtel": "G1703",  # Réceptionniste
    "Salon de coiffure": "D1202",  # Coiffeur / Coiffeuse
    "Menuiserie": "H2206",  # Menuisier / Menuisière
    "Atelier aéronautique": "I1602",  # Mécanicien / Mécanicienne avion
    "Paysagiste": "A1203",  # Agent / Agente d'entretien des espaces verts
    "Transports": "N4101",  # Conducteur / Conductrice de poids lourd
    "Clinique vétérinaire": "A1501",  # Auxiliaire vétérinaire
    "Pharmacie": "J1307",  # Préparateur / Préparatrice en pharmacie
    "Cabinet infirmier": "J1506",  # Infirmier / Infirmière en soins généraux (IDE)
    "Construction": "F1703",  # Maçon / Maçonne
    "Charcuterie": "D1103",  # Charcutier-traiteur / Charcutière-traiteuse
    "Jardinerie": "D1219",  # Vendeur / Vendeuse conseil en jardinerie
    "Cabinet comptable": "M1203",  # Comptable
    "Salle de sport": "G1204",  # Educateur sportif / Educatrice sportive
    "Crèche": "J1304",  # Auxiliaire de puériculture
    "Scierie": "H2202",  # Conducteur / Conductrice de machines à bois
    "Tableaux électriques": "H2605",  # Monteur-câbleur / Monteuse-câbleuse en électronique
}


def offer_title(rome: RomeCode) -> str:
    """The title of a demo offer: the job of its ROME code, so that both always agree."""
    return f"Découverte du métier « {rome.label} »"


# Fictitious tutors of the demo offers (civility, name, function): the convention de stage
# names a person, never a placeholder.
TUTORS = [
    ("Madame", "Claire Fabre", "responsable d'atelier"),
    ("Monsieur", "Karim Benali", "chef d'équipe"),
    ("Madame", "Sophie Roux", "gérante"),
    ("Monsieur", "Julien Martin", "responsable de production"),
]
FIRST_NAMES = [
    "Lina", "Noah", "Inès", "Adam", "Jade", "Yanis", "Lou", "Sacha", "Aya", "Nathan",
    "Maëlys", "Rayan", "Chloé", "Ilyes", "Léna", "Hugo", "Sofia", "Amir", "Zoé", "Lucas",
    "Nour", "Malo", "Camila", "Elias", "Louise", "Mohamed", "Rose", "Tiago", "Anaïs", "Ewen",
]  # fmt: skip
# Steps of the 30 pupils: how far each case goes along the path.
PLAN = (
    ["searching_alone"] * 4
    + ["helped_by_team"] * 4
    + ["referred"] * 10
    + ["proposal_sent"] * 4
    + ["accepted"] * 3
    + ["placed"] * 3
    + ["withdrawn", "declined"]
)


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _user(email: str) -> User | None:
    return User.objects.filter(email=f"{email}@{DOMAIN}").first()


def load() -> str:
    if not Bassin.objects.filter(academie__code__in=DEMO_ACADEMIES).exists():
        return ""
    dummy = "django.core.mail.backends.dummy.EmailBackend"
    with override_settings(EMAIL_BACKEND=dummy), transaction.atomic():
        hubs = _hubs()
        summary = _bassin_demo()
    return f"Pôles de stages : {hubs} pôle(s) ; {summary}"


def _hubs() -> int:
    created = 0
    for bassin in Bassin.objects.filter(academie__code__in=DEMO_ACADEMIES):
        _, new = PlacementHub.objects.get_or_create(
            bassin=bassin,
            kind=HubKind.BASSIN,
            defaults={
                "name": f"Pôle de stages du {bassin}",
                "email": f"pole.{bassin.code.lower()}@{DOMAIN}",
            },
        )
        created += new
    return PlacementHub.objects.filter(bassin__academie__code__in=DEMO_ACADEMIES).count()


def _bassin_demo() -> str:
    member, teacher = _user("pole.stages"), _user("enseignant")
    membership = Membership.objects.filter(user=member, role=Role.HUB_MEMBER).first()
    school_membership = Membership.objects.filter(user=teacher, role=Role.TEACHER).first()
    if member is None or teacher is None or membership is None or school_membership is None:
        return "comptes de démonstration absents"
    school = school_membership.establishment
    bassin = membership.bassin
    if school is None or bassin is None:
        return "comptes de démonstration absents"
    if PlacementCase.objects.filter(pupil__establishment=school).exists():
        return "données déjà chargées"
    # A week of school days (no holiday of the zone, no public holiday): issue 12, item 6.
    week = demo_scene.demo_week(bassin.academie, timezone.localdate())
    year = internship_year_label(week)
    periods = _periods(bassin, school, week, year)
    offers = _offers(bassin, member, week, near=demo_scene.near_communes(school))
    # Referred first (and opened first: the engine's referral order breaks ties of the same
    # second by case id), a neighbouring collège's pupils: see demo_scene.
    neighbours = demo_scene.neighbours_refer(
        bassin=bassin, school=school, week=week, year=internship_year_of(week), year_label=year
    )
    cases = _pupils(school, teacher, periods[school.pk], internship_year_of(week))
    demo_scene.priority_wishes(cases=cases, teacher=teacher)
    sent = _walk(cases, member, teacher, offers)
    # The engine at work (issue 12, item 8): demo_scene's docstring tells the story.
    scene = demo_scene.offers(
        bassin=bassin,
        school=school,
        member=member,
        referent=_user("referent.bassin"),
        academie_team=demo_scene.academie_team(bassin),
        week=week,
    )
    runs = demo_scene.runs(
        hub=PlacementHub.of_bassin(bassin),
        member=member,
        week=week,
        withdrawn=scene[0] if scene else None,
    )
    return (
        f"{len(periods)} période(s), {len(offers) + len(scene)} offre(s), "
        f"{len(cases) + len(neighbours)} élève(s) fictif(s), {sent} proposition(s), {runs}"
    )


def _periods(bassin, school, week, year) -> dict[int, InternshipPeriod]:
    """The 3e of every collège of the bassin: most the same week (the concentration Mesure 2
    wants to avoid), a few spread."""
    colleges = Establishment.objects.filter(bassin=bassin, kind="college").order_by("uai")
    periods = {}
    zone = zone_of(bassin.academie)
    for index, college in enumerate(colleges):
        start = week if index % 4 else week + datetime.timedelta(weeks=index % 3)
        if college.pk == school.pk:
            start = week
        start = school_week(start, zone)
        periods[college.pk] = InternshipPeriod.objects.create(
            establishment=college,
            school_year=year,
            level="3e",
            start=start,
            end=start + datetime.timedelta(days=4),
            pupil_count=college.pupil_count // 4 if college.pupil_count else 120,
            school_insurer="Assureur de démonstration (responsabilité civile scolaire)",
            school_insurance_policy=f"DEMO-{college.uai}",
        )
    return periods


def school_week(monday: datetime.date, zone: str) -> datetime.date:
    """``monday``, or the first Monday after it whose week has neither school holidays of
    ``zone`` nor a public holiday (``holidays.week_warnings``): no demo period over the
    holidays (issue 15, item 11)."""
    for _ in range(20):
        if not week_warnings(monday, zone):
            return monday
        monday += datetime.timedelta(weeks=1)
    return monday


def _rome(trade: str) -> RomeCode | None:
    """The ROME code of a demo trade (None for a trade without one: no offer, rather than
    an offer under another job's code)."""
    code = TRADE_ROME.get(trade)
    return RomeCode.objects.filter(code=code).first() if code else None


def _offers(bassin, member, week, near=()) -> list[InternshipOffer]:
    companies = Organisation.objects.filter(
        is_demo=True, academie=bassin.academie, commune__isnull=False
    ).order_by("siret")[:12]
    offers = []
    for index, company in enumerate(companies):
        trade = next((t for t in TRADE_ROME if company.name.startswith(t)), "")
        rome = _rome(trade)
        if rome is None:
            continue
        offer = services.offer_create(
            user=member,
            data={
                "host": company,
                "bassin": bassin,
                "title": offer_title(rome),
                "description": "Offre fictive de la démonstration de Relais.",
                "kind": "stage_3e",
                "rome": rome,
                "naf": company.naf,
                "levels": ["3e"],
                "address": "" if near else company.address,
                # Near the demo collège (its nearest communes), not 45 to 200 km away.
                "commune": near[index % len(near)] if near else company.commune,
                "accessible": index % 3 != 0,
                "tutor_civility": TUTORS[index % len(TUTORS)][0],
                "tutor_name": TUTORS[index % len(TUTORS)][1],
                "tutor_function": TUTORS[index % len(TUTORS)][2],
                "tutor_email": f"tuteur{index + 1}@entreprise-demo.example",
                "hours_per_day": 6 + index % 2,
                "daily_schedule": "9 h – 12 h et 13 h 30 – 16 h 30"
                if index % 2
                else "9 h – 12 h et 14 h – 17 h",
                "activities": (
                    f"Découverte des métiers de l'entreprise ({trade.lower()}), observation "
                    "des postes de travail aux côtés du tuteur, entretien avec deux salariés, "
                    "rapport de stage préparé avec l'établissement."
                ),
                "host_insurer": "Assureur de démonstration (responsabilité civile entreprise)",
                "host_insurance_policy": f"RC-DEMO-{index + 1:03d}",
                "reserved_places": 1 if index % 4 == 0 else 0,
            },
            slots={week: 1 + index % 3, week + datetime.timedelta(weeks=1): 1},
        )
        if index < 10:
            services.offer_publish(user=member, offer=offer, note="Démonstration")
        offers.append(offer)
    return offers


def _pupils(school, teacher, period, year: int) -> list:
    """The pupils on the school's roster (``relais.pupils``), each with a case carrying the
    search data (period, wishes, distance)."""
    families = sorted(
        {o.rome.code[:3] for o in InternshipOffer.objects.filter(state=OfferState.PUBLISHED)}
    )
    cases = []
    for index, step in enumerate(PLAN):
        wishes = [families[(index + k) % len(families)] for k in range(2)] if families else []
        pupil = pupil_create(
            user=teacher,
            establishment=school,
            data={
                "first_name": FIRST_NAMES[index % len(FIRST_NAMES)],
                "last_name": f"Démo {chr(65 + index % 26)}{index // 26 or ''}",
                "class_label": f"3e {'ABC'[index % 3]}",
                "level": "3e",
                "school_year": year,
                "qpv": index % 5 == 0,
                "newly_arrived": index % 11 == 0,
                "disability": index % 13 == 0,
            },
        )
        case = services.case_open(
            user=teacher,
            pupil=pupil,
            data={"period": period, "wishes": wishes, "max_km": 10 + 5 * (index % 4)},
        )
        cases.append((case, step))
    return cases


def _walk(cases, member, teacher, offers) -> int:
    """Move each case along the path up to its planned step, through the services."""
    published = list(
        InternshipOffer.objects.filter(pk__in=[o.pk for o in offers], state=OfferState.PUBLISHED)
    )
    sent = 0
    for case, step in cases:
        if step == "searching_alone":
            continue
        services.case_move(user=teacher, case=case, step="aider")
        if step == "helped_by_team":
            continue
        if step == "withdrawn":
            services.case_move(
                user=teacher, case=case, step="retirer", note="Stage trouvé par la famille"
            )
            continue
        services.case_move(user=teacher, case=case, step="orienter", note="Aucune piste")
        if step == "referred":
            continue
        if step == "declined":
            services.case_move(user=member, case=case, step="decliner", note="Famille")
            continue
        proposal = _propose(case, member, published)
        if proposal is None:
            continue
        sent += 1
        if step in ("accepted", "placed"):
            tutor = proposal.slot.offer.tutor_name
            services.proposal_accept(proposal=proposal, answered_by_name=tutor)
        if step == "placed":
            placement = services.proposal_confirm(user=teacher, proposal=proposal)
            if sent % 2:  # half the signed conventions are back with the undertaking signed
                placement_confidentiality_record(user=teacher, placement=placement)
    return sent


def _propose(case, member, offers):
    case.refresh_from_db()
    week = case.period.start_weeks()[0]
    for offer in offers:
        slot = offer.slots.filter(week=week).first()
        if slot is None or slot.free <= 0 or case.pupil.level not in offer.levels:
            continue
        if case.needs_access and not offer.accessible:
            continue
        try:
            return services.proposal_send(user=member, case=case, slot=slot)
        except ValidationError:  # a place reserved for priority pupils: try the next offer
            continue
    return None
