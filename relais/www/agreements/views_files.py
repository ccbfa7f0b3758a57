"""The convention as a document (Word or PDF, consolidated) and its signed scans."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from relais.agreements import services
from relais.agreements.documents import convention_docx, convention_pdf
from relais.agreements.letters import LETTER_TRANSITIONS, notice_letter_pdf
from relais.agreements.signing import LinkError, signed_pdf
from relais.core.uploads import limit_uploads, pdf_max_bytes
from relais.documents.rendering import DocumentError
from relais.www.forms import upload_form_is_valid

from . import forms
from .views import with_avenants
from .views_common import managed, visible


def document_view(request, pk, fmt):
    agreement = with_avenants(visible(request, pk))
    try:
        rendered = convention_docx(agreement) if fmt == "docx" else convention_pdf(agreement)
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect(agreement)
    response = HttpResponse(rendered.content, content_type=rendered.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def letter_view(request, pk, entry_pk):
    """The notice letter of an ending, generated from its journal line."""
    agreement = visible(request, pk)
    entry = get_object_or_404(
        agreement.journal.filter(transition__in=LETTER_TRANSITIONS), pk=entry_pk
    )
    rendered = notice_letter_pdf(agreement, entry)
    response = HttpResponse(rendered.content, content_type=rendered.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def signed_document_view(request, pk):
    """The frozen PDF with its signature page (the evidence of each signature)."""
    agreement = visible(request, pk)
    try:
        rendered = signed_pdf(agreement)
    except (LinkError, DocumentError) as error:
        messages.error(request, str(error))
        return redirect(agreement)
    response = HttpResponse(rendered.content, content_type=rendered.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


@limit_uploads(pdf_max_bytes)
def scan_add_view(request, pk):
    agreement = managed(request, pk)
    form = forms.ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form_is_valid(request, form, "file"):
        try:
            services.scan_add(
                user=request.user,
                agreement=agreement,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Le scan de la convention signée est enregistré.")
            return redirect(agreement)
        except ValidationError as error:
            form.add_error("file", error.messages)
    return render(
        request,
        "agreements/form.html",
        {
            "title": f"Déposer la convention signée — {agreement.number}",
            "form": form,
            "back_url": agreement.get_absolute_url(),
            "submit_label": "Déposer",
            "multipart": True,
            "agreement": agreement,
        },
        status=400 if form.errors else 200,
    )


def scan_download_view(request, pk, scan_pk):
    agreement = visible(request, pk)
    scan = get_object_or_404(agreement.scans, pk=scan_pk)
    response = HttpResponse(scan.file.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agreement.number}-signee.pdf"'
    return response
