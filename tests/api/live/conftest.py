"""A committed world for the tests that talk to ``live_server`` over real HTTP.

The live server answers from another thread, with its own database connection: it sees only
committed rows, hence ``transactional_db`` (as in tests/e2e). On top of the API world of
tests/api/conftest.py, one object of each kind the API serves (conventions in every state
with their rows, governance, clubs and campus, volunteers, catalogue of actions, pôles de
stages), so that requests on real identifiers reach the code behind them."""

from datetime import date, timedelta
from http.cookiejar import DefaultCookiePolicy
from types import SimpleNamespace

import pytest
import requests
from django.utils import timezone
from rest_framework.authtoken.models import Token

from relais.agreements import services as agreement_services
from relais.governance.enums import BodyKind, MeetingState
from relais.governance.models import AnnualReport
from relais.internships.enums import CaseState
from relais.volunteers.enums import AdvisorKind
from tests.actions.factories import ActionRequestFactory
from tests.actions.factories import OfferFactory as ActionOfferFactory
from tests.agreements.factories import draft_agreement, in_force_agreement
from tests.governance import factories as gov
from tests.internships.factories import (
    CaseFactory,
    HubFactory,
    RomeCodeFactory,
    published_offer,
)
from tests.internships.factories import OfferFactory as InternshipOfferFactory
from tests.networks.factories import CampusFactory, ClubFactory, ClubMemberFactory, MandateFactory
from tests.pupils.factories import PupilFactory
from tests.volunteers.factories import (
    AdvisorFactory,
    ImmersionApplicationFactory,
    ImmersionOfferFactory,
    InterventionFactory,
    ReserveApplicationFactory,
    ReserveRequestFactory,
    cee_agreement,
)


@pytest.fixture
def world(django_db_reset_sequences, world):
    """The API world, committed (identifiers from 1 in each test: the same cases every run)."""
    return world


class Api:
    """``requests`` against the live server, authenticated with a real token only (the
    session keeps no cookie: no CSRF token nor session sneaks in)."""

    def __init__(self, base_url: str, user):
        token, _ = Token.objects.get_or_create(user=user)
        # 127.0.0.1 rather than « localhost », whose resolution costs ~90 ms per request here.
        self.base_url = base_url.replace("://localhost:", "://127.0.0.1:")
        self.headers = {"Authorization": f"Token {token.key}"}
        self.session = requests.Session()
        self.session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}{path}"

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.url(path), headers=self.headers, timeout=30, **kwargs)

    def post(self, path: str, payload=None, **kwargs) -> requests.Response:
        return self.session.post(
            self.url(path), json=payload, headers=self.headers, timeout=30, **kwargs
        )


@pytest.fixture
def api_as(live_server, users):
    """``api_as("academie_team")``: a token client of that role's user on the live server."""
    return lambda role: Api(live_server.url, users[role])


@pytest.fixture
def objects(world, users):
    """One object of each kind, in académie A unless said otherwise."""
    w, team = world, users["academie_team"]
    o = SimpleNamespace()
    o.draft = draft_agreement(team, w.academie_a, title="Brouillon Alpha", partner=w.professional_a)
    o.in_force = in_force_agreement(
        team,
        w.academie_a,
        title="En vigueur Alpha",
        signed_on=date(2024, 1, 15),
        partner=w.professional_a,
    )
    o.cee = cee_agreement(w.academie_a, w.professional_a)
    o.avenant = agreement_services.avenant_create(user=team, agreement=o.in_force, title="Avenant")
    o.terminated = in_force_agreement(
        team, w.academie_a, title="Résiliée Alpha", signed_on=date(2024, 1, 15)
    )
    agreement_services.agreement_terminate(
        user=team, agreement=o.terminated, notice_received_on=date(2025, 1, 10), reason="Fin"
    )
    o.party = o.draft.parties.order_by("pk").last()
    o.signatory = o.draft.signatories.order_by("pk").last()
    o.article = o.draft.articles.order_by("pk").last()
    o.commitment = gov.commitment(o.draft)
    o.body = gov.body(o.in_force, name="Comité Alpha", minimum=2, months=[9, 2])
    gov.member(o.body, name="Anne", email="anne@example.org")
    o.meeting = gov.meeting(o.body, timezone.localdate() - timedelta(days=3))
    o.held = gov.meeting(o.body, date(2025, 9, 20), state=MeetingState.HELD)
    o.report = AnnualReport.objects.create(agreement=o.in_force, school_year=2024)
    o.club = ClubFactory(academie=w.academie_a, bassin=w.bassin_a1, name="Club Alpha Nord")
    ClubMemberFactory(club=o.club, establishment=w.school_a1)
    ClubMemberFactory(club=o.club, organisation=w.company_a)  # no établissement
    gov.body(club=o.club, kind=BodyKind.CLUB_STEERING, name="Club Alpha")
    o.mandate = MandateFactory(club=o.club)
    o.campus = CampusFactory(academie=w.academie_a, name="Campus Alpha")
    o.advisor = AdvisorFactory(
        academie=w.academie_a, organisation=w.professional_a, agreement=o.cee, active=True
    )
    AdvisorFactory(
        academie=w.academie_a, organisation=w.professional_a, kind=AdvisorKind.CET, agreement=None
    )
    o.intervention = InterventionFactory(advisor=o.advisor, establishment=w.school_a1)
    o.reservist = ReserveApplicationFactory(
        academie=w.academie_a,
        validated=True,
        user=users["volunteer"],
        email=users["volunteer"].email,
    )
    o.reserve_request = ReserveRequestFactory(
        reservist=o.reservist, establishment=w.school_a1, requested_by=users["head_of_school"]
    )
    o.immersion = ImmersionOfferFactory(organisation=w.company_a)
    o.application = ImmersionApplicationFactory(
        offer=o.immersion, establishment=w.school_a1, applicant=users["teacher"]
    )
    o.action_offer = ActionOfferFactory(academie=w.academie_a, organisation=w.professional_a)
    o.action_request = ActionRequestFactory(offer=o.action_offer, establishment=w.school_a1)
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=w.bassin_a1)
    o.offer = published_offer(w.bassin_a1, w.child_a, commune=w.commune_a)
    o.draft_offer = InternshipOfferFactory(bassin=w.bassin_a1, host=w.child_a, commune=w.commune_a)
    o.pupil = PupilFactory(establishment=w.school_a1)
    o.case = CaseFactory(pupil=o.pupil, state=CaseState.SEARCHING_ALONE)
    return o


def real_identifiers(o) -> dict[str, dict[str, list]]:
    """Path prefix → path parameter → identifiers of real objects to try."""
    conventions = [o.draft.pk, o.in_force.pk, o.cee.pk, o.avenant.pk, o.terminated.pk]
    return {
        "/api/v1/conventions/{id}/parties/": {"id": [o.draft.pk], "row_id": [o.party.pk]},
        "/api/v1/conventions/{id}/signatories/": {
            "id": [o.draft.pk],
            "row_id": [o.signatory.pk],
        },
        "/api/v1/conventions/{id}/articles/": {"id": [o.draft.pk], "row_id": [o.article.pk]},
        "/api/v1/conventions/{id}/commitments/": {
            "id": [o.draft.pk],
            "row_id": [o.commitment.pk],
        },
        "/api/v1/conventions/": {"id": conventions},
        "/api/v1/actions/demandes/": {"id": [o.action_request.pk]},
        "/api/v1/actions/offres/": {"id": [o.action_offer.pk]},
        "/api/v1/bilans/": {"id": [o.report.pk]},
        "/api/v1/campus/": {"id": [o.campus.pk]},
        "/api/v1/clubs/": {"id": [o.club.pk]},
        "/api/v1/conseillers-interventions/": {"id": [o.intervention.pk]},
        "/api/v1/conseillers/": {"id": [o.advisor.pk]},
        "/api/v1/immersions-candidatures/": {"id": [o.application.pk]},
        "/api/v1/immersions/": {"id": [o.immersion.pk]},
        "/api/v1/instances/": {"id": [o.body.pk]},
        "/api/v1/mandats/": {"id": [o.mandate.pk]},
        "/api/v1/organisations/": {"id": [o.company.pk, o.professional.pk]},
        "/api/v1/reservistes/": {"id": [o.reservist.pk]},
        "/api/v1/reunions/": {"id": [o.meeting.pk, o.held.pk]},
        "/api/v1/sollicitations/": {"id": [o.reserve_request.pk]},
        "/api/v1/eleves/": {"id": [o.pupil.pk]},
        "/api/v1/stages/dossiers/": {"id": [o.case.pk]},
        "/api/v1/stages/offres/": {"id": [o.offer.pk, o.draft_offer.pk]},
        "/api/v1/academies/": {"code": ["A10"]},
        "/api/v1/bassins/": {"code": ["BA1"]},
        "/api/v1/departements/": {"code": ["34"]},
        "/api/v1/communes/": {"insee": ["34172"]},
        "/api/v1/etablissements/": {"uai": [o.school.uai]},
    }


def identifiers_for(path: str, known: dict) -> dict[str, list] | None:
    for prefix, parameters in known.items():
        if path.startswith(prefix):
            return parameters
    return None


@pytest.fixture
def known(objects, world):
    """Path prefix → path parameter → identifiers of real objects (``real_identifiers``)."""
    objects.company = world.company_a
    objects.professional = world.professional_a
    objects.school = world.school_a1
    return real_identifiers(objects)
