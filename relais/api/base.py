"""Plumbing shared by every API view: pagination, filtering with the user's reach, parsers,
and the exemption from the HTML login redirect."""

from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, URLResolver
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser

from .parsers import JsonParser


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


class ApiViewSetMixin:
    """Defaults of every viewset of the API."""

    pagination_class = Pagination
    filter_backends = [ScopedFilterBackend]
    parser_classes = [JsonParser, FormParser, MultiPartParser]
