"""Serializers of the parcours Avenir. The write serializers check types and formats only;
every rule (the school's own pupils, the kinds the académie sets, the pôle's stages that
the school does not edit) belongs to ``relais.pathways.services``."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relais.core.dates import DATE_RANGE_MESSAGE, SCHOOL_YEAR_MAX, SCHOOL_YEAR_MIN, date_in_range
from relais.core.filters import DB_INTEGER_MAX
from relais.establishments.models import Establishment
from relais.organisations.models import Organisation
from relais.organisations.selectors import organisations_visible_to
from relais.pathways.enums import Item, Status
from relais.pathways.models import Experience, ExperienceKind
from relais.pathways.services.experiences import AUTOMATIC_SOURCES
from relais.pupils.enums import Level
from relais.users.scopes import get_reach

MAX_PUPILS = 2000  # far above a school's roster sent at once; the list stays bounded
MAX_CLASSES = 50


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose choices are one named component of the OpenAPI schema
    (``component``), whatever the field is called: the four items (``visit``…) and the
    statuses are used under several field names, which drf-spectacular would otherwise
    name after each field."""

    def __init__(self, *, component: str, **kwargs):
        self.component = component
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedChoiceField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        schema = {
            "type": "string",
            "enum": list(field.choices),
            "description": "\n".join(
                f"* `{key}` - {label}" for key, label in field.choices.items()
            ),
        }
        component = ResolvedComponent(
            name=field.component, type=ResolvedComponent.SCHEMA, object=field.component,
            schema=schema,
        )  # fmt: skip
        auto_schema.registry.register_on_missing(component)
        return component.ref


def item_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(component="ParcoursItemEnum", choices=Item.choices, **kwargs)


def status_field(**kwargs) -> NamedChoiceField:
    return NamedChoiceField(component="ParcoursStatusEnum", choices=Status.choices, **kwargs)


class ParcoursSchoolSerializer(serializers.ModelSerializer):
    class Meta:
        model = Establishment
        fields = ["id", "uai", "name"]


def _status_field(item: Item) -> NamedChoiceField:
    return status_field(read_only=True, help_text=item.label)


class ParcoursStatusSerializer(serializers.Serializer):
    """Each of the four items: done, planned (an experience ahead) or missing."""

    visit = _status_field(Item.VISIT)
    meeting = _status_field(Item.MEETING)
    internship = _status_field(Item.INTERNSHIP)
    project = _status_field(Item.PROJECT)


class ParcoursExperienceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api-v1:pathway-experience-detail")
    establishment = ParcoursSchoolSerializer(read_only=True)
    items = serializers.ListField(
        child=item_field(), read_only=True,
        help_text="Les éléments du parcours pour lesquels l'expérience compte.",
    )  # fmt: skip
    organisation: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    partner = serializers.CharField(read_only=True, help_text="Le partenaire (nom).")
    participants = serializers.IntegerField(read_only=True, help_text="Élèves crédités.")
    editable = serializers.SerializerMethodField(
        help_text="Faux pour un stage trouvé par le pôle de stages : l'établissement ne le "
        "modifie ni ne le supprime."
    )

    class Meta:
        model = Experience
        fields = [
            "id",
            "url",
            "establishment",
            "kind",
            "kind_label",
            "items",
            "title",
            "date",
            "school_year",
            "organisation",
            "partner",
            "place",
            "source",
            "classes",
            "participants",
            "editable",
            "created_at",
        ]

    def get_editable(self, experience) -> bool:
        return experience.source not in AUTOMATIC_SOURCES


class ParcoursParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    last_name = serializers.CharField(read_only=True)
    first_name = serializers.CharField(read_only=True)
    class_label = serializers.CharField(read_only=True)


class ParcoursExperienceDetailSerializer(ParcoursExperienceSerializer):
    pupils = serializers.SerializerMethodField(help_text="Les élèves crédités, par nom.")

    class Meta(ParcoursExperienceSerializer.Meta):
        fields = [*ParcoursExperienceSerializer.Meta.fields, "pupils"]

    @extend_schema_field(ParcoursParticipantSerializer(many=True))
    def get_pupils(self, experience) -> list[dict]:
        pupils = sorted(
            (credit.pupil for credit in experience.credits.all()),
            key=lambda p: (p.class_label, p.last_name, p.first_name, p.pk),
        )
        return list(ParcoursParticipantSerializer(pupils, many=True).data)


def _ids(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=DB_INTEGER_MAX),
        max_length=MAX_PUPILS,
        error_messages={
            "min_length": "Indiquez au moins un élève.",
            "max_length": f"Au plus {MAX_PUPILS} élèves à la fois.",
        },
        **kwargs,
    )


class ParcoursExperienceWriteSerializer(serializers.Serializer):
    """An experience of the user's school, credited either to ``pupil_ids`` or to every
    pupil of ``classes`` (the roster of ``school_year``) but ``absent_ids``."""

    establishment = serializers.PrimaryKeyRelatedField(
        queryset=Establishment.objects.none(),
        required=False,
        pk_field=serializers.IntegerField(),
        help_text="L'établissement (facultatif pour qui n'en a qu'un).",
        error_messages={"does_not_exist": "Établissement inconnu ou hors de votre périmètre."},
    )
    kind = serializers.CharField(
        max_length=40, help_text="Code d'un type d'expérience (/api/v1/parcours/types/)."
    )
    date = serializers.DateField()
    title = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="",
        help_text="Par défaut, le libellé du type.",
    )  # fmt: skip
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        pk_field=serializers.IntegerField(),
        help_text="Le partenaire, s'il est dans l'annuaire (sinon « partner_label »).",
        error_messages={"does_not_exist": "Organisation inconnue ou hors de votre périmètre."},
    )
    partner_label = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default=""
    )
    place = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    pupil_ids = _ids(required=False, min_length=1, help_text="Les élèves crédités.")
    classes = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        min_length=1,
        max_length=MAX_CLASSES,
        error_messages={
            "min_length": "Choisissez au moins une classe.",
            "max_length": f"Au plus {MAX_CLASSES} classes à la fois.",
        },
        help_text="Ou : toutes les classes créditées (tous leurs élèves présents…).",
    )
    absent_ids = _ids(required=False, default=list, help_text="… sauf ceux-ci, absents.")
    school_year = serializers.IntegerField(
        min_value=SCHOOL_YEAR_MIN,
        max_value=SCHOOL_YEAR_MAX,
        required=False,
        help_text="L'année des listes de classes (2026 pour 2026-2027) ; par défaut celle "
        "de la date.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            reach = get_reach(request.user)
            self.fields["establishment"].queryset = Establishment.objects.filter(
                pk__in=reach.establishment_ids
            )
            self.fields["organisation"].queryset = organisations_visible_to(reach=reach)
            self._school_ids = sorted(reach.establishment_ids)

    def validate_date(self, value):
        if not date_in_range(value):
            raise serializers.ValidationError(DATE_RANGE_MESSAGE)
        return value

    def validate(self, attrs):
        by_pupils, by_classes = "pupil_ids" in attrs, "classes" in attrs
        if by_pupils == by_classes:
            raise serializers.ValidationError(
                {
                    "pupil_ids": [
                        "Indiquez soit les élèves (pupil_ids), soit les classes "
                        "(classes, avec absent_ids)."
                    ]
                }  # fmt: skip
            )
        if by_pupils and attrs.get("absent_ids"):
            raise serializers.ValidationError(
                {"absent_ids": ["Les absents se cochent avec « classes », pas avec pupil_ids."]}
            )
        if "establishment" not in attrs:
            ids = getattr(self, "_school_ids", [])
            if len(ids) != 1:
                raise serializers.ValidationError({"establishment": ["Indiquez l'établissement."]})
            attrs["establishment"] = Establishment.objects.get(pk=ids[0])
        return attrs


class ParcoursParticipantsWriteSerializer(serializers.Serializer):
    pupil_ids = _ids(help_text="Tous les élèves qui ont participé (la liste remplace l'ancienne).")


class ParcoursExperienceRefSerializer(serializers.ModelSerializer):
    """An experience as a pupil's parcours lists it."""

    items = serializers.ListField(child=item_field(), read_only=True)
    partner = serializers.CharField(read_only=True)
    status = serializers.SerializerMethodField(help_text="done, ou planned si la date est à venir.")

    class Meta:
        model = Experience
        fields = ["id", "kind", "kind_label", "items", "title", "date", "school_year", "partner",
                  "place", "source", "status"]  # fmt: skip

    def get_status(self, experience) -> str:
        day = self.context["today"]
        return Status.DONE.value if experience.date <= day else Status.PLANNED.value


class ParcoursPupilRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    last_name = serializers.CharField()
    first_name = serializers.CharField()
    class_label = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    school_year = serializers.IntegerField()


def _items_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=item_field(), **kwargs)


class ParcoursOfPupilSerializer(serializers.Serializer):
    """A pupil's parcours (``relais.pathways.selectors.PupilParcours``)."""

    pupil = ParcoursPupilRefSerializer()
    establishment = ParcoursSchoolSerializer(source="pupil.establishment")
    status = ParcoursStatusSerializer()
    done_count = serializers.IntegerField(help_text="Éléments faits, sur quatre.")
    complete = serializers.BooleanField(help_text="Les quatre éléments sont faits.")
    missing_due = _items_list(help_text="Attendus cette année (objectifs) et manquants.")
    experiences = ParcoursExperienceRefSerializer(many=True)


class ParcoursClassRowSerializer(serializers.Serializer):
    pupil = ParcoursPupilRefSerializer()
    status = ParcoursStatusSerializer()
    complete = serializers.BooleanField()
    missing_due = _items_list()


class ParcoursItemCountsSerializer(serializers.Serializer):
    visit = serializers.IntegerField()
    meeting = serializers.IntegerField()
    internship = serializers.IntegerField()
    project = serializers.IntegerField()


class ParcoursOfClassSerializer(serializers.Serializer):
    establishment = ParcoursSchoolSerializer()
    school_year = serializers.IntegerField()
    school_year_label = serializers.CharField()
    class_label = serializers.CharField()
    pupils = serializers.IntegerField()
    complete = serializers.IntegerField(help_text="Élèves qui ont fait les quatre éléments.")
    done = ParcoursItemCountsSerializer(help_text="Élèves qui ont fait chaque élément.")
    rows = ParcoursClassRowSerializer(many=True)


class ParcoursKindSerializer(serializers.ModelSerializer):
    items = _items_list(read_only=True)
    academie: serializers.PrimaryKeyRelatedField = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True,
        help_text="L'académie qui a réglé ce type ; vide : le réglage national.",
    )  # fmt: skip

    class Meta:
        model = ExperienceKind
        fields = ["code", "label", "items", "academie"]


# --- figures -------------------------------------------------------------------------------


def _nullable_int(**kwargs):
    return serializers.IntegerField(allow_null=True, **kwargs)


class ParcoursNullableCountsSerializer(serializers.Serializer):
    visit = _nullable_int()
    meeting = _nullable_int()
    internship = _nullable_int()
    project = _nullable_int()


def _nullable_rate():
    return serializers.FloatField(allow_null=True)


class ParcoursRatesSerializer(serializers.Serializer):
    visit = _nullable_rate()
    meeting = _nullable_rate()
    internship = _nullable_rate()
    project = _nullable_rate()
    complete = _nullable_rate()


class ParcoursFiguresSerializer(serializers.Serializer):
    """A group's counts; all null (``hidden``) under the small-count threshold."""

    hidden = serializers.BooleanField(help_text="Moins de 11 élèves (ou déductible) : masqué.")
    pupils = _nullable_int()
    done = ParcoursNullableCountsSerializer()
    complete = _nullable_int()
    rates = ParcoursRatesSerializer(help_text="Pourcentages d'élèves, à un chiffre après la "
                                    "virgule.")  # fmt: skip


class ParcoursLevelFiguresSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    level_label = serializers.CharField()
    all = ParcoursFiguresSerializer()
    priority = ParcoursFiguresSerializer(
        help_text="Élèves prioritaires : établissement en REP ou REP+, QPV, handicap, "
        "arrivée récente."
    )
    others = ParcoursFiguresSerializer()
    gap = ParcoursRatesSerializer(
        help_text="Points de retard des élèves prioritaires sur les autres (négatif : "
        "d'avance) ; null si l'un des deux groupes est masqué."
    )


class ParcoursIndicatorsSerializer(serializers.Serializer):
    territory = serializers.CharField()
    school_year = serializers.IntegerField()
    school_year_label = serializers.CharField()
    small_count = serializers.IntegerField(help_text="Seuil sous lequel un groupe est masqué.")
    levels = ParcoursLevelFiguresSerializer(many=True)
