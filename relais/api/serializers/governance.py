"""Governance serializers: bodies (instances) with their members, rule and compliance,
meetings with attendance, minutes, decisions and action items, annual reports. The write
serializers check types and formats only; every rule belongs to relais.governance.services
and its workflows, which also say which transitions the user may fire now
(``available_transitions``). The public field ``status`` of a meeting or a report reads the
model's ``state``."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.agreements.models import Agreement, Commitment
from relais.governance.enums import MeetingState, ReportState
from relais.governance.models import (
    ActionItem,
    AnnualReport,
    Attendance,
    Body,
    BodyMember,
    CommitmentResult,
    Decision,
    Meeting,
)
from relais.governance.selectors import bodies_visible_to
from relais.governance.workflows import MEETING_WORKFLOW, REPORT_WORKFLOW
from relais.networks.models import Club
from relais.territories.models import Academie


def _available(workflow, context, obj) -> list[str]:
    """The names of the transitions the requesting user may fire on ``obj`` now."""
    request = context.get("request")
    if request is None:
        return []
    return [item.name for item in workflow.available(request.user, obj)]


class AgreementRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["id", "number", "title"]


class ClubRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Club
        fields = ["id", "name"]


class BodyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Body
        fields = ["id", "name", "kind"]


class MemberSerializer(serializers.ModelSerializer):
    structure = serializers.CharField(read_only=True)

    class Meta:
        model = BodyMember
        fields = ["id", "full_name", "email", "role", "structure", "active"]


class ComplianceSerializer(serializers.Serializer):
    school_year = serializers.IntegerField(help_text="Année de rentrée (2025 = 2025-2026).")
    status = serializers.ChoiceField(
        choices=["conforme", "a_risque", "manquee", "a_venir"],
        help_text="conforme, a_risque (pas encore respectée), manquee, a_venir.",
    )
    # Fields named like attributes of Field: the metaclass moves declared fields off the class,
    # which the stubs cannot know.
    label = serializers.CharField()  # type: ignore[assignment]
    held = serializers.IntegerField(help_text="Réunions tenues pendant l'année scolaire.")
    required = serializers.IntegerField(  # type: ignore[assignment]
        help_text="Réunions attendues sur l'année."
    )
    missed_months = serializers.ListField(child=serializers.IntegerField())
    pending_months = serializers.ListField(child=serializers.IntegerField())
    months_left = serializers.IntegerField(source="months_left_count")
    reasons = serializers.ListField(child=serializers.CharField())


class BodySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:governance-body-detail")
    web_url = serializers.SerializerMethodField()
    agreement = AgreementRefSerializer(allow_null=True)
    club = ClubRefSerializer(allow_null=True)
    academie: "serializers.SlugRelatedField[Academie]" = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    rule_label = serializers.CharField(read_only=True)
    members = serializers.SerializerMethodField()
    compliance = serializers.SerializerMethodField(
        help_text="La règle de réunion pour l'année scolaire en cours ; null si la "
        "convention n'était pas en vigueur."
    )

    class Meta:
        model = Body
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "kind",
            "agreement",
            "club",
            "academie",
            "min_meetings_per_year",
            "required_months",
            "rule_text",
            "rule_label",
            "members",
            "compliance",
        ]

    @extend_schema_field(serializers.URLField())
    def get_web_url(self, body) -> str:
        return self.context["request"].build_absolute_uri(body.get_absolute_url())

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, body):
        return MemberSerializer([m for m in body.members.all() if m.active], many=True).data

    @extend_schema_field(ComplianceSerializer(allow_null=True))
    def get_compliance(self, body):
        verdict = getattr(body, "compliance", None)
        return ComplianceSerializer(verdict).data if verdict is not None else None


class AttendanceSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.full_name")

    class Meta:
        model = Attendance
        fields = ["member_id", "member", "status"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "text"]


class ActionItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionItem
        fields = ["id", "description", "owner", "owner_email", "due_date", "done_on"]


class MeetingSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:governance-meeting-detail")
    web_url = serializers.SerializerMethodField()
    body = BodyRefSerializer()
    minutes_file_url = serializers.SerializerMethodField(
        help_text="Le compte rendu déposé en PDF (page web, session requise), ou null."
    )
    status = serializers.ChoiceField(
        choices=MeetingState.choices, source="state", label="Statut", required=False
    )
    attendances = AttendanceSerializer(many=True)
    decisions = DecisionSerializer(many=True)
    action_items = ActionItemSerializer(many=True)
    available_transitions = serializers.SerializerMethodField(
        help_text="Ce que l'utilisateur peut faire maintenant : « tenir » (POST …/tenue/, le "
        "jour venu), « annuler », « replanifier »."
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "url",
            "web_url",
            "body",
            "starts_at",
            "place",
            "agenda",
            "status",
            "minutes_text",
            "minutes_file_url",
            "minutes_sent_at",
            "attendances",
            "decisions",
            "action_items",
            "available_transitions",
        ]

    def get_available_transitions(self, meeting) -> list[str]:
        return _available(MEETING_WORKFLOW, self.context, meeting)

    @extend_schema_field(serializers.URLField())
    def get_web_url(self, meeting) -> str:
        return self.context["request"].build_absolute_uri(meeting.get_absolute_url())

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_minutes_file_url(self, meeting):
        if not meeting.minutes_file:
            return None
        from django.urls import reverse

        path = reverse("governance:meeting_minutes_file", args=[meeting.pk])
        return self.context["request"].build_absolute_uri(path)


@extend_schema_field(OpenApiTypes.INT)
class VisibleBodyField(serializers.PrimaryKeyRelatedField):
    """A body among those the user sees (another territory's body is « inconnue »)."""

    default_error_messages = {
        "does_not_exist": "Instance inconnue : {pk_value}.",
        "incorrect_type": "Indiquez l'identifiant numérique de l'instance.",
    }

    def get_queryset(self):
        request = self.context["request"]
        return bodies_visible_to(request.user).select_related("agreement", "club")


class MeetingCreateSerializer(serializers.Serializer):
    body = VisibleBodyField(help_text="Identifiant de l'instance.")
    starts_at = serializers.DateTimeField(help_text="Date et heure (ISO 8601).")
    place = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    agenda = serializers.CharField(required=False, allow_blank=True, default="")


class MinutesWriteSerializer(serializers.Serializer):
    minutes_text = serializers.CharField(
        required=False, allow_blank=True, help_text="Le compte rendu rédigé."
    )
    minutes_file = serializers.FileField(
        required=False, help_text="Le compte rendu en PDF (multipart/form-data)."
    )

    def validate(self, data):
        if "minutes_text" not in data and "minutes_file" not in data:
            raise serializers.ValidationError(
                "Envoyez le texte du compte rendu (minutes_text) ou son PDF (minutes_file)."
            )
        return data


class MinutesSentSerializer(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.EmailField())
    meeting = MeetingSerializer()


class CommitmentRefSerializer(serializers.ModelSerializer):
    party = serializers.CharField(source="party.name")

    class Meta:
        model = Commitment
        fields = ["id", "party", "category", "description", "quantity", "unit"]


class CommitmentResultSerializer(serializers.ModelSerializer):
    commitment = CommitmentRefSerializer()

    class Meta:
        model = CommitmentResult
        fields = ["commitment", "achieved", "comment"]


class ReportSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:governance-report-detail")
    agreement = AgreementRefSerializer()
    school_year_label = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(
        choices=ReportState.choices, source="state", label="Statut", required=False
    )
    results = CommitmentResultSerializer(many=True)
    available_transitions = serializers.SerializerMethodField(
        help_text="Ce que l'utilisateur peut faire maintenant : « valider » (sur le site, une "
        "fois les actions conduites et le plan d'actions rédigés)."
    )

    class Meta:
        model = AnnualReport
        fields = [
            "id",
            "url",
            "agreement",
            "school_year",
            "school_year_label",
            "status",
            "summary",
            "figures",
            "action_plan",
            "results",
            "finalized_at",
            "available_transitions",
        ]

    def get_available_transitions(self, report) -> list[str]:
        return _available(REPORT_WORKFLOW, self.context, report)
