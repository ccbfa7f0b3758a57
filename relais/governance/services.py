"""Every write of the governance area: bodies and their members, meetings (plan, hold,
cancel), attendance, minutes and their sending, decisions, action items, annual reports, and
the daily reminders. Each service checks who may act (``perms``) and raises a French
``ValidationError`` when the request breaks a rule.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from relais.agreements.consolidation import consolidate
from relais.agreements.enums import AgreementKind
from relais.agreements.models import Agreement
from relais.core.notifications import absolute_url, notify_once
from relais.core.school_years import school_year_label, school_year_of
from relais.documents.uploads import validate_pdf_upload
from relais.users.enums import Role
from relais.users.models import Membership

from . import rules
from .enums import AttendanceStatus, BodyKind, MeetingStatus, ReportStatus
from .models import (
    ActionItem,
    AnnualReport,
    Attendance,
    Body,
    BodyMember,
    CommitmentResult,
    Decision,
    Meeting,
    StatusChange,
)
from .perms import can_manage_body, can_manage_club, can_manage_report

BODY_FIELDS = ("name", "kind", "min_meetings_per_year", "required_months", "rule_text")
MEMBER_FIELDS = ("full_name", "email", "organisation", "organisation_label", "role", "user")

# Meeting state machine: from → {to}. A held meeting stays held (its minutes are a record).
MEETING_TRANSITIONS = {
    MeetingStatus.PLANNED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.CANCELLED: {MeetingStatus.PLANNED},
    MeetingStatus.HELD: set(),
}
REPORT_TRANSITIONS = {ReportStatus.DRAFT: {ReportStatus.FINAL}, ReportStatus.FINAL: set()}


def _require_body_manager(user, body: Body) -> None:
    if not can_manage_body(user, body):
        raise PermissionDenied("Seule l'équipe qui anime cette instance peut la modifier.")


# --- bodies ----------------------------------------------------------------------------


def _check_body(data: dict) -> None:
    errors = {}
    months = data.get("required_months") or []
    if any(not 1 <= m <= 12 for m in months):
        errors["required_months"] = "Un mois imposé est compris entre 1 (janvier) et 12."
    elif len(set(months)) > data.get("min_meetings_per_year", 1):
        errors["min_meetings_per_year"] = (
            "Le nombre minimal de réunions ne peut pas être inférieur au nombre de mois imposés."
        )
    if data.get("min_meetings_per_year", 1) < 1:
        errors["min_meetings_per_year"] = "Une instance se réunit au moins une fois par an."
    if errors:
        raise ValidationError(errors)


def body_create(*, user, data: dict, agreement: Agreement | None = None, club=None) -> Body:
    """Create a body of a convention (comité stratégique, comité de pilotage, groupe projet)
    or of a club (comité de pilotage de club), with the meeting rule quoted from its text.
    The académie that runs it is the convention's (none for a national or regional one) or
    the club's."""
    if (agreement is None) == (club is None):
        raise ValidationError("Une instance relève d'une convention ou d'un club, pas des deux.")
    if agreement is not None:
        if agreement.kind == AgreementKind.AVENANT:
            raise ValidationError(
                {"agreement": "Une instance relève de la convention, pas de son avenant."}
            )
        if not can_manage_report(user, agreement):
            raise PermissionDenied(
                "Seule l'équipe qui gère cette convention peut créer ses instances."
            )
        if data.get("kind") == BodyKind.CLUB_STEERING:
            raise ValidationError({"kind": "Le comité de pilotage de club relève d'un club."})
    else:
        if not can_manage_club(user, club):
            raise PermissionDenied("Vous ne pouvez pas créer d'instance pour ce club.")
        if data.get("kind") != BodyKind.CLUB_STEERING:
            raise ValidationError({"kind": "Un club a un comité de pilotage de club."})
    data = {k: data[k] for k in BODY_FIELDS if k in data}
    data["required_months"] = sorted(set(data.get("required_months") or []))
    _check_body({"min_meetings_per_year": 1, **data})
    academie_id = agreement.academie_id if agreement is not None else club.academie_id
    return Body.objects.create(agreement=agreement, club=club, academie_id=academie_id, **data)


def body_update(*, user, body: Body, data: dict) -> Body:
    """Change a body's name, kind or meeting rule (the kind of a club's body is fixed)."""
    _require_body_manager(user, body)
    data = {k: data[k] for k in BODY_FIELDS if k in data}
    if "required_months" in data:
        data["required_months"] = sorted(set(data["required_months"] or []))
    kind = data.get("kind", body.kind)
    if (kind == BodyKind.CLUB_STEERING) != (body.club_id is not None):
        raise ValidationError({"kind": "Seul un club a un comité de pilotage de club."})
    merged = {
        "min_meetings_per_year": body.min_meetings_per_year,
        "required_months": body.required_months,
    } | data
    _check_body(merged)
    for name, value in data.items():
        setattr(body, name, value)
    body.save()
    return body


def member_add(*, user, body: Body, data: dict) -> BodyMember:
    """Add a member (person, organisation, role). The minutes go to every active member
    with an e-mail (model CEE convention, art. 6)."""
    _require_body_manager(user, body)
    data = {k: data[k] for k in MEMBER_FIELDS if k in data}
    if not (data.get("full_name") or "").strip():
        raise ValidationError({"full_name": "Indiquez le nom du membre."})
    email = (data.get("email") or "").strip().lower()
    if email and body.members.filter(active=True, email__iexact=email).exists():
        raise ValidationError({"email": "Un membre actif de l'instance a déjà ce courriel."})
    data["email"] = email
    return BodyMember.objects.create(body=body, **data)


def member_remove(*, user, member: BodyMember) -> BodyMember:
    """A member leaves the body: kept (with their past attendance) but no longer active, so
    they receive no further minutes."""
    _require_body_manager(user, member.body)
    if not member.active:
        raise ValidationError("Ce membre a déjà quitté l'instance.")
    member.active = False
    member.save(update_fields=["active"])
    return member


# --- meetings --------------------------------------------------------------------------


def meeting_plan(
    *, user, body: Body, starts_at: datetime, place: str = "", agenda: str = ""
) -> Meeting:
    """Plan a meeting of ``body``."""
    _require_body_manager(user, body)
    return Meeting.objects.create(body=body, starts_at=starts_at, place=place, agenda=agenda)


def meeting_update(*, user, meeting: Meeting, data: dict) -> Meeting:
    """Change the date, place or agenda of a meeting."""
    _require_body_manager(user, meeting.body)
    if meeting.minutes_sent_at and "starts_at" in data and data["starts_at"] != meeting.starts_at:
        raise ValidationError(
            {"starts_at": "Le compte rendu a été envoyé : la date de la réunion ne change plus."}
        )
    starts_at = data.get("starts_at")
    future = starts_at and timezone.localdate(starts_at) > timezone.localdate()
    if meeting.status == MeetingStatus.HELD and future:
        raise ValidationError({"starts_at": "Une réunion tenue ne peut pas être datée du futur."})
    for name in ("starts_at", "place", "agenda"):
        if name in data:
            setattr(meeting, name, data[name])
    meeting.save()
    return meeting


def _transition(*, user, meeting: Meeting, to: str, note: str = "") -> Meeting:
    _require_body_manager(user, meeting.body)
    if to not in MEETING_TRANSITIONS[MeetingStatus(meeting.status)]:
        raise ValidationError(
            f"Une réunion « {meeting.get_status_display().lower()} » ne peut pas passer à "
            f"« {MeetingStatus(to).label.lower()} »."
        )
    with transaction.atomic():
        StatusChange.objects.create(
            meeting=meeting, from_state=meeting.status, to_state=to, by=user, note=note
        )
        meeting.status = to
        meeting.save(update_fields=["status", "updated_at"])
    return meeting


def meeting_mark_held(*, user, meeting: Meeting, today: date | None = None) -> Meeting:
    """Record that a planned meeting took place (not before its day)."""
    today = today or timezone.localdate()
    if timezone.localdate(meeting.starts_at) > today:
        raise ValidationError(
            "La réunion est prévue le "
            f"{timezone.localtime(meeting.starts_at):%d/%m/%Y} : elle ne peut pas être déjà tenue."
        )
    return _transition(user=user, meeting=meeting, to=MeetingStatus.HELD)


def meeting_cancel(*, user, meeting: Meeting, note: str = "") -> Meeting:
    return _transition(user=user, meeting=meeting, to=MeetingStatus.CANCELLED, note=note)


def meeting_replan(*, user, meeting: Meeting) -> Meeting:
    return _transition(user=user, meeting=meeting, to=MeetingStatus.PLANNED)


def attendance_record(*, user, meeting: Meeting, statuses: dict[int, str]) -> int:
    """Record who was present, excused or absent at a held meeting (members of the body
    only). Returns the number of members recorded."""
    _require_body_manager(user, meeting.body)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("La présence se note pour une réunion tenue.")
    members = {m.pk for m in meeting.body.members.all()}
    unknown = set(statuses) - members
    if unknown:
        raise ValidationError("Ces personnes ne sont pas membres de l'instance.")
    if any(s not in AttendanceStatus.values for s in statuses.values()):
        raise ValidationError("Présence inconnue : présent, excusé ou absent.")
    with transaction.atomic():
        for member_id, status in statuses.items():
            Attendance.objects.update_or_create(
                meeting=meeting, member_id=member_id, defaults={"status": status}
            )
    return len(statuses)


def minutes_save(*, user, meeting: Meeting, text: str | None = None, upload=None) -> Meeting:
    """Record the minutes of a held meeting: a text, a PDF (checked on content and size by
    ``validate_pdf_upload``), or both. Once sent to the members they no longer change."""
    _require_body_manager(user, meeting.body)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("Le compte rendu s'écrit une fois la réunion tenue.")
    if meeting.minutes_sent_at:
        raise ValidationError(
            "Le compte rendu a déjà été envoyé aux membres : il ne peut plus être modifié."
        )
    if upload is not None:
        try:
            validate_pdf_upload(upload)
        except ValidationError as error:
            raise ValidationError({"minutes_file": error.messages}) from error
        meeting.minutes_file.save(f"{meeting.pk}.pdf", upload, save=False)
    if text is not None:
        meeting.minutes_text = text.strip()
    if not meeting.has_minutes:
        raise ValidationError({"minutes_text": "Écrivez le compte rendu ou déposez-le en PDF."})
    meeting.save()
    return meeting


def minutes_recipients(meeting: Meeting) -> list[str]:
    return sorted({m.email.lower() for m in meeting.body.members.all() if m.active and m.email})


def minutes_send(*, user, meeting: Meeting, now: datetime | None = None) -> list[str]:
    """E-mail the minutes to every active member of the body with an address (model CEE
    convention, art. 6: « Un compte-rendu des réunions est rédigé […] et adressé à
    l'ensemble des membres du comité de pilotage »), once: the PDF attached if uploaded,
    else the text in the body. Records who sent them and when. Returns the recipients."""
    _require_body_manager(user, meeting.body)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError(
            "La réunion n'a pas été tenue : il n'y a pas de compte rendu à envoyer."
        )
    if not meeting.has_minutes:
        raise ValidationError("Le compte rendu n'est pas encore rédigé ni déposé.")
    if meeting.minutes_sent_at:
        raise ValidationError(
            "Le compte rendu a déjà été envoyé le "
            f"{timezone.localtime(meeting.minutes_sent_at):%d/%m/%Y}."
        )
    recipients = minutes_recipients(meeting)
    if not recipients:
        raise ValidationError("Aucun membre actif de l'instance n'a de courriel.")
    attachments = []
    if meeting.minutes_file:
        with meeting.minutes_file.open("rb") as handle:
            attachments.append(
                (f"compte-rendu-{timezone.localdate(meeting.starts_at):%Y-%m-%d}.pdf",
                 handle.read(), "application/pdf")
            )  # fmt: skip
    with transaction.atomic():
        sent = notify_once(
            key=f"governance.meeting:{meeting.pk}:minutes",
            recipients=recipients,
            subject=f"Compte rendu — {meeting.body.name} du "
            f"{timezone.localtime(meeting.starts_at):%d/%m/%Y}",
            template="governance/mail/minutes.txt",
            context={
                "meeting": meeting,
                "body": meeting.body,
                "attached": bool(attachments),
                "url": absolute_url(meeting.get_absolute_url()),
            },
            attachments=attachments,
            about=f"governance.meeting:{meeting.pk}",
        )
        if sent is None:
            raise ValidationError("Le compte rendu de cette réunion a déjà été envoyé.")
        meeting.minutes_sent_at = now or timezone.now()
        meeting.minutes_sent_by = user
        meeting.save(update_fields=["minutes_sent_at", "minutes_sent_by", "updated_at"])
    return recipients


def decision_add(*, user, meeting: Meeting, text: str) -> Decision:
    _require_body_manager(user, meeting.body)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("Les décisions se notent pour une réunion tenue.")
    if not text.strip():
        raise ValidationError({"text": "Écrivez la décision."})
    return Decision.objects.create(meeting=meeting, text=text.strip())


def decision_remove(*, user, decision: Decision) -> None:
    _require_body_manager(user, decision.meeting.body)
    if decision.meeting.minutes_sent_at:
        raise ValidationError("Le compte rendu a été envoyé : ses décisions ne changent plus.")
    decision.delete()


def action_item_add(
    *, user, meeting: Meeting, description: str, owner: str, owner_email: str = "",
    due_date: date | None = None,
) -> ActionItem:  # fmt: skip
    """An action decided at a meeting, with its owner and due date."""
    _require_body_manager(user, meeting.body)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError("Une réunion annulée ne décide pas d'action.")
    errors = {}
    if not description.strip():
        errors["description"] = "Décrivez l'action."
    if not owner.strip():
        errors["owner"] = "Indiquez le responsable de l'action."
    if errors:
        raise ValidationError(errors)
    return ActionItem.objects.create(
        meeting=meeting,
        description=description.strip(),
        owner=owner.strip(),
        owner_email=owner_email.strip().lower(),
        due_date=due_date,
    )


def action_item_mark_done(*, user, item: ActionItem, done_on: date | None = None) -> ActionItem:
    """Mark an action done (its body's managers, or its owner)."""
    owner = bool(user.email) and item.owner_email.lower() == user.email.lower()
    if not owner:
        _require_body_manager(user, item.meeting.body)
    if item.done_on:
        raise ValidationError(f"Cette action est déjà réalisée (le {item.done_on:%d/%m/%Y}).")
    item.done_on = done_on or timezone.localdate()
    item.save(update_fields=["done_on"])
    return item


# --- annual reports --------------------------------------------------------------------


def report_create(*, user, agreement: Agreement, school_year: int) -> AnnualReport:
    """Open the draft annual report of a convention for a school year (one per year), with a
    line for each commitment of the consolidated convention (its avenants in force
    applied). Lille: the strategic committee « établira le bilan des actions conduites lors
    de l'année écoulée »; CPME IdF art. 3.1: « un bilan de l'année passée et un plan de
    partenariat […] de l'année à venir »."""
    if not can_manage_report(user, agreement):
        raise PermissionDenied("Seule l'équipe qui gère cette convention rédige son bilan.")
    if agreement.kind == AgreementKind.AVENANT:
        raise ValidationError("Le bilan porte sur la convention, pas sur un avenant.")
    if agreement.start_date is None:
        raise ValidationError("La convention n'est pas encore entrée en vigueur : pas de bilan.")
    first = school_year_of(agreement.start_date)
    if school_year < first:
        raise ValidationError(
            {"school_year": f"La convention est entrée en vigueur en {school_year_label(first)}."}
        )
    if AnnualReport.objects.filter(agreement=agreement, school_year=school_year).exists():
        raise ValidationError(
            {"school_year": f"Le bilan {school_year_label(school_year)} existe déjà."}
        )
    with transaction.atomic():
        report = AnnualReport.objects.create(agreement=agreement, school_year=school_year)
        CommitmentResult.objects.bulk_create(
            CommitmentResult(report=report, commitment=c)
            for c in consolidate(agreement).commitments
        )
    return report


def report_update(
    *, user, report: AnnualReport, data: dict, results: dict[int, dict] | None = None
) -> AnnualReport:
    """Edit a draft report: summary, key figures, next year's plan, and for each commitment
    what was achieved (figure and comment)."""
    if not can_manage_report(user, report.agreement):
        raise PermissionDenied("Seule l'équipe qui gère cette convention rédige son bilan.")
    if report.status != ReportStatus.DRAFT:
        raise ValidationError("Ce bilan est validé : il ne peut plus être modifié.")
    with transaction.atomic():
        for name in ("summary", "figures", "action_plan"):
            if name in data:
                setattr(report, name, (data[name] or "").strip())
        report.save()
        for commitment_id, values in (results or {}).items():
            CommitmentResult.objects.update_or_create(
                report=report,
                commitment_id=commitment_id,
                defaults={
                    "achieved": values.get("achieved"),
                    "comment": (values.get("comment") or "").strip(),
                },
            )
    return report


def report_validate(*, user, report: AnnualReport, now: datetime | None = None) -> AnnualReport:
    """Validate the report (draft → validé): it is then final and no longer changes."""
    if not can_manage_report(user, report.agreement):
        raise PermissionDenied("Seule l'équipe qui gère cette convention valide son bilan.")
    if ReportStatus.FINAL not in REPORT_TRANSITIONS[ReportStatus(report.status)]:
        raise ValidationError(
            f"Ce bilan est déjà validé (le {timezone.localtime(report.finalized_at):%d/%m/%Y})."
        )
    missing = [
        label
        for name, label in (("summary", "actions conduites"), ("action_plan", "plan d'actions"))
        if not getattr(report, name).strip()
    ]
    if missing:
        raise ValidationError("À compléter avant validation : " + ", ".join(missing) + ".")
    with transaction.atomic():
        StatusChange.objects.create(
            report=report, from_state=report.status, to_state=ReportStatus.FINAL, by=user
        )
        report.status = ReportStatus.FINAL
        report.finalized_at = now or timezone.now()
        report.finalized_by = user
        report.save(update_fields=["status", "finalized_at", "finalized_by", "updated_at"])
    return report


# --- daily reminders -------------------------------------------------------------------

REMINDER_DAYS = 7


def _academie_team_emails(academie_ids) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = Membership.objects.filter(
        role=Role.ACADEMIE_TEAM, academie_id__in=list(academie_ids), user__is_active=True
    ).values_list("academie_id", "user__email")
    for academie_id, email in rows:
        found.setdefault(academie_id, []).append(email)
    return found


def send_daily_reminders(*, today: date | None = None) -> dict[str, int]:
    """The daily job: (1) each owner of an open action item due within 7 days (today to
    today + 7) gets one reminder per item; (2) the académie team of a body whose required
    month has started without a planned or held meeting in it gets one reminder per body and
    month. Returns the counts sent."""
    today = today or timezone.localdate()
    sent = {"action_items": 0, "bodies": 0}
    items = (
        ActionItem.objects.filter(
            done_on__isnull=True,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=REMINDER_DAYS),
        )
        .exclude(owner_email="")
        .select_related("meeting__body")
    )
    for item in items:
        if notify_once(
            key=f"governance.action:{item.pk}:due",
            recipients=[item.owner_email],
            subject=f"Action à mener avant le {item.due_date:%d/%m/%Y} — {item.meeting.body.name}",
            template="governance/mail/action_due.txt",
            context={"item": item, "url": absolute_url(item.meeting.get_absolute_url())},
            about=f"governance.action:{item.pk}",
        ):
            sent["action_items"] += 1
    sent["bodies"] = _remind_required_months(today)
    return sent


def _remind_required_months(today: date) -> int:
    from .selectors import active_period

    year = school_year_of(today)
    month_start, month_end = rules.month_in_school_year(year, today.month)
    meeting_in_month = Meeting.objects.filter(
        body=OuterRef("pk"),
        status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
        starts_at__date__gte=month_start,
        starts_at__date__lte=month_end,
    )
    bodies = (
        Body.objects.filter(required_months__contains=[today.month], academie__isnull=False)
        .exclude(Exists(meeting_in_month))
        .select_related("agreement", "club")
    )
    bodies = [b for b in bodies if active_period(b) is not None]
    teams = _academie_team_emails({b.academie_id for b in bodies})
    count = 0
    for body in bodies:
        if notify_once(
            key=f"governance.body:{body.pk}:month:{month_start:%Y-%m}",
            recipients=teams.get(body.academie_id, []),
            subject=f"{body.name} : aucune réunion prévue en {rules.MONTH_NAMES[today.month]}",
            template="governance/mail/month_without_meeting.txt",
            context={
                "body": body,
                "month": rules.MONTH_NAMES[today.month],
                "rule": rules.rule_label(body.min_meetings_per_year, body.required_months),
                "url": absolute_url(body.get_absolute_url()),
            },
            about=f"governance.body:{body.pk}",
        ):
            count += 1
    return count
