"""The preparation of the stage de 3e, class by class (Mesure 2): the list of the classes
going on their stage (schools, pôles, référents, académie and national teams), the page of
a class with its four contents and the resources for teachers, and after the stage the
pupils' reports and the hosts' feedback. Pupils' names stay in their school; anyone else
reads counts, those under 11 hidden."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST
from dsfr.utils import list_pages

from relais.core import clock
from relais.core.school_years import school_year_from, school_year_label
from relais.internships.selectors import class_preparations, preparation_periods
from relais.internships.services import (
    preparation_step_done,
    preparation_step_undo,
    stage_reports_set,
)
from relais.pathways.selectors import SMALL_COUNT
from relais.pupils.models import Pupil
from relais.pupils.perms import is_school_of
from relais.pupils.years import roster_year_of
from relais.resources.enums import Topic
from relais.resources.selectors import preparation_resources
from relais.www.lists import PAGE_SIZE

from .common import run_action
from .forms_preparation import PreparationFilterForm, PreparationStepForm, StageReportsForm


def shown_count(value: int, *, school: bool) -> str:
    """A count of pupils as the viewer may read it: the school sees it; above the school,
    1 to 10 is « moins de 11 » (no pupil can be singled out)."""
    if school or value == 0 or value >= SMALL_COUNT:
        return str(value)
    return f"moins de {SMALL_COUNT}"


def _decorate(rows, user, today: datetime.date) -> None:
    for row in rows:
        school = is_school_of(user, row.period.establishment_id)
        row.days = row.days_left(today)
        row.after = row.period.start <= today
        row.reports_shown = shown_count(row.reports, school=school)
        row.pupils_shown = shown_count(row.pupils, school=school)
        row.feedbacks_shown = shown_count(row.feedbacks, school=school)
        row.placements_shown = shown_count(row.placements, school=school)


def preparation_list_view(request):
    today = clock.today()
    form = PreparationFilterForm(request.GET or None)
    year, unprepared, days = roster_year_of(today), False, 10
    if form.is_valid():
        year = school_year_from(form.cleaned_data["annee"] or str(year)) or year
        unprepared = form.cleaned_data["sans_preparation"]
        days = form.cleaned_data["jours"] or days
    periods = preparation_periods(user=request.user).filter(school_year=school_year_label(year))
    if unprepared:
        periods = periods.filter(start__gte=today, start__lte=today + datetime.timedelta(days=days))
    rows = class_preparations(periods.order_by("start", "establishment__name", "pk"))
    if unprepared:
        rows = [row for row in rows if not row.prepared]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    list_pages(page)
    _decorate(page.object_list, request.user, today)
    return render(
        request,
        "internships/preparation_list.html",
        {
            "title": "Préparation au stage de 3e",
            "form": form,
            "page_obj": page,
            "year_label": school_year_label(year),
            "unprepared": unprepared,
            "days": days,
            "topics": Topic.choices,
        },
    )


def _class(request, pk: int, class_label: str):
    period = get_object_or_404(preparation_periods(user=request.user), pk=pk)
    class_label = "" if class_label == "-" else class_label
    for row in class_preparations([period]):
        if row.class_label == class_label:
            return period, row
    raise Http404("Cette classe ne part pas sur cette période.")


def preparation_class_view(request, pk: int, class_label: str):
    period, row = _class(request, pk, class_label)
    today = clock.today()
    _decorate([row], request.user, today)
    school = is_school_of(request.user, period.establishment_id)
    resources = preparation_resources(
        user=request.user, academie_id=period.establishment.academie_id
    )
    topics = [
        {
            "value": value,
            "label": label,
            "step": row.steps.get(value),
            "resources": resources.get(value, []),
            "form": PreparationStepForm(prefix=value, initial={"done_on": today})
            if school
            else None,
        }
        for value, label in Topic.choices
    ]
    pupils, reports_form = [], None
    if school and row.after:
        roster = Pupil.objects.filter(
            establishment_id=period.establishment_id,
            school_year=int(period.school_year[:4]),
            level="3e",
            purged_at__isnull=True,
        ).order_by("last_name", "first_name", "pk")
        if row.class_label:
            roster = roster.filter(class_label=row.class_label)
        pupils = list(roster)
        handed = set(
            period.stage_reports.filter(pupil__in=pupils).values_list("pupil_id", flat=True)
        )
        reports_form = StageReportsForm(
            pupils=roster, initial={"pupils": sorted(handed), "received_on": today}
        )
    return render(
        request,
        "internships/preparation_class.html",
        {
            "title": f"Préparation au stage — {row.label}, {period.establishment.name}",
            "period": period,
            "row": row,
            "topics": topics,
            "school": school,
            "reports_form": reports_form,
            "slug": row.class_label or "-",
        },
    )


def _school_class(request, pk: int, class_label: str):
    period, row = _class(request, pk, class_label)
    if not is_school_of(request.user, period.establishment_id):
        raise PermissionDenied("Seule l'équipe de l'établissement prépare ses classes au stage.")
    return period, row


@require_POST
def preparation_step_view(request, pk: int, class_label: str, topic: str):
    period, row = _school_class(request, pk, class_label)
    back = request.path.rsplit("contenus/", 1)[0]
    if topic not in Topic.values:
        raise Http404
    if request.POST.get("undo"):
        return run_action(
            request,
            lambda: preparation_step_undo(
                user=request.user, period=period, class_label=row.class_label, topic=topic
            ),
            success="Le contenu est de nouveau à faire.",
            back=back,
        )
    form = PreparationStepForm(request.POST, prefix=topic)
    if not form.is_valid():
        errors = [
            f"{form.fields[name].label} : {' '.join(messages)}"
            for name, messages in form.errors.items()
        ]
        return run_action(request, lambda: _raise(errors), success="", back=back)
    data = form.cleaned_data
    return run_action(
        request,
        lambda: preparation_step_done(
            user=request.user, period=period, class_label=row.class_label, topic=topic,
            done_on=data["done_on"], note=data["note"],
        ),
        success=f"« {Topic(topic).label} » est marqué fait pour {row.label}.",
        back=back,
    )  # fmt: skip


def _raise(errors: list[str]) -> None:
    raise ValidationError(errors)


@require_POST
def stage_reports_view(request, pk: int, class_label: str):
    period, row = _school_class(request, pk, class_label)
    back = request.path.rsplit("rapports/", 1)[0]
    roster = Pupil.objects.filter(establishment_id=period.establishment_id, purged_at__isnull=True)
    form = StageReportsForm(request.POST, pupils=roster)
    if not form.is_valid():
        errors = [
            f"{form.fields[name].label} : {' '.join(messages)}"
            for name, messages in form.errors.items()
        ]
        return run_action(request, lambda: _raise(errors), success="", back=back)
    data = form.cleaned_data
    return run_action(
        request,
        lambda: stage_reports_set(
            user=request.user, period=period, class_label=row.class_label,
            pupil_ids=[pupil.pk for pupil in data["pupils"]], received_on=data["received_on"],
        ),
        success="Les rapports de stage remis sont enregistrés.",
        back=back,
    )  # fmt: skip
