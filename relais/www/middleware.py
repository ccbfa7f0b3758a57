"""Middleware of the web layer.

``ControlCharactersMiddleware`` refuses, before any view, filter or form reads them, the
requests whose path, query string or url-encoded form fields hold a NUL byte or another C0
control character (tab, CR and LF apart): PostgreSQL refuses NUL in text, so ``?q=%00`` on
a searchable list was a server error, and no person types the others. The answer is the
French 400 page (``handler400``), or a JSON 400 under ``/api/`` (each field named, as the
API's own parsers do for the bodies they read).

It goes in ``settings.MIDDLEWARE`` right after ``AuthenticationMiddleware`` (the 400 page is
rendered with the user's menu). Multipart bodies are left to the views: reading them here
would parse the files before the upload limits of ``relais.core.uploads`` are in place;
their text fields go through forms, whose character fields refuse NUL themselves.
"""

from django.core.exceptions import BadRequest
from django.http import JsonResponse

from relais.core.validation import CONTROL_CHARACTERS_MESSAGE, has_control_characters

API_PREFIX = "/api/"
FORM = "application/x-www-form-urlencoded"


def fields_with_control_characters(request) -> list[str]:
    """Names of the query parameters and url-encoded form fields holding one (``path`` for
    the path itself); empty when the request is clean."""
    fields = []
    if has_control_characters(request.path_info):
        fields.append("path")
    sources = [request.GET]
    if request.method == "POST" and request.content_type == FORM:
        sources.append(request.POST)
    for source in sources:
        for name, values in source.lists():
            if has_control_characters(name) or has_control_characters(values):
                fields.append(name if not has_control_characters(name) else "non_field_errors")
    return fields


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = fields_with_control_characters(request)
        if not fields:
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX):
            body = {field: [CONTROL_CHARACTERS_MESSAGE] for field in fields}
            return JsonResponse(body, status=400)
        raise BadRequest(CONTROL_CHARACTERS_MESSAGE)
