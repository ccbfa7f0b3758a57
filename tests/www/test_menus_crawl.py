"""Issue 14: every role's menu leads only to pages it may open, and no link on its
dashboard or on the pages of its menu leads to a refusal (403), a missing page (404) or an
error (500).

Each role of the ``world`` fixture logs in, follows every entry of its menu, then every
link of its dashboard and of those pages (one level deep, internal links only)."""

import os
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from relais.networks.enums import CampusMemberKind
from relais.www.menus import ENTRIES
from tests.conftest import ROLES
from tests.networks.factories import (
    CampusFactory,
    CampusMemberFactory,
    ClubFactory,
    ClubMemberFactory,
    MandateFactory,
)

SKIPPED_PREFIXES = ("/deconnexion/", "/admin/", "/static/", "/media/", "/api/schema")
BAD = {403, 404, 500}


class _Links(HTMLParser):
    """The ``href`` of the links inside the main menu and inside the main content."""

    def __init__(self) -> None:
        super().__init__()
        self.menu: list[str] = []
        self.content: list[str] = []
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and attrs.get("id") == "fr-navigation":
            self._stack.append("menu")
        elif tag == "main":
            self._stack.append("content")
        elif tag in ("nav", "main"):
            self._stack.append("other")
        if tag == "a" and attrs.get("href") and self._stack:
            where = {"menu": self.menu, "content": self.content}.get(self._stack[-1])
            if where is None and "content" in self._stack:
                where = self.content
            if where is not None:
                where.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag in ("nav", "main") and self._stack:
            self._stack.pop()


def links_of(response) -> _Links:
    parser = _Links()
    parser.feed(response.content.decode())
    return parser


def internal(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIPPED_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def crawl_world(world):
    """The world, with a club and a campus of the home académie whose members include an
    établissement and an organisation of the other académie (plain text for most roles)."""
    w = world
    club = ClubFactory(academie=w.home, bassin=w.bassin, name="Club du Lez")
    ClubMemberFactory(club=club, establishment=w.school, full_name="")
    ClubMemberFactory(club=club, establishment=w.school_other, full_name="")
    ClubMemberFactory(club=club, organisation=w.company_other, full_name="")
    ClubMemberFactory(club=club, organisation=w.company, full_name="")
    MandateFactory(club=club, school_year=2025)
    campus = CampusFactory(
        academie=w.home, label_starts_on=date(2024, 9, 1), head_establishment=w.school_other
    )
    CampusMemberFactory(
        campus=campus, kind=CampusMemberKind.COMPANY, organisation=w.company_other, name="G"
    )
    CampusMemberFactory(campus=campus, establishment=w.school2, name="Voisin")
    return w


def _get(client, path):
    response = client.get(path)
    assert response.status_code not in BAD, f"{path} answered {response.status_code}"
    return response


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_menu_and_links_lead_nowhere_refused(crawl_world, client_for, role):
    client = client_for(crawl_world.users[role])
    home = _get(client, "/")
    links = links_of(home)
    menu = [p for p in map(internal, links.menu) if p]
    seen = {"/"}
    pages = []
    for path in dict.fromkeys(menu):
        seen.add(path)
        pages.append((path, _get(client, path)))
    to_follow = list(links.content)
    for _path, response in pages:
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            to_follow += links_of(response).content
    for href in to_follow:
        path = internal(href)
        if path and path not in seen:
            seen.add(path)
            _get(client, path)


def test_every_menu_entry_is_a_page():
    from django.urls import reverse

    for name in ENTRIES:
        assert reverse(name)


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("teacher", {"pupils:roster", "internships:case_list"}, {"internships:run_list"}),
        ("head_of_school", {"internships:period_list"}, {"internships:run_list", "api-docs"}),
        ("hub_member", {"internships:run_list", "internships:case_list"}, {"pupils:roster"}),
        ("organisation_rep", {"api-docs"}, {"internships:case_list", "internships:calendar"}),
        (
            "volunteer",
            {"volunteers:mine", "volunteers:request_list"},
            {"agreements:list", "governance:body_list", "networks:club_list", "api-docs"},
        ),
        ("academie_team", {"outbox:list", "pathways:settings"}, {"internships:run_list"}),
        ("national_admin", {"outbox:list"}, {"internships:run_list", "internships:case_list"}),
    ],
)
def test_menu_fits_the_role(world, client_for, role, shown, hidden):
    from django.urls import reverse

    response = client_for(world.users[role]).get("/")
    menu = set(links_of(response).menu)
    for name in shown:
        assert reverse(name) in menu, name
    for name in hidden:
        assert reverse(name) not in menu, name


def test_out_of_reach_objects_are_plain_text(crawl_world, client_for):
    from relais.networks.models import Club

    w = crawl_world

    club = Club.objects.get(name="Club du Lez")
    response = client_for(w.users["teacher"]).get(club.get_absolute_url())
    html = response.content.decode()
    assert w.school.get_absolute_url() in html
    assert w.school_other.get_absolute_url() not in html
    assert w.company_other.get_absolute_url() not in html
    assert "Collège Lointain" in html


DEMO_ACCOUNTS = [
    "admin",
    "daet.montpellier",
    "daet.toulouse",
    "referent.bassin",
    "pole.stages",
    "principal",
    "enseignant",
    "cpme.occitanie",
    "reserviste",
]


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("RELAIS_CRAWL_DEMO"),
    reason="5 minutes (load_demo and ~1,000 pages): RELAIS_CRAWL_DEMO=1 to run it",
)
@pytest.mark.django_db
def test_demo_accounts_menus_and_links(client):
    """The same crawl for the nine demo accounts, on the demo of ``make run`` (real
    annuaire, conventions, pôle, pupils…). Opt-in: it loads the whole demo and follows about
    a thousand links (5 min 10 s on the loaded machine, 05/12/2026, passed)."""
    import io

    from django.core.management import call_command

    from relais.users.models import User

    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    for name in DEMO_ACCOUNTS:
        user = User.objects.get(email=f"{name}@demo.relais.example")
        client.logout()
        client.force_login(user)
        home = _get(client, "/")
        links = links_of(home)
        seen = {"/"}
        to_follow = list(links.content)
        for path in dict.fromkeys(p for p in map(internal, links.menu) if p):
            seen.add(path)
            response = _get(client, path)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                to_follow += links_of(response).content
        for href in to_follow:
            path = internal(href)
            if path and path not in seen:
                seen.add(path)
                response = client.get(path)
                assert response.status_code not in BAD, f"{name}: {path} {response.status_code}"


def test_empty_lists_say_what_to_do(world, client_for):
    teacher = client_for(world.users["teacher"])
    html = teacher.get("/actions/demandes/").content.decode()
    assert "Aucune demande." in html and 'href="/actions/"' in html
    html = teacher.get("/benevoles/reserve/sollicitations/").content.decode()
    assert 'href="/benevoles/reserve/">Trouver un réserviste' in html
    html = teacher.get("/etablissements/?q=introuvable").content.decode()
    assert 'href="/etablissements/">Effacer les filtres</a>' in html
    html = client_for(world.users["volunteer"]).get("/benevoles/reserve/sollicitations/")
    assert 'href="/benevoles/mon-espace/">voir mon espace' in html.content.decode()
