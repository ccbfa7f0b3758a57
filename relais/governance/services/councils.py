"""Conseils sectoriels nationaux (fiche mesure 5): « un nouvel espace de dialogue entre les
acteurs économiques et l'enseignement supérieur » at national level, one per sector (« Le
premier conseil sectoriel national sera mis en place pour la filière du numérique »).

A council is a governance body (``Body``, kind ``conseil_sectoriel``) with no convention,
club nor académie: its members, meetings, attendance and minutes are those of every body;
it adds its sector and its recommendations (``Recommendation``), each adopted at one of its
held meetings, on one of the questions the fiche lists, with the follow-up given to it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.validation import check_date_range
from relais.users.types import AnyUser

from ..enums import BodyKind, RecommendationTopic
from ..models import Body, Meeting, Recommendation
from ..perms import can_create_council
from .common import _require_body_manager


def council_create(*, user: AnyUser, name: str, sector: str, data: dict[str, Any]) -> Body:
    """The national administration sets up a council for a sector, at least one meeting per
    school year unless said otherwise; one council per sector."""
    if not can_create_council(user):
        raise PermissionDenied("Seule l'administration nationale crée un conseil sectoriel.")
    name, sector = (name or "").strip(), (sector or "").strip()
    errors = {}
    if not name:
        errors["name"] = "Indiquez le nom du conseil."
    if not sector:
        errors["sector"] = "Indiquez la filière du conseil."
    elif Body.objects.filter(kind=BodyKind.SECTOR_COUNCIL, sector__iexact=sector).exists():
        errors["sector"] = f"La filière « {sector} » a déjà son conseil sectoriel national."
    minimum = data.get("min_meetings_per_year") or 1
    if minimum < 1:
        errors["min_meetings_per_year"] = "Un conseil se réunit au moins une fois par an."
    if errors:
        raise ValidationError(errors)
    body = Body(
        name=name,
        kind=BodyKind.SECTOR_COUNCIL,
        sector=sector,
        min_meetings_per_year=minimum,
        rule_text=(data.get("rule_text") or "").strip(),
    )
    body.full_clean()
    body.save()
    return body


def _council(body: Body) -> None:
    if not body.is_sector_council:
        raise ValidationError("Seul un conseil sectoriel national émet des recommandations.")


@transaction.atomic
def recommendation_add(
    *,
    user: AnyUser,
    body: Body,
    topic: str,
    text: str,
    meeting: Meeting | None = None,
    addressed_to: str = "",
) -> Recommendation:
    """The council adopts a recommendation at one of its held meetings (or outside a meeting,
    by written consultation: no meeting), on a question of the fiche."""
    _require_body_manager(user, body)
    _council(body)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Écrivez la recommandation."})
    if meeting is not None and (meeting.body_id != body.pk or not meeting.is_held):
        raise ValidationError({"meeting": "Choisissez une réunion tenue de ce conseil."})
    recommendation = Recommendation(
        body=body,
        meeting=meeting,
        topic=RecommendationTopic(topic),
        text=text,
        addressed_to=(addressed_to or "").strip(),
    )
    recommendation.full_clean()
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_follow_up(
    *,
    user: AnyUser,
    recommendation: Recommendation,
    follow_up: str,
    on: date | None = None,
) -> Recommendation:
    """Record what was done with a recommendation (a new diploma, a training opened…), on a
    date not in the future."""
    _require_body_manager(user, recommendation.body)
    follow_up = (follow_up or "").strip()
    if not follow_up:
        raise ValidationError({"follow_up": "Décrivez les suites données."})
    on = on or timezone.localdate()
    check_date_range(on, "followed_up_on")
    if on > timezone.localdate():
        raise ValidationError({"followed_up_on": "La date des suites ne peut être future."})
    recommendation.follow_up = follow_up
    recommendation.followed_up_on = on
    recommendation.save(update_fields=["follow_up", "followed_up_on", "updated_at"])
    return recommendation
