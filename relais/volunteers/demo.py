"""Demo data of the volunteers app, loaded by `load_demo` after the partners, the accounts and
the conventions (agreements demo): CEE designated under the demo CEE convention of Montpellier
with their lettres de mission, a CET, interventions, reservists (fictitious, « (démo) »), a
request to the demo reservist, immersion offers of demo companies and heads of school on the
56-hour course. Idempotent: each record is found by a natural key before it is created."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from relais.agreements.enums import (
    AgreementKind,
    AgreementScope,
    AgreementState,
    CommitmentCategory,
    PartySide,
)
from relais.agreements.models import Agreement, Commitment, Party
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie, Commune
from relais.users.models import User

from .enums import AdvisorKind, ApplicationState, CourseFunction, CoursePart
from .models import (
    Advisor,
    Course,
    CourseParticipant,
    ImmersionApplication,
    ImmersionOffer,
    ReserveApplication,
    ReserveRequest,
)
from .services import advisors, course, immersions, reserve

DOMAIN = "demo.relais.example"
FALLBACK_CEE_TITLE = "Convention CEE de démonstration (bénévoles et conseillers)"

# (first name, last name, status, employer, sectors, final state)
ADVISORS = [
    ("Hélène", "Garrigue", "salarie", "Bâtiments du Languedoc (démo)", "Bâtiment", "actif"),
    ("Karim", "Benali", "employeur", "Benali Électricité (démo)", "Électricité", "actif"),
    ("Sophie", "Vidal", "artisan", "Atelier Vidal (démo)", "Menuiserie", "actif"),
    ("Thomas", "Roux", "salarie", "Occitanie Logistique (démo)", "Logistique", "designe"),
    ("Amandine", "Fabre", "salarie", "Aéro Sud Composites (démo)", "Aéronautique", "propose"),
    ("Julien", "Marty", "salarie", "Sud Numérique (démo)", "Numérique", "refuse"),
]
# (first name, last name, profession, commune name, skills, availability, state)
RESERVISTS = [
    ("Nadia", "Ferrand", "Cheffe de chantier", None, ["metier", "egalite"], ["mercredi"],
     "validee"),
    ("Pierre", "Castan", "Ingénieur en robotique", None, ["sciences", "orientation"],
     ["matin", "ponctuel"], "validee"),
    ("Lucie", "Bonnet", "Infirmière", "Montpellier", ["metier", "citoyennete"], ["apres_midi"],
     "validee"),
    ("Marc", "Delmas", "Expert-comptable", "Nîmes", ["entreprendre", "stage"], ["ponctuel"],
     "validee"),
    ("Inès", "Roussel", "Développeuse", "Sète", ["numerique"], ["mercredi"], "deposee"),
    ("Yves", "Campos", "Boulanger", "Béziers", ["metier"], ["matin"], "deposee_ancienne"),
]  # fmt: skip


def _email(first: str, last: str) -> str:
    from relais.core.text import search_key

    return f"{search_key(first)}.{search_key(last)}".replace(" ", "-") + f"@{DOMAIN}"


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def load() -> str:
    montpellier = Academie.objects.filter(name__iexact="Montpellier").first()
    team = _user(f"daet.montpellier@{DOMAIN}")
    if montpellier is None or team is None:
        return ""
    with transaction.atomic():
        agreement, own = _cee_agreement(montpellier, team)
        count_advisors = _advisors(montpellier, team, agreement)
        count_reservists = _reserve(montpellier, team)
        count_offers = _immersions(montpellier, team)
        count_course = _course(montpellier, team)
    origin = "créée par les bénévoles" if own else f"{agreement.number}"
    return (
        f"Bénévoles : {count_advisors} conseillers CEE/CET (convention {origin}), "
        f"{count_reservists} réservistes, {count_offers} offres d'immersion, "
        f"{count_course} personnes au parcours de 56 heures."
    )


def _cee_agreement(academie, team) -> tuple[Agreement, bool]:
    """The demo CEE convention in force of the académie (the agreements demo creates it); if
    none exists, a minimal one, clearly titled as a demo, signed by MEDEF Occitanie."""
    existing = (
        Agreement.objects.filter(
            kind=AgreementKind.CEE, state=AgreementState.IN_FORCE, academie=academie
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        return existing, existing.title == FALLBACK_CEE_TITLE
    organisation = Organisation.objects.filter(name="MEDEF Occitanie").first()
    start = timezone.localdate().replace(month=9, day=1) - timedelta(days=365)
    agreement = Agreement.objects.create(
        number="CEE-DEMO-BENEVOLES", title=FALLBACK_CEE_TITLE, kind=AgreementKind.CEE,
        scope=AgreementScope.ACADEMIE, state=AgreementState.IN_FORCE, academie=academie,
        academic_region=academie.region, duration_months=36, tacit_renewal=False,
        signed_on=start, start_date=start,
        current_end=start.replace(year=start.year + 3) - timedelta(days=1), created_by=team,
    )  # fmt: skip
    Party.objects.create(agreement=agreement, name=str(academie), side=PartySide.EDUCATION)
    if organisation is not None:
        party = Party.objects.create(
            agreement=agreement, order=1, organisation=organisation, name=organisation.name,
            side=PartySide.ECONOMIC,
        )  # fmt: skip
        Commitment.objects.create(
            agreement=agreement, party=party, category=CommitmentCategory.CEE, quantity=10,
            description="Mobiliser 10 conseillers entreprises pour l'école", article_number="1",
        )  # fmt: skip
    return agreement, True


def _advisors(academie, team, agreement) -> int:
    organisation = agreement.parties.filter(organisation__isnull=False).order_by("order").first()
    if organisation is None:
        return 0
    organisation = organisation.organisation
    schools = list(
        Establishment.objects.filter(academie=academie, kind="college").order_by("uai")[:4]
    )
    today = timezone.localdate()
    start = max(agreement.start_date or today, today - timedelta(days=120))
    rows = [(*row, AdvisorKind.CEE) for row in ADVISORS]
    rows.append(("Bernard", "Py", "salarie", "Verrerie du Gard (démo)", "Industrie", "actif",
                 AdvisorKind.CET))  # fmt: skip
    for first, last, status, employer, sectors, state, kind in rows:
        email = _email(first, last)
        if Advisor.objects.filter(email=email).exists():
            continue
        advisor = advisors.advisor_propose(
            user=team, kind=kind, academie=academie, organisation=organisation,
            agreement=agreement if kind == AdvisorKind.CEE else None,
            data={"first_name": first, "last_name": f"{last} (démo)", "email": email,
                  "status": status, "employer_name": employer, "sectors": sectors,
                  "domains": ["parcours_avenir", "periodes_entreprise", "jurys"]},
        )  # fmt: skip
        if state == "refuse":
            advisors.advisor_refuse(
                user=team, advisor=advisor, reason="Secteur déjà couvert (démonstration)."
            )
            continue
        if state == "propose":
            continue
        end = advisors.default_mandate(advisor, start=start)
        # Designated on the day the mandate starts (``today=start``): a lettre de mission
        # never starts before its designation (issue 15, item 11).
        advisor = advisors.advisor_designate(
            user=team, advisor=advisor, mandate_start=start, mandate_end=end,
            mission="Accompagner les collèges du bassin dans le parcours Avenir et les "
            "périodes en entreprise ; participer aux jurys (démonstration).",
            geographic_scope=str(academie), contact_name=team.get_full_name() or "DAET",
            contact_email=team.email, contact_phone="04 67 91 00 00", today=start,
        )  # fmt: skip
        if state == "actif":
            advisor = advisors.advisor_confirm_employer_informed(
                user=team, advisor=advisor, informed_on=today
            )
            for index, school in enumerate(schools[:2]):
                advisors.intervention_record(
                    user=team, advisor=advisor, domain="parcours_avenir", establishment=school,
                    date=max(start, today - timedelta(days=10 * (index + 1))),
                    hours=Decimal("2.0"), description="Présentation des métiers (démonstration)",
                )  # fmt: skip
    return Advisor.objects.filter(email__endswith=f"@{DOMAIN}").count()


def _reserve(academie, team) -> int:
    teacher = _user(f"enseignant@{DOMAIN}")
    school = (
        Establishment.objects.filter(pk__in=teacher.memberships.values("establishment"))
        .select_related("commune")
        .first()
        if teacher
        else None
    )
    volunteer = _user(f"reserviste@{DOMAIN}")
    now = timezone.now()
    for index, (first, last, job, commune_name, skills, availability, state) in enumerate(
        RESERVISTS
    ):
        email = volunteer.email if index == 0 and volunteer else _email(first, last)
        if index == 0 and volunteer and volunteer.first_name:
            # The demo réserviste's profile carries the account's own name: the e-mails
            # greet them by it (issue 14), not by another person's.
            first, last = volunteer.first_name, volunteer.last_name
        if ReserveApplication.objects.filter(email=email).exists():
            continue
        commune = _commune(academie, commune_name, school)
        if commune is None:
            continue
        old = state == "deposee_ancienne"
        application = reserve.application_submit(
            data={"first_name": first, "last_name": f"{last} (démo)", "email": email,
                  "profession": job, "skills": skills, "availability": availability,
                  "commune": commune, "max_distance_km": 40, "charter_accepted": True,
                  "confidentiality_accepted": True},
            now=now - timedelta(days=75 if old else 10),
        )  # fmt: skip
        assert application is not None  # a new address: the application is written
        ReserveApplication.objects.filter(pk=application.pk).update(is_demo=True)
        if state == "validee":
            application = reserve.application_validate(user=team, application=application)
            assert application.user_id is not None  # validated: the reservist has an account
            User.objects.filter(pk=application.user_id).update(is_demo=True)
    _demo_request(teacher, school, volunteer)
    return ReserveApplication.objects.filter(is_demo=True).count()


def _commune(academie, name, school):
    if name is None:
        return school.commune if school else None
    return Commune.objects.filter(name=name, departement__academie=academie).order_by("pk").first()


def _demo_request(teacher, school, volunteer) -> None:
    """A request from the demo teacher to the demo reservist, waiting for an answer."""
    if not (teacher and school and volunteer):
        return
    reservist = ReserveApplication.objects.filter(
        user=volunteer, state=ApplicationState.VALIDATED
    ).first()
    if reservist is None or ReserveRequest.objects.filter(reservist=reservist).exists():
        return
    reserve.request_send(
        user=teacher, reservist=reservist, establishment=school,
        subject="Présenter les métiers du bâtiment en 4e (démonstration)",
        message="Classe de 4e B, 26 élèves, dans le cadre du parcours Avenir.", skill="metier",
    )  # fmt: skip


def _immersions(academie, team) -> int:
    companies = list(
        Organisation.objects.filter(is_demo=True, academie=academie).order_by("name")[:3]
    )
    today = timezone.localdate()
    for index, company in enumerate(companies):
        title = f"Immersion chez {company.name}"
        if ImmersionOffer.objects.filter(title=title).exists():
            continue
        start = today + timedelta(days=30 + 14 * index)
        offer = immersions.offer_create(
            user=team, organisation=company,
            data={"title": title, "description": "Découverte des métiers, de l'organisation "
                  "et du recrutement de l'entreprise (démonstration).", "start_date": start,
                  "end_date": start + timedelta(days=index % 3), "capacity": 2 + index},
        )  # fmt: skip
        ImmersionOffer.objects.filter(pk=offer.pk).update(is_demo=True)
        teacher = _user(f"enseignant@{DOMAIN}")
        if index == 0 and teacher and not ImmersionApplication.objects.filter(offer=offer).exists():
            application = immersions.immersion_apply(
                user=teacher, offer=offer, motivation="Mieux conseiller mes élèves de 3e.",
                confidentiality_accepted=True,
            )  # fmt: skip
            immersions.immersion_approve(user=team, application=application)
    return ImmersionOffer.objects.filter(is_demo=True).count()


def _course(academie, team) -> int:
    title = "Parcours de 56 heures — nouveaux personnels de direction (démonstration)"
    today = timezone.localdate()
    existing = Course.objects.filter(title=title).first()
    if existing is None:
        existing = course.course_create(
            user=team, academie=academie,
            data={"title": title, "start_date": today - timedelta(days=90),
                  "preparation_end": today - timedelta(days=45),
                  "immersion_end": today + timedelta(days=30), "end_date": today + timedelta(60)},
        )  # fmt: skip
    schools = list(
        Establishment.objects.filter(academie=academie, kind="college").order_by("uai")[4:8]
    )
    people = [
        (
            "Claire Morel (démo)",
            CourseFunction.HEAD_OF_SCHOOL,
            {"preparation": 12, "immersion": 21},
        ),
        ("Rachid Amrani (démo)", CourseFunction.HEAD_OF_SCHOOL, {"preparation": 12}),
        ("Élise Fontaine (démo)", CourseFunction.INSPECTOR, {"preparation": 6}),
        ("Paul Serre (démo)", CourseFunction.HEAD_OF_SCHOOL, {}),
    ]
    for index, (name, function, hours) in enumerate(people):
        email = _email(*name.replace(" (démo)", "").split(" ", 1))
        if CourseParticipant.objects.filter(course=existing, email=email).exists():
            continue
        participant = course.participant_add(
            user=team, course=existing,
            data={"full_name": name, "email": email, "function": function,
                  "establishment": schools[index] if index < len(schools) else None},
        )  # fmt: skip
        CourseParticipant.objects.filter(pk=participant.pk).update(is_demo=True)
        for part, amount in hours.items():
            day = existing.start_date + timedelta(days=10 if part == "preparation" else 50)
            course.hours_record(
                user=team, participant=participant, part=CoursePart(part),
                hours=Decimal(amount), done_on=min(day, today),
            )  # fmt: skip
    return existing.participants.count()
