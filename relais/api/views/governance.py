"""API endpoints of the governance area, registered on the v1 router by relais.api.urls:

- ``instances/``: the bodies the user sees, with members, meeting rule and compliance;
- ``reunions/``: their meetings; create (plan) one, record it as held, post its minutes
  (text or PDF), send them to the members;
- ``bilans/``: the annual reports of the conventions.

Another territory's object answers 404; a visible object the user may not change, 403; a
refused request, 400 with the French message of the service.
"""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from relais.core.school_years import school_year_of
from relais.governance import selectors, services
from relais.governance.enums import BodyKind
from relais.governance.models import Attendance, BodyMember

from ..base import ApiViewSetMixin, int_param
from ..serializers.governance import (
    BodySerializer,
    MeetingCreateSerializer,
    MeetingSerializer,
    MinutesSentSerializer,
    MinutesWriteSerializer,
    ReportSerializer,
)

TAGS = ["Gouvernance"]
NOT_FOUND = OpenApiResponse(description="Objet inconnu ou hors du périmètre.")
FORBIDDEN = OpenApiResponse(description="Seule l'équipe qui anime l'instance peut agir.")
REFUSED = OpenApiResponse(description="Refusé : message en français (champ non_field_errors).")
CONVENTION = OpenApiParameter(
    "convention", OpenApiTypes.INT, description="Identifiant de la convention."
)
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant.")
SCOPE = (
    "Une instance est visible quand sa convention l'est, ou, pour un club, quand le club est "
    "dans le périmètre de l'utilisateur. Hors périmètre : 404."
)


@extend_schema_view(
    list=extend_schema(
        summary="Instances visibles",
        description=SCOPE + " Filtres : convention (identifiant), club (identifiant), kind.",
        tags=TAGS,
        parameters=[
            CONVENTION,
            OpenApiParameter("club", OpenApiTypes.INT, description="Identifiant du club."),
            OpenApiParameter(
                "kind", OpenApiTypes.STR, enum=BodyKind.values, description="Type d'instance."
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="Une instance",
        tags=TAGS,
        parameters=[ID],
        responses={200: BodySerializer, 404: NOT_FOUND},
    ),
)
class BodyViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = BodySerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        params = self.request.query_params
        kind = params.get("kind", "")
        return selectors.body_list(
            self.request.user,
            agreement_id=int_param(self.request, "convention"),
            club_id=int_param(self.request, "club"),
            kind=kind if kind in BodyKind.values else "",
        ).prefetch_related(
            Prefetch("members", queryset=BodyMember.objects.select_related("organisation"))
        )

    def _judge(self, bodies):
        today = timezone.localdate()
        return selectors.attach_compliance(bodies, school_year=school_year_of(today), today=today)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        data = self.get_serializer(self._judge(page), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        body = self._judge([self.get_object()])[0]
        return Response(self.get_serializer(body).data)


def _meeting_queryset(user):
    return selectors.meeting_list(user).prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("member")),
        "decisions",
        "action_items",
    )


@extend_schema_view(
    list=extend_schema(
        summary="Réunions visibles",
        description="Les réunions des instances visibles, les plus récentes d'abord. "
        "Filtre : body (identifiant de l'instance).",
        tags=TAGS,
        parameters=[
            OpenApiParameter("body", OpenApiTypes.INT, description="Identifiant de l'instance.")
        ],
    ),
    retrieve=extend_schema(
        summary="Une réunion",
        tags=TAGS,
        parameters=[ID],
        responses={200: MeetingSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Planifier une réunion",
        description="Réservé à l'équipe qui anime l'instance.",
        tags=TAGS,
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
)
class MeetingViewSet(
    ApiViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MeetingSerializer
    filter_backends = []
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = _meeting_queryset(self.request.user)
        body_id = int_param(self.request, "body")
        return queryset.filter(body_id=body_id) if body_id else queryset

    def get_serializer_class(self):
        if self.action == "create" or (self.action == "metadata" and self.request.method == "POST"):
            return MeetingCreateSerializer
        if self.action == "minutes":
            return MinutesWriteSerializer
        return MeetingSerializer

    def _render(self, meeting_id, code=status.HTTP_200_OK):
        meeting = self.get_queryset().get(pk=meeting_id)
        body = MeetingSerializer(meeting, context=self.get_serializer_context()).data
        return self.created(meeting, body) if code == status.HTTP_201_CREATED else Response(body)

    def create(self, request, *args, **kwargs):
        serializer = MeetingCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_plan(user=request.user, **serializer.validated_data)
        return self._render(meeting.pk, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Enregistrer la réunion comme tenue",
        description="Une réunion prévue dont le jour est arrivé.",
        tags=TAGS, parameters=[ID], request=None,
        responses={200: MeetingSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="tenue")
    def held(self, request, *args, **kwargs):
        meeting = self.get_object()
        services.meeting_mark_held(user=request.user, meeting=meeting)
        return self._render(meeting.pk)

    @extend_schema(
        summary="Déposer le compte rendu",
        description="Texte (minutes_text) et/ou PDF (minutes_file, multipart), pour une réunion "
        "tenue dont le compte rendu n'a pas encore été envoyé. Le PDF est vérifié sur son "
        "contenu et sa taille.",
        tags=TAGS, parameters=[ID], request=MinutesWriteSerializer,
        responses={200: MeetingSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="compte-rendu")
    def minutes(self, request, *args, **kwargs):
        meeting = self.get_object()
        serializer = MinutesWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.minutes_save(
            user=request.user,
            meeting=meeting,
            text=serializer.validated_data.get("minutes_text"),
            upload=serializer.validated_data.get("minutes_file"),
        )
        return self._render(meeting.pk)

    @extend_schema(
        summary="Envoyer le compte rendu aux membres",
        description="Une seule fois : à chaque membre actif ayant un courriel (modèle de "
        "convention CEE, article 6). Enregistre qui l'a envoyé et quand.",
        tags=TAGS, parameters=[ID], request=None,
        responses={200: MinutesSentSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND},
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="envoyer-compte-rendu")
    def send_minutes(self, request, *args, **kwargs):
        meeting = self.get_object()
        recipients = services.minutes_send(user=request.user, meeting=meeting)
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(
            {
                "recipients": recipients,
                "meeting": MeetingSerializer(meeting, context=self.get_serializer_context()).data,
            }
        )


@extend_schema_view(
    list=extend_schema(
        summary="Bilans annuels visibles",
        description="Les bilans des conventions visibles. Filtre : convention (identifiant).",
        tags=TAGS,
        parameters=[CONVENTION],
    ),
    retrieve=extend_schema(
        summary="Un bilan annuel",
        tags=TAGS,
        parameters=[ID],
        responses={200: ReportSerializer, 404: NOT_FOUND},
    ),
)
class ReportViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ReportSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.report_list(
            self.request.user, agreement_id=int_param(self.request, "convention")
        ).prefetch_related("results__commitment__party")


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("instances", BodyViewSet, basename="governance-body")
    router.register("reunions", MeetingViewSet, basename="governance-meeting")
    router.register("bilans", ReportViewSet, basename="governance-report")
