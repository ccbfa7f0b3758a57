"""Permission matrix of the national view (/pilotage/) and of the open data (/donnees/,
public)."""

import pytest

from relais.reporting import snapshot
from tests.www.matrix import cases, check_answer, module_fixture, row

# The national team; an académie's team for its own académie; 403 for everyone else.
TEAMS = row(403, national_admin=200, academie_team=200)
HOME_ONLY = row(403, national_admin=200, academie_team=200)
OTHER = row(403, national_admin=200, academie_team=404)


def build_national_world(world):
    from relais.agreements.models import Agreement

    world.agreement = Agreement.objects.create(
        number="NAT-9", title="Convention nationale", kind="cadre", scope="national",
        state="en_vigueur", signed_on="2025-01-10", start_date="2025-01-10",
    )  # fmt: skip
    snapshot.snapshot_build()
    return world


national_world_once = module_fixture(
    build_national_world, settings=lambda folder: {"RELAIS_OPENDATA_DIR": folder / "opendata"}
)


MATRIX = [
    ("national:view", lambda w: "/pilotage/", "get", TEAMS),
    ("national:view", lambda w: f"/pilotage/?academie={w.home.pk}", "get", HOME_ONLY),
    ("national:view", lambda w: f"/pilotage/?academie={w.other.pk}", "get", OTHER),
    ("national:view", lambda w: f"/pilotage/?bassin={w.bassin.pk}", "get", HOME_ONLY),
    ("national:export", lambda w: "/pilotage/export/?tableau=territoires", "get", TEAMS),
    (
        "national:export",
        lambda w: "/pilotage/export/?tableau=partenaires&format=xlsx",
        "get",
        TEAMS,
    ),
    (
        "national:export",
        lambda w: f"/pilotage/export/?academie={w.home.pk}&tableau=evolution",
        "get",
        HOME_ONLY,
    ),  # fmt: skip
    ("national:feed", lambda w: "/pilotage/fil/", "get", TEAMS),
    ("national:partners", lambda w: "/pilotage/partenaires/", "get", TEAMS),
    ("national:partner", lambda w: f"/pilotage/partenaires/{w.agreement.pk}/", "get", TEAMS),
    (
        "national:partner_export",
        lambda w: f"/pilotage/partenaires/{w.agreement.pk}/export/",
        "get",
        TEAMS,
    ),  # fmt: skip
    (
        "national:partner_export",
        lambda w: f"/pilotage/partenaires/{w.agreement.pk}/export/?tableau=engagements",
        "get",
        row(403, national_admin=200),
    ),  # fmt: skip
]
PUBLIC_OK = row(200, anonymous=200)
PUBLIC = [
    ("opendata:index", "/donnees/"),
    ("opendata:file", "/donnees/fichiers/datapackage.json"),
    ("opendata:offers_near", "/donnees/stages/?q=Montpellier"),
]
COVERED_ELSEWHERE = {"opendata:archive_file"}  # tests/reporting/test_opendata.py


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_matrix(national_world_once, db, client_for, name, build, method, role, expected):
    w = national_world_once
    check_answer(client_for(w.users[role]), build(w), method, role, expected)


@pytest.mark.parametrize("role", ["anonymous", "teacher", "national_admin"])
@pytest.mark.parametrize(("name", "path"), PUBLIC)
def test_public(national_world_once, db, client_for, name, path, role):
    assert client_for(national_world_once.users[role]).get(path).status_code == 200
