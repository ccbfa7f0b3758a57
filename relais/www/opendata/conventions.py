"""The public pages of the conventions in force (issue 15, item 10), with the open data:
the list that links each convention of ``conventions-en-vigueur`` to its page, and the page
itself (parties and signing offices, axes, commitments, the actions it sponsors). No login;
nothing here reads who asks, so every visitor sees the same page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from relais.reporting import opendata, valorisation
from relais.www.lists import paginate

PER_PAGE = 50


@login_not_required
@require_GET
def convention_list_view(request):
    """The conventions of the open data's list, each linked to its public page."""
    page = paginate(request, valorisation.public_list().order_by("title", "number"),
                    per_page=PER_PAGE)  # fmt: skip
    agreements = list(page.object_list)
    parties = valorisation.parties_of(agreements)
    rows = [
        {
            "agreement": agreement,
            "territory": valorisation.territory(agreement),
            "parties": parties.get(agreement.pk, []),
        }
        for agreement in agreements
    ]
    return render(
        request,
        "opendata/conventions.html",
        {
            "title": "Conventions de partenariat en vigueur",
            "page_obj": page,
            "rows": rows,
            "dataset": opendata.CONVENTIONS,
        },
    )


@login_not_required
@require_GET
def convention_view(request, number: str):
    """The public page of a convention in force; 404 for any other (draft, ended…)."""
    agreement = valorisation.public_convention(number[:20])
    if agreement is None:
        raise Http404("Cette convention n'est pas publiée : elle n'est pas en vigueur.")
    return render(
        request,
        "opendata/convention.html",
        {
            "title": agreement.title,
            "page": valorisation.valorisation(agreement),
            "dataset": opendata.CONVENTIONS,
        },
    )
