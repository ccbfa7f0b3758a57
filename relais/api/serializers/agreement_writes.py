"""Convention write serializers: they check types, formats and references only; every rule
(who may do what, frozen text, clauses of a CEE convention, transitions) belongs to
``relais.agreements.services``. References are public identifiers: territories by code,
établissements by UAI, organisations, parties and signatories by id (the last two among the
rows of the convention in ``context["agreement"]``)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from relais.agreements.enums import (
    AMENDABLE_CLAUSES,
    AgreementKind,
    AgreementScope,
    CommitmentCategory,
    PartySide,
    SignatureMode,
)
from relais.agreements.models import Agreement, Article, Commitment, Party, Signatory
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.organisations.selectors import organisations_visible_to
from relais.territories.models import AcademicRegion, Academie, Bassin
from relais.users.scopes import get_reach

from ..fields import CodeRelatedField

JSON_OBJECT_ERRORS = {
    "invalid": "Données non valides : un objet JSON est attendu.",
    "no_data": "Aucune donnée reçue : un objet JSON est attendu.",
}


class JsonObjectMixin:
    """French answers to a body that is not a JSON object (DRF's own are English)."""

    def validate_empty_values(self, data):
        if data is None:
            message = JSON_OBJECT_ERRORS["no_data"]
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
        return super().validate_empty_values(data)

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            message = JSON_OBJECT_ERRORS["invalid"]
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
        return super().to_internal_value(data)


def _code_field(model, label, slug_field, help_text, unknown):
    return CodeRelatedField(
        label=label,
        slug_field=slug_field,
        queryset=model.objects.all(),
        allow_null=True,
        required=False,
        help_text=help_text,
        error_messages={"does_not_exist": unknown},
    )


class TerritoryFieldsMixin(serializers.Serializer):
    """The territory of a convention by its public codes; only the one of its scope is read."""

    academic_region = _code_field(
        AcademicRegion,
        "Région académique",
        "code",
        "Code de la région académique (périmètre « region_academique »).",
        "Région académique inconnue : code « {value} ».",
    )
    academie = _code_field(
        Academie,
        "Académie",
        "code",
        "Code de l'académie (périmètre « academie »).",
        "Académie inconnue : code « {value} ».",
    )
    bassin = _code_field(
        Bassin,
        "Bassin",
        "code",
        "Code du bassin (périmètre « bassin »).",
        "Bassin inconnu : code « {value} ».",
    )
    establishment = _code_field(
        Establishment,
        "Établissement",
        "uai",
        "UAI de l'établissement (périmètre « etablissement »), par exemple « 0340001A ».",
        "Établissement inconnu : UAI « {value} ».",
    )

    def territory(self) -> dict:
        data = self.validated_data
        names = ("academic_region", "academie", "bassin", "establishment")
        return {name: data.get(name) for name in names}


class ClauseChangesSerializer(JsonObjectMixin, serializers.Serializer):
    """What an avenant changes in the clauses of its convention; absent: unchanged."""

    duration_months = serializers.IntegerField(min_value=1, max_value=1200, required=False)
    tacit_renewal = serializers.BooleanField(required=False)
    max_renewals = serializers.IntegerField(min_value=0, max_value=100, required=False)
    notice_months = serializers.IntegerField(min_value=0, max_value=120, required=False)
    termination_months = serializers.IntegerField(min_value=0, max_value=120, required=False)
    breach_months = serializers.IntegerField(min_value=0, max_value=120, required=False)
    competent_court = serializers.CharField(max_length=200, required=False)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(AMENDABLE_CLAUSES))
            if unknown:
                raise serializers.ValidationError(
                    f"Clauses inconnues : {', '.join(map(str, unknown))}. Clauses modifiables : "
                    f"{', '.join(AMENDABLE_CLAUSES)}."
                )
        return super().to_internal_value(data)


@extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
class TemplateFieldsField(serializers.DictField):
    """The « [à compléter] » fields of the Word template: names and texts."""

    child = serializers.CharField(max_length=2000, allow_blank=True)

    def to_internal_value(self, data):
        if isinstance(data, dict) and any(len(str(key)) > 60 for key in data):
            raise serializers.ValidationError("Un nom de champ compte au plus 60 caractères.")
        return super().to_internal_value(data)


CLAUSE_FIELDS = [
    "legal_basis",
    "preamble",
    "effective_date",
    "duration_months",
    "duration_unit",
    "tacit_renewal",
    "max_renewals",
    "notice_months",
    "termination_months",
    "termination_from_sending",
    "breach_months",
    "breach_from_sending",
    "signature_place",
    "dispute_clause",
    "competent_court",
    "confidentiality_clause",
    "open_to_new_signatories",
]
TEXT_LIMITS = {
    "legal_basis": {"max_length": 20_000},
    "preamble": {"max_length": 50_000},
    "dispute_clause": {"max_length": 20_000},
    "confidentiality_clause": {"max_length": 20_000},
}


class ConventionCreateSerializer(
    JsonObjectMixin, TerritoryFieldsMixin, serializers.ModelSerializer
):
    """A new draft: title, kind, scope and the territory of that scope, and optionally its
    text and clauses (a CEE convention keeps its fixed three-year term)."""

    kind = serializers.ChoiceField(
        label="Type",
        choices=AgreementKind.choices,
        help_text="« avenant » est refusé : un avenant se crée par "
        "POST /conventions/{id}/avenants/.",
    )
    scope = serializers.ChoiceField(label="Périmètre", choices=AgreementScope.choices)
    template_fields = TemplateFieldsField(required=False, label="Champs du modèle")

    class Meta:
        model = Agreement
        fields = [
            "title",
            "kind",
            "scope",
            "academic_region",
            "academie",
            "bassin",
            "establishment",
            *CLAUSE_FIELDS,
            "template_fields",
        ]
        extra_kwargs = TEXT_LIMITS

    def clause_fields(self) -> dict:
        names = [*CLAUSE_FIELDS, "template_fields"]
        return {k: v for k, v in self.validated_data.items() if k in names}


class ConventionUpdateSerializer(JsonObjectMixin, serializers.ModelSerializer):
    """Changes to a draft (PATCH): only the fields sent change."""

    template_fields = TemplateFieldsField(required=False, label="Champs du modèle")
    clause_changes = ClauseChangesSerializer(
        required=False, help_text="Avenant seulement : les clauses de la convention qu'il change."
    )

    class Meta:
        model = Agreement
        fields = ["title", *CLAUSE_FIELDS, "template_fields", "clause_changes"]
        extra_kwargs = TEXT_LIMITS


class NoteSerializer(JsonObjectMixin, serializers.Serializer):
    note = serializers.CharField(
        label="Motif", max_length=5000, allow_blank=True, required=False, default=""
    )


class AgreementRowsMixin:
    """For a write serializer whose ``party`` (or ``signatory``) is chosen among the rows of
    the convention given in ``context["agreement"]``: another convention's row is unknown."""

    scoped: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agreement = self.context.get("agreement")
        for name, related in self.scoped.items():
            if name in self.fields:
                rows = getattr(agreement, related).all() if agreement else Party.objects.none()
                self.fields[name].queryset = rows


def _pk_field(label, what, **kwargs):
    return serializers.PrimaryKeyRelatedField(
        label=label,
        queryset=Party.objects.none(),
        pk_field=serializers.IntegerField(),
        error_messages={
            "does_not_exist": f"{what} : identifiant {{pk_value}} inconnu dans cette convention.",
            "incorrect_type": f"{what} : indiquez son identifiant numérique.",
        },
        **kwargs,
    )


class SignatureSerializer(JsonObjectMixin, AgreementRowsMixin, serializers.Serializer):
    scoped = {"signatory": "signatories"}
    signatory = _pk_field("Signataire", "Signataire", help_text="Identifiant du signataire.")
    signed_on = serializers.DateField(label="Date de signature")
    mode = serializers.ChoiceField(label="Mode de signature", choices=SignatureMode.choices)


class SignatoryRefSerializer(JsonObjectMixin, AgreementRowsMixin, serializers.Serializer):
    """The signatory who lost their signing link."""

    scoped = {"signatory": "signatories"}
    signatory = _pk_field("Signataire", "Signataire", help_text="Identifiant du signataire.")


class TerminationWriteSerializer(JsonObjectMixin, AgreementRowsMixin, serializers.Serializer):
    scoped = {"party": "parties"}
    notice_received_on = serializers.DateField(
        label="Dénonciation reçue le",
        help_text="Date de réception de la notification écrite de la dénonciation.",
    )
    reason = serializers.CharField(label="Motif", max_length=5000)
    party = _pk_field("Partie qui dénonce", "Partie", required=False, allow_null=True, default=None)


class EndingWriteSerializer(JsonObjectMixin, AgreementRowsMixin, serializers.Serializer):
    """A notice of non-renewal, a termination for breach, a mutual agreement."""

    scoped = {"party": "parties"}
    on = serializers.DateField(
        label="Date de la lettre",
        help_text="Réception de la notification (ou envoi, quand le texte compte le délai de "
        "l'envoi) ; pour un commun accord : la date de l'accord.",
    )
    reason = serializers.CharField(label="Motif", max_length=5000)
    party = _pk_field("Partie à l'origine", "Partie", required=False, allow_null=True, default=None)
    ends_on = serializers.DateField(
        label="Dernier jour en vigueur convenu",
        required=False,
        allow_null=True,
        default=None,
        help_text="Commun accord seulement.",
    )


class WithdrawalWriteSerializer(JsonObjectMixin, AgreementRowsMixin, serializers.Serializer):
    scoped = {"party": "parties"}
    party = _pk_field("Partie qui se retire", "Partie")
    on = serializers.DateField(label="Retrait notifié le")
    reason = serializers.CharField(label="Motif", max_length=5000)


class AvenantCreateSerializer(JsonObjectMixin, serializers.Serializer):
    title = serializers.CharField(
        label="Intitulé de l'avenant",
        max_length=255,
        allow_blank=True,
        required=False,
        default="",
        help_text="Vide : « Avenant n° N — intitulé de la convention ».",
    )


class DeclineSerializer(JsonObjectMixin, TerritoryFieldsMixin, serializers.Serializer):
    title = serializers.CharField(label="Intitulé de la convention locale", max_length=255)
    scope = serializers.ChoiceField(
        label="Périmètre",
        choices=[
            c
            for c in AgreementScope.choices
            if c[0]
            in (AgreementScope.ACADEMIE, AgreementScope.BASSIN, AgreementScope.ESTABLISHMENT)
        ],
    )


class PartyWriteSerializer(JsonObjectMixin, serializers.ModelSerializer):
    organisation = serializers.PrimaryKeyRelatedField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        allow_null=True,
        required=False,
        pk_field=serializers.IntegerField(),
        help_text="Identifiant d'une organisation visible de l'annuaire ; son nom sert si "
        "« name » est vide.",
        error_messages={
            "does_not_exist": "Organisation inconnue ou hors de votre périmètre : {pk_value}.",
            "incorrect_type": "Indiquez l'identifiant numérique d'une organisation.",
        },
    )
    side = serializers.ChoiceField(label="Côté", choices=PartySide.choices)

    class Meta:
        model = Party
        fields = [
            "organisation",
            "name",
            "short_name",
            "side",
            "represented_by",
            "address",
            "signs_adhesions",
        ]
        extra_kwargs = {"name": {"required": False, "allow_blank": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["organisation"].queryset = organisations_visible_to(reach=get_reach(user))


class SignatoryWriteSerializer(JsonObjectMixin, AgreementRowsMixin, serializers.ModelSerializer):
    scoped = {"party": "parties"}
    party = _pk_field("Partie", "Partie", help_text="Identifiant d'une partie de la convention.")

    class Meta:
        model = Signatory
        fields = ["party", "civility", "full_name", "title", "email", "signs_electronically"]


class ArticleWriteSerializer(JsonObjectMixin, serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["number", "heading", "body", "operation", "removes", "order"]
        extra_kwargs = {
            "body": {"max_length": 50_000},
            "removes": {"help_text": "Avenant seulement : supprime l'article de ce numéro."},
            "operation": {
                "help_text": "Avenant seulement, obligatoire pour un numéro qui existe dans la "
                "convention : « remplace », « supprime » ; « ajoute » pour un nouvel article."
            },
        }


class CommitmentWriteSerializer(JsonObjectMixin, AgreementRowsMixin, serializers.ModelSerializer):
    scoped = {"party": "parties"}
    party = _pk_field("Partie", "Partie", help_text="Identifiant d'une partie de la convention.")
    category = serializers.ChoiceField(label="Nature", choices=CommitmentCategory.choices)

    class Meta:
        model = Commitment
        fields = [
            "party",
            "category",
            "description",
            "quantity",
            "unit",
            "due_date",
            "article_number",
        ]
        extra_kwargs = {"description": {"max_length": 10_000}}
