"""A declination lies within its parent's territory and is narrower (issue 11, item 2):
through the service ``agreement_decline`` (which creates it with ``agreement_create``)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from relais.agreements import services
from relais.agreements.models import Agreement
from tests.factories import AcademieFactory, BassinFactory

pytestmark = pytest.mark.django_db


def _in_force(number, scope, **territory):
    return Agreement.objects.create(
        number=number, title=f"Convention {number}", kind="cadre", scope=scope,
        state="en_vigueur", signed_on=datetime.date(2025, 1, 10),
        start_date=datetime.date(2025, 1, 10), **territory,
    )  # fmt: skip


def _decline(user, parent, scope, **territory):
    return services.agreement_decline(
        user=user, parent=parent, title="Déclinaison", scope=scope, **territory
    )


def test_a_national_convention_is_declined_to_a_region_or_an_academie(world):
    admin = world.users["national_admin"]
    national = _in_force("N-1", "national")
    regional = _decline(admin, national, "region_academique", academic_region=world.home.region)
    assert regional.parent == national and regional.academic_region == world.home.region
    local = _decline(world.users["academie_team"], national, "academie", academie=world.home)
    assert local.parent == national


def test_a_declination_stays_in_its_parents_region(world):
    admin = world.users["national_admin"]
    regional = _in_force("R-1", "region_academique", academic_region=world.home.region)
    inside = _decline(admin, regional, "academie", academie=world.home)
    assert inside.academie == world.home
    in_bassin = _decline(admin, regional, "bassin", bassin=world.bassin)
    assert in_bassin.bassin == world.bassin
    with pytest.raises(ValidationError) as error:
        _decline(admin, regional, "academie", academie=world.other)
    assert "région académique" in str(error.value)
    assert not Agreement.objects.filter(parent=regional, academie=world.other).exists()


def test_a_declination_stays_in_its_parents_academie(world):
    admin = world.users["national_admin"]
    academic = _in_force("A-1", "academie", academie=world.home,
                         academic_region=world.home.region)  # fmt: skip
    assert _decline(admin, academic, "etablissement", establishment=world.school).parent == academic
    far_bassin = BassinFactory(academie=world.other)
    for scope, territory in (
        ("bassin", {"bassin": far_bassin}),
        ("etablissement", {"establishment": world.school_other}),
    ):
        with pytest.raises(ValidationError) as error:
            _decline(admin, academic, scope, **territory)
        assert "territoire de la convention déclinée" in str(error.value)


def test_a_declination_is_narrower_than_its_parent(world):
    admin = world.users["national_admin"]
    regional = _in_force("R-2", "region_academique", academic_region=world.home.region)
    with pytest.raises(ValidationError) as error:
        _decline(admin, regional, "region_academique", academic_region=world.home.region)
    assert "plus restreint" in str(error.value)
    academic = _in_force("A-2", "academie", academie=world.home,
                         academic_region=world.home.region)  # fmt: skip
    sister = AcademieFactory(region=world.home.region)
    with pytest.raises(ValidationError):
        _decline(admin, academic, "academie", academie=sister)
