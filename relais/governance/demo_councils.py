"""Demo of the conseils sectoriels nationaux (issue 15, item 4; fiche mesure 5: « Le premier
conseil sectoriel national sera mis en place pour la filière du numérique »), loaded after the
conventions' bodies: the numérique council with members from the economic actors and higher
education, a meeting held last spring, one planned, and two recommendations (one followed
up). Idempotent: the council is found by its sector."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from . import services
from .demo import _admin
from .enums import BodyKind, MemberRole, RecommendationTopic
from .models import Body, Meeting

SECTOR = "Numérique"
# Members as the fiche describes them: « les acteurs socio-économiques » and « les acteurs de
# l'enseignement supérieur » (bodies named in clear: not in the partners' directory).
MEMBERS = [
    ("Direction générale de l'enseignement supérieur (DGESIP)", "Ministère", MemberRole.CHAIR),
    ("Représentant de la filière numérique", "Syntec Numérique", MemberRole.CHAIR),
    ("Représentant des universités", "Conférence des présidents d'université",
     MemberRole.MEMBER),
    ("Représentant des écoles d'ingénieurs", "CDEFI", MemberRole.MEMBER),
    ("Représentant de l'industrie", "Conseil national de l'industrie (CNI)", MemberRole.MEMBER),
]  # fmt: skip
RECOMMENDATIONS = [
    (RecommendationTopic.SKILLS, "Recenser chaque année les besoins en compétences de la "
     "filière (cybersécurité, données, très haut débit) et les publier aux établissements.",
     "Établissements d'enseignement supérieur", "Premier recensement publié."),
    (RecommendationTopic.WORK_STUDY, "Développer l'alternance dans les licences "
     "professionnelles du numérique, comme le prévoit le contrat de filière du 3 juillet "
     "2013.", "DGESIP", ""),
]  # fmt: skip


def _at(days: int) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def load() -> str:
    user = _admin()
    if user is None:
        return ""
    if Body.objects.filter(kind=BodyKind.SECTOR_COUNCIL, sector=SECTOR).exists():
        return "Conseils sectoriels nationaux : déjà chargés."
    council = services.council_create(
        user=user, name="Conseil sectoriel national du numérique", sector=SECTOR,
        data={"min_meetings_per_year": 2,
              "rule_text": "Le conseil se réunit au moins deux fois par an."},
    )  # fmt: skip
    for full_name, label, role in MEMBERS:
        services.member_add(
            user=user, body=council,
            data={"full_name": full_name, "organisation_label": label, "role": role},
        )  # fmt: skip
    held = services.meeting_plan(
        user=user, body=council, starts_at=_at(-150), place="Paris, ministère",
        agenda="Besoins en compétences de la filière ; alternance ; très haut débit.",
    )  # fmt: skip
    held = services.meeting_mark_held(user=user, meeting=held)
    services.meeting_plan(
        user=user, body=council, starts_at=_at(40), place="Paris, ministère",
        agenda="Suites des recommandations.",
    )  # fmt: skip
    for topic, text, addressed_to, follow_up in RECOMMENDATIONS:
        recommendation = services.recommendation_add(
            user=user, body=council, topic=topic, text=text, meeting=held,
            addressed_to=addressed_to,
        )  # fmt: skip
        if follow_up:
            services.recommendation_follow_up(
                user=user, recommendation=recommendation, follow_up=follow_up,
                on=timezone.localdate() - timedelta(days=60),
            )  # fmt: skip
    meetings = Meeting.objects.filter(body=council).count()
    return f"Conseils sectoriels nationaux : le conseil du numérique, {meetings} réunions."
