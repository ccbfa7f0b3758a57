"""Signed scans: the PDF of the signed convention, checked on its content and size."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from relais.users.models import User

from ..models import Agreement, SignedScan
from ..perms import can_manage
from ..workflows import can_add_scan
from .common import MANAGERS_ONLY


@transaction.atomic
def scan_add(
    *, user: User, agreement: Agreement, upload: UploadedFile[bytes], note: str = ""
) -> SignedScan:
    """Store the scan of the signed convention: PDF checked on its content, size-limited
    (relais.documents.uploads). It shows in the convention's history."""
    from relais.documents.uploads import validate_pdf_upload

    if not can_manage(user, agreement):
        raise PermissionDenied(MANAGERS_ONLY)
    if not can_add_scan(user, agreement):
        raise ValidationError("On dépose le scan d'une convention envoyée en signature.")
    validate_pdf_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    assert upload.name is not None and upload.size is not None  # set for every upload
    scan = SignedScan(
        agreement=agreement,
        original_name=upload.name[:255],
        size=upload.size,
        sha256=digest.hexdigest(),
        note=note,
        uploaded_by=user,
    )
    scan.file.save(f"{scan.sha256[:16]}.pdf", upload, save=False)
    scan.save()
    return scan
