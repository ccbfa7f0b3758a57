"""Reference data: académies and bassins (scoped), départements and communes (public)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from relais.territories.models import Commune, Departement
from relais.territories.selectors import academies_visible_to, bassins_visible_to

from ..base import ApiViewSetMixin
from ..filters import BassinApiFilter, CommuneApiFilter, DepartementApiFilter
from ..serializers.territories import (
    AcademieSerializer,
    BassinSerializer,
    CommuneSerializer,
    DepartementSerializer,
)


def _code_parameter(name: str, description: str) -> OpenApiParameter:
    return OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.PATH, description=description)


@extend_schema_view(
    list=extend_schema(summary="Académies visibles", tags=["Territoires"]),
    retrieve=extend_schema(
        summary="Une académie",
        tags=["Territoires"],
        parameters=[_code_parameter("code", "Code de l'académie.")],
    ),
)
class AcademieViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Académies the user reaches: all for the national level, otherwise theirs."""

    serializer_class = AcademieSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z]{1,3}"
    filter_backends: list = []

    def get_queryset(self):
        return academies_visible_to(user=self.request.user).order_by("name", "code")


@extend_schema_view(
    list=extend_schema(summary="Bassins de formation visibles", tags=["Territoires"]),
    retrieve=extend_schema(
        summary="Un bassin de formation",
        tags=["Territoires"],
        parameters=[_code_parameter("code", "Code du bassin.")],
    ),
)
class BassinViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Bassins the user reaches: those of their académie, their bassin, their school's."""

    serializer_class = BassinSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z_-]{1,10}"
    filterset_class = BassinApiFilter

    def get_queryset(self):
        return bassins_visible_to(user=self.request.user).order_by("name", "code")


@extend_schema_view(
    list=extend_schema(summary="Départements", tags=["Territoires"]),
    retrieve=extend_schema(
        summary="Un département",
        tags=["Territoires"],
        parameters=[_code_parameter("code", "Code INSEE du département : 34, 2A, 971.")],
    ),
)
class DepartementViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Public reference data, readable by any signed-in user."""

    serializer_class = DepartementSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z]{1,3}"
    filterset_class = DepartementApiFilter
    queryset = Departement.objects.select_related("academie").order_by("code")


@extend_schema_view(
    list=extend_schema(summary="Communes", tags=["Territoires"]),
    retrieve=extend_schema(
        summary="Une commune",
        tags=["Territoires"],
        parameters=[_code_parameter("insee", "Code INSEE de la commune, par exemple 34172.")],
    ),
)
class CommuneViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Public reference data, readable by any signed-in user."""

    serializer_class = CommuneSerializer
    lookup_field = "insee_code"
    lookup_url_kwarg = "insee"
    lookup_value_regex = r"[0-9AB]{5}"
    filterset_class = CommuneApiFilter
    queryset = Commune.objects.select_related("departement").order_by("name", "insee_code")
