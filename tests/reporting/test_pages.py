"""Issue 11 pages: frozen SQL query counts of the national view (académies, bassins, schools,
exports), the partners' pages and the feed, at two data sizes; the menu shows them to the
teams only; « Offres de stage près de chez moi » searched without an account."""

import datetime

import pytest

from relais.agreements.models import Agreement
from relais.reporting import measures
from relais.www.menus import Menu
from tests.conftest import ROLES
from tests.factories import BassinFactory, EstablishmentFactory
from tests.internships.factories import published_offer

pytestmark = pytest.mark.django_db


# The national admin's pages and their queries when the aggregates were not computed yet
# (counted live): one per measure and level (``measures``, counted from its list so that a
# new measure does not break the freeze), plus a fixed part (session, user, memberships,
# names, parcours, the look for aggregates, the five-year trend of six measures, the
# partners); nothing grows with the data. With the aggregates: test_aggregates.py.
def _per_level() -> dict[str, int]:
    return {
        level: sum(level in m.paths for m in measures.MEASURES)
        for level in ("academie", "bassin", "school")
    }


PAGES = [
    ("/pilotage/", lambda n: 2 * n["academie"] + 50),
    ("/pilotage/?academie={home}", lambda n: n["academie"] + n["bassin"] + 48),
    ("/pilotage/?bassin={bassin}", lambda n: n["bassin"] + n["school"] + 12),
    ("/pilotage/export/?tableau=territoires", lambda n: 2 * n["academie"] + 10),
    ("/pilotage/partenaires/", lambda n: 4),
    ("/pilotage/partenaires/{agreement}/", lambda n: 14),  # one count per tracked commitment
    ("/pilotage/fil/", lambda n: 5),
]


def _more(w):
    """As much again: bassins, schools, conventions and a declination in another académie."""
    for index in range(3):
        bassin = BassinFactory(academie=w.other, name=f"BASSIN AUTRE {index}")
        EstablishmentFactory(academie=w.other, bassin=bassin)
        Agreement.objects.create(
            number=f"MORE-{index}", title="Autre", kind="cadre", scope="academie",
            academie=w.other, parent=w.national_agreement if index == 0 else None,
            state="en_vigueur", signed_on=datetime.date(2025, 2, 1),
            start_date=datetime.date(2025, 2, 1),
        )  # fmt: skip


@pytest.mark.parametrize("grow", [False, True])
@pytest.mark.parametrize(("path", "queries"), PAGES)
def test_query_counts_are_frozen(
    reporting_data, client_for, django_assert_num_queries, path, queries, grow
):
    w = reporting_data
    if grow:
        _more(w)
    client = client_for(w.users["national_admin"])
    url = path.format(home=w.home.pk, bassin=w.bassin.pk, agreement=w.national_agreement.pk)
    with django_assert_num_queries(queries(_per_level())):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_menu_shows_the_national_view_to_the_teams_only(world, role):
    menu = Menu(world.users[role])
    teams = role in ("national_admin", "academie_team")
    for name in ("national:view", "national:partners", "national:feed"):
        assert (name in menu) is teams, name
    assert "opendata:index" in menu and "opendata:offers_near" in menu


def test_menu_entries_are_rendered_for_the_team(world, client_for):
    page = client_for(world.users["academie_team"]).get("/").content.decode()
    assert 'href="/pilotage/"' in page and 'href="/donnees/"' in page
    teacher = client_for(world.users["teacher"]).get("/").content.decode()
    assert 'href="/pilotage/"' not in teacher and 'href="/donnees/stages/"' in teacher


# --- « Offres de stage près de chez moi » ---------------------------------------------------


@pytest.fixture
def offers(reporting_data, client):
    w = reporting_data
    w.far = published_offer(w.bassin, w.company, week=datetime.date(2026, 4, 6),
                            latitude=45.0, longitude=5.0, title="Stage lointain")  # fmt: skip
    client.logout()
    return w


def test_offers_near_a_college_without_an_account(offers, client, django_assert_num_queries):
    with django_assert_num_queries(3):
        response = client.get("/donnees/stages/", {"lieu": f"college:{offers.school.uai}"})
    page = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert offers.offer.title in page and "Stage lointain" not in page
    assert "06/04/2026" in page  # the week with places left
    assert "tuteur@entreprise.example" not in page and "Claire Dupuis" not in page
    wider = client.get("/donnees/stages/", {"lieu": f"college:{offers.school.uai}", "rayon": 50})
    assert "Stage lointain" not in wider.content.decode()  # still farther than 50 km


def test_offers_near_by_name_then_the_choice_of_a_place(offers, client):
    one = client.get("/donnees/stages/", {"q": offers.school.uai})
    assert offers.offer.title in one.content.decode()  # a single place: searched at once
    EstablishmentFactory(academie=offers.home, name="Collège Étienne Marcel")
    several = client.get("/donnees/stages/", {"q": "Collège Étienne"}).content.decode()
    assert "Précisez le lieu" in several and f"college%3A{offers.school.uai}" in several


@pytest.mark.parametrize(
    "params",
    [{"q": "Zzyzx introuvable"}, {"lieu": "college:ZZZ"}, {"lieu": "x" * 300},
     {"q": "Montpellier", "rayon": "abc", "type": "inconnu"}],
)  # fmt: skip
def test_offers_near_bad_input_gets_a_clear_answer(offers, client, params):
    response = client.get("/donnees/stages/", params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Offres de stage près de chez moi" in page
    if "q" in params and params["q"].startswith("Zzyzx"):
        assert "Aucun collège ni aucune commune ne correspond" in page
