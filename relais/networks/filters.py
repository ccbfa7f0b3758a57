"""Filters of the clubs and campus lists, shared by the pages, their exports and the API."""

import django_filters

from relais.territories.models import Academie
from relais.territories.selectors import academies_visible_to
from relais.users.scopes import get_reach

from .models import Campus, Club
from .selectors import campus_search, club_search

LABEL_ENDING_CHOICES = [
    ("6", "Dans les 6 mois"),
    ("12", "Dans les 12 mois"),
    ("24", "Dans les 24 mois"),
]


class ClubFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom du club ou du bassin", method="filter_q")
    academie = django_filters.ModelChoiceFilter(
        label="Académie", queryset=Academie.objects.none(), empty_label="Toutes"
    )

    class Meta:
        model = Club
        fields = ["q", "academie"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["academie"].queryset = academies_visible_to(reach=get_reach(user))

    def filter_q(self, queryset, name, value):
        return club_search(queryset, value)


class CampusFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom ou filière", method="filter_q")
    academie = django_filters.ModelChoiceFilter(
        label="Académie", queryset=Academie.objects.none(), empty_label="Toutes"
    )
    label_ending = django_filters.ChoiceFilter(
        label="Fin du label",
        choices=LABEL_ENDING_CHOICES,
        method="filter_label_ending",
        empty_label="Indifférent",
    )

    class Meta:
        model = Campus
        fields = ["q", "academie", "label_ending"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["academie"].queryset = academies_visible_to(reach=get_reach(user))

    def filter_q(self, queryset, name, value):
        return campus_search(queryset, value)

    def filter_label_ending(self, queryset, name, value):
        from django.utils import timezone

        from .selectors import campuses_label_ending

        return campuses_label_ending(queryset, today=timezone.localdate(), months=int(value))
