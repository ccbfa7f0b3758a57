"""Clubs école-entreprise (one per bassin) and their members, with the club's steering
committee (a governance body: networks builds on governance, never the other way round).
Rules cite the convention Clubster of the académie de Lille (« Gouvernance et mise en
œuvre »)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.agreements.models import Agreement
from relais.core.text import search_key
from relais.core.validation import check_date_range
from relais.establishments.enums import EstablishmentKind
from relais.establishments.models import Establishment
from relais.governance import services as governance
from relais.governance.enums import BodyKind
from relais.organisations.models import Organisation
from relais.territories.models import Bassin
from relais.users.types import AnyUser

from ..enums import ByRight
from ..models import Club, ClubMember
from ..perms import can_create_club, can_manage_academie, can_manage_club
from .common import _denied, _locked

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


def club_search_text(club: Club) -> str:
    return search_key(club.name, club.bassin.name if club.bassin_id else "")


@transaction.atomic
def club_create(
    *,
    user: AnyUser,
    bassin: Bassin,
    name: str = "",
    charter: str = "",
    contact_email: str = "",
    agreement: Agreement | None = None,
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
    try:
        with transaction.atomic():
            club.save()
    except IntegrityError:  # created by someone else a moment ago
        raise ValidationError({"bassin": "Ce bassin a déjà son club école-entreprise."}) from None
    governance.body_create(
        user=user,
        club=club,
        data={
            "name": f"Comité de pilotage — {club.name}",
            "kind": BodyKind.CLUB_STEERING,
            "min_meetings_per_year": 2,
            "rule_text": STEERING_RULE,
        },
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


@transaction.atomic
def club_update(*, user: AnyUser, club: Club, data: dict[str, Any]) -> Club:
    """Change the club's name, charter, contact or convention (académie team or the bassin's
    référent)."""
    if not can_manage_club(user, club):
        _denied("Vous ne pouvez pas modifier ce club.")
    _locked(club)
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
    user: AnyUser,
    club: Club,
    establishment: Establishment | None = None,
    organisation: Organisation | None = None,
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
    check_date_range(joined_on, "joined_on")
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
    _locked(club)  # one holder per seat, each member once, even for two requests at once
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
def club_member_remove(
    *, user: AnyUser, member: ClubMember, left_on: date | None = None
) -> ClubMember:
    """A member leaves the club (kept in its history). Members by right are replaced, never
    removed: the club always has its pôle de stages animator and its CIO director."""
    if not can_manage_club(user, member.club):
        _denied("Vous ne pouvez pas modifier les membres de ce club.")
    if member.by_right:
        raise ValidationError(
            f"« {member.get_by_right_display()} » est membre de droit du club : nommez son "
            "successeur plutôt que de le retirer."
        )
    check_date_range(left_on, "left_on")
    _locked(member)
    if member.left_on is None:
        member.left_on = max(member.joined_on, left_on or timezone.localdate())
        member.save(update_fields=["left_on", "updated_at"])
    return member
