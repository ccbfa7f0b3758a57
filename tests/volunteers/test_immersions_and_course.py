"""Immersions (1 to 3 days, joint validation, evaluation) and the 56-hour course (hours per
part, on-track rule)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.users.enums import Role
from relais.volunteers.enums import CoursePart, ImmersionState
from relais.volunteers.models import ImmersionOffer
from relais.volunteers.selectors import participants_with_hours
from relais.volunteers.services import course as course_services
from relais.volunteers.services import immersions as services
from tests.factories import AcademieFactory, EstablishmentFactory, OrganisationFactory, make_user

from .factories import CourseFactory, ImmersionOfferFactory, ParticipantFactory

TODAY = timezone.localdate


@pytest.fixture
def actors(db):
    academie = AcademieFactory(code="83")
    company = OrganisationFactory(academie=academie, name="Usine du Lez")
    school = EstablishmentFactory(academie=academie)
    return {
        "academie": academie,
        "company": company,
        "team": make_user(Role.ACADEMIE_TEAM, academie),
        "rep": make_user(Role.ORGANISATION_REP, company),
        "teacher": make_user(Role.TEACHER, school),
        "teacher2": make_user(Role.TEACHER, school),
    }


def _offer(actors, **overrides):
    data = {
        "title": "Deux jours à l'usine",
        "description": "Production, qualité, ressources humaines.",
        "start_date": TODAY() + timedelta(days=20),
        "end_date": TODAY() + timedelta(days=21),
        "capacity": 1,
    }
    data.update(overrides)
    return services.offer_create(user=actors["rep"], organisation=actors["company"], data=data)


def test_an_immersion_lasts_one_to_three_days(actors):
    start = TODAY() + timedelta(days=10)
    assert _offer(actors, start_date=start, end_date=start).days == 1
    assert _offer(actors, start_date=start, end_date=start + timedelta(days=2)).days == 3
    with pytest.raises(ValidationError, match="de 1 à 3 jours"):
        _offer(actors, start_date=start, end_date=start + timedelta(days=3))
    with pytest.raises(ValidationError, match="suit le premier"):
        _offer(actors, start_date=start, end_date=start - timedelta(days=1))
    offer = ImmersionOfferFactory(organisation=actors["company"])
    with pytest.raises(IntegrityError, match="immersion_one_to_three_days"), transaction.atomic():
        ImmersionOffer.objects.filter(pk=offer.pk).update(end_date=offer.start_date + timedelta(3))


def test_a_teacher_cannot_offer(actors):
    with pytest.raises(PermissionDenied):
        services.offer_create(user=actors["teacher"], organisation=actors["company"], data={})


def test_joint_validation_needs_both_sides_and_respects_capacity(
    actors, django_capture_on_commit_callbacks
):
    offer = _offer(actors)
    first = services.immersion_apply(
        user=actors["teacher"], offer=offer, motivation="Oui", confidentiality_accepted=True
    )
    second = services.immersion_apply(
        user=actors["teacher2"], offer=offer, motivation="Moi", confidentiality_accepted=True
    )
    with pytest.raises(ValidationError, match="déjà candidaté"):
        services.immersion_apply(
            user=actors["teacher"], offer=offer, motivation="Encore", confidentiality_accepted=True
        )
    first = services.immersion_approve(user=actors["team"], application=first)
    assert first.state == ImmersionState.SUBMITTED and first.academie_approved_at
    with pytest.raises(ValidationError, match="déjà validé"):
        services.immersion_approve(user=actors["team"], application=first)
    with pytest.raises(PermissionDenied):
        services.immersion_approve(user=actors["teacher"], application=first)
    with django_capture_on_commit_callbacks(execute=True):
        first = services.immersion_approve(user=actors["rep"], application=first)
    assert first.state == ImmersionState.VALIDATED
    notes = list(first.journal.values_list("note", flat=True))
    assert notes == ["Candidature", "Validation de l'académie", "Validation de l'entreprise"]
    services.immersion_approve(user=actors["rep"], application=second)
    with pytest.raises(ValidationError, match="places"):
        services.immersion_approve(user=actors["team"], application=second)


def test_either_side_refuses_with_a_reason(actors):
    offer = _offer(actors)
    application = services.immersion_apply(
        user=actors["teacher"], offer=offer, motivation="x", confidentiality_accepted=True
    )
    with pytest.raises(ValidationError, match="motif"):
        services.immersion_refuse(user=actors["rep"], application=application, reason=" ")
    refused = services.immersion_refuse(user=actors["rep"], application=application, reason="Non")
    assert refused.state == ImmersionState.REFUSED
    with pytest.raises(ValidationError, match="« Valider » n'est pas possible .* « Refusée »"):
        services.immersion_approve(user=actors["team"], application=refused)


def test_evaluation_after_the_immersion_only(actors, monkeypatch):
    offer = _offer(actors)
    application = services.immersion_apply(
        user=actors["teacher"], offer=offer, motivation="x", confidentiality_accepted=True
    )
    services.immersion_approve(user=actors["team"], application=application)
    application = services.immersion_approve(user=actors["rep"], application=application)
    evaluate = services.immersion_evaluate
    with pytest.raises(ValidationError, match="après l'immersion"):
        evaluate(user=actors["teacher"], application=application, rating=4, evaluation="Bien")
    monkeypatch.setattr(timezone, "localdate", lambda: offer.end_date)
    with pytest.raises(PermissionDenied):
        evaluate(user=actors["teacher2"], application=application, rating=4, evaluation="Bien")
    done = evaluate(user=actors["teacher"], application=application, rating=5, evaluation="Utile")
    assert done.rating == 5 and done.evaluated_at is not None


# --- The 56-hour course ---------------------------------------------------------------------------


@pytest.fixture
def course(actors):
    return CourseFactory(
        academie=actors["academie"],
        start_date=date(2026, 1, 5),
        preparation_end=date(2026, 2, 27),
        immersion_end=date(2026, 5, 29),
        end_date=date(2026, 6, 30),
    )


@pytest.mark.parametrize(
    ("on", "hours", "on_track", "late"),
    [
        (date(2026, 2, 27), {}, True, []),  # deadline day: still in progress
        (date(2026, 2, 28), {"preparation": 11}, False, ["preparation"]),
        (date(2026, 2, 28), {"preparation": 12}, True, []),
        (date(2026, 5, 30), {"preparation": 12, "immersion": 34.5}, False, ["immersion"]),
        (date(2026, 5, 30), {"preparation": 12, "immersion": 35, "valorisation": 0}, True, []),
        (date(2026, 7, 1), {"preparation": 12, "immersion": 35, "valorisation": 8}, False,
         ["valorisation"]),
        (date(2026, 7, 1), {}, False, ["preparation", "immersion", "valorisation"]),
    ],
)  # fmt: skip
def test_on_track_rule(course, on, hours, on_track, late):
    progress = course_services.progress(
        course, {CoursePart(k): Decimal(str(v)) for k, v in hours.items()}, on=on
    )
    assert progress.on_track is on_track
    assert [p.part.value for p in progress.late_parts] == late


def test_complete_course_is_56_hours(course):
    full = {CoursePart.PREPARATION: 12, CoursePart.IMMERSION: 35, CoursePart.DEBRIEFING: 9}
    progress = course_services.progress(course, full, on=date(2027, 1, 1))
    assert (
        progress.complete and progress.on_track and progress.done == 56 and progress.percent == 100
    )


def test_hours_are_recorded_per_part_and_capped(actors, course, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 3, 10))
    participant = ParticipantFactory(course=course)
    record = course_services.hours_record
    team = actors["team"]
    record(user=team, participant=participant, part="preparation", hours=Decimal(8),
           done_on=date(2026, 1, 20))  # fmt: skip
    record(user=team, participant=participant, part="preparation", hours=Decimal(4),
           done_on=date(2026, 2, 10))  # fmt: skip
    with pytest.raises(ValidationError, match="compte 12 heures ; 12.0 déjà saisies"):
        record(user=team, participant=participant, part="preparation", hours=Decimal(1),
               done_on=date(2026, 2, 11))  # fmt: skip
    with pytest.raises(ValidationError, match="aujourd'hui"):
        record(user=team, participant=participant, part="immersion", hours=Decimal(7),
               done_on=date(2026, 3, 11))  # fmt: skip
    with pytest.raises(PermissionDenied):
        record(user=actors["teacher"], participant=participant, part="immersion",
               hours=Decimal(7), done_on=date(2026, 3, 1))  # fmt: skip
    annotated = participants_with_hours(course.participants.all()).get()
    progress = course_services.progress_of(annotated, on=date(2026, 3, 10))
    assert [p.done for p in progress.parts] == [12, 0, 0] and progress.on_track


def test_course_dates_must_follow_each_other(actors):
    data = {
        "title": "Promotion 2026",
        "start_date": date(2026, 1, 5),
        "preparation_end": date(2026, 5, 1),
        "immersion_end": date(2026, 3, 1),
        "end_date": date(2026, 6, 30),
    }
    with pytest.raises(ValidationError, match="se suivent"):
        course_services.course_create(user=actors["team"], academie=actors["academie"], data=data)
    with pytest.raises(PermissionDenied):
        course_services.course_create(user=actors["rep"], academie=actors["academie"], data=data)
