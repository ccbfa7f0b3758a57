"""The bassin référent's work queue (issue 14): what the référent école-entreprise of a
bassin must see to: the bassin's club école-entreprise (missing, without its pilote from the
economic world for the school year, or without the meetings of the year that its steering
committee's rules ask for), the pupils referred to the pôle and still waiting (figures
only: pupils' names are the pôle's and the school's), the schools' action requests that no
partner answered, the mandates ending without a successor, the classes leaving unprepared.

Built from the domain selectors like the other queues (``queues.py``): 5 queries, one more
when a pilote's mandate ends without a successor (their consecutive years).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from relais.actions.enums import RequestState as ActionRequestState
from relais.actions.selectors import requests_visible_to as action_requests_visible_to
from relais.core import clock
from relais.core.school_years import school_year_bounds, school_year_label, school_year_of
from relais.governance.enums import BodyKind, MeetingState
from relais.governance.models import Body, Meeting
from relais.internships.enums import CaseState
from relais.internships.selectors import cases_counted_for, flagged_q
from relais.networks.enums import MandateRole
from relais.networks.models import Mandate
from relais.networks.selectors import clubs_visible_to, mandates_to_renew, mandates_visible_to

from .queues import OPEN_CASES, Item, Queue, _unprepared, _url

# A club whose steering committee was not set up in Relais is asked for one meeting a year.
DEFAULT_MEETINGS = 1


@dataclass(frozen=True)
class ClubState:
    pk: int
    bassin_id: int
    has_pilote: bool
    meetings: int
    required: int

    @property
    def url(self) -> str:
        return reverse("networks:club_detail", args=[self.pk])


def _clubs(user, bassin_ids: frozenset[int], year: int) -> list[ClubState]:
    """The bassins' clubs with ``has_pilote`` (a pilote's mandate for ``year``),
    ``meetings`` (their steering committee's meetings of the year, held or planned) and
    ``required`` (the meetings a year its rules ask for, ``Body.min_meetings_per_year``)."""
    start, end = school_year_bounds(year)
    meetings = (
        Meeting.objects.filter(
            body__club=OuterRef("pk"),
            body__kind=BodyKind.CLUB_STEERING,
            starts_at__date__range=(start, end),
        )
        .exclude(state=MeetingState.CANCELLED)
        .order_by()
        .values("body__club")
        .annotate(n=Count("pk"))
        .values("n")
    )
    pilote = Mandate.objects.filter(club=OuterRef("pk"), school_year=year, role=MandateRole.PILOTE)
    required = Body.objects.filter(club=OuterRef("pk"), kind=BodyKind.CLUB_STEERING).values(
        "min_meetings_per_year"
    )[:1]
    rows = (
        clubs_visible_to(user=user)
        .filter(bassin_id__in=bassin_ids)
        .annotate(
            has_pilote=Exists(pilote),
            meetings=Coalesce(Subquery(meetings, output_field=IntegerField()), Value(0)),
            required=Coalesce(
                Subquery(required, output_field=IntegerField()), Value(DEFAULT_MEETINGS)
            ),
        )
        .order_by("name")
        .values_list("pk", "bassin_id", "has_pilote", "meetings", "required")
    )
    return [ClubState(*row) for row in rows]


def _club_url(clubs: list[ClubState]) -> str:
    """The club's page when there is one, else the list of clubs."""
    return clubs[0].url if len(clubs) == 1 else reverse("networks:club_list")


def _club_items(user, bassin_ids: frozenset[int], year: int) -> tuple[list[Item], list[ClubState]]:
    clubs = _clubs(user, bassin_ids, year)
    label = school_year_label(year)
    no_club = len(bassin_ids - {club.bassin_id for club in clubs})
    no_pilote = [club for club in clubs if not club.has_pilote]
    few_meetings = [club for club in clubs if club.meetings < club.required]
    items = [
        Item(
            no_club,
            "bassin sans club école-entreprise (l'équipe académique le crée)",
            "bassins sans club école-entreprise (l'équipe académique les crée)",
            reverse("networks:club_list"),
        ),
        Item(
            len(no_pilote),
            f"club sans pilote du monde économique pour {label}",
            f"clubs sans pilote du monde économique pour {label}",
            _club_url(no_pilote),
        ),
        Item(
            len(few_meetings),
            f"club dont le comité de pilotage n'a pas ses réunions de {label}",
            f"clubs dont le comité de pilotage n'a pas ses réunions de {label}",
            _club_url(few_meetings),
            late=len([club for club in few_meetings if not club.meetings]),
            late_text="sans aucune réunion prévue",
        ),
    ]
    return items, clubs


def referent_queue(user, bassin_ids: frozenset[int], *, title: str) -> Queue:
    """The référent's queue over the bassins they are référent of (5 or 6 queries)."""
    today = clock.today()
    year = school_year_of(today)
    items, clubs = _club_items(user, bassin_ids, year)
    in_bassins = Q(pupil__establishment__bassin_id__in=bassin_ids)
    waiting = (
        cases_counted_for(user=user)
        .filter(OPEN_CASES, in_bassins, state=CaseState.REFERRED)
        .aggregate(n=Count("pk"), late=Count("pk", filter=flagged_q(timezone.now())))
    )
    unanswered = (
        action_requests_visible_to(user=user)
        .filter(state=ActionRequestState.SENT, establishment__bassin_id__in=bassin_ids)
        .count()
    )
    renew = mandates_to_renew(
        queryset=mandates_visible_to(user=user).filter(club__bassin_id__in=bassin_ids),
        school_year=year,
    )
    items += [
        Item(
            waiting["n"],
            "élève orienté vers le pôle de stages attend une proposition",
            "élèves orientés vers le pôle de stages attendent une proposition",
            reverse("internships:indicators"),
            late=waiting["late"],
            late_text="en attente trop longue",
        ),
        Item(
            unanswered,
            "demande d'action d'une école du bassin sans réponse du partenaire",
            "demandes d'action des écoles du bassin sans réponse des partenaires",
            _url("actions:request_list", state=ActionRequestState.SENT),
        ),
        Item(
            len(renew),
            f"mandat du club finit en {school_year_label(year)} sans successeur",
            f"mandats du club finissent en {school_year_label(year)} sans successeur",
            reverse("networks:mandates_to_renew"),
        ),
        _unprepared(user, establishment__bassin_id__in=bassin_ids),
    ]
    links = [
        ("Le club du bassin" if len(clubs) == 1 else "Les clubs", _club_url(clubs)),
        ("Indicateurs des stages", reverse("internships:indicators")),
        ("Parcours Avenir : indicateurs", reverse("pathways:indicators")),
    ]
    return Queue("referent", title, items, links)
