"""Réserve citoyenne de l'éducation nationale (fiche mesure 10 of the 2015 measures).

    candidature ──valider──▶ validée (compte bénévole + lien pour choisir un mot de passe)
        └──refuser (motif)──▶ refusée

    sollicitation envoyée ──accepter──▶ acceptée ──realiser──▶ intervention comptée
          ├──decliner             └──annuler
          └──annuler

(the tables are ``workflows.APPLICATION_WORKFLOW`` and ``workflows.REQUEST_WORKFLOW``)

« Toutes les inscriptions sont accompagnées par la signature d'une charte de la réserve
citoyenne […]. Chaque candidature […] est validée par le référent académique placé auprès du
recteur. Les candidatures validées sous 2 mois sont transmises auprès des équipes enseignantes
des écoles, collèges et lycées proches du lieu d'habitation du réserviste. »
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from relais.core import confidentiality
from relais.core.notifications import absolute_url, notify_once
from relais.core.text import search_key
from relais.core.validation import check_date_range
from relais.establishments.models import Establishment
from relais.users.models import User
from relais.users.types import AnyUser

from .. import perms
from ..enums import ApplicationState, Availability, ReserveSkill
from ..models import ReserveApplication, ReserveRequest
from ..selectors import overdue_applications
from ..texts import CONFIDENTIALITY_REQUIRED
from ..workflows import APPLICATION_WORKFLOW, REQUEST_WORKFLOW, reservist_unavailable
from .common import require_text, team_emails

CHARTER_VERSION = "2015"
APPLICATION_FIELDS = [
    "first_name",
    "last_name",
    "phone",
    "profession",
    "employer_name",
    "skills_detail",
    "sectors",
    "max_distance_km",
]


def application_search_text(application: ReserveApplication) -> str:
    return search_key(
        application.first_name,
        application.last_name,
        application.email,
        application.profession,
        application.employer_name,
        application.sectors,
        application.skills_detail,
        application.commune.name,
    )


OPEN_APPLICATION_STATES = [ApplicationState.SUBMITTED, ApplicationState.VALIDATED]


@transaction.atomic
def application_submit(
    *, data: dict[str, Any], now: datetime | None = None
) -> ReserveApplication | None:
    """A citizen signs up (public page): profile, skills, sectors, availability, home commune,
    acceptance of the charter and the confidentiality undertaking (CPME Île-de-France text,
    art. 3.2; its version and time recorded). The académie is the one of the home commune.
    The applicant and the académie team are told.

    One open or validated application per e-mail. The public page must not tell anyone
    whether an address has applied (issue 17): for a known address nothing is written, the
    owner of the address is told by e-mail instead, and None is returned; the caller answers
    exactly as for a new application. Every other check runs first, so a faulty form gets
    the same errors whether the address is known or not."""
    if not data.get("charter_accepted"):
        raise ValidationError({"charter_accepted": "Vous devez accepter la charte de la réserve."})
    if not data.get("confidentiality_accepted"):
        raise ValidationError({"confidentiality_accepted": CONFIDENTIALITY_REQUIRED})
    commune = data.get("commune")
    academie = commune.departement.academie if commune and commune.departement_id else None
    if academie is None:
        raise ValidationError({"commune": "Cette commune ne relève d'aucune académie connue."})
    now = now or timezone.now()
    application = ReserveApplication(
        academie=academie,
        email=(data.get("email") or "").strip().lower(),
        commune=commune,
        skills=[ReserveSkill(s).value for s in data.get("skills") or []],
        availability=[Availability(a).value for a in data.get("availability") or []],
        charter_accepted_at=now,
        confidentiality_version=confidentiality.VERSION,
        confidentiality_accepted_at=now,
        submitted_at=now,
    )
    for field in APPLICATION_FIELDS:
        if field in data and data[field] is not None:
            setattr(application, field, data[field])
    if not application.skills or not application.availability:
        raise ValidationError("Indiquez au moins un apport et une disponibilité.")
    application.search_text = application_search_text(application)
    # The one-per-address constraint is checked below, without a message that would tell.
    application.full_clean(exclude=["search_text", "user", "vetted_by"], validate_constraints=False)
    if _tell_owner_of_known_address(application.email, now=now):
        return None
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        # Another sign-up with this address committed in between.
        if _tell_owner_of_known_address(application.email, now=now):
            return None
        raise
    APPLICATION_WORKFLOW.log_creation(
        application, user=None, note=f"Candidature déposée ; charte {CHARTER_VERSION} acceptée"
    )
    about = f"volunteers.application:{application.pk}"
    notify_once(
        key=f"{about}:received",
        recipients=[application.email],
        subject="Votre candidature à la réserve citoyenne est enregistrée",
        template="volunteers/mail/application_received.txt",
        context={"application": application},
        about=about,
    )
    notify_once(
        key=f"{about}:submitted",
        recipients=team_emails(academie.pk),
        subject=f"Réserve citoyenne : candidature de {application.full_name} à examiner",
        template="volunteers/mail/application_submitted.txt",
        context={"application": application, "url": absolute_url(application.get_absolute_url())},
        about=about,
    )
    return application


def _tell_owner_of_known_address(email: str, *, now: datetime) -> bool:
    """When ``email`` already holds an open or validated application, e-mail its owner (at
    most once a day, so that the form cannot be used to flood an address) and return True.
    The message speaks of the existing application only, never of what was typed."""
    existing = (
        ReserveApplication.objects.filter(email=email, state__in=OPEN_APPLICATION_STATES)
        .select_related("academie")
        .first()
    )
    if existing is None:
        return False
    about = f"volunteers.application:{existing.pk}"
    notify_once(
        key=f"{about}:signup-again:{timezone.localdate(now).isoformat()}",
        recipients=[existing.email],
        subject="Réserve citoyenne : une nouvelle candidature avec votre adresse",
        template="volunteers/mail/application_again.txt",
        context={
            "application": existing,
            "validated": existing.state == ApplicationState.VALIDATED,
        },
        about=about,
    )
    return True


def set_password_url(user: User) -> str:
    """A link to choose a password (Django's password reset token: single use, expires)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", args=[uid, token]))


@transaction.atomic
def application_validate(
    *, user: AnyUser, application: ReserveApplication, now: datetime | None = None
) -> ReserveApplication:
    """The académie referent validates: the reservist gets (or keeps) a user account with the
    volunteer role on the académie, and an e-mail with a link to choose a password."""
    application = APPLICATION_WORKFLOW.fire(
        application, "valider", user=user, note="Candidature validée", now=now
    )
    account = application.user
    assert account is not None  # the « valider » transition gives the reservist an account
    notify_once(
        key=f"volunteers.application:{application.pk}:validated",
        recipients=[application.email],
        subject="Bienvenue dans la réserve citoyenne de l'éducation nationale",
        template="volunteers/mail/application_validated.txt",
        context={
            "application": application,
            "password_url": None if account.has_usable_password() else set_password_url(account),
            "login_url": absolute_url(reverse("login")),
        },
        about=f"volunteers.application:{application.pk}",
    )
    return application


@transaction.atomic
def application_refuse(
    *, user: AnyUser, application: ReserveApplication, reason: str, now: datetime | None = None
) -> ReserveApplication:
    """The académie referent refuses, with a reason sent to the applicant."""
    reason = (reason or "").strip()
    application = APPLICATION_WORKFLOW.fire(
        application, "refuser", user=user, note=reason, reason=reason, now=now
    )
    notify_once(
        key=f"volunteers.application:{application.pk}:refused",
        recipients=[application.email],
        subject="Votre candidature à la réserve citoyenne",
        template="volunteers/mail/application_refused.txt",
        context={"application": application},
        about=f"volunteers.application:{application.pk}",
    )
    return application


def remind_overdue_vettings(*, now: datetime | None = None) -> int:
    """Scheduled: an application still undecided two months after it was submitted is flagged
    to the académie team, once per application."""
    sent = 0
    for application in overdue_applications(now=now):
        notification = notify_once(
            key=f"volunteers.application:{application.pk}:vetting-overdue",
            recipients=team_emails(application.academie_id),
            subject=f"Réserve citoyenne : candidature de {application.full_name} en attente "
            "depuis plus de deux mois",
            template="volunteers/mail/application_overdue.txt",
            context={
                "application": application,
                "url": absolute_url(application.get_absolute_url()),
            },
            about=f"volunteers.application:{application.pk}",
        )
        sent += notification is not None
    return sent


# --- Requests from teachers ---------------------------------------------------------------------


def _notify_request(request: ReserveRequest, event: str, *, to: list[str], subject: str) -> None:
    notify_once(
        key=f"volunteers.request:{request.pk}:{event}",
        recipients=to,
        subject=subject,
        template=f"volunteers/mail/request_{event}.txt",
        context={"request": request, "url": absolute_url(request.get_absolute_url())},
        about=f"volunteers.request:{request.pk}",
    )


@transaction.atomic
def request_send(
    *, user: User, reservist: ReserveApplication, establishment: Establishment, subject: str,
    message: str,
    skill: str, wished_date: date | None = None,
) -> ReserveRequest:  # fmt: skip
    """A teacher (or head of school) asks a validated reservist of their académie to come to
    their school. The reservist is told by e-mail."""
    if not perms.works_in(user, establishment.pk):
        raise PermissionDenied("Seule l'équipe d'un établissement sollicite un réserviste.")
    check_date_range(wished_date, "wished_date")
    unavailable = reservist_unavailable(reservist)
    if unavailable:
        raise ValidationError(unavailable)
    if reservist.academie_id != establishment.academie_id:
        raise ValidationError("Ce réserviste relève d'une autre académie.")
    if wished_date and wished_date < timezone.localdate():
        raise ValidationError({"wished_date": "La date souhaitée est déjà passée."})
    request = ReserveRequest(
        reservist=reservist,
        establishment=establishment,
        requested_by=user,
        subject=require_text(subject, "subject", "Indiquez l'objet de la demande."),
        message=require_text(message, "message", "Décrivez votre projet."),
        skill=ReserveSkill(skill),
        wished_date=wished_date,
    )
    request.full_clean()
    request.save()
    REQUEST_WORKFLOW.log_creation(request, user=user, note="Demande")
    _notify_request(
        request, "sent", to=[reservist.email],
        subject=f"{establishment.name} sollicite votre intervention",
    )  # fmt: skip
    return request


@transaction.atomic
def request_answer(
    *, user: AnyUser, request: ReserveRequest, accept: bool, note: str = ""
) -> ReserveRequest:
    """The reservist accepts (while still in the réserve) or declines; the teacher is
    told."""
    note = (note or "").strip()
    request = REQUEST_WORKFLOW.fire(
        request, "accepter" if accept else "decliner", user=user, note=note, answer=note
    )
    verb = "accepte" if accept else "décline"
    _notify_request(
        request, "accepted" if accept else "declined", to=[request.requested_by.email],
        subject=f"{request.reservist.full_name} {verb} votre demande « {request.subject} »",
    )  # fmt: skip
    return request


@transaction.atomic
def request_cancel(*, user: AnyUser, request: ReserveRequest, note: str = "") -> ReserveRequest:
    """The school withdraws its request (before it is done); the reservist is told."""
    request = REQUEST_WORKFLOW.fire(request, "annuler", user=user, note=(note or "").strip())
    _notify_request(
        request, "cancelled", to=[request.reservist.email],
        subject=f"Demande annulée : « {request.subject} »",
    )  # fmt: skip
    return request


@transaction.atomic
def request_record_done(
    *, user: AnyUser, request: ReserveRequest, done_on: date, hours: Decimal, pupils: int
) -> ReserveRequest:
    """The intervention took place: its date (past), duration and number of pupils are
    counted; the school side or the reservist records it."""
    check_date_range(done_on, "done_on")
    return REQUEST_WORKFLOW.fire(
        request, "realiser", user=user, note="Intervention réalisée", done_on=done_on,
        hours=hours, pupils=pupils,
    )  # fmt: skip
