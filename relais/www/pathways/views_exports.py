"""The pupil's record goes with the pupil (issue 10, item 5): a pupil's parcours as a PDF
for the family or as JSON for another system, and a class's records as one PDF.

Only the pupil's school's staff export (``relais.pupils.selectors.pupils_of_schools``):
any other user, the pôle de stages included, gets a 404. Every export is journaled
(``relais.www.journal.log_export``): who, when, which pupil or class.

``parcours_context`` gives the pupil's page (``relais.www.pupils``) what its parcours part
(``pathways/_pupil_parcours.html``) needs.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse

from relais.documents.rendering import Rendered
from relais.pathways import selectors
from relais.pathways.documents import class_pdf, parcours_json, parcours_pdf
from relais.pathways.enums import Item
from relais.pupils.models import Pupil
from relais.pupils.perms import is_school_of
from relais.pupils.selectors import pupils_of_schools
from relais.pupils.years import roster_year_label
from relais.users.enums import PersonalData
from relais.www.journal import log_export

from .views_school import my_school, year_of

PARCOURS_TEMPLATE = "pathways/_pupil_parcours.html"


def _download(rendered: Rendered) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def _my_pupil(request, pk: int) -> Pupil:
    """A pupil of the user's own schools; any other is a 404."""
    return get_object_or_404(
        pupils_of_schools(user=request.user).select_related("establishment"), pk=pk
    )


def _export_pupil(request, pk: int, *, fmt: str, render) -> HttpResponse:
    pupil = _my_pupil(request, pk)
    rendered = render(selectors.pupil_parcours(pupil))
    log_export(
        request,
        data=PersonalData.PARCOURS,
        description=f"Parcours Avenir de l'élève n° {pupil.pk} ({fmt.upper()})",
        fmt=fmt,
        rows=1,
        record=pupil,
    )
    return _download(rendered)


def pupil_pdf_view(request, pk: int):
    """A pupil's parcours, as a PDF to hand to the family."""
    return _export_pupil(request, pk, fmt="pdf", render=parcours_pdf)


def pupil_json_view(request, pk: int):
    """A pupil's parcours, as the JSON document ``relais-parcours-avenir`` (version 1)."""
    return _export_pupil(request, pk, fmt="json", render=parcours_json)


def class_pdf_view(request, pk: int, label: str):
    """Every pupil's record of a class, a page each (printed at the end of 3e)."""
    school = my_school(request, pk)
    year = year_of(request)
    rows = selectors.class_parcours(
        user=request.user, establishment_id=school.pk, academie_id=school.academie_id,
        school_year=year, class_label=label,
    )  # fmt: skip
    if not rows:
        raise Http404("Classe introuvable.")
    rendered = class_pdf(rows, school=school, class_label=label, school_year=year)
    log_export(
        request,
        data=PersonalData.PARCOURS,
        description=f"Parcours Avenir de la classe {label} ({roster_year_label(year)})"[:255],
        fmt="pdf",
        rows=len(rows),
        record=school,
    )
    return _download(rendered)


def parcours_context(request, pupil: Pupil) -> dict:
    """What the pupil's page includes of the parcours (``PARCOURS_TEMPLATE``), for a user
    who already reads the pupil (the caller's scoped selector): the parcours, the items'
    labels and, for the pupil's own school only, editing and the export links. Two
    queries (objectives, credits)."""
    school_side = is_school_of(request.user, pupil.establishment_id) and pupil.purged_at is None
    context = {
        "parcours_template": PARCOURS_TEMPLATE,
        "parcours": selectors.pupil_parcours(pupil),
        "item_labels": Item.choices,
        "can_edit_parcours": school_side,
        "parcours_pdf_url": None,
        "parcours_json_url": None,
    }
    if school_side:
        context["parcours_pdf_url"] = reverse("pathways:pupil_pdf", args=[pupil.pk])
        context["parcours_json_url"] = reverse("pathways:pupil_json", args=[pupil.pk])
    return context
