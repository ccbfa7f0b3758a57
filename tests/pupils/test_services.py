"""Writes on a pupil (``relais.pupils.services``) and the reads scoped to the school
(``relais.pupils.selectors``): another school's pupils are invisible."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from relais.pupils import selectors
from relais.pupils.models import Pupil
from relais.pupils.services import (
    pupil_create,
    pupil_update,
    pupils_anonymise,
    pupils_expired,
)
from relais.pupils.years import retention_until, roster_year_label, roster_year_of
from tests.conftest import ROLES
from tests.pupils.factories import PupilFactory

DATA = {"first_name": " Inès ", "last_name": "Demo", "class_label": "3e  A", "level": "3e"}


def test_the_school_registers_a_pupil(world):
    pupil = pupil_create(
        user=world.users["teacher"], establishment=world.school, data={**DATA, "school_year": 2026}
    )
    assert (pupil.first_name, pupil.class_label) == ("Inès", "3e A")  # spaces tidied
    assert (pupil.school_year, pupil.retention_until) == (2026, datetime.date(2027, 8, 31))
    assert pupil.get_absolute_url() == f"/eleves/{pupil.pk}/"


@pytest.mark.parametrize("role", ["hub_member", "academie_team", "national_admin", "volunteer"])
def test_only_the_school_registers_its_pupils(world, role):
    with pytest.raises(PermissionDenied):
        pupil_create(user=world.users[role], establishment=world.school, data=DATA)
    with pytest.raises(PermissionDenied):
        pupil_create(user=world.users["teacher"], establishment=world.school2, data=DATA)
    assert not Pupil.objects.exists()


def test_without_a_year_the_pupil_goes_on_todays_roster(world):
    pupil = pupil_create(user=world.users["teacher"], establishment=world.school, data=DATA)
    assert pupil.school_year == roster_year_of(datetime.date.today())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"level": "9e"}, "level"),
        ({"school_year": 1789}, "school_year"),
        ({"school_year": "deux"}, "school_year"),
        ({"first_name": "   "}, "first_name"),
    ],
)
def test_bad_values_are_refused_in_french(world, change, field):
    with pytest.raises(ValidationError) as error:
        pupil_create(
            user=world.users["teacher"], establishment=world.school, data={**DATA, **change}
        )
    assert field in error.value.message_dict
    assert not Pupil.objects.exists()


def test_the_identifier_is_unique_in_the_school(world):
    PupilFactory(establishment=world.school, school_ref="E1")
    PupilFactory(establishment=world.school2, school_ref="E2")
    teacher = world.users["teacher"]
    with pytest.raises(ValidationError, match="porte déjà cet identifiant"):
        pupil_create(user=teacher, establishment=world.school, data={**DATA, "school_ref": "E1"})
    assert (
        pupil_create(
            user=teacher, establishment=world.school, data={**DATA, "school_ref": "E2"}
        ).school_ref
        == "E2"
    )


def test_update_keeps_the_latest_retention_and_refuses_an_anonymised_pupil(world):
    pupil = PupilFactory(establishment=world.school, school_year=2025)
    head = world.users["head_of_school"]
    pupil = pupil_update(user=head, pupil=pupil, data={"school_year": 2026})
    assert pupil.retention_until == retention_until(2026)
    pupil = pupil_update(user=world.users["teacher"], pupil=pupil, data={"class_label": "4e B"})
    assert pupil.retention_until == retention_until(2026) and pupil.class_label == "4e B"
    with pytest.raises(PermissionDenied):
        pupil_update(user=world.users["hub_member"], pupil=pupil, data={"class_label": "X"})
    pupils_anonymise(pupil_ids=[pupil.pk])
    with pytest.raises(ValidationError, match="anonymisées"):
        pupil_update(user=world.users["teacher"], pupil=pupil, data={"class_label": "X"})


def test_expiry_and_anonymisation_keep_the_counts(world):
    old = PupilFactory(establishment=world.school, school_year=2024, qpv=True)
    kept = PupilFactory(establishment=world.school, school_year=2025)
    assert pupils_expired(day=datetime.date(2025, 8, 31)) == []
    assert pupils_expired(day=datetime.date(2025, 9, 1)) == [old.pk]
    assert pupils_anonymise(pupil_ids=[old.pk]) == 1
    assert pupils_anonymise(pupil_ids=[old.pk]) == 0  # already done
    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.school_ref, old.class_label) == (
        "Élève", "anonymisé", "", "—",
    )  # fmt: skip
    assert (old.level, old.school_year, old.qpv) == ("3e", 2024, True)
    assert pupils_expired(day=datetime.date(2025, 9, 1)) == []
    kept.refresh_from_db()
    assert kept.purged_at is None


def test_the_roster_year():
    assert roster_year_of(datetime.date(2026, 7, 31)) == 2025
    assert roster_year_of(datetime.date(2026, 8, 1)) == 2026
    assert roster_year_label(2026) == "2026-2027"
    assert retention_until(2025) == datetime.date(2026, 8, 31)


# --- selectors -----------------------------------------------------------------------------


@pytest.fixture
def pupils(world):
    return {
        "mine": PupilFactory(establishment=world.school, last_name="Élan", class_label="3e A"),
        "mine_4e": PupilFactory(establishment=world.school, class_label="4e B", level="4e"),
        "mine_before": PupilFactory(establishment=world.school, school_year=2024),
        "purged": PupilFactory(establishment=world.school, purged=True),
        "other_school": PupilFactory(establishment=world.school2),
        "other_academie": PupilFactory(establishment=world.school_other),
    }


SCHOOL_ROLES = {"head_of_school", "teacher"}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_only_the_schools_staff_read_its_roster(world, pupils, role):
    user = world.users[role]
    names = {pupil.pk: name for name, pupil in pupils.items()}
    seen = {names[p.pk] for p in selectors.pupils_of_schools(user=user)}
    expected = {"mine", "mine_4e", "mine_before"} if role in SCHOOL_ROLES else set()
    assert seen == expected


def test_another_schools_pupils_are_invisible(world, pupils):
    from relais.users.enums import Role
    from tests.factories import make_user

    other = make_user(Role.HEAD_OF_SCHOOL, world.school2)
    assert list(selectors.pupils_of_schools(user=other)) == [pupils["other_school"]]
    assert not selectors.roster(user=other, establishment_id=world.school.pk, school_year=2025)
    classes = selectors.classes_of(user=other, establishment_id=world.school.pk, school_year=2025)
    assert classes == []


def test_roster_classes_search_and_years(world, pupils):
    teacher = world.users["teacher"]
    school = world.school.pk
    rows = selectors.roster(user=teacher, establishment_id=school, school_year=2025)
    assert list(rows) == [pupils["mine"], pupils["mine_4e"]]  # by class, then name
    assert selectors.classes_of(user=teacher, establishment_id=school, school_year=2025) == [
        {"class_label": "3e A", "level": "3e", "pupils": 1},
        {"class_label": "4e B", "level": "4e", "pupils": 1},
    ]
    assert list(
        selectors.class_pupils(
            user=teacher, establishment_id=school, school_year=2025, class_label="4e B"
        )
    ) == [pupils["mine_4e"]]
    assert list(selectors.pupils_matching(rows, "elan")) == [pupils["mine"]]
    assert list(selectors.pupils_matching(rows, "ÉLAN lina")) == [pupils["mine"]]
    assert not selectors.pupils_matching(rows, "personne").exists()
    assert selectors.roster_years(user=teacher, establishment_id=school) == [2025, 2024]
