"""Plumbing shared by every API view: pagination, filtering with the user's reach, parsers,
and the exemption from the HTML login redirect."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver, reverse
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers, status
from rest_framework.filters import BaseFilterBackend
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from relais.core.filters import DB_INTEGER_MAX

from .parsers import FormParser, JsonParser, MultiPartParser

if TYPE_CHECKING:
    from rest_framework.generics import BaseFilterProtocol  # stub-only


class Pagination(PageNumberPagination):
    """50 per page (settings.REST_FRAMEWORK), up to 200 with ``?page_size=``."""

    page_size_query_param = "page_size"
    max_page_size = 200


class ScopedFilterBackend(DjangoFilterBackend):
    """django-filter backend passing ``user=`` to the FilterSets, whose choices (académies,
    bassins) are restricted to what the user reaches, exactly as in the web lists."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs["user"] = request.user
        return kwargs


def exempt_from_login_redirect(patterns: list) -> list:
    """Mark every view of ``patterns`` with ``login_not_required``.

    The project runs django's LoginRequiredMiddleware, which would redirect an anonymous API
    call to the HTML login page. API views authenticate themselves (token or session) and
    answer 401 JSON through DRF's ``IsAuthenticated``, so they opt out of the redirect.
    """
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            exempt_from_login_redirect(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
    return patterns


def int_param(request, name: str, *, minimum: int = 1, maximum: int = DB_INTEGER_MAX) -> int | None:
    """The whole number of query parameter ``name`` (None when absent or empty), or a French
    400 on that parameter: « abc », « 1.5 », « -1 » or « 10^30 » never reach the database
    (an identifier is at most PostgreSQL's integer)."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise serializers.ValidationError(
            {name: [f"Indiquez un nombre entier de {minimum} à {maximum}."]}
        )
    return int(raw)


class _ViewSet(Protocol):
    """What ``ApiViewSetMixin.created`` reads of the viewset it is mixed into."""

    basename: str
    request: Request


class ApiViewSetMixin:
    """Defaults of every viewset of the API."""

    # The types of GenericAPIView and APIView (the viewsets mix this in unparameterized).
    pagination_class: type[BasePagination] | None = Pagination
    filter_backends: Sequence[type[BaseFilterBackend | BaseFilterProtocol[Any]]] = [
        ScopedFilterBackend
    ]
    parser_classes: Sequence[type[BaseParser]] = [JsonParser, FormParser, MultiPartParser]

    def created(self: _ViewSet, obj, body) -> Response:
        """201 with the absolute address of the new object (its detail on this viewset) in
        « Location », so that a GET on it returns the object.

        The header is a plain ``str``: WSGI servers (wsgiref, gunicorn) refuse a ``str``
        subclass such as DRF's ``Hyperlink`` and answer 500 after the row was written."""
        path = reverse(f"api-v1:{self.basename}-detail", args=[obj.pk])
        location = str(self.request.build_absolute_uri(path))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    def get_success_headers(self, data) -> dict:
        """DRF's default creation takes « Location » from the body's ``url`` (a Hyperlink):
        a plain ``str`` of it, for the same reason as in ``created``."""
        url = data.get("url") if hasattr(data, "get") else None
        return {"Location": str(url)} if url else {}
