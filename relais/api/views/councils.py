"""API endpoints of the conseils sectoriels nationaux (Mesure 5), registered on the v1
router by relais.api.urls:

- ``conseils-sectoriels/``: the councils, visible nationally, with members, meetings and
  recommendations;
- ``recommandations/``: their recommendations; the national administration adds one.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from relais.governance import selectors, services
from relais.governance.enums import BodyKind

from ..base import ApiViewSetMixin
from ..serializers.councils import (
    CouncilSerializer,
    RecommendationSerializer,
    RecommendationWriteSerializer,
)

TAGS = ["Conseils sectoriels nationaux"]
REFUSED = OpenApiResponse(description="Refusé : message en français.")


@extend_schema_view(
    list=extend_schema(summary="Conseils sectoriels nationaux", tags=TAGS),
    retrieve=extend_schema(summary="Un conseil sectoriel national", tags=TAGS),
)
class CouncilViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CouncilSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.council_list(self.request.user).prefetch_related(
            "members__organisation", "meetings", "recommendations"
        )


@extend_schema_view(
    list=extend_schema(summary="Recommandations des conseils sectoriels", tags=TAGS),
    retrieve=extend_schema(summary="Une recommandation", tags=TAGS),
)
class RecommendationViewSet(
    ApiViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = RecommendationSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.recommendations_visible_to(self.request.user).order_by("-pk")

    @extend_schema(
        summary="Ajouter une recommandation (administration nationale)",
        tags=TAGS,
        request=RecommendationWriteSerializer,
        responses={201: RecommendationSerializer, 400: REFUSED, 403: REFUSED},
    )
    def create(self, request, *args, **kwargs):
        data = RecommendationWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        council = get_object_or_404(
            selectors.bodies_visible_to(request.user).filter(kind=BodyKind.SECTOR_COUNCIL),
            pk=values["council"],
        )
        meeting = (
            get_object_or_404(council.meetings.all(), pk=values["meeting"])
            if values["meeting"]
            else None
        )
        recommendation = services.recommendation_add(
            user=request.user,
            body=council,
            topic=values["topic"],
            text=values["text"],
            meeting=meeting,
            addressed_to=values["addressed_to"],
        )
        return self.created(recommendation, RecommendationSerializer(recommendation).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("conseils-sectoriels", CouncilViewSet, basename="council")
    router.register("recommandations", RecommendationViewSet, basename="recommendation")
