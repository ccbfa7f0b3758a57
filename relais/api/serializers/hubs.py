"""Serializers of the pôles de stages themselves and of their engine runs (figures only: a
run's suggestions name pupils and stay on the pôle's pages)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from relais.internships.models import MatchingRun, PlacementHub
from relais.territories.models import Academie, Bassin

# What a line of advice gives: its text and its figures (no pupil is named).
ADVICE_KEYS = ("kind", "text", "school", "school_name", "family", "weeks", "pupils", "priority",
               "within_km", "nearest_km", "saturated")  # fmt: skip


@extend_schema_serializer(component_name="PlacementHub")
class HubSerializer(serializers.ModelSerializer):
    bassin: serializers.SlugRelatedField[Bassin] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="Bassin du pôle (où siège un pôle de filière)."
    )
    sectors = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Pôle de filière : grands domaines du ROME (lettres A à N) ; vide sinon.",
    )
    policy = serializers.CharField(
        read_only=True,
        help_text="Règle d'équité choisie par le pôle : « parity » (parité, par défaut), "
        "« strict » (priorité stricte), « none » (sans règle).",
    )

    class Meta:
        model = PlacementHub
        fields = [
            "id",
            "name",
            "kind",
            "bassin",
            "sectors",
            "policy",
            "email",
            "alert_after_days",
            "answer_days",
        ]


@extend_schema_serializer(component_name="MatchingRun")
class RunSerializer(serializers.ModelSerializer):
    hub: serializers.PrimaryKeyRelatedField[PlacementHub] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    academie: serializers.SlugRelatedField[Academie] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    placed = serializers.SerializerMethodField(help_text="Élèves placés par le moteur.")
    greedy_placed = serializers.SerializerMethodField(
        help_text="Élèves placés par « premier arrivé, premier servi » sur le même problème."
    )
    fairness = serializers.SerializerMethodField(
        help_text="Intervalle des élèves prioritaires placés parmi les placements maximaux "
        "(« range »), cible de la règle et taux de chaque groupe."
    )
    changes = serializers.SerializerMethodField(
        help_text="Changements depuis le calcul précédent, par motif."
    )
    advice = serializers.SerializerMethodField(
        help_text="Conseils de prospection tirés de la pénurie (coupe minimale)."
    )

    class Meta:
        model = MatchingRun
        fields = [
            "id",
            "hub",
            "academie",
            "policy",
            "window_start",
            "window_end",
            "created_at",
            "pupils",
            "places",
            "bound",
            "placed",
            "greedy_placed",
            "fairness",
            "changes",
            "advice",
        ]

    def get_placed(self, run) -> int:
        return int(run.stats.get("placed", 0))

    def get_greedy_placed(self, run) -> int:
        return int(run.greedy_stats.get("placed", 0))

    @extend_schema_field({"type": "object", "additionalProperties": True, "nullable": True})
    def get_fairness(self, run) -> dict | None:
        return run.stats.get("fairness")

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_changes(self, run) -> dict:
        return run.stats.get("changes") or {}

    @extend_schema_field(
        {"type": "array", "items": {"type": "object", "additionalProperties": True}}
    )
    def get_advice(self, run) -> list:
        return [
            {key: line[key] for key in ADVICE_KEYS if key in line}
            for line in run.stats.get("advice") or []
        ]
