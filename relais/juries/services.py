"""Writes of the juries app: sessions, naming jurors, convocations, presence.

CPME Île-de-France, art. 2.4: « La CPME Île-de-France désignera des professionnels pour
participer à des jurys d'examen dans les filières qui relèvent de leurs compétences
professionnelles. À cet effet, elle pourra proposer des candidats […] : conseillers
entreprises pour l'école (CEE). » The académie team opens a session with seats for
professionals; an organisation names a professional or one of its CEE in mission; the team
convokes (an e-mail written in the outbox in the same transaction) and records who sat,
which counts against the convention's « jurys » commitment (``selectors.commitment_report``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once
from relais.core.validation import check_date_range
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.users.models import User
from relais.users.types import AnyUser
from relais.volunteers.enums import APPOINTED_STATES, AdvisorKind
from relais.volunteers.models import Advisor
from relais.volunteers.services.common import organisation_emails, team_emails

from . import perms
from .enums import SEATED_STATES
from .models import ExamSession, Juror
from .workflows import JUROR_WORKFLOW

SESSION_FIELDS = ("diploma", "specialty", "date", "starts_at", "place", "seats", "notes")


@transaction.atomic
def session_create(
    *,
    user: AnyUser,
    academie: Academie,
    establishment: Establishment | None = None,
    data: dict[str, Any],
) -> ExamSession:
    """The académie team opens an exam session: diploma, date, time, place (the exam centre
    of its académie when it is an établissement), seats for professionals. Not in the past."""
    if not perms.is_team(user) or not perms.manages_session(user, ExamSession(academie=academie)):
        raise PermissionDenied("Seule l'équipe académique ouvre une session d'examen.")
    if establishment is not None and establishment.academie_id != academie.pk:
        raise ValidationError({"establishment": "Le centre d'examen doit relever de l'académie."})
    day = data.get("date")
    check_date_range(day, "date")
    if isinstance(day, datetime.date) and day < timezone.localdate():
        raise ValidationError({"date": "Une session d'examen se prépare à l'avance : date passée."})
    session = ExamSession(
        academie=academie,
        establishment=establishment,
        created_by=user if isinstance(user, User) else None,
    )
    for field in SESSION_FIELDS:
        if field in data:
            setattr(session, field, data[field])
    session.full_clean()
    session.save()
    return session


def _check_advisor(advisor: Advisor, organisation: Organisation, session: ExamSession) -> None:
    if advisor.kind != AdvisorKind.CEE or advisor.state not in APPOINTED_STATES:
        raise ValidationError({"advisor": "Choisissez un CEE désigné ou en mission."})
    if advisor.organisation_id != organisation.pk:
        raise ValidationError({"advisor": "Ce CEE n'a pas été proposé par cette organisation."})
    if advisor.academie_id != session.academie_id:
        raise ValidationError({"advisor": "Ce CEE exerce dans une autre académie."})


@transaction.atomic
def juror_name(
    *,
    user: AnyUser,
    session: ExamSession,
    organisation: Organisation,
    advisor: Advisor | None = None,
    data: dict[str, Any],
) -> Juror:
    """An organisation names a professional, or one of its CEE (their name and e-mail are
    taken from the designation), to a session with a seat left, before its day. The same
    person is named once per session. The académie team is told by e-mail."""
    if not perms.can_name_for(user, session, organisation):
        raise PermissionDenied("Vous ne pouvez pas désigner de juré pour cette organisation.")
    session = ExamSession.objects.select_for_update().get(pk=session.pk)
    if session.date <= timezone.localdate():
        raise ValidationError("La session a commencé : on n'y désigne plus de juré.")
    if session.jurors.filter(state__in=SEATED_STATES).count() >= session.seats:
        raise ValidationError(f"Les {session.seats} places de cette session sont pourvues.")
    juror = Juror(
        session=session,
        organisation=organisation,
        named_by=user if isinstance(user, User) else None,
    )
    if advisor is not None:
        _check_advisor(advisor, organisation, session)
        juror.advisor = advisor
        juror.full_name = advisor.full_name
        juror.email = advisor.email
        juror.employer_name = advisor.employer_name
        juror.job_title = advisor.job_title
    else:
        juror.full_name = (data.get("full_name") or "").strip()
        juror.email = (data.get("email") or "").strip().lower()
        juror.employer_name = (data.get("employer_name") or "").strip()
        juror.job_title = (data.get("job_title") or "").strip()
    if session.jurors.filter(email__iexact=juror.email).exclude(state="retire").exists():
        raise ValidationError({"email": "Cette personne est déjà désignée pour cette session."})
    juror.full_clean()
    juror.save()
    JUROR_WORKFLOW.log_creation(juror, user=user, note=f"Désigné par {organisation}")
    notify_once(
        key=f"juries.juror:{juror.pk}:named",
        recipients=team_emails(session.academie_id),
        subject=f"Juré désigné pour {session} : {juror.full_name}",
        body=(
            f"{organisation} désigne {juror.full_name} pour le jury « {session.diploma} » du "
            f"{session.date:%d/%m/%Y} ({session.place}).\n\n"
            f"Convoquer : {absolute_url(session.get_absolute_url())}\n"
        ),
        about=f"juries.session:{session.pk}",
    )
    return juror


def _send_convocation(juror: Juror) -> None:
    session = juror.session
    notify_once(
        key=f"juries.juror:{juror.pk}:convocation",
        recipients=[juror.email, *organisation_emails(juror.organisation)],
        subject=f"Convocation au jury « {session.diploma} » le {session.date:%d/%m/%Y}",
        template="juries/mail/convocation.txt",
        context={"juror": juror, "session": session},
        about=f"juries.session:{session.pk}",
    )


@transaction.atomic
def juror_convoke(*, user: AnyUser, juror: Juror, today: datetime.date | None = None) -> Juror:
    """The académie team convokes a named juror: the convocation (diploma, date, time, place,
    what to bring) is e-mailed to the juror and to the organisation that named them."""
    juror = JUROR_WORKFLOW.fire(juror, "convoquer", user=user, note="Convocation", today=today)
    _send_convocation(juror)
    return juror


@transaction.atomic
def session_convoke_all(*, user: AnyUser, session: ExamSession) -> int:
    """Convoke every juror of the session still waiting for their convocation."""
    if not perms.manages_session(user, session):
        raise PermissionDenied(
            "Seule l'équipe académique convoque les jurés et constate leur présence."
        )
    count = 0
    for juror in session.jurors.filter(state="designe").select_related("session", "organisation"):
        juror_convoke(user=user, juror=juror)
        count += 1
    if not count:
        raise ValidationError("Aucun juré à convoquer : tous l'ont déjà été.")
    return count


@transaction.atomic
def juror_record(
    *, user: AnyUser, juror: Juror, attended: bool, today: datetime.date | None = None
) -> Juror:
    """After the session, the team records whether the juror sat (counted against the
    commitment) or was absent."""
    name = "constater_presence" if attended else "constater_absence"
    return JUROR_WORKFLOW.fire(juror, name, user=user, today=today)


@transaction.atomic
def juror_withdraw(
    *, user: AnyUser, juror: Juror, reason: str = "", today: datetime.date | None = None
) -> Juror:
    """The organisation (or the team) withdraws a juror before the day; the seat is free
    again."""
    return JUROR_WORKFLOW.fire(
        juror, "retirer", user=user, note=(reason or "").strip(), today=today
    )
