"""The demo loaders of issue 15, items 3, 4, 7 and 8, each run twice (idempotent) on the
minimum they need, built with factories: never the whole ``load_demo``. The CET's loader
(``volunteers.demo_cet``) designates a conseiller, which renders its lettre de mission in
PDF (seconds): it runs in ``tests/test_demo.py`` only."""

from relais.demo import disability
from relais.governance import demo_councils
from relais.governance.models import Body
from relais.juries import demo as juries_demo
from relais.juries.enums import JurorState
from relais.juries.models import Juror
from relais.nomenclatures.models import RomeCode
from relais.users.enums import Role
from tests.factories import AcademieFactory, CommuneFactory, EstablishmentFactory, make_user
from tests.volunteers.factories import AdvisorFactory

DEMO = "demo.relais.example"


def test_disability_demo(world):
    world.school.commune = CommuneFactory(departement__academie=world.home)
    world.school.save()
    make_user(Role.HEAD_OF_SCHOOL, world.school, email=f"principal@{DEMO}")
    make_user(Role.HUB_MEMBER, world.school.bassin, email=f"pole.stages@{DEMO}")
    make_user(Role.ACADEMIE_TEAM, world.home, email=f"daet.montpellier@{DEMO}")
    RomeCode.objects.create(code="N1103", label="Magasinage et préparation de commandes")
    first = disability.load()
    assert "offre de stage accessible" in first and "sensibilisation au handicap" in first
    assert "déjà chargé" in disability.load()


def test_council_demo(world):
    assert "conseil du numérique, 2 réunions" in demo_councils.load()
    assert "déjà chargés" in demo_councils.load()
    council = Body.objects.get(sector="Numérique")
    assert council.members.count() == 5 and council.recommendations.count() == 2


def test_juries_demo(db):
    montpellier = AcademieFactory(name="Montpellier")
    make_user(Role.ACADEMIE_TEAM, montpellier, email=f"daet.montpellier@{DEMO}")
    EstablishmentFactory(academie=montpellier, kind="lycee", vocational_track=True)
    EstablishmentFactory(academie=montpellier)  # a collège
    advisor = AdvisorFactory(academie=montpellier, active=True)
    agreement = advisor.agreement
    assert agreement is not None
    assert "3 sessions" in juries_demo.load()
    assert "0 sessions" in juries_demo.load()
    assert Juror.objects.filter(state=JurorState.ATTENDED).count() >= 1
    assert agreement.commitments.filter(category="jurys").count() == 1
