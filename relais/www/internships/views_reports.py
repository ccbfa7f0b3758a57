"""Calendar spreading (Mesure 2) and indicators of the pôles de stages: aggregates only."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from relais.internships.perms import can_view_indicators
from relais.internships.services.calendar import bassin_calendar
from relais.internships.services.indicators import (
    EXPORT_HEADER,
    GROUPS,
    export_row,
    indicators,
)
from relais.internships.years import internship_year_label, internship_year_of
from relais.territories.models import Bassin
from relais.territories.selectors import bassins_visible_to
from relais.users.scopes import get_reach
from relais.www.lists import export_response

YEAR_RE = r"^\d{4}-\d{4}$"


def _years() -> list[tuple[str, str]]:
    """The internship years offered (from 1 August: ``relais.internships.years``)."""
    current = internship_year_of(timezone.localdate())
    return [(f"{y}-{y + 1}", f"{y}-{y + 1}") for y in range(current + 1, current - 4, -1)]


class CalendarForm(forms.Form):
    bassin: forms.ModelChoiceField[Bassin] = forms.ModelChoiceField(label="Bassin", queryset=None)
    school_year = forms.ChoiceField(label="Année scolaire", choices=())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bassin"].queryset = bassins_visible_to(reach=get_reach(user)).order_by("name")
        self.fields["school_year"].choices = _years()


class IndicatorsForm(forms.Form):
    group = forms.ChoiceField(label="Par", choices=list(GROUPS.items()), required=False)
    school_year = forms.ChoiceField(label="Année scolaire", choices=(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_year"].choices = _years()


def _check(request):
    if not can_view_indicators(request.user):
        raise PermissionDenied("Ces chiffres sont réservés aux établissements, pôles et académies.")


def calendar_view(request):
    _check(request)
    data = request.GET.copy()
    form = CalendarForm(data or None, user=request.user)
    if not data:
        first = form.fields["bassin"].queryset.first()
        form = CalendarForm(
            {
                "bassin": first.pk if first else "",
                "school_year": internship_year_label(timezone.localdate()),
            },
            user=request.user,
        )
    calendar = None
    if form.is_valid():
        calendar = bassin_calendar(
            bassin=form.cleaned_data["bassin"], school_year=form.cleaned_data["school_year"]
        )
    peak = (
        max([w.pupils for w in calendar.weeks] + [w.places for w in calendar.weeks] + [1])
        if calendar
        else 1
    )
    return render(
        request,
        "internships/calendar.html",
        {"title": "Calendrier des stages", "form": form, "calendar": calendar, "scale": peak},
    )


def _indicators(request):
    form = IndicatorsForm(request.GET or None)
    group, year = "pole", internship_year_label(timezone.localdate())
    if form.is_valid():
        group = form.cleaned_data["group"] or group
        year = form.cleaned_data["school_year"] or year
    return form, group, year, indicators(user=request.user, school_year=year, group=group)


def indicators_view(request):
    _check(request)
    form, group, year, rows = _indicators(request)
    return render(
        request,
        "internships/indicators.html",
        {
            "title": "Indicateurs des pôles de stages",
            "form": form,
            "rows": rows,
            "group_label": GROUPS[group],
            "year": year,
        },
    )


def indicators_export_view(request):
    _check(request)
    _form, group, year, rows = _indicators(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return export_response(
        fmt, f"indicateurs-stages-{year}", EXPORT_HEADER, rows, export_row, title="Indicateurs"
    )
