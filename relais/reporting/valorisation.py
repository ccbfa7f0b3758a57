"""The public page of a convention in force (issue 15, item 10), shared with the open data
under ``/donnees/``: the Lille convention wants its actions « valorisées sur un site dédié »
and a communication « immédiatement lisible pour l'ensemble des acteurs » (« Communication »,
« Axe 1 »).

What it shows, without login: the convention as consolidated today (its avenants applied),
its parties and, for each signatory, the office in which they signed (« qualité ») and the
day — never a person's name, e-mail or telephone; its axes (articles) and commitments; the
actions it sponsors: the clubs école-entreprise attached to it, the published catalogue
actions of its partners' network on its territory, the actions done this school year by
kind and the interventions of the conseillers entreprises designated under it (counts
only, no school, no person, no pupil), and its instances with the meetings held this year.
Only a convention the open data lists (``measures.in_force``) that is in force or in notice
today is shown; any other number answers 404.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from relais.actions.enums import ActionKind
from relais.actions.enums import OfferState as ActionOfferState
from relais.actions.models import ActionRecord
from relais.actions.models import Offer as ActionOffer
from relais.agreements import states
from relais.agreements.consolidation import consolidate
from relais.agreements.enums import AgreementKind, AgreementScope, AgreementState, PartySide
from relais.agreements.models import Agreement, Party
from relais.core.clock import today
from relais.core.school_years import school_year_of
from relais.networks.models import Club
from relais.volunteers.models import AdvisorIntervention

from . import measures, partners

PUBLIC_STATES = {states.IN_FORCE, states.IN_NOTICE}
MAX_ACTIONS = 20  # catalogue actions listed; the rest counted
HELD = "tenue"  # governance.enums.MeetingState.HELD (governance imports reporting)


def public_list() -> QuerySet[Agreement]:
    """The conventions of the open data's list (``conventions-en-vigueur``), for the page
    that links each to its public page: one query."""
    return measures.in_force().select_related(
        "academic_region", "academie", "bassin", "establishment"
    )


def territory(agreement: Agreement) -> str:
    """The territory of a convention, as the open data names it."""
    from .opendata import _scope_code

    return _scope_code(agreement)[1]


def _agreement_prefetches() -> list:
    parts = ["parties", "signatories", "articles", "commitments"]
    avenants = Agreement.objects.prefetch_related(*parts)
    return [*parts, Prefetch("avenants", queryset=avenants)]


def is_published(agreement: Agreement, day_state: states.DayState) -> bool:
    """Whether the public page of ``agreement`` is open, given its state today (no query):
    the open data's rule (stored in force, not an avenant) and in force or in notice."""
    return (
        agreement.state == AgreementState.IN_FORCE
        and agreement.kind != AgreementKind.AVENANT
        and day_state.code in PUBLIC_STATES
    )


def public_convention(number: str, *, on: date | None = None) -> Agreement | None:
    """The convention ``number`` if the public may read it on ``on`` (today by default): in
    the open data's list and in force or in notice that day; None otherwise (a draft, one in
    signature, ended, expired, abandoned, an avenant: the page answers 404)."""
    agreement = (
        public_list()
        .filter(number=number)
        .select_related("parent")
        .prefetch_related(*_agreement_prefetches())
        .first()
    )
    if agreement is None or not is_published(agreement, states.state_on(agreement, on=on)):
        return None
    return agreement


@dataclass
class PublicParty:
    name: str
    side: str
    signatures: list[tuple[str, date | None]] = field(default_factory=list)  # (office, day)


@dataclass
class Valorisation:
    agreement: Agreement
    territory: str
    state: states.DayState
    parties: list[PublicParty]
    articles: list
    commitments: list
    clubs: list[Club]
    actions: list[ActionOffer]
    actions_total: int
    done: list[tuple[str, int]]  # (kind of action, count) this school year
    interventions: int  # of the conseillers entreprises designated under it, this year
    school_year: int
    bodies: list


def _parties(consolidated) -> list[PublicParty]:
    sides = dict(PartySide.choices)
    rows: dict[int, PublicParty] = {}
    for party in consolidated.parties:
        rows[party.pk] = PublicParty(party.name, sides.get(party.side, ""))
    for signatory in consolidated.signatories:
        if signatory.party_id in rows:
            office = signatory.title or "Signataire"
            rows[signatory.party_id].signatures.append((office, signatory.signed_on))
    return list(rows.values())


def _catalogue(agreement: Agreement, network: set[int]) -> QuerySet[ActionOffer]:
    """The published catalogue actions of the partners' network on the convention's
    territory (its académie, or its région académique; everywhere for a national one)."""
    offers = ActionOffer.objects.filter(
        organisation_id__in=network, state=ActionOfferState.PUBLISHED
    )
    if agreement.scope == AgreementScope.NATIONAL:
        return offers
    if agreement.academie_id is not None:
        return offers.filter(academie_id=agreement.academie_id)
    return offers.filter(academie__region_id=agreement.academic_region_id)


def valorisation(agreement: Agreement, *, on: date | None = None) -> Valorisation:
    """Everything the public page shows of ``agreement`` (read by ``public_convention``):
    seven queries after it, whatever the number of parties, clubs or actions."""
    on = on or today()
    consolidated = consolidate(agreement, on=on)
    network = partners.network_ids(agreement)  # two queries (none without partners)
    catalogue = _catalogue(agreement, network).select_related("organisation")
    actions = list(catalogue.order_by("title", "pk")[:MAX_ACTIONS])
    total = len(actions) if len(actions) < MAX_ACTIONS else catalogue.count()
    year = school_year_of(on)
    start, end = measures.year_bounds(year)
    kinds = dict(ActionKind.choices)
    done = Counter(
        dict(
            ActionRecord.objects.filter(
                organisation_id__in=network, done_on__gte=start, done_on__lt=end
            )
            .values_list("kind")
            .annotate(n=Count("pk"))
            .values_list("kind", "n")
        )
    )
    interventions = AdvisorIntervention.objects.filter(
        advisor__agreement=agreement, date__gte=start, date__lt=end
    ).count()
    held = Q(meetings__state=HELD, meetings__starts_at__date__gte=start)
    held &= Q(meetings__starts_at__date__lt=end)
    bodies = list(
        agreement.bodies.annotate(held=Count("meetings", filter=held)).order_by("name", "pk")
    )
    return Valorisation(
        agreement=agreement,
        territory=territory(agreement),
        state=states.state_on(agreement, on=on),
        parties=_parties(consolidated),
        articles=consolidated.articles,
        commitments=consolidated.commitments,
        clubs=list(
            Club.objects.filter(agreement=agreement).select_related("bassin").order_by("name")
        ),
        actions=actions,
        actions_total=total,
        done=sorted(((kinds.get(k, k), n) for k, n in done.items()), key=lambda r: (-r[1], r[0])),
        interventions=interventions,
        school_year=year,
        bodies=bodies,
    )


def parties_of(agreements: list[Agreement]) -> dict[int, list[str]]:
    """The names of the parties of each agreement of a page of the list (one query)."""
    names: dict[int, list[str]] = {}
    for party in Party.objects.filter(agreement__in=agreements).order_by("order", "pk"):
        names.setdefault(party.agreement_id, []).append(party.name)
    return names
