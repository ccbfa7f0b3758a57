"""The school's side of the parcours Avenir: its dashboard, each class's page, recording
what a class did and crediting its pupils in one click, a stage found alone.

Pupils' names are shown to their school's staff only (``relais.pupils.selectors``); every
other role reads the counts of ``views_indicators``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from relais.actions.selectors import records_visible_to
from relais.core.clock import today
from relais.core.school_years import school_year_from
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.pathways import selectors
from relais.pathways.enums import ITEMS, Item, Source
from relais.pathways.models import Experience
from relais.pathways.services import (
    ExperienceData,
    class_credit,
    credits_set,
    experience_delete,
    internship_declare,
)
from relais.pupils.selectors import classes_of, pupils_of_schools
from relais.pupils.years import roster_year_label, roster_year_of
from relais.users.scopes import get_reach
from relais.volunteers.selectors import interventions_visible_to
from relais.www.forms import add_errors

from .forms import CreditsForm, ExperienceForm, InternshipForm

# The catalogue's action kinds that fill each item (``relais.actions.enums.ActionKind``):
# the « find an action » link of a missing item searches them near the school.
CATALOGUE_KINDS = {
    Item.VISIT: "visite",
    Item.MEETING: "temoignage",
    Item.PROJECT: "mini_entreprise",
}


def year_of(request) -> int:
    """The roster year asked (« ?annee=2026 »), or the current one."""
    return school_year_from(request.GET.get("annee", "")) or roster_year_of(today())


def my_school(request, pk: int) -> Establishment:
    """One of the user's own schools; any other is a 404 (pupils' names)."""
    if pk not in get_reach(request.user).establishment_ids:
        raise Http404("Établissement introuvable.")
    return get_object_or_404(Establishment.objects.select_related("academie"), pk=pk)


def _years(current: int) -> list[tuple[int, str]]:
    return [(y, roster_year_label(y)) for y in range(current + 1, current - 4, -1)]


def home_view(request):
    """The parcours' entry: a school's staff go to their school, the others to the counts
    of their territory."""
    schools = sorted(get_reach(request.user).establishment_ids)
    if len(schools) == 1:
        return redirect("pathways:school", pk=schools[0])
    if schools:
        return render(
            request,
            "pathways/school_choice.html",
            {
                "title": "Parcours Avenir",
                "schools": Establishment.objects.filter(pk__in=schools).order_by("name"),
            },
        )
    return redirect("pathways:indicators")


def school_view(request, pk: int):
    school = my_school(request, pk)
    year = year_of(request)
    classes, missing = selectors.school_parcours(
        user=request.user, establishment_id=school.pk, academie_id=school.academie_id,
        school_year=year,
    )  # fmt: skip
    links = _find_links(school)
    return render(
        request,
        "pathways/school.html",
        {
            "title": f"Parcours Avenir — {school.name}",
            "school": school,
            "year": year,
            "year_label": roster_year_label(year),
            "years": _years(roster_year_of(today())),
            "classes": [(c, [c.done[item] for item in ITEMS]) for c in classes],
            "missing": [_missing_row(row, links) for row in missing[:MISSING_SHOWN]],
            "missing_count": len(missing),
            "items": ITEMS,
            "find_links": [(item.label, links[item.value]) for item in ITEMS],
        },
    )


# The pupils missing an item listed on the school's page (each class's page lists them all).
MISSING_SHOWN = 100


def _missing_row(row, links: dict[str, str]) -> tuple:
    """(pupil, [(item label, catalogue link)]) — the template only loops."""
    labels = dict(Item.choices)
    return row.pupil, [(labels[item], links[item]) for item in row.missing_due]


def _find_links(school: Establishment) -> dict[str, str]:
    """Per item, the catalogue's offers of that kind near the school."""
    base = reverse("actions:offer_list")
    near: dict[str, str | int] = {"etablissement": school.uai, "distance": 30}
    links = {
        item.value: f"{base}?{urlencode({'kind': kind, **near})}"
        for item, kind in CATALOGUE_KINDS.items()
    }
    links[Item.INTERNSHIP.value] = reverse("internships:offer_list")
    return links


def class_view(request, pk: int, label: str):
    school = my_school(request, pk)
    year = year_of(request)
    rows = selectors.class_parcours(
        user=request.user, establishment_id=school.pk, academie_id=school.academie_id,
        school_year=year, class_label=label,
    )  # fmt: skip
    if not rows:
        raise Http404("Classe introuvable.")
    return render(
        request,
        "pathways/class.html",
        {
            "title": f"Parcours Avenir — {label}",
            "school": school,
            "label": label,
            "year": year,
            "year_label": roster_year_label(year),
            "rows": rows,
            "items": ITEMS,
            "complete": sum(row.complete for row in rows),
            "find_links": _find_links(school),
            "class_pdf_url": (
                f"{reverse('pathways:class_pdf', args=[school.pk, label])}?annee={year}"
            ),
        },
    )


@dataclass(frozen=True)
class Origin:
    """What the experience being recorded comes from: a catalogue action marked done, a
    CEE's intervention, or nothing (an outing of the class)."""

    source: str = Source.CLASS
    source_ref: str = ""
    initial: dict[str, Any] = field(default_factory=dict)
    organisation: Organisation | None = None
    classes: tuple[str, ...] = ()
    query: str = ""


def origin_of(request, school: Establishment) -> Origin:
    """``?action=<id>`` (an action done, of this school) or ``?intervention=<id>``."""
    action = request.GET.get("action", "")
    if action.isdigit():
        record = get_object_or_404(
            records_visible_to(user=request.user).select_related("organisation"),
            pk=int(action), establishment=school,
        )  # fmt: skip
        return Origin(
            source=Source.CATALOGUE,
            source_ref=f"actions.record:{record.pk}",
            initial={
                "kind": record.kind,
                "date": record.done_on,
                "title": record.title,
                "partner_label": record.partner_name,
            },  # fmt: skip
            organisation=record.organisation,
            classes=tuple(c.strip() for c in record.classes.split(",") if c.strip()),
            query=f"action={record.pk}",
        )
    intervention = request.GET.get("intervention", "")
    if intervention.isdigit():
        done = get_object_or_404(
            interventions_visible_to(user=request.user).select_related("advisor"),
            pk=int(intervention), establishment=school,
        )  # fmt: skip
        return Origin(
            source=Source.ADVISOR,
            source_ref=f"volunteers.intervention:{done.pk}",
            initial={
                "kind": "intervention_cee",
                "date": done.date,
                "title": done.description or done.get_domain_display(),
                "partner_label": str(done.advisor),
            },  # fmt: skip
            query=f"intervention={done.pk}",
        )
    return Origin(initial={"date": today()})


def credit_view(request, pk: int):
    """Record what one or more classes did and credit their pupils: all present but the
    absent ticked off."""
    school = my_school(request, pk)
    year = year_of(request)
    origin = origin_of(request, school)
    labels = [c.strip() for c in request.GET.getlist("classe") if c.strip()]
    classes = classes_of(user=request.user, establishment_id=school.pk, school_year=year)
    if not labels:
        known = {c["class_label"] for c in classes}
        return render(
            request,
            "pathways/credit_choose.html",
            {
                "title": "Enregistrer une expérience",
                "school": school,
                "year": year,
                "year_label": roster_year_label(year),
                "classes": classes,
                "origin": origin,
                "suggested": [c for c in origin.classes if c in known],
            },  # fmt: skip
        )
    pupils = list(
        pupils_of_schools(user=request.user)
        .filter(establishment=school, school_year=year, class_label__in=labels)
        .order_by("class_label", "last_name", "first_name", "pk")
    )
    if not pupils:
        raise Http404("Classe introuvable.")
    form = ExperienceForm(
        request.POST or None, academie_id=school.academie_id, pupils=pupils,
        initial=origin.initial,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        experience = _credit(request, form, school, year, labels, pupils, origin)
        if experience is not None:
            count = experience.credits.count()
            messages.success(
                request, f"Expérience enregistrée : {count} élève{'s' if count > 1 else ''} "
                f"crédité{'s' if count > 1 else ''}.",
            )  # fmt: skip
            return redirect(
                f"{reverse('pathways:class', args=[school.pk, labels[0]])}?annee={year}"
            )
    return render(
        request,
        "pathways/credit.html",
        {
            "title": f"Enregistrer une expérience — {', '.join(labels)}",
            "school": school,
            "label": labels[0],
            "labels": labels,
            "year": year,
            "form": form,
        },  # fmt: skip
        status=400 if form.errors else 200,
    )


def _credit(request, form, school, year, labels, pupils, origin: Origin):
    data = form.cleaned_data
    present = set(data["present"])
    try:
        return class_credit(
            user=request.user, establishment=school, school_year=year, class_labels=labels,
            data=ExperienceData(kind=data["kind"], date=data["date"], title=data["title"],
                                partner_label=data["partner_label"], place=data["place"],
                                organisation=origin.organisation),
            absent_ids=[p.pk for p in pupils if p.pk not in present],
            source=origin.source, source_ref=origin.source_ref,
        )  # fmt: skip
    except ValidationError as error:
        add_errors(form, error)
        return None


def experience_view(request, pk: int):
    """An experience and who took part; the school corrects attendance or deletes it."""
    experience = get_object_or_404(
        Experience.objects.select_related("establishment", "organisation"), pk=pk
    )
    school = my_school(request, experience.establishment_id)
    credited = {c.pupil_id for c in experience.credits.all()}
    candidates = list(
        pupils_of_schools(user=request.user)
        .filter(establishment=school, school_year__gte=experience.school_year)
        .filter(class_label__in=[c.strip() for c in experience.classes.split(",")] or [""])
        .order_by("class_label", "last_name", "first_name")
    )
    known = {p.pk for p in candidates}
    candidates += list(
        pupils_of_schools(user=request.user).filter(pk__in=credited - known).order_by("last_name")
    )
    form = CreditsForm(request.POST or None, pupils=candidates, initial={"present": credited})
    if request.method == "POST" and form.is_valid():
        try:
            credits_set(user=request.user, experience=experience,
                        pupil_ids=form.cleaned_data["present"])  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Les participations sont enregistrées.")
            return redirect("pathways:experience", pk=experience.pk)
    return render(
        request,
        "pathways/experience.html",
        {
            "title": experience.title,
            "experience": experience,
            "school": school,
            "form": form,
            "editable": experience.source != "pole",
            "count": len(credited),
        },  # fmt: skip
        status=400 if form.errors else 200,
    )


@require_POST
def experience_delete_view(request, pk: int):
    experience = get_object_or_404(Experience, pk=pk)
    school = my_school(request, experience.establishment_id)
    try:
        experience_delete(user=request.user, experience=experience)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("pathways:experience", pk=pk)
    messages.success(request, "L'expérience est supprimée du parcours des élèves.")
    return redirect("pathways:school", pk=school.pk)


def internship_view(request, pupil_pk: int):
    """Declare a stage a pupil found alone or with the teaching team."""
    pupil = get_object_or_404(
        pupils_of_schools(user=request.user).select_related("establishment"), pk=pupil_pk
    )
    form = InternshipForm(request.POST or None, academie_id=pupil.establishment.academie_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            internship_declare(user=request.user, pupil=pupil, kind=data["kind"],
                               date=data["date"], partner_label=data["partner_label"],
                               place=data["place"])  # fmt: skip
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Le stage est inscrit au parcours de l'élève.")
            return redirect(pupil)
    return render(
        request,
        "pathways/internship.html",
        {
            "title": f"Déclarer un stage — {pupil.first_name} {pupil.last_name}",
            "pupil": pupil,
            "form": form,
        },  # fmt: skip
        status=400 if form.errors else 200,
    )
