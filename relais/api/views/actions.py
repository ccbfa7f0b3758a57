"""API endpoints of the catalogue of actions, registered on the v1 router:

- ``actions/offres/``: the catalogue (``etablissement=<UAI>`` sorts by distance from that
  school and keeps the offers whose area covers it; ``distance`` caps it in km); create an
  offer (a draft), publish it (``publier``), close it (``clore``);
- ``actions/demandes/``: requests; create one (a school), then ``accepter``, ``refuser``
  (message required), ``annuler``, ``realiser`` (records the action done).

Each offer and request says which of these the user may do now (``available_transitions``,
from the workflows of relais.actions.workflows).

Another territory's object answers 404; a visible request the user may not answer, 403;
a refused transition, 400 with the French message.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from relais.actions import services
from relais.actions.filters import OfferFilter, RequestFilter
from relais.actions.perms import can_create_offer
from relais.actions.selectors import catalogue_near, offer_list, request_list
from relais.establishments.selectors import establishments_visible_to
from relais.users.scopes import get_reach

from ..base import ApiViewSetMixin, int_param
from ..serializers.actions import (
    ActionRequestDetailSerializer,
    ActionRequestSerializer,
    ActionRequestWriteSerializer,
    AnswerSerializer,
    CompleteSerializer,
    OfferSerializer,
    OfferWriteSerializer,
)

TAGS = ["Catalogue d'actions"]
NOT_FOUND = OpenApiResponse(description="Objet inconnu ou hors du périmètre.")
REFUSED = OpenApiResponse(description="Refusé : erreurs par champ, en français.")
FORBIDDEN = OpenApiResponse(description="Action non permise à cet utilisateur.")
MAX_KM = 20_000  # around the Earth: La Réunion or Nouméa and Paris are within it
NEAR = [
    OpenApiParameter("etablissement", OpenApiTypes.STR, description="UAI : tri par distance."),
    OpenApiParameter(
        "distance", OpenApiTypes.INT, description=f"Distance maximale (km, de 0 à {MAX_KM})."
    ),
]


@extend_schema_view(
    list=extend_schema(
        summary="Catalogue des actions",
        description="Offres publiées des académies de l'utilisateur, et toutes celles qu'il "
        "gère (brouillons compris).",
        tags=TAGS,
        parameters=NEAR,
    ),
    retrieve=extend_schema(
        summary="Une offre", tags=TAGS, responses={200: OfferSerializer, 404: NOT_FOUND}
    ),  # fmt: skip
    create=extend_schema(
        summary="Proposer une action (brouillon)",
        tags=TAGS,
        request=OfferWriteSerializer,
        responses={201: OfferSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
    publish=extend_schema(
        summary="Publier une offre",
        tags=TAGS,
        request=None,
        responses={200: OfferSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),  # fmt: skip
    close=extend_schema(
        summary="Clore une offre (elle quitte le catalogue ; ses demandes continuent)",
        tags=TAGS,
        request=None,
        responses={200: OfferSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),  # fmt: skip
)
class OfferViewSet(ApiViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = OfferFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = offer_list(user=self.request.user)
        uai = self.request.query_params.get("etablissement", "").strip().upper()
        if self.action == "list" and uai:
            school = (
                establishments_visible_to(reach=get_reach(self.request.user))
                .filter(uai=uai)
                .first()
            )
            if school is None:
                raise ApiValidationError({"etablissement": [f"Établissement inconnu : « {uai} »."]})
            distance = int_param(self.request, "distance", minimum=0, maximum=MAX_KM)
            return catalogue_near(queryset, school, max_km=distance)
        return queryset.order_by("-published_at", "title", "pk")

    def get_serializer_class(self):
        return OfferWriteSerializer if self.action == "create" else OfferSerializer

    def _render(self, offer):
        offer = offer_list(user=self.request.user).get(pk=offer.pk)
        return OfferSerializer(offer, context=self.get_serializer_context()).data

    def create(self, request, *args, **kwargs):
        if not can_create_offer(request.user):
            raise PermissionDenied("Vous ne pouvez pas publier d'offre.")
        serializer = OfferWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        offer = services.offer_save(user=request.user, data=serializer.validated_data)
        return self.created(offer, self._render(offer))

    @action(detail=True, methods=["post"], url_path="publier")
    def publish(self, request, *args, **kwargs):
        offer = services.offer_publish(user=request.user, offer=self.get_object())
        return Response(self._render(offer))

    @action(detail=True, methods=["post"], url_path="clore")
    def close(self, request, *args, **kwargs):
        offer = services.offer_close(user=request.user, offer=self.get_object())
        return Response(self._render(offer))


def _transition_schema(summary, serializer):
    return extend_schema(
        summary=summary, tags=TAGS, request=serializer,
        responses={200: ActionRequestDetailSerializer, 400: REFUSED, 403: FORBIDDEN,
                   404: NOT_FOUND},
    )  # fmt: skip


@extend_schema_view(
    list=extend_schema(
        summary="Demandes d'actions",
        description="Celles des établissements de l'utilisateur (ou de son bassin, de son "
        "académie pour l'équipe académique) et celles reçues pour ses offres.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="Une demande et son journal",
        tags=TAGS,
        responses={200: ActionRequestDetailSerializer, 404: NOT_FOUND},
    ),  # fmt: skip
    create=extend_schema(
        summary="Demander une action (établissement)",
        tags=TAGS,
        request=ActionRequestWriteSerializer,
        responses={201: ActionRequestDetailSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
    accept=_transition_schema("Accepter (partenaire)", AnswerSerializer),
    decline=_transition_schema("Refuser avec un message (partenaire)", AnswerSerializer),
    cancel=_transition_schema("Annuler", AnswerSerializer),
    complete=_transition_schema("Déclarer l'action réalisée", CompleteSerializer),
)
class ActionRequestViewSet(
    ApiViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):  # fmt: skip
    filterset_class = RequestFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = request_list(user=self.request.user).order_by("-created_at", "pk")
        if self.action != "list":
            queryset = queryset.prefetch_related("journal")
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return ActionRequestWriteSerializer
        return ActionRequestSerializer if self.action == "list" else ActionRequestDetailSerializer

    def _render(self, request_obj, code=status.HTTP_200_OK):
        fresh = get_object_or_404(self.get_queryset(), pk=request_obj.pk)
        body = ActionRequestDetailSerializer(fresh, context=self.get_serializer_context()).data
        return self.created(fresh, body) if code == status.HTTP_201_CREATED else Response(body)

    def create(self, request, *args, **kwargs):
        serializer = ActionRequestWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        sent = services.request_send(user=request.user, **serializer.validated_data)
        return self._render(sent, status.HTTP_201_CREATED)

    def _answer(self, request, service):
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = service(user=request.user, request=self.get_object(),
                       message=serializer.validated_data["message"])  # fmt: skip
        return self._render(done)

    @action(detail=True, methods=["post"], url_path="accepter")
    def accept(self, request, *args, **kwargs):
        return self._answer(request, services.request_accept)

    @action(detail=True, methods=["post"], url_path="refuser")
    def decline(self, request, *args, **kwargs):
        return self._answer(request, services.request_decline)

    @action(detail=True, methods=["post"], url_path="annuler")
    def cancel(self, request, *args, **kwargs):
        return self._answer(request, services.request_cancel)

    @action(detail=True, methods=["post"], url_path="realiser")
    def complete(self, request, *args, **kwargs):
        serializer = CompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        action_request = self.get_object()
        services.request_complete(user=request.user, request=action_request,
                                  **serializer.validated_data)  # fmt: skip
        return self._render(action_request)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("actions/offres", OfferViewSet, basename="action-offer")
    router.register("actions/demandes", ActionRequestViewSet, basename="action-request")
