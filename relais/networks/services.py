"""Every write of the networks area: clubs and their members, mandates, the annuaire's
publication, campus des métiers et des qualifications, and the reminders of the scheduled
jobs (relais/networks/tasks.py). Rules cite the convention Clubster of the académie de Lille
(« Gouvernance et mise en œuvre ») and the 12 mesures of 2015 (fiches 4 and 12)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.notifications import absolute_url, notify_once
from relais.core.school_years import school_year_bounds, school_year_label, school_year_of
from relais.core.text import search_key
from relais.establishments.enums import EstablishmentKind
from relais.governance.enums import BodyKind, MemberRole
from relais.governance.models import Body, BodyMember
from relais.users.enums import Role
from relais.users.models import Membership

from . import rules
from .enums import ByRight, MandateRole
from .models import Campus, CampusMember, Club, ClubMember, DirectoryPublication, Mandate
from .perms import (
    can_create_campus,
    can_create_club,
    can_manage_academie,
    can_manage_campus,
    can_manage_club,
    can_manage_mandates,
    can_publish_directory,
)

# The common charter of the clubs (convention Clubster, académie de Lille).
LILLE_CHARTER = (
    "- Connecter l'école et l'entreprise de façon concrète\n"
    "- S'appuyer sur les projets et les événements des organisations signataires\n"
    "- Co-construire des projets de proximité\n"
    "- Faciliter le déploiement d'idées nouvelles\n\n"
    "La responsabilité partagée par les membres des clubs école-entreprise consiste à mieux "
    "préparer la future insertion professionnelle des collégiens et des lycéens d'aujourd'hui "
    "en leur permettant de mieux comprendre l'entreprise et de développer plus tôt leurs "
    "habiletés entrepreneuriales."
)
STEERING_RULE = (
    "« Le comité de pilotage de chacun des clubs est animé conjointement par le pilote du "
    "monde économique et le référent école-entreprise. Il se réunit au moins deux fois par "
    "an. » (convention Clubster école-entreprise, académie de Lille, « Gouvernance et mise "
    "en œuvre »)"
)
CLUB_FIELDS = ["name", "charter", "contact_email", "agreement"]
MANDATE_REMINDER_DAYS = (120, 30)  # before the end: prepare the June nominations, then J-30
CAMPUS_REMINDER_MONTHS = (12, 6)


def _denied(message: str):
    raise PermissionDenied(message)


def club_search_text(club: Club) -> str:
    return search_key(club.name, club.bassin.name if club.bassin_id else "")


# --- clubs ---------------------------------------------------------------------------------


@transaction.atomic
def club_create(
    *, user, bassin, name: str = "", charter: str = "", contact_email: str = "", agreement=None
) -> Club:
    """Create the club of ``bassin`` (one per bassin), with Lille's charter by default, its
    steering committee (a governance body that meets « au moins deux fois par an ») and,
    when the bassin has a CIO, the CIO's seat among the members by right."""
    if not can_create_club(user) or not can_manage_academie(user, bassin.academie_id):
        _denied("Seule l'équipe académique peut créer un club dans cette académie.")
    if Club.objects.filter(bassin=bassin).exists():
        raise ValidationError({"bassin": "Ce bassin a déjà son club école-entreprise."})
    club = Club(
        bassin=bassin,
        academie_id=bassin.academie_id,
        name=name.strip() or f"Club école-entreprise du {bassin}",
        charter=charter.strip() or LILLE_CHARTER,
        contact_email=contact_email,
        agreement=agreement,
    )
    club.search_text = club_search_text(club)
    club.full_clean(exclude=["agreement"])
    club.save()
    Body.objects.create(
        name=f"Comité de pilotage — {club.name}",
        kind=BodyKind.CLUB_STEERING,
        club=club,
        academie_id=club.academie_id,
        min_meetings_per_year=2,
        rule_text=STEERING_RULE,
    )
    cio = (
        bassin.establishments.filter(kind=EstablishmentKind.GUIDANCE, is_open=True)
        .order_by("name")
        .first()
    )
    if cio is not None:
        ClubMember.objects.create(
            club=club, establishment=cio, by_right=ByRight.CIO_DIRECTOR, function="Direction du CIO"
        )
    return club


def steering_body(club: Club) -> Body | None:
    return club.bodies.filter(kind=BodyKind.CLUB_STEERING).order_by("pk").first()


@transaction.atomic
def club_update(*, user, club: Club, data: dict) -> Club:
    """Change the club's name, charter, contact or convention (académie team or the bassin's
    référent)."""
    if not can_manage_club(user, club):
        _denied("Vous ne pouvez pas modifier ce club.")
    for field in CLUB_FIELDS:
        if field in data:
            setattr(club, field, data[field] if data[field] is not None else None)
    if not (club.charter or "").strip():
        club.charter = LILLE_CHARTER
    club.search_text = club_search_text(club)
    club.full_clean(exclude=["agreement", "bassin"])
    club.save()
    return club


@transaction.atomic
def club_member_add(
    *,
    user,
    club: Club,
    establishment=None,
    organisation=None,
    full_name: str = "",
    email: str = "",
    function: str = "",
    by_right: str = "",
    joined_on: date | None = None,
) -> ClubMember:
    """Add a school, a company or organisation, or a person to the club. A member by right
    (pôle de stages animator, CIO director) replaces the current holder of that seat, who
    leaves the club the day before."""
    if not can_manage_club(user, club):
        _denied("Vous ne pouvez pas modifier les membres de ce club.")
    full_name = full_name.strip()
    if establishment is None and organisation is None and not full_name:
        raise ValidationError(
            "Indiquez un établissement, une entreprise ou organisation, ou le nom d'une personne."
        )
    if by_right and not (full_name or establishment is not None):
        raise ValidationError(
            {"full_name": "Un membre de droit est une personne : indiquez son nom."}
        )
    if establishment is not None and establishment.academie_id != club.academie_id:
        raise ValidationError(
            {"establishment": "Cet établissement n'est pas dans l'académie du club."}
        )
    joined_on = joined_on or timezone.localdate()
    current = club.members.filter(left_on__isnull=True)
    if by_right:
        for previous in current.filter(by_right=by_right):
            previous.left_on = max(previous.joined_on, joined_on - timedelta(days=1))
            previous.save(update_fields=["left_on", "updated_at"])
    elif (
        establishment is not None
        and current.filter(by_right="", establishment=establishment).exists()
    ):
        raise ValidationError({"establishment": "Cet établissement est déjà membre du club."})
    elif (
        organisation is not None
        and not full_name
        and current.filter(by_right="", organisation=organisation, full_name="").exists()
    ):
        raise ValidationError({"organisation": "Cette organisation est déjà membre du club."})
    return ClubMember.objects.create(
        club=club,
        establishment=establishment,
        organisation=organisation,
        full_name=full_name,
        email=email,
        function=function,
        by_right=by_right or "",
        joined_on=joined_on,
    )


@transaction.atomic
def club_member_remove(*, user, member: ClubMember, left_on: date | None = None) -> ClubMember:
    """A member leaves the club (kept in its history). Members by right are replaced, never
    removed: the club always has its pôle de stages animator and its CIO director."""
    if not can_manage_club(user, member.club):
        _denied("Vous ne pouvez pas modifier les membres de ce club.")
    if member.by_right:
        raise ValidationError(
            f"« {member.get_by_right_display()} » est membre de droit du club : nommez son "
            "successeur plutôt que de le retirer."
        )
    if member.left_on is None:
        member.left_on = max(member.joined_on, left_on or timezone.localdate())
        member.save(update_fields=["left_on", "updated_at"])
    return member


# --- mandates ------------------------------------------------------------------------------


def _check_no_overlap(club: Club, role: str, starts_on: date, ends_on: date, exclude=None):
    overlapping = Mandate.objects.filter(
        club=club, role=role, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    return list(overlapping)


@transaction.atomic
def mandate_appoint(
    *,
    user,
    club: Club,
    role: str,
    school_year: int,
    full_name: str,
    email: str,
    appointed_on: date,
    phone: str = "",
    organisation=None,
    establishment=None,
    appointed_by: str = "",
    appointing_organisations: Iterable = (),
    replacement: bool = False,
    starts_on: date | None = None,
    previous: Mandate | None = None,
    account=None,
    is_demo: bool = False,
) -> Mandate:
    """Record a mandate for one school year (1 September – 31 August):

    - référent école-entreprise: « nommé par le Recteur chaque année au mois de juin »
      (rules.check_referent_nomination);
    - pilote: « issu du monde de l'entreprise […] nommé conjointement par les organisations
      économiques signataires […] Son mandat est renouvelable tous les ans dans la limite de
      5 ans » (rules.check_pilote_term refuses a sixth consecutive year).

    A replacement during the year starts on its own date and ends the previous holder's
    mandate the day before. The holder joins the club's steering committee as co-animator.
    """
    if not can_manage_mandates(user, club):
        _denied("Seule l'équipe académique nomme les référents et les pilotes des clubs.")
    year_start, year_end = school_year_bounds(school_year)
    email = email.strip().lower()
    organisations = list(appointing_organisations)
    appointed_by = _check_nomination(
        club=club,
        role=role,
        school_year=school_year,
        full_name=full_name,
        email=email,
        appointed_on=appointed_on,
        appointed_by=appointed_by,
        organisations=organisations,
        replacement=replacement,
    )
    starts_on = starts_on if replacement and starts_on else year_start
    if replacement and not (year_start <= starts_on <= year_end):
        raise ValidationError(
            {"starts_on": "Le remplacement commence pendant l'année scolaire du mandat."}
        )
    _end_replaced_mandates(club, role, starts_on, year_end, replacement=replacement)
    mandate = Mandate.objects.create(
        club=club,
        role=role,
        school_year=school_year,
        full_name=full_name.strip(),
        email=email,
        phone=phone,
        organisation=organisation,
        establishment=establishment,
        appointed_on=appointed_on,
        appointed_by=appointed_by,
        replacement=replacement,
        starts_on=starts_on,
        ends_on=year_end,
        previous=previous,
        user=account,
        is_demo=is_demo,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    if role == MandateRole.PILOTE:
        mandate.appointing_organisations.set(organisations)
    mandate_seat_on_steering_committee(mandate)
    notify_once(
        key=f"networks.mandate:{mandate.pk}:nomination",
        recipients=[mandate.email],
        subject=f"Votre mandat de {mandate.short_role.lower()} du {club.name}",
        template="networks/mail/mandate_appointed.txt",
        context={"mandate": mandate, "club": club, "url": absolute_url(club.get_absolute_url())},
        about=f"networks.mandate:{mandate.pk}",
    )
    return mandate


def _check_nomination(
    *, club, role, school_year, full_name, email, appointed_on, appointed_by, organisations,
    replacement,
) -> str:  # fmt: skip
    """The rules of each role; returns who appointed (the recteur or the organisations)."""
    errors = {}
    if not full_name.strip():
        errors["full_name"] = "Indiquez le nom de la personne."
    if not email:
        errors["email"] = "Indiquez le courriel de la personne (pour les rappels)."
    if errors:
        raise ValidationError(errors)
    if role == MandateRole.REFERENT:
        rules.check_referent_nomination(
            appointed_on=appointed_on, school_year=school_year, replacement=replacement
        )
        return appointed_by or f"Recteur ({club.academie})"
    if not organisations:
        raise ValidationError(
            {
                "appointing_organisations": "Le pilote est nommé conjointement par les "
                "organisations économiques signataires : indiquez-les."
            }
        )
    rules.check_pilote_term(pilote_years_of(club, email), school_year)
    if appointed_on > school_year_bounds(school_year)[1]:
        raise ValidationError({"appointed_on": "La nomination précède la fin du mandat."})
    return appointed_by or ", ".join(o.acronym or o.name for o in organisations)


def _end_replaced_mandates(club, role, starts_on, ends_on, *, replacement: bool) -> None:
    """One holder at a time: a replacement ends the current mandate the day before."""
    for other in _check_no_overlap(club, role, starts_on, ends_on):
        if replacement and other.starts_on < starts_on:
            other.ends_on = starts_on - timedelta(days=1)
            other.save(update_fields=["ends_on", "updated_at"])
        else:
            raise ValidationError(
                f"Ce club a déjà un {other.short_role.lower()} pour "
                f"{other.school_year_label} : {other.full_name}. Pour le remplacer en cours "
                "d'année, cochez « remplacement en cours d'année »."
            )


def pilote_years_of(club: Club, email: str) -> set[int]:
    return set(
        Mandate.objects.filter(
            club=club, role=MandateRole.PILOTE, email__iexact=email.strip()
        ).values_list("school_year", flat=True)
    )


def mandate_seat_on_steering_committee(mandate: Mandate) -> None:
    """The steering committee is co-animated by the pilote and the référent: the holder
    becomes its co-animator and the previous holder of that role leaves it."""
    body = steering_body(mandate.club)
    if body is None:
        return
    label = mandate.get_role_display()
    body.members.filter(role=MemberRole.CHAIR, organisation_label=label, active=True).exclude(
        email=mandate.email
    ).update(active=False)
    BodyMember.objects.update_or_create(
        body=body,
        role=MemberRole.CHAIR,
        email=mandate.email,
        organisation_label=label,
        defaults={"full_name": mandate.full_name, "active": True, "user": mandate.user},
    )


def mandate_renew(*, user, mandate: Mandate, appointed_on: date, appointing_organisations=None):
    """Renew a mandate for the next school year, same person: a référent is named again in
    June, a pilote is renewed by the signatory organisations within the 5-year limit."""
    organisations = (
        list(appointing_organisations)
        if appointing_organisations is not None
        else list(mandate.appointing_organisations.all())
    )
    return mandate_appoint(
        user=user,
        club=mandate.club,
        role=mandate.role,
        school_year=mandate.school_year + 1,
        full_name=mandate.full_name,
        email=mandate.email,
        phone=mandate.phone,
        organisation=mandate.organisation,
        establishment=mandate.establishment,
        appointed_on=appointed_on,
        appointing_organisations=organisations,
        previous=mandate,
        account=mandate.user,
        is_demo=mandate.is_demo,
    )


# --- annuaire des clubs ----------------------------------------------------------------------


@transaction.atomic
def directory_publish(
    *,
    user,
    academie,
    school_year: int,
    published_on: date | None = None,
    strategic_meeting=None,
    note: str = "",
) -> DirectoryPublication:
    """Record that the annuaire des clubs of ``school_year`` was published: « Un annuaire
    des clubs école-entreprise est communiqué à l'issue du comité stratégique de juin. » Not
    before June of the year it opens (nor before the recorded strategic committee), never
    twice for the same year."""
    if not can_publish_directory(user) or not can_manage_academie(user, academie.pk):
        _denied("Seule l'équipe académique publie l'annuaire des clubs.")
    today = timezone.localdate()
    published_on = published_on or today
    problem = rules.directory_publication_problem(
        published_on=published_on, school_year=school_year, today=today
    )
    if problem:
        raise ValidationError({"published_on": problem})
    if strategic_meeting is not None:
        body = strategic_meeting.body
        if body.kind != BodyKind.STRATEGIC or body.academie_id not in (None, academie.pk):
            raise ValidationError(
                {"strategic_meeting": "Choisissez une réunion du comité stratégique."}
            )
        if strategic_meeting.starts_at.date() > published_on:
            raise ValidationError(
                {
                    "published_on": "L'annuaire se publie à l'issue du comité stratégique, "
                    f"tenu le {strategic_meeting.starts_at:%d/%m/%Y}."
                }
            )
    if DirectoryPublication.objects.filter(academie=academie, school_year=school_year).exists():
        raise ValidationError(
            f"L'annuaire {school_year_label(school_year)} de cette académie est déjà publié."
        )
    return DirectoryPublication.objects.create(
        academie=academie,
        school_year=school_year,
        published_on=published_on,
        published_by=user if getattr(user, "is_authenticated", False) else None,
        strategic_meeting=strategic_meeting,
        note=note,
    )


# --- campus --------------------------------------------------------------------------------

CAMPUS_FIELDS = [
    "name",
    "sector",
    "academie",
    "head_establishment",
    "description",
    "website",
    "contact_email",
    "label_starts_on",
    "label_reference",
]


def campus_search_text(campus: Campus) -> str:
    return search_key(campus.name, campus.sector)


@transaction.atomic
def campus_save(*, user, campus: Campus | None = None, data: dict) -> Campus:
    """Create or change a campus des métiers et des qualifications. Its label lasts 4 years
    (« labellise, pour une durée de 4 ans », 12 mesures, fiche 4): the end is computed."""
    creating = campus is None
    campus = campus or Campus()
    if creating and not can_create_campus(user):
        _denied("Seule l'équipe académique enregistre les campus des métiers.")
    if not creating and not can_manage_campus(user, campus):
        _denied("Vous ne pouvez pas modifier ce campus.")
    for field in CAMPUS_FIELDS:
        if field in data:
            setattr(campus, field, data[field])
    if campus.academie_id is None or not can_manage_academie(user, campus.academie_id):
        raise PermissionDenied("Vous ne pouvez pas rattacher un campus à cette académie.")
    if campus.head_establishment and campus.head_establishment.academie_id != campus.academie_id:
        raise ValidationError(
            {"head_establishment": "L'établissement support doit être dans l'académie du campus."}
        )
    if campus.label_starts_on:
        campus.label_ends_on = rules.campus_label_end(campus.label_starts_on)
    campus.search_text = campus_search_text(campus)
    campus.full_clean()
    campus.save()
    return campus


@transaction.atomic
def campus_label_renew(*, user, campus: Campus, starts_on: date, reference: str = "") -> Campus:
    """A new 4-year label, starting at the earliest the day after the current one ends… or
    earlier when the ministry relabels before the end (the new start then replaces it)."""
    if not can_manage_campus(user, campus):
        _denied("Vous ne pouvez pas modifier ce campus.")
    if starts_on <= campus.label_starts_on:
        raise ValidationError(
            {"label_starts_on": "Le nouveau label commence après le label en cours."}
        )
    campus.label_starts_on = starts_on
    campus.label_ends_on = rules.campus_label_end(starts_on)
    campus.label_reference = reference or campus.label_reference
    campus.save()
    return campus


@transaction.atomic
def campus_member_add(
    *, user, campus: Campus, kind: str, establishment=None, organisation=None, name: str = ""
) -> CampusMember:
    """Add a school, a higher-education body, a company or a community to the campus."""
    if not can_manage_campus(user, campus):
        _denied("Vous ne pouvez pas modifier ce campus.")
    name = name.strip()
    if establishment is None and organisation is None and not name:
        raise ValidationError("Indiquez un établissement, une organisation ou un nom.")
    duplicate = (
        establishment is not None and campus.members.filter(establishment=establishment).exists()
    ) or (organisation is not None and campus.members.filter(organisation=organisation).exists())
    if duplicate:
        raise ValidationError("Ce membre fait déjà partie du campus.")
    return CampusMember.objects.create(
        campus=campus, kind=kind, establishment=establishment, organisation=organisation, name=name
    )


@transaction.atomic
def campus_member_remove(*, user, member: CampusMember) -> None:
    if not can_manage_campus(user, member.campus):
        _denied("Vous ne pouvez pas modifier ce campus.")
    member.delete()


# --- reminders (scheduled jobs) -------------------------------------------------------------


def academie_team_emails(academie_ids: Iterable[int]) -> dict[int, list[str]]:
    """E-mails of the académie teams, by académie (one query)."""
    emails: dict[int, list[str]] = defaultdict(list)
    rows = Membership.objects.filter(
        role=Role.ACADEMIE_TEAM, academie_id__in=set(academie_ids), user__is_active=True
    ).values_list("academie_id", "user__email")
    for academie_id, email in rows:
        emails[academie_id].append(email)
    return emails


def _threshold(days_left: int, thresholds: Iterable[int]) -> int | None:
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


def send_mandate_reminders(*, today: date) -> int:
    """Before the end of the mandates (J-120 to prepare the June nominations, then J-30),
    send each académie team the list of the people to reappoint or replace, and tell each
    holder that their mandate ends. Each e-mail goes once (notify_once). Returns the number
    of e-mails sent."""
    from .selectors import all_mandates, mandates_to_renew

    school_year = school_year_of(today)
    days_left = (school_year_bounds(school_year)[1] - today).days
    threshold = _threshold(days_left, MANDATE_REMINDER_DAYS)
    if threshold is None:
        return 0
    items = mandates_to_renew(queryset=all_mandates(), school_year=school_year)
    by_academie = defaultdict(list)
    for item in items:
        by_academie[item.mandate.club.academie].append(item)
    teams = academie_team_emails(a.pk for a in by_academie)
    sent = 0
    label = school_year_label(school_year)
    for academie, entries in by_academie.items():
        sent += bool(
            notify_once(
                key=f"networks.mandats-a-renouveler:{academie.code}:{school_year}:J-{threshold}",
                recipients=teams.get(academie.pk, []),
                subject=f"Mandats des clubs école-entreprise à renouveler ({label})",
                template="networks/mail/mandates_to_renew.txt",
                context={
                    "academie": academie,
                    "entries": entries,
                    "school_year_label": label,
                    "next_label": school_year_label(school_year + 1),
                    "url": absolute_url(f"/reseaux/mandats/a-renouveler/?annee={school_year}"),
                },
                about=f"networks.academie:{academie.code}",
            )
        )
        for item in entries:
            mandate = item.mandate
            sent += bool(
                notify_once(
                    key=f"networks.mandate:{mandate.pk}:fin",
                    recipients=[mandate.email],
                    subject=f"Votre mandat au {mandate.club.name} se termine le "
                    f"{mandate.ends_on:%d/%m/%Y}",
                    template="networks/mail/mandate_ending.txt",
                    context={"item": item, "mandate": mandate},
                    about=f"networks.mandate:{mandate.pk}",
                )
            )
    return sent


def send_campus_label_reminders(*, today: date) -> int:
    """Twelve and six months before a campus's label ends, remind the académie team (and the
    campus's contact) to prepare its renewal. Each e-mail goes once."""
    from dateutil.relativedelta import relativedelta

    horizon = today + relativedelta(months=max(CAMPUS_REMINDER_MONTHS))
    campuses = list(
        Campus.objects.filter(label_ends_on__gte=today, label_ends_on__lte=horizon)
        .select_related("academie")
        .order_by("label_ends_on")
    )
    teams = academie_team_emails(c.academie_id for c in campuses)
    sent = 0
    for campus in campuses:
        months = min(
            m
            for m in CAMPUS_REMINDER_MONTHS
            if campus.label_ends_on <= today + relativedelta(months=m)
        )
        sent += bool(
            notify_once(
                key=f"networks.campus:{campus.pk}:fin-label:{campus.label_ends_on}:{months}m",
                recipients=[*teams.get(campus.academie_id, []), campus.contact_email],
                subject=f"Label du {campus.name} : fin le {campus.label_ends_on:%d/%m/%Y}",
                template="networks/mail/campus_label_ending.txt",
                context={
                    "campus": campus,
                    "months": months,
                    "url": absolute_url(campus.get_absolute_url()),
                },
                about=f"networks.campus:{campus.pk}",
            )
        )
    return sent
