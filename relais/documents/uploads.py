"""Checks on uploaded files: PDF only, size-limited, type checked on the content itself
(not on the name or the browser's declared type)."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


def validate_pdf_upload(upload) -> None:
    """Raise a French ValidationError unless ``upload`` is a readable PDF within the size
    limit (settings.RELAIS_UPLOAD_MAX_BYTES). The file is read, never trusted by its name."""
    limit = settings.RELAIS_UPLOAD_MAX_BYTES
    if upload.size == 0:
        raise ValidationError("Le fichier est vide.", code="empty")
    if upload.size > limit:
        raise ValidationError(
            f"Le fichier pèse {filesizeformat(upload.size)} : la limite est de "
            f"{filesizeformat(limit)}.",
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if b"%PDF-" not in head:
        raise ValidationError(
            "Le fichier n'est pas un PDF (son contenu ne commence pas par l'en-tête PDF).",
            code="not_pdf",
        )
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(upload.read()))
        pages = len(reader.pages)
    except Exception as exc:  # pypdf raises many kinds of errors on a broken file
        raise ValidationError(
            "Le fichier PDF est illisible ou endommagé.", code="broken_pdf"
        ) from exc
    finally:
        upload.seek(0)
    if pages == 0:
        raise ValidationError("Le fichier PDF ne contient aucune page.", code="empty_pdf")
