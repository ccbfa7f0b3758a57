"""The four workflows of the volunteers app (ADR 0007): their tables, who may fire what (the
buttons of the pages), journals that the database refuses to rewrite or delete, objects that
cannot be deleted behind their journal, French refusals, and fires that lock the row (two
people at once move an object once)."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from relais.agreements.enums import AgreementState
from relais.volunteers.enums import AdvisorState, ApplicationState, ImmersionState, RequestState
from relais.volunteers.models import (
    AdvisorJournal,
    ApplicationJournal,
    ImmersionJournal,
    ReserveRequestJournal,
)
from relais.volunteers.selectors import application_is_overdue, with_overdue_flag
from relais.volunteers.services import advisors as advisor_services
from relais.volunteers.services import immersions as immersion_services
from relais.volunteers.services import reserve as reserve_services
from relais.volunteers.workflows import (
    ADVISOR_WORKFLOW,
    APPLICATION_WORKFLOW,
    IMMERSION_WORKFLOW,
    REQUEST_WORKFLOW,
)
from tests.factories import make_user
from tests.journals import assert_append_only
from tests.www import test_matrix_volunteers

from .factories import (
    AdvisorFactory,
    ImmersionApplicationFactory,
    ImmersionOfferFactory,
    ReserveApplicationFactory,
    ReserveRequestFactory,
)

vworld = test_matrix_volunteers.vworld  # the shared world with volunteers' objects


def _names(workflow, state):
    return {item.name for item in workflow.allowed_from(state)}


def test_the_tables():
    assert _names(ADVISOR_WORKFLOW, AdvisorState.PROPOSED) == {"designer", "refuser", "retirer"}
    assert _names(ADVISOR_WORKFLOW, AdvisorState.DESIGNATED) == {
        "confirmer_employeur", "terminer", "expirer", "renouveler",
    }  # fmt: skip
    assert _names(ADVISOR_WORKFLOW, AdvisorState.ACTIVE) == {"terminer", "expirer", "renouveler"}
    for final in (AdvisorState.ENDED, AdvisorState.REFUSED, AdvisorState.WITHDRAWN):
        assert _names(ADVISOR_WORKFLOW, final) == set()
    assert _names(APPLICATION_WORKFLOW, ApplicationState.SUBMITTED) == {"valider", "refuser"}
    assert _names(APPLICATION_WORKFLOW, ApplicationState.VALIDATED) == set()
    assert _names(REQUEST_WORKFLOW, RequestState.SENT) == {"accepter", "decliner", "annuler"}
    assert _names(REQUEST_WORKFLOW, RequestState.ACCEPTED) == {"annuler", "realiser"}
    assert _names(IMMERSION_WORKFLOW, ImmersionState.SUBMITTED) == {
        "donner_accord", "valider", "refuser", "annuler",
    }  # fmt: skip
    assert _names(IMMERSION_WORKFLOW, ImmersionState.VALIDATED) == {"annuler", "evaluer"}
    assert IMMERSION_WORKFLOW.transition("evaluer").target is None  # a step, same state


# --- who may do what: the buttons of the pages -------------------------------------------------


@pytest.mark.parametrize(
    "advisor, role, expected",
    [
        ("proposed", "academie_team", {"designer", "refuser", "retirer"}),
        ("proposed", "national_admin", {"designer", "refuser", "retirer"}),
        ("proposed", "organisation_rep", {"retirer"}),
        ("designated", "organisation_rep", {"confirmer_employeur"}),
        ("designated", "academie_team", {"confirmer_employeur", "terminer", "renouveler"}),
        ("active", "academie_team", {"terminer", "renouveler"}),
        ("active", "organisation_rep", set()),
        ("active", "teacher", set()),
    ],
)
def test_who_may_do_what_on_an_advisor(vworld, advisor, role, expected):
    """« expirer » is fired by Relais only (the nightly job), never offered to a person."""
    user = vworld.world.users[role]
    assert ADVISOR_WORKFLOW.names(user, getattr(vworld, advisor)) == expected


def test_designation_needs_the_cee_convention_in_force(vworld):
    team = vworld.world.users["academie_team"]
    agreement = vworld.proposed.agreement
    agreement.state = AgreementState.TERMINATED
    assert "designer" not in ADVISOR_WORKFLOW.names(team, vworld.proposed)
    with pytest.raises(ValidationError, match="n'est plus en vigueur"):
        ADVISOR_WORKFLOW.check(team, vworld.proposed, "designer")


def test_who_may_do_what_on_applications_and_requests(vworld):
    users = vworld.world.users
    assert APPLICATION_WORKFLOW.names(users["academie_team"], vworld.application) == {
        "valider", "refuser",
    }  # fmt: skip
    for role in ("teacher", "volunteer", "organisation_rep"):
        assert APPLICATION_WORKFLOW.names(users[role], vworld.application) == set()
    request = vworld.request
    assert REQUEST_WORKFLOW.names(users["volunteer"], request) == {"accepter", "decliner"}
    assert REQUEST_WORKFLOW.names(users["teacher"], request) == {"annuler"}
    assert REQUEST_WORKFLOW.names(users["head_of_school"], request) == {"annuler"}
    assert REQUEST_WORKFLOW.names(users["organisation_rep"], request) == set()
    request.state = RequestState.ACCEPTED
    assert REQUEST_WORKFLOW.names(users["volunteer"], request) == {"realiser"}
    assert REQUEST_WORKFLOW.names(users["teacher"], request) == {"annuler", "realiser"}
    # The school sees the reservist's contact once they accepted (the page's rule).
    assert request.reservist_has_accepted
    request.state = RequestState.DECLINED
    assert not request.reservist_has_accepted


def test_a_reservist_out_of_the_reserve_does_not_accept(vworld):
    request = vworld.request
    request.reservist.user_id = None  # the account was deleted
    assert "accepter" not in REQUEST_WORKFLOW.names(vworld.world.users["volunteer"], request)


def test_each_side_validates_an_immersion_once(vworld):
    users = vworld.world.users
    team, rep, teacher = users["academie_team"], users["organisation_rep"], users["teacher"]
    immersion = vworld.immersion
    assert IMMERSION_WORKFLOW.names(team, immersion) == {"donner_accord", "refuser"}
    assert IMMERSION_WORKFLOW.names(rep, immersion) == {"donner_accord", "refuser"}
    assert IMMERSION_WORKFLOW.names(teacher, immersion) == {"annuler"}
    immersion.academie_approved_at = timezone.now()
    assert IMMERSION_WORKFLOW.names(team, immersion) == {"refuser"}  # already validated
    assert IMMERSION_WORKFLOW.names(rep, immersion) == {"valider", "refuser"}  # the last one
    assert "valider" not in IMMERSION_WORKFLOW.names(rep, immersion, validated=2)  # full


def test_evaluation_after_a_validated_immersion_only(vworld, monkeypatch):
    teacher = vworld.world.users["teacher"]
    immersion = vworld.immersion
    immersion.state = ImmersionState.VALIDATED
    assert IMMERSION_WORKFLOW.names(teacher, immersion) == {"annuler"}  # not over yet
    monkeypatch.setattr(timezone, "localdate", lambda: immersion.offer.end_date)
    assert IMMERSION_WORKFLOW.names(teacher, immersion) == {"annuler", "evaluer"}
    immersion.evaluated_at = timezone.now()
    assert IMMERSION_WORKFLOW.names(teacher, immersion) == {"evaluer"}  # no cancel once rated


def test_offer_accepts_applications_while_open_and_to_come(vworld, monkeypatch):
    offer = vworld.offer
    assert offer.accepts_applications
    offer.is_open = False
    assert not offer.accepts_applications
    offer.is_open = True
    monkeypatch.setattr(timezone, "localdate", lambda: offer.start_date)
    assert not offer.accepts_applications


def test_the_two_month_flag_of_an_application(vworld):
    application = vworld.application
    now = timezone.now()
    assert not application_is_overdue(application, now=now)
    assert application_is_overdue(application, now=now + timedelta(days=62))
    queryset = with_overdue_flag(type(application).objects.filter(pk=application.pk), now=now)
    assert queryset.get().overdue is False
    later = with_overdue_flag(queryset, now=now + timedelta(days=62))
    assert later.get().overdue is True
    application.state = ApplicationState.VALIDATED
    assert not application_is_overdue(application, now=now + timedelta(days=62))


# --- journals ----------------------------------------------------------------------------------


@pytest.fixture
def journals(vworld):
    users = vworld.world.users
    ADVISOR_WORKFLOW.log_creation(vworld.proposed, user=users["organisation_rep"])
    APPLICATION_WORKFLOW.log_creation(vworld.application, user=None)
    REQUEST_WORKFLOW.log_creation(vworld.request, user=users["teacher"])
    IMMERSION_WORKFLOW.log_creation(vworld.immersion, user=users["teacher"])
    return vworld


JOURNALS = [AdvisorJournal, ApplicationJournal, ReserveRequestJournal, ImmersionJournal]


@pytest.mark.parametrize("journal", JOURNALS)
def test_the_database_refuses_to_rewrite_or_delete_a_journal(journals, journal):
    lines = journal.objects.all()
    assert lines.count() == 1 and lines.get().transition == "creation"
    assert_append_only(lines, other_state="refuse")
    assert lines.get().note == ""
    # The one change allowed: the account is deleted (``by`` set to NULL), its name stays.
    assert lines.get().by is None


def test_an_object_with_a_journal_cannot_be_deleted(journals):
    """Every journal of the app is PROTECT: designations, vettings, counted interventions and
    joint validations keep their trace."""
    for obj in (journals.proposed, journals.application, journals.request, journals.immersion):
        with pytest.raises(ProtectedError), transaction.atomic():
            type(obj).objects.filter(pk=obj.pk).delete()
        assert type(obj).objects.filter(pk=obj.pk).exists()


def test_the_journal_keeps_the_name_of_a_deleted_account(vworld):
    author = make_user(first_name="Odile", last_name="Partie")
    advisor = AdvisorFactory(academie=vworld.world.home)
    ADVISOR_WORKFLOW.log_creation(advisor, user=author)
    author.delete()
    line = advisor.journal.get()
    assert line.by is None and line.by_name == "Odile Partie"


def test_services_write_named_lines(vworld):
    users = vworld.world.users
    request = reserve_services.request_answer(
        user=users["volunteer"], request=vworld.request, accept=True, note="Avec plaisir"
    )
    line = request.journal.get()
    assert (line.transition, line.from_state, line.to_state) == ("accepter", "envoyee", "acceptee")
    assert line.note == "Avec plaisir" and line.by == users["volunteer"]
    advisor = advisor_services.advisor_withdraw(
        user=users["organisation_rep"], advisor=vworld.proposed, reason=" Mutation "
    )
    assert list(advisor.journal.values_list("transition", "note")) == [("retirer", "Mutation")]


# --- refusals ------------------------------------------------------------------------------------


def test_fire_refuses_in_french(vworld):
    users = vworld.world.users
    with pytest.raises(ValidationError) as error:
        ADVISOR_WORKFLOW.fire(vworld.active, "designer", user=users["academie_team"])
    assert error.value.messages == [
        "Impossible : « Désigner » n'est pas possible dans l'état « En mission »."
    ]
    with pytest.raises(PermissionDenied, match="Seule l'équipe académique désigne"):
        ADVISOR_WORKFLOW.fire(vworld.proposed, "designer", user=users["organisation_rep"])
    with pytest.raises(PermissionDenied, match="Seul le réserviste sollicité répond"):
        REQUEST_WORKFLOW.fire(vworld.request, "accepter", user=users["teacher"])
    with pytest.raises(PermissionDenied, match="constatée par Relais"):
        ADVISOR_WORKFLOW.fire(vworld.active, "expirer", user=users["academie_team"])
    with pytest.raises(ValidationError, match="Étape inconnue"):
        APPLICATION_WORKFLOW.fire(vworld.application, "supprimer", user=users["academie_team"])
    with pytest.raises(ValidationError) as error:  # an effect checks what it is given
        ADVISOR_WORKFLOW.fire(vworld.active, "terminer", user=users["academie_team"], reason=" ")
    assert error.value.message_dict == {"reason": ["Indiquez pourquoi la mission prend fin."]}
    for obj in (vworld.proposed, vworld.active, vworld.request, vworld.application):
        fresh = type(obj).objects.get(pk=obj.pk)
        assert fresh.state == obj.state and not fresh.journal.exists()


# --- concurrency ---------------------------------------------------------------------------------


def _at_once(*calls):
    """Run the calls in threads (one connection each) released together; each answer is "ok"
    or the French message of its refusal."""
    barrier = threading.Barrier(len(calls))
    answers = []

    def run(call):
        try:
            barrier.wait()
            call()
            answers.append("ok")
        except (ValidationError, PermissionDenied) as error:
            answers.append(" ".join(error.messages) if hasattr(error, "messages") else str(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(answers)


@pytest.mark.django_db(transaction=True)
def test_a_reservist_answering_twice_at_once_moves_the_request_once(world):
    request = ReserveRequestFactory(
        reservist=ReserveApplicationFactory(academie=world.home, validated=True),
        establishment=world.school,
    )
    reservist = request.reservist.user
    answers = _at_once(
        lambda: reserve_services.request_answer(user=reservist, request=request, accept=True),
        lambda: reserve_services.request_answer(user=reservist, request=request, accept=False),
    )
    assert answers[0].startswith("Impossible : « ") and answers[1] == "ok"
    request.refresh_from_db()
    assert request.state in (RequestState.ACCEPTED, RequestState.DECLINED)
    assert request.journal.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_fire_waits_for_the_row_held_by_another(world):
    """The first fire holds the row until its transaction ends; the second, started meanwhile,
    waits for it and then reads the new state: it is refused, not applied twice."""
    advisor = AdvisorFactory(academie=world.home)
    team = world.users["academie_team"]
    held = threading.Event()
    answers = []

    def first():
        try:
            with transaction.atomic():
                advisor_services.advisor_refuse(user=team, advisor=advisor, reason="Profil")
                held.set()
                time.sleep(0.5)  # the second fire starts and waits on the row meanwhile
            answers.append("refusé")
        finally:
            connection.close()

    def second():
        try:
            held.wait(timeout=10)
            advisor_services.advisor_withdraw(user=team, advisor=advisor)
            answers.append("retiré")
        except ValidationError as error:
            answers.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(answers) == [
        "Impossible : « Retirer la proposition » n'est pas possible dans l'état « Refusé ».",
        "refusé",
    ]
    advisor.refresh_from_db()
    assert advisor.state == AdvisorState.REFUSED
    assert list(advisor.journal.values_list("transition", flat=True)) == ["refuser"]


@pytest.mark.django_db(transaction=True)
def test_two_last_validations_at_once_take_the_last_place_once(world):
    """Two applications to an offer with one place, each validated by the académie: the
    company validates both at once; the offer is locked, so only one gets the place."""
    offer = ImmersionOfferFactory(organisation=world.company, capacity=1)
    now = timezone.now()
    team, rep = world.users["academie_team"], world.users["organisation_rep"]
    applications = [
        ImmersionApplicationFactory(
            offer=offer,
            applicant=make_user(),
            establishment=world.school,
            academie_approved_at=now,
            academie_approved_by=team,
        )  # fmt: skip
        for _ in range(2)
    ]
    answers = _at_once(
        *[
            lambda application=application: immersion_services.immersion_approve(
                user=rep, application=application
            )
            for application in applications
        ]
    )
    assert answers == ["Toutes les places de cette immersion sont prises.", "ok"]
    assert offer.applications.filter(state=ImmersionState.VALIDATED).count() == 1
