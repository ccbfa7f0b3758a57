"""Permission matrix of the conseils sectoriels nationaux (issue 15, item 4, Mesure 5):
visible nationally to every member (not to a réserviste with no other role), run by the
national administration."""

from dataclasses import dataclass

import pytest

from relais.governance.enums import BodyKind, RecommendationTopic
from relais.governance.models import Body, Recommendation
from tests.www.matrix import cases, check_answer, module_fixture, row

OUTSIDE = {"no_membership": 404, "volunteer": 404}
NATIONAL_ONLY = row(403, national_admin=200)
VISIBLE = row(200, **OUTSIDE)
RUN = row(403, national_admin=200, **OUTSIDE)
RUN_POST = row(403, national_admin=400, **OUTSIDE)  # an empty form: 400 with its errors


@dataclass
class C:
    council: object
    recommendation: object
    users: dict


def build_cworld(world):
    council = Body.objects.create(
        name="Conseil sectoriel national du numérique",
        kind=BodyKind.SECTOR_COUNCIL,
        sector="Numérique",
    )
    recommendation = Recommendation.objects.create(
        body=council, topic=RecommendationTopic.SKILLS, text="Ouvrir des BTS cybersécurité."
    )
    return C(council=council, recommendation=recommendation, users=world.users)


cworld_once = module_fixture(build_cworld)


MATRIX = [
    ("governance:council_list", lambda c: "/instances/conseils-sectoriels/", "get", row(200)),
    (
        "governance:council_create",
        lambda c: "/instances/conseils-sectoriels/nouveau/",
        "get",
        NATIONAL_ONLY,
    ),
    (
        "governance:council_detail",
        lambda c: f"/instances/conseils-sectoriels/{c.council.pk}/",
        "get",
        VISIBLE,
    ),
    (
        "governance:recommendation_add",
        lambda c: f"/instances/conseils-sectoriels/{c.council.pk}/recommandations/",
        "post",
        RUN_POST,
    ),
    (
        "governance:recommendation_follow_up",
        lambda c: f"/instances/recommandations/{c.recommendation.pk}/suites/",
        "get",
        RUN,
    ),
    # The council's body page is open to its readers like any body's.
    ("governance:body_detail", lambda c: f"/instances/{c.council.pk}/", "get", VISIBLE),
    ("governance:member_add", lambda c: f"/instances/{c.council.pk}/membres/ajouter/", "get", RUN),
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_councils_matrix(cworld_once, db, client_for, name, build, method, role, expected):
    check_answer(client_for(cworld_once.users[role]), build(cworld_once), method, role, expected)
