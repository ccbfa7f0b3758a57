"""The national view's aggregates (issue 11, performance): computed by the nightly job, they
give the same figures as counting live, and the pages read them in a few queries whatever
the size of the country."""

import pytest

from relais.reporting import aggregates, measures, national
from relais.reporting.models import Aggregate
from relais.reporting.refresh import aggregates_refresh
from tests.jobs import job_status, run_worker_once

pytestmark = pytest.mark.django_db
YEAR = 2025


def _published(rows):
    return [(row.name, {k: (c.value, c.note) for k, c in row.cells.items()}) for row in rows]


def test_aggregates_give_the_same_figures_as_counting_live(reporting_data):
    w = reporting_data
    live = {
        "academies": _published(national.table("academie", year=YEAR)),
        "bassins": _published(national.table("bassin", year=YEAR, parent=w.home.pk)),
        "schools": _published(national.table("school", year=YEAR, parent=w.bassin.pk)),
        "total": _published([national.total_row("academie", year=YEAR, ids=None, name="T")]),
        "trend": national.trend(ids=None, year=YEAR),
    }
    assert aggregates.refreshed_at("academie", YEAR) is None
    assert aggregates_refresh(year=YEAR) > 0
    assert aggregates.refreshed_at("academie", YEAR) is not None
    assert _published(national.table("academie", year=YEAR)) == live["academies"]
    assert _published(national.table("bassin", year=YEAR, parent=w.home.pk)) == live["bassins"]
    assert _published(national.table("school", year=YEAR, parent=w.bassin.pk)) == live["schools"]
    total = national.total_row("academie", year=YEAR, ids=None, name="T")
    assert _published([total]) == live["total"]
    assert national.trend(ids=None, year=YEAR) == live["trend"]
    # A second refresh replaces the rows, it does not add to them.
    count = Aggregate.objects.count()
    aggregates_refresh(year=YEAR)
    assert Aggregate.objects.count() == count


def test_counts_read_the_aggregates_in_one_query(reporting_data, django_assert_num_queries):
    aggregates_refresh(year=YEAR, years_back=0)
    with django_assert_num_queries(1):
        stored = measures.counts("academie", YEAR)
    assert stored["referred"][reporting_data.home.pk] == 17
    with django_assert_num_queries(2):  # a year never computed: the look, then one count
        assert measures.counts("academie", YEAR - 1, keys=["referred"]) == {"referred": {}}


@pytest.mark.parametrize("grow", [False, True])
def test_national_pages_from_aggregates_in_few_queries(
    reporting_data, client_for, django_assert_num_queries, grow
):
    w = reporting_data
    if grow:
        from tests.reporting.test_pages import _more

        _more(w)
    aggregates_refresh(year=2025)
    client = client_for(w.users["national_admin"])
    for path, queries in (
        ("/pilotage/?annee=2025", 19),
        (f"/pilotage/?academie={w.home.pk}&annee=2025", 17),
        (f"/pilotage/?bassin={w.bassin.pk}&annee=2025", 11),
    ):
        with django_assert_num_queries(queries):
            response = client.get(path)
        assert response.status_code == 200
        assert "Chiffres calculés le" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_nightly_job_runs_in_the_real_worker(world):
    from relais.reporting.tasks import aggregates_refresh

    job_id = aggregates_refresh.defer(timestamp=0)
    run_worker_once()
    assert job_status(job_id) == "succeeded"
    assert Aggregate.objects.filter(key=Aggregate.REFRESHED).count() == 15  # 3 levels × 5 years
