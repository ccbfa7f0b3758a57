"""Filters of the catalogue, the requests and the actions done; shared by the pages, their
exports and the API."""

import django_filters

from relais.core.school_years import school_year_label, school_year_of
from relais.territories.models import Academie
from relais.territories.selectors import academies_visible_to
from relais.users.scopes import get_reach

from .enums import ActionKind, Level, OfferState, RequestState
from .models import ActionRecord, ActionRequest, Offer
from .selectors import offer_search


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Recherche (intitulé, partenaire, commune)", method="filter_q"
    )
    kind = django_filters.ChoiceFilter(
        label="Type d'action", choices=ActionKind.choices, empty_label="Tous"
    )
    level = django_filters.ChoiceFilter(
        label="Niveau", choices=Level.choices, method="filter_level", empty_label="Tous"
    )
    academie = django_filters.ModelChoiceFilter(
        label="Académie", queryset=Academie.objects.none(), empty_label="Toutes"
    )
    state = django_filters.ChoiceFilter(
        label="État", choices=OfferState.choices, empty_label="Tous"
    )
    # CPME Île-de-France, art. 2.3: actions that make pupils and staff aware of disability.
    handicap = django_filters.ChoiceFilter(
        label="Sensibilisation au handicap",
        choices=[("oui", "Seulement les actions de sensibilisation au handicap")],
        method="filter_handicap",
        empty_label="Toutes les actions",
    )

    class Meta:
        model = Offer
        fields = ["q", "kind", "level", "academie", "state", "handicap"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["academie"].queryset = academies_visible_to(reach=get_reach(user))

    def filter_q(self, queryset, name, value):
        return offer_search(queryset, value)

    def filter_handicap(self, queryset, name, value):
        return queryset.filter(disability_awareness=True) if value == "oui" else queryset

    def filter_level(self, queryset, name, value):
        from django.db.models import Q

        return queryset.filter(Q(levels__contains=[value]) | Q(levels=[]))


class RequestFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(
        label="État", choices=RequestState.choices, empty_label="Tous"
    )
    kind = django_filters.ChoiceFilter(
        label="Type d'action",
        field_name="offer__kind",
        choices=ActionKind.choices,
        empty_label="Tous",
    )
    q = django_filters.CharFilter(label="Établissement ou offre", method="filter_q")

    class Meta:
        model = ActionRequest
        fields = ["state", "kind", "q"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)

    def filter_q(self, queryset, name, value):
        from relais.core.text import search_key

        condition = None
        from django.db.models import Q

        for word in search_key(value).split():
            clause = Q(establishment__search_text__contains=word) | Q(
                offer__search_text__contains=word
            )
            condition = clause if condition is None else condition & clause
        return queryset if condition is None else queryset.filter(condition)


def _school_years():
    from django.utils import timezone

    current = school_year_of(timezone.localdate())
    return [(y, school_year_label(y)) for y in range(current, current - 6, -1)]


class RecordFilter(django_filters.FilterSet):
    school_year = django_filters.ChoiceFilter(
        label="Année scolaire", choices=[], method="filter_year", empty_label="Toutes"
    )
    kind = django_filters.ChoiceFilter(
        label="Type d'action", choices=ActionKind.choices, empty_label="Tous"
    )
    uai = django_filters.CharFilter(label="UAI de l'établissement", field_name="establishment__uai",
                                    method="filter_uai")  # fmt: skip

    class Meta:
        model = ActionRecord
        fields = ["school_year", "kind", "uai"]

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.filters["school_year"].extra["choices"] = _school_years()

    def filter_year(self, queryset, name, value):
        return queryset.filter(school_year=int(value))

    def filter_uai(self, queryset, name, value):
        return queryset.filter(establishment__uai=value.strip().upper())
