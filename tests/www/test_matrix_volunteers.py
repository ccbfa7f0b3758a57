"""Permission matrix of the volunteers pages (CEE / CET, réserve citoyenne, immersions, the
56-hour course): every URL with every role of the shared ``world``, extended with objects of
académie « home » and of académie « other ».

The world's organisation representative also represents « Fédération BTP Maison », the
signatory of the CEE convention, besides the « Boulangerie du Lez » company (which offers
the immersion). The world's volunteer is the validated reservist asked by the teacher."""

from dataclasses import dataclass

import pytest
from django.utils import timezone

from relais.users.enums import Role
from relais.users.models import Membership
from tests.factories import CommuneFactory, OrganisationFactory
from tests.www.matrix import check_answer, module_fixture, row

from ..volunteers.factories import (
    AdvisorFactory,
    CourseFactory,
    ImmersionApplicationFactory,
    ImmersionOfferFactory,
    ParticipantFactory,
    ReserveApplicationFactory,
    ReserveRequestFactory,
    cee_agreement,
)

TEAM = {"national_admin": 200, "academie_team": 200}
TEAM_POST = {"national_admin": 302, "academie_team": 302}
STAFF = ("bassin_referent", "hub_member", "head_of_school", "teacher")
SCHOOL = ("head_of_school", "teacher")


def only(default, **allowed):
    """Answer ``default`` for every logged-in role but the ones named."""
    return row(default, **allowed)


def _each(roles, value):
    return dict.fromkeys(roles, value)


EVERYONE = row(200)
TEAM_ONLY = only(403, **TEAM)
TEAM_OR_REP = only(403, **TEAM, organisation_rep=200)
TEAM_OBJECT = only(404, **TEAM)
TEAM_OBJECT_POST = only(404, **TEAM_POST)
ONLY_NATIONAL = only(404, national_admin=200)

# CEE and CET
PROPOSED = only(404, **TEAM, organisation_rep=200)
ACTIVE = only(404, **TEAM, organisation_rep=200, **_each(STAFF, 200))
VET_PROPOSED = only(404, **TEAM, organisation_rep=403)
WITHDRAW = only(404, **TEAM_POST, organisation_rep=302)
CONFIRM = only(404, **TEAM_POST, organisation_rep=302, **_each(STAFF, 403))
END_ACTIVE = only(404, **TEAM, organisation_rep=403, **_each(STAFF, 403))
ORG_SIDE = only(404, **TEAM, organisation_rep=200, **_each(STAFF, 403))
# Réserve
SEARCH = only(403, **TEAM, **_each(SCHOOL, 200))
REQUEST_RESERVIST = only(404, **_each(TEAM, 403), **_each(SCHOOL, 200))
REQUEST = only(404, **TEAM, **_each(SCHOOL, 200), volunteer=200)
ANSWER = only(404, **_each(TEAM, 403), **_each(SCHOOL, 403), volunteer=302)
CANCEL = only(404, **TEAM_POST, **_each(SCHOOL, 302), volunteer=403)
# Immersions
OFFER = only(404, **TEAM, organisation_rep=200, **_each(STAFF, 200))
TOGGLE = only(404, **TEAM_POST, organisation_rep=302, **_each(STAFF, 403))
APPLY = only(
    404, **_each(TEAM, 403), organisation_rep=403, bassin_referent=403, hub_member=403,
    **_each(SCHOOL, 200),
)  # fmt: skip
APPROVE = only(404, **TEAM_POST, organisation_rep=302, **_each(SCHOOL, 403))
REFUSE = only(404, **TEAM, organisation_rep=200, **_each(SCHOOL, 403))
EVALUATE = only(404, **_each(TEAM, 403), organisation_rep=403, head_of_school=403, teacher=200)


@dataclass
class V:
    world: object
    proposed: object
    designated: object
    active: object
    advisor_other: object
    application: object
    reservist: object
    request: object
    request_other: object
    offer: object
    offer_other: object
    immersion: object
    immersion_done: object
    course: object
    participant: object
    course_other: object


@pytest.fixture
def vworld(world):
    return build_vworld(world)


def build_vworld(world):
    w, users = world, world.users
    federation = OrganisationFactory(
        professional=True, academie=w.home, name="Fédération BTP Maison", email="btp@ex.fr"
    )
    Membership.objects.create(
        user=users["organisation_rep"], role=Role.ORGANISATION_REP, organisation=federation
    )
    agreement = cee_agreement(w.home, federation)
    common = {"academie": w.home, "organisation": federation, "agreement": agreement}
    other_org = OrganisationFactory(professional=True, academie=w.other)
    commune = CommuneFactory(departement__academie=w.home, latitude=43.62, longitude=3.87)
    reservist = ReserveApplicationFactory(
        academie=w.home, commune=commune, validated=True, user=users["volunteer"],
        email=users["volunteer"].email,
    )  # fmt: skip
    reservist_other = ReserveApplicationFactory(academie=w.other, validated=True)
    offer = ImmersionOfferFactory(organisation=w.company)
    course = CourseFactory(academie=w.home)
    return V(
        world=w,
        proposed=AdvisorFactory(**common),
        designated=AdvisorFactory(**common, designated=True),
        active=AdvisorFactory(**common, active=True),
        advisor_other=AdvisorFactory(
            academie=w.other, organisation=other_org, agreement=cee_agreement(w.other, other_org)
        ),
        application=ReserveApplicationFactory(academie=w.home),
        reservist=reservist,
        request=ReserveRequestFactory(
            reservist=reservist, establishment=w.school, requested_by=users["teacher"]
        ),
        request_other=ReserveRequestFactory(
            reservist=reservist_other, establishment=w.school_other
        ),
        offer=offer,
        offer_other=ImmersionOfferFactory(organisation=w.company_other),
        immersion=ImmersionApplicationFactory(
            offer=offer, applicant=users["teacher"], establishment=w.school
        ),
        immersion_done=ImmersionApplicationFactory(
            offer=ImmersionOfferFactory(organisation=offer.organisation, academie=offer.academie),
            applicant=users["teacher"],
            establishment=w.school,
            state="validee",
            academie_approved_at=timezone.now(),
            company_approved_at=timezone.now(),
        ),  # fmt: skip
        course=course,
        participant=ParticipantFactory(course=course),
        course_other=CourseFactory(academie=w.other),
    )


vworld_once = module_fixture(build_vworld)


B = "/benevoles"
MATRIX = [
    # CEE and CET
    ("volunteers:advisor_list", lambda v: f"{B}/conseillers/?q=claire", "get", EVERYONE),
    ("volunteers:advisor_export", lambda v: f"{B}/conseillers/export/?format=xlsx", "get", EVERYONE),
    ("volunteers:advisor_propose", lambda v: f"{B}/conseillers/proposer/?type=cee", "get", TEAM_OR_REP),
    ("volunteers:advisor_propose", lambda v: f"{B}/conseillers/proposer/?type=cet", "get", TEAM_OR_REP),
    ("volunteers:commitments", lambda v: f"{B}/conseillers/engagements/", "get", TEAM_OR_REP),
    ("volunteers:intervention_list", lambda v: f"{B}/conseillers/interventions/", "get", EVERYONE),
    ("volunteers:intervention_export", lambda v: f"{B}/conseillers/interventions/export/", "get", EVERYONE),
    ("volunteers:nominative_list", lambda v: f"{B}/conseillers/liste-nominative/", "get", TEAM_ONLY),
    ("volunteers:nominative_list_download", lambda v: f"{B}/conseillers/liste-nominative/pdf/", "get", TEAM_ONLY),
    ("volunteers:nominative_list_download", lambda v: f"{B}/conseillers/liste-nominative/xlsx/", "get", TEAM_ONLY),
    ("volunteers:advisor_detail", lambda v: f"{B}/conseillers/{v.proposed.pk}/", "get", PROPOSED),
    ("volunteers:advisor_detail", lambda v: f"{B}/conseillers/{v.active.pk}/", "get", ACTIVE),
    ("volunteers:advisor_detail", lambda v: f"{B}/conseillers/{v.advisor_other.pk}/", "get", ONLY_NATIONAL),
    ("volunteers:advisor_designate", lambda v: f"{B}/conseillers/{v.proposed.pk}/designer/", "get", VET_PROPOSED),
    ("volunteers:advisor_designate", lambda v: f"{B}/conseillers/{v.advisor_other.pk}/designer/", "get", ONLY_NATIONAL),
    ("volunteers:advisor_refuse", lambda v: f"{B}/conseillers/{v.proposed.pk}/refuser/", "get", VET_PROPOSED),
    ("volunteers:advisor_withdraw", lambda v: f"{B}/conseillers/{v.proposed.pk}/retirer/", "post", WITHDRAW),
    ("volunteers:advisor_confirm", lambda v: f"{B}/conseillers/{v.designated.pk}/employeur-informe/", "post", CONFIRM),
    ("volunteers:advisor_end", lambda v: f"{B}/conseillers/{v.active.pk}/terminer/", "get", END_ACTIVE),
    ("volunteers:advisor_letter", lambda v: f"{B}/conseillers/{v.active.pk}/lettre-de-mission.pdf", "get", ORG_SIDE),
    ("volunteers:advisor_letter", lambda v: f"{B}/conseillers/{v.active.pk}/lettre-de-mission.docx", "get", ORG_SIDE),
    ("volunteers:intervention_create", lambda v: f"{B}/conseillers/{v.active.pk}/interventions/ajouter/", "get", ORG_SIDE),
    # Réserve citoyenne
    ("volunteers:mine", lambda v: f"{B}/mon-espace/", "get", only(403, volunteer=200)),
    ("volunteers:reservist_search", lambda v: f"{B}/reserve/?skill=metier&radius=50", "get", SEARCH),
    ("volunteers:application_list", lambda v: f"{B}/reserve/candidatures/?overdue=true", "get", TEAM_ONLY),
    ("volunteers:application_export", lambda v: f"{B}/reserve/candidatures/export/", "get", TEAM_ONLY),
    ("volunteers:application_detail", lambda v: f"{B}/reserve/candidatures/{v.application.pk}/", "get", TEAM_OBJECT),
    ("volunteers:application_detail", lambda v: f"{B}/reserve/candidatures/{v.reservist.pk}/", "get", {**TEAM_OBJECT, "volunteer": 200}),
    ("volunteers:reservist_engagement", lambda v: f"{B}/reserve/candidatures/{v.application.pk}/engagement.pdf", "get", TEAM_OBJECT),
    ("volunteers:reservist_engagement", lambda v: f"{B}/reserve/candidatures/{v.reservist.pk}/engagement.pdf", "get", {**TEAM_OBJECT, "volunteer": 200}),
    ("volunteers:application_validate", lambda v: f"{B}/reserve/candidatures/{v.application.pk}/valider/", "post", TEAM_OBJECT_POST),
    ("volunteers:application_refuse", lambda v: f"{B}/reserve/candidatures/{v.application.pk}/refuser/", "get", TEAM_OBJECT),
    ("volunteers:reservist_request", lambda v: f"{B}/reserve/{v.reservist.pk}/solliciter/", "get", REQUEST_RESERVIST),
    ("volunteers:request_list", lambda v: f"{B}/reserve/sollicitations/", "get", EVERYONE),
    ("volunteers:request_export", lambda v: f"{B}/reserve/sollicitations/export/?format=xlsx", "get", EVERYONE),
    ("volunteers:request_detail", lambda v: f"{B}/reserve/sollicitations/{v.request.pk}/", "get", REQUEST),
    ("volunteers:request_detail", lambda v: f"{B}/reserve/sollicitations/{v.request_other.pk}/", "get", ONLY_NATIONAL),
    ("volunteers:request_accept", lambda v: f"{B}/reserve/sollicitations/{v.request.pk}/accepter/", "post", ANSWER),
    ("volunteers:request_decline", lambda v: f"{B}/reserve/sollicitations/{v.request.pk}/decliner/", "post", ANSWER),
    ("volunteers:request_cancel", lambda v: f"{B}/reserve/sollicitations/{v.request.pk}/annuler/", "post", CANCEL),
    ("volunteers:request_done", lambda v: f"{B}/reserve/sollicitations/{v.request.pk}/realisee/", "get", REQUEST),
    # Immersions
    ("volunteers:offer_list", lambda v: f"{B}/immersions/?q=atelier", "get", EVERYONE),
    ("volunteers:offer_create", lambda v: f"{B}/immersions/nouvelle/", "get", TEAM_OR_REP),
    ("volunteers:immersion_detail", lambda v: f"{B}/immersions/{v.offer.pk}/", "get", OFFER),
    ("volunteers:immersion_detail", lambda v: f"{B}/immersions/{v.offer_other.pk}/", "get", ONLY_NATIONAL),
    ("volunteers:offer_toggle", lambda v: f"{B}/immersions/{v.offer.pk}/ouvrir-fermer/", "post", TOGGLE),
    ("volunteers:offer_apply", lambda v: f"{B}/immersions/{v.offer.pk}/candidater/", "get", APPLY),
    ("volunteers:immersion_application_list", lambda v: f"{B}/immersions/candidatures/", "get", EVERYONE),
    ("volunteers:immersion_application_export", lambda v: f"{B}/immersions/candidatures/export/", "get", EVERYONE),
    ("volunteers:immersion_attestation", lambda v: f"{B}/immersions/candidatures/{v.immersion_done.pk}/attestation.pdf", "get", only(404, **TEAM, organisation_rep=200, head_of_school=200, teacher=200)),
    ("volunteers:immersion_attestation", lambda v: f"{B}/immersions/candidatures/{v.immersion.pk}/attestation.pdf", "get", only(404)),
    ("volunteers:immersion_approve", lambda v: f"{B}/immersions/candidatures/{v.immersion.pk}/valider/", "post", APPROVE),
    ("volunteers:immersion_refuse", lambda v: f"{B}/immersions/candidatures/{v.immersion.pk}/refuser/", "get", REFUSE),
    ("volunteers:immersion_evaluate", lambda v: f"{B}/immersions/candidatures/{v.immersion.pk}/evaluer/", "get", EVALUATE),
    # The 56-hour course
    ("volunteers:course_list", lambda v: f"{B}/parcours-56h/", "get", TEAM_ONLY),
    ("volunteers:course_create", lambda v: f"{B}/parcours-56h/nouveau/", "get", TEAM_ONLY),
    ("volunteers:course_late", lambda v: f"{B}/parcours-56h/en-retard/", "get", TEAM_ONLY),
    ("volunteers:course_late", lambda v: f"{B}/parcours-56h/en-retard/?format=csv", "get", TEAM_ONLY),
    ("volunteers:course_detail", lambda v: f"{B}/parcours-56h/{v.course.pk}/", "get", TEAM_OBJECT),
    ("volunteers:course_detail", lambda v: f"{B}/parcours-56h/{v.course_other.pk}/", "get", ONLY_NATIONAL),
    ("volunteers:participant_add", lambda v: f"{B}/parcours-56h/{v.course.pk}/inscrire/", "get", TEAM_OBJECT),
    ("volunteers:hours_add", lambda v: f"{B}/parcours-56h/participants/{v.participant.pk}/heures/", "get", TEAM_OBJECT),
]  # fmt: skip

# Public pages (the sign-up to the réserve citoyenne, its charter and its commune hints).
PUBLIC = [
    ("volunteers:reserve_signup", f"{B}/reserve/inscription/"),
    ("volunteers:reserve_signup_done", f"{B}/reserve/inscription/merci/"),
    ("volunteers:reserve_charter", f"{B}/reserve/charte/"),
    ("volunteers:reserve_communes", f"{B}/reserve/communes/?commune=mont"),
]

CASES = [
    pytest.param(name, build, method, role, expected[role], id=f"{name}-{i}-{role}")
    for i, (name, build, method, expected) in enumerate(MATRIX)
    for role in row(0)
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), CASES)
def test_volunteers_matrix(vworld_once, db, client_for, name, build, method, role, expected):
    check_answer(
        client_for(vworld_once.world.users[role]), build(vworld_once), method, role, expected
    )


@pytest.mark.parametrize("role", list(row(0)))
@pytest.mark.parametrize(("name", "path"), PUBLIC)
def test_public_pages(world, client_for, name, path, role):
    assert client_for(world.users[role]).get(path).status_code == 200
