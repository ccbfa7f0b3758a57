"""Immersions of teachers in companies (mesure 6 and the model CEE convention, art. 2:
« développement des périodes d'immersion en entreprise des personnels »).

    candidature ──donner_accord (l'une), valider (l'autre)──▶ validée ──evaluer
        ├──refuser (motif, par l'une ou l'autre)──▶ refusée
        └──annuler (par l'enseignant)──▶ annulée

(the table is ``workflows.IMMERSION_WORKFLOW``)

A company offers 1 to 3 days with dates and a capacity; a teacher applies; the académie team
and the company validate jointly: the application is validated only once both have.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core import confidentiality
from relais.core.notifications import absolute_url, notify_once
from relais.core.validation import check_date_ranges
from relais.organisations.models import Organisation
from relais.users.models import User
from relais.users.types import AnyUser

from .. import perms
from ..enums import IMMERSION_MAX_DAYS
from ..models import ImmersionApplication, ImmersionOffer
from ..texts import CONFIDENTIALITY_REQUIRED
from ..workflows import BOTH_SIDES, IMMERSION_WORKFLOW
from .common import organisation_emails, require_text, team_emails

OFFER_FIELDS = ["title", "description", "place", "start_date", "end_date", "capacity"]


@transaction.atomic
def offer_create(*, user: User, organisation: Organisation, data: dict[str, Any]) -> ImmersionOffer:
    """A company (its representative, or the académie team on its behalf) offers 1 to 3 days
    of immersion, in the future, with a capacity."""
    if not perms.can_offer_immersion(user):
        raise PermissionDenied("Seule une entreprise propose des immersions.")
    academie = organisation.academie
    if academie is None:
        raise ValidationError({"organisation": "L'entreprise doit relever d'une académie."})
    if not (perms.represents(user, organisation.pk) or perms.manages_academie(user, academie.pk)):
        raise PermissionDenied("Vous ne pouvez pas proposer d'immersion pour cette entreprise.")
    offer = ImmersionOffer(organisation=organisation, academie=academie, created_by=user)
    for field in OFFER_FIELDS:
        if field in data:
            setattr(offer, field, data[field])
    _check_days(offer)
    offer.full_clean()
    offer.save()
    return offer


def _check_days(offer: ImmersionOffer) -> None:
    check_date_ranges(vars(offer), ["start_date", "end_date"])
    if offer.start_date is None or offer.end_date is None:
        raise ValidationError({"end_date": "Indiquez le premier et le dernier jour."})
    if offer.start_date <= timezone.localdate():
        raise ValidationError({"start_date": "Une immersion se propose à l'avance."})
    if offer.end_date < offer.start_date:
        raise ValidationError({"end_date": "Le dernier jour suit le premier."})
    if offer.days > IMMERSION_MAX_DAYS:
        raise ValidationError(
            {"end_date": f"Une immersion dure de 1 à {IMMERSION_MAX_DAYS} jours."}
        )


@transaction.atomic
def offer_set_open(*, user: AnyUser, offer: ImmersionOffer, is_open: bool) -> ImmersionOffer:
    """Close an offer to new applications (or open it again)."""
    if not perms.can_edit_offer(user, offer):
        raise PermissionDenied("Vous ne pouvez pas modifier cette offre.")
    offer.is_open = is_open
    offer.save(update_fields=["is_open", "updated_at"])
    return offer


def _notify(
    application: ImmersionApplication, event: str, *, to: Sequence[str], subject: str
) -> None:
    notify_once(
        key=f"volunteers.immersion:{application.pk}:{event}",
        recipients=to,
        subject=subject,
        template=f"volunteers/mail/immersion_{event}.txt",
        context={
            "application": application,
            "url": absolute_url(application.offer.get_absolute_url()),
        },
        about=f"volunteers.immersion:{application.pk}",
    )


@transaction.atomic
def immersion_apply(
    *, user: User, offer: ImmersionOffer, motivation: str, confidentiality_accepted: bool
) -> ImmersionApplication:
    """A teacher of the académie applies to an open offer, before it starts; once per offer,
    taking the confidentiality undertaking (CPME Île-de-France text, art. 3.2: « les
    enseignants seront, en permanence, tenus au secret professionnel »; its version and time
    are recorded). The company and the académie team are told (both must validate)."""
    if not perms.can_apply_immersion(user, offer):
        raise PermissionDenied("Seuls les enseignants de l'académie candidatent aux immersions.")
    school = perms.school_of(user)
    if not offer.accepts_applications:
        raise ValidationError("Cette offre n'accepte plus de candidatures.")
    if ImmersionApplication.objects.filter(offer=offer, applicant=user).exists():
        raise ValidationError("Vous avez déjà candidaté à cette immersion.")
    if not confidentiality_accepted:
        raise ValidationError({"confidentiality_accepted": CONFIDENTIALITY_REQUIRED})
    application = ImmersionApplication(
        offer=offer,
        applicant=user,
        establishment=school,
        motivation=require_text(motivation, "motivation", "Expliquez votre motivation."),
        confidentiality_version=confidentiality.VERSION,
        confidentiality_accepted_at=timezone.now(),
    )
    application.full_clean()
    application.save()
    IMMERSION_WORKFLOW.log_creation(application, user=user, note="Candidature")
    _notify(
        application, "submitted",
        to=team_emails(offer.academie_id) + organisation_emails(offer.organisation),
        subject=f"Immersion « {offer.title} » : candidature de {user} à valider",
    )  # fmt: skip
    return application


def _lock(application: ImmersionApplication) -> ImmersionApplication:
    return (
        ImmersionApplication.objects.select_for_update(of=("self",))
        .select_related("offer__organisation", "applicant")
        .get(pk=application.pk)
    )


SIDE_NOTES = {perms.ACADEMIE_SIDE: "de l'académie", perms.COMPANY_SIDE: "de l'entreprise"}


@transaction.atomic
def immersion_approve(*, user: AnyUser, application: ImmersionApplication) -> ImmersionApplication:
    """One side validates: the académie team for the académie, a representative for the
    company. The application is validated when both have, if a place is left (the offer is
    locked, so that two last validations cannot both take the last place)."""
    ImmersionOffer.objects.select_for_update().filter(pk=application.offer_id).first()
    application = _lock(application)
    if not perms.immersion_sides(user, application):
        raise PermissionDenied(BOTH_SIDES)
    sides = perms.approvals_pending_from(user, application)
    last = bool(sides) and sides == perms.missing_approvals(application)
    note = "Validation " + " et ".join(SIDE_NOTES[side] for side in sorted(sides))
    try:
        application = IMMERSION_WORKFLOW.fire(
            application, "valider" if last else "donner_accord", user=user, note=note
        )
    except PermissionDenied:  # a side that has already validated
        raise ValidationError("Vous avez déjà validé cette candidature.") from None
    if last:
        _notify(
            application, "validated", to=[application.applicant.email],
            subject=f"Votre immersion « {application.offer.title} » est validée",
        )  # fmt: skip
    return application


@transaction.atomic
def immersion_refuse(
    *, user: AnyUser, application: ImmersionApplication, reason: str
) -> ImmersionApplication:
    """The académie or the company refuses, with a reason sent to the teacher."""
    reason = (reason or "").strip()
    application = IMMERSION_WORKFLOW.fire(
        application, "refuser", user=user, note=reason, reason=reason
    )
    _notify(
        application, "refused", to=[application.applicant.email],
        subject=f"Votre candidature à l'immersion « {application.offer.title} »",
    )  # fmt: skip
    return application


@transaction.atomic
def immersion_cancel(*, user: AnyUser, application: ImmersionApplication) -> ImmersionApplication:
    """The teacher withdraws their application (before it is evaluated)."""
    return IMMERSION_WORKFLOW.fire(
        application, "annuler", user=user, note="Annulée par l'enseignant"
    )


@transaction.atomic
def immersion_evaluate(
    *, user: AnyUser, application: ImmersionApplication, rating: int, evaluation: str
) -> ImmersionApplication:
    """After a validated immersion (from its last day), the teacher keeps a short evaluation
    (a step of the journal; the state stays « validée »)."""
    return IMMERSION_WORKFLOW.fire(
        application, "evaluer", user=user, note="Évaluation", rating=rating,
        evaluation=evaluation,
    )  # fmt: skip
