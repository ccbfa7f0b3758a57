"""Serializers of the pôles de stages. The write serializer checks types and formats only:
every rule (territory, who may push for which partner, places never below what proposals
hold) belongs to ``relais.internships.services``; what the user may do now on an offer or a
case is its workflow's (``available_transitions``)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from relais.core.enums import Civility
from relais.internships.enums import OfferKind, SchoolLevel
from relais.internships.holidays import period_warnings, week_warnings, zone_of
from relais.internships.models import InternshipOffer, OfferSlot, PlacementCase
from relais.internships.workflows import CASE_MANUAL_STEPS, CASE_WORKFLOW, OFFER_WORKFLOW
from relais.nomenclatures.models import NafCode, RomeCode
from relais.organisations.models import Organisation
from relais.territories.models import Bassin, Commune

from ..fields import CodeRelatedField, NafCodeField
from .organisations import OrganisationRefSerializer


@extend_schema_serializer(component_name="InternshipOfferPlaces")
class SlotSerializer(serializers.ModelSerializer):
    iso_week = serializers.CharField(read_only=True, help_text="Semaine ISO, « 2026-S06 ».")
    free = serializers.IntegerField(read_only=True, help_text="Places ni retenues ni pourvues.")
    calendar_warnings = serializers.SerializerMethodField(
        help_text="Vacances scolaires de la zone de l'académie et jours fériés de la semaine "
        "(du lundi au vendredi), en français ; vide si aucun."
    )

    class Meta:
        model = OfferSlot
        fields = ["week", "iso_week", "capacity", "held", "taken", "free", "calendar_warnings"]

    def get_calendar_warnings(self, slot) -> list[str]:
        return week_warnings(slot.week, zone_of(slot.offer.bassin.academie))


@extend_schema_serializer(component_name="InternshipOffer")
class OfferSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:internship-offer-detail")
    host = OrganisationRefSerializer()
    posted_by = OrganisationRefSerializer(allow_null=True)
    partner = OrganisationRefSerializer(allow_null=True)
    bassin: serializers.SlugRelatedField[Bassin] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    rome: serializers.SlugRelatedField[RomeCode] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    naf: serializers.SlugRelatedField[NafCode] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    commune: serializers.SlugRelatedField[Commune] = serializers.SlugRelatedField(
        slug_field="insee_code", read_only=True
    )
    places = SlotSerializer(source="slots", many=True, read_only=True)
    available_transitions = serializers.SerializerMethodField(
        help_text="Ce que l'utilisateur peut faire maintenant : « publier » (PATCH avec "
        "« publish »), « fermer » (DELETE)."
    )

    class Meta:
        model = InternshipOffer
        fields = [
            "id",
            "url",
            "state",
            "title",
            "description",
            "kind",
            "diploma",
            "specialty",
            "duration_weeks",
            "host",
            "posted_by",
            "partner",
            "remote_id",
            "bassin",
            "rome",
            "naf",
            "levels",
            "address",
            "commune",
            "latitude",
            "longitude",
            "accessible",
            "reserved_places",
            "tutor_name",
            "tutor_civility",
            "tutor_function",
            "hours_per_day",
            "daily_schedule",
            "activities",
            "host_insurer",
            "host_insurance_policy",
            "places",
            "published_at",
            "created_at",
            "updated_at",
            "available_transitions",
        ]

    def get_available_transitions(self, offer) -> list[str]:
        return _available(OFFER_WORKFLOW, self.context, offer)


def _available(workflow, context, obj, among=None) -> list[str]:
    """The names of the transitions the request's user may fire on ``obj`` now (in the
    workflow's order), among ``among`` when given."""
    request = context.get("request")
    if request is None:
        return []
    return [
        item.name
        for item in workflow.available(request.user, obj)
        if among is None or item.name in among
    ]


class PlaceInput(serializers.Serializer):
    week = serializers.DateField(help_text="Un jour de la semaine (ramené au lundi).")
    places = serializers.IntegerField(min_value=0, max_value=500, help_text="0 retire la semaine.")


def _monday(day):
    import datetime

    return day - datetime.timedelta(days=day.weekday())


@extend_schema_serializer(component_name="InternshipOffer")
class OfferWriteSerializer(serializers.Serializer):
    """Input of create, update and upsert. References are public identifiers: host by id,
    bassin by code (default: the bassin of the commune's schools), ROME and NAF by code,
    commune by INSEE code. ``places`` replaces the places per week (omitted: unchanged)."""

    host = serializers.PrimaryKeyRelatedField(
        label="Structure d'accueil",
        queryset=Organisation.objects.filter(archived_at__isnull=True),
        pk_field=serializers.IntegerField(),
        error_messages={"does_not_exist": "Organisation inconnue : {pk_value}."},
    )
    bassin = CodeRelatedField(
        label="Pôle (code du bassin)",
        slug_field="code",
        queryset=Bassin.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "Bassin inconnu : code « {value} »."},
    )
    title = serializers.CharField(label="Intitulé", max_length=200)
    description = serializers.CharField(
        label="Description", allow_blank=True, default="", max_length=5000
    )
    kind = serializers.ChoiceField(label="Type de stage", choices=OfferKind.choices)
    diploma = serializers.CharField(allow_blank=True, default="", max_length=120)
    specialty = serializers.CharField(allow_blank=True, default="", max_length=120)
    duration_weeks = serializers.IntegerField(min_value=1, max_value=22, default=1)
    rome = CodeRelatedField(
        label="Code ROME",
        slug_field="code",
        queryset=RomeCode.objects.all(),
        error_messages={"does_not_exist": "Code ROME inconnu : « {value} »."},
    )
    naf = NafCodeField(
        label="Code NAF",
        slug_field="code",
        queryset=NafCode.objects.all(),
        allow_null=True,
        default=None,
    )
    levels = serializers.ListField(
        child=serializers.ChoiceField(choices=SchoolLevel.choices), min_length=1, max_length=7
    )
    address = serializers.CharField(allow_blank=True, default="", max_length=255)
    commune = CodeRelatedField(
        label="Commune",
        slug_field="insee_code",
        queryset=Commune.objects.all(),
        error_messages={"does_not_exist": "Commune inconnue : code INSEE « {value} »."},
    )
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    accessible = serializers.BooleanField(default=False)
    reserved_places = serializers.IntegerField(min_value=0, max_value=500, default=0)
    tutor_name = serializers.CharField(allow_blank=True, default="", max_length=150)
    tutor_email = serializers.EmailField(allow_blank=True, default="")
    # What the convention de stage states (national model of the stage d'observation).
    tutor_civility = serializers.ChoiceField(
        label="Civilité du tuteur", choices=Civility.choices, allow_blank=True, default=""
    )
    tutor_function = serializers.CharField(allow_blank=True, default="", max_length=150)
    hours_per_day = serializers.DecimalField(
        label="Heures de présence par jour",
        max_digits=3,
        decimal_places=1,
        min_value=Decimal(1),
        max_value=Decimal(8),
        allow_null=True,
        default=None,
        help_text="7 au plus pour un stage d'observation de 3e.",
    )
    daily_schedule = serializers.CharField(allow_blank=True, default="", max_length=200)
    activities = serializers.CharField(allow_blank=True, default="", max_length=5000)
    host_insurer = serializers.CharField(allow_blank=True, default="", max_length=200)
    host_insurance_policy = serializers.CharField(allow_blank=True, default="", max_length=100)
    # ``max_length`` goes to the ListSerializer that ``many=True`` builds; the stubs' ``many``
    # overload does not list it.
    places = PlaceInput(many=True, required=False, max_length=60)  # type: ignore[call-arg]
    publish = serializers.BooleanField(
        default=False, help_text="Publier l'offre (brouillon sinon).", write_only=True
    )

    def validate_places(self, value):
        weeks = {}
        for item in value:
            monday = _monday(item["week"])
            if monday in weeks:
                raise serializers.ValidationError(f"Semaine du {monday:%d/%m/%Y} en double.")
            weeks[monday] = item["places"]
        return weeks


@extend_schema_serializer(component_name="InternshipOfferUpsert")
class UpsertSerializer(OfferWriteSerializer):
    partner = serializers.PrimaryKeyRelatedField(
        label="Partenaire",
        queryset=Organisation.objects.all(),
        required=False,
        pk_field=serializers.IntegerField(),
        help_text="L'organisation pour laquelle vous agissez (facultatif si vous n'en "
        "représentez qu'une).",
        error_messages={"does_not_exist": "Organisation inconnue : {pk_value}."},
    )
    remote_id = serializers.RegexField(
        r"^[\w.:/-]{1,100}$",
        label="Identifiant chez le partenaire",
        error_messages={"invalid": "Lettres, chiffres et « . : / - _ », 100 caractères au plus."},
    )


@extend_schema_serializer(component_name="PlacementCase")
class CaseSerializer(serializers.ModelSerializer):
    """A case and the minimum about its pupil (the pupil's school and pôle only)."""

    pupil = serializers.SerializerMethodField()
    establishment = serializers.CharField(source="pupil.establishment.uai")
    period = serializers.SerializerMethodField(
        help_text="La période de stage de l'élève (déclarée par l'établissement), ou null."
    )
    home_commune = serializers.CharField(
        source="home_commune.insee_code",
        allow_null=True,
        default=None,
        help_text="Code INSEE de la commune de résidence, si l'établissement l'a indiquée.",
    )
    days_without_solution = serializers.SerializerMethodField()
    available_transitions = serializers.SerializerMethodField(
        help_text="Les étapes que l'utilisateur peut faire franchir au dossier maintenant, sur "
        "la page du dossier : « aider », « orienter », « decliner », « retirer »."
    )

    class Meta:
        model = PlacementCase
        fields = [
            "id",
            "state",
            "pupil",
            "establishment",
            "period",
            "wishes",
            "max_km",
            "home_commune",
            "needs_access",
            "opened_at",
            "referred_at",
            "placed_at",
            "closed_at",
            "days_without_solution",
            "available_transitions",
        ]

    def get_available_transitions(self, case) -> list[str]:
        return _available(CASE_WORKFLOW, self.context, case, among=CASE_MANUAL_STEPS)

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "first_name": {"type": "string"},
                "last_name": {"type": "string"},
                "class_label": {"type": "string"},
                "level": {"type": "string"},
                "school_year": {"type": "integer"},
                "priority": {"type": "array", "items": {"type": "string"}},
            },
        }
    )
    def get_pupil(self, case) -> dict:
        pupil = case.pupil
        return {
            "id": pupil.pk,
            "first_name": pupil.first_name,
            "last_name": pupil.last_name,
            "class_label": pupil.class_label,
            "level": pupil.level,
            "school_year": pupil.school_year,
            "priority": pupil.priority_labels,
        }

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "id": {"type": "integer"},
                "school_year": {"type": "string"},
                "level": {"type": "string"},
                "class_label": {"type": "string"},
                "start": {"type": "string", "format": "date"},
                "end": {"type": "string", "format": "date"},
                "duration_weeks": {"type": "integer"},
                "calendar_warnings": {"type": "array", "items": {"type": "string"}},
            },
        }
    )
    def get_period(self, case) -> dict | None:
        period = case.period
        if period is None:
            return None
        return {
            "id": period.pk,
            "school_year": period.school_year,
            "level": period.level,
            "class_label": period.class_label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "duration_weeks": period.duration_weeks,
            "calendar_warnings": period_warnings(
                period, zone_of(case.pupil.establishment.academie)
            ),
        }

    def get_days_without_solution(self, case) -> int:
        return case.days_without_solution()


class FiguresSerializer(serializers.Serializer):
    referred = serializers.IntegerField()
    proposed = serializers.IntegerField()
    placed = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="Placés / orientés.")
    median_days = serializers.FloatField(allow_null=True, help_text="De l'orientation au stage.")


@extend_schema_serializer(component_name="InternshipIndicators")
class IndicatorRowSerializer(serializers.Serializer):
    key = serializers.IntegerField(
        allow_null=True, help_text="Bassin ou établissement ; null : total."
    )
    # A field named ``label`` shadows ``Field.label`` (a string) in the stubs.
    label = serializers.CharField()  # type: ignore[assignment]
    all = FiguresSerializer()
    priority = FiguresSerializer()
    others = FiguresSerializer()
    companies = serializers.SerializerMethodField(help_text="Entreprises ayant accueilli.")
    gap = serializers.FloatField(
        allow_null=True, help_text="Écart en points (autres − prioritaires)."
    )

    def get_companies(self, row) -> int:
        return len(row.companies)
