"""Experiences recorded once and credited to the pupils who took part (issue 10, item 2)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from relais.pathways.enums import Item, Source, Status
from relais.pathways.kinds import DEFAULT_KINDS, DEFAULT_OBJECTIVES
from relais.pathways.models import Credit, Experience, ExperienceKind, Objective, SchoolStat
from relais.pathways.selectors import class_parcours, pupil_parcours
from relais.pathways.services import (
    ExperienceData,
    class_credit,
    credits_set,
    experience_delete,
    internship_declare,
    internship_record,
    kind_set,
    stats_refresh_all,
)
from relais.pathways.services.settings import national_setting_ensure
from relais.users.enums import Role
from tests.factories import EstablishmentFactory, make_user

from .conftest import YEAR, add_pupil

VISIT = ExperienceData(kind="visite", date=datetime.date(2027, 1, 20), title="Visite de l'usine")


def test_the_migration_and_the_code_hold_the_same_national_setting(db):
    """Migration 0002 loads its own copy of the national setting; ``national_setting_ensure``
    loads ``kinds`` again where it is missing: both say the same."""
    import importlib

    migration = importlib.import_module(
        "relais.pathways.migrations.0002_default_kinds_and_objectives"
    )
    code = [(c, label, [i.value for i in items]) for c, label, items in DEFAULT_KINDS]
    assert [tuple(k) for k in migration.KINDS] == [tuple(k) for k in code]
    ExperienceKind.objects.all().delete()
    Objective.objects.all().delete()
    assert national_setting_ensure() is True
    assert national_setting_ensure() is False  # once is enough
    national = {k.code: k.items for k in ExperienceKind.objects.filter(academie=None)}
    assert national == {c: items for c, _label, items in code}
    assert set(Objective.objects.filter(academie=None).values_list("level", "item")) == {
        (level, item.value) for level, item in DEFAULT_OBJECTIVES
    }


def test_one_click_credits_the_whole_class_but_the_absent(frozen, school, teacher, class_3b):
    absent = class_3b[1]
    experience = class_credit(
        user=teacher, establishment=school, school_year=YEAR, class_labels=["3e B"],
        data=VISIT, absent_ids=[absent.pk],
    )  # fmt: skip
    credited = set(experience.credits.values_list("pupil_id", flat=True))
    assert credited == {p.pk for p in class_3b} - {absent.pk}
    assert experience.items == [Item.VISIT]
    assert experience.source == Source.CLASS
    assert experience.classes == "3e B"
    assert experience.school_year == YEAR
    rows = {row.pupil.pk: row for row in class_parcours(
        user=teacher, establishment_id=school.pk, academie_id=school.academie_id,
        school_year=YEAR, class_label="3e B")}  # fmt: skip
    assert rows[class_3b[0].pk].status[Item.VISIT] == Status.DONE
    assert rows[absent.pk].status[Item.VISIT] == Status.MISSING
    # The four items are due in 3e (default objectives): the visit is no longer missing.
    assert Item.VISIT not in rows[class_3b[0].pk].missing_due
    assert Item.VISIT in rows[absent.pk].missing_due


def test_an_experience_ahead_is_planned_then_done(frozen, school, teacher, class_3b):
    later = ExperienceData(kind="forum", date=datetime.date(2027, 5, 4))
    class_credit(user=teacher, establishment=school, school_year=YEAR, class_labels=["3e B"],
                 data=later)  # fmt: skip
    assert pupil_parcours(class_3b[0]).status[Item.MEETING] == Status.PLANNED


def test_a_pupil_holds_several_experiences_of_one_item(frozen, school, teacher, class_3b):
    for day in (5, 12):
        data = ExperienceData(kind="temoignage", date=datetime.date(2027, 1, day))
        class_credit(user=teacher, establishment=school, school_year=YEAR,
                     class_labels=["3e B"], data=data)  # fmt: skip
    parcours = pupil_parcours(class_3b[0])
    assert [e.date.day for e in parcours.experiences] == [5, 12]
    assert parcours.status[Item.MEETING] == Status.DONE


def test_only_the_school_credits_its_pupils(frozen, school, class_3b):
    other_teacher = make_user(Role.TEACHER, EstablishmentFactory())
    with pytest.raises(PermissionDenied):
        class_credit(user=other_teacher, establishment=school, school_year=YEAR,
                     class_labels=["3e B"], data=VISIT)  # fmt: skip
    assert not Experience.objects.exists()


def test_another_schools_pupil_cannot_be_credited(frozen, school, teacher, class_3b):
    stranger = add_pupil(EstablishmentFactory(), "Durand", "Paul")
    with pytest.raises(ValidationError):
        credits_set(
            user=teacher,
            experience=class_credit(
                user=teacher,
                establishment=school,
                school_year=YEAR,
                class_labels=["3e B"],
                data=VISIT,
            ),  # fmt: skip
            pupil_ids=[class_3b[0].pk, stranger.pk],
        )
    assert not Credit.objects.filter(pupil=stranger).exists()


def test_bad_input_gets_a_french_error_and_writes_nothing(frozen, school, teacher, class_3b):
    with pytest.raises(ValidationError) as error:
        class_credit(user=teacher, establishment=school, school_year=YEAR, class_labels=["3e B"],
                     data=ExperienceData(kind="visite", date=datetime.date(9999, 1, 1)),
                     )  # fmt: skip
    assert "date" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        class_credit(user=teacher, establishment=school, school_year=YEAR, class_labels=["3e B"],
                     data=ExperienceData(kind="inconnu", date=datetime.date(2027, 1, 1)),
                     )  # fmt: skip
    assert "inconnu" in str(error.value)
    with pytest.raises(ValidationError):
        class_credit(user=teacher, establishment=school, school_year=YEAR, class_labels=["5e Z"],
                     data=VISIT)  # fmt: skip
    assert not Experience.objects.exists()


def test_the_same_source_is_never_credited_twice(frozen, school, teacher, class_3b):
    kwargs = dict(user=teacher, establishment=school, school_year=YEAR, class_labels=["3e B"],
                  data=VISIT, source=Source.CATALOGUE, source_ref="actions.record:7")  # fmt: skip
    class_credit(**kwargs)
    with pytest.raises(ValidationError):
        class_credit(**kwargs)
    assert Experience.objects.count() == 1


def test_a_placement_is_credited_by_relais_once(frozen, school, class_3b):
    pupil = class_3b[0]
    first = internship_record(pupil=pupil, kind="stage_3e", date=datetime.date(2027, 2, 1),
                              organisation=None, place="Montpellier",
                              source_ref="internships.placement:1")  # fmt: skip
    again = internship_record(pupil=pupil, kind="stage_3e", date=datetime.date(2027, 2, 1),
                              organisation=None, place="Montpellier",
                              source_ref="internships.placement:1")  # fmt: skip
    assert first.pk == again.pk
    assert first.source == Source.POLE and first.recorded_by is None
    assert pupil_parcours(pupil).status[Item.INTERNSHIP] == Status.DONE


def test_the_school_cannot_delete_a_placement(frozen, school, teacher, class_3b):
    experience = internship_record(pupil=class_3b[0], kind="stage_3e",
                                   date=datetime.date(2027, 2, 1), organisation=None, place="",
                                   source_ref="internships.placement:2")  # fmt: skip
    with pytest.raises(ValidationError):
        experience_delete(user=teacher, experience=experience)
    assert Experience.objects.filter(pk=experience.pk).exists()


def test_a_stage_found_alone_is_declared_by_the_school(frozen, school, teacher, class_3b):
    experience = internship_declare(user=teacher, pupil=class_3b[2], kind="stage_3e",
                                    date=datetime.date(2027, 2, 1),
                                    partner_label="Boulangerie Martin")  # fmt: skip
    assert experience.source == Source.SCHOOL
    assert experience.partner == "Boulangerie Martin"
    with pytest.raises(ValidationError):
        internship_declare(user=teacher, pupil=class_3b[2], kind="visite",
                           date=datetime.date(2027, 2, 1), partner_label="X")  # fmt: skip


def test_the_academie_adjusts_the_mapping_for_new_experiences(frozen, school, teacher, class_3b):
    team = make_user(Role.ACADEMIE_TEAM, school.academie)
    kind_set(user=team, academie=school.academie, code="forum", items=["visit", "meeting"])
    data = ExperienceData(kind="forum", date=datetime.date(2027, 1, 8))
    experience = class_credit(user=teacher, establishment=school, school_year=YEAR,
                              class_labels=["3e B"], data=data)  # fmt: skip
    assert experience.items == ["visit", "meeting"]
    # Elsewhere, the national setting still holds.
    assert ExperienceKind.objects.get(code="forum", academie=None).items == ["meeting"]
    with pytest.raises(PermissionDenied):
        kind_set(user=teacher, academie=school.academie, code="forum", items=["visit"])


def test_counts_per_level_and_priority_follow_every_write(frozen, school, teacher, class_3b):
    add_pupil(school, "Nguyen", "Lan", qpv=True)
    class_credit(user=teacher, establishment=school, school_year=YEAR, class_labels=["3e B"],
                 data=VISIT)  # fmt: skip
    stats = {row.priority: row for row in SchoolStat.objects.filter(establishment=school)}
    assert (stats[False].pupils, stats[False].visit) == (4, 4)
    assert (stats[True].pupils, stats[True].visit) == (1, 1)
    assert stats[False].complete == 0
    assert stats_refresh_all(school_year=YEAR) == 2


def test_the_national_setting_comes_back_in_an_emptied_database(frozen, school, teacher, class_3b):
    ExperienceKind.objects.all().delete()
    Objective.objects.all().delete()
    experience = class_credit(user=teacher, establishment=school, school_year=YEAR,
                              class_labels=["3e B"], data=VISIT)  # fmt: skip
    assert experience.items == [Item.VISIT]
    assert Objective.objects.filter(academie=None).count() == len(DEFAULT_OBJECTIVES)
