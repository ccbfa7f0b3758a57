import pytest

from tests.factories import make_user


@pytest.fixture
def user_factory(db):
    """Build a user holding one role on one scope: ``user_factory(Role.TEACHER, establishment)``."""
    return make_user
