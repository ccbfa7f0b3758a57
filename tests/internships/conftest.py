import pytest

from tests.internships.factories import HubFactory, RomeCodeFactory


@pytest.fixture
def hub(world):
    RomeCodeFactory(code="H2201")
    RomeCodeFactory(code="D1106")
    return HubFactory(bassin=world.bassin, email="pole.un@exemple.fr")
