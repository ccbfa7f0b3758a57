"""Serializers of the catalogue of actions. Write serializers check types only; the rules
(area, capacity, who answers, transitions) are in relais.actions.services and its
workflows, which also say which transitions the user may fire now
(``available_transitions``)."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from relais.actions.enums import ActionKind, Level, RequestState, RequestTransition
from relais.actions.models import ActionRequest, Offer, RequestJournal
from relais.actions.workflows import OFFER_WORKFLOW, REQUEST_WORKFLOW
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.territories.models import Academie, Bassin, Commune
from relais.users.scopes import get_reach

from ..fields import CodeRelatedField
from .organisations import OrganisationRefSerializer
from .territories import AcademieRefSerializer, BassinRefSerializer, CommuneRefSerializer


class OfferSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:action-offer-detail")
    organisation = OrganisationRefSerializer()
    academie = AcademieRefSerializer()
    bassin = BassinRefSerializer(allow_null=True)
    commune = CommuneRefSerializer(allow_null=True)
    booked = serializers.IntegerField(read_only=True, help_text="Demandes acceptées ou réalisées.")
    distance_km = serializers.SerializerMethodField(
        help_text="Distance à l'établissement de la recherche « etablissement » (km)."
    )
    available_transitions = serializers.SerializerMethodField(
        help_text="Ce que l'utilisateur peut faire maintenant (POST …/<étape>/) : « publier », "
        "« clore »."
    )

    class Meta:
        model = Offer
        fields = ["id", "url", "organisation", "kind", "title", "description", "levels",
                  "academie", "bassin", "commune", "radius_km", "latitude", "longitude",
                  "starts_on", "ends_on", "capacity", "max_pupils", "booked", "contact_email",
                  "state", "published_at", "is_demo", "distance_km", "disability_awareness",
                  "available_transitions"]  # fmt: skip

    def get_distance_km(self, offer) -> float | None:
        distance = getattr(offer, "distance", None)
        return round(distance, 2) if distance is not None else None

    def get_available_transitions(self, offer) -> list[str]:
        return _available(OFFER_WORKFLOW, self.context, offer)


def _available(workflow, context, obj) -> list[str]:
    request = context.get("request")
    if request is None:
        return []
    return [item.name for item in workflow.available(request.user, obj)]


class OfferWriteSerializer(serializers.Serializer):
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())
    kind = serializers.ChoiceField(choices=ActionKind.choices)
    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    levels = serializers.ListField(
        child=serializers.ChoiceField(choices=Level.choices), required=False
    )
    academie = CodeRelatedField(slug_field="code", queryset=Academie.objects.none())
    bassin = CodeRelatedField(
        slug_field="code", queryset=Bassin.objects.all(), required=False, allow_null=True
    )
    commune = CodeRelatedField(
        slug_field="insee_code", queryset=Commune.objects.all(), required=False, allow_null=True
    )
    radius_km = serializers.IntegerField(
        min_value=1, max_value=500, required=False, allow_null=True
    )
    starts_on = serializers.DateField(required=False, allow_null=True)
    ends_on = serializers.DateField(required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, max_value=1000)
    max_pupils = serializers.IntegerField(min_value=1, max_value=5000, required=False,
                                          allow_null=True)  # fmt: skip
    contact_email = serializers.EmailField()
    disability_awareness = serializers.BooleanField(
        required=False, default=False, help_text="Action de sensibilisation au handicap."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from relais.organisations.selectors import organisations_visible_to
            from relais.territories.selectors import academies_visible_to

            self.fields["organisation"].queryset = organisations_visible_to(
                reach=get_reach(request.user)
            )
            self.fields["academie"].queryset = academies_visible_to(reach=get_reach(request.user))


@extend_schema_serializer(component_name="RequestLog")  # its name in the schema since v1
class RequestJournalSerializer(serializers.ModelSerializer):
    """A line of the request's journal: the step, from which state to which, who, when, with
    which message."""

    transition = serializers.ChoiceField(choices=RequestTransition.choices, read_only=True)
    from_state = serializers.ChoiceField(
        choices=RequestState.choices, allow_blank=True, read_only=True
    )
    to_state = serializers.ChoiceField(choices=RequestState.choices, read_only=True)
    by = serializers.SerializerMethodField(help_text="Vide : le système.")
    note = serializers.CharField(label="Message", read_only=True)

    class Meta:
        model = RequestJournal
        fields = ["transition", "from_state", "to_state", "by", "at", "note"]

    def get_by(self, entry) -> str | None:
        """Who, by name: kept when the account is deleted."""
        return entry.by_name or None


class ActionRequestSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:action-request-detail")
    offer: "serializers.PrimaryKeyRelatedField[Offer]" = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    offer_title = serializers.CharField(source="offer.title", read_only=True)
    partner = OrganisationRefSerializer(source="offer.organisation", read_only=True)
    establishment: "serializers.SlugRelatedField[Establishment]" = serializers.SlugRelatedField(
        slug_field="uai", read_only=True
    )

    class Meta:
        model = ActionRequest
        fields = ["id", "url", "offer", "offer_title", "partner", "establishment",
                  "contact_name", "contact_email", "classes", "pupil_count", "wished_dates",
                  "message", "state", "answer_message", "answered_at", "created_at"]  # fmt: skip


class ActionRequestDetailSerializer(ActionRequestSerializer):
    log = RequestJournalSerializer(source="journal", many=True, read_only=True)
    available_transitions = serializers.SerializerMethodField(
        help_text="Ce que l'utilisateur peut faire maintenant (POST …/<étape>/) : « accepter », "
        "« refuser », « annuler », « realiser »."
    )

    class Meta(ActionRequestSerializer.Meta):
        fields = [*ActionRequestSerializer.Meta.fields, "log", "available_transitions"]

    def get_available_transitions(self, request_obj) -> list[str]:
        return _available(REQUEST_WORKFLOW, self.context, request_obj)


class ActionRequestWriteSerializer(serializers.Serializer):
    offer = serializers.PrimaryKeyRelatedField(queryset=Offer.objects.none())
    establishment = serializers.SlugRelatedField(
        slug_field="uai", queryset=Establishment.objects.none(), help_text="UAI."
    )
    contact_name = serializers.CharField(max_length=150)
    contact_email = serializers.EmailField()
    classes = serializers.CharField(max_length=255)
    pupil_count = serializers.IntegerField(min_value=1, max_value=2000)
    wished_dates = serializers.CharField(max_length=255, required=False, allow_blank=True)
    message = serializers.CharField(required=False, allow_blank=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            from relais.actions.selectors import offers_visible_to
            from relais.establishments.selectors import establishments_visible_to

            self.fields["offer"].queryset = offers_visible_to(user=request.user)
            self.fields["establishment"].queryset = establishments_visible_to(
                reach=get_reach(request.user)
            )


class AnswerSerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteSerializer(serializers.Serializer):
    done_on = serializers.DateField()
    pupil_count = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    classes = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    message = serializers.CharField(required=False, allow_blank=True, default="")
