"""Serializers of the training API: sections, changes under concertation and opinions,
métiers en tension, and the CASNAV's CVs of young newcomers (their companies' answers)."""

from rest_framework import serializers

from relais.training.enums import SECTOR_CHOICES, ContractKind, Opinion
from relais.training.models import (
    Newcomer,
    NewcomerAnswer,
    SectionChange,
    SectionOpinion,
    ShortageReport,
    TrainingSection,
)


class TrainingSectionSerializer(serializers.ModelSerializer):
    establishment = serializers.CharField(source="establishment.uai", read_only=True)
    academie = serializers.CharField(source="establishment.academie.code", read_only=True)

    class Meta:
        model = TrainingSection
        fields = ["id", "establishment", "academie", "diploma", "level", "sector", "nsf_code",
                  "status", "capacity", "state", "opened_on", "closed_on"]  # fmt: skip


class SectionOpinionSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)

    class Meta:
        model = SectionOpinion
        fields = ["id", "organisation", "opinion", "comment", "answered_at"]


class SectionChangeSerializer(serializers.ModelSerializer):
    establishment = serializers.CharField(source="establishment.uai", read_only=True)
    opinions = SectionOpinionSerializer(many=True, read_only=True)

    class Meta:
        model = SectionChange
        fields = ["id", "kind", "state", "establishment", "section", "diploma", "level",
                  "sector", "status", "capacity", "reason", "effective_on",
                  "opinion_deadline", "decided_on", "opinions"]  # fmt: skip


class OpinionWriteSerializer(serializers.Serializer):
    opinion_id = serializers.IntegerField(help_text="L'avis attendu de votre organisation.")
    opinion = serializers.ChoiceField(choices=Opinion.choices)
    comment = serializers.CharField(required=False, default="", allow_blank=True)


class ShortageReportSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name", read_only=True)
    academie = serializers.CharField(source="academie.code", read_only=True)

    class Meta:
        model = ShortageReport
        fields = ["id", "organisation", "academie", "sector", "job", "comment", "reported_on"]


class ShortageWriteSerializer(serializers.Serializer):
    organisation_id = serializers.IntegerField()
    academie = serializers.CharField(help_text="Code de l'académie.")
    sector = serializers.ChoiceField(choices=SECTOR_CHOICES)
    job = serializers.CharField(max_length=200)
    comment = serializers.CharField(required=False, default="", allow_blank=True)


class NewcomerAnswerSerializer(serializers.ModelSerializer):
    company = serializers.CharField(source="company.name", read_only=True)

    class Meta:
        model = NewcomerAnswer
        fields = ["id", "company", "state", "contract_kind", "interview_on", "note"]


class NewcomerSerializer(serializers.ModelSerializer):
    """Minimum data; the CV is downloaded from the page, never through the API."""

    academie = serializers.CharField(source="academie.code", read_only=True)
    answers = serializers.SerializerMethodField()

    class Meta:
        model = Newcomer
        fields = ["id", "academie", "first_name", "initial", "french_level", "sector", "wish",
                  "retention_until", "answers"]  # fmt: skip

    def get_answers(self, newcomer) -> list[dict]:
        visible = self.context.get("answers", {}).get(newcomer.pk, [])
        return list(NewcomerAnswerSerializer(visible, many=True).data)


class AnswerWriteSerializer(serializers.Serializer):
    company_id = serializers.IntegerField()
    note = serializers.CharField(required=False, default="", allow_blank=True)


class AnswerStepSerializer(serializers.Serializer):
    answer_id = serializers.IntegerField()
    interview_on = serializers.DateField(required=False, allow_null=True, default=None)
    contract_kind = serializers.ChoiceField(
        choices=ContractKind.choices, required=False, default=""
    )
    note = serializers.CharField(required=False, default="", allow_blank=True)


class CasnavCommitmentLineSerializer(serializers.Serializer):
    agreement = serializers.CharField(source="agreement.number")
    committed = serializers.IntegerField(allow_null=True)
    shared = serializers.CharField(help_text="« < 11 » sous onze.")
    interested = serializers.CharField()
    promises = serializers.CharField()
    contracts = serializers.CharField()
