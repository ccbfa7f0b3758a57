"""API of the library of kits and resources and of the preparation of the stage de 3e
(issue 15, items 1 and 2), registered on the v1 router:

- ``ressources/``: the library the user reaches (``public``, ``type`` filters), with each
  resource's current version, its history on the detail and, for those who manage it, its
  counts of uses; create one with its first version (académie or national team),
  ``nouvelle-version``, ``archiver``;
- ``stages/preparations/``: the classes going on their stage de 3e (``annee``), with their
  four contents done and, after the stage, their counts of reports and feedback (under 11
  hidden above the school); ``contenus`` marks a content done (or undone) for a class.

Another territory's object answers 404; a visible one the user may not change, 403; bad
input, 400 with French messages per field.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from relais.core import clock
from relais.core.school_years import school_year_label
from relais.internships.selectors import class_preparations, preparation_periods
from relais.internships.services import preparation_step_done, preparation_step_undo
from relais.pathways.selectors import SMALL_COUNT
from relais.pupils.perms import is_school_of
from relais.pupils.years import roster_year_of
from relais.resources import services
from relais.resources.models import Resource
from relais.resources.perms import can_manage_resources
from relais.resources.selectors import resources_visible_to, with_use_counts
from relais.territories.models import Academie

from ..base import ApiViewSetMixin, int_param
from ..serializers.resources import (
    ClassPreparationSerializer,
    PreparationStepWriteSerializer,
    ResourceDetailSerializer,
    ResourceSerializer,
    ResourceVersionWriteSerializer,
    ResourceWriteSerializer,
)

TAGS = ["Kits et ressources"]
PREP_TAGS = ["Préparation du stage de 3e"]


@extend_schema_view(
    list=extend_schema(
        summary="Bibliothèque des kits et ressources",
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "public", OpenApiTypes.STR, description="entreprises, equipes, partenaires"
            ),
            OpenApiParameter(
                "type", OpenApiTypes.STR,
                description="kit_tuteur, boite_outils, preparation, formation, guide",
            ),
        ],
    ),
    retrieve=extend_schema(summary="Une ressource et ses versions", tags=TAGS),
    create=extend_schema(
        summary="Ajouter une ressource avec sa première version", tags=TAGS,
        request=ResourceWriteSerializer, responses={201: ResourceDetailSerializer},
    ),
    new_version=extend_schema(
        summary="Publier une nouvelle version (les anciennes restent)", tags=TAGS,
        request=ResourceVersionWriteSerializer, responses={200: ResourceDetailSerializer},
    ),
    archive=extend_schema(
        summary="Archiver une ressource", tags=TAGS, request=None,
        responses={200: ResourceDetailSerializer},
    ),
)  # fmt: skip
class ResourceViewSet(ApiViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_regex = r"\d+"
    filter_backends: list = []

    def get_queryset(self):
        queryset = resources_visible_to(user=self.request.user)
        if self.action == "list":
            queryset = queryset.filter(archived_at__isnull=True)
            params = self.request.query_params
            if params.get("public"):
                queryset = queryset.filter(audience=params["public"])
            if params.get("type"):
                queryset = queryset.filter(kind=params["type"])
        if can_manage_resources(self.request.user):
            queryset = with_use_counts(queryset)
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("versions")
        return queryset.order_by("audience", "kind", "title", "pk")

    def get_serializer_class(self):
        return ResourceSerializer if self.action == "list" else ResourceDetailSerializer

    def _render(self, resource: Resource) -> dict:
        fresh = self.get_queryset().get(pk=resource.pk)
        return ResourceDetailSerializer(fresh, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        if not can_manage_resources(request.user):
            raise PermissionDenied(
                "Seules les équipes académique et nationale ajoutent des ressources."
            )
        serializer = ResourceWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        code = data.pop("academie")
        academie = None
        if code:
            academie = Academie.objects.filter(code=code).first()
            if academie is None:
                raise serializers.ValidationError(
                    {"academie": [f"Académie inconnue : « {code} »."]}
                )
        version = services.VersionData(
            body=data.pop("body"), url=data.pop("url"), note=data.pop("note")
        )
        # The service's French ValidationError and PermissionDenied become 400 and 403
        # (relais.api.exceptions).
        resource = services.resource_create(
            user=request.user, resource=Resource(academie=academie, **data), version=version
        )
        return self.created(resource, self._render(resource))

    @action(detail=True, methods=["post"], url_path="nouvelle-version")
    def new_version(self, request, pk=None):
        resource = get_object_or_404(resources_visible_to(user=request.user), pk=pk)
        serializer = ResourceVersionWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.resource_version_add(
            user=request.user, resource=resource,
            version=services.VersionData(**serializer.validated_data),
        )  # fmt: skip
        return Response(self._render(resource))

    @action(detail=True, methods=["post"], url_path="archiver")
    def archive(self, request, pk=None):
        resource = get_object_or_404(resources_visible_to(user=request.user), pk=pk)
        services.resource_archive(user=request.user, resource=resource)
        return Response(self._render(resource))


def _shown(value: int, school: bool) -> int | None:
    return value if school or value == 0 or value >= SMALL_COUNT else None


def preparation_row(row, user) -> dict:
    school = is_school_of(user, row.period.establishment_id)
    return {
        "period": row.period,
        "class_label": row.class_label,
        "done": {topic: step.done_on for topic, step in row.steps.items()},
        "prepared": row.prepared,
        "pupils": _shown(row.pupils, school),
        "reports": _shown(row.reports, school),
        "placements": _shown(row.placements, school),
        "feedbacks": _shown(row.feedbacks, school),
    }


@extend_schema_view(
    list=extend_schema(
        summary="Classes qui partent en stage de 3e et leur préparation",
        tags=PREP_TAGS,
        parameters=[
            OpenApiParameter("annee", OpenApiTypes.INT, description="Année de la rentrée.")
        ],
        responses={200: ClassPreparationSerializer(many=True)},
    ),
    step=extend_schema(
        summary="Marquer un contenu de la préparation fait (ou à refaire) pour une classe",
        tags=PREP_TAGS,
        request=PreparationStepWriteSerializer,
        responses={200: ClassPreparationSerializer},
    ),
)
class PreparationViewSet(ApiViewSetMixin, viewsets.GenericViewSet):
    serializer_class = ClassPreparationSerializer
    filter_backends: list = []

    def get_queryset(self):
        return preparation_periods(user=self.request.user)

    def list(self, request):
        year = int_param(request, "annee", minimum=1990, maximum=2099)
        year = year or roster_year_of(clock.today())  # the internship year (1 August)
        periods = self.get_queryset().filter(school_year=school_year_label(year))
        rows = class_preparations(periods.order_by("start", "establishment__name", "pk"))
        page = self.paginate_queryset(rows)
        data = ClassPreparationSerializer(
            [preparation_row(r, request.user) for r in page], many=True
        ).data
        return self.get_paginated_response(data)

    @action(detail=False, methods=["post"], url_path="contenus")
    def step(self, request):
        serializer = PreparationStepWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        period = get_object_or_404(self.get_queryset(), pk=data["period"])
        if not is_school_of(request.user, period.establishment_id):
            raise PermissionDenied(
                "Seule l'équipe de l'établissement prépare ses classes au stage."
            )
        if data.get("done_on"):
            preparation_step_done(
                user=request.user, period=period, class_label=data["class_label"],
                topic=data["topic"], done_on=data["done_on"], note=data["note"],
            )  # fmt: skip
        else:
            preparation_step_undo(
                user=request.user, period=period, class_label=data["class_label"],
                topic=data["topic"],
            )  # fmt: skip
        row = next(r for r in class_preparations([period]) if r.class_label == data["class_label"])
        return Response(ClassPreparationSerializer(preparation_row(row, request.user)).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("ressources", ResourceViewSet, basename="resource")
    router.register("stages/preparations", PreparationViewSet, basename="preparation")
