"""Permission matrix of the public pages of the conventions (issue 15, item 10, under
/donnees/): every visitor, signed in or not, reads a convention in force and the list; a
draft, an ended convention or another académie's draft answers 404 to everyone."""

from dataclasses import dataclass
from datetime import timedelta

import pytest

from relais.core.clock import today
from tests.governance.factories import agreement
from tests.www.matrix import cases, check_answer, module_fixture, row

PUBLIC_OK = row(200, anonymous=200)
NOT_PUBLISHED = row(404, anonymous=404)


@dataclass
class P:
    in_force: object
    draft: object
    ended: object
    other_draft: object
    users: dict


def build_pworld(world):
    start = today() - timedelta(days=400)
    return P(
        in_force=agreement(world.home, start=start, duration_months=60),
        draft=agreement(world.home, state="brouillon"),
        # Signed five years ago for three years: expired.
        ended=agreement(
            world.home,
            state="expiree",
            start=start - timedelta(days=5 * 365),
            ended_on=start - timedelta(days=2 * 365),
        ),
        other_draft=agreement(world.other, state="brouillon"),
        users=world.users,
    )


pworld_once = module_fixture(build_pworld)

MATRIX = [
    ("opendata:conventions", lambda p: "/donnees/conventions/", "get", PUBLIC_OK),
    (
        "opendata:convention",
        lambda p: f"/donnees/conventions/{p.in_force.number}/",
        "get",
        PUBLIC_OK,
    ),
    ("opendata:convention", lambda p: f"/donnees/conventions/{p.draft.number}/", "get",
     NOT_PUBLISHED),
    ("opendata:convention", lambda p: f"/donnees/conventions/{p.ended.number}/", "get",
     NOT_PUBLISHED),
    ("opendata:convention", lambda p: f"/donnees/conventions/{p.other_draft.number}/", "get",
     NOT_PUBLISHED),
    ("opendata:convention", lambda p: "/donnees/conventions/INCONNUE-1/", "get", NOT_PUBLISHED),
]  # fmt: skip


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_public_conventions_matrix(
    pworld_once, db, client_for, name, build, method, role, expected
):
    check_answer(client_for(pworld_once.users[role]), build(pworld_once), method, role, expected)
