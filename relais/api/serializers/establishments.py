"""Read serializer of établissements (the Annuaire de l'éducation, scoped to the user)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.establishments.models import Establishment

from .territories import (
    AcademieRefSerializer,
    BassinRefSerializer,
    CommuneRefSerializer,
    DepartementRefSerializer,
)


class NatureSerializer(serializers.Serializer):
    code = serializers.CharField(source="nature_code")
    # Named like Field.label: the metaclass moves declared fields off the class (stub gap).
    label = serializers.CharField(source="nature_label")  # type: ignore[assignment]


class EstablishmentSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:etablissement-detail", lookup_field="uai"
    )
    web_url = serializers.SerializerMethodField(
        help_text="La fiche de l'établissement dans Relais."
    )
    nature = NatureSerializer(source="*")
    address = serializers.SerializerMethodField(help_text="Lignes d'adresse jointes par « , ».")
    commune = CommuneRefSerializer(allow_null=True)
    departement = DepartementRefSerializer(allow_null=True)
    bassin = BassinRefSerializer(allow_null=True)
    academie = AcademieRefSerializer()

    class Meta:
        model = Establishment
        fields = [
            "uai",
            "name",
            "url",
            "web_url",
            "kind",
            "nature",
            "sector",
            "private_contract",
            "priority_education",
            "general_track",
            "technological_track",
            "vocational_track",
            "lycee_des_metiers",
            "segpa",
            "ulis",
            "apprenticeship",
            "agricultural",
            "address",
            "postal_code",
            "commune",
            "departement",
            "bassin",
            "academie",
            "latitude",
            "longitude",
            "phone",
            "email",
            "website",
            "pupil_count",
            "is_open",
            "opened_on",
            "source_updated_on",
        ]

    @extend_schema_field(serializers.URLField())
    def get_web_url(self, establishment: Establishment) -> str:
        return self.context["request"].build_absolute_uri(establishment.get_absolute_url())

    def get_address(self, establishment: Establishment) -> str:
        lines = (establishment.address_1, establishment.address_2, establishment.address_3)
        return ", ".join(line for line in lines if line)
