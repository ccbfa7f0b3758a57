"""Writes on pupils and their cases along the official path of Mesure 1:

    recherche seul ─▶ aidé par l'équipe ─▶ orienté vers le pôle ─▶ proposition envoyée ─▶ placé
          │                  │                 │        ▲                 │
          └──────────────────┴──▶ retiré ◀─────┤        └─ refus, expiration
                                   refusé ◀────┘  (et depuis « proposition envoyée »)

« 1. L'élève cherche un stage […] 2. S'il ne trouve pas de stage, il se tourne vers l'équipe
pédagogique. 3. Si l'équipe pédagogique n'a pas trouvé de stage, […] l'établissement contacte
le pôle de stages » (fiche mesure 1). Each step records who, when and a note (``CaseStep``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from relais.core.notifications import notify_once
from relais.nomenclatures.models import RomeCode
from relais.users.enums import Role
from relais.users.models import User

from ..enums import CASE_TRANSITIONS, FINAL_CASE_STATES, CaseState
from ..models import CaseStep, PlacementCase, PlacementHub, Pupil
from ..perms import can_handle_case, can_manage_pupils, case_moves_for

PUPIL_FIELDS = [
    "school_ref",
    "first_name",
    "last_name",
    "class_label",
    "level",
    "period",
    "home_commune",
    "qpv",
    "disability",
    "needs_access",
    "newly_arrived",
    "wishes",
    "max_km",
]
FAMILY_RE = re.compile(r"^[A-N]\d{2}$")


def school_year_of(day: datetime.date) -> str:
    """« 2025-2026 » for any day from 1 August 2025 to 31 July 2026."""
    first = day.year if day.month >= 8 else day.year - 1
    return f"{first}-{first + 1}"


def retention_date(day: datetime.date) -> datetime.date:
    """Pupil data is kept until 31 August after the school year of ``day`` ends."""
    first = day.year if day.month >= 8 else day.year - 1
    return datetime.date(first + 1, 8, 31)


def clean_wishes(wishes) -> list[str]:
    """Up to 5 distinct ROME families (« H22 »), in order of preference, that exist."""
    families = []
    for raw in wishes or []:
        family = str(raw).strip().upper()[:3]
        if family and family not in families:
            families.append(family)
    if len(families) > 5:
        raise ValidationError({"wishes": "Cinq vœux au plus."})
    bad = [f for f in families if not FAMILY_RE.match(f)]
    if bad:
        raise ValidationError(
            {"wishes": f"« {bad[0]} » n'est pas une famille de métiers ROME (ex. « H22 »)."}
        )
    if not families:
        return []
    condition = Q()
    for family in families:
        condition |= Q(code__startswith=family)
    known = {code[:3] for code in RomeCode.objects.filter(condition).values_list("code", flat=True)}
    unknown = [f for f in families if f not in known]
    if unknown:
        raise ValidationError({"wishes": f"Famille de métiers ROME inconnue : {unknown[0]}."})
    return families


def _save_pupil(pupil: Pupil, data: Mapping) -> Pupil:
    for field in PUPIL_FIELDS:
        if field in data:
            setattr(pupil, field, data[field])
    pupil.wishes = clean_wishes(pupil.wishes)
    if pupil.period_id and pupil.period.establishment_id != pupil.establishment_id:
        raise ValidationError({"period": "Cette période est celle d'un autre établissement."})
    if pupil.period_id and pupil.period.level != pupil.level:
        raise ValidationError({"period": "Cette période concerne un autre niveau."})
    if pupil.retention_until is None:
        pupil.retention_until = retention_date(timezone.localdate())
    pupil.full_clean(validate_unique=False, validate_constraints=False)
    pupil.save()
    return pupil


@transaction.atomic
def pupil_create(*, user, establishment, data: Mapping) -> Pupil:
    """A pupil of the user's own school, with a case opened at « recherche seul »."""
    if not can_manage_pupils(user, establishment):
        raise PermissionDenied("Seul l'établissement de l'élève peut l'inscrire.")
    pupil = _save_pupil(Pupil(establishment=establishment), data)
    case_open(user=user, pupil=pupil)
    return pupil


@transaction.atomic
def pupil_update(*, user, pupil: Pupil, data: Mapping) -> Pupil:
    if not can_manage_pupils(user, pupil.establishment):
        raise PermissionDenied("Seul l'établissement de l'élève modifie sa fiche.")
    if pupil.purged_at:
        raise ValidationError("Les données de cet élève ont été anonymisées.")
    return _save_pupil(pupil, data)


def _step(case: PlacementCase, before: str, after: str, user, note: str) -> None:
    by = user if user is not None and user.is_authenticated else None
    CaseStep.objects.create(case=case, from_state=before, to_state=after, by=by, note=note)


def case_open(*, user, pupil: Pupil) -> PlacementCase:
    """Open a case at « recherche seul » (the pupil searches by themself first)."""
    if pupil.cases.exclude(state__in=FINAL_CASE_STATES).exists():
        raise ValidationError("Cet élève a déjà un dossier en cours.")
    case = PlacementCase.objects.create(pupil=pupil)
    _step(case, "", CaseState.SEARCHING_ALONE, user, "Dossier ouvert")
    return case


def move(*, case: PlacementCase, to: CaseState, user, note: str = "") -> PlacementCase:
    """Fire one move of the path (checked against ``CASE_TRANSITIONS``) and log it. The
    callers check who may fire it; ``case`` must be locked by the caller's transaction."""
    before = CaseState(case.state)
    if to not in CASE_TRANSITIONS[before]:
        raise ValidationError(
            f"Un dossier à l'étape « {before.label} » ne peut pas passer à « {to.label} »."
        )
    now = timezone.now()
    case.state = to
    if to == CaseState.REFERRED and case.referred_at is None:
        case.referred_at = now
    if to == CaseState.PLACED:
        case.placed_at = now
    if to in FINAL_CASE_STATES:
        case.closed_at = now
    case.save()
    _step(case, before, to, user, note)
    return case


def hub_of_bassin(bassin) -> PlacementHub:
    """The pôle of ``bassin``, created on first need (one pôle per bassin, Mesure 1)."""
    hub, _ = PlacementHub.objects.get_or_create(
        bassin=bassin, defaults={"name": f"Pôle de stages du {bassin}"}
    )
    return hub


def _check_referral(case: PlacementCase) -> None:
    pupil = case.pupil
    errors = []
    if pupil.establishment.bassin_id is None:
        errors.append("L'établissement n'est rattaché à aucun bassin, donc à aucun pôle.")
    if pupil.period_id is None:
        errors.append("Indiquez la période de stage de l'élève.")
    if not pupil.wishes:
        errors.append("Indiquez au moins un vœu (famille de métiers).")
    if pupil.establishment.latitude is None:
        errors.append("L'établissement n'a pas de coordonnées : le pôle ne peut pas calculer.")
    if errors:
        raise ValidationError(["Avant d'orienter l'élève vers le pôle : ", *errors])


@transaction.atomic
def case_move(*, user, case: PlacementCase, to: CaseState, note: str = "") -> PlacementCase:
    """A manual step: the school helps, refers, withdraws or records a refusal; the pôle
    withdraws or records a refusal (see ``perms.case_moves_for``). Withdrawing or closing a
    case cancels its open proposal, which frees the place."""
    case = (
        PlacementCase.objects.select_for_update(of=("self",))
        .select_related("pupil__establishment__bassin")
        .get(pk=case.pk)
    )
    before = CaseState(case.state)
    if to not in CASE_TRANSITIONS[before]:
        raise ValidationError(
            f"Un dossier à l'étape « {before.label} » ne peut pas passer à « {to.label} »."
        )
    if to not in case_moves_for(user, case):
        raise PermissionDenied("Vous ne pouvez pas faire avancer ce dossier à cette étape.")
    if to == CaseState.REFERRED:
        _check_referral(case)
        case.hub = hub_of_bassin(case.pupil.establishment.bassin)
    if to in FINAL_CASE_STATES:
        from .proposals import cancel_open_proposal

        cancel_open_proposal(case=case, user=user, note=f"Dossier {to.label.lower()}")
    move(case=case, to=to, user=user, note=note)
    if to == CaseState.REFERRED:
        _notify_referral(case)
    return case


def _notify_referral(case: PlacementCase) -> None:
    hub = case.hub
    pupil = case.pupil
    notify_once(
        key=f"internships.case:{case.pk}:referred",
        recipients=[hub.email, *hub_member_emails(hub)],
        subject=f"Nouvel élève orienté vers le pôle : {pupil.establishment.name}",
        template="internships/mail/case_referred.txt",
        context={"case": case, "pupil": pupil, "hub": hub},
        about=f"internships.placementcase:{case.pk}",
    )


def hub_members(hub: PlacementHub):
    """The pôle's members (the role on the hub's bassin): the only ones a case may be given
    to, since they alone, with the school, read its pupil (the référent does not)."""
    return User.objects.filter(
        is_active=True, memberships__bassin_id=hub.bassin_id, memberships__role=Role.HUB_MEMBER
    ).distinct()


def hub_member_emails(hub: PlacementHub) -> list[str]:
    return list(hub_members(hub).values_list("email", flat=True))


@transaction.atomic
def case_assign(*, user, case: PlacementCase, owner: User | None) -> PlacementCase:
    """Give the case to a member of the pôle (or to nobody)."""
    if not can_handle_case(user, case):
        raise PermissionDenied("Seul le pôle de stages attribue ce dossier.")
    if owner is not None and not hub_members(case.hub).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "Cette personne n'est pas membre de ce pôle."})
    case = PlacementCase.objects.select_for_update().get(pk=case.pk)
    case.owner = owner
    case.save(update_fields=["owner", "updated_at"])
    label = owner.get_full_name() or owner.email if owner else "personne"
    _step(case, case.state, case.state, user, f"Dossier attribué à {label}")
    return case


@transaction.atomic
def hub_update(*, user, hub: PlacementHub, data: Mapping) -> PlacementHub:
    from ..perms import can_manage_hub

    if not can_manage_hub(user, hub):
        raise PermissionDenied("Vous ne pouvez pas modifier ce pôle.")
    for field in ("name", "email", "alert_after_days", "answer_days"):
        if field in data:
            setattr(hub, field, data[field])
    hub.full_clean(validate_unique=False)
    hub.save()
    return hub


def pupils_purge_expired(*, today: datetime.date) -> int:
    """Anonymise the pupils whose retention date has passed (daily job): names, class,
    commune and wishes go; the flags and the case dates stay for the indicators."""
    expired = Pupil.objects.filter(retention_until__lt=today, purged_at__isnull=True)
    return expired.update(
        first_name="Élève",
        last_name="anonymisé",
        school_ref="",
        class_label="—",
        home_commune=None,
        wishes=[],
        purged_at=timezone.now(),
    )
