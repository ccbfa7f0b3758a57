"""Conseillers de l'enseignement technologique (Mesure 8) and CEE: renewal of a mandate and
the seats they hold.

Fiche mesure 8: the CET « jouent un rôle actif dans les missions et actions qui visent à
rapprocher le système éducatif et son environnement économique » and keep « un rôle
d'interface entre les établissements, notamment les collèges et le monde professionnel »;
calendar: « Renouvellement des conseillers de l'enseignement technologique ». A mandate is
renewed by the académie team before it ends (the nightly job warns
``MANDATE_END_NOTICE_DAYS`` days before, ``advisors.remind_mandate_ends``); a conseiller's
seats in a CLEE, a campus des métiers, a pôle de stages or a commission professionnelle
consultative are recorded with their dates.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from relais.core.validation import check_date_range
from relais.networks.models import Campus, Club
from relais.territories.models import Bassin
from relais.users.types import AnyUser

from .. import perms
from ..enums import SeatKind
from ..models import Advisor, AdvisorSeat
from ..workflows import ADVISOR_WORKFLOW


@transaction.atomic
def advisor_renew(*, user: AnyUser, advisor: Advisor, mandate_end: date, note: str = "") -> Advisor:
    """The académie team renews a designated conseiller's mandate to a later end (within the
    CEE convention for a CEE); the journal keeps the former end."""
    check_date_range(mandate_end, "mandate_end")
    former = advisor.mandate_end
    text = (note or "").strip() or f"Mandat renouvelé jusqu'au {mandate_end:%d/%m/%Y}"
    return ADVISOR_WORKFLOW.fire(
        advisor, "renouveler", user=user, note=text, mandate_end=mandate_end,
        data={"former_end": former.isoformat() if former else None},
    )  # fmt: skip


def _check_body(
    advisor: Advisor,
    kind: str,
    club: Club | None,
    campus: Campus | None,
    bassin: Bassin | None,
    commission: str,
) -> None:
    """The seat names the body of its kind, in the conseiller's académie."""
    body: Club | Campus | Bassin | None = {
        SeatKind.CLEE: club,
        SeatKind.CAMPUS: campus,
        SeatKind.POLE: bassin,
    }.get(SeatKind(kind))
    if kind == SeatKind.CPC:
        if not commission:
            raise ValidationError({"commission": "Indiquez la commission professionnelle."})
        return
    if body is None:
        field = {SeatKind.CLEE: "club", SeatKind.CAMPUS: "campus", SeatKind.POLE: "bassin"}[
            SeatKind(kind)
        ]
        raise ValidationError({field: "Choisissez l'instance où siège le conseiller."})
    if body.academie_id != advisor.academie_id:
        raise ValidationError({"kind": "L'instance doit relever de l'académie du conseiller."})


@transaction.atomic
def seat_add(
    *,
    user: AnyUser,
    advisor: Advisor,
    kind: str,
    started_on: date,
    club: Club | None = None,
    campus: Campus | None = None,
    bassin: Bassin | None = None,
    commission: str = "",
) -> AdvisorSeat:
    """A designated conseiller takes a seat (the académie team records it): a CLEE, a campus
    or a pôle de stages of its académie, or a CPC named in clear; from a date within the
    mandate."""
    if not perms.can_vet_advisor(user, advisor):
        raise PermissionDenied("Seule l'équipe académique enregistre les sièges des conseillers.")
    if not advisor.is_appointed:
        raise ValidationError("Seul un conseiller désigné ou en mission siège dans une instance.")
    check_date_range(started_on, "started_on")
    commission = (commission or "").strip()
    _check_body(advisor, kind, club, campus, bassin, commission)
    if advisor.mandate_end and started_on > advisor.mandate_end:
        raise ValidationError({"started_on": "Le siège commence après la fin du mandat."})
    seat = AdvisorSeat(
        advisor=advisor,
        kind=SeatKind(kind),
        club=club if kind == SeatKind.CLEE else None,
        campus=campus if kind == SeatKind.CAMPUS else None,
        bassin=bassin if kind == SeatKind.POLE else None,
        commission=commission if kind == SeatKind.CPC else "",
        started_on=started_on,
        recorded_by=user if user.is_authenticated else None,
    )
    seat.full_clean()
    seat.save()
    return seat


@transaction.atomic
def seat_end(*, user: AnyUser, seat: AdvisorSeat, ended_on: date | None = None) -> AdvisorSeat:
    """The conseiller leaves the seat on ``ended_on`` (today by default), not before it began."""
    if not perms.can_vet_advisor(user, seat.advisor):
        raise PermissionDenied("Seule l'équipe académique enregistre les sièges des conseillers.")
    if seat.ended_on is not None:
        raise ValidationError("Ce siège a déjà pris fin.")
    ended_on = ended_on or timezone.localdate()
    check_date_range(ended_on, "ended_on")
    if ended_on < seat.started_on:
        raise ValidationError({"ended_on": "La fin du siège ne peut précéder son début."})
    seat.ended_on = ended_on
    seat.save(update_fields=["ended_on", "updated_at"])
    return seat
