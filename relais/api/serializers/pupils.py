"""Serializers of the pupils (``relais.pupils``): a pupil's roster record, the roster
import's input and result."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from relais.core.dates import SCHOOL_YEAR_MAX, SCHOOL_YEAR_MIN
from relais.establishments.models import Establishment
from relais.pupils.models import Pupil
from relais.users.scopes import get_reach

from ..fields import CodeRelatedField


@extend_schema_serializer(component_name="Pupil")
class PupilSerializer(serializers.ModelSerializer):
    """A pupil on their school's roster: the minimum (names, class, level, year, priority
    flags, the school's optional identifier)."""

    establishment = serializers.CharField(source="establishment.uai", read_only=True)
    school_year_label = serializers.CharField(read_only=True)
    priority = serializers.SerializerMethodField(
        help_text="Les priorités de l'élève : REP/REP+ (de l'établissement), QPV, handicap, "
        "arrivée récente."
    )

    class Meta:
        model = Pupil
        fields = [
            "id",
            "establishment",
            "school_year",
            "school_year_label",
            "class_label",
            "level",
            "last_name",
            "first_name",
            "school_ref",
            "qpv",
            "disability",
            "newly_arrived",
            "priority",
            "retention_until",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "array", "items": {"type": "string"}})
    def get_priority(self, pupil) -> list[str]:
        return pupil.priority_labels


@extend_schema_field(OpenApiTypes.STR)
class SchoolField(CodeRelatedField):
    """One of the user's own schools, by its UAI."""

    default_error_messages = {
        "does_not_exist": "UAI inconnu ou hors de vos établissements : « {value} ».",
        "invalid": "Indiquez l'UAI de l'établissement sous forme de texte.",
    }

    def get_queryset(self):
        user = self.context["request"].user
        return Establishment.objects.filter(pk__in=get_reach(user).establishment_ids)

    def normalize(self, value: str) -> str:
        return value.upper()


class RosterImportSerializer(serializers.Serializer):
    establishment = SchoolField(
        slug_field="uai", help_text="L'UAI de l'établissement (un des vôtres), « 0341234A »."
    )
    school_year = serializers.IntegerField(
        min_value=SCHOOL_YEAR_MIN,
        max_value=SCHOOL_YEAR_MAX,
        help_text="L'année de la rentrée de la liste : 2026 pour 2026-2027.",
    )
    file = serializers.FileField(
        help_text="Le fichier CSV exporté du logiciel de scolarité (multipart/form-data) : "
        "UTF-8 ou Windows-1252, séparateur « ; », « , » ou tabulation ; colonnes nom, prenom, "
        "classe (obligatoires), niveau, identifiant, qpv, handicap, arrivee_recente."
    )


class RosterImportResultSerializer(serializers.Serializer):
    school_year = serializers.IntegerField()
    created = serializers.IntegerField(help_text="Élèves ajoutés.")
    moved_up = serializers.IntegerField(
        help_text="Élèves de la liste de l'année précédente passés dans leur nouvelle classe."
    )
    updated = serializers.IntegerField(help_text="Élèves de la même année mis à jour.")
    unchanged = serializers.IntegerField()
    left = serializers.IntegerField(
        help_text="Élèves de l'année précédente absents du fichier (partis), conservés."
    )
    total = serializers.IntegerField()
    ignored_columns = serializers.ListField(
        child=serializers.CharField(), help_text="Colonnes du fichier non conservées."
    )


class RosterImportErrorSerializer(serializers.Serializer):
    """A refused import: the bad lines under « file »; a missing or invalid field (UAI,
    year) under its own name."""

    file = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Les lignes refusées, en français (« Ligne 3, colonne « classe » : … ») ; "
        "rien n'a été enregistré.",
    )
