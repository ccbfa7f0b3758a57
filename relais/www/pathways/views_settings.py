"""The académie's settings of the parcours Avenir, changed without a deploy: which items each
kind of experience counts for (an académie's row replaces the national default), and the
objectives per level and year (Avenir(s) sets two to four a class; Mesure 3 the four items
by the end of 3e).

The académie team sets its académie; the national team the national default and any
académie (``relais.pathways.services.settings.can_set``); everyone else gets a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from relais.core.clock import today
from relais.pathways.enums import ITEMS, Item
from relais.pathways.models import Objective
from relais.pathways.selectors import objectives_for
from relais.pathways.services import kind_set, objective_add, objective_remove
from relais.pathways.services.settings import can_set
from relais.pupils.enums import Level
from relais.pupils.years import roster_year_label, roster_year_of
from relais.territories.models import Academie
from relais.users.scopes import get_reach
from relais.www.forms import add_errors

from .forms_settings import KindsForm, ObjectiveForm, kind_settings

FORBIDDEN = (
    "Les réglages du parcours Avenir sont réservés à l'équipe académique, pour son académie, "
    "et à l'administration nationale."
)
NATIONAL = "national"
LEVEL_LABELS = dict(Level.choices)
ITEM_LABELS = dict(Item.choices)


def _academie_of(request, text: str) -> Academie | None:
    """The académie whose settings are asked (« ?academie=12 »; « national » for the
    national default). By default: the national default for the national team, the team's
    académie otherwise. Checked before the académie is read: a 403 tells nothing of it."""
    reach = get_reach(request.user)
    if not (reach.national or reach.managed_academie_ids):
        raise PermissionDenied(FORBIDDEN)
    if text == NATIONAL or (not text and reach.national):
        if not reach.national:
            raise PermissionDenied(FORBIDDEN)
        return None
    if not text:
        pk = min(reach.managed_academie_ids)
    elif text.isascii() and text.isdigit() and len(text) <= 9:
        pk = int(text)
    else:
        raise PermissionDenied(FORBIDDEN)
    if not reach.national and pk not in reach.managed_academie_ids:
        raise PermissionDenied(FORBIDDEN)
    academie = get_object_or_404(Academie, pk=pk)
    if not can_set(request.user, academie):
        raise PermissionDenied(FORBIDDEN)
    return academie


def _param(academie: Academie | None) -> str:
    return NATIONAL if academie is None else str(academie.pk)


def _settings_url(academie: Academie | None) -> str:
    return f"{reverse('pathways:settings')}?{urlencode({'academie': _param(academie)})}"


def _years() -> list[tuple[int, str]]:
    current = roster_year_of(today())
    return [(y, roster_year_label(y)) for y in range(current - 1, current + 3)]


def _choices(request) -> list[tuple[str, str]]:
    """The settings the user may open: the national default and every académie for the
    national team, its own académies for a team (one query)."""
    reach = get_reach(request.user)
    if reach.national:
        return [(NATIONAL, "Réglage national (par défaut)")] + [
            (str(a.pk), str(a)) for a in Academie.objects.order_by("name")
        ]
    academies = Academie.objects.filter(pk__in=reach.managed_academie_ids).order_by("name")
    return [(str(a.pk), str(a)) for a in academies]


def _objectives(academie: Academie | None) -> tuple[list[Objective], list[Objective]]:
    """The académie's own objectives and the national ones (one query)."""
    scope = Q(academie__isnull=True)
    if academie is not None:
        scope |= Q(academie=academie)
    levels, items = list(Level.values), list(Item.values)
    rows = sorted(
        Objective.objects.filter(scope),
        key=lambda o: (o.school_year or 0, levels.index(o.level), items.index(o.item)),
    )
    own = [o for o in rows if academie is not None and o.academie_id == academie.pk]
    national = [o for o in rows if o.academie_id is None]
    return own, national


def _effective(academie: Academie | None, year: int) -> list[tuple[str, list[str]]]:
    """The items due per level this year, as ``objectives_for`` reads them."""
    due = objectives_for(academie_id=academie.pk if academie else None, school_year=year)
    order = list(Level.values)
    return [
        (LEVEL_LABELS.get(level, level), [ITEM_LABELS[i] for i in Item.values if i in items])
        for level, items in sorted(due.items(), key=lambda kv: order.index(kv[0]))
        if items
    ]


def _render(request, academie, *, kinds_form=None, objective_form=None, status=200):
    kinds = kind_settings(academie)
    year = roster_year_of(today())
    own, national = _objectives(academie)
    return render(
        request,
        "pathways/settings.html",
        {
            "title": "Réglages du parcours Avenir",
            "academie": academie,
            "scope_label": str(academie) if academie else "réglage national",
            "param": _param(academie),
            "choices": _choices(request),
            "kinds_form": kinds_form or KindsForm(kinds=kinds, national=academie is None),
            "objective_form": objective_form or ObjectiveForm(years=_years()),
            "own_objectives": own,
            "national_objectives": national,
            "effective": _effective(academie, year),
            "year_label": roster_year_label(year),
            "items": ITEMS,
        },
        status=status,
    )


def settings_view(request):
    """The settings page; its POST saves which items each kind counts for."""
    academie = _academie_of(request, request.GET.get("academie", "").strip())
    if request.method != "POST":
        return _render(request, academie)
    form = KindsForm(request.POST, kinds=kind_settings(academie), national=academie is None)
    if form.is_valid():
        changed = form.changed_kinds()
        try:
            # All or nothing: one kind refused, none is saved and the page shows why.
            with transaction.atomic():
                for kind, items in changed:
                    try:
                        kind_set(user=request.user, academie=academie, code=kind.code,
                                 items=items)  # fmt: skip
                    except ValidationError as error:
                        form.add_error(kind.field, error.messages)
                        raise
        except ValidationError:
            pass
        else:
            messages.success(
                request,
                f"{len(changed)} type{'s' if len(changed) > 1 else ''} d'expérience modifié"
                f"{'s' if len(changed) > 1 else ''}."
                if changed
                else "Aucun changement.",
            )
            return redirect(_settings_url(academie))
    return _render(request, academie, kinds_form=form, status=400)


@require_POST
def objective_add_view(request):
    academie = _academie_of(request, request.GET.get("academie", "").strip())
    form = ObjectiveForm(request.POST, years=_years())
    if form.is_valid():
        data = form.cleaned_data
        try:
            objective_add(user=request.user, academie=academie, level=data["level"],
                          item=data["item"], school_year=data["school_year"])  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "L'objectif est ajouté.")
            return redirect(_settings_url(academie))
    return _render(request, academie, objective_form=form, status=400)


@require_POST
def objective_remove_view(request, pk: int):
    objective = get_object_or_404(Objective.objects.select_related("academie"), pk=pk)
    if not can_set(request.user, objective.academie):
        raise PermissionDenied(FORBIDDEN)
    objective_remove(user=request.user, objective=objective)
    messages.success(request, f"L'objectif « {objective} » est retiré.")
    return redirect(_settings_url(objective.academie))
