"""The API's parsers: errors in French (DRF's own say « JSON parse error - … »), and no
control character gets in (PostgreSQL refuses NUL in text: a 500 once it reaches the
database). A body holding one, in a value or a key, is a 400 with
``relais.core.validation.CONTROL_CHARACTERS_MESSAGE`` under the field. The query string
(and the path) are checked before any view by ``relais.www.middleware``, which answers the
same JSON 400 under /api/."""

import json

from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.settings import api_settings

from relais.core.uploads import UploadLimitHandler, pdf_max_bytes, upload_refusal
from relais.core.validation import CONTROL_CHARACTERS_MESSAGE, has_control_characters


def reject_control_characters(data) -> None:
    """400 (ParseError) if ``data`` (parsed JSON, a QueryDict) holds a control character:
    the message goes under each field that holds one (under ``non_field_errors`` for a key
    or a body that is not an object), like the other field errors of the API."""
    if hasattr(data, "lists"):
        data = dict(data.lists())
    if not has_control_characters(data):
        return
    fields = []
    if isinstance(data, dict):
        fields = [key for key, value in data.items() if has_control_characters(value)]
        if any(has_control_characters(key) for key in data):
            fields.append(api_settings.NON_FIELD_ERRORS_KEY)
    raise ParseError(
        {field: [CONTROL_CHARACTERS_MESSAGE] for field in fields}
        or {api_settings.NON_FIELD_ERRORS_KEY: [CONTROL_CHARACTERS_MESSAGE]}
    )


class JsonParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except ParseError as error:
            cause = error.__cause__ or error.__context__
            raise ParseError(_french_message(cause)) from cause
        reject_control_characters(data)
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        reject_control_characters(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Files are read through ``UploadLimitHandler``: past the view's ``upload_max_bytes()``
    (by default ``RELAIS_UPLOAD_MAX_BYTES``, the API taking PDFs only), the upload stops
    while it is read and the answer is a French 400 under the file's field."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        handler = None
        if request is not None:
            view = (parser_context or {}).get("view")
            limit = getattr(view, "upload_max_bytes", pdf_max_bytes)()
            handler = UploadLimitHandler(request._request, max_bytes=limit)
            request._request.upload_handlers.insert(0, handler)
        try:
            result = super().parse(stream, media_type, parser_context)
        except ParseError as error:
            raise ParseError(
                "Formulaire multipart illisible : envoyez un corps « multipart/form-data » "
                "complet, avec sa limite (boundary)."
            ) from error
        refusal = upload_refusal(request._request) if request is not None else None
        if refusal is not None:
            field = getattr(handler, "field_name", None) or api_settings.NON_FIELD_ERRORS_KEY
            raise ParseError({field: [refusal]})
        reject_control_characters(result.data)
        names = [upload.name for upload in result.files.values() if upload.name]
        reject_control_characters(names)
        return result


def _french_message(cause) -> str:
    if isinstance(cause, json.JSONDecodeError):
        return (
            f"JSON malformé : erreur ligne {cause.lineno}, colonne {cause.colno}. "
            "Le corps de la requête doit être un objet JSON."
        )
    if isinstance(cause, UnicodeDecodeError):
        return "JSON malformé : le corps de la requête doit être encodé en UTF-8."
    return "JSON malformé : le corps de la requête doit être un objet JSON."
