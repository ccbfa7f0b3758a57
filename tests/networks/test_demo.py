"""The demo of clubs, campus and catalogue, on a small copy of the demo académies."""

import pytest

from relais.actions import demo as actions_demo
from relais.actions.enums import RequestState
from relais.actions.models import ActionRecord, ActionRequest, Offer
from relais.core.school_years import school_year_of
from relais.demo import loading as base_demo
from relais.governance.enums import BodyKind
from relais.governance.models import Body
from relais.networks import demo as networks_demo
from relais.networks.enums import MandateRole
from relais.networks.models import Campus, Club, Mandate
from relais.users.enums import Role
from tests.factories import (
    AcademicRegionFactory,
    AcademieFactory,
    BassinFactory,
    EstablishmentFactory,
    OrganisationFactory,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    region = AcademicRegionFactory(code="76", name="Occitanie")
    academies = [AcademieFactory(code=code, region=region) for code in ("11", "16")]
    for academie in academies:
        for _ in range(3):
            bassin = BassinFactory(academie=academie)
            EstablishmentFactory(academie=academie, bassin=bassin)
            EstablishmentFactory(academie=academie, bassin=bassin, lycee_pro=True)
        for _ in range(3):
            OrganisationFactory(academie=academie, is_demo=True)
    base_demo.load_partners()
    make_user(Role.NATIONAL_ADMIN, email="admin@demo.relais.example")
    return academies


def test_demo_clubs_campus_and_catalogue(demo_world):
    from django.utils import timezone

    summary = networks_demo.load()
    assert "Clubs école-entreprise : 6 créé(s)" in summary
    year = school_year_of(timezone.localdate())
    for club in Club.objects.all():
        assert Body.objects.filter(club=club, kind=BodyKind.CLUB_STEERING).count() == 1
        roles = set(club.mandates.filter(school_year=year).values_list("role", flat=True))
        assert roles == {MandateRole.REFERENT, MandateRole.PILOTE}
    assert Mandate.objects.filter(full_name__endswith="(démo)").count() == Mandate.objects.count()
    assert Mandate.objects.filter(role=MandateRole.PILOTE).count() == 6 + 4  # one with 5 years
    assert Campus.objects.count() == 2
    assert "Catalogue d'actions" in actions_demo.load()
    offers = Offer.objects.filter(is_demo=True)
    assert offers.filter(organisation__acronym="UIMM Occitanie").exists()
    assert set(ActionRequest.objects.values_list("state", flat=True)) == set(RequestState.values)
    assert ActionRecord.objects.count() == ActionRequest.objects.filter(state="realisee").count()
    # A second run creates nothing.
    counts = (Club.objects.count(), Mandate.objects.count(), Offer.objects.count(),
              ActionRequest.objects.count(), Campus.objects.count())  # fmt: skip
    networks_demo.load()
    actions_demo.load()
    assert counts == (Club.objects.count(), Mandate.objects.count(), Offer.objects.count(),
                      ActionRequest.objects.count(), Campus.objects.count())  # fmt: skip
