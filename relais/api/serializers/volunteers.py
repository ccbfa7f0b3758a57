"""Serializers of the volunteers area. Write serializers check types and formats only; every
rule (who, states, dates, capacity) is in ``relais.volunteers.services``."""

from decimal import Decimal

from django_stubs_ext import StrOrPromise
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.volunteers.enums import (
    AdvisorKind,
    InterventionDomain,
    ProfessionalStatus,
    ReserveSkill,
)
from relais.volunteers.models import (
    Advisor,
    AdvisorIntervention,
    AdvisorSeat,
    ImmersionApplication,
    ImmersionOffer,
    ReserveApplication,
    ReserveRequest,
)

from ..fields import CodeRelatedField

JSON_ERRORS: dict[str, StrOrPromise] = {
    "invalid": "Données non valides : un objet JSON est attendu.",
    "no_data": "Aucune donnée reçue : un objet JSON est attendu.",
}


class _Write(serializers.Serializer):
    default_error_messages = JSON_ERRORS


class AdvisorSeatSerializer(serializers.ModelSerializer):
    """A seat of a conseiller (Mesure 8): CLEE, campus, pôle de stages or CPC."""

    body = serializers.CharField(source="body_label", read_only=True)

    class Meta:
        model = AdvisorSeat
        fields = ["id", "kind", "body", "club", "campus", "bassin", "commission", "started_on",
                  "ended_on"]  # fmt: skip


class AdvisorSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    seats = AdvisorSeatSerializer(many=True, read_only=True)
    agreement = serializers.CharField(
        source="agreement.number", read_only=True, allow_null=True, default=None
    )
    academie = serializers.CharField(source="academie.code", read_only=True)

    class Meta:
        model = Advisor
        fields = [
            "id", "kind", "state", "academie", "agreement", "organisation", "first_name",
            "last_name", "email", "status", "employer_name", "sectors", "specialty", "domains",
            "designated_on", "letter_number", "mission", "geographic_scope", "mandate_start",
            "mandate_end", "contact_name", "contact_email", "employer_informed_on",
            "refusal_reason", "ended_on", "seats",
        ]  # fmt: skip


class AdvisorWriteSerializer(_Write):
    """A proposal (article 3): organisation by id, convention by number (CEE), académie by
    code (CET, or a convention of région académique)."""

    kind = serializers.ChoiceField(label="Type", choices=AdvisorKind.choices)
    organisation = serializers.PrimaryKeyRelatedField(
        label="Organisation", queryset=Organisation.objects.all(),
        pk_field=serializers.IntegerField(),
        error_messages={"does_not_exist": "Organisation inconnue : {pk_value}."},
    )  # fmt: skip
    agreement = serializers.CharField(label="N° de la convention CEE", required=False)
    academie = CodeRelatedField(
        label="Académie", slug_field="code", required=False, allow_null=True, default=None,
        queryset=Academie.objects.all(),
        error_messages={"does_not_exist": "Académie inconnue : code « {value} »."},
    )  # fmt: skip
    first_name = serializers.CharField(label="Prénom", max_length=150)
    last_name = serializers.CharField(label="Nom", max_length=150)
    email = serializers.EmailField(label="Courriel")
    phone = serializers.CharField(label="Téléphone", max_length=40, required=False, default="")
    status = serializers.ChoiceField(label="Statut", choices=ProfessionalStatus.choices)
    employer_name = serializers.CharField(label="Employeur", max_length=255)
    sectors = serializers.CharField(label="Secteurs d'expertise", max_length=500)
    specialty = serializers.CharField(
        label="Spécialité (CET)", max_length=200, required=False, default=""
    )
    domains = serializers.ListField(
        label="Domaines (article 2)", child=serializers.ChoiceField(InterventionDomain.choices),
        allow_empty=False,
    )  # fmt: skip


class InterventionSerializer(serializers.ModelSerializer):
    advisor_name = serializers.CharField(source="advisor.full_name", read_only=True)
    establishment = serializers.CharField(source="establishment.uai", read_only=True)

    class Meta:
        model = AdvisorIntervention
        fields = ["id", "advisor", "advisor_name", "domain", "establishment", "date", "hours",
                  "description"]  # fmt: skip


class InterventionWriteSerializer(_Write):
    advisor = serializers.IntegerField(label="Identifiant du conseiller")
    domain = serializers.ChoiceField(
        label="Domaine (article 2)", choices=InterventionDomain.choices
    )
    establishment = CodeRelatedField(
        label="UAI de l'établissement", slug_field="uai", queryset=Establishment.objects.all(),
        error_messages={"does_not_exist": "Établissement inconnu : UAI « {value} »."},
    )  # fmt: skip
    date = serializers.DateField(label="Date")
    hours = serializers.DecimalField(
        label="Durée (heures)",
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=200,
    )
    description = serializers.CharField(max_length=500, required=False, default="")


class ReservistSerializer(serializers.ModelSerializer):
    """A validated reservist, as a teacher sees them (no postal address)."""

    commune = serializers.CharField(source="commune.name", read_only=True)
    distance_km = serializers.SerializerMethodField()
    interventions = serializers.IntegerField(source="done", read_only=True)

    class Meta:
        model = ReserveApplication
        fields = [
            "id", "first_name", "last_name", "profession", "sectors", "skills", "availability",
            "commune", "max_distance_km", "distance_km", "interventions",
        ]  # fmt: skip

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, reservist) -> float | None:
        distance = getattr(reservist, "distance", None)
        return None if distance is None else round(float(distance), 1)


class ReserveRequestSerializer(serializers.ModelSerializer):
    reservist_name = serializers.CharField(source="reservist.full_name", read_only=True)
    establishment = serializers.CharField(source="establishment.uai", read_only=True)

    class Meta:
        model = ReserveRequest
        fields = ["id", "reservist", "reservist_name", "establishment", "state", "subject",
                  "message", "skill", "wished_date", "answer_note", "answered_at", "done_on",
                  "hours", "pupils", "created_at"]  # fmt: skip


class ReserveRequestWriteSerializer(_Write):
    reservist = serializers.IntegerField(label="Identifiant du réserviste")
    subject = serializers.CharField(label="Objet", max_length=200)
    message = serializers.CharField(label="Votre projet", max_length=4000)
    skill = serializers.ChoiceField(label="Thème", choices=ReserveSkill.choices)
    wished_date = serializers.DateField(label="Date souhaitée", required=False, allow_null=True,
                                        default=None)  # fmt: skip


class ReserveAnswerSerializer(_Write):
    note = serializers.CharField(label="Message", max_length=2000, required=False, default="")


class ImmersionOfferSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    validated = serializers.IntegerField(read_only=True)

    class Meta:
        model = ImmersionOffer
        fields = ["id", "organisation", "title", "description", "place", "start_date",
                  "end_date", "capacity", "validated", "is_open"]  # fmt: skip


class ImmersionApplicationSerializer(serializers.ModelSerializer):
    applicant = serializers.CharField(source="applicant.get_full_name", read_only=True)
    establishment = serializers.CharField(source="establishment.uai", read_only=True)

    class Meta:
        model = ImmersionApplication
        fields = ["id", "offer", "applicant", "establishment", "motivation", "state",
                  "academie_approved_at", "company_approved_at", "refusal_reason", "rating",
                  "evaluation", "evaluated_at", "confidentiality_version",
                  "confidentiality_accepted_at"]  # fmt: skip


class ImmersionApplyWriteSerializer(_Write):
    offer = serializers.IntegerField(label="Identifiant de l'offre")
    motivation = serializers.CharField(label="Motivation", max_length=2000)
    confidentiality_accepted = serializers.BooleanField(
        label="Engagement de confidentialité pris",
        help_text="Doit valoir true : l'enseignant prend l'engagement de confidentialité "
        "(convention CPME Île-de-France, article 3.2) ; sa version et l'heure sont enregistrées.",
    )
