"""API endpoints of the networks area, registered on the v1 router by relais.api.urls:

- ``clubs/``: the clubs école-entreprise the user sees, with the current référent and pilote;
- ``mandats/``: référent and pilote mandates (read; create = a nomination, 400 with the
  French rule when refused: June nomination, 5 consecutive years at most for a pilote);
- ``campus/``: the campus des métiers et des qualifications (filter ``label_ending``).

Another territory's object answers 404.
"""

import django_filters
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets

from relais.core.filters import IdFilter, SchoolYearFilter
from relais.networks import services
from relais.networks.filters import CampusFilter, ClubFilter
from relais.networks.models import CampusMember, ClubMember, Mandate
from relais.networks.selectors import campus_list, club_list, mandate_list
from relais.territories.models import Academie

from ..base import ApiViewSetMixin
from ..serializers.networks import (
    CampusDetailSerializer,
    CampusSerializer,
    ClubDetailSerializer,
    ClubSerializer,
    MandateSerializer,
    MandateWriteSerializer,
)

NOT_FOUND = OpenApiResponse(description="Objet inconnu ou hors du périmètre.")
REFUSED = OpenApiResponse(description="Refusé : erreurs par champ, en français.")
FORBIDDEN = OpenApiResponse(description="Seule l'équipe académique nomme.")
SCOPE = (
    "Visibles : les clubs des académies où l'utilisateur travaille ou dont il lit l'annuaire "
    "des partenaires, et le club de son bassin. Hors périmètre : 404."
)


def _academie_by_code():
    return django_filters.ModelChoiceFilter(
        label="Code de l'académie", queryset=Academie.objects.none(), to_field_name="code",
        empty_label=None,
    )  # fmt: skip


class ClubApiFilter(ClubFilter):
    academie = _academie_by_code()


class CampusApiFilter(CampusFilter):
    academie = _academie_by_code()


class MandateApiFilter(django_filters.FilterSet):
    club = IdFilter(label="Identifiant du club", field_name="club_id")
    role = django_filters.CharFilter(label="referent ou pilote")
    school_year = SchoolYearFilter(label="Année de rentrée (2025 pour 2025-2026)")

    class Meta:
        model = Mandate
        fields = ["club", "role", "school_year"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


@extend_schema_view(
    list=extend_schema(summary="Clubs école-entreprise", description=SCOPE, tags=["Clubs"]),
    retrieve=extend_schema(
        summary="Un club, ses membres et ses co-animateurs",
        description=SCOPE,
        tags=["Clubs"],
        responses={200: ClubDetailSerializer, 404: NOT_FOUND},
    ),
)
class ClubViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = ClubApiFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = club_list(user=self.request.user).order_by("academie__name", "bassin__name")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "members",
                    queryset=ClubMember.objects.filter(left_on__isnull=True).select_related(
                        "establishment", "organisation"
                    ),
                    to_attr="current_members",
                )
            )
        return queryset

    def get_serializer_class(self):
        return ClubDetailSerializer if self.action == "retrieve" else ClubSerializer


@extend_schema_view(
    list=extend_schema(summary="Mandats des clubs", description=SCOPE, tags=["Clubs"]),
    retrieve=extend_schema(
        summary="Un mandat", tags=["Clubs"], responses={200: MandateSerializer, 404: NOT_FOUND}
    ),
    create=extend_schema(
        summary="Nommer un référent ou un pilote",
        description="Un mandat vaut une année scolaire (1er septembre – 31 août). Le référent "
        "est nommé en juin (sauf remplacement) ; le pilote par les organisations signataires "
        "(appointing_organisations), renouvelable chaque année dans la limite de 5 ans.",
        tags=["Clubs"],
        request=MandateWriteSerializer,
        responses={201: MandateSerializer, 400: REFUSED, 403: FORBIDDEN},
    ),
)
class MandateViewSet(
    ApiViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):  # fmt: skip
    filterset_class = MandateApiFilter
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return (
            mandate_list(user=self.request.user)
            .prefetch_related("appointing_organisations")
            .order_by("-school_year", "club__name", "role", "pk")
        )

    def get_serializer_class(self):
        return MandateWriteSerializer if self.action == "create" else MandateSerializer

    def create(self, request, *args, **kwargs):
        serializer = MandateWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        mandate = services.mandate_appoint(user=request.user, **serializer.validated_data)
        return self.created(mandate, MandateSerializer(mandate, context={"request": request}).data)


@extend_schema_view(
    list=extend_schema(
        summary="Campus des métiers et des qualifications",
        description="Filtre label_ending=6, 12 ou 24 : labels qui se terminent dans ce nombre "
        "de mois.",
        tags=["Campus"],
    ),
    retrieve=extend_schema(
        summary="Un campus et ses membres",
        tags=["Campus"],
        responses={200: CampusDetailSerializer, 404: NOT_FOUND},
    ),
)
class CampusViewSet(ApiViewSetMixin, viewsets.ReadOnlyModelViewSet):
    filterset_class = CampusApiFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        queryset = campus_list(user=self.request.user).order_by("academie__name", "name", "pk")
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                Prefetch(
                    "members",
                    queryset=CampusMember.objects.select_related("establishment", "organisation"),
                )
            )
        return queryset

    def get_serializer_class(self):
        return CampusDetailSerializer if self.action == "retrieve" else CampusSerializer


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("clubs", ClubViewSet, basename="club")
    router.register("mandats", MandateViewSet, basename="mandat")
    router.register("campus", CampusViewSet, basename="campus")
