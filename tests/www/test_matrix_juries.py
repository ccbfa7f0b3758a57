"""Permission matrix of the juries pages (issue 15, item 7): every URL with every role of
the shared ``world``, with a session of académie « home » (centre: school 1) where the
world's company (the organisation representative's) has named a juror, and a session of
académie « other »."""

from dataclasses import dataclass

import pytest

from tests.juries.factories import JurorFactory, SessionFactory
from tests.www.matrix import cases, check_answer, module_fixture, row

EVERYONE = row(200)
TEAM = {"national_admin": 200, "academie_team": 200}
TEAM_POST = {"national_admin": 302, "academie_team": 302}
OUTSIDE = {"no_membership": 404, "volunteer": 404}
SESSION = row(200, **OUTSIDE)
ONLY_NATIONAL = row(404, national_admin=200)
CREATE = row(403, **TEAM)
NAME = row(403, **TEAM, organisation_rep=200, **OUTSIDE)
CONVOKE = row(403, **TEAM_POST, **OUTSIDE)
# A juror is seen by the team and by the organisation that named them; others get 404.
JUROR_CONVOKE = row(404, **TEAM_POST, organisation_rep=403)
JUROR_WITHDRAW = row(404, **TEAM_POST, organisation_rep=302)


@dataclass
class J:
    world: object
    session: object
    session_other: object
    juror: object
    users: dict


def build_jworld(world):
    session = SessionFactory(academie=world.home, establishment=world.school)
    return J(
        world=world,
        session=session,
        session_other=SessionFactory(academie=world.other),
        juror=JurorFactory(session=session, organisation=world.company),
        users=world.users,
    )


jworld_once = module_fixture(build_jworld)


MATRIX = [
    ("juries:session_list", lambda j: "/jurys/", "get", EVERYONE),
    ("juries:session_list", lambda j: "/jurys/?periode=passees", "get", EVERYONE),
    ("juries:session_create", lambda j: "/jurys/nouvelle/", "get", CREATE),
    ("juries:commitments", lambda j: "/jurys/engagements/?annee=abc", "get", EVERYONE),
    ("juries:session_detail", lambda j: f"/jurys/{j.session.pk}/", "get", SESSION),
    ("juries:session_detail", lambda j: f"/jurys/{j.session_other.pk}/", "get", ONLY_NATIONAL),
    ("juries:juror_name", lambda j: f"/jurys/{j.session.pk}/designer/", "get", NAME),
    ("juries:juror_name", lambda j: f"/jurys/{j.session_other.pk}/designer/", "get", ONLY_NATIONAL),
    ("juries:session_convoke", lambda j: f"/jurys/{j.session.pk}/convoquer/", "post", CONVOKE),
    (
        "juries:juror_transition",
        lambda j: f"/jurys/jures/{j.juror.pk}/convoquer/",
        "post",
        JUROR_CONVOKE,
    ),
    (
        "juries:juror_transition",
        lambda j: f"/jurys/jures/{j.juror.pk}/retirer/",
        "post",
        JUROR_WITHDRAW,
    ),
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_juries_matrix(jworld_once, db, client_for, name, build, method, role, expected):
    check_answer(client_for(jworld_once.users[role]), build(jworld_once), method, role, expected)
