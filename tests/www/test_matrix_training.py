"""Permission matrix of the training pages (issue 15, items 5 and 6): every URL with every
role of the shared ``world``. The world's company (the organisation representative's) is a
member of the regional union, party to a convention in force over « home » with a « CASNAV »
commitment; a section of school 1 has a change under concertation; a newcomer's CV of
« home » was shared with the union and the company answered. The CASNAV staff hold no role
of ``ROLES``: their pages are tested in tests/www/test_training_pages.py."""

from dataclasses import dataclass
from datetime import date

import pytest

from relais.training import services
from relais.training.models import SectionOpinion
from tests.conftest import ROLES
from tests.factories import make_user
from tests.training.factories import casnav_member, convention_in_force, newcomer, section
from tests.www.matrix import check_answer, row

OUT = {"no_membership": 403, "volunteer": 403}
MEMBERS = row(200, **OUT)
TEAM = row(403, national_admin=200, academie_team=200)
TEAM_POST = row(403, national_admin=302, academie_team=302)
REPORT = row(403, national_admin=200, academie_team=200, organisation_rep=200)
COMPANY = row(403, organisation_rep=200)
STRICT = row(404, organisation_rep=200)
NOBODY = row(404)


@dataclass
class T:
    section: object
    change: object
    opinion: object
    newcomer: object
    users: dict


@pytest.fixture
def tworld(world):
    world.company.parent = world.regional
    world.company.save()
    convention_in_force(world.home, world.regional, casnav=10)
    team = world.users["academie_team"]
    open_section = section(world.school)
    change = services.change_create(
        user=team, kind="fermeture", section=open_section,
        data={"reason": "Plus de candidats.", "effective_on": date(2027, 9, 1)},
    )  # fmt: skip
    change = services.change_submit(user=team, change=change)
    casnav = casnav_member(make_user(), world.home)
    young = newcomer(casnav, world.home)
    services.newcomer_share(user=casnav, newcomer=young, organisation=world.regional)
    services.answer_create(
        user=world.users["organisation_rep"], newcomer=young, company=world.company
    )
    return T(open_section, change, SectionOpinion.objects.get(change=change), young, world.users)


MATRIX = [
    (
        "training:section_list",
        lambda t: "/formations/?secteur=Z&statut=x&academie=abc&bassin=99999999999",
        "get",
        MEMBERS,
    ),
    ("training:section_create", lambda t: "/formations/ajouter/", "get", TEAM),
    ("training:section_detail", lambda t: f"/formations/{t.section.pk}/", "get", MEMBERS),
    ("training:change_list", lambda t: "/formations/evolutions/", "get", MEMBERS),
    ("training:change_create", lambda t: "/formations/evolutions/nouvelle/", "get", TEAM),
    ("training:change_detail", lambda t: f"/formations/evolutions/{t.change.pk}/", "get", MEMBERS),
    (
        "training:change_transition",
        lambda t: f"/formations/evolutions/{t.change.pk}/abandonner/",
        "post",
        TEAM_POST,
    ),
    ("training:opinion", lambda t: f"/formations/avis/{t.opinion.pk}/", "get", NOBODY),
    ("training:shortage_list", lambda t: "/formations/metiers-en-tension/", "get", MEMBERS),
    (
        "training:shortage_create",
        lambda t: "/formations/metiers-en-tension/signaler/",
        "get",
        REPORT,
    ),
    ("training:newcomer_list", lambda t: "/formations/jeunes-allophones/", "get", COMPANY),
    (
        "training:newcomer_upload",
        lambda t: "/formations/jeunes-allophones/deposer/",
        "get",
        row(403),
    ),
    (
        "training:newcomer_commitments",
        lambda t: "/formations/jeunes-allophones/engagements/",
        "get",
        MEMBERS,
    ),
    ("training:casnav_staff", lambda t: "/formations/jeunes-allophones/casnav/", "get", TEAM),
    (
        "training:newcomer_detail",
        lambda t: f"/formations/jeunes-allophones/{t.newcomer.pk}/",
        "get",
        STRICT,
    ),
    (
        "training:newcomer_cv",
        lambda t: f"/formations/jeunes-allophones/{t.newcomer.pk}/cv/",
        "get",
        STRICT,
    ),
    (
        "training:newcomer_share",
        lambda t: f"/formations/jeunes-allophones/{t.newcomer.pk}/partager/",
        "post",
        row(404, organisation_rep=403),
    ),
    (
        "training:newcomer_withdraw",
        lambda t: f"/formations/jeunes-allophones/{t.newcomer.pk}/retrait/",
        "post",
        row(404, organisation_rep=403),
    ),
    (
        "training:answer_create",
        lambda t: f"/formations/jeunes-allophones/{t.newcomer.pk}/repondre/",
        "post",
        row(404, organisation_rep=302),
    ),
    (
        "training:answer_transition",
        lambda t: f"/formations/jeunes-allophones/{t.newcomer.pk}/reponse/clore/",
        "post",
        NOBODY,
    ),
]


@pytest.mark.parametrize(
    ("name", "build", "method", "expected"),
    [pytest.param(*line, id=f"{line[0]}-{i}") for i, line in enumerate(MATRIX)],
)
def test_training_matrix(tworld, client_for, name, build, method, expected):
    """One world per URL, every role in turn (a POST that changed the object leaves the next
    roles the same answer: the refusal or the redirect with its message)."""
    for role in ROLES:
        check_answer(client_for(tworld.users[role]), build(tworld), method, role, expected[role])
