"""Permission matrix of the networks pages (clubs, mandates, annuaire, campus)."""

from datetime import date

import pytest

from relais.networks.enums import MandateRole
from tests.networks.factories import (
    CampusFactory,
    CampusMemberFactory,
    ClubFactory,
    ClubMemberFactory,
    MandateFactory,
)
from tests.www.matrix import cases, check_answer, module_fixture, row

EVERYONE = row(200)
HOME = row(200, no_membership=404)
ONLY_NATIONAL = row(404, national_admin=200)
TEAM = row(403, national_admin=200, academie_team=200, no_membership=404)
TEAM_POST = row(403, national_admin=302, academie_team=302, no_membership=404)
CLUB_MANAGERS = row(
    403, national_admin=200, academie_team=200, bassin_referent=200, no_membership=404
)
CLUB_MANAGERS_POST = row(
    403, national_admin=302, academie_team=302, bassin_referent=302, no_membership=404
)
CREATE = row(403, national_admin=200, academie_team=200)
# An empty publication form is refused with its errors (400) for those who may publish.
PUBLISH = row(403, national_admin=400, academie_team=400, no_membership=404)


def build_net(world):
    w = world
    w.club = ClubFactory(academie=w.home, bassin=w.bassin)
    w.club2 = ClubFactory(academie=w.home, bassin=w.bassin2)
    w.club_other = ClubFactory(academie=w.other)
    w.member = ClubMemberFactory(club=w.club)
    w.mandate = MandateFactory(club=w.club, role=MandateRole.PILOTE, school_year=2025)
    w.campus = CampusFactory(academie=w.home, label_starts_on=date(2024, 9, 1))
    w.campus_other = CampusFactory(academie=w.other)
    w.campus_member = CampusMemberFactory(campus=w.campus)
    return w


net_once = module_fixture(build_net)


MATRIX = [
    ("networks:club_list", lambda w: "/reseaux/", "get", EVERYONE),
    ("networks:club_export", lambda w: "/reseaux/clubs/export.csv", "get", EVERYONE),
    ("networks:club_export", lambda w: "/reseaux/clubs/export.xlsx", "get", EVERYONE),
    ("networks:club_create", lambda w: "/reseaux/clubs/nouveau/", "get", CREATE),
    ("networks:club_detail", lambda w: f"/reseaux/clubs/{w.club.pk}/", "get", HOME),
    ("networks:club_detail", lambda w: f"/reseaux/clubs/{w.club_other.pk}/", "get", ONLY_NATIONAL),
    ("networks:club_edit", lambda w: f"/reseaux/clubs/{w.club.pk}/modifier/", "get", CLUB_MANAGERS),
    ("networks:club_edit", lambda w: f"/reseaux/clubs/{w.club2.pk}/modifier/", "get", TEAM),
    (
        "networks:club_edit",
        lambda w: f"/reseaux/clubs/{w.club_other.pk}/modifier/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "networks:club_member_add",
        lambda w: f"/reseaux/clubs/{w.club.pk}/membres/ajouter/",
        "get",
        CLUB_MANAGERS,
    ),
    (
        "networks:club_member_remove",
        lambda w: f"/reseaux/membres/{w.member.pk}/retirer/",
        "post",
        CLUB_MANAGERS_POST,
    ),
    (
        "networks:mandate_create",
        lambda w: f"/reseaux/clubs/{w.club.pk}/mandats/nommer/",
        "get",
        TEAM,
    ),
    (
        "networks:mandate_create",
        lambda w: f"/reseaux/clubs/{w.club_other.pk}/mandats/nommer/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "networks:mandate_renew",
        lambda w: f"/reseaux/mandats/{w.mandate.pk}/renouveler/",
        "get",
        TEAM,
    ),
    ("networks:mandates_to_renew", lambda w: "/reseaux/mandats/a-renouveler/", "get", EVERYONE),
    (
        "networks:mandates_to_renew",
        lambda w: "/reseaux/mandats/a-renouveler/?annee=2025&format=xlsx",
        "get",
        EVERYONE,
    ),
    ("networks:directory", lambda w: "/reseaux/annuaire/", "get", EVERYONE),
    (
        "networks:directory_export",
        lambda w: f"/reseaux/annuaire/{w.home.code}/2025.csv",
        "get",
        HOME,
    ),
    (
        "networks:directory_export",
        lambda w: f"/reseaux/annuaire/{w.other.code}/2025.xlsx",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "networks:directory_publish",
        lambda w: f"/reseaux/annuaire/{w.home.code}/2025/publier/",
        "post",
        PUBLISH,
    ),
    ("networks:campus_list", lambda w: "/reseaux/campus/", "get", EVERYONE),
    ("networks:campus_export", lambda w: "/reseaux/campus/export.csv", "get", EVERYONE),
    ("networks:campus_create", lambda w: "/reseaux/campus/nouveau/", "get", CREATE),
    ("networks:campus_detail", lambda w: f"/reseaux/campus/{w.campus.pk}/", "get", HOME),
    (
        "networks:campus_detail",
        lambda w: f"/reseaux/campus/{w.campus_other.pk}/",
        "get",
        ONLY_NATIONAL,
    ),
    ("networks:campus_edit", lambda w: f"/reseaux/campus/{w.campus.pk}/modifier/", "get", TEAM),
    (
        "networks:campus_member_add",
        lambda w: f"/reseaux/campus/{w.campus.pk}/membres/ajouter/",
        "get",
        TEAM,
    ),
    (
        "networks:campus_member_remove",
        lambda w: f"/reseaux/campus/membres/{w.campus_member.pk}/retirer/",
        "post",
        TEAM_POST,
    ),
]


# Issue 14: a réserviste (volunteer with no other role) no longer reaches the clubs (their pilots' names and e-mails):
# each of these pages is a 404 for them (it was 200 or 403 in their académie).
VOLUNTEER_OUTSIDE = {
    "networks:club_detail",
    "networks:club_edit",
    "networks:club_member_add",
    "networks:club_member_remove",
    "networks:mandate_create",
    "networks:mandate_renew",
}
MATRIX = [
    (name, build, method, {**expected, "volunteer": 404} if name in VOLUNTEER_OUTSIDE else expected)
    for name, build, method, expected in MATRIX
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_networks_matrix(net_once, db, client_for, name, build, method, role, expected):
    check_answer(client_for(net_once.users[role]), build(net_once), method, role, expected)
