"""``relais.core.access.among``: the ``__in`` of a reach's ids sent as one array."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from relais.core.access import among
from relais.organisations.models import Organisation
from tests.factories import OrganisationFactory


def test_among_filters_as_in_with_one_parameter(db):
    kept, other, third = OrganisationFactory(), OrganisationFactory(), OrganisationFactory()
    ids = {kept.pk, third.pk, 10**12}
    with CaptureQueriesContext(connection) as queries:
        found = set(Organisation.objects.filter(among("id", ids)).values_list("pk", flat=True))
    assert (
        found
        == {kept.pk, third.pk}
        == set(Organisation.objects.filter(pk__in=ids).values_list("pk", flat=True))
    )
    assert other.pk not in found
    assert "= ANY(" in queries[0]["sql"]
    # Combined like any Q, negated, and empty (matches nothing).
    either = Organisation.objects.filter(among("id", {kept.pk}) | among("id", {other.pk}))
    assert set(either) == {kept, other}
    assert third in Organisation.objects.exclude(among("id", {kept.pk, other.pk}))
    assert not Organisation.objects.filter(among("id", set())).exists()
