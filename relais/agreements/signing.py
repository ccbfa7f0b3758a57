"""Simple electronic signature (règlement eIDAS, art. 25; code civil, art. 1367) with its
audit trail.

Each signatory who signs electronically (``Signatory.signs_electronically``; the others sign
on paper, recorded by the team: a convention may mix both) receives a signed, expiring link
(``django.core.signing``, ``LINK_DAYS``). Through it they read the frozen PDF of the version
sent for signature (rendered once, ``FrozenDocument``, its SHA-256 kept), ask for a one-time
code sent to their e-mail address (through the outbox), give it with their explicit consent,
and sign. Every step is a line of the append-only ``SignatureEvent`` journal: time, IP
address, user agent, the document's SHA-256. The signed PDF is the frozen PDF followed by a
page of that evidence (``signed_pdf``).

This module holds the links, the codes and the documents; the writes are the services of
``services/esign.py``.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from datetime import timedelta

from django.core import signing
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from relais.documents.rendering import Rendered, render_pdf

from .enums import AgreementState, SignatureEventKind
from .models import Agreement, AgreementVersion, FrozenDocument, Signatory, SignatureEvent

SALT = "relais.agreements.signature"
LINK_DAYS = 30
CODE_MINUTES = 15
CODE_ATTEMPTS = 5
REMINDER_DAYS = (3, 7, 14)  # after the link was sent


class LinkError(Exception):
    """A signing link that cannot be used; the message is in French."""


def link_token(signatory: Signatory, version: int) -> str:
    """The signatory's link to ``version``, of their current generation (a link sent again
    by the team bumps it: the lost link no longer opens)."""
    data = {"s": signatory.pk, "v": version, "g": signatory.link_generation}
    return signing.dumps(data, salt=SALT, compress=True)


def signatory_from_token(token: str) -> tuple[Signatory, AgreementVersion]:
    """The signatory and the version of a link, or LinkError (expired, altered, or a text
    sent again for signature since: the old link no longer signs)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=LINK_DAYS))
    except signing.SignatureExpired as exc:
        raise LinkError(
            f"Ce lien de signature a expiré (valable {LINK_DAYS} jours) : demandez-en un "
            "nouveau à l'équipe académique."
        ) from exc
    except signing.BadSignature as exc:
        raise LinkError("Ce lien de signature n'est pas valide.") from exc
    signatory = (
        Signatory.objects.select_related("agreement", "party").filter(pk=data.get("s")).first()
    )
    if signatory is None:
        raise LinkError("Ce lien de signature n'est plus valide.")
    if data.get("g", 0) != signatory.link_generation:
        raise LinkError(
            "Un nouveau lien de signature vous a été envoyé depuis : celui-ci est révoqué. "
            "Utilisez le lien du dernier courriel."
        )
    version = signatory.agreement.versions.order_by("-number").first()
    if version is None or version.number != data.get("v"):
        raise LinkError(
            "Le texte a été renvoyé en signature depuis ce lien : utilisez le lien le plus récent."
        )
    if signatory.agreement.state not in (AgreementState.IN_SIGNATURE, AgreementState.IN_FORCE):
        raise LinkError("Cette convention n'est plus en signature.")
    return signatory, version


def frozen_document(version: AgreementVersion) -> FrozenDocument:
    """The PDF of ``version``, rendered once (what every signatory reads and signs)."""
    existing = FrozenDocument.objects.filter(version=version).first()
    if existing is not None:
        return existing
    from .documents import convention_pdf

    with transaction.atomic():
        AgreementVersion.objects.select_for_update().get(pk=version.pk)
        existing = FrozenDocument.objects.filter(version=version).first()
        if existing is not None:
            return existing
        rendered = convention_pdf(version.agreement)
        sha256 = hashlib.sha256(rendered.content).hexdigest()
        document = FrozenDocument(version=version, sha256=sha256)
        document.file.save(rendered.filename, ContentFile(rendered.content), save=False)
        document.save()
        return document


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def code_hash(signatory: Signatory, code: str) -> str:
    return salted_hmac(SALT, f"{signatory.pk}:{code}", algorithm="sha256").hexdigest()


def code_matches(signatory: Signatory, code: str) -> bool:
    return bool(signatory.code_hash) and constant_time_compare(
        signatory.code_hash, code_hash(signatory, (code or "").strip())
    )


def log(signatory: Signatory, kind: str, *, ip=None, user_agent="", sha256="", **data):
    return SignatureEvent.objects.create(
        signatory=signatory,
        agreement_id=signatory.agreement_id,
        kind=kind,
        ip_address=ip or None,
        user_agent=(user_agent or "")[:400],
        document_sha256=sha256,
        data=data,
    )


def evidence(agreement: Agreement) -> list[dict]:
    """One line per signatory: electronic signatures with their evidence, paper ones with
    their date."""
    signed = {
        event.signatory_id: event
        for event in agreement.signature_events.filter(kind=SignatureEventKind.SIGNED)
    }
    rows = []
    for signatory in agreement.signatories.select_related("party"):
        event = signed.get(signatory.pk)
        rows.append({"signatory": signatory, "event": event})
    return rows


def signed_pdf(agreement: Agreement) -> Rendered:
    """The frozen PDF followed by the signature page: who signed, when, how, from which
    address and browser, and the SHA-256 of the document they read."""
    import pypdf

    version = agreement.versions.order_by("-number").first()
    if version is None:
        raise LinkError("Cette convention n'a pas été envoyée en signature.")
    document = frozen_document(version)
    page = render_pdf(
        "agreements/signature_evidence.html",
        {"agreement": agreement, "version": version, "document": document,
         "rows": evidence(agreement)},
        filename="preuves.pdf",
    )  # fmt: skip
    writer = pypdf.PdfWriter()
    with document.file.open("rb") as frozen:
        writer.append(pypdf.PdfReader(io.BytesIO(frozen.read())))
    writer.append(pypdf.PdfReader(io.BytesIO(page.content)))
    buffer = io.BytesIO()
    writer.write(buffer)
    return Rendered(buffer.getvalue(), f"{agreement.number}-signee.pdf", page.mimetype)
