"""API of the parcours Avenir (issue 10, item 6), registered on the v1 router by
relais.api.urls, with the scopes of the pages:

- ``parcours/experiences/``: the experiences of the user's schools; record one, credited to
  ``pupil_ids`` or to whole ``classes`` but ``absent_ids``; correct who took part
  (``PUT …/participants/``); delete one recorded by mistake. The school's staff only;
  another school's experience is a 404;
- ``parcours/eleves/<id>/``: a pupil's four items and experiences (their school only;
  each read journaled);
- ``parcours/classes/?etablissement=&annee=&classe=``: a class's statuses (journaled);
- ``parcours/indicateurs/?territoire=&annee=``: counts per level, priority pupils and the
  others, the gap; never a name, a group under ``SMALL_COUNT`` pupils hidden — for the
  roles of ``selectors.may_read_figures``;
- ``parcours/types/``: the kinds of experience and the items each counts for, as the
  académie sets them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from relais.core.clock import today
from relais.core.filters import DB_INTEGER_MAX
from relais.core.school_years import school_year_from
from relais.establishments.models import Establishment
from relais.pathways import selectors
from relais.pathways.enums import ITEMS, Source, Status
from relais.pathways.models import Credit, Experience, ExperienceKind
from relais.pathways.services import (
    ExperienceData,
    class_credit,
    credits_set,
    experience_delete,
    experience_record,
)
from relais.pupils.enums import Level
from relais.pupils.perms import can_manage_any_pupils
from relais.pupils.selectors import pupils_of_schools
from relais.pupils.years import roster_year_label, roster_year_of
from relais.territories.models import Academie
from relais.users.enums import AccessPurpose, PersonalData
from relais.users.scopes import get_reach
from relais.users.services import personal_data_log

from ..base import ApiViewSetMixin, int_param
from ..serializers.pathways import (
    ParcoursExperienceDetailSerializer,
    ParcoursExperienceSerializer,
    ParcoursExperienceWriteSerializer,
    ParcoursIndicatorsSerializer,
    ParcoursKindSerializer,
    ParcoursOfClassSerializer,
    ParcoursOfPupilSerializer,
    ParcoursParticipantsWriteSerializer,
)

TAGS = ["Parcours Avenir"]
ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Identifiant.")
BAD_REQUEST = OpenApiResponse(description="Données invalides : erreurs par champ, en français.")
FORBIDDEN = OpenApiResponse(description="Action non permise à cet utilisateur.")
NOT_FOUND = OpenApiResponse(description="Inconnu ou hors du périmètre de l'utilisateur.")
SCHOOL_ONLY = (
    "Réservé à l'équipe de l'établissement des élèves (chef d'établissement, enseignants) : "
    "les noms des élèves ne quittent pas leur établissement."
)
YEAR = OpenApiParameter(
    "annee", OpenApiTypes.INT, required=False,
    description="Année scolaire, par son année de rentrée (2026 pour 2026-2027) ; par défaut "
    "l'année en cours (qui commence le 1er août).",
)  # fmt: skip
SCHOOL = OpenApiParameter(
    "etablissement", OpenApiTypes.INT, required=False,
    description="Identifiant de l'établissement (facultatif pour qui n'en a qu'un).",
)  # fmt: skip
SCHOOL_STAFF_ONLY = "Réservé à l'équipe d'un établissement (chef d'établissement, enseignants)."
# Service errors name the service's arguments; the API names its own fields.
FIELD_NAMES = {"pupils": "pupil_ids"}


class OneObjectSchema(AutoSchema):
    """The « list » of these viewsets answers one object (a class, a territory's figures),
    not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


def _renamed(error: ValidationError) -> ValidationError:
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError(
        {FIELD_NAMES.get(field, field): errors for field, errors in error.error_dict.items()}
    )


def _year_param(request) -> int:
    raw = request.query_params.get("annee", "").strip()
    if not raw:
        return roster_year_of(today())
    year = school_year_from(raw)
    if year is None:
        raise ApiValidationError(
            {"annee": ["Indiquez l'année de rentrée sur quatre chiffres, par exemple 2026."]}
        )
    return year


def _school_staff(request) -> None:
    if not can_manage_any_pupils(request.user):
        raise PermissionDenied(SCHOOL_STAFF_ONLY)


def _my_school(request) -> Establishment:
    """``?etablissement=<id>``, one of the user's own schools (their only one by default)."""
    _school_staff(request)
    ids = get_reach(request.user).establishment_ids
    pk = int_param(request, "etablissement")
    if pk is None:
        if len(ids) != 1:
            raise ApiValidationError({"etablissement": ["Indiquez l'établissement."]})
        pk = next(iter(ids))
    if pk not in ids:
        raise NotFound("Établissement inconnu ou hors de votre périmètre.")
    return Establishment.objects.get(pk=pk)


# --- experiences ---------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="Expériences des établissements de l'utilisateur",
        description=SCHOOL_ONLY + " Filtres : établissement, année (des expériences), élève "
        "crédité.",
        tags=TAGS,
        parameters=[
            SCHOOL,
            YEAR,
            OpenApiParameter(
                "eleve",
                OpenApiTypes.INT,
                required=False,
                description="Les expériences créditées à cet élève.",
            ),  # fmt: skip
        ],
    ),
    retrieve=extend_schema(
        summary="Une expérience et les élèves crédités",
        tags=TAGS,
        parameters=[ID],
        responses={200: ParcoursExperienceDetailSerializer, 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary="Enregistrer une expérience et créditer les élèves",
        description="Soit « pupil_ids » (les élèves crédités), soit « classes » : tous les "
        "élèves de ces classes sont crédités, sauf « absent_ids ». Le type (« kind ») compte "
        "pour les éléments du parcours que l'académie a réglés (/api/v1/parcours/types/). "
        + SCHOOL_ONLY,
        tags=TAGS,
        request=ParcoursExperienceWriteSerializer,
        responses={201: ParcoursExperienceDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
    participants=extend_schema(
        summary="Corriger les élèves qui ont participé",
        description="La liste envoyée remplace l'ancienne. Un stage trouvé par le pôle de "
        "stages ne se modifie pas ici (400).",
        tags=TAGS,
        parameters=[ID],
        request=ParcoursParticipantsWriteSerializer,
        responses={200: ParcoursExperienceDetailSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
    destroy=extend_schema(
        summary="Supprimer une expérience enregistrée par erreur",
        description="Avec ses participations. Un stage trouvé par le pôle de stages ne se "
        "supprime pas ici (400).",
        tags=TAGS,
        parameters=[ID],
        responses={204: None, 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
)
class ExperienceViewSet(
    ApiViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        """The experiences of the user's own schools (``selectors.experiences_of_school``
        for each): nothing for any other role."""
        ids = sorted(get_reach(self.request.user).establishment_ids)
        queryset = Experience.objects.none()
        for pk in ids:
            queryset |= selectors.experiences_of_school(user=self.request.user, establishment_id=pk)
        queryset = queryset.select_related("establishment", "organisation").annotate(
            participants=Count("credits")
        )
        if self.action == "list":
            return self._filtered(queryset).order_by("-date", "-pk")
        return queryset.prefetch_related(
            Prefetch("credits", queryset=Credit.objects.select_related("pupil"))
        )

    def _filtered(self, queryset):
        school = int_param(self.request, "etablissement")
        if school is not None:
            queryset = queryset.filter(establishment_id=school)
        if self.request.query_params.get("annee", "").strip():
            queryset = queryset.filter(school_year=_year_param(self.request))
        pupil = int_param(self.request, "eleve")
        if pupil is not None:
            credited = Credit.objects.filter(experience_id=OuterRef("pk"), pupil_id=pupil)
            queryset = queryset.filter(Exists(credited))
        return queryset

    def get_serializer_class(self):
        if self.action == "create":
            return ParcoursExperienceWriteSerializer
        if self.action == "participants":
            return ParcoursParticipantsWriteSerializer
        if self.action == "list":
            return ParcoursExperienceSerializer
        return ParcoursExperienceDetailSerializer

    def _render(self, experience, code=status.HTTP_200_OK):
        fresh = get_object_or_404(self.get_queryset(), pk=experience.pk)
        body = ParcoursExperienceDetailSerializer(fresh, context=self.get_serializer_context())
        return (
            self.created(fresh, body.data)
            if code == status.HTTP_201_CREATED
            else Response(body.data)
        )

    def create(self, request, *args, **kwargs):
        _school_staff(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        data = ExperienceData(
            kind=values["kind"], date=values["date"], title=values["title"],
            partner_label=values["partner_label"], organisation=values.get("organisation"),
            place=values["place"],
        )  # fmt: skip
        try:
            if "pupil_ids" in values:
                experience = experience_record(
                    user=request.user, establishment=values["establishment"], data=data,
                    pupil_ids=values["pupil_ids"], source=Source.CLASS,
                )  # fmt: skip
            else:
                experience = class_credit(
                    user=request.user, establishment=values["establishment"],
                    school_year=values.get("school_year") or roster_year_of(values["date"]),
                    class_labels=values["classes"], data=data, absent_ids=values["absent_ids"],
                )  # fmt: skip
        except ValidationError as error:
            raise _renamed(error) from error
        return self._render(experience, status.HTTP_201_CREATED)

    @action(detail=True, methods=["put"], url_path="participants")
    def participants(self, request, *args, **kwargs):
        experience = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            credits_set(user=request.user, experience=experience,
                        pupil_ids=serializer.validated_data["pupil_ids"])  # fmt: skip
        except ValidationError as error:
            raise _renamed(error) from error
        return self._render(experience)

    def destroy(self, request, *args, **kwargs):
        experience_delete(user=request.user, experience=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- a pupil, a class ----------------------------------------------------------------------


@extend_schema_view(
    retrieve=extend_schema(
        summary="Le parcours Avenir d'un élève",
        description="Les quatre éléments (fait, prévu, manquant), ceux attendus cette année "
        "et encore manquants, et chaque expérience. " + SCHOOL_ONLY + " Chaque lecture est "
        "enregistrée.",
        tags=TAGS,
        parameters=[ID],
        responses={200: ParcoursOfPupilSerializer, 404: NOT_FOUND},
    )
)
class PupilParcoursViewSet(ApiViewSetMixin, viewsets.GenericViewSet):
    serializer_class = ParcoursOfPupilSerializer
    filter_backends = []
    pagination_class = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return pupils_of_schools(user=self.request.user).select_related("establishment")

    def retrieve(self, request, *args, **kwargs):
        pupil = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        parcours = selectors.pupil_parcours(pupil)
        personal_data_log(
            user=request.user,
            purpose=AccessPurpose.CONSULTATION,
            data=PersonalData.PARCOURS,
            description=f"API : parcours Avenir de l'élève n° {pupil.pk}",
            about=pupil,
            fmt="api",
        )
        context = {**self.get_serializer_context(), "today": today()}
        return Response(ParcoursOfPupilSerializer(parcours, context=context).data)


def _counts(rows) -> dict[str, int]:
    return {item.value: sum(row.status[item] == Status.DONE for row in rows) for item in ITEMS}


@extend_schema_view(
    list=extend_schema(
        summary="Le parcours Avenir d'une classe",
        description="Chaque élève de la classe et ses quatre éléments (fait, prévu, manquant). "
        + SCHOOL_ONLY
        + " Chaque lecture est enregistrée.",
        tags=TAGS,
        parameters=[
            SCHOOL,
            YEAR,
            OpenApiParameter(
                "classe",
                OpenApiTypes.STR,
                required=True,
                description="La classe, telle que sur la liste (« 3e B »).",
            ),
        ],  # fmt: skip
        responses={
            200: ParcoursOfClassSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },  # fmt: skip
    )
)
class ClassParcoursViewSet(ApiViewSetMixin, viewsets.ViewSet):
    schema = OneObjectSchema()
    pagination_class = None  # one class: a few dozen pupils
    filter_backends = []

    def list(self, request):
        school = _my_school(request)
        year = _year_param(request)
        label = " ".join(request.query_params.get("classe", "").split())
        if not label or len(label) > 40:
            raise ApiValidationError({"classe": ["Indiquez la classe (40 caractères au plus)."]})
        rows = selectors.class_parcours(
            user=request.user, establishment_id=school.pk, academie_id=school.academie_id,
            school_year=year, class_label=label,
        )  # fmt: skip
        if not rows:
            raise NotFound("Classe introuvable.")
        personal_data_log(
            user=request.user,
            purpose=AccessPurpose.EXPORT,
            data=PersonalData.PARCOURS,
            description=f"API : parcours Avenir de la classe {label}",
            filters={k: v for k, v in request.query_params.items() if v},
            fmt="api",
            rows=len(rows),
        )
        body = {
            "establishment": school,
            "school_year": year,
            "school_year_label": roster_year_label(year),
            "class_label": label,
            "pupils": len(rows),
            "complete": sum(row.complete for row in rows),
            "done": _counts(rows),
            "rows": rows,
        }
        return Response(ParcoursOfClassSerializer(body).data)


# --- above the school: counts --------------------------------------------------------------

TERRITORY_KINDS = {
    "national": "national",
    "region": "region",
    "academie": "academie",
    "bassin": "bassin",
    "etablissement": "school",
}
TERRITORY_HELP = (
    "« national », « region:<id> » (région académique), « academie:<id> », « bassin:<id> » "
    "ou « etablissement:<id> »."
)


def _territory(request) -> tuple[str, selectors.Territory]:
    raw = request.query_params.get("territoire", "").strip()
    kind, _, pk = raw.partition(":")
    if kind == "national" and not pk:
        return raw, selectors.Territory("national")
    known = kind in TERRITORY_KINDS and kind != "national"
    if known and pk.isascii() and pk.isdigit() and 1 <= int(pk) <= DB_INTEGER_MAX:
        return raw, selectors.Territory(TERRITORY_KINDS[kind], int(pk))
    raise ApiValidationError({"territoire": [f"Indiquez le territoire : {TERRITORY_HELP}"]})


def _figures(figures: selectors.Figures, *, hidden: bool) -> dict:
    if hidden:
        return {
            "hidden": True,
            "pupils": None,
            "done": {item.value: None for item in ITEMS},
            "complete": None,
            "rates": {**{item.value: None for item in ITEMS}, "complete": None},
        }
    return {
        "hidden": False,
        "pupils": figures.pupils,
        "done": dict(figures.done),
        "complete": figures.complete,
        "rates": {
            **{item.value: figures.rate(item) for item in ITEMS},
            "complete": figures.rate(),
        },  # fmt: skip
    }


def _level(level: str, groups: dict[str, selectors.Figures]) -> dict:
    """One level's groups. When one of the two groups is hidden, the other is hidden too:
    it would give the hidden one away (all minus the other)."""
    empty = selectors.Figures(pupils=0, done={item.value: 0 for item in ITEMS}, complete=0)
    every = groups["all"]
    priority, others = groups.get("priority", empty), groups.get("others", empty)
    split_hidden = every.hidden or priority.hidden or others.hidden
    gap: dict[str, float | None] = dict.fromkeys([*(item.value for item in ITEMS), "complete"])
    if not split_hidden:
        gap = {item.value: selectors.gap(priority, others, item) for item in ITEMS}
        gap["complete"] = selectors.gap(priority, others)
    return {
        "level": level,
        "level_label": Level(level).label if level in Level.values else level,
        "all": _figures(every, hidden=every.hidden),
        "priority": _figures(priority, hidden=split_hidden),
        "others": _figures(others, hidden=split_hidden),
        "gap": gap,
    }


@extend_schema_view(
    list=extend_schema(
        summary="Indicateurs du parcours Avenir d'un territoire",
        description="Par niveau : élèves, élèves ayant fait chaque élément et les quatre, "
        "taux, pour tous les élèves, les élèves prioritaires et les autres, et l'écart. "
        "Jamais un nom ; un groupe de moins de 11 élèves est masqué (et l'autre groupe du "
        "même niveau avec lui, qui le trahirait). Lisible par l'administration nationale, "
        "l'équipe académique (son académie, sa région académique), le référent de bassin et "
        "le pôle de stages (leur bassin et ses établissements) et l'équipe d'un "
        "établissement (le sien).",
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "territoire", OpenApiTypes.STR, required=True, description=TERRITORY_HELP
            ),
            YEAR,
        ],  # fmt: skip
        responses={200: ParcoursIndicatorsSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
)
class IndicatorsViewSet(ApiViewSetMixin, viewsets.ViewSet):
    schema = OneObjectSchema()
    pagination_class = None
    filter_backends = []

    def list(self, request):
        label, territory = _territory(request)
        year = _year_param(request)
        if not selectors.may_read_figures(request.user, territory):
            raise PermissionDenied("Vous ne pouvez pas lire les chiffres de ce territoire.")
        levels = selectors.figures_by_level(territory, year)
        body = {
            "territory": label,
            "school_year": year,
            "school_year_label": roster_year_label(year),
            "small_count": selectors.SMALL_COUNT,
            "levels": [_level(level, groups) for level, groups in levels.items()],
        }
        return Response(ParcoursIndicatorsSerializer(body).data)


# --- settings ------------------------------------------------------------------------------


def kinds_of(academie_id: int | None) -> list[ExperienceKind]:
    """The kinds as ``academie`` sets them: its own row of a code replaces the national
    one (as ``relais.pathways.services.experiences.kind_for`` reads them)."""
    rows = ExperienceKind.objects.filter(
        Q(academie__isnull=True) | Q(academie_id=academie_id)
    ).order_by("position", "label", "pk")
    chosen: dict[str, ExperienceKind] = {}
    for kind in rows:
        if kind.code not in chosen or kind.academie_id is not None:
            chosen[kind.code] = kind
    return list(chosen.values())


@extend_schema_view(
    list=extend_schema(
        summary="Types d'expérience et éléments du parcours pour lesquels ils comptent",
        description="Tels que l'académie les règle (son réglage remplace le réglage national "
        "type par type). Par défaut, l'académie de l'utilisateur s'il n'en a qu'une, sinon le "
        "réglage national.",
        tags=TAGS,
        parameters=[
            OpenApiParameter(
                "academie",
                OpenApiTypes.INT,
                required=False,
                description="Identifiant d'une académie.",
            ),
        ],  # fmt: skip
        responses={200: ParcoursKindSerializer(many=True), 400: BAD_REQUEST},
    )
)
class KindViewSet(ApiViewSetMixin, viewsets.ViewSet):
    pagination_class = None  # about twenty kinds
    filter_backends = []

    def list(self, request):
        academie_id = int_param(request, "academie")
        if academie_id is not None:
            if not Academie.objects.filter(pk=academie_id).exists():
                raise ApiValidationError({"academie": ["Académie inconnue."]})
        else:
            reach = get_reach(request.user)
            candidates = reach.directory_academie_ids | reach.academie_ids
            academie_id = next(iter(candidates)) if len(candidates) == 1 else None
        return Response(ParcoursKindSerializer(kinds_of(academie_id), many=True).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
    router.register("parcours/experiences", ExperienceViewSet, basename="pathway-experience")
    router.register("parcours/eleves", PupilParcoursViewSet, basename="pathway-pupil")
    router.register("parcours/classes", ClassParcoursViewSet, basename="pathway-class")
    router.register("parcours/indicateurs", IndicatorsViewSet, basename="pathway-indicators")
    router.register("parcours/types", KindViewSet, basename="pathway-kind")
