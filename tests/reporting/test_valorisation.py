"""The public page of a convention in force (issue 15, item 10): what it shows and what it
never shows (no signatory's name or e-mail), its links with the open data, and its frozen
number of queries with few and many parties, clubs and actions."""

from datetime import timedelta

import pytest

from relais.agreements.models import Party, Signatory
from relais.core.clock import today
from relais.governance.enums import MeetingState
from relais.reporting import valorisation
from tests.actions.factories import ActionRecordFactory, OfferFactory
from tests.governance import factories as g
from tests.networks.factories import ClubFactory
from tests.volunteers.factories import AdvisorFactory, InterventionFactory

pytestmark = pytest.mark.django_db


def _convention(world, *, partners=1, clubs=1, actions=1):
    agreement = g.agreement(world.home, start=today() - timedelta(days=400), duration_months=60,
                            title="Convention Clubster de démonstration")  # fmt: skip
    rectorat = Party.objects.create(agreement=agreement, name="Académie Maison",
                                    side="education")  # fmt: skip
    Signatory.objects.create(agreement=agreement, party=rectorat, full_name="Jeanne Secrète",
                             title="Rectrice de l'académie", email="jeanne.secrete@ac.fr",
                             signed_on=agreement.signed_on, mode="papier")  # fmt: skip
    for index in range(partners):
        party = Party.objects.create(
            agreement=agreement, order=index + 1, side="economique",
            organisation=world.regional, name=f"Union {index}",
        )  # fmt: skip
        Signatory.objects.create(
            agreement=agreement, party=party, full_name=f"Paul Caché {index}",
            title="Président", signed_on=agreement.signed_on, mode="papier",
        )  # fmt: skip
    agreement.articles.create(
        number="Axe 1", heading="Rapprocher l'école et l'entreprise",
        body="Des clubs école-entreprise maillent le territoire.",
    )  # fmt: skip
    g.commitment(agreement, description="Animer le comité de pilotage de chaque club")
    for _ in range(clubs):
        ClubFactory(academie=world.home, agreement=agreement)
    for index in range(actions):
        OfferFactory(academie=world.home, organisation=world.regional,
                     title=f"Visite d'usine {index}")  # fmt: skip
        ActionRecordFactory(establishment=world.school, organisation=world.regional)
        advisor = AdvisorFactory(active=True, academie=world.home, agreement=agreement)
        InterventionFactory(advisor=advisor, establishment=world.school, date=today())
    body = g.body(agreement, name="Comité stratégique")
    g.meeting(body, today() - timedelta(days=1), state=MeetingState.HELD)
    return agreement


def test_the_page_shows_signing_offices_axes_and_sponsored_actions(world, client):
    agreement = _convention(world)
    OfferFactory(academie=world.other, organisation=world.regional, title="Ailleurs")
    page = client.get(f"/donnees/conventions/{agreement.number}/").content.decode()
    assert "Convention Clubster de démonstration" in page and "Académie Maison" in page
    assert "Rectrice de l&#x27;académie" in page and "Président" in page
    assert "Jeanne" not in page and "Caché" not in page and "@ac.fr" not in page
    assert "Rapprocher l&#x27;école et l&#x27;entreprise" in page
    assert "Animer le comité de pilotage de chaque club" in page
    assert "Club école-entreprise" in page and "Visite d&#x27;usine 0" in page
    assert "Ailleurs" not in page  # another académie's action
    assert "Témoignage en classe : 1" in page
    assert "Comité stratégique : 1 réunion tenue" in page
    assert "conseillers entreprises pour l'école cette année scolaire : 1." in page
    assert "Claire" not in page  # the adviser's name
    assert "/donnees/fichiers/conventions-en-vigueur.csv" in page


def test_the_list_links_each_convention_to_its_page_and_the_index_to_the_list(world, client):
    agreement = _convention(world)
    g.agreement(world.home, state="brouillon", title="Brouillon invisible")
    page = client.get("/donnees/conventions/").content.decode()
    assert f'href="/donnees/conventions/{agreement.number}/"' in page
    assert "Brouillon invisible" not in page and "Union 0" in page
    assert 'href="/donnees/conventions/"' in client.get("/donnees/").content.decode()


def test_in_force_stored_but_over_today_is_not_published(world, client):
    # Stored « en vigueur » by a late nightly job, but its three years are over.
    old = g.agreement(world.home, start=today() - timedelta(days=4 * 365))
    assert valorisation.public_convention(old.number) is None
    assert client.get(f"/donnees/conventions/{old.number}/").status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_frozen_queries(world, client, django_assert_num_queries, size):
    agreement = _convention(world, partners=size, clubs=size, actions=size)
    # The convention and its 5 prefetches (parties, signatories, articles, commitments,
    # avenants); the network (2); the catalogue; the actions done; the advisers'
    # interventions; the instances; the clubs.
    with django_assert_num_queries(13):
        assert client.get(f"/donnees/conventions/{agreement.number}/").status_code == 200
    # Count, page, parties.
    with django_assert_num_queries(3):
        assert client.get("/donnees/conventions/").status_code == 200


def test_the_convention_page_links_to_its_public_page_only_when_published(world, client):
    published = _convention(world)
    draft = g.agreement(world.home, state="brouillon")
    client.force_login(world.users["academie_team"])
    link = f'href="/donnees/conventions/{published.number}/"'
    assert link in client.get(f"/conventions/{published.pk}/").content.decode()
    assert "/donnees/conventions/" not in client.get(f"/conventions/{draft.pk}/").content.decode()
