"""The dashboard's work queues: for each role, what is waiting for the user, each item a
count and a link to the page where the work is done, what is late first.

Built from the domain selectors (each already restricted to the user), counted in the
database: a fixed number of queries per queue, whatever the size of the territory
(tests/www/test_dashboard_queues.py freezes them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from relais.actions.enums import RequestState as ActionRequestState
from relais.actions.selectors import requests_visible_to as action_requests_visible_to
from relais.agreements.enums import AgreementState
from relais.agreements.selectors import agreements_visible_to
from relais.core import clock
from relais.core.enums import NotificationState
from relais.core.school_years import school_year_of
from relais.governance.selectors import conventions_without_report
from relais.internships.enums import CaseState, OfferState, ProposalState
from relais.internships.selectors import (
    cases_visible_to,
    classes_leaving_unprepared,
    flagged_q,
    offers_visible_to,
    periods_visible_to,
    proposals_visible_to,
)
from relais.users.scopes import get_reach
from relais.users.selectors import can_follow_outbox, outbox_visible_to
from relais.volunteers.enums import AdvisorState, ApplicationState
from relais.volunteers.enums import RequestState as ReserveRequestState
from relais.volunteers.selectors import (
    advisors_visible_to,
    applications_visible_to,
    overdue_condition,
    requests_visible_to,
)

OPEN_CASES = Q(closed_at__isnull=True)


@dataclass
class Item:
    """One line of a queue: « 3 conventions en attente de signature » → the list."""

    count: int
    singular: str
    plural: str
    url: str
    late: int = 0
    late_text: str = "en retard"

    @property
    def text(self) -> str:
        return self.singular if self.count < 2 else self.plural


@dataclass
class Queue:
    key: str
    title: str
    items: list[Item] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url): where to go
    empty: str = "Rien n'attend pour l'instant."
    # The school's queue: its internship periods of the school year, and that year.
    periods: int = 0
    period_year: str = ""

    @property
    def todo(self) -> list[Item]:
        """What waits, the late first, then the largest."""
        return sorted(
            (item for item in self.items if item.count),
            key=lambda item: (-item.late, -item.count),
        )

    @property
    def total(self) -> int:
        return sum(item.count for item in self.items)


def _url(name: str, **params) -> str:
    base = reverse(name)
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


def _maybe_url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


# --- Preparation of the stage de 3e (Mesure 2) ----------------------------------------------


PREPARATION_DAYS = 10


def _unprepared(user, **filters) -> Item:
    """Classes leaving on their stage de 3e within 10 days without their preparation
    complete (1 query)."""
    count = classes_leaving_unprepared(
        periods=periods_visible_to(user=user).filter(**filters),
        today=clock.today(),
        days=PREPARATION_DAYS,
    )
    return Item(
        count,
        f"classe part en stage de 3e dans {PREPARATION_DAYS} jours sans préparation complète",
        f"classes partent en stage de 3e dans {PREPARATION_DAYS} jours sans préparation complète",
        _url("internships:preparation_list", sans_preparation="on", jours=PREPARATION_DAYS),
    )


# --- Académie team (and national administration) ------------------------------------------


def team_queue(user, *, title: str) -> Queue:
    """Signatures awaited, term ends ahead, CEE to designate, réserve applications to vet,
    annual reports due, e-mails that failed, classes leaving unprepared (7 queries)."""
    today = clock.today()
    ends = Q(state__in=[AgreementState.IN_FORCE, AgreementState.TERMINATED], current_end__gte=today)
    agreements = agreements_visible_to(user).aggregate(
        in_signature=Count("pk", filter=Q(state=AgreementState.IN_SIGNATURE)),
        ends_90=Count("pk", filter=ends & Q(current_end__lte=today + timedelta(days=90))),
        ends_30=Count("pk", filter=ends & Q(current_end__lte=today + timedelta(days=30))),
    )
    reach = get_reach(user)
    advisors = advisors_visible_to(user=user)
    if not reach.national:
        advisors = advisors.filter(academie_id__in=reach.managed_academie_ids)
    proposed = advisors.filter(state=AdvisorState.PROPOSED).count()
    applications = (
        applications_visible_to(user=user)
        .filter(state=ApplicationState.SUBMITTED)
        .aggregate(total=Count("pk"), overdue=Count("pk", filter=overdue_condition()))
    )
    last_year = school_year_of(today) - 1
    reports = conventions_without_report(user, school_year=last_year).count()
    items = [
        Item(
            agreements["in_signature"],
            "convention attend sa signature",
            "conventions attendent leur signature",
            _url("agreements:list", state=AgreementState.IN_SIGNATURE),
        ),
        Item(
            agreements["ends_90"],
            "convention arrive à échéance dans les 90 jours",
            "conventions arrivent à échéance dans les 90 jours",
            _url("agreements:deadlines", days=90),
            late=agreements["ends_30"],
            late_text="dans moins de 30 jours",
        ),
        Item(
            proposed,
            "conseiller entreprises pour l'école proposé, à désigner",
            "conseillers entreprises pour l'école proposés, à désigner",
            _url("volunteers:advisor_list", state=AdvisorState.PROPOSED),
        ),
        Item(
            applications["total"],
            "candidature à la réserve citoyenne à examiner",
            "candidatures à la réserve citoyenne à examiner",
            _url("volunteers:application_list", state=ApplicationState.SUBMITTED),
            late=applications["overdue"],
            late_text="déposées depuis plus de deux mois",
        ),
        Item(
            reports,
            f"convention sans bilan validé pour {last_year}-{last_year + 1}",
            f"conventions sans bilan validé pour {last_year}-{last_year + 1}",
            reverse("governance:report_list"),
        ),
        _unprepared(user),
    ]
    if can_follow_outbox(user):
        mails = outbox_visible_to(user=user).aggregate(
            failed=Count("pk", filter=Q(state=NotificationState.FAILED)),
            abandoned=Count("pk", filter=Q(state=NotificationState.ABANDONED)),
        )
        items.append(
            Item(
                mails["failed"] + mails["abandoned"],
                "courriel n'est pas parti",
                "courriels ne sont pas partis",
                _url("outbox:list"),
                late=mails["abandoned"],
                late_text="abandonnés",
            )
        )
    links = [("Échéances des conventions", reverse("agreements:deadlines"))]
    if reach.national:
        links.insert(0, ("Parcours Avenir : indicateurs nationaux", _national_indicators()))
        national = _maybe_url("national:view")
        if national:
            links.insert(1, ("Vue nationale", national))
    else:
        links.append(("Parcours Avenir : indicateurs", reverse("pathways:indicators")))
    return Queue("team", title, items, links)


def _national_indicators() -> str:
    return _url("pathways:indicators", territoire="national")


# --- Pôle de stages ------------------------------------------------------------------------


CASE_STEPS = [
    (CaseState.SEARCHING_ALONE, "élève cherche seul", "élèves cherchent seuls"),
    (CaseState.HELPED_BY_TEAM, "élève aidé par l'équipe", "élèves aidés par l'équipe"),
    (CaseState.REFERRED, "élève orienté vers le pôle, sans proposition",
     "élèves orientés vers le pôle, sans proposition"),
    (CaseState.PROPOSAL_SENT, "élève attend la réponse à une proposition",
     "élèves attendent la réponse à une proposition"),
]  # fmt: skip


def _case_steps(cases, now, steps) -> list[Item]:
    """One item per step of the open cases, with those waiting too long (1 query)."""
    counts = {
        row["state"]: row
        for row in cases.filter(OPEN_CASES)
        .values("state")
        .annotate(n=Count("pk"), late=Count("pk", filter=flagged_q(now)))
        .order_by()
    }
    return [
        Item(
            counts.get(state, {}).get("n", 0),
            one,
            many,
            _url("internships:case_list", state=state),
            late=counts.get(state, {}).get("late", 0),
            late_text="en attente trop longue",
        )
        for state, one, many in steps
    ]


def hub_queue(user, *, title: str) -> Queue:
    """The pôle's queue: cases by step and age, proposals without an answer, offers to
    publish, classes leaving unprepared (4 queries)."""
    now = timezone.now()
    reach = get_reach(user)
    cases = cases_visible_to(user=user).filter(
        pupil__establishment__bassin_id__in=reach.hub_bassin_ids
    )
    items = _case_steps(cases, now, CASE_STEPS[2:])
    unanswered = (
        proposals_visible_to(user=user)
        .filter(
            state=ProposalState.SENT, case__pupil__establishment__bassin_id__in=reach.hub_bassin_ids
        )
        .count()
    )
    drafts = (
        offers_visible_to(user=user)
        .filter(state=OfferState.DRAFT, bassin_id__in=reach.hub_bassin_ids)
        .count()
    )
    items += [
        Item(
            unanswered,
            "proposition sans réponse de l'entreprise",
            "propositions sans réponse des entreprises",
            _url("internships:proposal_list", state=ProposalState.SENT),
        ),
        Item(
            drafts,
            "offre de stage à publier",
            "offres de stage à publier",
            _url("internships:offer_list", state=OfferState.DRAFT),
        ),
        _unprepared(user, establishment__bassin_id__in=reach.hub_bassin_ids),
    ]
    links = [
        ("Calculs de placement", reverse("internships:run_list")),
        ("Tous les dossiers", reverse("internships:case_list")),
    ]
    return Queue("hub", title, items, links)


# --- School (head of school, teacher) ------------------------------------------------------


def school_queue(user, school, *, title: str, parcours_missing: int | None) -> Queue:
    """Pupils to help or refer, proposals to confirm, action and réserve requests, periods
    to declare, classes leaving unprepared, the parcours Avenir's gaps (6 queries and the
    parcours' own)."""
    now = timezone.now()
    today = clock.today()
    cases = cases_visible_to(user=user).filter(pupil__establishment_id=school.pk)
    items = _case_steps(cases, now, CASE_STEPS[:2] + CASE_STEPS[3:])
    to_confirm = (
        proposals_visible_to(user=user)
        .filter(state=ProposalState.ACCEPTED, case__pupil__establishment_id=school.pk)
        .count()
    )
    actions = (
        action_requests_visible_to(user=user)
        .filter(establishment_id=school.pk)
        .aggregate(
            sent=Count("pk", filter=Q(state=ActionRequestState.SENT)),
            accepted=Count("pk", filter=Q(state=ActionRequestState.ACCEPTED)),
        )
    )
    reserve = (
        requests_visible_to(user=user)
        .filter(establishment_id=school.pk, state=ReserveRequestState.ACCEPTED)
        .count()
    )
    year = school_year_of(today)
    periods = (
        periods_visible_to(user=user)
        .filter(establishment_id=school.pk, school_year=f"{year}-{year + 1}")
        .count()
    )
    items += [
        Item(
            to_confirm,
            "stage accepté par l'entreprise, à confirmer",
            "stages acceptés par les entreprises, à confirmer",
            _url("internships:proposal_list", state=ProposalState.ACCEPTED),
        ),
        Item(
            actions["accepted"],
            "action acceptée par un partenaire, à réaliser",
            "actions acceptées par les partenaires, à réaliser",
            _url("actions:request_list", state=ActionRequestState.ACCEPTED),
        ),
        Item(
            actions["sent"],
            "demande d'action sans réponse du partenaire",
            "demandes d'action sans réponse des partenaires",
            _url("actions:request_list", state=ActionRequestState.SENT),
        ),
        Item(
            reserve,
            "intervention de la réserve acceptée, à organiser",
            "interventions de la réserve acceptées, à organiser",
            _url("volunteers:request_list", state=ReserveRequestState.ACCEPTED),
        ),
        _unprepared(user, establishment_id=school.pk),
    ]
    if parcours_missing is not None:
        items.append(
            Item(
                parcours_missing,
                "élève n'a pas encore un élément du parcours Avenir dû cette année",
                "élèves n'ont pas encore un élément du parcours Avenir dû cette année",
                reverse("pathways:school", args=[school.pk]),
            )
        )
    queue = Queue("school", title, items, [("Fiche de l'établissement", school.get_absolute_url())])
    queue.periods = periods
    queue.period_year = f"{year}-{year + 1}"
    return queue


# --- Organisation --------------------------------------------------------------------------


def organisation_queue(user, *, title: str) -> Queue:
    """Its conventions, its CEE, the requests for its actions, its offers and the internship
    proposals addressed to it (5 queries)."""
    reach = get_reach(user)
    orgs = reach.organisation_ids
    agreements = agreements_visible_to(user).aggregate(
        in_signature=Count("pk", filter=Q(state=AgreementState.IN_SIGNATURE)),
        in_force=Count("pk", filter=Q(state=AgreementState.IN_FORCE)),
    )
    advisors = (
        advisors_visible_to(user=user)
        .filter(organisation_id__in=orgs)
        .aggregate(
            proposed=Count("pk", filter=Q(state=AdvisorState.PROPOSED)),
            designated=Count("pk", filter=Q(state=AdvisorState.DESIGNATED)),
            active=Count("pk", filter=Q(state=AdvisorState.ACTIVE)),
        )
    )
    requests = (
        action_requests_visible_to(user=user)
        .filter(offer__organisation_id__in=orgs, state=ActionRequestState.SENT)
        .count()
    )
    internship_offers = (
        offers_visible_to(user=user)
        .filter(host_id__in=orgs)
        .aggregate(
            draft=Count("pk", filter=Q(state=OfferState.DRAFT)),
            published=Count("pk", filter=Q(state=OfferState.PUBLISHED)),
        )
    )
    proposals = (
        proposals_visible_to(user=user)
        .filter(state=ProposalState.SENT, slot__offer__host_id__in=orgs)
        .count()
    )
    items = [
        Item(
            proposals,
            "proposition de stage à laquelle répondre",
            "propositions de stage auxquelles répondre",
            _url("internships:proposal_list", state=ProposalState.SENT),
        ),
        Item(
            requests,
            "demande d'action d'une école à laquelle répondre",
            "demandes d'action des écoles auxquelles répondre",
            _url("actions:request_list", state=ActionRequestState.SENT),
        ),
        Item(
            agreements["in_signature"],
            "convention à signer",
            "conventions à signer",
            _url("agreements:list", state=AgreementState.IN_SIGNATURE),
        ),
        Item(
            advisors["designated"],
            "conseiller désigné : informer son employeur",
            "conseillers désignés : informer leur employeur",
            _url("volunteers:advisor_list", state=AdvisorState.DESIGNATED),
        ),
        Item(
            internship_offers["draft"],
            "offre de stage en brouillon",
            "offres de stage en brouillon",
            _url("internships:offer_list", state=OfferState.DRAFT),
        ),
    ]
    links = [
        (f"Conventions en vigueur : {agreements['in_force']}",
         _url("agreements:list", state=AgreementState.IN_FORCE)),
        ("Engagements et réalisations (conseillers)", reverse("volunteers:commitments")),
        (f"Conseillers en mission : {advisors['active']}, proposés : {advisors['proposed']}",
         reverse("volunteers:advisor_list")),
        (f"Offres de stage publiées : {internship_offers['published']}",
         _url("internships:offer_list", state=OfferState.PUBLISHED)),
        ("Catalogue des actions", reverse("actions:offer_list")),
    ]  # fmt: skip
    return Queue("organisation", title, items, links)


# --- Volunteer -----------------------------------------------------------------------------


def volunteer_queue(user, *, title: str) -> Queue:
    """The réserviste's requests to answer and to give (1 query)."""
    counts = (
        requests_visible_to(user=user)
        .filter(reservist__user_id=user.pk)
        .aggregate(
            sent=Count("pk", filter=Q(state=ReserveRequestState.SENT)),
            accepted=Count("pk", filter=Q(state=ReserveRequestState.ACCEPTED)),
            done=Count("pk", filter=Q(state=ReserveRequestState.DONE)),
        )
    )
    mine = reverse("volunteers:mine")
    items = [
        Item(counts["sent"], "sollicitation à laquelle répondre",
             "sollicitations auxquelles répondre", mine),
        Item(counts["accepted"], "intervention acceptée, à réaliser",
             "interventions acceptées, à réaliser", mine),
    ]  # fmt: skip
    done = counts["done"]
    links = [
        ("Mon profil, mes disponibilités et ma zone", mine),
        (f"Mes interventions réalisées : {done}", mine),
    ]
    return Queue("volunteer", title, items, links)
