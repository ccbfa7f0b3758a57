"""Issue 14: each role's dashboard is a queue of work — what waits for the user, counted,
late first, each item a link to the page where it is done — and costs the same number of
queries whatever the amount of data."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from relais.actions.enums import RequestState as ActionRequestState
from tests.actions.factories import ActionRequestFactory
from tests.actions.factories import OfferFactory as ActionOfferFactory
from tests.conftest import ROLES
from tests.core.factories import NotificationFactory
from tests.internships.factories import HubFactory, OfferFactory, open_case, referred_case
from tests.volunteers.factories import (
    AdvisorFactory,
    ReserveApplicationFactory,
    ReserveRequestFactory,
)


def _main(response) -> str:
    """The main content's text, without tags."""
    html = response.content.decode()
    main = html.split('id="content"', 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def populate(w, n: int) -> None:
    """``n`` of each thing waiting for someone in the world."""
    HubFactory(bassin=w.bassin)
    reservist = ReserveApplicationFactory(academie=w.home, validated=True)
    reservist.user = w.users["volunteer"]
    reservist.save()
    for _ in range(n):
        ReserveApplicationFactory(academie=w.home)
        ReserveApplicationFactory(academie=w.home, submitted_at=timezone.now() - timedelta(days=70))
        AdvisorFactory(academie=w.home, organisation=w.company)
        NotificationFactory(failed=True)
        open_case(w.school, w.users["teacher"])
        referred_case(w.school, w.users["teacher"])
        OfferFactory(bassin=w.bassin, host=w.company)
        offer = ActionOfferFactory(academie=w.home, organisation=w.company)
        ActionRequestFactory(offer=offer, establishment=w.school)
        ActionRequestFactory(
            offer=offer, establishment=w.school, state=ActionRequestState.ACCEPTED,
            answered_at=timezone.now(),
        )  # fmt: skip
        ReserveRequestFactory(reservist=reservist, establishment=w.school)


def test_team_queue(world, client_for):
    populate(world, 1)
    text = _main(client_for(world.users["academie_team"]).get("/"))
    assert "2 candidatures à la réserve citoyenne à examiner" in text
    assert "1 déposées depuis plus de deux mois" in text
    assert "1 conseiller entreprises pour l'école proposé, à désigner" in text
    # Late first: the applications (one overdue) come before the CEE to designate.
    assert text.index("candidatures à la réserve") < text.index("conseiller entreprises")
    assert 'href="/benevoles/reserve/candidatures/?state=deposee"' in _html(
        client_for(world.users["academie_team"])
    )


def _html(client) -> str:
    return client.get("/").content.decode()


def test_national_queue_links_to_the_national_view(world, client_for):
    populate(world, 1)
    client = client_for(world.users["national_admin"])
    html = _html(client)
    assert "1 courriel n'est pas parti" in _main(client.get("/"))
    assert "/parcours/indicateurs/?territoire=national" in html


def test_school_queue(world, client_for):
    populate(world, 1)
    for role in ("teacher", "head_of_school"):
        text = _main(client_for(world.users[role]).get("/"))
        assert "1 élève cherche seul" in text
        assert "1 action acceptée par un partenaire, à réaliser" in text
        assert "1 demande d'action sans réponse du partenaire" in text
        assert "Déclarer une période de stage" in text


def test_hub_queue(world, client_for):
    populate(world, 2)
    text = _main(client_for(world.users["hub_member"]).get("/"))
    assert "2 élèves orientés vers le pôle, sans proposition" in text
    assert "2 offres de stage à publier" in text
    assert "Calculs de placement" in text


def test_organisation_queue(world, client_for):
    populate(world, 1)
    html = _main(client_for(world.users["organisation_rep"]).get("/"))
    assert "1 demande d'action d'une école à laquelle répondre" in html
    assert "1 offre de stage en brouillon" in html
    assert "Engagements et réalisations" in html
    assert "0 organisation(s)" not in html


def test_volunteer_queue(world, client_for):
    populate(world, 1)
    html = _main(client_for(world.users["volunteer"]).get("/"))
    assert "1 sollicitation à laquelle répondre" in html
    assert "Mon profil, mes disponibilités et ma zone" in html
    assert "bassins de formation" not in html  # no directory figures for a réserviste
    assert "aucun périmètre" not in html


# Queries of the whole page (session, user, reach, menu, panels, queues), frozen.
QUERIES = {
    "no_membership": 5,  # is the user CASNAV staff? (the « Jeunes allophones » entry)
    "national_admin": 12,
    "academie_team": 14,
    "bassin_referent": 11,  # its queue: clubs, pôle, requests, mandates, preparation
    "hub_member": 10,
    "head_of_school": 13,
    "teacher": 13,
    "organisation_rep": 11,
    "volunteer": 9,
}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_queries_are_constant(world, client_for, django_assert_num_queries, role):
    client = client_for(world.users[role])
    for n in (1, 3):  # few, then many more of everything
        populate(world, n)
        client.get("/")  # the session and the user are loaded once
        with django_assert_num_queries(QUERIES[role]):
            assert client.get("/").status_code == 200


def test_priority_education_counts_collèges_and_lycées_only(world, client_for):
    from relais.establishments.enums import EstablishmentKind
    from tests.factories import EstablishmentFactory

    EstablishmentFactory(
        academie=world.home, bassin=world.bassin, kind=EstablishmentKind.ECOLE, rep_plus=True
    )
    text = _main(client_for(world.users["academie_team"]).get("/"))
    assert "1 collège ou lycée REP+" in text
    assert "0 collège ou lycée REP " in text + " "
    assert "2 collèges" in text
