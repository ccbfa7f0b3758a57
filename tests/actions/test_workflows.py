"""The catalogue's workflows (ADR 0007): their tables, journals that the database refuses to
rewrite, objects that cannot be deleted behind their journal, French refusals, and fires
that lock the row (two users at once move an object once)."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import ProtectedError
from django.utils import timezone

from relais.actions import services
from relais.actions.enums import OfferState, RequestState
from relais.actions.models import OfferJournal, RequestJournal
from relais.actions.workflows import OFFER_WORKFLOW, REQUEST_WORKFLOW
from tests.journals import assert_append_only

from .factories import ActionRequestFactory, OfferFactory


def _names(workflow, state):
    return {item.name for item in workflow.allowed_from(state)}


def test_the_tables():
    assert _names(OFFER_WORKFLOW, OfferState.DRAFT) == {"publier"}
    assert _names(OFFER_WORKFLOW, OfferState.PUBLISHED) == {"clore"}
    assert _names(OFFER_WORKFLOW, OfferState.CLOSED) == {"publier"}
    assert _names(REQUEST_WORKFLOW, RequestState.SENT) == {"accepter", "refuser", "annuler"}
    assert _names(REQUEST_WORKFLOW, RequestState.ACCEPTED) == {"annuler", "realiser"}
    for final in (RequestState.DECLINED, RequestState.CANCELLED, RequestState.DONE):
        assert _names(REQUEST_WORKFLOW, final) == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state, role, expected",
    [
        (RequestState.SENT, "organisation_rep", {"accepter", "refuser"}),
        (RequestState.SENT, "teacher", {"annuler"}),
        (RequestState.SENT, "head_of_school", {"annuler"}),
        (RequestState.SENT, "academie_team", {"accepter", "refuser", "annuler"}),
        (RequestState.SENT, "bassin_referent", set()),
        (RequestState.ACCEPTED, "organisation_rep", {"annuler", "realiser"}),
        (RequestState.ACCEPTED, "teacher", {"annuler", "realiser"}),
        (RequestState.ACCEPTED, "volunteer", set()),
        (RequestState.DONE, "national_admin", set()),
    ],
)
def test_who_may_do_what_on_a_request(world, state, role, expected):
    offer = OfferFactory(academie=world.home, organisation=world.company, capacity=3)
    request = ActionRequestFactory(offer=offer, establishment=world.school, state=state,
                                   answered_at=timezone.now())  # fmt: skip
    assert REQUEST_WORKFLOW.names(world.users[role], request) == expected


# --- journals ------------------------------------------------------------------------------


@pytest.fixture
def journals(world):
    offer = OfferFactory(academie=world.home, organisation=world.company, state=OfferState.DRAFT,
                         published_at=None)  # fmt: skip
    OFFER_WORKFLOW.log_creation(offer, user=world.users["organisation_rep"])
    request = ActionRequestFactory(
        offer=OfferFactory(academie=world.home), establishment=world.school
    )
    REQUEST_WORKFLOW.write_journal(
        request, transition="envoyer", from_state="", user=world.users["teacher"]
    )
    return offer, request


@pytest.mark.django_db
@pytest.mark.parametrize("journal", [OfferJournal, RequestJournal])
def test_the_database_refuses_to_rewrite_or_delete_a_journal(journals, journal):
    lines = journal.objects.all()
    assert lines.count() == 1
    assert_append_only(lines, other_state="close")
    assert lines.get().note == ""
    # The one change allowed: the account is deleted, its name stays.
    assert lines.get().by_name


@pytest.mark.django_db
def test_an_object_with_a_journal_cannot_be_deleted(journals, world):
    offer, request = journals
    with pytest.raises(ProtectedError):
        request.delete()
    with pytest.raises(ProtectedError):
        offer.delete()
    teacher = world.users["teacher"]
    name = str(teacher)
    teacher.delete()  # the author goes, the line keeps their name
    line = request.journal.get()
    assert line.by is None and line.by_name == name


# --- refusals ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_fire_refuses_in_french(world):
    offer = OfferFactory(academie=world.home, organisation=world.company)
    with pytest.raises(ValidationError) as error:
        OFFER_WORKFLOW.fire(offer, "publier", user=world.users["organisation_rep"])
    assert error.value.messages == [
        "Impossible : « Publier » n'est pas possible dans l'état « Publiée »."
    ]
    with pytest.raises(PermissionDenied, match="Vous ne pouvez pas clore cette offre."):
        OFFER_WORKFLOW.fire(offer, "clore", user=world.users["teacher"])
    with pytest.raises(ValidationError, match="Étape inconnue : « archiver »"):
        OFFER_WORKFLOW.fire(offer, "archiver", user=world.users["organisation_rep"])
    request = ActionRequestFactory(offer=offer, establishment=world.school)
    with pytest.raises(PermissionDenied, match="Seul le partenaire qui propose l'action"):
        REQUEST_WORKFLOW.fire(request, "accepter", user=world.users["teacher"])
    with pytest.raises(ValidationError, match="« Déclarer réalisée » n'est pas possible dans"):
        REQUEST_WORKFLOW.fire(request, "realiser", user=world.users["teacher"])
    offer.refresh_from_db()
    request.refresh_from_db()
    assert offer.state == OfferState.PUBLISHED and request.state == RequestState.SENT
    assert not OfferJournal.objects.exists() and not RequestJournal.objects.exists()


# --- concurrency ---------------------------------------------------------------------------


def _at_once(*calls):
    """Run the calls in two threads (two connections) released together; each answer is
    "ok" or the French message of its refusal."""
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
def test_two_partners_accepting_at_once_move_the_request_once(world):
    offer = OfferFactory(academie=world.home, organisation=world.company, capacity=5)
    request = ActionRequestFactory(offer=offer, establishment=world.school)
    team = world.users["academie_team"]
    rep = world.users["organisation_rep"]
    answers = _at_once(
        lambda: services.request_accept(user=rep, request=request, message="Oui"),
        lambda: services.request_accept(user=team, request=request, message="Oui aussi"),
    )
    assert answers[0].startswith("Impossible : « Accepter » n'est pas possible")
    assert answers[1] == "ok"
    request.refresh_from_db()
    assert request.state == RequestState.ACCEPTED
    assert request.journal.filter(transition="accepter").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_last_place_goes_to_one_request_only(world):
    offer = OfferFactory(academie=world.home, organisation=world.company, capacity=1)
    first = ActionRequestFactory(offer=offer, establishment=world.school)
    second = ActionRequestFactory(offer=offer, establishment=world.school2)
    rep = world.users["organisation_rep"]
    answers = _at_once(
        lambda: services.request_accept(user=rep, request=first),
        lambda: services.request_accept(user=rep, request=second),
    )
    assert answers[0].startswith("Capacité atteinte : 1 demande déjà acceptée")
    assert answers[1] == "ok"
    assert offer.requests.filter(state=RequestState.ACCEPTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_publishing_at_once_publish_once(world):
    offer = OfferFactory(academie=world.home, organisation=world.company, state=OfferState.DRAFT,
                         published_at=None)  # fmt: skip
    answers = _at_once(
        lambda: services.offer_publish(user=world.users["organisation_rep"], offer=offer),
        lambda: services.offer_publish(user=world.users["academie_team"], offer=offer),
    )
    assert answers == ["Impossible : « Publier » n'est pas possible dans l'état « Publiée ».", "ok"]
    assert offer.journal.filter(transition="publier").count() == 1
