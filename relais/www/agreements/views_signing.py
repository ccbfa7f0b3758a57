"""The signatory's pages, opened from their signed link without an account: read the frozen
PDF, receive a one-time code by e-mail, consent and sign (``relais.agreements.signing``).
Each step is journaled with the IP address and the browser."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from relais.agreements.services import esign
from relais.agreements.signing import LinkError, frozen_document, signatory_from_token
from relais.www.forms import add_errors

from . import forms


def _client(request) -> tuple[str | None, str]:
    """The client's address (REMOTE_ADDR: the proxy sets it, ``docs/deploy.md``) and
    browser."""
    return request.META.get("REMOTE_ADDR") or None, request.META.get("HTTP_USER_AGENT", "")


def _link_error(request, error: LinkError):
    return render(
        request,
        "agreements/esign_error.html",
        {"title": "Lien de signature inutilisable", "message": str(error)},
        status=404,
    )


@login_not_required
@never_cache
def esign_view(request, token):
    try:
        signatory, version = signatory_from_token(token)
    except LinkError as error:
        return _link_error(request, error)
    ip, agent = _client(request)
    form = forms.ElectronicSignatureForm(request.POST or None)
    if request.method == "GET" and signatory.signed_on is None:
        esign.signature_opened(signatory=signatory, ip=ip, user_agent=agent)
    if request.method == "POST" and form.is_valid():
        try:
            esign.signature_sign(
                signatory=signatory, code=form.cleaned_data["code"],
                consent=form.cleaned_data["consent"], ip=ip, user_agent=agent,
            )  # fmt: skip
            messages.success(request, "Votre signature électronique est enregistrée. Merci.")
            return redirect("agreements:esign", token=token)
        except ValidationError as error:
            add_errors(form, error)
        signatory.refresh_from_db()
    document = frozen_document(version)
    return render(
        request,
        "agreements/esign.html",
        {
            "title": f"Signature de la convention {signatory.agreement.number}",
            "signatory": signatory,
            "agreement": signatory.agreement,
            "version": version,
            "document": document,
            "token": token,
            "form": form,
            "code_sent": bool(signatory.code_hash),
        },
        status=400 if form.errors else 200,
    )


@login_not_required
@never_cache
@require_POST
def esign_code_view(request, token):
    try:
        signatory, _ = signatory_from_token(token)
    except LinkError as error:
        return _link_error(request, error)
    ip, agent = _client(request)
    try:
        esign.signature_send_code(signatory=signatory, ip=ip, user_agent=agent)
        messages.info(request, f"Un code vient d'être envoyé à {signatory.email}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("agreements:esign", token=token)


@login_not_required
@never_cache
def esign_document_view(request, token):
    """The frozen PDF the signatory reads (the one whose SHA-256 their signature keeps)."""
    try:
        signatory, version = signatory_from_token(token)
    except LinkError as error:
        return _link_error(request, error)
    document = frozen_document(version)
    with document.file.open("rb") as pdf:
        response = HttpResponse(pdf.read(), content_type="application/pdf")
    name = f"{signatory.agreement.number}-version-{version.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
