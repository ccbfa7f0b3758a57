"""Meetings: planning, the workflow's moves (held, cancelled, planned again), attendance,
minutes and their sending, decisions and action items."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once
from relais.core.validation import check_date_range
from relais.documents.uploads import validate_pdf_upload
from relais.users.models import User
from relais.users.types import AnyUser

from ..enums import AttendanceStatus
from ..models import ActionItem, Attendance, Body, Decision, Meeting
from ..workflows import MEETING_WORKFLOW
from .common import _as_saved, _locked, _require_body_manager


def meeting_plan(
    *, user: AnyUser, body: Body, starts_at: datetime, place: str = "", agenda: str = ""
) -> Meeting:
    """Plan a meeting of ``body`` (the first line of its journal)."""
    _require_body_manager(user, body)
    check_date_range(starts_at, "starts_at")
    with transaction.atomic():
        meeting = Meeting.objects.create(body=body, starts_at=starts_at, place=place, agenda=agenda)
        MEETING_WORKFLOW.log_creation(meeting, user=user)
    return meeting


def meeting_update(*, user: AnyUser, meeting: Meeting, data: dict[str, Any]) -> Meeting:
    """Change the date, place or agenda of a meeting."""
    _require_body_manager(user, meeting.body)
    check_date_range(data.get("starts_at"), "starts_at")
    with transaction.atomic():
        _locked(meeting)
        starts_at = data.get("starts_at")
        if meeting.minutes_sent_at and starts_at is not None and starts_at != meeting.starts_at:
            raise ValidationError(
                {
                    "starts_at": "Le compte rendu a été envoyé : la date de la réunion ne "
                    "change plus."
                }
            )
        future = starts_at and timezone.localdate(starts_at) > timezone.localdate()
        if meeting.is_held and future:
            raise ValidationError(
                {"starts_at": "Une réunion tenue ne peut pas être datée du futur."}
            )
        for name in ("starts_at", "place", "agenda"):
            if name in data:
                setattr(meeting, name, data[name])
        meeting.save()
    return meeting


def meeting_mark_held(*, user: AnyUser, meeting: Meeting, today: date | None = None) -> Meeting:
    """Record that a planned meeting took place (« tenir »: not before its day). Returns
    the meeting as saved."""
    return _as_saved(meeting, MEETING_WORKFLOW.fire(meeting, "tenir", user=user, today=today))


def meeting_cancel(*, user: AnyUser, meeting: Meeting, note: str = "") -> Meeting:
    """Cancel a planned meeting (« annuler »), with the reason in the journal."""
    return _as_saved(meeting, MEETING_WORKFLOW.fire(meeting, "annuler", user=user, note=note))


def meeting_replan(*, user: AnyUser, meeting: Meeting) -> Meeting:
    """Plan a cancelled meeting again (« replanifier »)."""
    return _as_saved(meeting, MEETING_WORKFLOW.fire(meeting, "replanifier", user=user))


def attendance_record(*, user: AnyUser, meeting: Meeting, statuses: dict[int, str]) -> int:
    """Record who was present, excused or absent at a held meeting (members of the body
    only). Returns the number of members recorded."""
    _require_body_manager(user, meeting.body)
    members = {m.pk for m in meeting.body.members.all()}
    unknown = set(statuses) - members
    if unknown:
        raise ValidationError("Ces personnes ne sont pas membres de l'instance.")
    if any(s not in AttendanceStatus.values for s in statuses.values()):
        raise ValidationError("Présence inconnue : présent, excusé ou absent.")
    with transaction.atomic():
        _locked(meeting)
        if not meeting.is_held:
            raise ValidationError("La présence se note pour une réunion tenue.")
        for member_id, status in statuses.items():
            Attendance.objects.update_or_create(
                meeting=meeting, member_id=member_id, defaults={"status": status}
            )
    return len(statuses)


def minutes_save(
    *,
    user: AnyUser,
    meeting: Meeting,
    text: str | None = None,
    upload: UploadedFile[bytes] | None = None,
) -> Meeting:
    """Record the minutes of a held meeting: a text, a PDF (checked on content and size by
    ``validate_pdf_upload``), or both. Once sent to the members they no longer change."""
    _require_body_manager(user, meeting.body)
    with transaction.atomic():
        _locked(meeting)  # not while the minutes are being sent
        if not meeting.is_held:
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
        if text is not None:
            meeting.minutes_text = text.strip()
        if not (meeting.has_minutes or upload is not None):
            raise ValidationError({"minutes_text": "Écrivez le compte rendu ou déposez-le en PDF."})
        if upload is not None:
            meeting.minutes_file.save(f"{meeting.pk}.pdf", upload, save=False)
        meeting.save()
    return meeting


def minutes_recipients(meeting: Meeting) -> list[str]:
    return sorted({m.email.lower() for m in meeting.body.members.all() if m.active and m.email})


def minutes_send(*, user: User, meeting: Meeting, now: datetime | None = None) -> list[str]:
    """E-mail the minutes to every active member of the body with an address (model CEE
    convention, art. 6: « Un compte-rendu des réunions est rédigé […] et adressé à
    l'ensemble des membres du comité de pilotage »), once: the PDF attached if uploaded,
    else the text in the body. Records who sent them and when. Returns the recipients."""
    _require_body_manager(user, meeting.body)
    with transaction.atomic():
        _locked(meeting)  # sent once, and not while the minutes are being changed
        if not meeting.is_held:
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
        attachments: list[tuple[str, bytes, str]] = []
        if meeting.minutes_file:
            with meeting.minutes_file.open("rb") as handle:
                attachments.append(
                    (f"compte-rendu-{timezone.localdate(meeting.starts_at):%Y-%m-%d}.pdf",
                     handle.read(), "application/pdf")
                )  # fmt: skip
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


def decision_add(*, user: AnyUser, meeting: Meeting, text: str) -> Decision:
    """A decision taken at a held meeting."""
    _require_body_manager(user, meeting.body)
    if not text.strip():
        raise ValidationError({"text": "Écrivez la décision."})
    if not meeting.is_held:
        raise ValidationError("Les décisions se notent pour une réunion tenue.")
    return Decision.objects.create(meeting=meeting, text=text.strip())


def decision_remove(*, user: AnyUser, decision: Decision) -> None:
    """Remove a decision, until the minutes are sent (they are then a record)."""
    _require_body_manager(user, decision.meeting.body)
    with transaction.atomic():
        meeting = _locked(decision.meeting)  # not while the minutes are being sent
        if meeting.minutes_sent_at:
            raise ValidationError("Le compte rendu a été envoyé : ses décisions ne changent plus.")
        decision.delete()


def action_item_add(
    *, user: AnyUser, meeting: Meeting, description: str, owner: str, owner_email: str = "",
    due_date: date | None = None,
) -> ActionItem:  # fmt: skip
    """An action decided at a meeting, with its owner and due date."""
    _require_body_manager(user, meeting.body)
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = "Décrivez l'action."
    if not owner.strip():
        errors["owner"] = "Indiquez le responsable de l'action."
    if errors:
        raise ValidationError(errors)
    check_date_range(due_date, "due_date")
    with transaction.atomic():
        _locked(meeting)  # not while it is being cancelled
        if meeting.is_cancelled:
            raise ValidationError("Une réunion annulée ne décide pas d'action.")
        return ActionItem.objects.create(
            meeting=meeting,
            description=description.strip(),
            owner=owner.strip(),
            owner_email=owner_email.strip().lower(),
            due_date=due_date,
        )


def action_item_mark_done(
    *, user: User, item: ActionItem, done_on: date | None = None
) -> ActionItem:
    """Mark an action done (its body's managers, or its owner)."""
    owner = bool(user.email) and item.owner_email.lower() == user.email.lower()
    if not owner:
        _require_body_manager(user, item.meeting.body)
    check_date_range(done_on, "done_on")
    with transaction.atomic():
        _locked(item)
        if item.done_on:
            raise ValidationError(f"Cette action est déjà réalisée (le {item.done_on:%d/%m/%Y}).")
        item.done_on = done_on or timezone.localdate()
        item.save(update_fields=["done_on"])
    return item
