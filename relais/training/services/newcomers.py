"""Writes of the CASNAV's CVs of young allophone newcomers (CPME Île-de-France, art. 2.2:
« La CPME Ile de France s'engage à faire circuler auprès de ses adhérents les CV et lettres
de motivation que lui transmettra le CASNAV de Paris et veillera à trouver une solution
pour le maximum d'entre eux »; the préfecture asks « qu'un employeur se dise prêt, par
écrit, à signer un contrat d'apprentissage ou un contrat d'embauche »)."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once
from relais.core.workflow import purging_journals
from relais.documents.uploads import validate_pdf_upload
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.users.models import User
from relais.users.types import AnyUser
from relais.volunteers.services.common import organisation_emails

from .. import perms, selectors
from ..enums import ConsentGiver, ContractKind
from ..models import CasnavStaff, Newcomer, NewcomerAnswer, NewcomerJournal, NewcomerShare
from ..workflows import ANSWER_WORKFLOW

# The consent text the young person (or their guardian) agrees to: its version is recorded.
CONSENT_VERSION = "2026-1"
CONSENT_TEXT = (
    "J'accepte que le CASNAV de l'académie transmette mon CV et ma lettre de motivation aux "
    "entreprises adhérentes des organisations partenaires engagées à les faire circuler, "
    "pour me proposer un contrat d'apprentissage ou un emploi. Mes données sont effacées au "
    "plus tard à la fin du délai de conservation ; je peux retirer mon accord à tout moment "
    "auprès du CASNAV."
)


def retention_months() -> int:
    return int(getattr(settings, "RELAIS_NEWCOMER_RETENTION_MONTHS", 12))


def _by(user: AnyUser) -> User | None:
    return user if isinstance(user, User) else None


@transaction.atomic
def casnav_name(*, user: AnyUser, academie: Academie, person: User) -> CasnavStaff:
    """The académie team names a member of its CASNAV (who then uploads and shares CVs)."""
    if not perms.manages_academie(user, academie.pk):
        raise PermissionDenied("Seule l'équipe académique désigne les membres du CASNAV.")
    staff, _created = CasnavStaff.objects.get_or_create(
        user=person, academie=academie, defaults={"named_by": _by(user)}
    )
    return staff


@transaction.atomic
def newcomer_upload(
    *, user: AnyUser, academie: Academie, cv: Any, data: dict[str, Any]
) -> Newcomer:
    """The CASNAV records a young newcomer's CV (a checked PDF) with the minimum data and the
    consent given (by the young person, or their legal guardian if a minor) to the text of
    ``CONSENT_VERSION``, which must have been read to them (``consent`` is True). The CV is
    kept ``retention_months()`` months, then purged."""
    if academie.pk not in perms.casnav_academie_ids(user):
        raise PermissionDenied("Seul le CASNAV de l'académie dépose les CV des jeunes allophones.")
    if not data.get("consent"):
        raise ValidationError(
            {"consent": "Le consentement est obligatoire : rien n'est enregistré sans lui."}
        )
    giver = data.get("consent_giver") or ""
    birth_year = data.get("birth_year")
    today = timezone.localdate()
    if birth_year and giver == ConsentGiver.YOUNG and today.year - int(birth_year) < 18:
        raise ValidationError(
            {"consent_giver": "Ce jeune est mineur : le consentement est celui de son "
             "représentant légal."}
        )  # fmt: skip
    if cv is None:
        raise ValidationError({"cv": "Déposez le CV (PDF)."})
    try:
        validate_pdf_upload(cv)
    except ValidationError as error:
        raise ValidationError({"cv": error.messages}) from error
    newcomer = Newcomer(
        academie=academie,
        token=secrets.token_hex(16),
        first_name=(data.get("first_name") or "").strip(),
        initial=(data.get("initial") or "").strip()[:1].upper(),
        birth_year=birth_year or None,
        languages=(data.get("languages") or "").strip(),
        french_level=data.get("french_level") or "",
        sector=data.get("sector") or "",
        wish=(data.get("wish") or "").strip(),
        consent_giver=giver,
        consent_name=(data.get("consent_name") or "").strip(),
        consent_at=timezone.now(),
        consent_version=CONSENT_VERSION,
        uploaded_by=_by(user),
        retention_until=today + relativedelta(months=retention_months()),
    )
    newcomer.full_clean(exclude=["cv"])
    newcomer.cv.save(f"{newcomer.token}.pdf", cv, save=False)
    newcomer.save()
    return newcomer


@transaction.atomic
def newcomer_share(
    *, user: AnyUser, newcomer: Newcomer, organisation: Organisation
) -> NewcomerShare:
    """The CASNAV shares a CV with an organisation committed to circulate them (a « CASNAV »
    commitment of a convention in force over the académie): its member companies are told
    and may answer."""
    if not perms.is_casnav_of(user, newcomer):
        raise PermissionDenied("Seul le CASNAV de l'académie partage ce CV.")
    if newcomer.purged_at:
        raise ValidationError("Les données de ce jeune ont été purgées.")
    committed = selectors.committed_organisations(academie_id=newcomer.academie_id)
    if not committed.filter(pk=organisation.pk).exists():
        raise ValidationError(
            {"organisation": "Cette organisation n'a pas pris d'engagement « CASNAV » dans une "
             "convention en vigueur de l'académie."}
        )  # fmt: skip
    share, created = NewcomerShare.objects.get_or_create(
        newcomer=newcomer, organisation=organisation, defaults={"shared_by": _by(user)}
    )
    if not created:
        raise ValidationError({"organisation": "Ce CV est déjà partagé avec cette organisation."})
    members = Organisation.objects.filter(parent=organisation).values_list("pk", flat=True)
    recipients = organisation_emails(organisation)
    for member in Organisation.objects.filter(pk__in=list(members)):
        recipients += organisation_emails(member)
    notify_once(
        key=f"training.share:{share.pk}",
        recipients=sorted(set(recipients)),
        subject=f"Un CV transmis par le CASNAV : {newcomer.get_sector_display()}",
        body=(
            "Le CASNAV vous transmet le CV d'un jeune allophone nouvellement arrivé "
            f"({newcomer.get_sector_display()}). Lisez-le et répondez : "
            f"{absolute_url(newcomer.get_absolute_url())}\n"
        ),
        about=f"training.newcomer:{newcomer.pk}",
    )
    return share


@transaction.atomic
def answer_create(
    *, user: AnyUser, newcomer: Newcomer, company: Organisation, note: str = ""
) -> NewcomerAnswer:
    """A company the CV was shared with says it is interested; the CASNAV is told."""
    found = dict(
        (c.pk, share) for c, share in selectors.answer_companies(user=user, newcomer=newcomer)
    )
    if company.pk not in found:
        raise PermissionDenied("Ce CV n'a pas été partagé avec cette entreprise.")
    if NewcomerAnswer.objects.filter(newcomer=newcomer, company=company).exists():
        raise ValidationError("Votre entreprise a déjà répondu : faites avancer sa réponse.")
    answer = NewcomerAnswer.objects.create(
        newcomer=newcomer, company=company, via=found[company.pk],
        note=(note or "").strip(), answered_by=_by(user),
    )  # fmt: skip
    ANSWER_WORKFLOW.log_creation(answer, user=user, note=f"{company} est intéressée")
    _tell_casnav(answer, f"{company} est intéressée par le CV de {newcomer}")
    return answer


def _tell_casnav(answer: NewcomerAnswer, subject: str) -> None:
    emails = CasnavStaff.objects.filter(
        academie_id=answer.newcomer.academie_id, user__is_active=True
    ).values_list("user__email", flat=True)
    notify_once(
        key=f"training.answer:{answer.pk}:{answer.state}",
        recipients=list(emails),
        subject=subject,
        body=f"{answer.note}\n\n{absolute_url(answer.newcomer.get_absolute_url())}\n",
        about=f"training.newcomer:{answer.newcomer_id}",
    )


@transaction.atomic
def answer_advance(
    *,
    user: AnyUser,
    answer: NewcomerAnswer,
    name: str,
    contract_kind: str = "",
    interview_on: datetime.date | None = None,
    note: str = "",
) -> NewcomerAnswer:
    """The company moves its answer on: an interview (its date), a written promise (which
    contract: the préfecture asks for it before granting the titre de séjour), the contract
    signed; or closes it (the company or the CASNAV). The CASNAV is told each time."""
    if name == "promettre" and contract_kind not in ContractKind.values:
        raise ValidationError(
            {"contract_kind": "Précisez le contrat promis : apprentissage ou contrat de travail."}
        )
    if name == "proposer_entretien":
        if interview_on is None:
            raise ValidationError({"interview_on": "Indiquez la date de l'entretien."})
        NewcomerAnswer.objects.filter(pk=answer.pk).update(interview_on=interview_on)
    answer = ANSWER_WORKFLOW.fire(
        answer, name, user=user, note=(note or "").strip(), contract_kind=contract_kind
    )
    label = answer.get_state_display().lower()
    _tell_casnav(answer, f"{answer.company} : {label} pour {answer.newcomer}")
    return answer


def _purge(newcomers: list[Newcomer]) -> int:
    """Delete the CV files and blank what names the young people (see
    ``newcomers_purge_expired``)."""
    ids = [newcomer.pk for newcomer in newcomers]
    with purging_journals(NewcomerJournal):
        NewcomerJournal.objects.filter(answer__newcomer_id__in=ids).delete()
    NewcomerAnswer.objects.filter(newcomer_id__in=ids).update(note="")
    for newcomer in newcomers:
        if newcomer.cv:
            newcomer.cv.delete(save=False)
    Newcomer.objects.filter(pk__in=ids).update(
        first_name="", initial="", birth_year=None, languages="", wish="", consent_name="",
        cv="", purged_at=timezone.now(),
    )  # fmt: skip
    return len(ids)


@transaction.atomic
def newcomer_withdraw_consent(*, user: AnyUser, newcomer: Newcomer) -> None:
    """The young person (or their guardian) withdraws their consent, told to the CASNAV: the
    CV and what names them are purged at once, as at the end of the retention delay; the
    companies it was shared with are told that it is no longer available."""
    if not perms.is_casnav_of(user, newcomer):
        raise PermissionDenied(
            "Seul le CASNAV de l'académie enregistre le retrait du consentement."
        )
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    if newcomer.purged_at:
        raise ValidationError("Les données de ce jeune ont déjà été purgées.")
    recipients: list[str] = []
    for answer in newcomer.answers.select_related("company"):
        recipients += organisation_emails(answer.company)
    if recipients:
        notify_once(
            key=f"training.newcomer:{newcomer.pk}:withdrawn",
            recipients=sorted(set(recipients)),
            subject="Un CV transmis par le CASNAV n'est plus disponible",
            body="Le jeune a retiré son accord : son CV a été effacé. Merci de supprimer "
            "toute copie que vous en auriez gardée.\n",
            about=f"training.newcomer:{newcomer.pk}",
        )
    _purge([newcomer])


@transaction.atomic
def newcomers_purge_expired(*, today: datetime.date) -> int:
    """Purge the newcomers past their retention date (daily job): the CV file is deleted,
    the name, languages, wish and consent name blanked, the answers' notes and journals
    removed (``purging_journals``); the sector, académie, consent date and version, shares
    and the answers' states stay, for the commitment's counts."""
    expired = list(
        Newcomer.objects.select_for_update()
        .filter(retention_until__lt=today, purged_at__isnull=True)
        .order_by("pk")
    )
    return _purge(expired) if expired else 0
