"""API of the pôles de stages themselves and of their engine runs, registered with the
internships' routes (``relais.api.views.internships.register``):

- ``/api/v1/stages/poles/``: the pôles the user sees (bassin or filière), with the fairness
  policy each chose;
- ``/api/v1/stages/calculs/``: the engine's runs of the user's pôles (and of their académie
  for its team): policy, achievable range of priority placements, changes since the previous
  run, advice. Figures only: the suggestions name pupils and stay on the pôle's pages.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets

from relais.internships.selectors import hubs_visible_to, runs_visible_to

from ..base import ApiViewSetMixin
from ..serializers.hubs import HubSerializer, RunSerializer

TAGS = ["Pôles de stages"]
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant.")
NOT_FOUND = OpenApiResponse(description="Inconnu ou hors du périmètre de l'utilisateur.")


@extend_schema_view(
    list=extend_schema(
        summary="Pôles de stages",
        description="Les pôles des bassins et académies de l'utilisateur (tous pour "
        "l'administration nationale), de bassin ou de filière, et leur règle d'équité.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="Un pôle de stages",
        tags=TAGS,
        parameters=[ID],
        responses={200: HubSerializer, 404: NOT_FOUND},
    ),
)
class HubViewSet(
    ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = HubSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return hubs_visible_to(user=self.request.user).order_by("name", "pk")


@extend_schema_view(
    list=extend_schema(
        summary="Calculs de placement",
        description="Les calculs des pôles de l'utilisateur (et, pour l'équipe académique, "
        "ceux qui couvrent toute son académie), les plus récents d'abord : règle d'équité, "
        "intervalle atteignable, changements depuis le calcul précédent, conseils. Chiffres "
        "seulement.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="Un calcul de placement",
        tags=TAGS,
        parameters=[ID],
        responses={200: RunSerializer, 404: NOT_FOUND},
    ),
)
class RunViewSet(
    ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = RunSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return runs_visible_to(user=self.request.user).order_by("-created_at", "-pk")
