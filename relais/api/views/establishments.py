"""Établissements, scoped by ``establishments_visible_to``; filters are the web list's."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets

from relais.establishments.selectors import establishment_get, establishment_list
from relais.users.scopes import get_reach

from ..base import ApiViewSetMixin
from ..filters import EstablishmentApiFilter
from ..serializers.establishments import EstablishmentSerializer

DESCRIPTION = (
    "Les établissements du périmètre de l'utilisateur (son académie, son bassin ou son "
    "établissement) ; un établissement hors de ce périmètre répond 404."
)


@extend_schema_view(
    list=extend_schema(
        summary="Établissements",
        description=DESCRIPTION + " Les filtres sont ceux de la liste de l'application.",
        tags=["Établissements"],
    ),
    retrieve=extend_schema(
        summary="Un établissement",
        description=DESCRIPTION,
        tags=["Établissements"],
        parameters=[
            OpenApiParameter(
                "uai", OpenApiTypes.STR, OpenApiParameter.PATH, description="UAI, ex. 0341234A."
            )
        ],
    ),
)
class EstablishmentViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """An établissement outside the user's reach is absent from the list and answers 404."""

    serializer_class = EstablishmentSerializer
    lookup_field = "uai"
    lookup_value_regex = r"[0-9A-Za-z]{8}"
    filterset_class = EstablishmentApiFilter

    def get_queryset(self):
        return establishment_list(reach=get_reach(self.request.user)).select_related("departement")

    def get_object(self):
        return establishment_get(reach=get_reach(self.request.user), uai=self.kwargs["uai"])
