"""Serializers of the conseils sectoriels nationaux (Mesure 5)."""

from rest_framework import serializers

from relais.governance.enums import RecommendationTopic
from relais.governance.models import Body, BodyMember, Meeting, Recommendation


class CouncilMemberSerializer(serializers.ModelSerializer):
    structure = serializers.CharField(read_only=True)

    class Meta:
        model = BodyMember
        fields = ["full_name", "role", "structure"]


class CouncilMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "starts_at", "place", "state"]


class RecommendationSerializer(serializers.ModelSerializer):
    council: serializers.PrimaryKeyRelatedField[Body] = serializers.PrimaryKeyRelatedField(
        source="body", read_only=True
    )
    meeting: serializers.PrimaryKeyRelatedField[Meeting] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = Recommendation
        fields = ["id", "council", "meeting", "topic", "text", "addressed_to", "follow_up",
                  "followed_up_on", "created_at"]  # fmt: skip


class CouncilSerializer(serializers.ModelSerializer):
    members = CouncilMemberSerializer(many=True, read_only=True)
    meetings = CouncilMeetingSerializer(many=True, read_only=True)
    recommendations = RecommendationSerializer(many=True, read_only=True)

    class Meta:
        model = Body
        fields = ["id", "name", "sector", "min_meetings_per_year", "rule_text", "members",
                  "meetings", "recommendations"]  # fmt: skip


class RecommendationWriteSerializer(serializers.Serializer):
    council = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    meeting = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, default=None
    )
    topic = serializers.ChoiceField(choices=RecommendationTopic.choices)
    text = serializers.CharField()
    addressed_to = serializers.CharField(max_length=255, required=False, default="")
