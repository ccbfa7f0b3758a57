"""Writes of the documents app: replacing a shipped Word template."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from .models import DocumentTemplate
from .word_templates import validate_template_upload

if TYPE_CHECKING:
    # The project's user model as django-stubs resolves it (AUTH_USER_MODEL): this layer sits
    # below relais.users and may not import it. Stub-only names: never imported at run time.
    from django.contrib.auth.models import _AnyUser, _User


def can_replace_templates(user: _AnyUser) -> bool:
    """The national administration (back-office) replaces the Word templates."""
    return bool(
        user.is_active
        and user.is_staff
        and (
            user.has_perm("documents.add_documenttemplate")
            or user.has_perm("documents.change_documenttemplate")
        )
    )


@transaction.atomic
def document_template_save(
    *, user: _User, template: DocumentTemplate, upload: UploadedFile[bytes] | None = None
) -> DocumentTemplate:
    """Store ``template`` (its kind set), with ``upload`` as its new file if given. The file
    is checked first (``validate_template_upload``: a real .docx, known fields, renders in
    the sandbox); the file it replaces is deleted once the change is committed."""
    if not can_replace_templates(user):
        raise PermissionDenied("Seule l'administration remplace les modèles de documents.")
    previous = None
    if template.pk:
        previous = DocumentTemplate.objects.filter(pk=template.pk).values_list("file", flat=True)[0]
    if upload is not None:
        validate_template_upload(upload, template.kind)
        template.file.save(f"{template.kind}.docx", upload, save=False)
    template.updated_by = user
    template.save()
    if previous and previous != template.file.name:
        storage = template.file.storage
        transaction.on_commit(lambda: storage.delete(previous))
    return template
