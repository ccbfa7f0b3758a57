"""CEE and CET: proposal, designation and lettre de mission, employer information, end of
mandate, interventions and the yearly nominative list.

    proposé ──désignation──▶ désigné ──employeur informé──▶ en mission ──fin──▶ terminé
       │  └──refus (motif)──▶ refusé        └────────────────fin─────────────────┘
       └──retrait──▶ retiré

Code de l'éducation, art. D. 331-65 à D. 331-67, and the model CEE convention: the
organisation proposes (art. 3), the recteur designates with a lettre de mission stating the
nature, the geographic scope, the duration and the académie contact (art. 3), sent to the
organisation, which informs the employer (art. 3); the nominative list is fixed each year by
arrêté and sent to each signatory organisation (art. 5).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.agreements.enums import AgreementKind, AgreementState
from relais.core.notifications import absolute_url, notify_once
from relais.core.school_years import school_year_label, school_year_of
from relais.core.text import search_key
from relais.documents.rendering import PDF_MIMETYPE

from .. import perms
from ..documents import (
    mission_letter_pdf,
    nominative_basename,
    nominative_list_csv,
    nominative_list_pdf,
)
from ..enums import (
    ADVISOR_TRANSITIONS,
    KIND_SHORT,
    AdvisorKind,
    AdvisorState,
    InterventionDomain,
)
from ..models import Advisor, AdvisorIntervention, AdvisorTransition, NominativeListSending
from ..selectors import (
    mandates_ending,
    nominative_list,
    nominative_list_recipients,
)
from .common import fire, log_creation, organisation_emails, require_text, team_emails

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
    "domains",
    "proposal_note",
]
# Days after designation before the organisation is reminded to confirm that the employer
# is informed, and days before the end of a mandate when the team and organisation are told.
CONFIRMATION_REMINDER_DAYS = getattr(settings, "RELAIS_CEE_CONFIRMATION_REMINDER_DAYS", 15)
MANDATE_END_NOTICE_DAYS = getattr(settings, "RELAIS_MANDATE_END_NOTICE_DAYS", 60)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _fire(advisor: Advisor, to_state: AdvisorState, *, user, note: str = "") -> None:
    fire(
        advisor,
        journal=AdvisorTransition,
        link="advisor",
        transitions=ADVISOR_TRANSITIONS,
        to_state=to_state,
        user=user,
        note=note,
    )


def _locked(advisor: Advisor) -> Advisor:
    return (
        Advisor.objects.select_for_update(of=("self",))
        .select_related("academie", "organisation", "agreement")
        .get(pk=advisor.pk)
    )


def advisor_search_text(advisor: Advisor) -> str:
    return search_key(
        advisor.first_name,
        advisor.last_name,
        advisor.email,
        advisor.employer_name,
        advisor.organisation.name,
        advisor.organisation.acronym,
        advisor.sectors,
    )


def _check_agreement(*, kind: str, agreement, organisation, academie) -> None:
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
def advisor_propose(*, user, kind: str, academie, organisation, agreement=None, data: dict):
    """An organisation proposes a candidate (art. 3): salarié, artisan or employeur, with the
    employer and the sectors of expertise, in an académie of its territory
    (``perms.organisation_covers``; issue 17). The académie team may enter it on its behalf.
    The académie team is told by e-mail."""
    if not perms.can_propose_advisor(user):
        raise PermissionDenied("Seule une organisation professionnelle propose des candidats.")
    if not (perms.represents(user, organisation.pk) or perms.manages_academie(user, academie.pk)):
        raise PermissionDenied("Vous ne pouvez pas proposer de candidat pour cette organisation.")
    if agreement is not None and agreement.academie_id and academie.pk != agreement.academie_id:
        academie = agreement.academie
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
    log_creation(advisor, journal=AdvisorTransition, link="advisor", user=user, note="Proposition")
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


def _check_mandate(advisor: Advisor, start: date | None, end: date | None) -> None:
    if start is None or end is None:
        raise ValidationError({"mandate_end": "Indiquez le début et la fin du mandat."})
    if end <= start:
        raise ValidationError({"mandate_end": "La fin du mandat doit suivre son début."})
    agreement = advisor.agreement
    if agreement is None:
        return
    if agreement.state != AgreementState.IN_FORCE:
        raise ValidationError("La convention CEE n'est plus en vigueur : désignation impossible.")
    if agreement.start_date and start < agreement.start_date:
        raise ValidationError(
            {"mandate_start": "Le mandat ne peut commencer avant l'entrée en vigueur de la "
             f"convention ({agreement.start_date:%d/%m/%Y})."}
        )  # fmt: skip
    if agreement.current_end and end > agreement.current_end:
        raise ValidationError(
            {"mandate_end": "Le mandat ne peut dépasser la fin de la convention "
             f"({agreement.current_end:%d/%m/%Y})."}
        )  # fmt: skip


@transaction.atomic
def advisor_designate(
    *,
    user,
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
    employer is informed."""
    advisor = _locked(advisor)
    if not perms.can_vet_advisor(user, advisor):
        raise PermissionDenied("Seule l'équipe académique désigne les conseillers.")
    today = today or timezone.localdate()
    advisor.mission = require_text(mission, "mission", "Décrivez la nature de la mission.")
    advisor.geographic_scope = require_text(
        geographic_scope, "geographic_scope", "Indiquez le champ géographique de la mission."
    )
    advisor.contact_name = require_text(contact_name, "contact_name", "Indiquez le référent.")
    advisor.contact_email = require_text(
        contact_email, "contact_email", "Indiquez le courriel du référent."
    )
    advisor.contact_phone = (contact_phone or "").strip()
    _check_mandate(advisor, mandate_start, mandate_end)
    advisor.mandate_start, advisor.mandate_end = mandate_start, mandate_end
    advisor.designated_on = today
    kind, code, year = KIND_SHORT[advisor.kind], advisor.academie.code, school_year_of(today)
    advisor.letter_number = f"{kind}-{code}-{year}-{advisor.pk:05d}"
    _fire(advisor, AdvisorState.DESIGNATED, user=user, note="Désignation par le recteur")
    advisor.save()
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
def advisor_refuse(*, user, advisor: Advisor, reason: str) -> Advisor:
    """The académie team refuses a candidate, with a reason sent to the organisation."""
    advisor = _locked(advisor)
    if not perms.can_vet_advisor(user, advisor):
        raise PermissionDenied("Seule l'équipe académique statue sur les candidatures.")
    advisor.refusal_reason = require_text(reason, "reason", "Indiquez le motif du refus.")
    _fire(advisor, AdvisorState.REFUSED, user=user, note=advisor.refusal_reason)
    advisor.save()
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
def advisor_withdraw(*, user, advisor: Advisor, reason: str = "") -> Advisor:
    """The organisation withdraws a proposal not yet decided."""
    advisor = _locked(advisor)
    if not perms.can_act_for_organisation(user, advisor):
        raise PermissionDenied("Seule l'organisation qui a proposé ce candidat peut le retirer.")
    _fire(advisor, AdvisorState.WITHDRAWN, user=user, note=reason.strip())
    advisor.save()
    return advisor


@transaction.atomic
def advisor_confirm_employer_informed(
    *, user, advisor: Advisor, informed_on: date | None = None
) -> Advisor:
    """Art. 3: the organisation confirms that the employer is informed of the extent and
    duration of the mission; the advisor is then in mission. The date and who confirmed are
    kept."""
    advisor = _locked(advisor)
    if not perms.can_act_for_organisation(user, advisor):
        raise PermissionDenied("Seule l'organisation du conseiller confirme l'information.")
    today = timezone.localdate()
    informed_on = informed_on or today
    if informed_on > today:
        raise ValidationError({"informed_on": "La date d'information ne peut être future."})
    if advisor.designated_on and informed_on < advisor.designated_on:
        raise ValidationError(
            {"informed_on": "L'employeur est informé de la lettre de mission après la désignation."}
        )
    advisor.employer_informed_on = informed_on
    advisor.employer_informed_by = user
    _fire(advisor, AdvisorState.ACTIVE, user=user, note="Employeur informé de la mission")
    advisor.save()
    return advisor


@transaction.atomic
def advisor_end(*, user, advisor: Advisor, reason: str, ended_on: date | None = None) -> Advisor:
    """End a mandate before its term (resignation, change of employer…), with a reason."""
    advisor = _locked(advisor)
    if not perms.can_vet_advisor(user, advisor):
        raise PermissionDenied("Seule l'équipe académique met fin à un mandat.")
    reason = require_text(reason, "reason", "Indiquez pourquoi la mission prend fin.")
    advisor.ended_on = ended_on or timezone.localdate()
    _fire(advisor, AdvisorState.ENDED, user=user, note=reason)
    advisor.save()
    return advisor


def advisors_end_expired(*, today: date | None = None) -> int:
    """Scheduled: close the mandates whose end date has passed (journal « Fin du mandat »)."""
    today = today or timezone.localdate()
    count = 0
    for pk in Advisor.objects.filter(
        state__in=[AdvisorState.DESIGNATED, AdvisorState.ACTIVE], mandate_end__lt=today
    ).values_list("pk", flat=True):
        with transaction.atomic():
            advisor = _locked(Advisor(pk=pk))
            if advisor.state in (AdvisorState.DESIGNATED, AdvisorState.ACTIVE):
                advisor.ended_on = advisor.mandate_end
                _fire(advisor, AdvisorState.ENDED, user=None, note="Fin du mandat")
                advisor.save()
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
    *, user, advisor: Advisor, domain: str, establishment, date: date, hours, description=""
) -> AdvisorIntervention:
    """An intervention of a designated CEE or CET: a domain of Article 2, in a school of its
    académie, on a date within the mandate, for some hours."""
    if not perms.can_record_intervention(user, advisor):
        raise PermissionDenied("Vous ne pouvez pas saisir d'intervention pour ce conseiller.")
    if establishment.academie_id != advisor.academie_id:
        raise ValidationError(
            {"establishment": "L'établissement doit relever de l'académie du conseiller."}
        )
    if not (advisor.mandate_start <= date <= advisor.mandate_end):
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
def nominative_list_send(*, user, academie, kind: str, school_year: int) -> dict:
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
    sent, unreachable = [], []
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
