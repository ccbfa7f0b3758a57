"""API endpoints of the volunteers area, registered on the v1 router by relais.api.urls:

- ``conseillers/``: CEE and CET (read; POST = a proposal by an organisation, art. 3);
- ``conseillers-interventions/``: their interventions (read; POST records one);
- ``reservistes/``: validated reservists near the user's school (teachers, académie team);
- ``sollicitations/``: requests to reservists (read; POST sends one; accept / decline);
- ``immersions/`` and ``immersions-candidatures/``: offers, applications (POST applies;
  ``approve`` records the académie's or the company's validation).

Every list is scoped like the pages; another territory's object answers 404; a refused rule
answers 400 with the French message, a refused action 403.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from relais.organisations.selectors import organisations_visible_to
from relais.users.scopes import get_reach
from relais.volunteers import perms
from relais.volunteers.filters import (
    AdvisorFilter,
    ImmersionApplicationFilter,
    InterventionFilter,
    OfferFilter,
    RequestFilter,
)
from relais.volunteers.models import AdvisorSeat
from relais.volunteers.selectors import (
    advisor_list,
    advisors_visible_to,
    cee_agreements_in_force,
    immersion_applications_visible_to,
    interventions_visible_to,
    offers_visible_to,
    requests_visible_to,
    reservist_search,
    reservists_visible_to,
)
from relais.volunteers.services import advisors as advisor_services
from relais.volunteers.services import immersions as immersion_services
from relais.volunteers.services import reserve as reserve_services

from ..base import ApiViewSetMixin, int_param
from ..serializers.volunteers import (
    AdvisorSerializer,
    AdvisorWriteSerializer,
    ImmersionApplicationSerializer,
    ImmersionApplyWriteSerializer,
    ImmersionOfferSerializer,
    InterventionSerializer,
    InterventionWriteSerializer,
    ReserveAnswerSerializer,
    ReserveRequestSerializer,
    ReserveRequestWriteSerializer,
    ReservistSerializer,
)

NOT_FOUND = OpenApiResponse(description="Objet inconnu ou hors du périmètre.")
REFUSED = OpenApiResponse(description="Refusé : erreurs par champ, en français.")
FORBIDDEN = OpenApiResponse(description="Action non permise à cet utilisateur.")


def _unknown(field: str, message: str):
    return serializers.ValidationError({field: [message]})


class _ReadCreate(
    ApiViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"
    write_serializer: type[serializers.BaseSerializer] | None = None

    def get_serializer_class(self):
        if self.action == "create" or (self.action == "metadata" and self.request.method == "POST"):
            return self.write_serializer
        return self.serializer_class

    def _created(self, obj) -> Response:
        read = self.serializer_class
        assert read is not None  # every viewset names its read serializer
        return self.created(obj, read(obj, context=self.get_serializer_context()).data)


@extend_schema(tags=["Conseillers CEE et CET"])
class AdvisorViewSet(_ReadCreate):
    """CEE and CET the user sees. POST proposes a candidate (art. 3 of the model convention)."""

    serializer_class = AdvisorSerializer
    write_serializer = AdvisorWriteSerializer
    filterset_class = AdvisorFilter

    def get_queryset(self):
        return (
            advisor_list(user=self.request.user)
            .prefetch_related(
                Prefetch(
                    "seats", queryset=AdvisorSeat.objects.select_related("club", "campus", "bassin")
                )
            )
            .order_by("last_name", "first_name", "pk")
        )

    @extend_schema(summary="Proposer un candidat", responses={201: AdvisorSerializer,
                   400: REFUSED, 403: FORBIDDEN})  # fmt: skip
    def create(self, request, *args, **kwargs):
        if not perms.can_propose_advisor(request.user):
            raise PermissionDenied("Seule une organisation professionnelle propose des candidats.")
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        user = request.user
        organisation = organisations_visible_to(reach=get_reach(user)).filter(
            pk=values.pop("organisation").pk
        )
        organisation = organisation.first()
        if organisation is None:
            raise _unknown("organisation", "Organisation inconnue ou hors de votre périmètre.")
        agreement = None
        if values.get("agreement"):
            agreement = cee_agreements_in_force(user=user).filter(number=values["agreement"])
            agreement = agreement.first()
            if agreement is None:
                raise _unknown("agreement", "Convention CEE en vigueur inconnue.")
        academie = values.pop("academie", None) or (agreement.academie if agreement else None)
        academie = academie or organisation.academie
        if academie is None:
            raise _unknown("academie", "Indiquez l'académie.")
        advisor = advisor_services.advisor_propose(
            user=user, kind=values.pop("kind"), academie=academie, organisation=organisation,
            agreement=agreement, data=values,
        )  # fmt: skip
        return self._created(advisor)


@extend_schema(tags=["Conseillers CEE et CET"])
class InterventionViewSet(_ReadCreate):
    """Interventions of the CEE and CET (domain of art. 2, school, date, hours)."""

    serializer_class = InterventionSerializer
    write_serializer = InterventionWriteSerializer
    filterset_class = InterventionFilter

    def get_queryset(self):
        return interventions_visible_to(user=self.request.user).order_by("-date", "-pk")

    @extend_schema(summary="Enregistrer une intervention", responses={
        201: InterventionSerializer, 400: REFUSED, 403: FORBIDDEN})  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        advisor = advisors_visible_to(user=request.user).filter(pk=values.pop("advisor")).first()
        if advisor is None:
            raise _unknown("advisor", "Conseiller inconnu ou hors de votre périmètre.")
        intervention = advisor_services.intervention_record(
            user=request.user, advisor=advisor, **values
        )
        return self._created(intervention)


MAX_RADIUS_KM = 1000
SEARCH_PARAMETERS = [
    OpenApiParameter("skill", OpenApiTypes.STR, description="Apport (metier, orientation…)."),
    OpenApiParameter("availability", OpenApiTypes.STR, description="Disponibilité."),
    OpenApiParameter(
        "radius", OpenApiTypes.INT, description=f"Rayon en km (1 à {MAX_RADIUS_KM}, défaut 30)."
    ),
    OpenApiParameter("q", OpenApiTypes.STR, description="Mot-clé (profession, secteur)."),
]


@extend_schema(tags=["Réserve citoyenne"])
class ReservistViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Validated reservists near the user's school, nearest first (teachers, heads of school,
    académie team)."""

    serializer_class = ReservistSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        user = self.request.user
        if not perms.can_search_reserve(user):
            raise PermissionDenied("La recherche de réservistes est réservée aux établissements.")
        params = self.request.query_params
        if self.action != "list":
            return reservist_search(user=user, school=None)
        radius = int_param(self.request, "radius", maximum=MAX_RADIUS_KM) or 30
        return reservist_search(
            user=user, school=perms.school_of(user), radius_km=radius,
            skill=params.get("skill", ""), availability=params.get("availability", ""),
            query=params.get("q", ""),
        )  # fmt: skip

    @extend_schema(summary="Réservistes proches de l'établissement", parameters=SEARCH_PARAMETERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="Un réserviste", responses={200: ReservistSerializer, 404: NOT_FOUND})
    def retrieve(self, request, *args, **kwargs):
        visible = reservist_search(user=request.user, school=None)  # counts its interventions
        reservist = get_object_or_404(visible, pk=kwargs["pk"])
        return Response(self.get_serializer(reservist).data)


@extend_schema(tags=["Réserve citoyenne"])
class RequestViewSet(_ReadCreate):
    """Requests to reservists: the school sends, the reservist accepts or declines."""

    serializer_class = ReserveRequestSerializer
    write_serializer = ReserveRequestWriteSerializer
    filterset_class = RequestFilter

    def get_queryset(self):
        return requests_visible_to(user=self.request.user).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action in ("accept", "decline"):
            return ReserveAnswerSerializer
        return super().get_serializer_class()

    @extend_schema(summary="Solliciter un réserviste", responses={
        201: ReserveRequestSerializer, 400: REFUSED, 403: FORBIDDEN})  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        school = perms.school_of(request.user)
        if school is None:
            raise PermissionDenied("Seule l'équipe d'un établissement sollicite un réserviste.")
        reservist = reservists_visible_to(user=request.user).filter(pk=values.pop("reservist"))
        reservist = reservist.first()
        if reservist is None:
            raise _unknown("reservist", "Réserviste inconnu ou hors de votre académie.")
        item = reserve_services.request_send(
            user=request.user, reservist=reservist, establishment=school, **values
        )
        return self._created(item)

    def _answer(self, request, accept: bool):
        item = self.get_object()
        data = ReserveAnswerSerializer(data=request.data or {})
        data.is_valid(raise_exception=True)
        item = reserve_services.request_answer(
            user=request.user, request=item, accept=accept, note=data.validated_data["note"]
        )
        return Response(ReserveRequestSerializer(item).data)

    @extend_schema(summary="Accepter (le réserviste)", responses={
        200: ReserveRequestSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND})  # fmt: skip
    @action(detail=True, methods=["post"])
    def accept(self, request, *args, **kwargs):
        return self._answer(request, True)

    @extend_schema(summary="Décliner (le réserviste)", responses={
        200: ReserveRequestSerializer, 400: REFUSED, 403: FORBIDDEN, 404: NOT_FOUND})  # fmt: skip
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        return self._answer(request, False)


@extend_schema(tags=["Immersions"])
class OfferViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Immersion offers of companies (1 to 3 days, dates, capacity)."""

    serializer_class = ImmersionOfferSerializer
    filterset_class = OfferFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return offers_visible_to(user=self.request.user)


@extend_schema(tags=["Immersions"])
class ImmersionApplicationViewSet(_ReadCreate):
    """Teachers' applications; the académie and the company validate jointly."""

    serializer_class = ImmersionApplicationSerializer
    write_serializer = ImmersionApplyWriteSerializer
    filterset_class = ImmersionApplicationFilter

    def get_queryset(self):
        return immersion_applications_visible_to(user=self.request.user).order_by(
            "-created_at", "-pk"
        )

    def get_serializer_class(self):
        if self.action == "approve":
            return None
        return super().get_serializer_class()

    @extend_schema(summary="Candidater à une immersion", responses={
        201: ImmersionApplicationSerializer, 400: REFUSED, 403: FORBIDDEN})  # fmt: skip
    def create(self, request, *args, **kwargs):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        offer = offers_visible_to(user=request.user).filter(pk=data.validated_data["offer"])
        offer = offer.first()
        if offer is None:
            raise _unknown("offer", "Offre inconnue ou hors de votre académie.")
        application = immersion_services.immersion_apply(
            user=request.user,
            offer=offer,
            motivation=data.validated_data["motivation"],
            confidentiality_accepted=data.validated_data["confidentiality_accepted"],
        )
        return self._created(application)

    @extend_schema(summary="Valider (académie ou entreprise)", request=None, responses={
        200: ImmersionApplicationSerializer, 400: REFUSED, 403: FORBIDDEN,
        404: NOT_FOUND})  # fmt: skip
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        application = immersion_services.immersion_approve(
            user=request.user, application=self.get_object()
        )
        return Response(ImmersionApplicationSerializer(application).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("conseillers", AdvisorViewSet, basename="advisor")
    router.register("conseillers-interventions", InterventionViewSet, basename="intervention")
    router.register("reservistes", ReservistViewSet, basename="reservist")
    router.register("sollicitations", RequestViewSet, basename="reserve-request")
    router.register("immersions", OfferViewSet, basename="immersion-offer")
    router.register(
        "immersions-candidatures", ImmersionApplicationViewSet, basename="immersion-application"
    )
