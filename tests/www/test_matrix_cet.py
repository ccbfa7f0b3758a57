"""Permission matrix of the conseillers' mandates and seats (issue 15, item 3, Mesure 8),
on the volunteers matrix's world (an active CEE of the federation the organisation
representative also represents)."""

import pytest

from relais.volunteers.enums import SeatKind
from relais.volunteers.models import AdvisorSeat
from tests.www.matrix import cases, check_answer, module_fixture, row
from tests.www.test_matrix_volunteers import build_vworld

STAFF = ("bassin_referent", "hub_member", "head_of_school", "teacher")
TEAM_ONLY = row(403, national_admin=200, academie_team=200)
# The active advisor is seen by the team, its organisation and the school side; only the
# team renews a mandate and records seats.
VET = row(404, national_admin=200, academie_team=200, organisation_rep=403,
          **dict.fromkeys(STAFF, 403))  # fmt: skip
VET_POST = {**VET, "national_admin": 302, "academie_team": 302}


vworld_once = module_fixture(build_vworld)


def _seat(v):
    seat = AdvisorSeat.objects.create(
        advisor=v.active, kind=SeatKind.CPC, commission="CPC Bâtiment",
        started_on=v.active.mandate_start,
    )  # fmt: skip
    return f"/benevoles/conseillers/{v.active.pk}/sieges/{seat.pk}/clore/"


B = "/benevoles/conseillers"
MATRIX = [
    ("volunteers:advisor_renewals", lambda v: f"{B}/a-renouveler/?jours=365", "get", TEAM_ONLY),
    ("volunteers:advisor_renew", lambda v: f"{B}/{v.active.pk}/renouveler/", "get", VET),
    ("volunteers:seat_add", lambda v: f"{B}/{v.active.pk}/sieges/ajouter/", "get", VET),
    ("volunteers:seat_end", _seat, "post", VET_POST),
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_cet_matrix(vworld_once, db, client_for, name, build, method, role, expected):
    v = vworld_once
    check_answer(client_for(v.world.users[role]), build(v), method, role, expected)
