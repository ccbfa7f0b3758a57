"""Demo of the training offer and of the young newcomers (issue 15, items 5 and 6), loaded
after the conventions: in the académie of Montpellier,

- an inventory of sections in its lycées professionnels (CAP, bac pro; school,
  apprenticeship, mixed; capacities), a métier en tension reported by the partner of the
  Montpellier CEE convention (MEDEF Occitanie) in the hôtellerie-restauration, an opening
  under concertation (its opinion awaited) and a closing decided after a favourable opinion;
- the CASNAV (account ``casnav.montpellier@…``, no other role) with two CVs of young
  newcomers (first name and initial only, consent recorded), shared with MEDEF Occitanie,
  whose convention gains a « CASNAV » commitment for the demonstration (the CPME
  Île-de-France text's article 2.2 applied to the demo académie), and a demo company member
  of it (account ``entreprise@…``) that has written a promise of apprenticeship.

Idempotent: nothing is created twice (found by diploma, e-mail, first name)."""

from __future__ import annotations

import datetime
import secrets
from functools import cache

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from relais.agreements.enums import AgreementKind, AgreementState, CommitmentCategory
from relais.agreements.models import Agreement, Commitment
from relais.core.demo import DEMO_EMAIL_DOMAIN
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.users.enums import Role
from relais.users.models import Membership, User

from .enums import AnswerState, ChangeKind, ChangeState, ConsentGiver, Opinion, SectionState
from .models import (
    CasnavStaff,
    Newcomer,
    NewcomerAnswer,
    NewcomerShare,
    SectionChange,
    SectionOpinion,
    ShortageReport,
    TrainingSection,
)
from .services.newcomers import CONSENT_VERSION, retention_months
from .workflows import ANSWER_WORKFLOW, CHANGE_WORKFLOW

# (diploma, level, sector, NSF, status, capacity)
SECTIONS = [
    ("CAP Cuisine", "cap", "G", "221", "apprentissage", 12),
    ("Bac pro Commercialisation et services en restauration", "bac_pro", "G", "334", "mixte", 24),
    ("CAP Maçon", "cap", "F", "232", "scolaire", 15),
    ("Bac pro Maintenance des systèmes de production connectés", "bac_pro", "I", "250",
     "scolaire", 30),
    ("CAP Boulanger", "cap", "D", "221", "apprentissage", 10),
    ("BTS Gestion des transports et logistique associée", "bts", "N", "311", "mixte", 24),
]  # fmt: skip
NEWCOMERS = [
    ("Amadou", "D", 2007, "peul, anglais", "A2", "G", "Commis de cuisine"),
    ("Leyla", "K", 2008, "dari, persan", "A2", "D", "Vendeuse en boulangerie"),
]


def _user(local: str, first: str, last: str, job: str) -> User:
    user, created = User.objects.get_or_create(
        email=f"{local}@{DEMO_EMAIL_DOMAIN}",
        defaults={"first_name": first, "last_name": last, "job_title": job, "is_demo": True},
    )
    if created:
        user.set_password(settings.RELAIS_DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@cache
def _cv_pdf() -> bytes:
    """One fictitious CV for the demo's young people (rendered once)."""
    from weasyprint import HTML

    pdf: bytes = HTML(
        string="<h1>CV (démonstration)</h1><p>Parcours en UPE2A, stage d'observation en "
        "entreprise, langues parlées, projet d'apprentissage.</p>"
    ).write_pdf()
    return pdf


def _sections(academie: Academie, team: User, partner: Organisation) -> int:
    lycees = Establishment.objects.filter(academie=academie, kind="lycee").order_by("uai")
    schools = list(lycees.filter(vocational_track=True)[:3]) or list(lycees[:3])
    if not schools:
        return 0
    created = 0
    for index, (diploma, level, sector, nsf, status, capacity) in enumerate(SECTIONS):
        _, new = TrainingSection.objects.get_or_create(
            establishment=schools[index % len(schools)], diploma=diploma, status=status,
            defaults={"level": level, "sector": sector, "nsf_code": nsf, "capacity": capacity,
                      "opened_on": datetime.date(2019, 9, 1)},
        )  # fmt: skip
        created += new
    if not created:
        return 0
    today = timezone.localdate()
    ShortageReport.objects.create(
        organisation=partner, academie=academie, sector="G", job="Cuisinier, commis de cuisine",
        comment="Les restaurants du littoral ne pourvoient pas leurs postes de commis.",
        reported_on=today - datetime.timedelta(days=40),
    )  # fmt: skip
    opening = SectionChange.objects.create(
        kind=ChangeKind.OPEN, establishment=schools[0], academie=academie,
        diploma="CAP Commis de cuisine", level="cap", sector="G", nsf_code="221",
        status="apprentissage", capacity=12,
        reason="Métier en tension signalé par le partenaire : postes de commis non pourvus.",
        effective_on=datetime.date(today.year + 1, 9, 1), state=ChangeState.CONSULTATION,
        opinion_deadline=today + datetime.timedelta(days=20), created_by=team,
    )  # fmt: skip
    SectionOpinion.objects.create(change=opening, organisation=partner)
    CHANGE_WORKFLOW.log_creation(opening, user=team)
    CHANGE_WORKFLOW.write_journal(
        opening, transition="soumettre", from_state=ChangeState.DRAFT, user=team,
        note=f"Consultées : {partner.name}",
    )  # fmt: skip
    closed = TrainingSection.objects.get(diploma="CAP Maçon", establishment__academie=academie)
    closing = SectionChange.objects.create(
        kind=ChangeKind.CLOSE, establishment=closed.establishment, academie=academie,
        section=closed,
        reason="Trois rentrées sans candidat ; la section du lycée voisin accueille les élèves.",
        effective_on=datetime.date(today.year, 9, 1), state=ChangeState.ADOPTED,
        opinion_deadline=today - datetime.timedelta(days=60),
        decided_on=today - datetime.timedelta(days=30),
        created_by=team,
    )  # fmt: skip
    SectionOpinion.objects.create(
        change=closing, organisation=partner, opinion=Opinion.FAVOURABLE,
        comment="Les entreprises du bassin recrutent au lycée voisin.",
        answered_at=timezone.now() - datetime.timedelta(days=70),
    )  # fmt: skip
    CHANGE_WORKFLOW.log_creation(closing, user=team)
    closed.state, closed.closed_on = SectionState.CLOSED, closing.effective_on
    closed.save()
    return created


def _newcomers(
    academie: Academie, partner: Organisation, casnav: User, company: Organisation, rep: User
) -> int:
    if Newcomer.objects.filter(academie=academie, first_name=NEWCOMERS[0][0]).exists():
        return 0
    today = timezone.localdate()
    for index, (first, initial, born, languages, level, sector, wish) in enumerate(NEWCOMERS):
        adult = today.year - born >= 18
        newcomer = Newcomer(
            academie=academie, token=secrets.token_hex(16), first_name=first, initial=initial,
            birth_year=born, languages=languages, french_level=level, sector=sector, wish=wish,
            consent_giver=ConsentGiver.YOUNG if adult else ConsentGiver.GUARDIAN,
            consent_name=f"{first} {initial}." if adult else f"Représentant légal de {first}",
            consent_at=timezone.now(), consent_version=CONSENT_VERSION, uploaded_by=casnav,
            retention_until=today + relativedelta(months=retention_months()),
        )  # fmt: skip
        newcomer.cv.save(
            f"{newcomer.token}.pdf",
            ContentFile(_cv_pdf()),
            save=False,
        )
        newcomer.save()
        share = NewcomerShare.objects.create(
            newcomer=newcomer, organisation=partner, shared_by=casnav
        )
        if index == 0:
            answer = NewcomerAnswer.objects.create(
                newcomer=newcomer, company=company, via=share, answered_by=rep,
                note="Nous pouvons l'accueillir en apprentissage à la rentrée.",
            )  # fmt: skip
            ANSWER_WORKFLOW.log_creation(answer, user=rep, note=f"{company} est intéressée")
            for name, target in (
                ("proposer_entretien", AnswerState.INTERVIEW),
                ("promettre", AnswerState.PROMISE),
            ):
                before, answer.state = answer.state, target
                if target == AnswerState.INTERVIEW:
                    answer.interview_on = today - datetime.timedelta(days=5)
                else:
                    answer.contract_kind = "apprentissage"
                answer.save()
                ANSWER_WORKFLOW.write_journal(answer, transition=name, from_state=before, user=rep)
    return len(NEWCOMERS)


def load() -> str:
    academie = Academie.objects.filter(name__iexact="Montpellier").first()
    team = User.objects.filter(email=f"daet.montpellier@{DEMO_EMAIL_DOMAIN}").first()
    agreement = (
        Agreement.objects.filter(
            kind=AgreementKind.CEE, state=AgreementState.IN_FORCE, academie=academie
        )
        .order_by("pk")
        .first()
    )
    party = (
        agreement.parties.filter(organisation__isnull=False).order_by("order").first()
        if agreement
        else None
    )
    if academie is None or agreement is None or team is None or party is None:
        return ""
    if party.organisation is None:
        return ""
    partner = party.organisation
    company = (
        Organisation.objects.filter(academie=academie, kind="entreprise", is_demo=True)
        .order_by("siret")
        .first()
    )
    if company is None:
        return ""
    with transaction.atomic():
        if not agreement.commitments.filter(category=CommitmentCategory.CASNAV).exists():
            Commitment.objects.create(
                agreement=agreement, party=party, category=CommitmentCategory.CASNAV, quantity=15,
                description="Faire circuler auprès des adhérents les CV et lettres de motivation "
                "des jeunes allophones transmis par le CASNAV (démonstration)", article_number="2",
            )  # fmt: skip
        if company.parent_id is None:
            company.parent = partner
            company.save(update_fields=["parent"])
        casnav = _user("casnav.montpellier", "Inès", "Benali", "Coordinatrice du CASNAV")
        CasnavStaff.objects.get_or_create(
            user=casnav, academie=academie, defaults={"named_by": team}
        )
        rep = _user("entreprise", "Marc", "Vidal", f"Gérant — {company.name}")
        Membership.objects.get_or_create(user=rep, role=Role.ORGANISATION_REP, organisation=company)
        sections = _sections(academie, team, partner)
        young = _newcomers(academie, partner, casnav, company, rep)
    if not sections and not young:
        return "Offre de formation et jeunes allophones : déjà chargés."
    return (
        f"Offre de formation : {sections} sections, 2 évolutions, 1 métier en tension ; "
        f"CASNAV : {young} CV partagés, 1 promesse d'apprentissage."
    )
