"""Helpers of the permission matrices (tests/www/test_permission_matrix.py and the
per-area tests/www/test_matrix_<area>.py).

An area matrix module defines ``MATRIX`` as a list of
``(url name, build(world) -> path, method, expected answers per role)`` and runs it with
``cases(MATRIX)`` and ``check_answer``; the coverage test of test_permission_matrix.py reads
every area's MATRIX, PUBLIC and COVERED_ELSEWHERE.
"""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from tests.conftest import ROLES, World, build_world

LOGIN = "LOGIN"  # anonymous: redirected to the login page


def row(default, **overrides):
    """Expected answer per role: ``default`` for all, anonymous redirected to login."""
    expected = {role: default for role in ROLES}
    expected["anonymous"] = LOGIN
    expected.update(overrides)
    return expected


def cases(matrix):
    """pytest params (name, build, method, role, expected) for every row × role."""
    return [
        pytest.param(name, build, method, role, expected[role], id=f"{name}-{i}-{role}")
        for i, (name, build, method, expected) in enumerate(matrix)
        for role in ROLES
    ]


def check_answer(client, path, method, role, expected):
    response = getattr(client, method)(path)
    if expected == LOGIN:
        assert response.status_code == 302, f"{role} {method.upper()} {path}"
        assert response["Location"].startswith("/connexion/")
    else:
        assert response.status_code == expected, f"{role} {method.upper()} {path}"
    return response


def module_fixture(
    build: Callable[[World], Any], *, settings: Callable[[Path], dict] | None = None
):
    """A module-scoped fixture holding ``build(build_world())``, for a matrix: the world is
    written once per module (and per xdist worker) in a transaction rolled back after the
    module's last test, instead of once for each of the row × role cases (a tenth of the
    time of these 4,000 cases). Each case runs in a savepoint of that transaction (the test
    asks for ``db``): what a request writes (a POST, a session) is rolled back before the
    next case, as with a fixture per test. ``settings(directory)`` gives settings to
    override meanwhile (a media folder…). Use it only in a module without
    ``transactional_db`` or live server tests (they flush), and never change the fixture's
    Python objects in a test."""

    @pytest.fixture(scope="module")
    def fixture(django_db_setup, django_db_blocker, tmp_path_factory):
        overrides = settings(tmp_path_factory.mktemp("matrix")) if settings else {}
        with override_settings(**overrides), django_db_blocker.unblock(), transaction.atomic():
            try:
                yield build(build_world())
            finally:
                transaction.set_rollback(True)

    return fixture
