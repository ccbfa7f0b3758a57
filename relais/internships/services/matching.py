"""The placement engine (``relais.matching``) wired to the database.

A run takes the pupils referred to one pôle (or to all the pôles of an académie) who wait
for a proposal, and the free places of the published offers of that territory, over a
window of weeks. It solves the optimal placement (most pupils placed; then the fairness
policy the pôle chose: parity by default, the placement rate of priority pupils as close as
possible to the others'; then the places of the previous run kept; then wishes, then
distance), and on the same problem the greedy baseline (first referred, first served: the
way a pôle works by hand) and the max-flow bound. The suggestions are stored with the
engine's French explanation; the run keeps the achievable range of priority placements, the
changes since the previous run and the advice on where more places are needed. The pôle
reviews the suggestions, edits them and sends the proposals.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from typing import Any, TypedDict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet

from relais.core import clock
from relais.core.validation import check_date_ranges
from relais.matching import (
    CHANGE_LABELS,
    PlacementProblem,
    PlacementResult,
    Policy,
    Previous,
    ProblemBuilder,
    SolveOptions,
    max_placeable,
    solve_greedy,
    solve_optimal,
    week_code,
)
from relais.territories.models import Academie
from relais.users.models import User
from relais.users.types import AnyUser

from ..enums import OPEN_OFFER_STATES, CaseState, SuggestionState
from ..models import (
    InternshipOffer,
    MatchingRun,
    OfferSlot,
    PlacementCase,
    PlacementHub,
    Proposal,
    Suggestion,
    SuggestionJournal,
)
from ..perms import can_run_matching
from ..selectors import cases_visible_to
from ..workflows import SUGGESTION_CREATION, SUGGESTION_WORKFLOW
from .places import priority_holding, reserved_still_held
from .proposals import _check_fit, proposal_send

# The longest window a run covers: a school year and a half of weeks, enough for any
# period, and a bounded problem for the engine.
MAX_WINDOW_WEEKS = 60


def check_window(start: datetime.date | None, end: datetime.date | None) -> None:
    """The weeks a run covers: the end after the start, 60 weeks at most (French
    ``ValidationError`` on ``window_end``)."""
    if start is None or end is None:
        raise ValidationError({"window_end": "Indiquez le début et la fin de la fenêtre."})
    if end < start:
        raise ValidationError({"window_end": "La fin précède le début."})
    if (end - start).days > 7 * MAX_WINDOW_WEEKS:
        raise ValidationError(
            {"window_end": f"Une fenêtre compte au plus {MAX_WINDOW_WEEKS} semaines."}
        )


def _bassin_id(hub: PlacementHub | None) -> int:
    """The bassin of a pôle's run (``run_create`` requires the pôle without an académie)."""
    assert hub is not None
    return hub.bassin_id


def _territory(hub: PlacementHub | None, academie: Academie | None) -> dict[str, object]:
    if academie is not None:
        return {"establishment__academie": academie}
    return {"establishment__bassin_id": _bassin_id(hub)}


def hubs_of_run(hub: PlacementHub) -> list[PlacementHub]:
    """The pôles a pôle's run works on together: every pôle of its bassin (the pôle de bassin
    and the pôles de filière seated there, whose members are the same). Their pupils are the
    bassin's referred pupils; their offers, the bassin's and those of the filières' sectors
    across the académie: one query, so each pupil and each place enters the engine once."""
    return list(PlacementHub.objects.filter(bassin_id=hub.bassin_id).order_by("kind", "pk"))


def _offers_of(hubs: list[PlacementHub]) -> Q:
    """The offers of the pôles: their bassins', and their filières' within their académie."""
    condition = Q(pk__in=[])
    for hub in hubs:
        if not hub.is_sector:
            condition |= Q(bassin_id=hub.bassin_id)
            continue
        sectors = Q(pk__in=[])
        for letter in hub.sectors:
            sectors |= Q(rome__code__startswith=letter)
        condition |= Q(bassin__academie_id=hub.bassin.academie_id) & sectors
    return condition


def _cases(hub: PlacementHub | None, academie: Academie | None) -> QuerySet[PlacementCase]:
    territory = {f"pupil__{k}": v for k, v in _territory(hub, academie).items()}
    return (
        PlacementCase.objects.filter(state=CaseState.REFERRED, **territory)
        .select_related("pupil__establishment", "period")
        .order_by("referred_at", "pk")
    )


def _slots(
    hub: PlacementHub | None, academie: Academie | None, start: datetime.date, end: datetime.date
) -> QuerySet[OfferSlot]:
    offers = InternshipOffer.objects.filter(state__in=OPEN_OFFER_STATES)
    if academie is not None:
        offers = offers.filter(bassin__academie=academie)
    else:
        assert hub is not None  # ``run_create`` requires the pôle without an académie
        offers = offers.filter(_offers_of(hubs_of_run(hub)))
    return (
        OfferSlot.objects.filter(
            offer__in=offers, week__gte=start, week__lte=end, capacity__gt=F("held") + F("taken")
        )
        .select_related("offer__rome", "offer__host")
        .order_by("offer_id", "week")
    )


class Skipped(TypedDict):
    """A pupil left out of a run, and why (``MatchingRun.skipped``)."""

    case: int
    reason: str


class _OfferEntry(TypedDict):
    offer: InternshipOffer
    capacity: dict[int, int]
    reserved: dict[int, int]


def build_problem(
    cases: Iterable[PlacementCase],
    slots: Iterable[OfferSlot],
    start: datetime.date,
    end: datetime.date,
) -> tuple[PlacementProblem, list[Skipped]]:
    """A ``PlacementProblem`` from referred cases and free slots; pupils that cannot enter the
    engine are returned apart with the reason, in French."""
    builder = ProblemBuilder()
    skipped: list[Skipped] = []
    schools: set[int] = set()
    for case in cases:
        pupil = case.pupil
        school = pupil.establishment
        if school.latitude is None or school.longitude is None:
            skipped.append({"case": case.pk, "reason": "établissement sans coordonnées"})
            continue
        if case.period is None:
            skipped.append({"case": case.pk, "reason": "aucune période de stage"})
            continue
        weeks = [week_code(w) for w in case.period.start_weeks() if start <= w <= end]
        if not weeks:
            skipped.append({"case": case.pk, "reason": "période hors de la fenêtre du calcul"})
            continue
        if school.pk not in schools:
            builder.add_school(school.pk, lat=school.latitude, lon=school.longitude)
            schools.add(school.pk)
        referred_at = case.referred_at
        assert referred_at is not None  # a referred case (``_cases``) has its referral date
        builder.add_pupil(
            case.pk,
            school=school.pk,
            level=pupil.level,
            wishes=case.wishes,
            max_km=case.max_km,
            weeks=weeks,
            priority=pupil.priority_flags,
            needs_access=case.needs_access,
            referral=int(referred_at.timestamp()),
        )
    by_offer: dict[int, _OfferEntry] = {}
    slots = list(slots)
    # The reservation's one rule (``services.places.reserved_still_held``): the places still
    # held this week, after those already given to priority pupils.
    reserving = [slot.pk for slot in slots if slot.offer.reserved_places]
    priority = priority_holding(reserving) if reserving else {}
    today = clock.today()
    for slot in slots:
        entry = by_offer.setdefault(
            slot.offer_id, {"offer": slot.offer, "capacity": {}, "reserved": {}}
        )
        entry["capacity"][week_code(slot.week)] = slot.free
        entry["reserved"][week_code(slot.week)] = reserved_still_held(
            slot, priority=priority.get(slot.pk, 0), today=today
        )
    for offer_id, entry in by_offer.items():
        offer = entry["offer"]
        lat, lon = offer.latitude, offer.longitude
        # An open offer is published, and a published offer has its place (a constraint).
        assert lat is not None and lon is not None
        builder.add_offer(
            offer_id,
            lat=lat,
            lon=lon,
            family=offer.family,
            levels=offer.levels,
            capacity=entry["capacity"],
            reserved=entry["reserved"],
            accessible=offer.accessible,
        )
    try:
        return builder.build(), skipped
    except ValueError as error:
        raise ValidationError(f"Calcul impossible : {error}.") from None


def _jsonable(stats: Mapping[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for key, value in stats.items():
        if isinstance(value, dict):
            clean[key] = _jsonable(value)
        elif isinstance(value, float) and not math.isfinite(value):
            clean[key] = None
        elif isinstance(value, (int, float, str, bool, list)) or value is None:
            clean[key] = value
        elif hasattr(value, "item"):
            clean[key] = value.item()
    return clean


def _previous_assignment(
    hub: PlacementHub | None, academie: Academie | None, case_ids: list[int]
) -> Previous | None:
    """The places the territory's last run suggested and the pôle has not sent nor
    discarded: ``{case id: (offer id, ISO week) or None}`` (sent proposals hold their place
    and their pupils wait for the company: they are not in a new run at all)."""
    if academie is not None:
        runs = MatchingRun.objects.filter(academie=academie, hub__isnull=True)
    else:
        runs = MatchingRun.objects.filter(hub=hub)
    last = runs.order_by("-created_at", "-pk").first()
    if last is None:
        return None
    previous: dict[int, tuple[int, int] | None] = {}
    pending = last.suggestions.filter(state=SuggestionState.PENDING, case_id__in=case_ids)
    for case_id, offer_id, week in pending.values_list("case_id", "slot__offer_id", "slot__week"):
        previous[case_id] = None if offer_id is None else (offer_id, week_code(week))
    return previous


def _advice_with_names(advice: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The engine names établissements by id: put their names in the advice."""
    from relais.establishments.models import Establishment

    names = dict(
        Establishment.objects.filter(pk__in={line["school"] for line in advice}).values_list(
            "pk", "name"
        )
    )
    for line in advice:
        name = names.get(line["school"])
        if name:
            line["school_name"] = name
            line["text"] = line["text"].replace(
                f"de l'établissement {line['school']} ", f"de l'établissement {name} "
            )
    return advice


@transaction.atomic
def run_create(
    *,
    user: User,
    hub: PlacementHub | None = None,
    academie: Academie | None = None,
    window_start: datetime.date,
    window_end: datetime.date,
    policy: str | None = None,
) -> MatchingRun:
    """Run the engine for a pôle (its bassin), or for a whole académie (académie team).

    ``policy``: the fairness policy (``relais.matching.Policy``), by default the one the pôle
    chose (``PlacementHub.policy``; parity for an académie), stored on the run. The
    suggestions of the territory's last run that are still pending are kept unless changing
    them places more pupils or reaches the policy's target (issue 12)."""
    from relais.users.scopes import get_reach

    if academie is not None:
        if academie.pk not in get_reach(user).managed_academie_ids:
            raise PermissionDenied("Seule l'équipe académique calcule pour toute l'académie.")
    elif hub is None or not can_run_matching(user, hub):
        raise PermissionDenied("Vous ne pouvez pas lancer de calcul pour ce pôle.")
    window = {"window_start": window_start, "window_end": window_end}
    check_date_ranges(window, list(window))
    check_window(window_start, window_end)
    start = window_start - datetime.timedelta(days=window_start.weekday())
    problem, skipped = build_problem(
        _cases(hub, academie), _slots(hub, academie, start, window_end), start, window_end
    )
    if not policy:
        policy = hub.policy if hub is not None and academie is None else Policy.PARITY.value
    if policy not in {p.value for p in Policy}:
        raise ValidationError({"policy": "Règle d'équité inconnue."})
    previous = _previous_assignment(hub, academie, [int(i) for i in problem.pupils.ids])
    optimal = solve_optimal(problem, SolveOptions(policy=policy), previous=previous)
    greedy = solve_greedy(problem)
    optimal.stats["advice"] = _advice_with_names(optimal.stats.get("advice", []))
    if academie is None and hub is not None:
        optimal.stats["hubs"] = [h.name for h in hubs_of_run(hub)]
    run = MatchingRun.objects.create(
        policy=policy,
        hub=hub if academie is None else None,
        academie=academie,
        window_start=start,
        window_end=window_end,
        created_by=user,
        pupils=len(problem.pupils),
        places=int(problem.offers.capacity.sum()),
        bound=max_placeable(problem),
        stats=_jsonable(optimal.stats),
        greedy_stats=_jsonable(greedy.stats),
        skipped=skipped,
    )
    _store_suggestions(run, problem, optimal, greedy, user=user)
    return run


def _slot_map(problem: PlacementProblem) -> dict[tuple[int, int], OfferSlot]:
    offer_ids = [int(i) for i in problem.offers.ids]
    return {
        (slot.offer_id, week_code(slot.week)): slot
        for slot in OfferSlot.objects.filter(offer_id__in=offer_ids).select_related("offer__host")
    }


def _slot_of(
    result: PlacementResult, i: int, slots: dict[tuple[int, int], OfferSlot]
) -> OfferSlot | None:
    if result.offer[i] < 0:
        return None
    offer_id = int(result.problem.offers.ids[result.offer[i]])
    return slots.get((offer_id, int(result.week[i])))


def _store_suggestions(
    run: MatchingRun,
    problem: PlacementProblem,
    optimal: PlacementResult,
    greedy: PlacementResult,
    *,
    user: User,
) -> None:
    """One suggestion per pupil of the run, each with the first line of its journal (written
    in bulk: an académie's run has thousands of pupils)."""
    slots = _slot_map(problem)
    rows = []
    for i, case_id in enumerate(problem.pupils.ids):
        explanation = optimal.explain(i)
        slot = _slot_of(optimal, i, slots)
        text = explanation.text
        if slot is not None:
            text = text.replace(
                f"l'offre {slot.offer_id} ",
                f"l'offre « {slot.offer.title} » de {slot.offer.host.name} ",
            )
        change = optimal.change[i]
        if change and change not in ("kept", "new", "still_unplaced"):
            text += f" Depuis le calcul précédent : {CHANGE_LABELS[change]}."
        distance = float(optimal.distance_km[i])
        rows.append(
            Suggestion(
                run=run,
                case_id=int(case_id),
                slot=slot,
                rank=int(optimal.rank[i]),
                distance_km=None if math.isnan(distance) else round(distance, 2),
                reason=explanation.code,
                explanation=text,
                greedy_slot=_slot_of(greedy, i, slots),
            )
        )
    suggestions = Suggestion.objects.bulk_create(rows)
    author = user if getattr(user, "is_authenticated", False) else None
    by_name = (author.get_full_name() or author.email)[:150] if author else ""
    SuggestionJournal.objects.bulk_create(
        SuggestionJournal(
            suggestion=suggestion,
            transition=SUGGESTION_CREATION,
            from_state="",
            to_state=suggestion.state,
            by=author,
            by_name=by_name,
            note="Calcul de placement",
        )
        for suggestion in suggestions
    )


@transaction.atomic
def suggestion_update(*, user: AnyUser, suggestion: Suggestion, slot: OfferSlot) -> Suggestion:
    """The pôle replaces the engine's offer-week by another (same rules, checked again)."""
    SUGGESTION_WORKFLOW.check(user, suggestion, "modifier")
    _check_fit(suggestion.case, slot)
    note = f"{slot.offer.host.name}, semaine du {slot.week:%d/%m/%Y}"
    return SUGGESTION_WORKFLOW.fire(suggestion, "modifier", user=user, note=note, slot=slot)


def suggestion_send(*, user: User, suggestion: Suggestion, message: str = "") -> Proposal:
    """Send the proposal of one suggestion (see ``proposals.proposal_send``, which fires
    the suggestion's « envoyer » in the same transaction)."""
    SUGGESTION_WORKFLOW.check(user, suggestion, "envoyer")
    slot = suggestion.slot
    assert slot is not None  # « envoyer » is refused without a slot (checked just above)
    return proposal_send(
        user=user,
        case=suggestion.case,
        slot=slot,
        message=message,
        suggestion=suggestion,
    )


def run_send_all(*, user: User, run: MatchingRun) -> tuple[int, list[str]]:
    """Send every pending suggestion that has an offer, for the pupils of the user's pôle;
    each is its own transaction, so one refused proposal (a place taken meanwhile) does not
    stop the others."""
    sent, errors = 0, []
    pending = run.suggestions.filter(state=SuggestionState.PENDING, slot__isnull=False)
    # Only the user's pôle's pupils: another pôle's are not even named in an error.
    pending = pending.filter(case__in=cases_visible_to(user=user))
    for suggestion in pending.select_related("case__pupil", "slot__offer__host"):
        try:
            suggestion_send(user=user, suggestion=suggestion)
            sent += 1
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", [str(error)])
            errors.append(f"{suggestion.case.pupil.first_name} : {' '.join(messages)}")
    return sent, errors


@transaction.atomic
def suggestion_discard(*, user: AnyUser, suggestion: Suggestion) -> Suggestion:
    return SUGGESTION_WORKFLOW.fire(suggestion, "ecarter", user=user)
