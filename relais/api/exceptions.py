"""API errors: every failure is a JSON answer with a French message, never an HTML page."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Django's ValidationError (raised by the services) → 400 with field errors;
    Django's PermissionDenied → 403; Http404 → 404 with DRF's French message rather than
    django's English « No X matches the given query. »; the rest as DRF does."""
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    return drf_exception_handler(exc, context)


def validation_error_detail(exc: DjangoValidationError) -> dict:
    """``{"field": [messages]}``; errors tied to no field go under ``non_field_errors``."""
    if not hasattr(exc, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
    detail: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        key = api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field
        detail.setdefault(key, []).extend(messages)
    return detail


def not_found(request, *args, **kwargs):
    """Unknown address under /api/: a JSON 404 rather than the HTML page."""
    return JsonResponse({"detail": "Adresse inconnue de l'API."}, status=404)
