"""Helpers of the permission matrices (tests/www/test_permission_matrix.py and the
per-area tests/www/test_matrix_<area>.py).

An area matrix module defines ``MATRIX`` as a list of
``(url name, build(world) -> path, method, expected answers per role)`` and runs it with
``cases(MATRIX)`` and ``check_answer``; the coverage test of test_permission_matrix.py reads
every area's MATRIX, PUBLIC and COVERED_ELSEWHERE.
"""

import pytest

from tests.conftest import ROLES

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
