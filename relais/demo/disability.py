"""Demo of disability (issue 15, item 8; CPME Île-de-France, art. 2.3: « faciliter ensemble
l'intégration de ces jeunes en situation de handicap dans les entreprises : entreprise
classique, entreprise adaptée ou ESAT »), loaded after the pôles de stages: a fictitious
entreprise adaptée and ESAT of the demo bassin, a published stage offer of the entreprise
adaptée, accessible, and a disability-awareness action of the ESAT in the catalogue, done
once at the demo collège. Idempotent: found by SIRET and title before being created."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from relais.actions.enums import ActionKind, Level
from relais.actions.enums import OfferState as ActionState
from relais.actions.models import ActionRecord
from relais.actions.models import Offer as ActionOffer
from relais.actions.services import offer_search_text
from relais.core.demo import DEMO_EMAIL_DOMAIN
from relais.core.school_years import school_year_of
from relais.establishments.models import Establishment
from relais.internships.demo_scene import demo_week
from relais.internships.models import InternshipOffer
from relais.internships.services import offer_create, offer_publish
from relais.nomenclatures.models import RomeCode
from relais.organisations.enums import OrganisationKind, OrganisationLevel
from relais.organisations.models import Organisation
from relais.organisations.services import organisation_search_text
from relais.users.models import User

from .loading import demo_siret

HOSTS = [
    (901, OrganisationKind.ADAPTED_COMPANY, "Entreprise adaptée Les Ateliers du Vidourle (démo)"),
    (902, OrganisationKind.ESAT, "ESAT Les Jardins de la Vaunage (démo)"),
]
OFFER_TITLE = "Découverte des métiers de la logistique en entreprise adaptée"
ACTION_TITLE = "Travailler avec un handicap : visite de l'ESAT et témoignages"


def _user(local: str) -> User | None:
    return User.objects.filter(email=f"{local}@{DEMO_EMAIL_DOMAIN}").first()


def _hosts(school: Establishment) -> list[Organisation]:
    hosts = []
    commune = school.commune
    for index, kind, name in HOSTS:
        siret = demo_siret(index)
        host, _ = Organisation.objects.get_or_create(
            siret=siret,
            defaults={
                "name": name, "kind": kind, "level": OrganisationLevel.LOCAL,
                "commune": commune, "postal_code": commune.postal_code if commune else "",
                "latitude": school.latitude, "longitude": school.longitude,
                "academie": school.academie, "academic_region": school.academie.region,
                "email": f"contact{index}@entreprise-demo.example", "is_demo": True,
                "description": "Structure fictive créée pour la démonstration de Relais.",
                "search_text": organisation_search_text(Organisation(name=name, siret=siret)),
            },
        )  # fmt: skip
        hosts.append(host)
    return hosts


def _stage_offer(host: Organisation, school: Establishment, member: User) -> bool:
    if InternshipOffer.objects.filter(host=host, title=OFFER_TITLE).exists() or not school.bassin:
        return False
    # N1103 « Préparateur / Préparatrice de commandes »: the job the title names (logistics).
    rome = RomeCode.objects.filter(code="N1103").first()
    if rome is None or host.commune is None:
        return False
    # A week of school days in the zone, no public holiday (issue 15, item 11).
    week = demo_week(school.academie, timezone.localdate())
    offer = offer_create(
        user=member,
        data={
            "host": host, "bassin": school.bassin, "title": OFFER_TITLE, "kind": "stage_3e",
            "description": "Préparation de commandes et conditionnement aux côtés de "
            "travailleurs en situation de handicap ; poste adapté (offre fictive).",
            "rome": rome, "levels": ["3e"], "commune": host.commune, "accessible": True,
            "tutor_civility": "Madame", "tutor_name": "Agnès Roussel",
            "tutor_function": "monitrice d'atelier",
            "tutor_email": "tutrice@entreprise-demo.example",
            "hours_per_day": 6, "daily_schedule": "9 h – 12 h et 13 h 30 – 16 h 30",
            "activities": "Observation des postes aménagés, entretien avec deux salariés.",
            "host_insurer": "Assureur de démonstration (responsabilité civile entreprise)",
            "host_insurance_policy": "RC-DEMO-EA",
        },
        slots={week: 2},
    )  # fmt: skip
    offer_publish(user=member, offer=offer, note="Démonstration")
    return True


def _action(host: Organisation, school: Establishment, team: User) -> bool:
    if ActionOffer.objects.filter(title=ACTION_TITLE).exists():
        return False
    now = timezone.now()
    offer = ActionOffer(
        organisation=host, kind=ActionKind.COMPANY_VISIT, title=ACTION_TITLE,
        description="Les élèves découvrent un ESAT, ses ateliers et ses travailleurs, qui "
        "racontent leur métier (action fictive de la démonstration).",
        levels=[Level.QUATRIEME, Level.TROISIEME], disability_awareness=True,
        academie=school.academie, bassin=school.bassin, capacity=4, state=ActionState.PUBLISHED,
        published_at=now, contact_email=host.email, is_demo=True, created_by=team,
    )  # fmt: skip
    offer.search_text = offer_search_text(offer)
    offer.save()
    done_on = timezone.localdate() - datetime.timedelta(days=12)
    ActionRecord.objects.create(
        establishment=school, organisation=host, offer=offer, kind=offer.kind,
        title=ACTION_TITLE, done_on=done_on, school_year=school_year_of(done_on),
        classes="4e A", pupil_count=24, recorded_by=team,
    )  # fmt: skip
    return True


def load() -> str:
    principal, member = _user("principal"), _user("pole.stages")
    team = _user("daet.montpellier")
    school = (
        Establishment.objects.filter(pk__in=principal.memberships.values("establishment_id"))
        .select_related("commune", "academie__region", "bassin")
        .first()
        if principal
        else None
    )
    if school is None or member is None or team is None:
        return ""
    with transaction.atomic():
        adapted, esat = _hosts(school)
        offer = _stage_offer(adapted, school, member)
        action = _action(esat, school, team)
    return (
        "Handicap : une entreprise adaptée et un ESAT, "
        f"{'une offre de stage accessible, ' if offer else ''}"
        f"{'une action de sensibilisation au handicap.' if action else 'déjà chargé.'}"
    )
