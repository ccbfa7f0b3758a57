"""Demo of the conseillers de l'enseignement technologique (issue 15, item 3; fiche mesure 8),
loaded after the volunteers demo: the demo CET gets its specialty and its seats (the CLEE of
a bassin of the académie, a commission professionnelle consultative), and a second CET,
designated three years ago, whose mandate ends in 45 days (« Mandats à renouveler »), with an
intervention in a collège. Idempotent: found by e-mail; seats added once."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from relais.core.demo import DEMO_EMAIL_DOMAIN
from relais.establishments.models import Establishment
from relais.networks.models import Club
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.users.models import User

from .enums import AdvisorKind, SeatKind
from .models import Advisor, AdvisorIntervention
from .services import advisors, cet

FIRST_CET = ("Bernard", "Py", "Verre et matériaux, conduite de lignes de production")
RENEWAL = ("Martine", "Soulier", "Hôtellerie-restauration")


def _email(first: str, last: str) -> str:
    return f"{first}.{last}@{DEMO_EMAIL_DOMAIN}".lower()


def _renewal_cet(academie: Academie, team: User, organisation: Organisation) -> Advisor:
    """A CET designated on the first school day three years ago (its lettre de mission the
    same day), whose mandate ends in 45 days."""
    first, last, specialty = RENEWAL
    today = timezone.localdate()
    start = (today - timedelta(days=3 * 365 - 45)).replace(day=1)
    advisor = advisors.advisor_propose(
        user=team, kind=AdvisorKind.CET, academie=academie, organisation=organisation,
        data={"first_name": first, "last_name": f"{last} (démo)", "email": _email(first, last),
              "status": "employeur", "employer_name": "Hôtel du Peyrou (démo)",
              "sectors": "Hôtellerie, restauration", "specialty": specialty,
              "domains": ["parcours_avenir", "jurys"]},
    )  # fmt: skip
    advisor = advisors.advisor_designate(
        user=team, advisor=advisor, mandate_start=today, mandate_end=today + timedelta(days=45),
        mission="Conseiller les collèges et les lycées professionnels de la filière hôtelière "
        "(démonstration).", geographic_scope=str(academie),
        contact_name=team.get_full_name() or "DAET", contact_email=team.email,
    )  # fmt: skip
    # The term began three years ago: designation and start moved back together.
    Advisor.objects.filter(pk=advisor.pk).update(designated_on=start, mandate_start=start)
    advisor.refresh_from_db()
    advisor = advisors.advisor_confirm_employer_informed(
        user=team, advisor=advisor, informed_on=start + timedelta(days=5)
    )
    school = Establishment.objects.filter(academie=academie, kind="college").order_by("uai").first()
    if school is not None:
        AdvisorIntervention.objects.create(
            advisor=advisor, domain="parcours_avenir", establishment=school,
            date=today - timedelta(days=30), hours=Decimal("3.0"), recorded_by=team,
            description="Les métiers de la restauration en 4e (démonstration)",
        )  # fmt: skip
    return advisor


def load() -> str:
    academie = Academie.objects.filter(name__iexact="Montpellier").first()
    team = User.objects.filter(email=f"daet.montpellier@{DEMO_EMAIL_DOMAIN}").first()
    first = Advisor.objects.filter(email=_email(*FIRST_CET[:2])).first()
    if academie is None or team is None or first is None:
        return ""
    with transaction.atomic():
        if not first.specialty:
            Advisor.objects.filter(pk=first.pk).update(specialty=FIRST_CET[2])
        if first.is_appointed and not first.seats.exists():
            assert first.mandate_start is not None  # appointed
            club = Club.objects.filter(academie=academie).order_by("pk").first()
            if club is not None:
                cet.seat_add(user=team, advisor=first, kind=SeatKind.CLEE, club=club,
                             started_on=first.mandate_start)  # fmt: skip
            cet.seat_add(user=team, advisor=first, kind=SeatKind.CPC,
                         started_on=first.mandate_start, commission="CPC Industrie")  # fmt: skip
        renewal = Advisor.objects.filter(email=_email(*RENEWAL[:2])).first()
        if renewal is None:
            renewal = _renewal_cet(academie, team, first.organisation)
    return (
        f"CET : spécialité et sièges de {first.full_name}, mandat de {renewal.full_name} à "
        f"renouveler le {renewal.mandate_end:%d/%m/%Y}."
    )
