"""API of the national steering and of the open data (issue 11, item 6), registered on the v1
router by relais.api.urls:

- ``pilotage/territoires/?annee=&academie=&bassin=``: the national view's table (académies
  side by side, the bassins of an académie, the schools of a bassin) with its total, the
  figures of ``relais.reporting.national`` — the national team for every académie, an
  académie's (or a région académique's) team for its own, 403 for the others, 404 for a
  territory outside the user's;
- ``pilotage/partenaires/`` and ``pilotage/partenaires/<id>/``: the national conventions,
  the declinations of one by académie, and (national team) its commitments planned against
  achieved (``relais.reporting.partners``);
- ``donnees/``, ``donnees/<name>/`` and ``donnees/stages/``: the open data, **without a
  token** (a token sent is ignored: nothing here depends on who asks): the datasets of the
  latest daily snapshot with their Table Schema, their rows, and the published offers near a
  collège or a commune. Nothing of a search is stored.
"""

from __future__ import annotations

import json

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from relais.core.school_years import school_year_from
from relais.internships.enums import OfferKind
from relais.pupils.years import roster_year_label
from relais.reporting import national, nearby, opendata, partners, snapshot
from relais.territories.models import Academie, Bassin
from relais.users.scopes import get_reach

from ..base import ApiViewSetMixin, int_param
from ..serializers.reporting import (
    DatasetPageSerializer,
    DatasetSerializer,
    NationalAgreementSerializer,
    NationalPartnerSerializer,
    NationalTableSerializer,
    NearbySerializer,
)

STEERING = ["Pilotage national"]
OPEN_DATA = ["Données ouvertes"]
FORBIDDEN_TEXT = (
    "Le pilotage national est réservé à l'administration nationale et aux équipes "
    "académiques, chacune pour son territoire."
)
BAD_REQUEST = OpenApiResponse(description="Paramètre invalide : erreurs par champ, en français.")
FORBIDDEN = OpenApiResponse(description="Réservé aux équipes nationale et académiques.")
NOT_FOUND = OpenApiResponse(description="Inconnu ou hors du territoire de l'utilisateur.")
YEAR = OpenApiParameter(
    "annee", OpenApiTypes.INT, required=False,
    description="Année scolaire par son année de rentrée (2025 pour 2025-2026) ; par défaut "
    "l'année en cours (qui commence le 1er août).",
)  # fmt: skip
PAGE_SIZE, MAX_PAGE_SIZE = 500, 1000


class OneObjectSchema(AutoSchema):
    """The « list » of these viewsets answers one object, not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


def _year(request) -> int:
    raw = request.query_params.get("annee", "").strip()
    if not raw:
        return national.current_year()
    year = school_year_from(raw)
    if year is None:
        raise ApiValidationError(
            {"annee": ["Indiquez l'année de rentrée sur quatre chiffres, par exemple 2025."]}
        )
    return year


def _academies(request) -> list[int] | None:
    """The académies the user reads (None: all); 403 for a user who reads none."""
    reach = get_reach(request.user)
    if not national.may_read_national_view(reach):
        raise PermissionDenied(FORBIDDEN_TEXT)
    return national.academies_of(reach)


# --- the national view ---------------------------------------------------------------------


def _row(row: national.Row) -> dict:
    return {
        "kind": row.kind,
        "id": row.pk,
        "name": row.name,
        "code": row.code,
        "figures": {key: cell.value for key, cell in row.cells.items()},
        "notes": {key: cell.note for key, cell in row.cells.items() if cell.value is None},
    }


@extend_schema_view(
    list=extend_schema(
        summary="Tableau du pilotage national",
        description="Les académies côte à côte (sans paramètre), les bassins d'une académie "
        "(« academie ») ou les établissements d'un bassin (« bassin »), avec le total : "
        "conventions, CLEE, pôles de stages, conseillers et réserve, parcours Avenir. Les "
        "mêmes chiffres que la page /pilotage/ et ses exports. Effectifs de moins de 11 "
        "élèves masqués. Administration nationale : toutes les académies ; équipe "
        "académique : les siennes.",
        tags=STEERING,
        parameters=[
            YEAR,
            OpenApiParameter(
                "academie",
                OpenApiTypes.INT,
                required=False,
                description="Identifiant d'une académie : ses bassins.",
            ),
            OpenApiParameter(
                "bassin",
                OpenApiTypes.INT,
                required=False,
                description="Identifiant d'un bassin : ses établissements.",
            ),
        ],  # fmt: skip
        responses={
            200: NationalTableSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    )
)
class NationalTableViewSet(ApiViewSetMixin, viewsets.ViewSet):
    schema = OneObjectSchema()
    pagination_class = None
    filter_backends = []

    def list(self, request):
        ids = _academies(request)
        year = _year(request)
        bassin_pk, academie_pk = int_param(request, "bassin"), int_param(request, "academie")
        if bassin_pk is not None:
            bassin = Bassin.objects.filter(pk=bassin_pk).first()
            if bassin is None or (ids is not None and bassin.academie_id not in ids):
                raise NotFound("Bassin inconnu ou hors de votre territoire.")
            level, parent, name = "school", bassin.pk, str(bassin)
            total = national.total_row("bassin", year=year, ids=[bassin.pk], name="Bassin")
        elif academie_pk is not None:
            academie = Academie.objects.filter(pk=academie_pk).first()
            if academie is None or (ids is not None and academie.pk not in ids):
                raise NotFound("Académie inconnue ou hors de votre territoire.")
            level, parent, name = "bassin", academie.pk, str(academie)
            total = national.total_row("academie", year=year, ids=[academie.pk], name="Académie")
        else:
            level, parent = "academie", None
            name = "Toutes les académies" if ids is None else "Vos académies"
            total = national.total_row("academie", year=year, ids=ids, name="Total")
        rows = national.table(level, year=year, ids=ids, parent=parent)
        body = {
            "level": level,
            "territory": name,
            "school_year": year,
            "school_year_label": roster_year_label(year),
            "small_count": national.SMALL_COUNT,
            "columns": [column.__dict__ for column in national.COLUMNS],
            "rows": [_row(row) for row in rows],
            "total": _row(total),
        }
        return Response(NationalTableSerializer(body).data)


# --- national partners -------------------------------------------------------------------


def _agreement(agreement) -> dict:
    return {
        "id": agreement.pk,
        "number": agreement.number,
        "title": agreement.title,
        "state": agreement.state,
        "start_date": agreement.start_date,
        "declined": agreement.declined,
    }


@extend_schema_view(
    list=extend_schema(
        summary="Conventions nationales",
        description="Les conventions nationales en vigueur ou l'ayant été, avec le nombre "
        "de leurs déclinaisons. Équipes nationale et académiques.",
        tags=STEERING,
        responses={200: NationalAgreementSerializer(many=True), 403: FORBIDDEN},
    ),
    retrieve=extend_schema(
        summary="Une convention nationale : déclinaisons et engagements",
        description="Ses déclinaisons dans chaque académie (dans l'académie, dans la région "
        "académique, en préparation, absente) et, pour l'administration nationale, ses "
        "engagements prévus et réalisés dans tout le pays pendant l'année, calculés depuis "
        "ce que Relais enregistre du réseau du partenaire.",
        tags=STEERING,
        parameters=[
            OpenApiParameter(
                "id",
                OpenApiTypes.INT,
                OpenApiParameter.PATH,
                description="Identifiant de la convention nationale.",
            ),
            YEAR,
        ],  # fmt: skip
        responses={200: NationalPartnerSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class NationalPartnerViewSet(ApiViewSetMixin, viewsets.ViewSet):
    pagination_class = None  # a few dozen national conventions
    filter_backends = []
    lookup_value_regex = r"\d+"

    def list(self, request):
        _academies(request)
        return Response(
            NationalAgreementSerializer(
                [_agreement(a) for a in partners.national_agreements()], many=True
            ).data
        )

    def retrieve(self, request, pk=None):
        ids = _academies(request)
        year = _year(request)
        agreement = get_object_or_404(partners.national_agreements(), pk=int(pk or 0))
        declinations = [
            {
                "academie_id": status.academie.pk,
                "academie": str(status.academie),
                "code": status.academie.code,
                "status": status.status,
                "status_label": status.label,
                "agreements": [child.number for child in status.agreements],
            }
            for status in partners.declinations(agreement, ids=ids)
        ]
        commitments = None
        if ids is None:
            commitments = [
                {**line.__dict__, "rate": line.rate}
                for line in partners.commitments(agreement, year=year)
            ]
        body = {
            **_agreement(agreement),
            "school_year": year,
            "declinations": declinations,
            "commitments": commitments,
        }
        return Response(NationalPartnerSerializer(body).data)


# --- open data -----------------------------------------------------------------------------


def _dataset(request, found: snapshot.Snapshot, dataset: opendata.Dataset, rows: int) -> dict:
    def url(fmt: str) -> str:
        return request.build_absolute_uri(reverse("opendata:file", args=[f"{dataset.name}.{fmt}"]))

    return {
        "name": dataset.name,
        "title": dataset.title,
        "description": dataset.description,
        "rows": rows,
        "snapshot": found.day,
        "csv": url("csv"),
        "json": url("json"),
        "table_schema": dataset.schema(),
        "license": opendata.LICENCE,
    }


@extend_schema_view(
    list=extend_schema(
        summary="Jeux de données ouverts",
        description="Sans authentification. Les jeux de données de l'instantané quotidien "
        "(conventions en vigueur, clubs école-entreprise par bassin, campus des métiers, "
        "indicateurs par académie et par bassin), leur Table Schema et leurs fichiers CSV "
        "et JSON, sous Licence Ouverte 2.0. Aucune donnée personnelle ; effectifs de moins "
        "de 11 élèves masqués.",
        tags=OPEN_DATA,
        auth=[],
        responses={200: DatasetSerializer(many=True)},
    ),
    retrieve=extend_schema(
        summary="Lignes d'un jeu de données ouvert",
        description="Sans authentification. Les lignes de l'instantané du jour, champs du "
        "Table Schema, par pages de 500 (jusqu'à 1 000 avec « page_size »).",
        tags=OPEN_DATA,
        auth=[],
        parameters=[
            OpenApiParameter(
                "name",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Nom du jeu (« conventions-en-vigueur »).",
            ),
            OpenApiParameter("page", OpenApiTypes.INT, required=False),
            OpenApiParameter("page_size", OpenApiTypes.INT, required=False),
        ],  # fmt: skip
        responses={200: DatasetPageSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
)
class DatasetViewSet(ApiViewSetMixin, viewsets.ViewSet):
    # Open data: anyone, with or without a token (no authentication is even attempted).
    authentication_classes = []
    permission_classes = [AllowAny]
    pagination_class = None  # five datasets; the rows are paged by ``retrieve``
    filter_backends = []
    lookup_field = "name"
    lookup_value_regex = r"[a-z0-9-]+"

    def list(self, request):
        found = snapshot.latest_or_build()
        counts = found.package().get("x-rows", {})
        body = [_dataset(request, found, d, counts.get(d.name, 0)) for d in opendata.DATASETS]
        return Response(DatasetSerializer(body, many=True).data)

    def retrieve(self, request, name=None):
        dataset = opendata.BY_NAME.get(name or "")
        if dataset is None:
            raise NotFound("Jeu de données inconnu.")
        found = snapshot.latest_or_build()
        path = found.file(f"{dataset.name}.json")
        if path is None:
            raise NotFound("Jeu de données absent de l'instantané.")
        rows = json.loads(path.read_text(encoding="utf-8"))
        page = int_param(request, "page") or 1
        size = int_param(request, "page_size", maximum=MAX_PAGE_SIZE) or PAGE_SIZE
        start = (page - 1) * size
        if start and start >= len(rows):
            raise NotFound("Page hors des lignes du jeu de données.")

        def link(number: int) -> str:
            query = request.query_params.copy()
            query["page"] = str(number)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        body = {
            "name": dataset.name,
            "snapshot": found.day,
            "count": len(rows),
            "next": link(page + 1) if start + size < len(rows) else None,
            "previous": link(page - 1) if page > 1 else None,
            "results": rows[start : start + size],
        }
        return Response(DatasetPageSerializer(body).data)


@extend_schema_view(
    list=extend_schema(
        summary="Offres de stage près de chez moi",
        description="Sans authentification, rien n'est enregistré. « q » : un collège (nom ou "
        "UAI) ou une commune (nom ou code postal) ; s'il en désigne plusieurs, « candidates » "
        "les liste et « lieu » choisit l'un d'eux. Les offres publiées avec des places "
        "libres dans le rayon, de la plus proche à la plus lointaine (50 au plus). Jamais le "
        "nom ni le courriel d'un tuteur.",
        tags=OPEN_DATA,
        auth=[],
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                required=False,
                description="Collège ou commune (100 caractères au plus).",
            ),
            OpenApiParameter(
                "lieu",
                OpenApiTypes.STR,
                required=False,
                description="« college:<UAI> » ou « commune:<INSEE> ».",
            ),
            OpenApiParameter(
                "rayon",
                OpenApiTypes.INT,
                required=False,
                description="Distance en km : 5, 10 (par défaut), 20, 30 ou 50.",
                enum=list(nearby.RADII),
            ),
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                required=False,
                enum=list(OfferKind.values),
                description="Type de stage.",
            ),
        ],  # fmt: skip
        responses={200: NearbySerializer, 400: BAD_REQUEST},
    )
)
class NearbyOffersViewSet(ApiViewSetMixin, viewsets.ViewSet):
    authentication_classes = []  # open data, as the datasets
    permission_classes = [AllowAny]
    schema = OneObjectSchema()
    pagination_class = None
    filter_backends = []

    def list(self, request):
        params = request.query_params
        text, key = params.get("q", "").strip(), params.get("lieu", "").strip()
        errors = {}
        if len(text) > 100:
            errors["q"] = ["Indiquez 100 caractères au plus."]
        radius = int_param(request, "rayon", maximum=1000) or nearby.DEFAULT_RADIUS
        if radius not in nearby.RADII:
            errors["rayon"] = ["Choisissez 5, 10, 20, 30 ou 50 km."]
        kind = params.get("type", "")
        if kind and kind not in OfferKind.values:
            errors["type"] = [f"Choisissez parmi : {', '.join(OfferKind.values)}."]
        if not text and not key:
            errors["q"] = ["Indiquez un collège ou une commune."]
        if errors:
            raise ApiValidationError(errors)
        place, candidates = None, []
        if key:
            place = nearby.place_from_key(key[:20])
            if place is None:
                raise ApiValidationError({"lieu": ["Lieu inconnu."]})
        else:
            candidates = nearby.places_matching(text)
            if len(candidates) == 1:
                place, candidates = candidates[0], []
        results = nearby.offers_near(place, radius_km=radius, kind=kind) if place else []
        body = {"place": place, "candidates": candidates, "radius_km": radius, "results": results}
        return Response(NearbySerializer(body).data)


def register(router) -> None:
    """Add this area's viewsets to the v1 router (the offers before the datasets, whose
    names would otherwise catch « stages »)."""
    router.register("pilotage/territoires", NationalTableViewSet, basename="national-table")
    router.register("pilotage/partenaires", NationalPartnerViewSet, basename="national-partner")
    router.register("donnees/stages", NearbyOffersViewSet, basename="opendata-offers")
    router.register("donnees", DatasetViewSet, basename="opendata-dataset")
