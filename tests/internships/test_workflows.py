"""The workflows of the pôles de stages (ADR 0007): their tables, journals that the database
refuses to rewrite or erase (save the purge of a pupil's data), an offer that cannot be
deleted behind its journal, French refusals, and fires that lock the row (two users at once
move an object once)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.db.utils import ProgrammingError

from relais.core.workflow import purging_journals
from relais.internships import services
from relais.internships.enums import (
    FINAL_CASE_STATES,
    CaseState,
    OfferState,
    ProposalState,
    SuggestionState,
)
from relais.internships.models import (
    CaseJournal,
    OfferJournal,
    ProposalJournal,
    SuggestionJournal,
)
from relais.internships.services.matching import run_create
from relais.internships.workflows import (
    CASE_WORKFLOW,
    OFFER_WORKFLOW,
    PROPOSAL_WORKFLOW,
    SUGGESTION_WORKFLOW,
)
from relais.pupils.models import Pupil
from relais.users.enums import Role
from tests.factories import make_user
from tests.internships.factories import (
    WEEK,
    HubFactory,
    OfferFactory,
    RomeCodeFactory,
    SlotFactory,
    open_case,
    published_offer,
    referred_case,
)
from tests.internships.test_concurrency import race
from tests.journals import assert_append_only


def _moves(workflow, state):
    return {item.name for item in workflow.allowed_from(state) if item.target is not None}


def test_the_tables():
    assert _moves(OFFER_WORKFLOW, OfferState.DRAFT) == {"publier", "fermer"}
    assert _moves(OFFER_WORKFLOW, OfferState.PUBLISHED) == {"completer", "fermer", "expirer"}
    assert _moves(OFFER_WORKFLOW, OfferState.FULL) == {"rouvrir", "fermer", "expirer"}
    assert _moves(CASE_WORKFLOW, CaseState.SEARCHING_ALONE) == {"aider", "retirer"}
    assert _moves(CASE_WORKFLOW, CaseState.REFERRED) == {"proposer", "decliner", "retirer"}
    assert _moves(CASE_WORKFLOW, CaseState.PROPOSAL_SENT) == {
        "placer",
        "remettre_en_file",
        "decliner",
        "retirer",
    }
    assert _moves(PROPOSAL_WORKFLOW, ProposalState.SENT) == {
        "accepter",
        "refuser",
        "expirer",
        "annuler",
        "dossier_clos",
    }
    assert _moves(PROPOSAL_WORKFLOW, ProposalState.ACCEPTED) == {
        "confirmer",
        "annuler",
        "dossier_clos",
    }
    assert _moves(SUGGESTION_WORKFLOW, SuggestionState.PENDING) == {"envoyer", "ecarter"}
    # The final states are those no move leaves (the database ties ``closed_at`` to them).
    assert {s for s in CaseState if not _moves(CASE_WORKFLOW, s)} == set(FINAL_CASE_STATES)
    for final in (OfferState.CLOSED, OfferState.EXPIRED):
        assert not _moves(OFFER_WORKFLOW, final)
    for final in (ProposalState.REFUSED, ProposalState.EXPIRED, ProposalState.CONFIRMED):
        assert not _moves(PROPOSAL_WORKFLOW, final)


# --- journals ------------------------------------------------------------------------------


@pytest.fixture
def journals(world, hub):
    """One object of each workflow, each with its journal."""
    member = world.users["hub_member"]
    offer = published_offer(world.bassin, world.company, capacity=2)
    OFFER_WORKFLOW.log_creation(offer, user=member)
    case = referred_case(world.school, world.users["teacher"])
    run = run_create(user=member, hub=hub, window_start=WEEK, window_end=WEEK)
    suggestion = run.suggestions.get()
    proposal = services.proposal_send(
        user=member, case=case, slot=offer.slots.get(), suggestion=suggestion
    )
    return offer, case, proposal, suggestion


JOURNALS = [OfferJournal, CaseJournal, ProposalJournal, SuggestionJournal]


@pytest.mark.parametrize("journal", JOURNALS, ids=lambda j: j.__name__)
def test_the_database_refuses_to_rewrite_or_delete_a_journal(journals, journal):
    assert_append_only(journal.objects.all(), other_state="closed")


def test_an_offer_with_a_journal_cannot_be_deleted(journals, world):
    offer, *_ = journals
    with pytest.raises(ProtectedError):
        offer.delete()
    member = world.users["hub_member"]
    name = str(member)
    member.delete()  # the author goes, the line keeps their name
    line = offer.journal.get(transition="creation")
    assert line.by is None and line.by_name == name


def test_a_pupils_journals_go_with_their_data_in_the_purge_only(journals):
    """Minors' data: the journals of a pupil's case, proposal and suggestion cascade with
    the pupil, which the database refuses outside ``purging_journals``."""
    _offer, case, proposal, suggestion = journals
    pupil = Pupil.objects.get(pk=case.pupil_id)
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        pupil.delete()
    assert case.journal.exists() and proposal.journal.exists() and suggestion.journal.exists()
    with transaction.atomic(), purging_journals(CaseJournal, ProposalJournal, SuggestionJournal):
        pupil.delete()
    assert not CaseJournal.objects.filter(case_id=case.pk).exists()
    assert not ProposalJournal.objects.filter(proposal_id=proposal.pk).exists()
    assert not SuggestionJournal.objects.filter(suggestion_id=suggestion.pk).exists()


# --- refusals ------------------------------------------------------------------------------


def test_fire_refuses_in_french(world, hub):
    offer = OfferFactory(bassin=world.bassin, host=world.company)
    SlotFactory(offer=offer, week=WEEK)
    member = world.users["hub_member"]
    with pytest.raises(PermissionDenied, match="Vous ne pouvez pas publier cette offre."):
        OFFER_WORKFLOW.fire(offer, "publier", user=world.users["teacher"])
    OFFER_WORKFLOW.fire(offer, "publier", user=member)
    with pytest.raises(ValidationError) as error:
        OFFER_WORKFLOW.fire(offer, "publier", user=member)
    assert error.value.messages == [
        "Impossible : « Publier » n'est pas possible dans l'état « Publiée »."
    ]
    with pytest.raises(ValidationError, match="Étape inconnue : « archiver »"):
        OFFER_WORKFLOW.fire(offer, "archiver", user=member)
    fresh = open_case(world.school, world.users["teacher"])
    with pytest.raises(PermissionDenied, match="Seul l'établissement de l'élève"):
        services.case_move(user=member, case=fresh, step="aider")
    case = referred_case(world.school, world.users["teacher"])
    with pytest.raises(ValidationError) as error:
        services.case_move(user=world.users["teacher"], case=case, step="aider")
    assert error.value.messages == [
        "Impossible : « Confier à l'équipe pédagogique » n'est pas possible dans l'état "
        "« Orienté vers le pôle de stages »."
    ]
    with pytest.raises(PermissionDenied, match="suit d'elle-même"):
        CASE_WORKFLOW.fire(case, "anonymiser", user=member)
    offer.refresh_from_db()
    case.refresh_from_db()
    assert offer.state == OfferState.PUBLISHED and case.state == CaseState.REFERRED
    assert offer.journal.count() == 1 and case.journal.count() == 3


# --- concurrency ---------------------------------------------------------------------------


@pytest.fixture
def committed(transactional_db, world):
    """The shared world, committed: each thread reads it through its own connection."""
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin)
    return world


def _answers(outcomes):
    """ "ok" for a success, the French message of a refusal."""
    return sorted(
        "ok" if not isinstance(o, Exception) else " ".join(getattr(o, "messages", [str(o)]))
        for o in outcomes
    )


def test_two_teachers_referring_at_once_refer_once(committed):
    world = committed
    teacher, head = world.users["teacher"], world.users["head_of_school"]
    case = open_case(world.school, teacher)
    services.case_move(user=teacher, case=case, step="aider")
    answers = _answers(
        race(
            lambda: services.case_move(user=teacher, case=case, step="orienter"),
            lambda: services.case_move(user=head, case=case, step="orienter"),
        )
    )
    assert answers[1] == "ok"
    assert answers[0].startswith("Impossible : « Orienter vers le pôle de stages »")
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    assert case.journal.filter(transition="orienter").count() == 1


def test_two_managers_publishing_at_once_publish_once(committed):
    world = committed
    offer = OfferFactory(bassin=world.bassin, host=world.company)
    SlotFactory(offer=offer, week=WEEK)
    other = make_user(Role.HUB_MEMBER, world.bassin)
    answers = _answers(
        race(
            lambda: services.offer_publish(user=world.users["hub_member"], offer=offer),
            lambda: services.offer_publish(user=other, offer=offer),
        )
    )
    assert answers == ["Impossible : « Publier » n'est pas possible dans l'état « Publiée ».", "ok"]
    assert offer.journal.filter(transition="publier").count() == 1


def test_the_school_confirming_while_the_pole_cancels(committed):
    """The accepted proposal is confirmed or cancelled, never both: one journal line."""
    world = committed
    offer = published_offer(world.bassin, world.company, capacity=1)
    case = referred_case(world.school, world.users["teacher"])
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    services.proposal_accept(proposal=proposal, now=proposal.sent_at + datetime.timedelta(hours=1))
    outcomes = race(
        lambda: services.proposal_confirm(user=world.users["teacher"], proposal=proposal),
        lambda: services.proposal_cancel(user=world.users["hub_member"], proposal=proposal),
    )
    assert _answers(outcomes)[-1] == "ok" and _answers(outcomes)[0] != "ok", outcomes
    proposal.refresh_from_db()
    closing = proposal.journal.filter(transition__in=["confirmer", "annuler"])
    assert closing.count() == 1
    assert proposal.state in (ProposalState.CONFIRMED, ProposalState.CANCELLED)
    slot = offer.slots.get()
    assert (slot.held, slot.taken) == ((0, 1) if proposal.state == "confirmed" else (0, 0))


# --- the old journals, copied -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_old_journals_are_copied_with_their_names_dates_and_authors(world):
    from datetime import UTC, datetime

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    RomeCodeFactory(code="H2201")
    offer = OfferFactory(bassin=world.bassin, host=world.company)
    case = open_case(world.school, world.users["teacher"])
    teacher = world.users["teacher"]
    before = [("internships", "0004_list_order_index")]
    # Every app's latest migration: going back unapplies the other apps' migrations that
    # depend on these, and they must come back too.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    day = datetime(2025, 10, 6, 9, 30, tzinfo=UTC)
    try:
        MigrationExecutor(connection).migrate(before)
        apps = MigrationExecutor(connection).loader.project_state(before).apps
        OfferTransition = apps.get_model("internships", "OfferTransition")
        CaseStep = apps.get_model("internships", "CaseStep")
        CaseStep.objects.all().delete()  # the line copied back from the new journal
        for i, (before_state, after, note) in enumerate(
            [("", "draft", "Offre créée"), ("draft", "published", ""), ("published", "full", ""),
             ("full", "published", ""), ("published", "closed", "Plus de tuteur")]
        ):  # fmt: skip
            OfferTransition.objects.create(
                offer_id=offer.pk, from_state=before_state, to_state=after, note=note,
                by_id=teacher.pk if i == 0 else None, at=day.replace(hour=10 + i),
            )  # fmt: skip
        for i, (before_state, after, note) in enumerate(
            [("", "searching_alone", "Dossier ouvert"), ("searching_alone", "helped_by_team", ""),
             ("helped_by_team", "referred", "Aucune piste"),
             ("referred", "referred", "Dossier attribué à Claire Pôle"),
             ("referred", "proposal_sent", "Proposé à Boulangerie"),
             ("proposal_sent", "proposal_sent", "Boulangerie accepte"),
             ("proposal_sent", "referred", "Proposition annulée."),
             ("referred", "withdrawn", "")]
        ):  # fmt: skip
            CaseStep.objects.create(
                case_id=case.pk, from_state=before_state, to_state=after, note=note,
                by_id=teacher.pk, at=day.replace(day=7 + i),
            )  # fmt: skip
        MigrationExecutor(connection).migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
    lines = list(OfferJournal.objects.filter(offer_id=offer.pk))
    assert [(line.transition, line.from_state, line.to_state) for line in lines] == [
        ("creation", "", "draft"),
        ("publier", "draft", "published"),
        ("completer", "published", "full"),
        ("rouvrir", "full", "published"),
        ("fermer", "published", "closed"),
    ]
    assert lines[0].by_id == teacher.pk and lines[0].by_name == teacher.get_full_name()
    assert lines[0].at == day.replace(hour=10) and lines[-1].note == "Plus de tuteur"
    assert lines[1].by is None and lines[1].by_name == ""
    steps = list(CaseJournal.objects.filter(case_id=case.pk))
    assert [line.transition for line in steps] == [
        "ouvrir", "aider", "orienter", "attribuer", "proposer", "accord_entreprise",
        "remettre_en_file", "retirer",
    ]  # fmt: skip
    assert [line.at.day for line in steps] == list(range(7, 15))
    assert {line.by_name for line in steps} == {teacher.get_full_name()}
    assert steps[2].note == "Aucune piste"
