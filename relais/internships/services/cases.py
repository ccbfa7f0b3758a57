"""Writes on the pupils' cases along the official path of Mesure 1 (the table of the
path is ``workflows.CASE_WORKFLOW``):

« 1. L'élève cherche un stage […] 2. S'il ne trouve pas de stage, il se tourne vers l'équipe
pédagogique. 3. Si l'équipe pédagogique n'a pas trouvé de stage, […] l'établissement contacte
le pôle de stages » (fiche mesure 1). Each step records who, when and a note in the case's
journal (``CaseJournal``). The steps that follow the proposals are fired by
``services.proposals``; closing a case by hand cancels its open proposal
(``services.places``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from relais.core.notifications import notify_once
from relais.core.workflow import purging_journals
from relais.nomenclatures.enums import ROME_DOMAINS
from relais.nomenclatures.models import RomeCode
from relais.pupils.models import Pupil
from relais.pupils.services import pupils_anonymise, pupils_expired
from relais.territories.models import Bassin
from relais.users.enums import Role
from relais.users.models import User
from relais.users.types import AnyUser

from ..enums import FINAL_CASE_STATES, HubKind
from ..models import (
    CaseJournal,
    PlacementCase,
    PlacementHub,
    ProposalJournal,
    SuggestionJournal,
)
from ..perms import (
    can_edit_case_search,
    can_handle_case,
    can_manage_pupils,
    is_school_of_case,
)
from ..workflows import CASE_MANUAL_STEPS, CASE_OPENING, CASE_WORKFLOW
from .places import cancel_open_proposal

# What the search needs, kept on the case (the pupil's own record is ``relais.pupils``'s).
CASE_FIELDS = ("period", "home_commune", "needs_access", "wishes", "max_km")
FAMILY_RE = re.compile(r"^[A-N]\d{2}$")


def clean_wishes(wishes: Iterable[object] | None) -> list[str]:
    """Up to 5 distinct ROME families (« H22 »), in order of preference, that exist."""
    families: list[str] = []
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


def case_fill(case: PlacementCase, data: Mapping[str, Any]) -> PlacementCase:
    """Set and check a case's search data (not saved): wishes that exist, a period of the
    pupil's own school and level, a distance of 1 to 200 km."""
    for field in CASE_FIELDS:
        if field in data:
            setattr(case, field, data[field])
    case.wishes = clean_wishes(case.wishes)
    pupil = case.pupil
    period = case.period if case.period_id else None
    if period is not None and period.establishment_id != pupil.establishment_id:
        raise ValidationError({"period": "Cette période est celle d'un autre établissement."})
    if period is not None and period.level != pupil.level:
        raise ValidationError({"period": "Cette période concerne un autre niveau."})
    case.full_clean(
        exclude=["pupil", "hub", "owner"], validate_unique=False, validate_constraints=False
    )
    if not 1 <= case.max_km <= 200:
        raise ValidationError({"max_km": "La distance maximale est comprise entre 1 et 200 km."})
    return case


@transaction.atomic
def case_open(
    *, user: AnyUser, pupil: Pupil, data: Mapping[str, Any] | None = None
) -> PlacementCase:
    """The pupil's school opens a case at « recherche seul » (the pupil searches by themself
    first), with the search data it knows (``CASE_FIELDS``). One open case per pupil."""
    if not can_manage_pupils(user, pupil.establishment):
        raise PermissionDenied("Seul l'établissement de l'élève ouvre son dossier.")
    if pupil.purged_at:
        raise ValidationError("Les données de cet élève ont été anonymisées.")
    Pupil.objects.select_for_update().filter(pk=pupil.pk).first()  # one opening at a time
    if pupil.cases.exclude(state__in=FINAL_CASE_STATES).exists():
        raise ValidationError("Cet élève a déjà un dossier en cours.")
    case = case_fill(PlacementCase(pupil=pupil), data or {})
    case.save()
    CASE_WORKFLOW.log_creation(case, user=user, note="Dossier ouvert", transition=CASE_OPENING)
    return case


@transaction.atomic
def case_update(*, user: AnyUser, case: PlacementCase, data: Mapping[str, Any]) -> PlacementCase:
    """The school corrects the search data of an open case (the pôle works on what the
    school says; a closed case keeps what it was placed or closed with)."""
    case = (
        PlacementCase.objects.select_for_update()
        .select_related("pupil__establishment")
        .get(pk=case.pk)
    )
    if not is_school_of_case(user, case):
        raise PermissionDenied("Seul l'établissement de l'élève modifie sa recherche.")
    if not can_edit_case_search(user, case):
        raise ValidationError("Ce dossier est clos : sa recherche ne se modifie plus.")
    case_fill(case, data)
    case.save()
    return case


def hub_of_bassin(bassin: Bassin) -> PlacementHub:
    """The pôle of ``bassin``, created on first need (one pôle per bassin, Mesure 1)."""
    return PlacementHub.of_bassin(bassin)


@transaction.atomic
def case_move(*, user: AnyUser, case: PlacementCase, step: str, note: str = "") -> PlacementCase:
    """A step fired by hand (``workflows.CASE_MANUAL_STEPS``): the school helps, refers,
    withdraws or records the family's refusal; the pôle withdraws or records a refusal.
    Withdrawing or closing a case cancels its open proposal, which frees the place."""
    if step not in CASE_MANUAL_STEPS:
        CASE_WORKFLOW.transition(step)  # an unknown name: « Étape inconnue »
        raise ValidationError("Cette étape suit les propositions : elle ne se fait pas à la main.")
    case = CASE_WORKFLOW.fire(case, step, user=user, note=note)
    if case.state in FINAL_CASE_STATES:
        label = CASE_WORKFLOW.state_label(case.state).lower()
        cancel_open_proposal(case=case, user=user, reason=f"Dossier {label}")
    if step == "orienter":
        _notify_referral(case)
    return case


def _notify_referral(case: PlacementCase) -> None:
    hub = case.hub
    assert hub is not None  # referring the case set its pôle
    pupil = case.pupil
    notify_once(
        key=f"internships.case:{case.pk}:referred",
        recipients=[hub.email, *hub_member_emails(hub)],
        subject=f"Nouvel élève orienté vers le pôle : {pupil.establishment.name}",
        template="internships/mail/case_referred.txt",
        context={"case": case, "pupil": pupil, "hub": hub},
        about=f"internships.placementcase:{case.pk}",
    )


def hub_members(hub: PlacementHub) -> QuerySet[User]:
    """The pôle's members (the role on the hub's bassin): the only ones a case may be given
    to, since they alone, with the school, read its pupil (the référent does not)."""
    return User.objects.filter(
        is_active=True, memberships__bassin_id=hub.bassin_id, memberships__role=Role.HUB_MEMBER
    ).distinct()


def hub_member_emails(hub: PlacementHub) -> list[str]:
    return list(hub_members(hub).values_list("email", flat=True))


@transaction.atomic
def case_assign(*, user: AnyUser, case: PlacementCase, owner: User | None) -> PlacementCase:
    """Give the case to a member of the pôle (or to nobody)."""
    if not can_handle_case(user, case):
        raise PermissionDenied("Seul le pôle de stages attribue ce dossier.")
    hub = case.hub  # set once the case is referred, which ``can_handle_case`` requires
    if owner is not None and (hub is None or not hub_members(hub).filter(pk=owner.pk).exists()):
        raise ValidationError({"owner": "Cette personne n'est pas membre de ce pôle."})
    label = owner.get_full_name() or owner.email if owner else "personne"
    return CASE_WORKFLOW.fire(
        case, "attribuer", user=user, note=f"Dossier attribué à {label}", owner=owner
    )


HUB_FIELDS = ("name", "email", "alert_after_days", "answer_days", "policy", "sectors")


def _hub_save(hub: PlacementHub, data: Mapping[str, Any]) -> PlacementHub:
    for field in HUB_FIELDS:
        if field in data:
            setattr(hub, field, data[field])
    if not hub.is_sector:
        hub.sectors = []
    unknown = [code for code in hub.sectors if code not in ROME_DOMAINS]
    if unknown:
        raise ValidationError({"sectors": f"Filière inconnue : {', '.join(unknown)}."})
    if hub.is_sector and not hub.sectors:
        raise ValidationError({"sectors": "Cochez au moins une filière."})
    hub.sectors = sorted(set(hub.sectors))
    hub.full_clean(validate_unique=False, validate_constraints=False)
    hub.save()
    return hub


@transaction.atomic
def hub_update(*, user: AnyUser, hub: PlacementHub, data: Mapping[str, Any]) -> PlacementHub:
    """The pôle's settings, its fairness policy (``relais.matching.Policy``: the engine's
    runs use it unless told otherwise) and, for a pôle de filière, its sectors."""
    from ..perms import can_manage_hub

    if not can_manage_hub(user, hub):
        raise PermissionDenied("Vous ne pouvez pas modifier ce pôle.")
    return _hub_save(hub, data)


@transaction.atomic
def hub_create_sector(*, user: AnyUser, bassin: Bassin, data: Mapping[str, Any]) -> PlacementHub:
    """A pôle de filière (Mesure 1: « au niveau d'un bassin […] ou d'une filière
    économique »), seated in ``bassin`` (its members are the bassin's pôle members) and
    bringing the offers of its sectors across the académie. Created by those who manage the
    bassin's pôle (référent, académie team, national administration)."""
    from ..perms import can_manage_hub

    hub = PlacementHub(bassin=bassin, kind=HubKind.SECTOR)
    if not can_manage_hub(user, hub):
        raise PermissionDenied("Vous ne pouvez pas créer de pôle dans ce bassin.")
    return _hub_save(hub, data)


@transaction.atomic
def pupils_purge_expired(*, today: datetime.date) -> int:
    """Anonymise the pupils whose retention date has passed (daily job): their record is
    anonymised by ``relais.pupils.services.pupils_anonymise`` (names, identifier, class go;
    the flags, level and year stay for the counts), their cases lose their search data that
    names a place or a person's tastes (home commune, wishes; the case dates stay for the
    indicators). The journals of their cases, proposals and suggestions go too (notes typed
    about the pupil may name them): the database lets this purge, and nothing else, delete
    them (``purging_journals``); each case's journal restarts with one line saying so."""
    expired = pupils_expired(day=today)
    pupil_ids = list(
        Pupil.objects.select_for_update()
        .filter(pk__in=expired, purged_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if not pupil_ids:
        return 0
    with purging_journals(CaseJournal, ProposalJournal, SuggestionJournal):
        CaseJournal.objects.filter(case__pupil_id__in=pupil_ids).delete()
        ProposalJournal.objects.filter(proposal__case__pupil_id__in=pupil_ids).delete()
        SuggestionJournal.objects.filter(suggestion__case__pupil_id__in=pupil_ids).delete()
    count = pupils_anonymise(pupil_ids=pupil_ids)
    PlacementCase.objects.filter(pupil_id__in=pupil_ids).update(home_commune=None, wishes=[])
    for case in PlacementCase.objects.filter(pupil_id__in=pupil_ids).order_by("pk"):
        CASE_WORKFLOW.fire(
            case, "anonymiser", user=None, note="Durée de conservation des données échue"
        )
    return count
