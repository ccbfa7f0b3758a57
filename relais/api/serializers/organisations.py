"""Organisation serializers. The write serializer checks types and formats only: every rule
(territory, who may do what, parent cycles, SIRET uniqueness) belongs to
``relais.organisations.services``."""

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.settings import api_settings

from relais.core.identifiers import validate_siret
from relais.nomenclatures.models import NafCode
from relais.organisations.enums import OrganisationKind, OrganisationLevel, SizeBand
from relais.organisations.models import Organisation
from relais.organisations.selectors import organisations_visible_to
from relais.territories.models import AcademicRegion, Academie, Commune
from relais.territories.selectors import academies_visible_to
from relais.users.scopes import get_reach

from ..fields import CodeRelatedField, NafCodeField
from .territories import AcademicRegionRefSerializer, AcademieRefSerializer, CommuneRefSerializer


class NafRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = NafCode
        fields = ["code", "label"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name"]


class OrganisationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:organisation-detail")
    web_url = serializers.SerializerMethodField(help_text="La fiche de l'organisation dans Relais.")
    parent = OrganisationRefSerializer(allow_null=True)
    naf = NafRefSerializer(allow_null=True)
    commune = CommuneRefSerializer(allow_null=True)
    academie = AcademieRefSerializer(allow_null=True)
    academic_region = AcademicRegionRefSerializer(allow_null=True)
    is_archived = serializers.BooleanField(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "url",
            "web_url",
            "name",
            "acronym",
            "kind",
            "level",
            "parent",
            "siret",
            "naf",
            "size_band",
            "address",
            "postal_code",
            "commune",
            "latitude",
            "longitude",
            "academie",
            "academic_region",
            "email",
            "phone",
            "website",
            "description",
            "is_demo",
            "is_archived",
            "archived_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.URLField())
    def get_web_url(self, organisation: Organisation) -> str:
        return self.context["request"].build_absolute_uri(organisation.get_absolute_url())


POSTAL_CODE = RegexValidator(r"^\d{5}$", "Le code postal compte 5 chiffres.")


# Named like the read serializer: in the schema, its request bodies are "OrganisationRequest" and
# "PatchedOrganisationRequest", and the choice sets (kind, level…) get one enum each.
@extend_schema_serializer(component_name="Organisation")
class OrganisationWriteSerializer(serializers.Serializer):
    """Input of create (POST), full (PUT) and partial (PATCH) update.

    References are public identifiers: commune by INSEE code, NAF by code, académie and région
    académique by code, parent by id among the organisations the user sees. On PUT an omitted
    optional field is emptied; on PATCH it is left as it is."""

    name = serializers.CharField(label="Nom", max_length=255)
    acronym = serializers.CharField(label="Sigle", max_length=40, allow_blank=True, default="")
    kind = serializers.ChoiceField(label="Type", choices=OrganisationKind.choices)
    level = serializers.ChoiceField(
        label="Niveau", choices=OrganisationLevel.choices, default=OrganisationLevel.LOCAL
    )
    # Named like Field.parent: the metaclass moves declared fields off the class (stub gap).
    parent = serializers.PrimaryKeyRelatedField(  # type: ignore[assignment]
        label="Organisation de rattachement",
        queryset=Organisation.objects.none(),
        allow_null=True,
        default=None,
        # Refuses 1.5, true and « 12abc » rather than coercing them to an id.
        pk_field=serializers.IntegerField(),
        help_text="Identifiant d'une organisation visible.",
        error_messages={
            "does_not_exist": "Organisation inconnue ou hors de votre périmètre : {pk_value}.",
            "incorrect_type": "Indiquez l'identifiant numérique d'une organisation.",
        },
    )
    siret = serializers.CharField(
        label="SIRET",
        max_length=20,
        allow_blank=True,
        allow_null=True,
        default="",
        validators=[validate_siret],
        help_text="14 chiffres ; espaces, points et tirets acceptés.",
    )
    naf = NafCodeField(
        label="Code NAF",
        slug_field="code",
        queryset=NafCode.objects.all(),
        allow_null=True,
        default=None,
        help_text="Code NAF rév. 2, par exemple « 62.01Z ».",
    )
    size_band = serializers.ChoiceField(
        label="Catégorie d'entreprise", choices=SizeBand.choices, allow_blank=True, default=""
    )
    address = serializers.CharField(label="Adresse", max_length=255, allow_blank=True, default="")
    postal_code = serializers.CharField(
        label="Code postal", max_length=5, allow_blank=True, default="", validators=[POSTAL_CODE]
    )
    commune = CodeRelatedField(
        label="Commune",
        slug_field="insee_code",
        queryset=Commune.objects.select_related("departement__academie__region"),
        allow_null=True,
        default=None,
        help_text="Code INSEE de la commune, par exemple « 34172 ».",
        error_messages={"does_not_exist": "Commune inconnue : code INSEE « {value} »."},
    )
    academie = CodeRelatedField(
        label="Académie",
        slug_field="code",
        queryset=Academie.objects.none(),
        allow_null=True,
        default=None,
        help_text="Code de l'académie, pour une organisation locale sans commune.",
        error_messages={"does_not_exist": "Académie inconnue : code « {value} »."},
    )
    academic_region = CodeRelatedField(
        label="Région académique",
        slug_field="code",
        queryset=AcademicRegion.objects.all(),
        allow_null=True,
        default=None,
        help_text="Code de la région académique, pour une organisation régionale.",
        error_messages={"does_not_exist": "Région académique inconnue : code « {value} »."},
    )
    email = serializers.EmailField(label="Courriel", max_length=254, allow_blank=True, default="")
    phone = serializers.CharField(label="Téléphone", max_length=40, allow_blank=True, default="")
    website = serializers.URLField(label="Site web", max_length=500, allow_blank=True, default="")
    description = serializers.CharField(
        label="Présentation", max_length=10_000, allow_blank=True, default=""
    )

    default_error_messages = {
        "invalid": "Données non valides : un objet JSON est attendu.",
        "no_data": "Aucune donnée reçue : un objet JSON est attendu.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        self.fields["parent"].queryset = organisations_visible_to(reach=get_reach(user))
        self.fields["academie"].queryset = academies_visible_to(reach=get_reach(user))

    def validate_empty_values(self, data):
        # DRF answers a JSON « null » body with an English « No data provided ».
        if data is None:
            message = self.error_messages["no_data"]
            raise serializers.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [message]})
        return super().validate_empty_values(data)
