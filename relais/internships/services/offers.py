"""Writes on offers, their places per week, and the schools' internship periods.

The offer's states and who moves them are ``workflows.OFFER_WORKFLOW``: the managers publish
and close; the offer becomes full, open again or expired by itself (``user=None``).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from relais.core.dates import SCHOOL_YEAR_MAX, SCHOOL_YEAR_MIN
from relais.core.validation import check_date_range, check_date_ranges
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.organisations.selectors import organisations_visible_to
from relais.pupils.perms import is_school_of
from relais.territories.models import Bassin, Commune
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from ..enums import KIND_WEEKS, OPEN_OFFER_STATES, OfferKind, OfferState, SchoolLevel
from ..models import InternshipOffer, InternshipPeriod, OfferSlot
from ..perms import can_create_offer, can_manage_offer
from ..workflows import OFFER_WORKFLOW
from ..years import internship_year_first

OFFER_FIELDS = [
    "host",
    "posted_by",
    "bassin",
    "title",
    "description",
    "kind",
    "diploma",
    "specialty",
    "duration_weeks",
    "rome",
    "naf",
    "levels",
    "address",
    "commune",
    "latitude",
    "longitude",
    "accessible",
    "tutor_name",
    "tutor_email",
    "reserved_places",
    # What the convention de stage states (relais.internships.documents).
    "tutor_civility",
    "tutor_function",
    "hours_per_day",
    "daily_schedule",
    "activities",
    "host_insurer",
    "host_insurance_policy",
]


def bassin_of_commune(commune: Commune | None) -> Bassin | None:
    """The bassin most établissements of ``commune`` belong to (offers have no bassin in the
    open data: the pôle of the town's schools is the natural one)."""
    if commune is None:
        return None
    counts = Counter(
        commune.establishments.filter(bassin__isnull=False).values_list("bassin_id", flat=True)
    )
    if not counts:
        return None
    bassin_id = min(counts, key=lambda pk: (-counts[pk], pk))
    return Bassin.objects.select_related("academie").get(pk=bassin_id)


def _apply(offer: InternshipOffer, data: Mapping[str, Any]) -> None:
    for field in OFFER_FIELDS:
        if field in data:
            setattr(offer, field, data[field])
    if offer.kind in KIND_WEEKS:
        offer.duration_weeks = KIND_WEEKS[OfferKind(offer.kind)]
    if offer.commune_id and (
        offer.latitude is None or "commune" in data and "latitude" not in data
    ):
        offer.latitude, offer.longitude = offer.commune.latitude, offer.commune.longitude
    if offer.bassin_id is None:
        offer.bassin = bassin_of_commune(offer.commune if offer.commune_id else None)
    order: list[str | int] = list(SchoolLevel.values)
    offer.levels = sorted(set(offer.levels or []), key=order.index)


def _validate(offer: InternshipOffer) -> None:
    errors = {}
    if offer.bassin_id is None:
        errors["bassin"] = "Indiquez le pôle (bassin) de l'offre : sa commune n'en a aucun."
    if not offer.levels:
        errors["levels"] = "Indiquez au moins un niveau accueilli."
    unknown = [level for level in offer.levels if level not in SchoolLevel.values]
    if unknown:
        errors["levels"] = f"Niveau inconnu : {', '.join(unknown)}."
    if offer.kind == OfferKind.PFMP and not offer.diploma:
        errors["diploma"] = "Une PFMP précise le diplôme préparé."
    hours = offer.hours_per_day
    if hours is not None and not 1 <= hours <= 8:
        errors["hours_per_day"] = "Indiquez entre 1 et 8 heures de présence par jour."
    elif offer.kind == OfferKind.THIRD and hours is not None and hours > 7:
        errors["hours_per_day"] = (
            "Un stage d'observation de 3e ne dépasse pas 7 heures de présence par jour."
        )
    if offer.host_id and offer.host.archived_at is not None:
        errors["host"] = "Cette organisation est archivée."
    if errors:
        raise ValidationError(errors)
    offer.full_clean(exclude=["levels"], validate_unique=False, validate_constraints=False)


@transaction.atomic
def offer_create(
    *, user: AnyUser, data: Mapping[str, Any], slots: Mapping[datetime.date, int] | None = None
) -> InternshipOffer:
    """A draft offer. The user must reach its bassin (pôle, académie team) or act for its
    host, the organisation that posts it for the host, or the API partner."""
    if not can_create_offer(user):
        raise PermissionDenied("Vous ne pouvez pas déposer d'offre de stage.")
    offer = InternshipOffer(created_by=user if user and user.is_authenticated else None)
    _apply(offer, data)
    _validate(offer)
    if not can_manage_offer(user, offer):
        raise PermissionDenied("Vous ne pouvez pas déposer d'offre pour ce territoire.")
    offer.save()
    OFFER_WORKFLOW.log_creation(offer, user=user, note="Offre créée")
    if slots:
        offer_set_slots(user=user, offer=offer, slots=slots)
    return offer


@transaction.atomic
def offer_update(
    *, user: AnyUser, offer: InternshipOffer, data: Mapping[str, Any]
) -> InternshipOffer:
    """Change an offer that is not closed or expired. The row is read again under its lock:
    a page opened before the offer was closed (or became full) never writes its old state
    back, and only the offer's own fields are saved, never its state (the workflow's)."""
    if not can_manage_offer(user, offer):
        raise PermissionDenied("Vous ne pouvez pas modifier cette offre.")
    offer = InternshipOffer.objects.select_for_update(of=("self",)).get(pk=offer.pk)
    if offer.is_over:
        raise ValidationError("Une offre fermée ou expirée ne se modifie plus.")
    _apply(offer, data)
    _validate(offer)
    if not can_manage_offer(user, offer):
        raise PermissionDenied("Vous ne pouvez pas déplacer cette offre sur ce territoire.")
    offer.save(update_fields=[*OFFER_FIELDS, "updated_at"])
    return offer


@transaction.atomic
def offer_set_slots(
    *, user: AnyUser, offer: InternshipOffer, slots: Mapping[datetime.date, int]
) -> list[OfferSlot]:
    """Set the places of the given weeks (0 removes a week). A week never drops below the
    places held or taken by proposals: the rows are locked while they change."""
    if not can_manage_offer(user, offer):
        raise PermissionDenied("Vous ne pouvez pas modifier cette offre.")
    existing = {
        slot.week: slot for slot in OfferSlot.objects.select_for_update().filter(offer=offer)
    }
    for week, capacity in sorted(slots.items()):
        check_date_range(week, "slots")
        if week.weekday() != 0:
            raise ValidationError({"slots": f"Le {week:%d/%m/%Y} n'est pas un lundi."})
        if capacity < 0 or capacity > 500:
            raise ValidationError({"slots": "Le nombre de places va de 0 à 500."})
        slot = existing.get(week)
        if slot is None:
            if capacity:
                existing[week] = OfferSlot.objects.create(offer=offer, week=week, capacity=capacity)
            continue
        if capacity < slot.held + slot.taken:
            raise ValidationError(
                {
                    "slots": f"Semaine du {week:%d/%m/%Y} : {slot.held + slot.taken} place(s) "
                    "déjà proposée(s) ou pourvue(s), on ne peut pas descendre en dessous."
                }
            )
        if capacity == 0:
            slot.delete()
            del existing[week]
        else:
            slot.capacity = capacity
            slot.save(update_fields=["capacity"])
    refresh_fullness(offer=offer)
    return sorted(existing.values(), key=lambda s: s.week)


def refresh_fullness(*, offer: InternshipOffer) -> InternshipOffer:
    """A published offer whose every place is held or taken becomes full; a full one with a
    free place again is published again (by itself: ``user=None``). Called within the
    transaction that changed a place of the offer (its slot locked first)."""
    if offer.state not in OPEN_OFFER_STATES:
        return offer
    with transaction.atomic():
        offer = InternshipOffer.objects.select_for_update().get(pk=offer.pk)
        for name in ("completer", "rouvrir"):
            if OFFER_WORKFLOW.can_fire(None, offer, name):
                label = OFFER_WORKFLOW.transition(name).label
                return OFFER_WORKFLOW.fire(offer, name, user=None, note=label)
    return offer


@transaction.atomic
def offer_publish(*, user: AnyUser, offer: InternshipOffer, note: str = "") -> InternshipOffer:
    """Publish a draft: it needs coordinates and at least one week with places."""
    offer = OFFER_WORKFLOW.fire(offer, "publier", user=user, note=note)
    return refresh_fullness(offer=offer)


def offer_publish_if_draft(
    *, user: AnyUser, offer: InternshipOffer, note: str = ""
) -> InternshipOffer:
    """The API's « publish »: a draft is published; an offer already published (or full,
    closed…) stays as it is, so that sending the same payload twice changes nothing."""
    if offer.state != OfferState.DRAFT:
        return offer
    return offer_publish(user=user, offer=offer, note=note)


@transaction.atomic
def offer_close(*, user: AnyUser, offer: InternshipOffer, note: str = "") -> InternshipOffer:
    """Withdraw an offer. Proposals already accepted stay; those waiting are kept until the
    company answers or they expire."""
    return OFFER_WORKFLOW.fire(offer, "fermer", user=user, note=note)


def offers_expire(*, today: datetime.date) -> int:
    """Published or full offers whose last week has ended are expired (daily job)."""
    count = 0
    candidates = InternshipOffer.objects.filter(state__in=OPEN_OFFER_STATES).exclude(
        slots__week__gte=today - datetime.timedelta(days=4)
    )
    for offer_id in candidates.values_list("pk", flat=True).distinct():
        with transaction.atomic():
            offer = InternshipOffer.objects.select_for_update().get(pk=offer_id)
            if OFFER_WORKFLOW.can_fire(None, offer, "expirer", today=today):
                OFFER_WORKFLOW.fire(
                    offer, "expirer", user=None, note="Dernière semaine passée", today=today
                )
                count += 1
    return count


def offer_upsert_remote(
    *,
    user: AnyUser,
    partner: Organisation,
    remote_id: str,
    data: Mapping[str, Any],
    slots: Mapping[datetime.date, int] | None = None,
    publish: bool = False,
) -> tuple[InternshipOffer, bool]:
    """Create or update the offer a partner knows as ``remote_id`` (idempotent: the same
    payload twice changes nothing the second time). Only a representative of the partner (or
    a national administrator) may push its offers; the host must be visible to them."""
    reach = get_reach(user)
    if not (reach.national or partner.pk in reach.organisation_ids):
        raise PermissionDenied("Vous n'agissez pas pour ce partenaire.")
    host = data.get("host")
    if (
        host is not None
        and not organisations_visible_to(reach=get_reach(user)).filter(pk=host.pk).exists()
    ):
        raise ValidationError({"host": "Structure d'accueil inconnue ou hors de votre périmètre."})
    for attempt in range(2):
        try:
            with transaction.atomic():
                return _upsert(user, partner, remote_id, data, slots, publish)
        except IntegrityError:
            if attempt:  # a concurrent call created it: the second try updates it
                raise
    raise AssertionError("unreachable")


def _upsert(
    user: AnyUser,
    partner: Organisation,
    remote_id: str,
    data: Mapping[str, Any],
    slots: Mapping[datetime.date, int] | None,
    publish: bool,
) -> tuple[InternshipOffer, bool]:
    existing = (
        InternshipOffer.objects.select_for_update()
        .filter(partner=partner, remote_id=remote_id)
        .first()
    )
    created = existing is None
    values = {**data, "posted_by": data.get("posted_by") or partner}
    if existing is None:
        offer = offer_create(user=user, data=values)
        offer.partner, offer.remote_id = partner, remote_id
        offer.save(update_fields=["partner", "remote_id"])
    else:
        offer = offer_update(user=user, offer=existing, data=values)
    if slots is not None:
        current = {s.week: s.capacity for s in offer.slots.all()}
        wanted = {week: 0 for week in current} | dict(slots)
        if wanted != current:
            offer_set_slots(user=user, offer=offer, slots=wanted)
    if publish:
        offer_publish_if_draft(user=user, offer=offer, note="Publiée par l'API du partenaire")
    offer.refresh_from_db()
    return offer, created


# --- periods -------------------------------------------------------------------------------

PERIOD_FIELDS = ["school_year", "level", "class_label", "start", "end", "duration_weeks"]


def _save_period(period: InternshipPeriod, data: Mapping[str, Any]) -> InternshipPeriod:
    for field in [*PERIOD_FIELDS, "pupil_count", "school_insurer", "school_insurance_policy"]:
        if field in data:
            setattr(period, field, data[field])
    check_date_ranges(vars(period), ["start", "end"])
    if period.end and period.start and period.end < period.start:
        raise ValidationError({"end": "Le dernier jour précède le premier."})
    if period.start and period.end and not period.start_weeks():
        raise ValidationError(
            {"duration_weeks": "La période est plus courte que la durée d'un stage."}
        )
    first = internship_year_first(period.school_year) if period.school_year[:4].isdigit() else 0
    if not SCHOOL_YEAR_MIN <= first <= SCHOOL_YEAR_MAX:
        raise ValidationError({"school_year": "Indiquez l'année scolaire : « 2025-2026 »."})
    if period.start and not (
        datetime.date(first, 8, 1) <= period.start <= datetime.date(first + 1, 8, 31)
    ):
        raise ValidationError({"start": f"La période n'est pas dans l'année {period.school_year}."})
    period.full_clean(validate_unique=False)
    period.save()
    return period


@transaction.atomic
def period_create(
    *, user: AnyUser, establishment: Establishment, data: Mapping[str, Any]
) -> InternshipPeriod:
    """A school declares when a level or a class is in internship (its own school only)."""
    if not is_school_of(user, establishment.pk):
        raise PermissionDenied("Seul l'établissement déclare ses périodes de stage.")
    return _save_period(InternshipPeriod(establishment=establishment), data)


@transaction.atomic
def period_update(
    *, user: AnyUser, period: InternshipPeriod, data: Mapping[str, Any]
) -> InternshipPeriod:
    if not is_school_of(user, period.establishment_id):
        raise PermissionDenied("Seul l'établissement modifie ses périodes de stage.")
    return _save_period(period, data)


@transaction.atomic
def period_delete(*, user: AnyUser, period: InternshipPeriod) -> None:
    """Only a period no pupil is attached to."""
    if not is_school_of(user, period.establishment_id):
        raise PermissionDenied("Seul l'établissement supprime ses périodes de stage.")
    if period.cases.exists():
        raise ValidationError("Des élèves sont rattachés à cette période : changez-les d'abord.")
    period.delete()
