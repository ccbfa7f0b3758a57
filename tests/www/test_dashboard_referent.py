"""Issue 14: the bassin référent's dashboard is their queue of work — the bassin's club
(missing, without its pilote, without its steering committee's meetings), the pupils waiting
at the pôle (a count), the schools' requests without an answer, the mandates ending without
a successor — each item a link that the référent may open."""

import re
from datetime import date, datetime

import pytest

from relais.governance.enums import BodyKind
from tests.actions.factories import ActionRequestFactory
from tests.actions.factories import OfferFactory as ActionOfferFactory
from tests.governance.factories import body, meeting
from tests.internships.factories import HubFactory, referred_case
from tests.networks.factories import ClubFactory, MandateFactory
from tests.www.test_dashboard_queues import _main


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime(2026, 1, 15, 10, 0))  # school year 2025-2026


def _queue(client) -> str:
    """The référent's queue section of the dashboard, as HTML."""
    html = client.get("/").content.decode()
    return html.split('id="queue-referent-', 1)[1].split("</section>", 1)[0]


def test_a_bassin_without_a_club(world, today, client_for):
    text = _main(client_for(world.users["bassin_referent"]).get("/"))
    assert "À faire — Référent" in text
    assert "1 bassin sans club école-entreprise (l'équipe académique le crée)" in text


def test_the_bassin_s_queue(world, today, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    steering = body(club=club, kind=BodyKind.CLUB_STEERING, minimum=2)
    meeting(steering, date(2025, 11, 20))
    MandateFactory(club=club, school_year=2025)  # the référent's, no successor for 2026
    HubFactory(bassin=world.bassin)
    referred_case(world.school, world.users["teacher"])
    offer = ActionOfferFactory(academie=world.home, organisation=world.company)
    ActionRequestFactory(offer=offer, establishment=world.school)
    ActionRequestFactory(offer=offer, establishment=world.school2)  # another bassin
    client = client_for(world.users["bassin_referent"])
    text = _main(client.get("/"))
    assert "bassin sans club" not in text
    assert "1 club sans pilote du monde économique pour 2025-2026" in text
    assert "1 club dont le comité de pilotage n'a pas ses réunions de 2025-2026" in text
    assert "1 élève orienté vers le pôle de stages attend une proposition" in text
    assert "1 demande d'action d'une école du bassin sans réponse du partenaire" in text
    assert "1 mandat du club finit en 2025-2026 sans successeur" in text
    # Every link of the queue opens for the référent.
    links = set(re.findall(r'href="([^"]+)"', _queue(client)))
    assert club.get_absolute_url() in links and len(links) == 5
    for url in links:
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_a_club_in_order_leaves_nothing_to_do(world, today, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    steering = body(club=club, kind=BodyKind.CLUB_STEERING, minimum=2)
    meeting(steering, date(2025, 11, 20))
    meeting(steering, date(2026, 5, 20))
    MandateFactory(club=club, school_year=2025, role="pilote")
    MandateFactory(club=club, school_year=2026, role="pilote")
    text = _main(client_for(world.users["bassin_referent"]).get("/"))
    assert "club sans pilote" not in text and "comité de pilotage n'a pas" not in text
    assert "Rien n'attend pour l'instant." in text


def test_a_club_without_any_meeting_is_late(world, today, client_for):
    ClubFactory(academie=world.home, bassin=world.bassin)
    text = _main(client_for(world.users["bassin_referent"]).get("/"))
    assert "1 club dont le comité de pilotage n'a pas ses réunions de 2025-2026" in text
    assert "1 sans aucune réunion prévue" in text


@pytest.mark.parametrize("role", ["academie_team", "hub_member", "head_of_school"])
def test_other_roles_have_no_referent_queue(world, today, client_for, role):
    assert 'id="queue-referent-' not in client_for(world.users[role]).get("/").content.decode()
