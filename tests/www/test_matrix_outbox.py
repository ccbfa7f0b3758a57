"""Permission matrix of the outbox page (/courriels/): the national administration sees
every message; an académie team sees those sent to people of its académie."""

import pytest

from relais.users.enums import Role
from tests.core.factories import NotificationFactory
from tests.factories import make_user
from tests.www.matrix import cases, check_answer, module_fixture, row

LIST = row(403, national_admin=200, academie_team=200)
RETRY_HOME = row(403, national_admin=302, academie_team=302)
RETRY_OTHER = row(403, national_admin=302, academie_team=404)


def build_outbox(world):
    w = world
    w.home_message = NotificationFactory(failed=True, recipients=[w.users["teacher"].email])
    outsider = make_user(Role.TEACHER, w.school_other)
    w.other_message = NotificationFactory(abandoned=True, recipients=[outsider.email])
    return w


outbox_once = module_fixture(build_outbox)


MATRIX = [
    ("outbox:list", lambda w: "/courriels/", "get", LIST),
    ("outbox:retry", lambda w: f"/courriels/{w.home_message.pk}/renvoyer/", "post", RETRY_HOME),
    ("outbox:retry", lambda w: f"/courriels/{w.other_message.pk}/renvoyer/", "post", RETRY_OTHER),
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_outbox_matrix(outbox_once, db, client_for, name, build, method, role, expected):
    check_answer(client_for(outbox_once.users[role]), build(outbox_once), method, role, expected)
