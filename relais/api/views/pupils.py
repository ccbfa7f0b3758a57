"""API of the pupils (``relais.pupils``), registered on the v1 router by relais.api.urls.

- ``/api/v1/eleves/``: the rosters of the user's own schools (head of school, teacher);
  each list is journaled as an export of pupil data;
- ``/api/v1/eleves/{id}/``: one pupil, for their school and the pôle de stages their case is
  referred to (as on the pupil's page); journaled as a consultation;
- ``POST /api/v1/eleves/import/``: a school's roster of one year from the CSV of its
  information system (multipart), all or nothing.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from relais.core.uploads import pupil_import_max_bytes
from relais.internships.selectors import pupil_get
from relais.pupils.perms import can_manage_any_pupils
from relais.pupils.selectors import pupils_matching, pupils_of_schools
from relais.pupils.services import RosterImportError, roster_import_upload
from relais.users.enums import AccessPurpose, PersonalData
from relais.users.services import personal_data_log

from ..base import ApiViewSetMixin, int_param
from ..serializers.pupils import (
    PupilSerializer,
    RosterImportErrorSerializer,
    RosterImportResultSerializer,
    RosterImportSerializer,
)

TAGS = ["Élèves"]
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant.")
FORBIDDEN = OpenApiResponse(description="Réservé aux établissements (chef d'établissement, "
                            "enseignant).")  # fmt: skip
NOT_FOUND = OpenApiResponse(description="Inconnu ou hors du périmètre de l'utilisateur.")


@extend_schema_view(
    list=extend_schema(
        summary="Élèves des établissements de l'utilisateur",
        description="Les listes d'élèves des établissements où l'utilisateur travaille (chef "
        "d'établissement, enseignant) ; personne d'autre ne les lit (liste vide). Données "
        "personnelles de mineurs : chaque lecture est enregistrée. Filtres : etablissement "
        "(UAI), annee (année de la rentrée), classe, q (nom ou prénom, accents ignorés).",
        tags=TAGS,
        parameters=[
            OpenApiParameter("etablissement", OpenApiTypes.STR, required=False),
            OpenApiParameter("annee", OpenApiTypes.INT, required=False),
            OpenApiParameter("classe", OpenApiTypes.STR, required=False),
            OpenApiParameter("q", OpenApiTypes.STR, required=False),
        ],
    ),
    retrieve=extend_schema(
        summary="Un élève",
        description="Réservé à l'établissement de l'élève et au pôle de stages vers lequel son "
        "dossier est orienté (404 sinon). Chaque lecture est enregistrée.",
        tags=TAGS,
        parameters=[ID],
        responses={200: PupilSerializer, 404: NOT_FOUND},
    ),
)
class PupilViewSet(ApiViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                   viewsets.GenericViewSet):  # fmt: skip
    serializer_class = PupilSerializer
    filter_backends = []
    lookup_value_regex = r"\d+"
    upload_max_bytes = staticmethod(pupil_import_max_bytes)

    def get_queryset(self):
        queryset = (
            pupils_of_schools(user=self.request.user)
            .select_related("establishment")
            .order_by("establishment__uai", "-school_year", "class_label", "last_name", "pk")
        )
        params = self.request.query_params
        uai = params.get("etablissement", "").strip().upper()
        if uai:
            queryset = queryset.filter(establishment__uai=uai[:8])
        year = int_param(self.request, "annee", minimum=1, maximum=9999)
        if year is not None:
            queryset = queryset.filter(school_year=year)
        klass = params.get("classe", "").strip()
        if klass:
            queryset = queryset.filter(class_label=klass[:40])
        query = params.get("q", "").strip()
        if query:
            queryset = pupils_matching(queryset, query[:100])
        return queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.data["results"]:
            personal_data_log(
                user=request.user,
                purpose=AccessPurpose.EXPORT,
                data=PersonalData.PUPILS,
                description="API : liste des élèves",
                filters={k: v for k, v in request.query_params.items() if v},
                fmt="api",
                rows=len(response.data["results"]),
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        pupil = pupil_get(user=request.user, pk=self.kwargs["pk"])
        personal_data_log(
            user=request.user,
            purpose=AccessPurpose.CONSULTATION,
            data=PersonalData.PUPIL,
            description=f"API : élève n° {pupil.pk}",
            about=pupil,
            fmt="api",
        )
        return Response(self.get_serializer(pupil).data)

    @extend_schema(
        summary="Importer la liste des élèves d'un établissement",
        description="Toutes les classes d'une année, depuis le CSV du logiciel de scolarité "
        "(multipart/form-data : establishment, school_year, file). Tout ou rien : en cas "
        "d'erreur, 400 avec chaque ligne refusée sous « file », et rien n'est enregistré. La "
        "liste de l'année suivante fait passer les élèves dans leur nouvelle classe sans les "
        "dupliquer ; le même fichier importé deux fois ne change rien. Réservé à "
        "l'établissement.",
        tags=TAGS,
        request={"multipart/form-data": RosterImportSerializer},
        responses={
            200: RosterImportResultSerializer,
            400: RosterImportErrorSerializer,
            403: FORBIDDEN,
        },
    )
    @action(detail=False, methods=["post"], url_path="import")
    def roster_import(self, request, *args, **kwargs):
        if not can_manage_any_pupils(request.user):
            self.permission_denied(request, message="Seul un établissement importe ses élèves.")
        serializer = RosterImportSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            data = serializer.validated_data
            result = roster_import_upload(
                user=request.user,
                establishment=data["establishment"],
                school_year=data["school_year"],
                upload=data["file"],
            )
        except RosterImportError as error:
            return Response({"file": error.errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(RosterImportResultSerializer(result).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("eleves", PupilViewSet, basename="pupil")
