"""The filters of the volunteers lists, shared by the web pages, their exports and the API."""

import django_filters
from django import forms
from django.db.models import Q

from relais.core.filters import IdFilter, SchoolYearFilter
from relais.core.school_years import school_year_bounds
from relais.core.search import text_search
from relais.organisations.models import Organisation

from .enums import (
    AdvisorKind,
    AdvisorState,
    ApplicationState,
    Availability,
    ImmersionState,
    InterventionDomain,
    RequestState,
    ReserveSkill,
)
from .models import (
    Advisor,
    AdvisorIntervention,
    ImmersionApplication,
    ImmersionOffer,
    ReserveApplication,
    ReserveRequest,
)
from .selectors import overdue_condition


class _Filter(django_filters.FilterSet):
    """Accepts ``user=`` (the API's ScopedFilterBackend passes it)."""

    def __init__(self, data=None, *args, user=None, **kwargs):
        super().__init__(data, *args, **kwargs)
        self.user = user


class AdvisorFilter(_Filter):
    q = django_filters.CharFilter(label="Nom, employeur, organisation, secteur", method="search")
    kind = django_filters.ChoiceFilter(
        label="Type", choices=AdvisorKind.choices, empty_label="Tous"
    )
    state = django_filters.ChoiceFilter(
        label="État", choices=AdvisorState.choices, empty_label="Tous"
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Organisation", queryset=Organisation.objects.none(), empty_label="Toutes"
    )
    agreement = django_filters.CharFilter(
        label="N° de convention", field_name="agreement__number", lookup_expr="iexact"
    )

    class Meta:
        model = Advisor
        fields = ["q", "kind", "state", "organisation", "agreement"]

    def __init__(self, data=None, *args, user=None, queryset=None, **kwargs):
        super().__init__(data, *args, user=user, queryset=queryset, **kwargs)
        if queryset is not None:
            ids = queryset.order_by().values("organisation_id")
            self.filters["organisation"].queryset = Organisation.objects.filter(
                pk__in=ids
            ).order_by("name")

    def search(self, queryset, name, value):
        return text_search(queryset, value)


def _school_year(queryset, name, value, field="date"):
    first, last = school_year_bounds(int(value))
    return queryset.filter(**{f"{field}__gte": first, f"{field}__lte": last})


class InterventionFilter(_Filter):
    school_year = SchoolYearFilter(
        label="Année scolaire (année de la rentrée)", method="filter_year"
    )
    kind = django_filters.ChoiceFilter(
        label="Type de conseiller", field_name="advisor__kind", choices=AdvisorKind.choices,
        empty_label="Tous",
    )  # fmt: skip
    domain = django_filters.ChoiceFilter(
        label="Domaine", choices=InterventionDomain.choices, empty_label="Tous"
    )
    advisor = IdFilter(label="Conseiller (identifiant)", field_name="advisor_id")
    agreement = django_filters.CharFilter(
        label="N° de convention", field_name="advisor__agreement__number", lookup_expr="iexact"
    )

    class Meta:
        model = AdvisorIntervention
        fields = ["school_year", "kind", "domain", "advisor", "agreement"]

    def filter_year(self, queryset, name, value):
        return _school_year(queryset, name, value)


class ApplicationFilter(_Filter):
    q = django_filters.CharFilter(label="Nom, profession, commune", method="search")
    state = django_filters.ChoiceFilter(
        label="État", choices=ApplicationState.choices, empty_label="Tous"
    )
    overdue = django_filters.BooleanFilter(
        label="En attente depuis plus de deux mois", method="filter_overdue",
        widget=forms.NullBooleanSelect,
    )  # fmt: skip

    class Meta:
        model = ReserveApplication
        fields = ["q", "state", "overdue"]

    def search(self, queryset, name, value):
        return text_search(queryset, value)

    def filter_overdue(self, queryset, name, value):
        late = overdue_condition()
        return queryset.filter(late) if value else queryset.exclude(late)


class RequestFilter(_Filter):
    state = django_filters.ChoiceFilter(
        label="État", choices=RequestState.choices, empty_label="Tous"
    )
    skill = django_filters.ChoiceFilter(
        label="Thème", choices=ReserveSkill.choices, empty_label="Tous"
    )

    class Meta:
        model = ReserveRequest
        fields = ["state", "skill"]


class ReservistSearchForm(forms.Form):
    """The teachers' search: near the school, by skill and availability."""

    q = forms.CharField(label="Mot-clé (profession, secteur)", required=False, max_length=100)
    skill = forms.ChoiceField(
        label="Apport", choices=[("", "Tous")] + ReserveSkill.choices, required=False
    )
    availability = forms.ChoiceField(
        label="Disponibilité", choices=[("", "Toutes")] + Availability.choices, required=False
    )
    radius = forms.TypedChoiceField(
        label="Distance de l'établissement",
        choices=[(10, "10 km"), (20, "20 km"), (30, "30 km"), (50, "50 km"), (100, "100 km")],
        coerce=int,
        initial=30,
        required=False,
        # Any value is allowed (Django's docs); django-stubs types it ``str | None``.
        empty_value=30,  # type: ignore[arg-type]
    )


class OfferFilter(_Filter):
    q = django_filters.CharFilter(label="Intitulé ou entreprise", method="search")
    open = django_filters.BooleanFilter(
        label="Ouvertes aux candidatures", field_name="is_open", widget=forms.NullBooleanSelect
    )

    class Meta:
        model = ImmersionOffer
        fields = ["q", "open"]

    def search(self, queryset, name, value):
        condition = Q()
        for word in value.split():
            condition &= Q(title__icontains=word) | Q(organisation__name__icontains=word)
        return queryset.filter(condition)


class ImmersionApplicationFilter(_Filter):
    state = django_filters.ChoiceFilter(
        label="État", choices=ImmersionState.choices, empty_label="Tous"
    )
    offer = IdFilter(label="Offre (identifiant)", field_name="offer_id")

    class Meta:
        model = ImmersionApplication
        fields = ["state", "offer"]
