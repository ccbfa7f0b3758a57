"""Permission matrix of the pôles de stages pages: every URL, every role.

The world gets a pôle for bassin 1 and, in school 1: a pupil referred to the pôle (« case »),
a pupil still searching alone, and pupils whose proposals are sent, accepted and confirmed;
a published offer of the local company and a draft of another company; an engine run.
"""

from types import SimpleNamespace

import pytest

from relais.internships import services
from relais.internships.services.matching import run_create
from tests.conftest import ROLES
from tests.factories import OrganisationFactory
from tests.internships.factories import (
    WEEK,
    HubFactory,
    PeriodFactory,
    RomeCodeFactory,
    open_case,
    published_offer,
    referred_case,
)
from tests.pupils.factories import PupilFactory
from tests.www.matrix import LOGIN, check_answer, module_fixture, row

SCHOOL = ("head_of_school", "teacher")
# Issue 17: pupils' data goes to the school and to the pôle that handles the case (its
# members); the bassin référent and the académie team manage offers and the pôle's settings
# of their territory and read figures only.
POLE = ("hub_member",)
TERRITORY = ("academie_team", "bassin_referent")
HUB = (*TERRITORY, *POLE)
OUTSIDE = ("no_membership", "national_admin", "organisation_rep", "volunteer")


def only(answer, roles, default=404, **others):
    """``answer`` for ``roles``, ``default`` for the rest (anonymous: login)."""
    expected = row(default, **others)
    expected.update({role: answer for role in roles})
    return expected


EVERYONE = row(200)
PUBLIC_LINK = {role: 200 for role in ROLES}
PUPIL_PAGES = only(200, SCHOOL + POLE, default=403)
SCHOOL_FORM = only(200, SCHOOL, default=403)
SCHOOL_AND_POLE = only(200, SCHOOL + POLE)
SCHOOL_ONLY = only(200, SCHOOL)
SCHOOL_EDIT = only(200, SCHOOL, hub_member=403)
PERIOD_EDIT = only(200, SCHOOL, **{r: 403 for r in (*HUB, "national_admin")})
POST_PERIOD = only(302, SCHOOL, **{r: 403 for r in (*HUB, "national_admin")})
POST_SCHOOL_AND_POLE = only(302, SCHOOL + POLE)
POST_SCHOOL_ALONE = only(302, SCHOOL)
POST_POLE = only(302, POLE, **{r: 403 for r in SCHOOL})
POST_CANCEL = only(302, POLE, **{r: 403 for r in (*SCHOOL, "organisation_rep")})
POST_CONFIRM = only(302, SCHOOL, **{r: 403 for r in (*POLE, "organisation_rep")})
AGREEMENT = only(200, SCHOOL + POLE, organisation_rep=403)
HUB_EDIT = only(200, (*HUB, "national_admin"), **{r: 403 for r in SCHOOL})
HUB_CREATE = only(200, (*HUB, "national_admin"), default=403)
OFFER_MANAGERS = (*HUB, "national_admin", "organisation_rep")
OFFER_CREATE = only(200, OFFER_MANAGERS, default=403)
OFFER_SEEN = only(200, (*OFFER_MANAGERS, *SCHOOL))
DRAFT_SEEN = only(200, (*HUB, "national_admin"))
OFFER_EDIT = only(200, OFFER_MANAGERS, **{r: 403 for r in SCHOOL})
POST_OFFER = only(302, OFFER_MANAGERS, **{r: 403 for r in SCHOOL})
POST_DRAFT = only(302, (*HUB, "national_admin"))
ENGINE = only(200, POLE, default=403)
RUN = only(200, POLE)
POST_RUN = only(302, POLE)
REPORTS = only(200, (*HUB, *SCHOOL, "national_admin"), default=403)


@pytest.fixture
def extra(world):
    return build_extra(world)


def build_extra(world):
    RomeCodeFactory(code="H2201")
    x = SimpleNamespace()
    x.hub = HubFactory(bassin=world.bassin)
    teacher, member = world.users["teacher"], world.users["hub_member"]
    x.offer = published_offer(world.bassin, world.company, capacity=5)
    x.draft = published_offer(
        world.bassin, OrganisationFactory(academie=world.home, name="Autre entreprise")
    )
    x.draft.state = "draft"
    x.draft.save()
    slot = x.offer.slots.get()
    x.case = referred_case(world.school, teacher)
    x.pupil = x.case.pupil
    x.alone = open_case(world.school, teacher)
    x.roster_pupil = PupilFactory(establishment=world.school)  # on the roster, no case
    x.period = PeriodFactory(establishment=world.school)
    sent_case, accepted_case, confirmed_case = (referred_case(world.school, teacher) for _ in "abc")
    x.proposal = services.proposal_send(user=member, case=sent_case, slot=slot)
    x.accepted = services.proposal_send(user=member, case=accepted_case, slot=slot)
    services.proposal_accept(proposal=x.accepted)
    x.confirmed = services.proposal_send(user=member, case=confirmed_case, slot=slot)
    services.proposal_accept(proposal=x.confirmed)
    x.placement = services.proposal_confirm(user=teacher, proposal=x.confirmed)
    x.placement.end = WEEK  # the internship is over: the feedback page is open
    x.placement.save()
    x.run = run_create(user=member, hub=x.hub, window_start=WEEK, window_end=WEEK)
    x.suggestion = x.run.suggestions.get(case=x.case)
    return x


world_extra_once = module_fixture(lambda w: (w, build_extra(w)))


def _token(x):
    return services.proposal_token(x.proposal)


def _feedback(x):
    from relais.internships.services.proposals import feedback_token

    return feedback_token(x.placement)


MATRIX = [
    ("internships:home", lambda w, x: "/stages/", "get", EVERYONE),
    ("internships:period_list", lambda w, x: "/stages/periodes/", "get", EVERYONE),
    ("internships:period_create", lambda w, x: "/stages/periodes/nouvelle/", "get", SCHOOL_FORM),
    (
        "internships:period_edit",
        lambda w, x: f"/stages/periodes/{x.period.pk}/modifier/",
        "get",
        PERIOD_EDIT,
    ),
    (
        "internships:period_delete",
        lambda w, x: f"/stages/periodes/{x.period.pk}/supprimer/",
        "post",
        POST_PERIOD,
    ),
    ("internships:case_list", lambda w, x: "/stages/dossiers/", "get", PUPIL_PAGES),
    ("internships:case_export", lambda w, x: "/stages/dossiers/export/", "get", PUPIL_PAGES),
    ("internships:case_import", lambda w, x: "/stages/dossiers/importer/", "get", SCHOOL_FORM),
    ("internships:case_template", lambda w, x: "/stages/dossiers/modele.csv", "get", EVERYONE),
    (
        "internships:case_open",
        lambda w, x: f"/stages/dossiers/ouvrir/{x.roster_pupil.pk}/",
        "get",
        SCHOOL_ONLY,
    ),
    (
        "internships:case_open",
        lambda w, x: f"/stages/dossiers/ouvrir/{x.pupil.pk}/",
        "get",
        SCHOOL_EDIT,
    ),
    (
        "internships:case_edit",
        lambda w, x: f"/stages/dossiers/{x.case.pk}/recherche/",
        "get",
        SCHOOL_EDIT,
    ),
    (
        "internships:case_edit",
        lambda w, x: f"/stages/dossiers/{x.alone.pk}/recherche/",
        "get",
        SCHOOL_ONLY,
    ),
    (
        "internships:case_detail",
        lambda w, x: f"/stages/dossiers/{x.case.pk}/",
        "get",
        SCHOOL_AND_POLE,
    ),
    ("internships:case_detail", lambda w, x: f"/stages/dossiers/{x.alone.pk}/", "get", SCHOOL_ONLY),
    (
        "internships:case_move",
        lambda w, x: f"/stages/dossiers/{x.case.pk}/etape/retirer/",
        "post",
        POST_SCHOOL_AND_POLE,
    ),
    (
        "internships:case_move",
        lambda w, x: f"/stages/dossiers/{x.alone.pk}/etape/aider/",
        "post",
        POST_SCHOOL_ALONE,
    ),
    (
        "internships:case_assign",
        lambda w, x: f"/stages/dossiers/{x.case.pk}/attribuer/",
        "post",
        POST_POLE,
    ),
    (
        "internships:proposal_send",
        lambda w, x: f"/stages/dossiers/{x.case.pk}/proposer/",
        "post",
        POST_POLE,
    ),
    ("internships:proposal_list", lambda w, x: "/stages/propositions/", "get", EVERYONE),
    (
        "internships:proposal_cancel",
        lambda w, x: f"/stages/propositions/{x.proposal.pk}/annuler/",
        "post",
        POST_CANCEL,
    ),
    (
        "internships:proposal_confirm",
        lambda w, x: f"/stages/propositions/{x.accepted.pk}/confirmer/",
        "post",
        POST_CONFIRM,
    ),
    (
        "internships:agreement_pdf",
        lambda w, x: f"/stages/propositions/{x.confirmed.pk}/convention.pdf",
        "get",
        AGREEMENT,
    ),
    (
        "internships:agreement_docx",
        lambda w, x: f"/stages/propositions/{x.confirmed.pk}/convention.docx",
        "get",
        AGREEMENT,
    ),
    (
        "internships:confidentiality_record",
        lambda w, x: f"/stages/propositions/{x.confirmed.pk}/confidentialite/",
        "post",
        POST_CONFIRM,
    ),
    ("internships:hub_list", lambda w, x: "/stages/poles/", "get", EVERYONE),
    ("internships:hub_edit", lambda w, x: f"/stages/poles/{x.hub.pk}/modifier/", "get", HUB_EDIT),
    ("internships:hub_create", lambda w, x: "/stages/poles/nouveau/", "get", HUB_CREATE),
    ("internships:offer_list", lambda w, x: "/stages/offres/", "get", EVERYONE),
    ("internships:offer_create", lambda w, x: "/stages/offres/nouvelle/", "get", OFFER_CREATE),
    ("internships:offer_detail", lambda w, x: f"/stages/offres/{x.offer.pk}/", "get", OFFER_SEEN),
    ("internships:offer_detail", lambda w, x: f"/stages/offres/{x.draft.pk}/", "get", DRAFT_SEEN),
    (
        "internships:offer_edit",
        lambda w, x: f"/stages/offres/{x.offer.pk}/modifier/",
        "get",
        OFFER_EDIT,
    ),
    (
        "internships:offer_slots",
        lambda w, x: f"/stages/offres/{x.offer.pk}/places/",
        "post",
        POST_OFFER,
    ),
    (
        "internships:offer_publish",
        lambda w, x: f"/stages/offres/{x.draft.pk}/publier/",
        "post",
        POST_DRAFT,
    ),
    (
        "internships:offer_close",
        lambda w, x: f"/stages/offres/{x.offer.pk}/fermer/",
        "post",
        POST_OFFER,
    ),
    ("internships:run_list", lambda w, x: "/stages/calculs/", "get", ENGINE),
    ("internships:run_detail", lambda w, x: f"/stages/calculs/{x.run.pk}/", "get", RUN),
    (
        "internships:run_send_all",
        lambda w, x: f"/stages/calculs/{x.run.pk}/envoyer/",
        "post",
        POST_RUN,
    ),
    (
        "internships:suggestion_edit",
        lambda w, x: f"/stages/calculs/{x.run.pk}/suggestions/{x.suggestion.pk}/",
        "get",
        RUN,
    ),
    (
        "internships:suggestion_send",
        lambda w, x: f"/stages/calculs/{x.run.pk}/suggestions/{x.suggestion.pk}/envoyer/",
        "post",
        POST_RUN,
    ),
    (
        "internships:suggestion_discard",
        lambda w, x: f"/stages/calculs/{x.run.pk}/suggestions/{x.suggestion.pk}/ecarter/",
        "post",
        POST_RUN,
    ),
    ("internships:calendar", lambda w, x: "/stages/calendrier/", "get", REPORTS),
    ("internships:indicators", lambda w, x: "/stages/indicateurs/", "get", REPORTS),
    (
        "internships:indicators_export",
        lambda w, x: "/stages/indicateurs/export/?format=xlsx",
        "get",
        REPORTS,
    ),
    ("internships:answer", lambda w, x: f"/stages/reponse/{_token(x)}/", "get", PUBLIC_LINK),
    ("internships:feedback", lambda w, x: f"/stages/avis/{_feedback(x)}/", "get", PUBLIC_LINK),
]

CASES = [
    pytest.param(name, build, method, role, expected[role], id=f"{name}-{i}-{role}")
    for i, (name, build, method, expected) in enumerate(MATRIX)
    for role in ROLES
]


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), CASES)
def test_internships_matrix(world_extra_once, db, client_for, name, build, method, role, expected):
    world, extra = world_extra_once
    assert expected == LOGIN or isinstance(expected, int)
    check_answer(client_for(world.users[role]), build(world, extra), method, role, expected)
