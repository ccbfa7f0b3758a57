"""Serializers of the networks area: clubs, mandates, campus. Write serializers check types
only; every rule (June nomination, 5-year limit, who may name) is in relais.networks.services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.establishments.models import Establishment
from relais.networks.enums import MandateRole
from relais.networks.models import Campus, CampusMember, Club, ClubMember, Mandate
from relais.networks.selectors import current_mandate
from relais.organisations.models import Organisation
from relais.users.scopes import get_reach

from .organisations import OrganisationRefSerializer
from .territories import AcademieRefSerializer, BassinRefSerializer


class MandateBriefSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = Mandate
        fields = ["id", "full_name", "email", "phone", "organisation", "starts_on", "ends_on"]


class ClubSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:club-detail")
    bassin = BassinRefSerializer()
    academie = AcademieRefSerializer()
    member_count = serializers.IntegerField(read_only=True, help_text="Membres actuels.")
    referent = serializers.SerializerMethodField(help_text="Référent de l'année scolaire en cours.")
    pilote = serializers.SerializerMethodField(help_text="Pilote de l'année scolaire en cours.")

    class Meta:
        model = Club
        fields = ["id", "url", "name", "bassin", "academie", "contact_email", "charter",
                  "member_count", "referent", "pilote"]  # fmt: skip

    def _holder(self, club, role):
        mandate = current_mandate(getattr(club, "year_mandates", []), role)
        if mandate is None:
            return None
        # One serializer for the whole list: building its fields for every club and role
        # cost more than the page's queries.
        if not hasattr(self, "_mandate_brief"):
            self._mandate_brief = MandateBriefSerializer()
        return self._mandate_brief.to_representation(mandate)

    @extend_schema_field(MandateBriefSerializer(allow_null=True))
    def get_referent(self, club):
        return self._holder(club, MandateRole.REFERENT)

    @extend_schema_field(MandateBriefSerializer(allow_null=True))
    def get_pilote(self, club):
        return self._holder(club, MandateRole.PILOTE)


class ClubMemberSerializer(serializers.ModelSerializer):
    establishment: "serializers.SlugRelatedField[Establishment]" = serializers.SlugRelatedField(
        slug_field="uai", read_only=True, allow_null=True
    )
    organisation = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = ClubMember
        fields = ["id", "full_name", "email", "function", "by_right", "establishment",
                  "organisation", "joined_on"]  # fmt: skip


class ClubDetailSerializer(ClubSerializer):
    members = serializers.SerializerMethodField()

    class Meta(ClubSerializer.Meta):
        fields = [*ClubSerializer.Meta.fields, "members"]

    @extend_schema_field(ClubMemberSerializer(many=True))
    def get_members(self, club):
        return ClubMemberSerializer(getattr(club, "current_members", []), many=True).data


class MandateSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:mandat-detail")
    club: "serializers.PrimaryKeyRelatedField[Club]" = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    club_name = serializers.CharField(source="club.name", read_only=True)
    organisation = OrganisationRefSerializer(allow_null=True)
    appointing_organisations = OrganisationRefSerializer(many=True)
    school_year_label = serializers.CharField(read_only=True)

    class Meta:
        model = Mandate
        fields = ["id", "url", "club", "club_name", "role", "school_year", "school_year_label",
                  "full_name", "email", "phone", "organisation", "appointed_on", "appointed_by",
                  "appointing_organisations", "replacement", "starts_on", "ends_on",
                  "previous"]  # fmt: skip


class MandateWriteSerializer(serializers.Serializer):
    club = serializers.PrimaryKeyRelatedField(queryset=Club.objects.none())
    role = serializers.ChoiceField(choices=MandateRole.choices)
    school_year = serializers.IntegerField(
        min_value=2000, max_value=2100, help_text="Année de rentrée : 2025 pour 2025-2026."
    )
    full_name = serializers.CharField(max_length=150)
    email = serializers.EmailField()
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), required=False, allow_null=True
    )
    appointed_on = serializers.DateField()
    appointing_organisations = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), many=True, required=False
    )
    replacement = serializers.BooleanField(required=False, default=False)
    starts_on = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from relais.networks.selectors import clubs_visible_to
            from relais.organisations.selectors import organisations_visible_to

            self.fields["club"].queryset = clubs_visible_to(user=request.user)
            organisations = organisations_visible_to(reach=get_reach(request.user))
            self.fields["organisation"].queryset = organisations
            self.fields["appointing_organisations"].child_relation.queryset = organisations


class CampusMemberSerializer(serializers.ModelSerializer):
    establishment: "serializers.SlugRelatedField[Establishment]" = serializers.SlugRelatedField(
        slug_field="uai", read_only=True, allow_null=True
    )
    organisation = OrganisationRefSerializer(allow_null=True)

    class Meta:
        model = CampusMember
        fields = ["id", "kind", "establishment", "organisation", "name"]


class CampusSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:campus-detail")
    academie = AcademieRefSerializer()
    head_establishment: "serializers.SlugRelatedField[Establishment]" = (
        serializers.SlugRelatedField(slug_field="uai", read_only=True, allow_null=True)
    )
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campus
        fields = ["id", "url", "name", "sector", "academie", "head_establishment", "website",
                  "contact_email", "label_starts_on", "label_ends_on", "label_reference",
                  "member_count", "is_demo"]  # fmt: skip


class CampusDetailSerializer(CampusSerializer):
    members = CampusMemberSerializer(many=True, read_only=True)

    class Meta(CampusSerializer.Meta):
        fields = [*CampusSerializer.Meta.fields, "description", "members"]
