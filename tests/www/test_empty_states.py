"""Issue 14: an empty list says what to do, with a link the user may follow."""

import re
from html import unescape

from tests.internships.factories import HubFactory
from tests.networks.factories import ClubFactory


def _empty_row(page: str, start: str) -> str:
    """The text (links kept as « [text](href) ») of the table cell that starts with ``start``."""
    cell = re.search(rf"<td[^>]*>{re.escape(start)}(.*?)</td>", page, re.S)
    assert cell, start
    text = re.sub(r'<a href="([^"]+)">([^<]+)</a>', r"[\2](\1)", cell.group(0))
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_club_without_members_nor_mandates(world, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    team = client_for(world.users["academie_team"])
    page = team.get(club.get_absolute_url()).content.decode()
    assert f"[Ajouter un membre](/reseaux/clubs/{club.pk}/membres/" in _empty_row(
        page, "Aucun membre"
    )
    assert "[Nommer un référent ou un pilote](" in _empty_row(page, "Aucun mandat")
    referent = client_for(world.users["bassin_referent"])
    page = referent.get(club.get_absolute_url()).content.decode()
    assert "l'équipe académique les enregistre" in _empty_row(page, "Aucun mandat")


def test_empty_case_list_says_where_cases_come_from(world, client_for):
    HubFactory(bassin=world.bassin)
    page = client_for(world.users["teacher"]).get("/stages/dossiers/").content.decode()
    assert "[liste des élèves](/eleves/)" in _empty_row(page, "Aucun dossier")
    page = client_for(world.users["hub_member"]).get("/stages/dossiers/").content.decode()
    row = _empty_row(page, "Aucun dossier")
    assert "les établissements orientent leurs élèves" in row and "](" not in row
    page = client_for(world.users["hub_member"]).get("/stages/dossiers/?state=placed")
    assert "[voir tous les dossiers](/stages/dossiers/)" in _empty_row(
        page.content.decode(), "Aucun dossier"
    )


def test_empty_runs_say_how_to_start(world, client_for):
    HubFactory(bassin=world.bassin)
    page = client_for(world.users["hub_member"]).get("/stages/calculs/").content.decode()
    assert "« Lancer le calcul »" in _empty_row(page, "Aucun calcul")
