"""Serializers of the library of kits and resources and of the preparation of the stage de
3e (issue 15, items 1 and 2)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.resources.enums import Audience, ResourceKind, Step, Topic
from relais.resources.models import Resource, ResourceVersion


class ResourceVersionSerializer(serializers.ModelSerializer):
    fichier = serializers.SerializerMethodField()

    class Meta:
        model = ResourceVersion
        fields = ["number", "body", "url", "fichier", "note", "created_at"]

    @extend_schema_field(serializers.BooleanField())
    def get_fichier(self, version: ResourceVersion) -> bool:
        return bool(version.file)


class ResourceSerializer(serializers.ModelSerializer):
    academie = serializers.CharField(source="academie.code", default=None, read_only=True)
    version = ResourceVersionSerializer(source="current", read_only=True)
    uses = serializers.SerializerMethodField(help_text="Utilisations (pour qui gère la ressource).")

    class Meta:
        model = Resource
        fields = [
            "id", "title", "summary", "audience", "kind", "step", "topic", "academie",
            "archived_at", "version", "uses",
        ]  # fmt: skip

    @extend_schema_field(serializers.DictField(child=serializers.IntegerField(), allow_null=True))
    def get_uses(self, resource: Resource) -> dict[str, int] | None:
        # Annotated by ``with_use_counts`` for those who manage resources only.
        if not hasattr(resource, "opens"):
            return None
        return {kind: getattr(resource, kind) for kind in ("opens", "downloads", "sends")}


class ResourceDetailSerializer(ResourceSerializer):
    versions = ResourceVersionSerializer(many=True, read_only=True)

    class Meta(ResourceSerializer.Meta):
        fields = [*ResourceSerializer.Meta.fields, "versions"]


class ResourceVersionWriteSerializer(serializers.Serializer):
    body = serializers.CharField(required=False, allow_blank=True, default="")
    url = serializers.URLField(required=False, allow_blank=True, default="", max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class ResourceWriteSerializer(ResourceVersionWriteSerializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    audience = serializers.ChoiceField(choices=Audience.choices)
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    step = serializers.ChoiceField(
        choices=Step.choices, required=False, allow_blank=True, default=""
    )
    topic = serializers.ChoiceField(
        choices=Topic.choices, required=False, allow_blank=True, default=""
    )
    academie = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=3,
        help_text="Code de l'académie ; vide : ressource nationale (équipe nationale).",
    )  # fmt: skip


class ClassPreparationSerializer(serializers.Serializer):
    """One class going on its stage de 3e; counts of pupils under 11 are null above the
    school."""

    period = serializers.IntegerField(source="period.pk")
    etablissement = serializers.CharField(source="period.establishment.uai")
    class_label = serializers.CharField()
    start = serializers.DateField(source="period.start")
    end = serializers.DateField(source="period.end")
    done = serializers.DictField(child=serializers.DateField(), help_text="Contenu → fait le.")
    prepared = serializers.BooleanField()
    pupils = serializers.IntegerField(allow_null=True)
    reports = serializers.IntegerField(allow_null=True)
    placements = serializers.IntegerField(allow_null=True)
    feedbacks = serializers.IntegerField(allow_null=True)


class PreparationStepWriteSerializer(serializers.Serializer):
    period = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    class_label = serializers.CharField(allow_blank=True, max_length=40)
    topic = serializers.ChoiceField(choices=Topic.choices)
    done_on = serializers.DateField(required=False, allow_null=True, help_text="Vide : à refaire.")
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
