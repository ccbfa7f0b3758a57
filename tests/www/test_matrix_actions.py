"""Permission matrix of the catalogue of actions (offers, requests, actions done)."""

import pytest

from relais.actions.enums import OfferState, RequestState
from tests.actions.factories import ActionRecordFactory, ActionRequestFactory, OfferFactory
from tests.www.matrix import cases, check_answer, module_fixture, row

EVERYONE = row(200)
PUBLISHED_HOME = row(200, no_membership=404)
ONLY_NATIONAL = row(404, national_admin=200)
# Drafts: only those who manage the offer (partner, académie team) see them.
DRAFT = row(404, national_admin=200, academie_team=200, organisation_rep=200)
MANAGE = row(403, national_admin=200, academie_team=200, organisation_rep=200, no_membership=404)
MANAGE_POST = row(
    403, national_admin=302, academie_team=302, organisation_rep=302, no_membership=404
)
CREATE_OFFER = row(403, national_admin=200, academie_team=200, organisation_rep=200)
REQUEST = row(403, national_admin=200, academie_team=200, head_of_school=200, teacher=200,
              no_membership=404)  # fmt: skip
RECORD = row(403, national_admin=200, academie_team=200, head_of_school=200, teacher=200)
# A request of school 1 to the home company: the school side, its bassin, the académie team,
# the partner.
REQUEST_SEEN = row(404, national_admin=200, academie_team=200, bassin_referent=200,
                   hub_member=200, head_of_school=200, teacher=200, organisation_rep=200)  # fmt: skip
# The school side sees the request but only the partner (or the académie team) answers it.
ACCEPT = row(404, national_admin=302, academie_team=302, bassin_referent=403, hub_member=403,
             head_of_school=403, teacher=403, organisation_rep=302)  # fmt: skip


@pytest.fixture
def cat(world):
    return build_cat(world)


def build_cat(world):
    w = world
    w.offer = OfferFactory(academie=w.home, organisation=w.company)
    w.draft = OfferFactory(
        academie=w.home, organisation=w.company, state=OfferState.DRAFT, published_at=None
    )
    w.offer_other = OfferFactory(academie=w.other)
    w.request = ActionRequestFactory(offer=w.offer, establishment=w.school, state=RequestState.SENT)
    w.request_other = ActionRequestFactory(offer=w.offer_other)
    w.record = ActionRecordFactory(establishment=w.school, organisation=w.company)
    return w


cat_once = module_fixture(build_cat)


MATRIX = [
    ("actions:offer_list", lambda w: "/actions/", "get", EVERYONE),
    ("actions:offer_export", lambda w: "/actions/export.csv", "get", EVERYONE),
    ("actions:offer_create", lambda w: "/actions/offres/nouvelle/", "get", CREATE_OFFER),
    ("actions:offer_detail", lambda w: f"/actions/offres/{w.offer.pk}/", "get", PUBLISHED_HOME),
    ("actions:offer_detail", lambda w: f"/actions/offres/{w.draft.pk}/", "get", DRAFT),
    (
        "actions:offer_detail",
        lambda w: f"/actions/offres/{w.offer_other.pk}/",
        "get",
        ONLY_NATIONAL,
    ),
    ("actions:offer_edit", lambda w: f"/actions/offres/{w.offer.pk}/modifier/", "get", MANAGE),
    (
        "actions:offer_transition",
        lambda w: f"/actions/offres/{w.draft.pk}/publier/",
        "post",
        {**DRAFT, "national_admin": 302, "academie_team": 302, "organisation_rep": 302},
    ),
    (
        "actions:offer_transition",
        lambda w: f"/actions/offres/{w.offer.pk}/clore/",
        "post",
        MANAGE_POST,
    ),
    (
        "actions:request_create",
        lambda w: f"/actions/offres/{w.offer.pk}/demander/",
        "get",
        REQUEST,
    ),
    ("actions:request_list", lambda w: "/actions/demandes/", "get", EVERYONE),
    ("actions:request_export", lambda w: "/actions/demandes/export.xlsx", "get", EVERYONE),
    (
        "actions:request_detail",
        lambda w: f"/actions/demandes/{w.request.pk}/",
        "get",
        REQUEST_SEEN,
    ),
    (
        "actions:request_detail",
        lambda w: f"/actions/demandes/{w.request_other.pk}/",
        "get",
        ONLY_NATIONAL,
    ),
    (
        "actions:request_transition",
        lambda w: f"/actions/demandes/{w.request.pk}/accepter/",
        "post",
        ACCEPT,
    ),
    ("actions:record_list", lambda w: "/actions/realisees/", "get", EVERYONE),
    ("actions:record_export", lambda w: "/actions/realisees/export.csv", "get", EVERYONE),
    ("actions:record_create", lambda w: "/actions/realisees/nouvelle/", "get", RECORD),
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_actions_matrix(cat_once, db, client_for, name, build, method, role, expected):
    check_answer(client_for(cat_once.users[role]), build(cat_once), method, role, expected)


def test_a_refused_transition_changes_nothing(cat, client_for):
    client = client_for(cat.users["teacher"])
    response = client.post(f"/actions/demandes/{cat.request.pk}/accepter/")
    assert response.status_code == 403
    cat.request.refresh_from_db()
    assert cat.request.state == RequestState.SENT
