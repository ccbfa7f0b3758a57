"""API of the pôles de stages, registered on the v1 router by relais.api.urls.

- ``/api/v1/stages/offres/``: offers (scoped read; create, update, DELETE closes); partners
  push theirs with ``POST /api/v1/stages/offres/upsert/``, idempotent on
  (partner, remote_id);
- ``/api/v1/stages/dossiers/``: the cases the user may see (the pupil's school, and the pôle
  once referred; not the bassin référent nor the académie team); each read of this pupil
  data is journaled (users.PersonalDataAccess).
"""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
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

from relais.internships.enums import CaseState
from relais.internships.models import InternshipOffer
from relais.internships.perms import (
    can_create_offer,
    can_manage_offer,
    can_see_pupils,
    can_view_indicators,
)
from relais.internships.selectors import case_get, case_list, offer_get, offer_list
from relais.internships.services import (
    offer_close,
    offer_create,
    offer_publish,
    offer_publish_if_draft,
    offer_set_slots,
    offer_update,
    offer_upsert_remote,
)
from relais.internships.services.indicators import GROUPS, indicators
from relais.internships.years import internship_year_label
from relais.organisations.models import Organisation
from relais.users.enums import AccessPurpose, PersonalData
from relais.users.scopes import get_reach
from relais.users.services import personal_data_log

from ..base import ApiViewSetMixin
from ..serializers.internships import (
    CaseSerializer,
    IndicatorRowSerializer,
    OfferSerializer,
    OfferWriteSerializer,
    UpsertSerializer,
)
from .hubs import HubViewSet, RunViewSet

TAGS = ["Pôles de stages"]
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant.")
BAD_REQUEST = OpenApiResponse(description="Données invalides : erreurs par champ, en français.")
FORBIDDEN = OpenApiResponse(description="Action non permise à cet utilisateur.")
NOT_FOUND = OpenApiResponse(description="Inconnu ou hors du périmètre de l'utilisateur.")
SCOPE = (
    "Visibles : les offres du pôle (bassin) ou de l'académie de l'utilisateur, les offres "
    "publiées du bassin d'un établissement, les offres d'une organisation pour ses "
    "représentants. Hors de ce périmètre : 404."
)
WRITE = (
    "Structure d'accueil par identifiant, pôle par code de bassin (par défaut celui des "
    "établissements de la commune), métier par code ROME, secteur par code NAF, commune par "
    "code INSEE ; « places » : places par semaine (un jour de la semaine, ramené au lundi)."
)


class OfferPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        if view.action in ("create", "upsert") and not can_create_offer(request.user):
            self.message = "Vous ne pouvez pas déposer d'offre de stage."
            return False
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not can_manage_offer(request.user, obj):
            self.message = "Vous ne pouvez pas modifier cette offre."
            return False
        return True


def _split(data: dict) -> tuple[dict, dict | None, bool]:
    values = dict(data)
    places = values.pop("places", None)
    publish = values.pop("publish", False)
    values.pop("partner", None)
    values.pop("remote_id", None)
    return values, places, publish


@extend_schema_view(
    list=extend_schema(summary="Offres de stage visibles", description=SCOPE, tags=TAGS),
    retrieve=extend_schema(
        summary="Une offre de stage",
        description=SCOPE,
        tags=TAGS,
        parameters=[ID],
        responses={200: OfferSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Déposer une offre",
        description=WRITE,
        tags=TAGS,
        responses={201: OfferSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    update=extend_schema(
        summary="Remplacer une offre",
        description=WRITE,
        tags=TAGS,
        parameters=[ID],
        responses={200: OfferSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Modifier une offre",
        description=WRITE + " Seuls les champs envoyés changent.",
        tags=TAGS,
        parameters=[ID],
        responses={200: OfferSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    destroy=extend_schema(
        summary="Fermer une offre",
        description="Une offre n'est jamais supprimée : elle est fermée (son journal reste).",
        tags=TAGS,
        parameters=[ID],
        responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    upsert=extend_schema(
        summary="Créer ou mettre à jour l'offre d'un partenaire (idempotent)",
        description=WRITE + " L'offre est retrouvée par (partenaire, remote_id) : le même "
        "envoi deux fois ne crée qu'une offre. 201 à la création, 200 ensuite.",
        tags=TAGS,
        request=UpsertSerializer,
        responses={200: OfferSerializer, 201: OfferSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
)
class OfferViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    permission_classes = [permissions.IsAuthenticated, OfferPermission]
    filterset_class = None
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        # Four joins, the rarer relations prefetched: with the seven relations joined,
        # PostgreSQL spent 30 ms planning each page of offers for 1 ms of execution.
        queryset = (
            offer_list(user=self.request.user)
            .select_related(None)
            .select_related("host", "bassin", "commune", "rome")
            # The académie's holiday zone, for the weeks' calendar warnings (issue 12).
            .prefetch_related("posted_by", "partner", "naf", "slots", "bassin__academie")
            .order_by("-created_at", "pk")
        )
        state = self.request.query_params.get("state")
        return queryset.filter(state=state) if state else queryset

    def get_serializer_class(self):
        if self.action == "upsert":
            return UpsertSerializer
        writing = self.action in ("create", "update", "partial_update")
        describing = self.action == "metadata" and self.request.method in ("POST", "PUT")
        return OfferWriteSerializer if writing or describing else OfferSerializer

    def get_object(self) -> InternshipOffer:
        offer = offer_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, offer)
        return offer

    def _render(self, offer, code=status.HTTP_200_OK):
        offer = offer_get(user=self.request.user, pk=offer.pk)
        body = OfferSerializer(offer, context=self.get_serializer_context()).data
        return self.created(offer, body) if code == status.HTTP_201_CREATED else Response(body)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values, places, publish = _split(serializer.validated_data)
        offer = offer_create(user=request.user, data=values, slots=places)
        if publish:
            offer_publish(user=request.user, offer=offer)
        return self._render(offer, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        offer = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        values, places, publish = _split(serializer.validated_data)
        offer = offer_update(user=request.user, offer=offer, data=values)
        if places is not None:
            current = {slot.week: 0 for slot in offer.slots.all()}
            offer_set_slots(user=request.user, offer=offer, slots=current | places)
        if publish:
            offer_publish_if_draft(user=request.user, offer=offer)
        return self._render(offer)

    def destroy(self, request, *args, **kwargs):
        offer_close(user=request.user, offer=self.get_object(), note="Fermée par l'API")
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=False, methods=["post"])
    def upsert(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        partner = data.get("partner") or self._only_partner(request.user)
        values, places, publish = _split(data)
        offer, created = offer_upsert_remote(
            user=request.user,
            partner=partner,
            remote_id=data["remote_id"],
            data=values,
            slots=places,
            publish=publish,
        )
        return self._render(offer, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @staticmethod
    def _only_partner(user) -> Organisation:
        reach = get_reach(user)
        represented = user.memberships.filter(organisation__isnull=False).values_list(
            "organisation_id", flat=True
        )
        ids = set(represented) & reach.organisation_ids
        if len(ids) != 1:
            raise ValidationError(
                {"partner": "Indiquez l'organisation pour laquelle vous agissez."}
            )
        return Organisation.objects.get(pk=ids.pop())


@extend_schema_view(
    list=extend_schema(
        summary="Dossiers des élèves sans stage",
        description="Les dossiers des établissements de l'utilisateur, et ceux orientés vers "
        "le pôle de stages dont il est membre ; ni le référent de bassin ni l'équipe "
        "académique n'y ont accès (indicateurs seulement). Données personnelles de mineurs : "
        "chaque lecture est enregistrée. Filtre « state » (étape).",
        tags=TAGS,
        parameters=[
            OpenApiParameter("state", OpenApiTypes.STR, enum=CaseState.values, required=False)
        ],
    ),
    retrieve=extend_schema(
        summary="Un dossier",
        description="Réservé à l'établissement de l'élève et au pôle de stages qui suit le "
        "dossier (404 sinon). Chaque lecture est enregistrée.",
        tags=TAGS,
        parameters=[ID],
        responses={200: CaseSerializer, 404: NOT_FOUND},
    ),
)
class CaseViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                  viewsets.GenericViewSet):  # fmt: skip
    serializer_class = CaseSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if not can_see_pupils(self.request.user):
            return case_list(user=self.request.user).none()
        queryset = (
            case_list(user=self.request.user)
            .select_related("pupil__establishment__academie")
            .order_by("opened_at", "pk")
        )
        state = self.request.query_params.get("state")
        if state in CaseState.values:
            queryset = queryset.filter(state=state)
        return queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.data["results"]:
            personal_data_log(
                user=request.user,
                purpose=AccessPurpose.EXPORT,
                data=PersonalData.CASES,
                description="API : liste des dossiers",
                filters={k: v for k, v in request.query_params.items() if v},
                fmt="api",
                rows=len(response.data["results"]),
            )
        return response

    def get_object(self):
        """One case the user may read, as on the case's page (``selectors.case_get``): the
        case of an anonymised pupil is not listed, but stays readable; 404 outside the
        user's reach (only the pupil's school and the pôle reach cases)."""
        return case_get(user=self.request.user, pk=self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        """One case and its pupil: journaled as a consultation."""
        case = self.get_object()
        personal_data_log(
            user=request.user,
            purpose=AccessPurpose.CONSULTATION,
            data=PersonalData.CASE,
            description=f"API : dossier n° {case.pk}",
            about=case,
            fmt="api",
        )
        return Response(self.get_serializer(case).data)


@extend_schema_view(
    list=extend_schema(
        summary="Indicateurs des pôles de stages",
        description="Par pôle (bassin) ou par établissement, pour une année scolaire : élèves "
        "orientés, avec proposition, placés, délai médian, entreprises actives, et la même "
        "chose pour les élèves prioritaires et les autres, avec l'écart en points. Chiffres "
        "agrégés sur les établissements du périmètre de l'utilisateur.",
        tags=TAGS,
        parameters=[
            OpenApiParameter("group", OpenApiTypes.STR, enum=list(GROUPS), required=False),
            OpenApiParameter(
                "school_year",
                OpenApiTypes.STR,
                required=False,
                description="Année des stages, « 2025-2026 » : du 1er août 2025 au 31 juillet "
                "2026 (par défaut, celle du jour).",
            ),
        ],
        responses={200: IndicatorRowSerializer(many=True), 403: FORBIDDEN},
    )
)
class IndicatorsViewSet(ApiViewSetMixin, viewsets.ViewSet):
    pagination_class = None  # a few rows, one per pôle or établissement, and a total
    filter_backends = []

    def list(self, request):
        if not can_view_indicators(request.user):
            raise PermissionDenied(
                "Ces chiffres sont réservés aux établissements, pôles et académies."
            )
        group = request.query_params.get("group") or "pole"
        # The internship year (from 1 August, ``relais.internships.years``), « 2025-2026 ».
        year = request.query_params.get("school_year") or internship_year_label(
            timezone.localdate()
        )
        errors = {}
        if group not in GROUPS:
            errors["group"] = [f"Valeur inconnue : « {group} » (pole ou etablissement)."]
        if not re.fullmatch(r"\d{4}-\d{4}", year) or int(year[5:]) != int(year[:4]) + 1:
            errors["school_year"] = ["Année scolaire attendue sous la forme « 2025-2026 »."]
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        rows = indicators(user=request.user, school_year=year, group=group)
        return Response(IndicatorRowSerializer(rows, many=True).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("stages/offres", OfferViewSet, basename="internship-offer")
    router.register("stages/dossiers", CaseViewSet, basename="internship-case")
    router.register("stages/indicateurs", IndicatorsViewSet, basename="internship-indicators")

    router.register("stages/poles", HubViewSet, basename="internship-hub")
    router.register("stages/calculs", RunViewSet, basename="internship-run")
