"""Pages of the pupils (``relais.pupils``): a school's roster per year and class, a pupil's
record, the roster form and import, the roster export (journaled).

The roster, its export and its import are the school's (head of school, teacher): the
pupils' names stay in their school. A pupil's record is also open to the pôle de stages their
case is referred to (``relais.internships.selectors.pupil_get``), as the case is.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from relais.core.clock import today
from relais.core.uploads import limit_uploads, pupil_import_max_bytes
from relais.internships.enums import FINAL_CASE_STATES
from relais.internships.selectors import pupil_cases, pupil_get
from relais.pupils.enums import Level
from relais.pupils.perms import can_manage_any_pupils, can_manage_pupils
from relais.pupils.selectors import classes_of, pupils_matching, roster, roster_years
from relais.pupils.services import (
    RosterImportError,
    check_school_year,
    pupil_create,
    pupil_update,
    roster_import_upload,
    template_rows,
)
from relais.pupils.years import roster_year_label, roster_year_of
from relais.users.enums import PersonalData
from relais.www.forms import add_errors, upload_form_is_valid
from relais.www.journal import log_consultation, log_export
from relais.www.lists import export_response, paginate
from relais.www.pathways.views_exports import parcours_context

from .forms import PupilForm, RosterImportForm, school_choices, year_choices

LEVEL_LABELS = dict(Level.choices)
ONLY_SCHOOLS = "La liste des élèves est réservée à leur établissement."


def _check_school_staff(request) -> None:
    if not can_manage_any_pupils(request.user):
        raise PermissionDenied(ONLY_SCHOOLS)


def _roster_filters(request) -> dict:
    """The school (among the user's), the year (today's roster year by default), the class
    and the name searched, from the query string."""
    schools = list(school_choices(request.user))
    chosen = request.GET.get("etablissement", "")
    school = next((s for s in schools if str(s.pk) == chosen), schools[0])
    try:
        year = check_school_year(request.GET.get("annee") or roster_year_of(today()))
    except ValidationError:
        year = roster_year_of(today())
    return {
        "schools": schools,
        "school": school,
        "year": year,
        "klass": request.GET.get("classe", "").strip(),
        "query": request.GET.get("q", "").strip(),
    }


def _roster(request, filters: dict):
    queryset = roster(
        user=request.user, establishment_id=filters["school"].pk, school_year=filters["year"]
    )
    if filters["klass"]:
        queryset = queryset.filter(class_label=filters["klass"])
    if filters["query"]:
        queryset = pupils_matching(queryset, filters["query"])
    return queryset


def roster_view(request):
    """One school's roster of one year: its classes with their sizes, the pupils (by class,
    then name), a search by name."""
    _check_school_staff(request)
    filters = _roster_filters(request)
    school, year = filters["school"], filters["year"]
    page = paginate(request, _roster(request, filters).select_related("establishment"))
    return render(
        request,
        "pupils/roster.html",
        {
            "title": "Élèves",
            "page_obj": page,
            "classes": [
                {**c, "level_label": LEVEL_LABELS.get(c["level"], c["level"])}
                for c in classes_of(user=request.user, establishment_id=school.pk, school_year=year)
            ],
            "years": year_choices(*roster_years(user=request.user, establishment_id=school.pk)),
            "year_label": roster_year_label(year),
            **filters,
        },
    )


EXPORT_HEADER = [
    "Établissement",
    "UAI",
    "Année scolaire",
    "Classe",
    "Niveau",
    "Nom",
    "Prénom",
    "Identifiant",
    "QPV",
    "Handicap",
    "Arrivée récente",
    "Prioritaire",
]


def _export_row(pupil):
    return [
        pupil.establishment.name,
        pupil.establishment.uai,
        pupil.school_year_label,
        pupil.class_label,
        pupil.get_level_display(),
        pupil.last_name,
        pupil.first_name,
        pupil.school_ref,
        "oui" if pupil.qpv else "non",
        "oui" if pupil.disability else "non",
        "oui" if pupil.newly_arrived else "non",
        ", ".join(pupil.priority_labels),
    ]


def roster_export_view(request):
    """The roster on screen (school, year, class, search) as CSV or XLSX; every export is
    journaled (who, when, which filters, how many rows)."""
    _check_school_staff(request)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    filters = _roster_filters(request)
    rows = list(_roster(request, filters).select_related("establishment"))
    log_export(
        request,
        data=PersonalData.PUPILS,
        description=f"Liste des élèves {roster_year_label(filters['year'])}",
        fmt=fmt,
        rows=len(rows),
    )
    return export_response(fmt, "eleves", EXPORT_HEADER, rows, _export_row, title="Élèves")


def pupil_detail_view(request, pk):
    """A pupil's record (their school, and the pôle their case is referred to); journaled."""
    pupil = pupil_get(user=request.user, pk=pk)
    log_consultation(
        request,
        data=PersonalData.PUPIL,
        record=pupil,
        description=f"Fiche de l'élève n° {pupil.pk}",
    )
    cases = list(pupil_cases(user=request.user, pupil=pupil))
    school_side = can_manage_pupils(request.user, pupil.establishment)
    has_open_case = any(case.state not in FINAL_CASE_STATES for case in cases)
    return render(
        request,
        "pupils/pupil_detail.html",
        {
            "title": f"{pupil.first_name} {pupil.last_name}",
            "pupil": pupil,
            "cases": cases,
            "can_edit": school_side and pupil.purged_at is None,
            "can_open_case": school_side and pupil.purged_at is None and not has_open_case,
            # The parcours Avenir's part of the record (``relais.www.pathways``): the school's.
            **(parcours_context(request, pupil) if school_side else {"parcours_template": None}),
        },
    )


def _pupil_form(request, pupil=None):
    form = PupilForm(request.POST or None, instance=pupil, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if pupil is None:
                school = data.pop("establishment")
                saved = pupil_create(user=request.user, establishment=school, data=data)
                messages.success(request, "L'élève est inscrit sur la liste de l'établissement.")
            else:
                saved = pupil_update(user=request.user, pupil=pupil, data=data)
                messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(saved)
        except ValidationError as error:
            add_errors(form, error)
    title = (
        "Inscrire un élève" if pupil is None else f"Modifier {pupil.first_name} {pupil.last_name}"
    )
    return render(
        request,
        "pupils/form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": pupil.get_absolute_url() if pupil else "/eleves/",
        },
        status=400 if form.errors else 200,
    )


def pupil_create_view(request):
    _check_school_staff(request)
    return _pupil_form(request)


def pupil_edit_view(request, pk):
    pupil = pupil_get(user=request.user, pk=pk)
    if not can_manage_pupils(request.user, pupil.establishment):
        raise PermissionDenied("Seul l'établissement de l'élève modifie sa fiche.")
    return _pupil_form(request, pupil)


# The columns the roster import reads (``relais.pupils.services.roster``), as the import
# page documents them: name, what it holds, the other headers accepted, required.
COLUMNS = [
    ("nom", "Nom de l'élève", "nom de famille, nom d'usage", True),
    ("prenom", "Prénom", "prénom 1, prénoms", True),
    ("classe", "Classe, par exemple « 3e B » ou « 2NDE PRO MELEC »", "division", True),
    (
        "niveau",
        "Niveau (« 3e », « 2nde pro »…) ; déduit de la classe s'il manque",
        "MEF, libellé MEF",
        False,
    ),  # fmt: skip
    (
        "identifiant",
        "Numéro de l'élève dans le logiciel de l'établissement",
        "numéro élève, n° interne, id élève",
        False,
    ),  # fmt: skip
    ("qpv", "Réside en quartier prioritaire de la ville (1/0, oui/non)", "", False),
    ("handicap", "Situation de handicap (1/0, oui/non)", "situation de handicap", False),
    (
        "arrivee_recente",
        "Arrivé récemment en France, allophone (1/0, oui/non)",
        "allophone, UPE2A",
        False,
    ),  # fmt: skip
]


@limit_uploads(pupil_import_max_bytes)
def roster_import_view(request):
    """The school's roster of a year from the CSV of its information system, all or
    nothing: the summary of what changed, or every bad line by number (status 400)."""
    _check_school_staff(request)
    form = RosterImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors, result, status = [], None, 200
    if request.method == "POST" and upload_form_is_valid(request, form, "file"):
        try:
            result = roster_import_upload(
                user=request.user,
                establishment=form.cleaned_data["establishment"],
                upload=form.cleaned_data["file"],
                school_year=form.cleaned_data["school_year"],
            )
        except RosterImportError as error:
            errors, status = error.errors, 400
    elif form.errors:
        status = 400
    return render(
        request,
        "pupils/import.html",
        {
            "title": "Importer la liste des élèves",
            "form": form,
            "errors": errors,
            "result": result,
            "school": form.cleaned_data.get("establishment") if result else None,
            "columns": COLUMNS,
        },
        status=status,
    )


def roster_template_view(request):
    """A CSV with the expected header and two example lines."""
    body = "\ufeff" + "".join(";".join(row) + "\r\n" for row in template_rows())
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-liste-eleves.csv"'
    return response
