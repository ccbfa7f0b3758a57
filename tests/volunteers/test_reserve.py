"""Réserve citoyenne: sign-up with the charter, vetting (account and set-password link), the
two-month flag, the search near a school, requests and their answers."""

from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relais.core.models import Notification
from relais.users.enums import Role
from relais.users.models import Membership, User
from relais.volunteers.enums import ApplicationState, RequestState
from relais.volunteers.selectors import overdue_applications, reservist_search
from relais.volunteers.services import reserve as services
from tests.factories import (
    AcademieFactory,
    CommuneFactory,
    EstablishmentFactory,
    make_user,
)
from tests.mail import deliver_outbox

from .factories import ReserveApplicationFactory, ReserveRequestFactory


@pytest.fixture
def place(db):
    academie = AcademieFactory(code="81", name="Montpellier")
    commune = CommuneFactory(
        name="Castelnau-le-Lez", departement__academie=academie, latitude=43.633, longitude=3.9
    )
    school = EstablishmentFactory(academie=academie, latitude=43.61, longitude=3.877)
    team = make_user(Role.ACADEMIE_TEAM, academie)
    teacher = make_user(Role.TEACHER, school)
    return academie, commune, school, team, teacher


def _data(commune, **overrides):
    data = {
        "first_name": "Nadia",
        "last_name": "Ferrand",
        "email": "Nadia.Ferrand@exemple.fr",
        "profession": "Cheffe de chantier",
        "skills": ["metier", "egalite"],
        "availability": ["mercredi"],
        "commune": commune,
        "max_distance_km": 20,
        "charter_accepted": True,
        "confidentiality_accepted": True,
    }
    data.update(overrides)
    return data


def test_sign_up_needs_the_charter_and_tells_applicant_and_team(
    place, django_capture_on_commit_callbacks
):
    academie, commune, school, team, teacher = place
    with pytest.raises(ValidationError, match="accepter la charte"):
        services.application_submit(data=_data(commune, charter_accepted=False))
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_submit(data=_data(commune))
    assert application.academie == academie and application.email == "nadia.ferrand@exemple.fr"
    assert application.charter_accepted_at is not None
    deliver_outbox()
    assert {m.to[0] for m in mail.outbox} == {"nadia.ferrand@exemple.fr", team.email}


def test_a_known_address_writes_nothing_and_its_owner_is_told(place):
    """Issue 17, item 3: a second sign-up with the same address is not an error (the page
    would tell that the address applied); nothing is written, the owner gets an e-mail."""
    academie, commune, school, team, teacher = place
    first = services.application_submit(data=_data(commune))
    journal = list(first.journal.values_list("pk", flat=True))
    before = set(Notification.objects.values_list("pk", flat=True))
    again = _data(commune, email="NADIA.ferrand@exemple.fr", first_name="Intrus")
    assert services.application_submit(data=again) is None
    assert services.application_submit(data=again) is None  # at most one e-mail a day
    assert list(services.ReserveApplication.objects.values_list("pk", flat=True)) == [first.pk]
    assert list(first.journal.values_list("pk", flat=True)) == journal
    queued = Notification.objects.exclude(pk__in=before).get()
    assert queued.recipients == ["nadia.ferrand@exemple.fr"]
    assert "signup-again" in queued.key and queued.about == f"volunteers.application:{first.pk}"
    assert "Bonjour Nadia," in queued.body and "Intrus" not in queued.body
    assert "en cours d'examen" in queued.body


@pytest.fixture
def committed_place(transactional_db, place):
    """``place``, committed: each thread of the race reads it through its own connection."""
    return place


def test_two_sign_ups_racing_with_one_address_keep_one_and_raise_nothing(committed_place):
    from tests.internships.test_concurrency import race

    academie, commune, school, team, teacher = committed_place
    outcomes = race(*[lambda: services.application_submit(data=_data(commune))] * 2)
    assert sorted(outcome is None for outcome in outcomes) == [False, True], outcomes
    assert services.ReserveApplication.objects.count() == 1
    assert Notification.objects.filter(key__contains="signup-again").count() == 1


def test_a_known_address_gets_the_same_errors_as_a_new_one(place):
    academie, commune, school, team, teacher = place
    services.application_submit(data=_data(commune))
    errors = []
    for email in ("nadia.ferrand@exemple.fr", "someone.else@exemple.fr"):
        with pytest.raises(ValidationError) as error:
            services.application_submit(data=_data(commune, email=email, availability=[]))
        errors.append(error.value.messages)
    assert errors[0] == errors[1] == ["Indiquez au moins un apport et une disponibilité."]


def test_validation_creates_a_volunteer_account_with_a_set_password_link(
    place, django_capture_on_commit_callbacks
):
    academie, commune, school, team, teacher = place
    application = services.application_submit(data=_data(commune))
    deliver_outbox()
    mail.outbox.clear()
    with pytest.raises(PermissionDenied):
        services.application_validate(user=teacher, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        application = services.application_validate(user=team, application=application)
    user = User.objects.get(email="nadia.ferrand@exemple.fr")
    assert application.state == ApplicationState.VALIDATED and application.user == user
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, role=Role.VOLUNTEER, academie=academie).exists()
    deliver_outbox()
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/mot-de-passe-oublie/" in line)
    uid, token = link.rstrip("/").split("/")[-2:]
    assert default_token_generator.check_token(user, token)
    with pytest.raises(ValidationError, match="« Refuser » n'est pas possible .* « Validée »"):
        services.application_refuse(user=team, application=application, reason="Trop tard")


def test_an_existing_account_is_linked_not_duplicated(place):
    academie, commune, school, team, teacher = place
    application = services.application_submit(data=_data(commune, email=teacher.email))
    services.application_validate(user=team, application=application)
    assert User.objects.filter(email=teacher.email).count() == 1
    assert teacher.memberships.filter(role=Role.VOLUNTEER).exists()


def test_refusal_needs_a_reason(place):
    academie, commune, school, team, teacher = place
    application = services.application_submit(data=_data(commune))
    with pytest.raises(ValidationError, match="motif"):
        services.application_refuse(user=team, application=application, reason="")
    refused = services.application_refuse(user=team, application=application, reason="Doublon")
    assert refused.state == ApplicationState.REFUSED and refused.vetted_by == team
    # A refused applicant may apply again.
    services.application_submit(data=_data(commune))


def test_two_month_flag_and_a_single_reminder(place, django_capture_on_commit_callbacks):
    academie, commune, school, team, teacher = place
    now = timezone.now()
    old = ReserveApplicationFactory(
        academie=academie, submitted_at=now - relativedelta(months=2, days=1)
    )
    ReserveApplicationFactory(
        academie=academie, submitted_at=now - relativedelta(months=2) + timedelta(hours=1)
    )
    ReserveApplicationFactory(
        academie=academie, submitted_at=now - relativedelta(months=5), validated=True
    )  # decided: not flagged
    assert list(overdue_applications(now=now)) == [old]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remind_overdue_vettings(now=now) == 1
        assert services.remind_overdue_vettings(now=now) == 0
    deliver_outbox()
    assert [m.to for m in mail.outbox] == [[team.email]]
    assert Notification.objects.filter(
        key=f"volunteers.application:{old.pk}:vetting-overdue"
    ).exists()


def test_search_near_the_school_by_distance_skill_and_availability(place):
    academie, commune, school, team, teacher = place
    near = ReserveApplicationFactory(academie=academie, commune=commune, validated=True)
    far_commune = CommuneFactory(departement__academie=academie, latitude=44.1, longitude=3.08)
    far = ReserveApplicationFactory(
        academie=academie, commune=far_commune, validated=True, max_distance_km=100
    )  # Millau-like: about 85 km away
    picky = ReserveApplicationFactory(
        academie=academie, commune=far_commune, validated=True, max_distance_km=10
    )
    ReserveApplicationFactory(academie=academie, commune=commune)  # not validated
    ReserveApplicationFactory(validated=True)  # another académie

    def found(**kwargs):
        return list(reservist_search(user=teacher, school=school, **kwargs))

    results = found(radius_km=100)
    assert results == [near, far] and picky not in results
    assert 2 < results[0].distance < 4 and 75 < results[1].distance < 90
    assert found(radius_km=30) == [near]
    assert found(radius_km=100, skill="langues") == []
    assert found(radius_km=100, availability="mercredi") == [near, far]
    assert found(radius_km=100, query="electronique") == [near, far]


def test_request_answer_and_count(place, django_capture_on_commit_callbacks):
    academie, commune, school, team, teacher = place
    reservist = ReserveApplicationFactory(academie=academie, commune=commune, validated=True)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_send(
            user=teacher, reservist=reservist, establishment=school, subject="Métiers du BTP",
            message="Classe de 4e, 28 élèves.", skill="metier",
        )  # fmt: skip
    deliver_outbox()
    assert mail.outbox[-1].to == [reservist.email]
    with pytest.raises(PermissionDenied):
        services.request_answer(user=teacher, request=request, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_answer(user=reservist.user, request=request, accept=True)
    deliver_outbox()
    assert request.state == RequestState.ACCEPTED and mail.outbox[-1].to == [teacher.email]
    with pytest.raises(ValidationError, match="Indiquez la date"):
        services.request_record_done(
            user=teacher, request=request, done_on=timezone.localdate() + timedelta(days=1),
            hours=2, pupils=28,
        )  # fmt: skip
    request = services.request_record_done(
        user=teacher, request=request, done_on=timezone.localdate(), hours=2, pupils=28
    )
    assert request.state == RequestState.DONE
    assert reservist_search(user=teacher, school=school)[0].done == 1
    with pytest.raises(ValidationError, match="« Annuler la demande ».* « Intervention réalisée »"):
        services.request_cancel(user=teacher, request=request)


def test_only_a_school_of_the_same_academie_sends_requests(place):
    academie, commune, school, team, teacher = place
    reservist = ReserveApplicationFactory(academie=academie, commune=commune, validated=True)
    kwargs = {"subject": "x", "message": "y", "skill": "metier"}
    with pytest.raises(PermissionDenied):
        services.request_send(user=team, reservist=reservist, establishment=school, **kwargs)
    stranger_school = EstablishmentFactory()
    stranger = make_user(Role.TEACHER, stranger_school)
    with pytest.raises(ValidationError, match="autre académie"):
        services.request_send(
            user=stranger, reservist=reservist, establishment=stranger_school, **kwargs
        )
    pending = ReserveApplicationFactory(academie=academie)
    with pytest.raises(ValidationError, match="pas \\(ou plus\\) disponible"):
        services.request_send(user=teacher, reservist=pending, establishment=school, **kwargs)


def test_declined_request_cannot_be_accepted_afterwards(place):
    request = ReserveRequestFactory()
    user = request.reservist.user
    services.request_answer(user=user, request=request, accept=False, note="Pas disponible")
    with pytest.raises(ValidationError, match="« Accepter » n'est pas possible .* « Déclinée »"):
        services.request_answer(user=user, request=request, accept=True)
