"""Bodies (instances) and their members: creation with the meeting rule quoted from the
text, changes, members joining and leaving, the co-animators' seats."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from relais.agreements.enums import AgreementKind
from relais.agreements.models import Agreement
from relais.users.models import User
from relais.users.types import AnyUser

from ..enums import BodyKind, MemberRole
from ..models import Body, BodyMember
from ..perms import ClubLike, can_manage_club, can_manage_report
from .common import _locked, _require_body_manager

BODY_FIELDS = ("name", "kind", "min_meetings_per_year", "required_months", "rule_text")
MEMBER_FIELDS = ("full_name", "email", "organisation", "organisation_label", "role", "user")


def _check_body(data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    months = data.get("required_months") or []
    if any(not 1 <= m <= 12 for m in months):
        errors["required_months"] = "Un mois imposé est compris entre 1 (janvier) et 12."
    elif len(set(months)) > data.get("min_meetings_per_year", 1):
        errors["min_meetings_per_year"] = (
            "Le nombre minimal de réunions ne peut pas être inférieur au nombre de mois imposés."
        )
    if data.get("min_meetings_per_year", 1) < 1:
        errors["min_meetings_per_year"] = "Une instance se réunit au moins une fois par an."
    if errors:
        raise ValidationError(errors)


def body_create(
    *,
    user: AnyUser,
    data: dict[str, Any],
    agreement: Agreement | None = None,
    club: ClubLike | None = None,
) -> Body:
    """Create a body of a convention (comité stratégique, comité de pilotage, groupe projet)
    or of a club (comité de pilotage de club), with the meeting rule quoted from its text.
    The académie that runs it is the convention's (none for a national or regional one) or
    the club's."""
    if (agreement is None) == (club is None):
        raise ValidationError("Une instance relève d'une convention ou d'un club, pas des deux.")
    if data.get("kind") == BodyKind.SECTOR_COUNCIL:
        raise ValidationError(
            {"kind": "Un conseil sectoriel national ne relève d'aucune convention ni d'aucun "
             "club : créez-le depuis la page des conseils sectoriels."}
        )  # fmt: skip
    if agreement is not None:
        if agreement.kind == AgreementKind.AVENANT:
            raise ValidationError(
                {"agreement": "Une instance relève de la convention, pas de son avenant."}
            )
        if not can_manage_report(user, agreement):
            raise PermissionDenied(
                "Seule l'équipe qui gère cette convention peut créer ses instances."
            )
        if data.get("kind") == BodyKind.CLUB_STEERING:
            raise ValidationError({"kind": "Le comité de pilotage de club relève d'un club."})
        academie_id = agreement.academie_id
    elif club is not None:  # always, when there is no convention (checked above)
        if not can_manage_club(user, club):
            raise PermissionDenied("Vous ne pouvez pas créer d'instance pour ce club.")
        if data.get("kind") != BodyKind.CLUB_STEERING:
            raise ValidationError({"kind": "Un club a un comité de pilotage de club."})
        academie_id = club.academie_id
    data = {k: data[k] for k in BODY_FIELDS if k in data}
    data["required_months"] = sorted(set(data.get("required_months") or []))
    _check_body({"min_meetings_per_year": 1, **data})
    return Body.objects.create(
        agreement=agreement,
        club_id=club.pk if club is not None else None,  # a networks.Club: see ClubLike
        academie_id=academie_id,
        **data,
    )


def body_update(*, user: AnyUser, body: Body, data: dict[str, Any]) -> Body:
    """Change a body's name, kind or meeting rule (the kind of a club's body is fixed)."""
    _require_body_manager(user, body)
    data = {k: data[k] for k in BODY_FIELDS if k in data}
    if "required_months" in data:
        data["required_months"] = sorted(set(data["required_months"] or []))
    kind = data.get("kind", body.kind)
    if (kind == BodyKind.CLUB_STEERING) != (body.club_id is not None):
        raise ValidationError({"kind": "Seul un club a un comité de pilotage de club."})
    if (kind == BodyKind.SECTOR_COUNCIL) != body.is_sector_council:
        raise ValidationError({"kind": "Un conseil sectoriel national le reste, et lui seul."})
    with transaction.atomic():
        _locked(body)
        merged = {
            "min_meetings_per_year": body.min_meetings_per_year,
            "required_months": body.required_months,
        } | data
        _check_body(merged)
        for name, value in data.items():
            setattr(body, name, value)
        body.save()
    return body


def member_add(*, user: AnyUser, body: Body, data: dict[str, Any]) -> BodyMember:
    """Add a member (person, organisation, role). The minutes go to every active member
    with an e-mail (model CEE convention, art. 6)."""
    _require_body_manager(user, body)
    data = {k: data[k] for k in MEMBER_FIELDS if k in data}
    if not (data.get("full_name") or "").strip():
        raise ValidationError({"full_name": "Indiquez le nom du membre."})
    email = (data.get("email") or "").strip().lower()
    with transaction.atomic():
        _locked(body)  # one active member per address, even for two requests at once
        if email and body.members.filter(active=True, email__iexact=email).exists():
            raise ValidationError({"email": "Un membre actif de l'instance a déjà ce courriel."})
        data["email"] = email
        return BodyMember.objects.create(body=body, **data)


def member_remove(*, user: AnyUser, member: BodyMember) -> BodyMember:
    """A member leaves the body: kept (with their past attendance) but no longer active, so
    they receive no further minutes."""
    _require_body_manager(user, member.body)
    with transaction.atomic():
        _locked(member)
        if not member.active:
            raise ValidationError("Ce membre a déjà quitté l'instance.")
        member.active = False
        member.save(update_fields=["active"])
    return member


def body_seat_chair(
    *, body: Body, label: str, full_name: str, email: str, account: User | None = None
) -> BodyMember:
    """Seat the holder of a co-animation (``label``: « Référent école-entreprise… », « Pilote
    école-entreprise… ») as chair of ``body``: the previous holder of that seat leaves the
    body, the new one joins it (or comes back). Called by the area that appoints (the clubs'
    mandates), which has checked who may appoint."""
    email = email.strip().lower()
    with transaction.atomic():
        _locked(body)
        body.members.filter(role=MemberRole.CHAIR, organisation_label=label, active=True).exclude(
            email=email
        ).update(active=False)
        member, _created = BodyMember.objects.update_or_create(
            body=body,
            role=MemberRole.CHAIR,
            email=email,
            organisation_label=label,
            defaults={"full_name": full_name, "active": True, "user": account},
        )
    return member
