"""The établissement filters, shared by the web list, its CSV export and the API."""

import django_filters
from django import forms

from relais.core.access import reach_of
from relais.territories.models import Academie, Bassin
from relais.territories.selectors import academies_visible_to, bassins_visible_to

from .enums import EstablishmentKind, PriorityEducation, Sector
from .models import Establishment
from .selectors import establishment_search

PRIORITY_CHOICES = [
    ("any", "REP ou REP+"),
    (PriorityEducation.REP.value, "REP"),
    (PriorityEducation.REP_PLUS.value, "REP+"),
    ("none", "Hors éducation prioritaire"),
]


class EstablishmentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Rechercher", method="filter_q")
    academie = django_filters.ModelChoiceFilter(
        label="Académie", queryset=Academie.objects.none(), empty_label="Toutes"
    )
    bassin = django_filters.ModelChoiceFilter(
        label="Bassin", queryset=Bassin.objects.none(), empty_label="Tous"
    )
    kind = django_filters.ChoiceFilter(
        label="Type", choices=EstablishmentKind.choices, empty_label="Tous"
    )
    priority = django_filters.ChoiceFilter(
        label="Éducation prioritaire",
        choices=PRIORITY_CHOICES,
        method="filter_priority",
        empty_label="Indifférent",
    )
    sector = django_filters.ChoiceFilter(
        label="Secteur",
        choices=[c for c in Sector.choices if c[0]],
        empty_label="Public et privé",
    )
    vocational = django_filters.BooleanFilter(
        label="Voie professionnelle",
        field_name="vocational_track",
        widget=forms.NullBooleanSelect,
    )

    class Meta:
        model = Establishment
        fields = ["q", "academie", "bassin", "kind", "priority", "sector", "vocational"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["academie"].queryset = academies_visible_to(reach=reach_of(user))
        self.filters["bassin"].queryset = bassins_visible_to(reach=reach_of(user)).select_related(
            None
        )

    def filter_q(self, queryset, name, value):
        return establishment_search(queryset, value)

    def filter_priority(self, queryset, name, value):
        if value == "any":
            return queryset.exclude(priority_education="")
        if value == "none":
            return queryset.filter(priority_education="")
        return queryset.filter(priority_education=value)
