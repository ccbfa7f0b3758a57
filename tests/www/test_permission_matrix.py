"""The permission matrix: every URL of the web interface, walked with every role.

Expected answers: 200 shown, 302 redirect (login for anonymous, or after a POST), 403 the
object is visible but the action is not allowed, 404 the object is outside the user's reach.
A last test fails when a URL of the project is missing from this matrix or from the
matrix of an area (``tests/www/test_matrix_<area>.py``, each with its own MATRIX, PUBLIC and
COVERED_ELSEWHERE, built with the helpers of ``tests/www/matrix.py``).
"""

import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

import tests.www
from tests.conftest import ROLES
from tests.www.matrix import check_answer, module_fixture, row

EVERYONE = row(200)
VISIBLE_IN_SCHOOL_1 = row(200, no_membership=404)
VISIBLE_IN_SCHOOL_2 = row(
    200, no_membership=404, bassin_referent=404, hub_member=404, head_of_school=404, teacher=404
)
ONLY_NATIONAL = row(404, national_admin=200)
HOME_COMPANY = row(200, no_membership=404)
EDIT_HOME_COMPANY = row(200, no_membership=404, head_of_school=403, teacher=403, volunteer=403)
POST_HOME_COMPANY = row(302, no_membership=404, head_of_school=403, teacher=403, volunteer=403)
NATIONAL_ORG = row(200, no_membership=404, organisation_rep=404)
EDIT_NATIONAL_ORG = row(403, national_admin=200, no_membership=404, organisation_rep=404)
REGIONAL_ORG = row(200, no_membership=404, organisation_rep=404)
EDIT_REGIONAL_ORG = row(
    403, national_admin=200, academie_team=200, no_membership=404, organisation_rep=404
)
CREATE_ORG = row(
    200,
    no_membership=403,
    head_of_school=403,
    teacher=403,
    organisation_rep=403,
    volunteer=403,
)
POST_ANYONE = row(302)
STAFF_ONLY = {**row(302, national_admin=200), "anonymous": 302}

# (url name, how to build its path from the world, method, expected answers per role)
MATRIX = [
    ("dashboard", lambda w: "/", "get", EVERYONE),
    ("account", lambda w: "/compte/", "get", EVERYONE),
    ("api_token_create", lambda w: "/compte/jeton/", "post", POST_ANYONE),
    ("api_token_revoke", lambda w: "/compte/jeton/revoquer/", "post", POST_ANYONE),
    ("password_change", lambda w: "/compte/mot-de-passe/", "get", EVERYONE),
    ("password_change_done", lambda w: "/compte/mot-de-passe/fait/", "get", EVERYONE),
    ("commune_suggestions", lambda w: "/communes/suggestions/?commune=Col", "get", EVERYONE),
    ("establishments:list", lambda w: "/etablissements/", "get", EVERYONE),
    ("establishments:export", lambda w: "/etablissements/export.csv", "get", EVERYONE),
    (
        "establishments:detail",
        lambda w: f"/etablissements/{w.school.uai}/",
        "get",
        VISIBLE_IN_SCHOOL_1,
    ),
    (
        "establishments:detail",
        lambda w: f"/etablissements/{w.school2.uai}/",
        "get",
        VISIBLE_IN_SCHOOL_2,
    ),
    (
        "establishments:detail",
        lambda w: f"/etablissements/{w.school_other.uai}/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "establishments:history",
        lambda w: f"/etablissements/{w.school.uai}/historique/",
        "get",
        VISIBLE_IN_SCHOOL_1,
    ),
    (
        "establishments:history",
        lambda w: f"/etablissements/{w.school_other.uai}/historique/",
        "get",
        ONLY_NATIONAL,
    ),
    ("organisations:list", lambda w: "/organisations/", "get", EVERYONE),
    ("organisations:export", lambda w: "/organisations/export.csv", "get", EVERYONE),
    ("organisations:create", lambda w: "/organisations/nouvelle/", "get", CREATE_ORG),
    ("organisations:detail", lambda w: f"/organisations/{w.company.pk}/", "get", HOME_COMPANY),
    (
        "organisations:detail",
        lambda w: f"/organisations/{w.company_other.pk}/",
        "get",
        ONLY_NATIONAL,
    ),
    ("organisations:detail", lambda w: f"/organisations/{w.national.pk}/", "get", NATIONAL_ORG),
    ("organisations:detail", lambda w: f"/organisations/{w.regional.pk}/", "get", REGIONAL_ORG),
    (
        "organisations:edit",
        lambda w: f"/organisations/{w.company.pk}/modifier/",
        "get",
        EDIT_HOME_COMPANY,
    ),
    (
        "organisations:edit",
        lambda w: f"/organisations/{w.company_other.pk}/modifier/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "organisations:edit",
        lambda w: f"/organisations/{w.national.pk}/modifier/",
        "get",
        EDIT_NATIONAL_ORG,
    ),
    (
        "organisations:edit",
        lambda w: f"/organisations/{w.regional.pk}/modifier/",
        "get",
        EDIT_REGIONAL_ORG,
    ),
    (
        "organisations:archive",
        lambda w: f"/organisations/{w.company.pk}/archiver/",
        "post",
        POST_HOME_COMPANY,
    ),
    (
        "organisations:archive",
        lambda w: f"/organisations/{w.company_other.pk}/archiver/",
        "post",
        {**ONLY_NATIONAL, "national_admin": 302},
    ),
    (
        "organisations:restore",
        lambda w: f"/organisations/{w.company.pk}/restaurer/",
        "post",
        POST_HOME_COMPANY,
    ),
    (
        "organisations:history",
        lambda w: f"/organisations/{w.company.pk}/historique/",
        "get",
        HOME_COMPANY,
    ),
    (
        "organisations:history",
        lambda w: f"/organisations/{w.company_other.pk}/historique/",
        "get",
        ONLY_NATIONAL,
    ),
    ("admin:index", lambda w: "/admin/", "get", STAFF_ONLY),
]

# Pages open to everyone, logged in or not (expected 200 for all roles).
PUBLIC = [
    ("login", "/connexion/"),
    ("password_reset", "/mot-de-passe-oublie/"),
    ("password_reset_done", "/mot-de-passe-oublie/envoye/"),
    ("password_reset_complete", "/mot-de-passe-oublie/termine/"),
    ("accessibility", "/accessibilite/"),
    ("health", "/sante/"),
]
# Covered elsewhere: the logout (POST, tests/www/test_accounts.py), the reset link (needs a
# token, same file), the API (tests/api), and the admin's own pages beyond its index.
COVERED_ELSEWHERE = {"logout", "password_reset_confirm"}

CASES = [
    pytest.param(name, build, method, role, expected[role], id=f"{name}-{i}-{role}")
    for i, (name, build, method, expected) in enumerate(MATRIX)
    for role in ROLES
]


world_once = module_fixture(lambda w: w)


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), CASES)
def test_permission_matrix(world_once, db, client_for, name, build, method, role, expected):
    check_answer(client_for(world_once.users[role]), build(world_once), method, role, expected)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "path"), PUBLIC)
def test_public_pages(world_once, db, client_for, name, path, role):
    client = client_for(world_once.users[role])
    response = client.get(path)
    if name == "login" and role != "anonymous":
        assert response.status_code == 302  # already logged in: back to the dashboard
    else:
        assert response.status_code == 200


def _url_names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def _area_matrices():
    for info in pkgutil.iter_modules(tests.www.__path__):
        if info.name.startswith("test_matrix_"):
            yield importlib.import_module(f"tests.www.{info.name}")


def test_every_web_url_is_in_the_matrix():
    names = {n for n in _url_names(get_resolver()) if not n.startswith(("admin:", "api"))}
    covered = {name for name, *_ in MATRIX} | {name for name, _ in PUBLIC} | COVERED_ELSEWHERE
    for area in _area_matrices():
        covered |= {name for name, *_ in area.MATRIX}
        covered |= {name for name, _ in getattr(area, "PUBLIC", [])}
        covered |= set(getattr(area, "COVERED_ELSEWHERE", set()))
    assert names - covered == set(), "add these URLs to the permission matrix"
