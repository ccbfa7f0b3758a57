"""CEE and CET: proposal, designation and lettre de mission, employer information, end of
mandate, interventions and the yearly nominative list.

    proposé ──designer──▶ désigné ──confirmer_employeur──▶ en mission ──terminer──▶ terminé
       │  └──refuser (motif)──▶ refusé    └──────────terminer / expirer──────────┘
       └──retirer──▶ retiré

(the table is ``workflows.ADVISOR_WORKFLOW``: who fires what, guards, fields set)

Code de l'éducation, art. D. 331-65 à D. 331-67, and the model CEE convention: the
organisation proposes (art. 3), the recteur designates with a lettre de mission stating the
nature, the geographic scope, the duration and the académie contact (art. 3), sent to the
organisation, which informs the employer (art. 3); the nominative list is fixed each year by
arrêté and sent to each signatory organisation (art. 5).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.agreements.enums import AgreementKind, AgreementState
from relais.agreements.models import Agreement
from relais.core.notifications import absolute_url, notify_once
from relais.core.school_years import school_year_label, school_year_of
from relais.core.text import search_key
from relais.core.validation import check_date_range, check_date_ranges
from relais.documents.rendering import PDF_MIMETYPE
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.users.models import User
from relais.users.types import AnyUser

from .. import perms
from ..documents import (
    mission_letter_pdf,
    nominative_basename,
    nominative_list_csv,
    nominative_list_pdf,
)
from ..enums import APPOINTED_STATES, KIND_SHORT, AdvisorKind, AdvisorState, InterventionDomain
from ..models import Advisor, AdvisorIntervention, NominativeListSending
from ..selectors import (
    mandates_ending,
    nominative_list,
    nominative_list_recipients,
)
from ..workflows import ADVISOR_WORKFLOW
from .common import organisation_emails, team_emails

PROPOSAL_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "status",
    "employer_name",
    "job_title",
    "naf",
    "rome",
    "sectors",
    "specialty",
    "domains",
    "proposal_note",
]
# Days after designation before the organisation is reminded to confirm that the employer
# is informed, and days before the end of a mandate when the team and organisation are told.
CONFIRMATION_REMINDER_DAYS = getattr(settings, "RELAIS_CEE_CONFIRMATION_REMINDER_DAYS", 15)
MANDATE_END_NOTICE_DAYS = getattr(settings, "RELAIS_MANDATE_END_NOTICE_DAYS", 60)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def advisor_search_text(advisor: Advisor) -> str:
    return search_key(
        advisor.first_name,
        advisor.last_name,
        advisor.email,
        advisor.employer_name,
        advisor.organisation.name,
        advisor.organisation.acronym,
        advisor.sectors,
        advisor.specialty,
    )


def _check_agreement(
    *,
    kind: str,
    agreement: Agreement | None,
    organisation: Organisation,
    academie: Academie,
) -> None:
    """A CEE is proposed under a CEE convention in force (art. D. 331-66) that the proposing
    organisation signed and that covers the académie."""
    if kind != AdvisorKind.CEE:
        return
    if agreement is None:
        raise ValidationError({"agreement": "Choisissez la convention CEE en vigueur."})
    if agreement.kind != AgreementKind.CEE or agreement.state != AgreementState.IN_FORCE:
        raise ValidationError(
            {"agreement": "Un CEE est proposé au titre d'une convention CEE en vigueur."}
        )
    if not agreement.parties.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": f"« {organisation} » n'est pas signataire de cette convention."}
        )
    covers = (
        agreement.academie_id == academie.pk
        or (agreement.academie_id is None and agreement.academic_region_id == academie.region_id)
        or (agreement.academie_id is None and agreement.academic_region_id is None)
    )
    if not covers:
        raise ValidationError({"academie": "Cette convention ne couvre pas cette académie."})


@transaction.atomic
def advisor_propose(
    *,
    user: User,
    kind: str,
    academie: Academie,
    organisation: Organisation,
    agreement: Agreement | None = None,
    data: dict[str, Any],
) -> Advisor:
    """An organisation proposes a candidate (art. 3): salarié, artisan or employeur, with the
    employer and the sectors of expertise, in an académie of its territory
    (``perms.organisation_covers``; issue 17). The académie team may enter it on its behalf.
    The académie team is told by e-mail."""
    if not perms.can_propose_advisor(user):
        raise PermissionDenied("Seule une organisation professionnelle propose des candidats.")
    if not (perms.represents(user, organisation.pk) or perms.manages_academie(user, academie.pk)):
        raise PermissionDenied("Vous ne pouvez pas proposer de candidat pour cette organisation.")
    if agreement is not None and agreement.academie_id and academie.pk != agreement.academie_id:
        academie = agreement.academie or academie  # its académie: set, as academie_id is
    if not perms.organisation_covers(organisation, academie.pk):
        raise ValidationError(
            {
                "academie": f"« {organisation} » ne propose de conseillers que dans les "
                f"académies de son territoire : « {academie} » n'en fait pas partie."
            }
        )
    _check_agreement(kind=kind, agreement=agreement, organisation=organisation, academie=academie)
    email = (data.get("email") or "").strip().lower()
    open_states = [AdvisorState.PROPOSED, AdvisorState.DESIGNATED, AdvisorState.ACTIVE]
    if Advisor.objects.filter(
        kind=kind, academie=academie, email__iexact=email, state__in=open_states
    ).exists():
        raise ValidationError(
            {"email": f"Ce {KIND_SHORT[kind]} est déjà proposé ou désigné dans cette académie."}
        )
    advisor = Advisor(
        kind=kind,
        academie=academie,
        organisation=organisation,
        agreement=agreement if kind == AdvisorKind.CEE else None,
        proposed_by=user,
    )
    for field in PROPOSAL_FIELDS:
        if field in data:
            setattr(advisor, field, data[field])
    advisor.email = email
    advisor.domains = [InterventionDomain(d).value for d in (data.get("domains") or [])]
    advisor.search_text = advisor_search_text(advisor)
    advisor.full_clean(exclude=["search_text"])
    advisor.save()
    ADVISOR_WORKFLOW.log_creation(advisor, user=user, note="Proposition")
    notify_once(
        key=f"volunteers.advisor:{advisor.pk}:proposed",
        recipients=team_emails(academie.pk),
        subject=f"Nouvelle proposition de {KIND_SHORT[kind]} : {advisor.full_name}",
        template="volunteers/mail/advisor_proposed.txt",
        context={"advisor": advisor, "url": absolute_url(advisor.get_absolute_url())},
        about=f"volunteers.advisor:{advisor.pk}",
    )
    return advisor


def default_mandate(advisor: Advisor, *, start: date) -> date:
    """The mandate of a CEE runs to the end of its convention (3 years, art. D. 331-66);
    a CET's, by default, to the end of the third school year after its start."""
    agreement = advisor.agreement
    if agreement is not None and agreement.current_end:
        return agreement.current_end
    return date(school_year_of(start) + 3, 8, 31)


@transaction.atomic
def advisor_designate(
    *,
    user: AnyUser,
    advisor: Advisor,
    mandate_start: date,
    mandate_end: date,
    mission: str,
    geographic_scope: str,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    today: date | None = None,
) -> Advisor:
    """The recteur designates the candidate (art. D. 331-65). The lettre de mission states the
    nature of the mission, its geographic scope, its duration and the académie contact
    (art. 3); it is e-mailed as a PDF to the organisation, which must then confirm that the
    employer is informed. The mandate fits the CEE convention in force
    (``workflows.check_mandate``)."""
    check_date_ranges(
        {"mandate_start": mandate_start, "mandate_end": mandate_end},
        ["mandate_start", "mandate_end"],
    )
    advisor = ADVISOR_WORKFLOW.fire(
        advisor, "designer", user=user, note="Désignation par le recteur",
        mandate_start=mandate_start, mandate_end=mandate_end, mission=mission,
        geographic_scope=geographic_scope, contact_name=contact_name,
        contact_email=contact_email, contact_phone=contact_phone, today=today,
    )  # fmt: skip
    letter = mission_letter_pdf(advisor)
    notify_once(
        key=f"volunteers.advisor:{advisor.pk}:designated",
        recipients=organisation_emails(advisor.organisation),
        subject=f"Lettre de mission de {advisor.full_name} ({KIND_SHORT[advisor.kind]})",
        template="volunteers/mail/advisor_designated.txt",
        context={"advisor": advisor, "url": absolute_url(advisor.get_absolute_url())},
        about=f"volunteers.advisor:{advisor.pk}",
        attachments=[(letter.filename, letter.content, PDF_MIMETYPE)],
    )
    return advisor


@transaction.atomic
def advisor_refuse(*, user: AnyUser, advisor: Advisor, reason: str) -> Advisor:
    """The académie team refuses a candidate, with a reason sent to the organisation."""
    reason = (reason or "").strip()
    advisor = ADVISOR_WORKFLOW.fire(advisor, "refuser", user=user, note=reason, reason=reason)
    notify_once(
        key=f"volunteers.advisor:{advisor.pk}:refused",
        recipients=organisation_emails(advisor.organisation),
        subject=f"Candidature de {advisor.full_name} non retenue",
        template="volunteers/mail/advisor_refused.txt",
        context={"advisor": advisor},
        about=f"volunteers.advisor:{advisor.pk}",
    )
    return advisor


@transaction.atomic
def advisor_withdraw(*, user: AnyUser, advisor: Advisor, reason: str = "") -> Advisor:
    """The organisation withdraws a proposal not yet decided."""
    return ADVISOR_WORKFLOW.fire(advisor, "retirer", user=user, note=(reason or "").strip())


@transaction.atomic
def advisor_confirm_employer_informed(
    *, user: AnyUser, advisor: Advisor, informed_on: date | None = None
) -> Advisor:
    """Art. 3: the organisation confirms that the employer is informed of the extent and
    duration of the mission; the advisor is then in mission. The date and who confirmed are
    kept (not in the future, not before the designation)."""
    check_date_range(informed_on, "informed_on")
    return ADVISOR_WORKFLOW.fire(
        advisor, "confirmer_employeur", user=user, note="Employeur informé de la mission",
        informed_on=informed_on,
    )  # fmt: skip


@transaction.atomic
def advisor_end(
    *, user: AnyUser, advisor: Advisor, reason: str, ended_on: date | None = None
) -> Advisor:
    """End a mandate before its term (resignation, change of employer…), with a reason."""
    check_date_range(ended_on, "ended_on")
    reason = (reason or "").strip()
    return ADVISOR_WORKFLOW.fire(
        advisor, "terminer", user=user, note=reason, reason=reason, ended_on=ended_on
    )


def advisors_end_expired(*, today: date | None = None) -> int:
    """Scheduled: close the mandates whose end date has passed (journal « Fin du mandat »,
    fired by Relais). A mandate ended meanwhile by the team is skipped."""
    today = today or timezone.localdate()
    count = 0
    for pk in Advisor.objects.filter(state__in=APPOINTED_STATES, mandate_end__lt=today).values_list(
        "pk", flat=True
    ):
        try:
            ADVISOR_WORKFLOW.fire(
                Advisor(pk=pk), "expirer", user=None, note="Fin du mandat", today=today
            )
        except ValidationError:  # ended or renewed since the list was read
            continue
        count += 1
    return count


def remind_employer_information(*, today: date | None = None) -> int:
    """Scheduled: remind the organisation, once, when the employer's information is still not
    confirmed ``CONFIRMATION_REMINDER_DAYS`` days after the designation."""
    today = today or timezone.localdate()
    cutoff = today - timedelta(days=CONFIRMATION_REMINDER_DAYS)
    sent = 0
    for advisor in Advisor.objects.filter(
        state=AdvisorState.DESIGNATED, employer_informed_on__isnull=True, designated_on__lte=cutoff
    ).select_related("organisation", "academie"):
        notification = notify_once(
            key=f"volunteers.advisor:{advisor.pk}:employer-reminder",
            recipients=organisation_emails(advisor.organisation),
            subject=f"À confirmer : l'employeur de {advisor.full_name} est-il informé ?",
            template="volunteers/mail/advisor_employer_reminder.txt",
            context={"advisor": advisor, "url": absolute_url(advisor.get_absolute_url())},
            about=f"volunteers.advisor:{advisor.pk}",
        )
        sent += notification is not None
    return sent


def remind_mandate_ends(*, today: date | None = None) -> int:
    """Scheduled: ``MANDATE_END_NOTICE_DAYS`` days before a mandate ends, tell the académie
    team and the organisation (once per mandate end), so that a renewal can be proposed."""
    today = today or timezone.localdate()
    sent = 0
    for advisor in mandates_ending(on=today, within_days=MANDATE_END_NOTICE_DAYS):
        notification = notify_once(
            key=f"volunteers.advisor:{advisor.pk}:mandate-end:{advisor.mandate_end:%Y-%m-%d}",
            recipients=team_emails(advisor.academie_id) + organisation_emails(advisor.organisation),
            subject=f"Fin de mandat le {advisor.mandate_end:%d/%m/%Y} : {advisor.full_name}",
            template="volunteers/mail/advisor_mandate_end.txt",
            context={"advisor": advisor, "url": absolute_url(advisor.get_absolute_url())},
            about=f"volunteers.advisor:{advisor.pk}",
        )
        sent += notification is not None
    return sent


@transaction.atomic
def intervention_record(
    *,
    user: User,
    advisor: Advisor,
    domain: str,
    establishment: Establishment,
    date: date,
    hours: Decimal,
    description: str = "",
) -> AdvisorIntervention:
    """An intervention of a designated CEE or CET: a domain of Article 2, in a school of its
    académie, on a date within the mandate, for some hours."""
    if not perms.can_record_intervention(user, advisor):
        raise PermissionDenied("Vous ne pouvez pas saisir d'intervention pour ce conseiller.")
    check_date_range(date, "date")
    if establishment.academie_id != advisor.academie_id:
        raise ValidationError(
            {"establishment": "L'établissement doit relever de l'académie du conseiller."}
        )
    start, end = advisor.mandate_start, advisor.mandate_end  # set once designated
    if start is None or end is None or not (start <= date <= end):
        raise ValidationError(
            {"date": f"La date doit être comprise dans le mandat (du "
             f"{advisor.mandate_start:%d/%m/%Y} au {advisor.mandate_end:%d/%m/%Y})."}
        )  # fmt: skip
    if date > timezone.localdate():
        raise ValidationError({"date": "On enregistre une intervention réalisée, pas à venir."})
    intervention = AdvisorIntervention(
        advisor=advisor,
        domain=InterventionDomain(domain),
        establishment=establishment,
        date=date,
        hours=hours,
        description=(description or "").strip(),
        recorded_by=user,
    )
    intervention.full_clean()
    intervention.save()
    return intervention


@transaction.atomic
class NominativeListSent(TypedDict):
    """What ``nominative_list_send`` did: the sendings, the organisations without an
    address, the number of advisors listed."""

    sent: list[NominativeListSending]
    unreachable: list[Organisation]
    count: int


def nominative_list_send(
    *, user: User, academie: Academie, kind: str, school_year: int
) -> NominativeListSent:
    """Art. 5: send the nominative list of the school year, as fixed by arrêté du recteur, to
    each signatory organisation (PDF and CSV attached), and record each sending. Sending again
    (a corrected list) is a new, numbered sending."""
    if not perms.can_send_nominative_list(user, academie.pk):
        raise PermissionDenied("Seule l'équipe académique envoie la liste nominative.")
    advisors = list(nominative_list(academie_id=academie.pk, kind=kind, school_year=school_year))
    recipients = nominative_list_recipients(
        academie_id=academie.pk, kind=kind, school_year=school_year
    )
    if not recipients:
        raise ValidationError("Aucune organisation signataire à qui envoyer la liste.")
    pdf = nominative_list_pdf(
        academie=academie, kind=kind, school_year=school_year, advisors=advisors
    )
    csv_name = nominative_basename(academie, kind, school_year) + ".csv"
    attachments = [
        (pdf.filename, pdf.content, PDF_MIMETYPE),
        (csv_name, nominative_list_csv(advisors), "text/csv"),
    ]
    sent: list[NominativeListSending] = []
    unreachable: list[Organisation] = []
    for organisation in recipients:
        emails = organisation_emails(organisation)
        if not emails:
            unreachable.append(organisation)
            continue
        sequence = (
            NominativeListSending.objects.filter(
                academie=academie, kind=kind, school_year=school_year, organisation=organisation
            ).count()
            + 1
        )
        notify_once(
            key=f"volunteers.list:{academie.pk}:{kind}:{school_year}:{organisation.pk}:{sequence}",
            recipients=emails,
            subject=f"Liste nominative des {KIND_SHORT[kind]} {school_year_label(school_year)} "
            f"— {academie}",
            template="volunteers/mail/nominative_list.txt",
            context={
                "academie": academie,
                "kind": KIND_SHORT[kind],
                "school_year": school_year_label(school_year),
                "count": len(advisors),
            },
            about=f"volunteers.list:{academie.pk}:{school_year}",
            attachments=attachments,
        )
        sent.append(
            NominativeListSending.objects.create(
                academie=academie,
                kind=kind,
                school_year=school_year,
                organisation=organisation,
                sequence=sequence,
                recipients=sorted(set(emails)),
                advisor_count=len(advisors),
                sent_by=user,
            )
        )
    return {"sent": sent, "unreachable": unreachable, "count": len(advisors)}
