"""Electronic signature (``relais.agreements.signing`` for the rules): invitations sent at
the sending for signature, the one-time code, the signature itself and the reminders at
fixed delays. Every e-mail goes through the outbox (``notify_once``) in the transaction of
the change; every step is a line of the signature journal."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from relais.core.models import Notification
from relais.core.notifications import absolute_url, notify_once
from relais.users.types import AnyUser

from .. import signing
from ..enums import AgreementState, SignatureEventKind, SignatureMode, Transition
from ..models import Agreement, Signatory
from ..workflows import AGREEMENT_WORKFLOW
from .common import check_manage
from .entry import enter_into_force_if_signed


def _version(agreement: Agreement) -> int:
    number = agreement.versions.order_by("-number").values_list("number", flat=True).first()
    if number is None:
        raise ValidationError("La convention n'a pas été envoyée en signature.")
    return number


def signing_url(signatory: Signatory, version: int) -> str:
    token = signing.link_token(signatory, version)
    return absolute_url(reverse("agreements:esign", args=[token]))


def _mail(
    signatory: Signatory, *, key: str, subject: str, version: int, reminder: int = 0
) -> Notification | None:
    return notify_once(
        key=key,
        recipients=[signatory.email],
        subject=subject,
        template="agreements/mail/signature_invitation.txt",
        context={
            "signatory": signatory,
            "agreement": signatory.agreement,
            "url": signing_url(signatory, version),
            "days": signing.LINK_DAYS,
            "reminder": reminder,
        },
        about=f"agreements.agreement:{signatory.agreement_id}",
    )


@transaction.atomic
def signature_invite(
    *, user: AnyUser, agreement: Agreement, signatory: Signatory | None = None
) -> int:
    """Send their signing link to the electronic signatories who have not signed (or to
    ``signatory`` again, with a new link). Returns how many links were sent."""
    if agreement.state != AgreementState.IN_SIGNATURE:
        raise ValidationError("Seule une convention en signature attend des signatures.")
    if signatory is not None:
        check_manage(user, agreement)
    version = _version(agreement)
    pending = agreement.signatories.select_related("party", "agreement").filter(
        signs_electronically=True, signed_on__isnull=True
    )
    if signatory is not None:
        pending = pending.filter(pk=signatory.pk)
    sent = 0
    now = timezone.now()
    for person in pending:
        count = person.signature_events.filter(kind=SignatureEventKind.INVITED).count()
        mail = _mail(
            person,
            key=f"signature:{person.pk}:v{version}:invitation:{count + 1}",
            subject=f"[Relais] Convention {agreement.number} à signer électroniquement",
            version=version,
        )
        if mail is not None:
            Signatory.objects.filter(pk=person.pk).update(invited_at=now)
            signing.log(person, SignatureEventKind.INVITED, version=version)
            sent += 1
    return sent


@transaction.atomic
def signature_resend(*, user: AnyUser, signatory: Signatory) -> Signatory:
    """The académie team sends a signatory who lost their link a new one: the old link is
    revoked (the signatory's link generation goes up), so is any one-time code asked through
    it; the reminders count from the new link. Journaled in the signature journal (who sent
    it) and in the outbox."""
    signatory = (
        Signatory.objects.select_for_update(of=("self",))
        .select_related("agreement", "party")
        .get(pk=signatory.pk)
    )
    agreement = signatory.agreement
    check_manage(user, agreement)
    if agreement.state != AgreementState.IN_SIGNATURE:
        raise ValidationError("Seule une convention en signature attend des signatures.")
    if not signatory.signs_electronically:
        raise ValidationError(f"{signatory.full_name} signe sur papier : aucun lien à renvoyer.")
    if signatory.signed_on is not None:
        raise ValidationError(f"{signatory.full_name} a déjà signé.")
    version = _version(agreement)
    signatory.link_generation += 1
    signatory.invited_at = timezone.now()
    signatory.code_hash, signatory.code_expires_at, signatory.code_attempts = "", None, 0
    signatory.save(
        update_fields=[
            "link_generation", "invited_at", "code_hash", "code_expires_at", "code_attempts"
        ]
    )  # fmt: skip
    _mail(
        signatory,
        key=f"signature:{signatory.pk}:v{version}:renvoi:{signatory.link_generation}",
        subject=f"[Relais] Nouveau lien : convention {agreement.number} à signer",
        version=version,
    )
    signing.log(
        signatory, SignatureEventKind.RESENT, version=version,
        generation=signatory.link_generation, by=user.pk, by_name=str(user),
    )  # fmt: skip
    return signatory


@transaction.atomic
def signature_opened(*, signatory: Signatory, ip: str | None, user_agent: str) -> None:
    signing.log(signatory, SignatureEventKind.OPENED, ip=ip, user_agent=user_agent)


@transaction.atomic
def signature_send_code(*, signatory: Signatory, ip: str | None, user_agent: str) -> None:
    """A new one-time code (six digits, ``CODE_MINUTES`` minutes, ``CODE_ATTEMPTS``
    attempts) to the signatory's e-mail address: it confirms their identity."""
    signatory = (
        Signatory.objects.select_for_update().select_related("agreement").get(pk=signatory.pk)
    )
    if signatory.signed_on is not None:
        raise ValidationError("Votre signature est déjà enregistrée.")
    code = signing.new_code()
    signatory.code_hash = signing.code_hash(signatory, code)
    signatory.code_expires_at = timezone.now() + timedelta(minutes=signing.CODE_MINUTES)
    signatory.code_attempts = 0
    signatory.save(update_fields=["code_hash", "code_expires_at", "code_attempts"])
    count = signatory.signature_events.filter(kind=SignatureEventKind.CODE_SENT).count()
    notify_once(
        key=f"signature:{signatory.pk}:code:{count + 1}",
        recipients=[signatory.email],
        subject=f"[Relais] Code de signature : {code}",
        template="agreements/mail/signature_code.txt",
        context={"signatory": signatory, "code": code, "minutes": signing.CODE_MINUTES},
        about=f"agreements.agreement:{signatory.agreement_id}",
    )
    signing.log(signatory, SignatureEventKind.CODE_SENT, ip=ip, user_agent=user_agent)


def _check_code(signatory: Signatory, code: str, *, ip: str | None, user_agent: str) -> str | None:
    """The French reason the code is refused, or None."""
    if not signatory.code_hash or signatory.code_expires_at is None:
        return "Demandez d'abord un code : il vous sera envoyé par courriel."
    if signatory.code_attempts >= signing.CODE_ATTEMPTS:
        return "Trop d'essais : demandez un nouveau code."
    if signatory.code_expires_at < timezone.now():
        return f"Ce code a expiré ({signing.CODE_MINUTES} minutes) : demandez-en un nouveau."
    if not signing.code_matches(signatory, code):
        Signatory.objects.filter(pk=signatory.pk).update(code_attempts=signatory.code_attempts + 1)
        signing.log(signatory, SignatureEventKind.CODE_FAILED, ip=ip, user_agent=user_agent)
        return "Ce code n'est pas le bon."
    return None


def signature_sign(
    *,
    signatory: Signatory,
    code: str,
    consent: bool,
    ip: str | None,
    user_agent: str,
    today: date | None = None,
) -> Agreement:
    """The signatory signs the frozen PDF they read: the code confirms their identity, the
    consent is explicit. The signature is recorded (journal of the convention and signature
    journal with the evidence); at the last signature the convention enters into force."""
    today = today or timezone.localdate()
    with transaction.atomic():
        signatory = (
            Signatory.objects.select_for_update()
            .select_related("agreement", "party")
            .get(pk=signatory.pk)
        )
        if not consent:
            raise ValidationError(
                {"consent": "Cochez la case pour consentir à signer électroniquement."}
            )
        reason = _check_code(signatory, code, ip=ip, user_agent=user_agent)
    if reason:  # the failed attempt is kept (its own transaction above)
        raise ValidationError({"code": reason})
    with transaction.atomic():
        agreement = signatory.agreement
        version = agreement.versions.order_by("-number").first()
        assert version is not None  # in signature: sent, hence frozen in a version
        document = signing.frozen_document(version)
        agreement = AGREEMENT_WORKFLOW.fire(
            agreement,
            Transition.E_SIGN,
            user=None,
            note=f"{signatory.full_name} ({signatory.party.name}) — signature électronique",
            data={
                "signatory": signatory.pk,
                "signed_on": today.isoformat(),
                "mode": SignatureMode.ELECTRONIC,
                "sha256": document.sha256,
                "ip": ip or "",
            },
            signatory=signatory,
            signed_on=today,
            mode=SignatureMode.ELECTRONIC,
        )
        Signatory.objects.filter(pk=signatory.pk).update(code_hash="", code_expires_at=None)
        signing.log(
            signatory, SignatureEventKind.SIGNED, ip=ip, user_agent=user_agent,
            sha256=document.sha256, version=version.number, consent=True,
        )  # fmt: skip
        return enter_into_force_if_signed(agreement, user=None, today=today)


def signature_reminders(*, today: date) -> int:
    """Remind the electronic signatories who have not signed, ``REMINDER_DAYS`` days after
    their link was sent (each reminder once; a job that missed days catches up)."""
    sent = 0
    pending = Signatory.objects.select_related("agreement", "party").filter(
        agreement__state=AgreementState.IN_SIGNATURE,
        signs_electronically=True,
        signed_on__isnull=True,
        invited_at__isnull=False,
    )
    for signatory in pending:
        invited = timezone.localdate(signatory.invited_at)
        version = _version(signatory.agreement)
        due = [
            n
            for n, days in enumerate(signing.REMINDER_DAYS, 1)
            if invited + timedelta(days) <= today
        ]
        if not due:
            continue
        with transaction.atomic():
            mail = _mail(
                signatory,
                key=f"signature:{signatory.pk}:v{version}:relance:{due[-1]}",
                subject=f"[Relais] Rappel : convention {signatory.agreement.number} à signer",
                version=version,
                reminder=due[-1],
            )
            if mail is not None:
                signing.log(signatory, SignatureEventKind.REMINDED, reminder=due[-1])
                sent += 1
    return sent
