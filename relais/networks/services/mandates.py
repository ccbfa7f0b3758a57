"""Mandates of the clubs' two co-animators: the référent école-entreprise (named by the
recteur each June) and the pilote (named by the signatory organisations, 5 years at most),
for one school year; the holder co-animates the club's steering committee."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from relais.core.dates import SCHOOL_YEAR_MAX, SCHOOL_YEAR_MIN
from relais.core.notifications import absolute_url, notify_once
from relais.core.school_years import school_year_bounds
from relais.core.validation import check_date_ranges
from relais.establishments.models import Establishment
from relais.governance import services as governance
from relais.organisations.models import Organisation
from relais.users.models import User
from relais.users.types import AnyUser

from .. import rules
from ..enums import MandateRole
from ..models import Club, Mandate
from ..perms import can_manage_mandates
from ..selectors import steering_body
from .common import _denied, _locked

DATE_FIELDS = ("appointed_on", "starts_on")


def _check_no_overlap(
    club: Club, role: str, starts_on: date, ends_on: date, exclude: Mandate | None = None
) -> list[Mandate]:
    overlapping = Mandate.objects.filter(
        club=club, role=role, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude is not None:
        overlapping = overlapping.exclude(pk=exclude.pk)
    return list(overlapping)


@transaction.atomic
def mandate_appoint(
    *,
    user: AnyUser,
    club: Club,
    role: str,
    school_year: int,
    full_name: str,
    email: str,
    appointed_on: date,
    phone: str = "",
    organisation: Organisation | None = None,
    establishment: Establishment | None = None,
    appointed_by: str = "",
    appointing_organisations: Iterable[Organisation] = (),
    replacement: bool = False,
    starts_on: date | None = None,
    previous: Mandate | None = None,
    account: User | None = None,
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
    if not SCHOOL_YEAR_MIN <= school_year <= SCHOOL_YEAR_MAX:
        raise ValidationError(
            {"school_year": f"Indiquez une année de {SCHOOL_YEAR_MIN} à {SCHOOL_YEAR_MAX}."}
        )
    check_date_ranges({"appointed_on": appointed_on, "starts_on": starts_on}, DATE_FIELDS)
    _locked(club)  # one holder at a time, even for two nominations at once
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
        created_by=user if user.is_authenticated else None,
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
    *, club: Club, role: str, school_year: int, full_name: str, email: str, appointed_on: date,
    appointed_by: str, organisations: list[Organisation], replacement: bool,
) -> str:  # fmt: skip
    """The rules of each role; returns who appointed (the recteur or the organisations)."""
    errors: dict[str, str] = {}
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


def _end_replaced_mandates(
    club: Club, role: str, starts_on: date, ends_on: date, *, replacement: bool
) -> None:
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
    governance.body_seat_chair(
        body=body,
        label=mandate.get_role_display(),
        full_name=mandate.full_name,
        email=mandate.email,
        account=mandate.user,
    )


def mandate_renew(
    *,
    user: AnyUser,
    mandate: Mandate,
    appointed_on: date,
    appointing_organisations: Iterable[Organisation] | None = None,
) -> Mandate:
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
