"""Reference data: académies and bassins (scoped), départements and communes (public)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from relais.territories.models import Commune, Departement
from relais.territories.selectors import academies_visible_to, bassins_visible_to
from relais.users.scopes import get_reach

from ..base import ApiViewSetMixin
from ..filters import BassinApiFilter, CommuneApiFilter, DepartementApiFilter
from ..serializers.territories import (
    AcademieSerializer,
    BassinSerializer,
    CommuneSerializer,
    DepartementSerializer,
)

TAGS = ["Territoires"]
PUBLIC = "Données de référence publiques, lisibles par tout utilisateur connecté."


def read_only_schema(*, plural: str, one: str, description: str, key: str, key_help: str):
    """French summaries and descriptions of a read-only viewset (list and retrieve)."""
    parameter = OpenApiParameter(
        key, OpenApiTypes.STR, OpenApiParameter.PATH, required=True, description=key_help
    )
    return extend_schema_view(
        list=extend_schema(summary=plural, description=description, tags=TAGS),
        retrieve=extend_schema(
            summary=one, description=description, tags=TAGS, parameters=[parameter]
        ),
    )


@read_only_schema(
    plural="Académies",
    one="Une académie",
    description="Les académies du périmètre de l'utilisateur : toutes au niveau national, "
    "sinon la sienne. Une autre académie répond 404.",
    key="code",
    key_help="Code de l'académie, par exemple « 11 ».",
)
class AcademieViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Académies the user reaches: all for the national level, otherwise theirs."""

    serializer_class = AcademieSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z]{1,3}"
    filter_backends: list = []

    def get_queryset(self):
        return academies_visible_to(reach=get_reach(self.request.user)).order_by("name", "code")


@read_only_schema(
    plural="Bassins de formation",
    one="Un bassin de formation",
    description="Les bassins du périmètre de l'utilisateur : ceux de son académie, son "
    "bassin, celui de son établissement. Un autre bassin répond 404.",
    key="code",
    key_help="Code du bassin, par exemple « 11011 ».",
)
class BassinViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Bassins the user reaches: those of their académie, their bassin, their school's."""

    serializer_class = BassinSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z_-]{1,10}"
    filterset_class = BassinApiFilter

    def get_queryset(self):
        return bassins_visible_to(reach=get_reach(self.request.user)).order_by("name", "code")


@read_only_schema(
    plural="Départements",
    one="Un département",
    description=PUBLIC,
    key="code",
    key_help="Code INSEE du département : 34, 2A, 971.",
)
class DepartementViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Public reference data, readable by any signed-in user."""

    serializer_class = DepartementSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z]{1,3}"
    filterset_class = DepartementApiFilter
    queryset = Departement.objects.select_related("academie").order_by("code")


@read_only_schema(
    plural="Communes",
    one="Une commune",
    description=PUBLIC,
    key="insee",
    key_help="Code INSEE de la commune, par exemple « 34172 ».",
)
class CommuneViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Public reference data, readable by any signed-in user."""

    serializer_class = CommuneSerializer
    lookup_field = "insee_code"
    lookup_url_kwarg = "insee"
    lookup_value_regex = r"[0-9AB]{5}"
    filterset_class = CommuneApiFilter
    queryset = Commune.objects.select_related("departement").order_by("name", "insee_code")
