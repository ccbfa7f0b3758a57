"""Permission matrix of the parcours Avenir above the school: the indicators (counts only,
``selectors.may_read_figures``: each role its own territory, 403 elsewhere) and the
académie's settings (the académie team for its académie, the national team for all)."""

import pytest

from relais.pathways.models import Objective
from tests.www.matrix import cases, check_answer, module_fixture, row
from tests.www.test_pathways_indicators import national_defaults

NO_FIGURES = ("no_membership", "organisation_rep", "volunteer")
# Without « ?territoire= »: each role's own territory.
OWN = row(200, **dict.fromkeys(NO_FIGURES, 403))
NATIONAL = row(403, national_admin=200)
ACADEMIE = row(403, national_admin=200, academie_team=200)
BASSIN = row(403, national_admin=200, academie_team=200, bassin_referent=200, hub_member=200)
SCHOOL = row(200, **dict.fromkeys(NO_FIGURES, 403))
SETTINGS = row(403, national_admin=200, academie_team=200)
# An empty form: refused with its errors (400) for those who may set, 403 for the others.
SETTINGS_POST = row(403, national_admin=400, academie_team=400)
REMOVE_HOME = row(403, national_admin=302, academie_team=302)
REMOVE_NATIONAL = row(403, national_admin=302)


def build_settings_world(world):
    national_defaults()
    world.home_objective = Objective.objects.create(academie=world.home, level="4e", item="visit")
    world.national_objective = Objective.objects.get(academie=None, level="3e", item="visit")
    return world


settings_world_once = module_fixture(build_settings_world)


def _indicators(name, path, query, expected):
    return (name, lambda w: f"/parcours/{path}{query.format(**vars(w))}", "get", expected)


MATRIX = [
    _indicators("pathways:indicators", "indicateurs/", "", OWN),
    _indicators("pathways:indicators", "indicateurs/", "?territoire=national", NATIONAL),
    _indicators("pathways:indicators", "indicateurs/", "?territoire=academie:{home.pk}", ACADEMIE),
    _indicators("pathways:indicators", "indicateurs/", "?territoire=academie:{other.pk}", NATIONAL),
    _indicators("pathways:indicators", "indicateurs/", "?territoire=bassin:{bassin.pk}", BASSIN),
    _indicators("pathways:indicators", "indicateurs/", "?territoire=school:{school.pk}", SCHOOL),
    _indicators("pathways:indicators_export", "indicateurs/export/", "?format=xlsx", OWN),
    _indicators(
        "pathways:indicators_export",
        "indicateurs/export/",
        "?territoire=academie:{home.pk}&tableau=territoires",
        ACADEMIE,
    ),
    ("pathways:settings", lambda w: "/parcours/reglages/", "get", SETTINGS),
    ("pathways:settings", lambda w: "/parcours/reglages/", "post", SETTINGS_POST),
    (
        "pathways:settings",
        lambda w: "/parcours/reglages/?academie=national",
        "get",
        row(403, national_admin=200),
    ),
    (
        "pathways:settings_objective_add",
        lambda w: "/parcours/reglages/objectifs/",
        "post",
        SETTINGS_POST,
    ),
    (
        "pathways:settings_objective_remove",
        lambda w: f"/parcours/reglages/objectifs/{w.home_objective.pk}/supprimer/",
        "post",
        REMOVE_HOME,
    ),
    (
        "pathways:settings_objective_remove",
        lambda w: f"/parcours/reglages/objectifs/{w.national_objective.pk}/supprimer/",
        "post",
        REMOVE_NATIONAL,
    ),
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_pathways_indicators_matrix(
    settings_world_once, db, client_for, name, build, method, role, expected
):
    w = settings_world_once
    check_answer(client_for(w.users[role]), build(w), method, role, expected)
