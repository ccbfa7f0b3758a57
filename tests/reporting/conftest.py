"""Data of the reporting tests: two académies with conventions (parties with signatories
who have names and e-mails), clubs with mandates, a campus, pôles' cases and offers."""

import datetime

import pytest
import time_machine

from relais.agreements.models import Agreement, Commitment, Party, Signatory
from relais.internships.enums import CaseState
from relais.networks.enums import MandateRole
from tests.factories import BassinFactory, OrganisationFactory
from tests.internships.factories import CaseFactory, HubFactory, published_offer
from tests.networks.factories import CampusFactory, ClubFactory, MandateFactory
from tests.pupils.factories import PupilFactory

TODAY = datetime.date(2026, 3, 10)
YEAR = 2025


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 3, 10, 10, 0), tick=False):
        yield TODAY


def _agreement(number, *, scope="academie", academie=None, region=None, parent=None, **extra):
    return Agreement.objects.create(
        number=number, title=f"Convention {number}", kind="cadre", scope=scope,
        academie=academie, academic_region=region, parent=parent, state="en_vigueur",
        signed_on=datetime.date(2025, 1, 10), start_date=datetime.date(2025, 1, 10),
        current_end=datetime.date(2026, 5, 1), duration_months=36, **extra,
    )  # fmt: skip


@pytest.fixture
def reporting_data(world, frozen):
    w = world
    medef = OrganisationFactory(national=True, name="Mouvement des entreprises", acronym="MEDEF")
    branch = OrganisationFactory(academie=w.home, name="MEDEF Maison", parent=medef)
    w.medef, w.branch = medef, branch
    w.national_agreement = _agreement("NAT-1", scope="national")
    w.declination = _agreement("LOC-1", academie=w.home, parent=w.national_agreement)
    for agreement, org in ((w.national_agreement, medef), (w.declination, branch)):
        party = Party.objects.create(agreement=agreement, organisation=org, name=org.name,
                                     side="economique")  # fmt: skip
        Party.objects.create(agreement=agreement, name="Rectorat", side="education")
        Signatory.objects.create(agreement=agreement, party=party, full_name="Jeanne Signataire",
                                 email="jeanne.signataire@medef.example")  # fmt: skip
        Commitment.objects.create(agreement=agreement, party=party, category="cee",
                                  description="Mobiliser des CEE", quantity=10)  # fmt: skip
    w.club = ClubFactory(academie=w.home, bassin=w.bassin, contact_email="club@exemple.fr")
    MandateFactory(club=w.club, role=MandateRole.REFERENT, school_year=YEAR,
                   full_name="Paul Référent", email="paul.referent@ac.example",
                   phone="06 12 34 56 78")  # fmt: skip
    MandateFactory(
        club=w.club,
        role=MandateRole.PILOTE,
        school_year=YEAR,
        full_name="Lucie Pilote",
        email="lucie.pilote@entreprise.example",
    )
    w.campus = CampusFactory(academie=w.home, head_establishment=w.school,
                             contact_email="campus.contact@ac.example")  # fmt: skip
    BassinFactory(academie=w.home, name="BASSIN SANS CLUB")
    referred = datetime.datetime(2025, 11, 3, 9, tzinfo=datetime.UTC)
    placed = datetime.datetime(2025, 11, 13, 9, tzinfo=datetime.UTC)
    hubs = {w.school.pk: HubFactory(bassin=w.bassin), w.school2.pk: HubFactory(bassin=w.bassin2)}
    # 14 pupils of the school (REP+: priority) referred, 12 placed; 3 of school2 (hidden).
    for index in range(14):
        pupil = PupilFactory(establishment=w.school, last_name=f"Élève{index}",
                             first_name="Camille")  # fmt: skip
        state = CaseState.PLACED if index < 12 else CaseState.REFERRED
        done = placed if index < 12 else None
        CaseFactory(pupil=pupil, state=state, referred_at=referred, hub=hubs[w.school.pk],
                    placed_at=done, closed_at=done)  # fmt: skip
    for index in range(3):
        pupil = PupilFactory(establishment=w.school2, last_name=f"Voisin{index}")
        CaseFactory(
            pupil=pupil, state=CaseState.REFERRED, referred_at=referred, hub=hubs[w.school2.pk]
        )
    w.offer = published_offer(w.bassin, w.company, week=datetime.date(2026, 4, 6),
                              latitude=w.school.latitude or 43.6,
                              longitude=w.school.longitude or 3.9)  # fmt: skip
    return w
