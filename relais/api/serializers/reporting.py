"""Serializers of the national view, the national partners' view and the open data (issue 11,
item 6). They describe what ``relais.reporting`` computes for the pages, so that a figure is
the same in the page, its CSV and the API."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "number", "nullable": True},
        "description": "Valeur de chaque indicateur (clé de « columns ») ; null quand elle "
        "n'est pas publiée (voir « notes »).",
    }
)
class FiguresField(serializers.DictField):
    pass


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"type": "string"},
        "description": "Pourquoi une valeur manque : « secret statistique », « < 11 » "
        "(moins de 11 élèves) ou « — » (sans objet).",
    }
)
class NotesField(serializers.DictField):
    pass


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    theme = serializers.CharField()
    unit = serializers.CharField(help_text="« % », « jours », « points » ou vide.")
    pupils = serializers.BooleanField(help_text="Effectif d'élèves : secret statistique.")


class TerritoryRowSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="academie, bassin, school ou total.")
    id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    code = serializers.CharField()
    figures = FiguresField()
    notes = NotesField()


class NationalTableSerializer(serializers.Serializer):
    level = serializers.CharField(
        help_text="academie (académies côte à côte), bassin (bassins d'une académie) ou "
        "school (établissements d'un bassin)."
    )
    territory = serializers.CharField()
    school_year = serializers.IntegerField()
    school_year_label = serializers.CharField()
    small_count = serializers.IntegerField(help_text="Seuil du secret statistique.")
    columns = ColumnSerializer(many=True)
    rows = TerritoryRowSerializer(many=True)
    total = TerritoryRowSerializer()


class NationalAgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    state = serializers.CharField()
    start_date = serializers.DateField(allow_null=True)
    declined = serializers.IntegerField(help_text="Déclinaisons en vigueur ou résiliées.")


class DeclinationSerializer(serializers.Serializer):
    academie_id = serializers.IntegerField()
    academie = serializers.CharField()
    code = serializers.CharField()
    status = serializers.CharField(help_text="academie, region, pending ou missing.")
    status_label = serializers.CharField()
    agreements = serializers.ListField(
        child=serializers.CharField(), help_text="Numéros des conventions de déclinaison."
    )


class CommitmentLineSerializer(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label
    planned = serializers.IntegerField(allow_null=True)
    achieved = serializers.IntegerField(
        allow_null=True, help_text="null : cette nature d'engagement n'est pas suivie."
    )
    rate = serializers.FloatField(allow_null=True)
    evidence = serializers.CharField(help_text="Ce qui est compté.")


class NationalPartnerSerializer(NationalAgreementSerializer):
    school_year = serializers.IntegerField()
    declinations = DeclinationSerializer(many=True)
    commitments = CommitmentLineSerializer(
        many=True,
        allow_null=True,
        help_text="Engagements prévus et réalisés dans tout le pays (équipe nationale "
        "seulement ; null pour une équipe académique).",
    )


class DatasetSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    rows = serializers.IntegerField()
    snapshot = serializers.DateField(help_text="Date de l'instantané quotidien.")
    csv = serializers.URLField()
    json = serializers.URLField()
    table_schema = serializers.JSONField(help_text="Table Schema (Frictionless).")
    license = serializers.JSONField()


class DatasetPageSerializer(serializers.Serializer):
    name = serializers.CharField()
    snapshot = serializers.DateField()
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = serializers.ListField(
        child=serializers.DictField(), help_text="Lignes, champs du Table Schema."
    )


class PlaceSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="« college:<UAI> » ou « commune:<INSEE> ».")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like Field.label


class NearbyOfferSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="offer.pk")
    title = serializers.CharField(source="offer.title")
    kind = serializers.CharField(source="offer.kind")
    host = serializers.CharField(source="offer.host.name")
    commune = serializers.SerializerMethodField()
    distance_km = serializers.FloatField(source="distance")
    weeks = serializers.ListField(child=serializers.DateField())
    accessible = serializers.BooleanField(source="offer.accessible")

    @extend_schema_field(OpenApiTypes.STR)
    def get_commune(self, found) -> str:
        commune = found.offer.commune
        return commune.name if commune is not None else ""


class NearbySerializer(serializers.Serializer):
    place = PlaceSerializer(allow_null=True)
    candidates = PlaceSerializer(many=True)
    radius_km = serializers.IntegerField()
    results = NearbyOfferSerializer(many=True)
