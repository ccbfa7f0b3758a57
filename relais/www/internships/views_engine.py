"""The pôle's home, and the placement engine: runs, suggestions, sending proposals."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Max, Min
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core import clock
from relais.internships.perms import (
    can_create_offer,
    can_handle_case,
    can_manage_any_pupils,
    can_manage_some_hub,
    can_run_matching,
    can_see_hub_pages,
    can_see_pupils,
    can_view_indicators,
)
from relais.internships.selectors import (
    cases_visible_to,
    home_figures,
    hubs_visible_to,
    offers_visible_to,
    periods_visible_to,
    run_get,
    run_suggestions,
    runs_visible_to,
)
from relais.internships.services.matching import (
    MAX_WINDOW_WEEKS,
    run_create,
    run_send_all,
    suggestion_discard,
    suggestion_send,
    suggestion_update,
)
from relais.internships.workflows import SUGGESTION_WORKFLOW
from relais.matching import CHANGE_LABELS, Policy
from relais.www.forms import add_errors
from relais.www.lists import paginate
from relais.www.templatetags.relais_words import pluriel

from .forms import RunForm, SuggestionForm


def home_view(request):
    """What each role does here: the school its pupils, the pôle its queue, the company its
    offers and the proposals it received; above the school, figures only."""
    user = request.user
    return render(
        request,
        "internships/home.html",
        {
            "title": "Pôles de stages",
            **home_figures(user=user, now=timezone.now()),
            "offers": offers_visible_to(user=user).count(),
            "school": can_manage_any_pupils(user),
            "hub": can_see_hub_pages(user),
            "pupils": can_see_pupils(user),
            "pole_settings": can_manage_some_hub(user),
            "offers_page": can_create_offer(user) or can_manage_any_pupils(user),
            "indicators": can_view_indicators(user),
        },
    )


def _runnable_hubs(user):
    return [hub for hub in hubs_visible_to(user=user) if can_run_matching(user, hub)]


def _period_window(user, hubs) -> dict:
    """The engine's dates pre-filled from the internship periods (issue 14): for a user with
    one pôle, from the first day of the bassin's periods not yet over to their last day,
    within the engine's longest window. Nothing to pre-fill otherwise."""
    if len(hubs) != 1:
        return {}
    today = clock.today()
    span = (
        periods_visible_to(user=user)
        .filter(establishment__bassin_id=hubs[0].bassin_id, end__gte=today)
        .aggregate(start=Min("start"), end=Max("end"))
    )
    if span["start"] is None:
        return {}
    longest = span["start"] + timedelta(weeks=MAX_WINDOW_WEEKS)
    return {"window_start": span["start"], "window_end": min(span["end"], longest)}


def run_list_view(request):
    if not can_see_hub_pages(request.user):
        raise PermissionDenied("Les calculs de placement sont réservés aux pôles de stages.")
    hubs = _runnable_hubs(request.user)
    form = RunForm(
        request.POST or None,
        hubs=hubs_visible_to(user=request.user).filter(pk__in=[h.pk for h in hubs]),
        initial=None if request.method == "POST" else _period_window(request.user, hubs),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = run_create(
                user=request.user,
                hub=data["hub"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                policy=data["policy"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            placed = run.stats.get("placed", 0)
            messages.success(
                request,
                f"Calcul terminé : {placed} élève{pluriel(placed)} placé{pluriel(placed)} sur "
                f"{run.pupils}. Examinez les suggestions avant d'envoyer les propositions.",
            )
            return redirect(run)
    runs = runs_visible_to(user=request.user).order_by("-created_at", "-pk")
    return render(
        request,
        "internships/run_list.html",
        {"title": "Calculs de placement", "form": form, "page_obj": paginate(request, runs)},
        status=400 if form.errors else 200,
    )


def run_detail_view(request, pk):
    run = run_get(user=request.user, pk=pk)
    suggestions, hidden = run_suggestions(user=request.user, run=run)
    for suggestion in suggestions:  # what the user may do on each: modify, send, discard
        suggestion.actions = SUGGESTION_WORKFLOW.names(request.user, suggestion)
    return render(
        request,
        "internships/run_detail.html",
        {
            "title": f"Calcul du {timezone.localtime(run.created_at):%d/%m/%Y à %H:%M}",
            "run": run,
            "suggestions": suggestions,
            "hidden": hidden,
            "pending": sum("envoyer" in s.actions for s in suggestions),
            "compare": _comparison(run),
            "fairness": _fairness(run.stats.get("fairness")),
            "changes": _changes(run.stats.get("changes")),
            "advice": run.stats.get("advice") or [],
        },
    )


def _pct(value) -> str:
    return "—" if value is None else f"{100 * value:.1f} %".replace(".", ",")


def _points(value) -> str:
    return "—" if value is None else f"{100 * value:+.1f}".replace(".", ",")


def _fairness(stats) -> dict | None:
    """The policy, the achievable range of priority placements among maximum placements
    (issue 12) and where the run sits, as rows for the page."""
    if not stats:
        return None
    rows = [
        ("Le moins possible", stats["at_min"]),
        ("Sans règle (élèves prioritaires non distingués)", stats["blind"]),
        ("Ce calcul", stats["target"]),
        ("Le plus possible (priorité stricte)", stats["at_max"]),
    ]
    return {
        "policy": Policy(stats["policy"]).label,
        "placed_max": stats["placed_max"],
        "priority_pupils": stats["priority_pupils"],
        "low": stats["range"][0],
        "high": stats["range"][1],
        "rows": [
            {
                "label": label,
                "current": label == "Ce calcul",
                "count": point["priority_placed"],
                "rate_priority": _pct(point["rate_priority"]),
                "rate_other": _pct(point["rate_non_priority"]),
                "gap": _points(point["gap"]),
            }
            for label, point in rows
        ],
    }


def _changes(stats) -> list[dict]:
    """What changed since the previous run, in the engine's words."""
    if not stats:
        return []
    return [
        {"label": CHANGE_LABELS[kind], "count": count}
        for kind, count in stats.items()
        if kind in CHANGE_LABELS and count
    ]


def _comparison(run) -> list[dict]:
    rows = []
    for label, stats in (
        ("Moteur optimal", run.stats),
        ("Premier arrivé, premier servi", run.greedy_stats),
    ):
        gap = stats.get("priority_gap")
        rows.append(
            {
                "label": label,
                "placed": stats.get("placed", 0),
                "rate_priority": stats.get("rate_priority"),
                "rate_non_priority": stats.get("rate_non_priority"),
                "gap": None if gap is None else round(100 * gap, 1),
                "mean_km": stats.get("mean_km"),
                "time": stats.get("total_s"),
            }
        )
    return rows


def _suggestion(request, run_pk, pk):
    run = run_get(user=request.user, pk=run_pk)
    mine = run.suggestions.filter(case__in=cases_visible_to(user=request.user))
    suggestion = get_object_or_404(mine.select_related("case__pupil", "case__period"), pk=pk)
    if not can_handle_case(request.user, suggestion.case):
        raise PermissionDenied("Seul le pôle de stages traite les suggestions.")
    return run, suggestion


def suggestion_edit_view(request, run_pk, pk):
    from .views_cases import _proposal_slots

    run, suggestion = _suggestion(request, run_pk, pk)
    slots = _proposal_slots(request, suggestion.case)
    form = SuggestionForm(
        request.POST or None,
        slots=slots,
        case=suggestion.case,
        initial={"slot": suggestion.slot_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            suggestion_update(
                user=request.user, suggestion=suggestion, slot=form.cleaned_data["slot"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "La suggestion est modifiée.")
            return redirect(run)
    return render(
        request,
        "internships/suggestion_form.html",
        {"title": "Modifier la suggestion", "form": form, "run": run, "suggestion": suggestion},
        status=400 if form.errors else 200,
    )


@require_POST
def suggestion_send_view(request, run_pk, pk):
    run, suggestion = _suggestion(request, run_pk, pk)
    try:
        suggestion_send(user=request.user, suggestion=suggestion)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Proposition envoyée pour {suggestion.case.pupil.first_name}.")
    return redirect(run)


@require_POST
def suggestion_discard_view(request, run_pk, pk):
    run, suggestion = _suggestion(request, run_pk, pk)
    try:
        suggestion_discard(user=request.user, suggestion=suggestion)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(run)


@require_POST
def run_send_all_view(request, pk):
    run = run_get(user=request.user, pk=pk)
    sent, errors = run_send_all(user=request.user, run=run)
    if sent:
        s = pluriel(sent)
        messages.success(request, f"{sent} proposition{s} envoyée{s}.")
    for error in errors:
        messages.error(request, error)
    if not sent and not errors:
        messages.info(request, "Aucune suggestion à envoyer.")
    return redirect(run)
