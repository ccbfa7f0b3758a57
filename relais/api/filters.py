"""API filters: the FilterSets of the web lists, with académies and bassins given by code
(the identifier the API exposes) instead of database ids."""

import django_filters

from relais.establishments.filters import EstablishmentFilter
from relais.organisations.filters import OrganisationFilter
from relais.territories.models import Academie, Bassin, Commune, Departement
from relais.territories.selectors import communes_search


def _by_code(filter_class, label, model):
    return filter_class(
        label=label, queryset=model.objects.none(), to_field_name="code", empty_label=None
    )


class EstablishmentApiFilter(EstablishmentFilter):
    academie = _by_code(django_filters.ModelChoiceFilter, "Code de l'académie", Academie)
    bassin = _by_code(django_filters.ModelChoiceFilter, "Code du bassin", Bassin)


class OrganisationApiFilter(OrganisationFilter):
    academie = _by_code(django_filters.ModelChoiceFilter, "Code de l'académie", Academie)


class BassinApiFilter(django_filters.FilterSet):
    academie = django_filters.CharFilter(label="Code de l'académie", field_name="academie__code")

    class Meta:
        model = Bassin
        fields = ["academie"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)


class DepartementApiFilter(BassinApiFilter):
    class Meta:
        model = Departement
        fields = ["academie"]


class CommuneApiFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Début du nom, code postal ou code INSEE", method="filter_q"
    )
    insee = django_filters.CharFilter(label="Code INSEE", field_name="insee_code")
    departement = django_filters.CharFilter(
        label="Code du département", field_name="departement__code"
    )

    class Meta:
        model = Commune
        fields = ["q", "insee", "departement"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter_q(self, queryset, name, value):
        # The selector holds the matching rule; its ordering gives way to the view's.
        return queryset & communes_search(value, limit=None).order_by()
