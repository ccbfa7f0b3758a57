"""Serializers of the juries API: exam sessions and the jurors named to them."""

from rest_framework import serializers

from relais.establishments.models import Establishment
from relais.juries.models import ExamSession, Juror
from relais.juries.workflows import JUROR_WORKFLOW
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.volunteers.models import Advisor

from ..fields import CodeRelatedField


class ExamSessionSerializer(serializers.ModelSerializer):
    academie = serializers.CharField(source="academie.code", read_only=True)
    establishment = serializers.CharField(
        source="establishment.uai", read_only=True, allow_null=True, default=None
    )
    seated = serializers.IntegerField(read_only=True, help_text="Places pourvues.")

    class Meta:
        model = ExamSession
        fields = ["id", "academie", "diploma", "specialty", "date", "starts_at", "place",
                  "establishment", "seats", "seated", "notes"]  # fmt: skip


class ExamSessionWriteSerializer(serializers.Serializer):
    academie = CodeRelatedField(
        label="Académie", slug_field="code", queryset=Academie.objects.all(),
        error_messages={"does_not_exist": "Académie inconnue : code « {value} »."},
    )  # fmt: skip
    diploma = serializers.CharField(label="Diplôme", max_length=200)
    specialty = serializers.CharField(max_length=200, required=False, default="")
    date = serializers.DateField()
    starts_at = serializers.TimeField(label="Heure de convocation")
    place = serializers.CharField(max_length=255)
    establishment = CodeRelatedField(
        label="UAI du centre d'examen", slug_field="uai", required=False, allow_null=True,
        default=None, queryset=Establishment.objects.all(),
        error_messages={"does_not_exist": "Établissement inconnu : UAI « {value} »."},
    )  # fmt: skip
    seats = serializers.IntegerField(min_value=1, max_value=200)
    notes = serializers.CharField(required=False, default="", allow_blank=True)


class JurorSerializer(serializers.ModelSerializer):
    session: serializers.PrimaryKeyRelatedField[ExamSession] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    organisation: serializers.PrimaryKeyRelatedField[Organisation] = (
        serializers.PrimaryKeyRelatedField(read_only=True)
    )
    advisor: serializers.PrimaryKeyRelatedField[Advisor] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    available_transitions = serializers.SerializerMethodField(
        help_text="Ce que l'utilisateur peut faire maintenant (POST …/<étape>/) : « convoquer », "
        "« constater_presence », « constater_absence », « retirer »."
    )

    class Meta:
        model = Juror
        fields = ["id", "session", "organisation", "advisor", "full_name", "email",
                  "employer_name", "job_title", "state", "convoked_at",
                  "available_transitions"]  # fmt: skip

    def get_available_transitions(self, juror) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return [item.name for item in JUROR_WORKFLOW.available(request.user, juror)]


class JurorWriteSerializer(serializers.Serializer):
    """Name a professional (name, e-mail) or one of the organisation's CEE (``advisor``)."""

    session = serializers.PrimaryKeyRelatedField(
        queryset=ExamSession.objects.all(),
        error_messages={"does_not_exist": "Session inconnue : {pk_value}."},
    )
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(),
        error_messages={"does_not_exist": "Organisation inconnue : {pk_value}."},
    )
    advisor = serializers.PrimaryKeyRelatedField(
        queryset=Advisor.objects.all(), required=False, allow_null=True, default=None,
        error_messages={"does_not_exist": "Conseiller inconnu : {pk_value}."},
    )  # fmt: skip
    full_name = serializers.CharField(max_length=200, required=False, default="")
    email = serializers.EmailField(required=False, default="")
    employer_name = serializers.CharField(max_length=255, required=False, default="")
    job_title = serializers.CharField(max_length=200, required=False, default="")

    def validate(self, attrs):
        if attrs.get("advisor") is None and not (attrs.get("full_name") and attrs.get("email")):
            raise serializers.ValidationError(
                "Indiquez le nom et le courriel du professionnel, ou un CEE (« advisor »)."
            )
        return attrs
