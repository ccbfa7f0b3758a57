"""Read serializers of the territory: public reference data, identified by their codes."""

from rest_framework import serializers

from relais.territories.models import AcademicRegion, Academie, Bassin, Commune, Departement


class AcademicRegionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AcademicRegion
        fields = ["code", "name"]


class AcademieRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Academie
        fields = ["code", "name"]


class BassinRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Bassin
        fields = ["code", "name"]


class DepartementRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Departement
        fields = ["code", "name"]


class CommuneRefSerializer(serializers.ModelSerializer):
    insee = serializers.CharField(source="insee_code", label="Code INSEE")

    class Meta:
        model = Commune
        fields = ["insee", "name"]


class AcademieSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:academie-detail", lookup_field="code"
    )
    region = AcademicRegionRefSerializer()

    class Meta:
        model = Academie
        fields = ["code", "name", "url", "region", "holiday_zone", "latitude", "longitude"]


class BassinSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:bassin-detail", lookup_field="code"
    )
    academie = AcademieRefSerializer()

    class Meta:
        model = Bassin
        fields = ["code", "name", "url", "academie"]


class DepartementSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:departement-detail", lookup_field="code"
    )
    academie = AcademieRefSerializer()

    class Meta:
        model = Departement
        fields = ["code", "name", "url", "academie"]


class CommuneSerializer(serializers.ModelSerializer):
    insee = serializers.CharField(source="insee_code", label="Code INSEE")
    url = serializers.HyperlinkedIdentityField(
        view_name="api-v1:commune-detail", lookup_field="insee_code", lookup_url_kwarg="insee"
    )
    departement = DepartementRefSerializer(allow_null=True)

    class Meta:
        model = Commune
        fields = ["insee", "name", "url", "postal_code", "departement", "latitude", "longitude"]
