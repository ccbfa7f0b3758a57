"""The volunteers' documents that carry their confidentiality undertaking (issue 15 item 9):
a teacher's immersion attestation, a réserve volunteer's engagement. Same reach as the
application they print; each download is journaled."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from relais.documents.rendering import Rendered
from relais.users.enums import PersonalData
from relais.volunteers.documents import immersion_attestation_pdf, reservist_engagement_pdf
from relais.volunteers.selectors import application_get, immersion_applications_visible_to
from relais.volunteers.services.reserve import CHARTER_VERSION
from relais.www.journal import log_export


def _download(rendered: Rendered) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def immersion_attestation_view(request, pk):
    """The attestation of a validated immersion: the teacher, the académie, the company, the
    teacher's head of school."""
    application = get_object_or_404(
        immersion_applications_visible_to(user=request.user).select_related(
            "offer__academie", "offer__organisation", "establishment", "applicant"
        ),
        pk=pk,
    )
    if not application.is_validated:
        raise Http404("Une immersion non validée n'a pas d'attestation.")
    rendered = immersion_attestation_pdf(application)
    log_export(
        request, data=PersonalData.IMMERSIONS, fmt="pdf", rows=1, record=application,
        description=f"Attestation d'immersion n° {application.pk}",
    )  # fmt: skip
    return _download(rendered)


def reservist_engagement_view(request, pk):
    """A réserve volunteer's engagement (charter and confidentiality): the volunteer and the
    académie team that vets the applications."""
    application = application_get(user=request.user, pk=pk)
    rendered = reservist_engagement_pdf(application, charter_version=CHARTER_VERSION)
    log_export(
        request, data=PersonalData.RESERVE_APPLICATIONS, fmt="pdf", rows=1, record=application,
        description=f"Engagement de réserviste n° {application.pk}",
    )  # fmt: skip
    return _download(rendered)
