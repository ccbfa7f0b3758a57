"""API endpoints of the juries, registered on the v1 router by relais.api.urls:

- ``jurys/sessions/``: the exam sessions the user sees; the académie team creates them;
- ``jurys/jures/``: the jurors the user sees; an organisation names one (POST), the team
  convokes them and records presence (POST ``jurys/jures/<id>/<étape>/``).

Another territory's object answers 404; a visible object the user may not change, 403; a
refused request, 400 with the French message of the service.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from relais.juries import selectors, services

from ..base import ApiViewSetMixin
from ..serializers.juries import (
    ExamSessionSerializer,
    ExamSessionWriteSerializer,
    JurorSerializer,
    JurorWriteSerializer,
)

TAGS = ["Jurys d'examen"]
REFUSED = OpenApiResponse(description="Refusé : message en français.")
STEPS = ("convoquer", "constater_presence", "constater_absence", "retirer")


@extend_schema_view(
    list=extend_schema(summary="Sessions d'examen visibles", tags=TAGS),
    retrieve=extend_schema(summary="Une session d'examen", tags=TAGS),
)
class ExamSessionViewSet(ApiViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ExamSessionSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.session_list(user=self.request.user).order_by("date", "pk")

    @extend_schema(
        summary="Ouvrir une session (équipe académique)",
        tags=TAGS,
        request=ExamSessionWriteSerializer,
        responses={201: ExamSessionSerializer, 400: REFUSED, 403: REFUSED},
    )
    def create(self, request, *args, **kwargs):
        data = ExamSessionWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        session = services.session_create(
            user=request.user,
            academie=values.pop("academie"),
            establishment=values.pop("establishment"),
            data=values,
        )
        session = selectors.session_get(user=request.user, pk=session.pk)
        return self.created(session, ExamSessionSerializer(session).data)


@extend_schema_view(
    list=extend_schema(summary="Jurés visibles", tags=TAGS),
    retrieve=extend_schema(summary="Un juré", tags=TAGS),
)
class JurorViewSet(ApiViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = JurorSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return selectors.jurors_visible_to(user=self.request.user).order_by("session", "pk")

    @extend_schema(
        summary="Désigner un juré (organisation)",
        tags=TAGS,
        request=JurorWriteSerializer,
        responses={201: JurorSerializer, 400: REFUSED, 403: REFUSED},
    )
    def create(self, request, *args, **kwargs):
        data = JurorWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        session = get_object_or_404(
            selectors.sessions_visible_to(user=request.user), pk=values.pop("session").pk
        )
        juror = services.juror_name(
            user=request.user,
            session=session,
            organisation=values.pop("organisation"),
            advisor=values.pop("advisor"),
            data=values,
        )
        return self.created(juror, JurorSerializer(juror, context={"request": request}).data)

    @extend_schema(
        summary="Faire avancer un juré : convoquer, constater_presence, constater_absence, retirer",
        tags=TAGS,
        operation_id="v1_jurys_jures_step",
        parameters=[
            OpenApiParameter(
                "step", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(STEPS),
                description="L'étape à franchir.",
            )
        ],
        request=None,
        responses={200: JurorSerializer, 400: REFUSED, 403: REFUSED, 404: REFUSED},
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path=r"(?P<step>[a-z_]+)")
    def step(self, request, pk=None, step=""):
        if step not in STEPS:
            raise NotFound("Étape inconnue.")
        juror = self.get_object()
        if step == "convoquer":
            juror = services.juror_convoke(user=request.user, juror=juror)
        elif step == "retirer":
            juror = services.juror_withdraw(user=request.user, juror=juror)
        else:
            juror = services.juror_record(
                user=request.user, juror=juror, attended=step == "constater_presence"
            )
        return Response(JurorSerializer(juror, context={"request": request}).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("jurys/sessions", ExamSessionViewSet, basename="jury-session")
    router.register("jurys/jures", JurorViewSet, basename="jury-juror")
