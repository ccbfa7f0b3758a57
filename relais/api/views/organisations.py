"""The partner directory: read (scoped), create, update, archive (DELETE) and restore.

Each write validates the payload's types and formats with ``OrganisationWriteSerializer``,
then calls one service of ``relais.organisations.services``, which holds every rule."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from relais.organisations.models import Organisation
from relais.organisations.perms import can_create_organisation, can_edit_organisation
from relais.organisations.selectors import organisation_get, organisation_list
from relais.organisations.services import (
    DuplicateSiretError,
    organisation_archive,
    organisation_create,
    organisation_restore,
    organisation_update,
)
from relais.users.scopes import get_reach

from ..base import ApiViewSetMixin
from ..filters import OrganisationApiFilter
from ..serializers.organisations import OrganisationSerializer, OrganisationWriteSerializer

TAGS = ["Organisations"]
ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant de l'organisation."
)
BAD_REQUEST = OpenApiResponse(
    description="Données invalides : erreurs par champ. Un SIRET déjà enregistré donne "
    "« siret » ; si l'utilisateur peut consulter l'organisation qui le détient, aussi "
    "« existing » (son id, son nom et son adresse). Sinon elle n'est pas nommée."
)
FORBIDDEN = OpenApiResponse(description="Action non permise à cet utilisateur.")
NOT_FOUND = OpenApiResponse(description="Organisation inconnue ou hors du périmètre.")
ARCHIVED = OpenApiResponse(description="Organisation archivée.")
SCOPE = (
    "Visibles : les organisations nationales, celles de la région académique et de "
    "l'académie de l'utilisateur ; un représentant voit son organisation et celles qui lui "
    "sont rattachées. Une organisation hors de ce périmètre répond 404."
)
WRITE = (
    "Commune par code INSEE, code NAF (« 62.01Z »), académie et région académique par code, "
    "organisation de rattachement par identifiant. Le territoire suit le niveau et la "
    "commune ; il doit relever du périmètre de l'utilisateur (sinon 403)."
)


class OrganisationPermission(permissions.BasePermission):
    """Refuse early (403, before reading the payload) what the services would refuse anyway:
    a creation by a user who may create nothing, a change to a partner they may not edit."""

    def has_permission(self, request, view):
        if view.action == "create" and not can_create_organisation(get_reach(request.user)):
            self.message = "Vous ne pouvez pas créer d'organisation."
            return False
        return True

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if not can_edit_organisation(get_reach(request.user), obj):
            self.message = "Vous ne pouvez pas modifier cette organisation."
            return False
        return True


@extend_schema_view(
    list=extend_schema(
        summary="Organisations visibles",
        description=SCOPE + " Par défaut, les organisations en activité ; « status=archived » "
        "ou « status=all » pour les autres.",
        tags=TAGS,
    ),
    retrieve=extend_schema(
        summary="Une organisation",
        description=SCOPE,
        tags=TAGS,
        parameters=[ID_PARAMETER],
        responses={200: OrganisationSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Créer une organisation",
        description=WRITE,
        tags=TAGS,
        responses={201: OrganisationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    update=extend_schema(
        summary="Remplacer une organisation",
        description=WRITE + " Un champ facultatif absent est vidé.",
        tags=TAGS,
        parameters=[ID_PARAMETER],
        responses={200: OrganisationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary="Modifier une organisation",
        description=WRITE + " Seuls les champs envoyés changent.",
        tags=TAGS,
        parameters=[ID_PARAMETER],
        responses={200: OrganisationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    destroy=extend_schema(
        summary="Archiver une organisation",
        description="Une organisation n'est jamais supprimée : elle est archivée, reste "
        "consultable et peut être restaurée.",
        tags=TAGS,
        parameters=[ID_PARAMETER],
        responses={204: ARCHIVED, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    restore=extend_schema(
        summary="Restaurer une organisation archivée",
        description="Remet en activité une organisation archivée.",
        tags=TAGS,
        parameters=[ID_PARAMETER],
        request=None,
        responses={200: OrganisationSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class OrganisationViewSet(ApiViewSetMixin, viewsets.ModelViewSet):
    """The partner directory. DELETE archives (organisations are never deleted)."""

    permission_classes = [permissions.IsAuthenticated, OrganisationPermission]
    filterset_class = OrganisationApiFilter
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return organisation_list(reach=get_reach(self.request.user)).order_by("name", "pk")

    def get_serializer_class(self):
        writing = self.action in ("create", "update", "partial_update")
        # OPTIONS describes the POST and PUT bodies with a clone of the request.
        describing = self.action == "metadata" and self.request.method in ("POST", "PUT")
        return OrganisationWriteSerializer if writing or describing else OrganisationSerializer

    def get_object(self) -> Organisation:
        organisation = organisation_get(reach=get_reach(self.request.user), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, organisation)
        return organisation

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            organisation = organisation_create(user=request.user, data=serializer.validated_data)
        except DuplicateSiretError as error:
            return self._duplicate_siret(error)
        return self.created(organisation, self._render(organisation))

    def update(self, request, *args, partial=False, **kwargs):
        organisation = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            organisation = organisation_update(
                user=request.user, organisation=organisation, data=serializer.validated_data
            )
        except DuplicateSiretError as error:
            return self._duplicate_siret(error)
        return Response(self._render(organisation))

    def destroy(self, request, *args, **kwargs):
        organisation_archive(user=request.user, organisation=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        organisation = organisation_restore(user=request.user, organisation=self.get_object())
        return Response(self._render(organisation))

    def _render(self, organisation: Organisation) -> dict:
        return OrganisationSerializer(organisation, context=self.get_serializer_context()).data

    def _duplicate_siret(self, error: DuplicateSiretError) -> Response:
        """The holder is described only when the service found it readable by the user."""
        body: dict[str, object] = {"siret": error.message_dict["siret"]}
        existing = error.existing
        if existing is not None:
            url = reverse("api-v1:organisation-detail", args=[existing.pk])
            body["existing"] = {
                "id": existing.pk,
                "name": existing.name,
                "url": self.request.build_absolute_uri(url),
            }
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
