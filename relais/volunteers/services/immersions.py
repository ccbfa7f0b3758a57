"""Immersions of teachers in companies (mesure 6 and the model CEE convention, art. 2:
« développement des périodes d'immersion en entreprise des personnels »).

    candidature ──validation de l'académie ET de l'entreprise──▶ validée ──évaluation
        ├──refus (motif, par l'une ou l'autre)──▶ refusée
        └──annulation (par l'enseignant)──▶ annulée

A company offers 1 to 3 days with dates and a capacity; a teacher applies; the académie team
and the company validate jointly: the application is validated only once both have.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once

from .. import perms
from ..enums import IMMERSION_MAX_DAYS, IMMERSION_TRANSITIONS, ImmersionState
from ..models import ImmersionApplication, ImmersionOffer, ImmersionTransition
from .common import fire, log_creation, organisation_emails, require_text, team_emails

OFFER_FIELDS = ["title", "description", "place", "start_date", "end_date", "capacity"]


@transaction.atomic
def offer_create(*, user, organisation, data: dict) -> ImmersionOffer:
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
def offer_set_open(*, user, offer: ImmersionOffer, is_open: bool) -> ImmersionOffer:
    """Close an offer to new applications (or open it again)."""
    if not perms.can_edit_offer(user, offer):
        raise PermissionDenied("Vous ne pouvez pas modifier cette offre.")
    offer.is_open = is_open
    offer.save(update_fields=["is_open", "updated_at"])
    return offer


def _fire(application, to_state, *, user, note: str = "") -> None:
    fire(
        application, journal=ImmersionTransition, link="application",
        transitions=IMMERSION_TRANSITIONS, to_state=to_state, user=user, note=note,
    )  # fmt: skip


def _notify(application, event: str, *, to, subject: str) -> None:
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
def immersion_apply(*, user, offer: ImmersionOffer, motivation: str) -> ImmersionApplication:
    """A teacher of the académie applies to an open offer, before it starts; once per offer.
    The company and the académie team are told (both must validate)."""
    if not perms.can_apply_immersion(user, offer):
        raise PermissionDenied("Seuls les enseignants de l'académie candidatent aux immersions.")
    school = perms.school_of(user)
    if not offer.is_open or offer.start_date <= timezone.localdate():
        raise ValidationError("Cette offre n'accepte plus de candidatures.")
    if ImmersionApplication.objects.filter(offer=offer, applicant=user).exists():
        raise ValidationError("Vous avez déjà candidaté à cette immersion.")
    application = ImmersionApplication(
        offer=offer,
        applicant=user,
        establishment=school,
        motivation=require_text(motivation, "motivation", "Expliquez votre motivation."),
    )
    application.full_clean()
    application.save()
    log_creation(application, journal=ImmersionTransition, link="application", user=user,
                 note="Candidature")  # fmt: skip
    _notify(
        application, "submitted",
        to=team_emails(offer.academie_id) + organisation_emails(offer.organisation),
        subject=f"Immersion « {offer.title} » : candidature de {user} à valider",
    )  # fmt: skip
    return application


def _lock(application) -> ImmersionApplication:
    return (
        ImmersionApplication.objects.select_for_update(of=("self",))
        .select_related("offer__organisation", "applicant")
        .get(pk=application.pk)
    )


@transaction.atomic
def immersion_approve(*, user, application: ImmersionApplication) -> ImmersionApplication:
    """One side validates: the académie team for the académie, a representative for the
    company. The application is validated when both have, if a place is left."""
    application = _lock(application)
    offer = application.offer
    now = timezone.now()
    sides = []
    if perms.manages_academie(user, offer.academie_id) and not application.academie_approved_at:
        application.academie_approved_at, application.academie_approved_by = now, user
        sides.append("de l'académie")
    if perms.represents(user, offer.organisation_id) and not application.company_approved_at:
        application.company_approved_at, application.company_approved_by = now, user
        sides.append("de l'entreprise")
    if not sides:
        if perms.manages_academie(user, offer.academie_id) or perms.represents(
            user, offer.organisation_id
        ):
            raise ValidationError("Vous avez déjà validé cette candidature.")
        raise PermissionDenied("Seules l'académie et l'entreprise valident une immersion.")
    note = "Validation " + " et ".join(sides)
    both = application.academie_approved_at and application.company_approved_at
    if both:
        taken = offer.applications.filter(state=ImmersionState.VALIDATED).count()
        if taken >= offer.capacity:
            raise ValidationError("Toutes les places de cette immersion sont prises.")
        _fire(application, ImmersionState.VALIDATED, user=user, note=note)
    else:
        _fire(application, ImmersionState.SUBMITTED, user=user, note=note)
    application.save()
    if both:
        _notify(
            application, "validated", to=[application.applicant.email],
            subject=f"Votre immersion « {offer.title} » est validée",
        )  # fmt: skip
    return application


@transaction.atomic
def immersion_refuse(*, user, application: ImmersionApplication, reason: str):
    """The académie or the company refuses, with a reason sent to the teacher."""
    application = _lock(application)
    offer = application.offer
    if not (
        perms.manages_academie(user, offer.academie_id)
        or perms.represents(user, offer.organisation_id)
    ):
        raise PermissionDenied("Seules l'académie et l'entreprise statuent sur une immersion.")
    application.refusal_reason = require_text(reason, "reason", "Indiquez le motif du refus.")
    _fire(application, ImmersionState.REFUSED, user=user, note=application.refusal_reason)
    application.save()
    _notify(
        application, "refused", to=[application.applicant.email],
        subject=f"Votre candidature à l'immersion « {offer.title} »",
    )  # fmt: skip
    return application


@transaction.atomic
def immersion_cancel(*, user, application: ImmersionApplication) -> ImmersionApplication:
    application = _lock(application)
    if application.applicant_id != user.pk:
        raise PermissionDenied("Seul l'enseignant candidat annule sa candidature.")
    _fire(application, ImmersionState.CANCELLED, user=user, note="Annulée par l'enseignant")
    application.save()
    return application


@transaction.atomic
def immersion_evaluate(
    *, user, application: ImmersionApplication, rating: int, evaluation: str
) -> ImmersionApplication:
    """After the immersion (from its last day), the teacher keeps a short evaluation."""
    application = _lock(application)
    if application.applicant_id != user.pk:
        raise PermissionDenied("Seul l'enseignant qui a suivi l'immersion l'évalue.")
    if application.state != ImmersionState.VALIDATED:
        raise ValidationError("Seule une immersion validée s'évalue.")
    if timezone.localdate() < application.offer.end_date:
        raise ValidationError("L'évaluation se fait après l'immersion.")
    if rating not in range(1, 6):
        raise ValidationError({"rating": "Donnez une appréciation de 1 à 5."})
    application.rating = rating
    application.evaluation = require_text(evaluation, "evaluation", "Rédigez l'évaluation.")
    application.evaluated_at = timezone.now()
    application.save()
    return application
