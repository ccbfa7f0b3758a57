"""The organisation filters, shared by the web list, its CSV export and the API."""

import django_filters
from django import forms

from relais.core.access import reach_of
from relais.territories.models import Academie
from relais.territories.selectors import academies_visible_to

from .enums import OrganisationKind, OrganisationLevel
from .models import Organisation
from .selectors import organisation_search

STATUS_CHOICES = [("active", "En activité"), ("archived", "Archivées"), ("all", "Toutes")]


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom, sigle, SIRET ou commune", method="filter_q")
    kind = django_filters.ChoiceFilter(
        label="Type", choices=OrganisationKind.choices, empty_label="Tous"
    )
    level = django_filters.ChoiceFilter(
        label="Niveau", choices=OrganisationLevel.choices, empty_label="Tous"
    )
    academie = django_filters.ModelChoiceFilter(
        label="Académie", queryset=Academie.objects.none(), empty_label="Toutes"
    )
    status = django_filters.ChoiceFilter(
        label="Statut",
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=None,
        null_value="active",
    )
    demo = django_filters.BooleanFilter(
        label="Données de démonstration", field_name="is_demo", widget=forms.NullBooleanSelect
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "level", "academie", "status"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["academie"].queryset = academies_visible_to(reach=reach_of(user))

    @property
    def qs(self):
        queryset = super().qs
        if not (self.data or {}).get("status"):
            queryset = queryset.filter(archived_at__isnull=True)
        return queryset

    def filter_q(self, queryset, name, value):
        return organisation_search(queryset, value)

    def filter_status(self, queryset, name, value):
        if value == "archived":
            return queryset.filter(archived_at__isnull=False)
        if value == "all":
            return queryset
        return queryset.filter(archived_at__isnull=True)
