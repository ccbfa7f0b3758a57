"""The lifecycle of conventions on ``relais.core.workflow`` (ADR 0007): the declaration, the
journal the database will not let anyone rewrite, French refusals, the row lock, what pages
and the API offer (``agreement_actions``), and the copy of the old journal."""

import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.utils import IntegrityError, ProgrammingError

from relais.agreements import services
from relais.agreements.enums import AgreementScope, AgreementState, Transition
from relais.agreements.models import Agreement, AgreementJournal, AgreementVersion
from relais.agreements.workflows import AGREEMENT_WORKFLOW, agreement_actions
from tests.agreements.factories import draft_agreement, in_force_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    return world.users["academie_team"]


def test_the_transitions_keep_the_names_the_api_exposes():
    assert [t.name for t in AGREEMENT_WORKFLOW.transitions] == list(Transition.values)
    assert AGREEMENT_WORKFLOW.subject == "agreement"


# --- the journal --------------------------------------------------------------------------


def test_the_database_refuses_to_update_or_delete_a_journal_line(world, team):
    agreement = draft_agreement(team, world.home)
    services.agreement_send_for_signature(user=team, agreement=agreement, note="Validé")
    lines = AgreementJournal.objects.filter(agreement=agreement)
    assert lines.count() == 2
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        lines.update(note="réécrit")
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        lines.update(to_state=AgreementState.IN_FORCE)
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        lines.delete()
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        lines.first().delete()
    assert list(lines.values_list("note", flat=True)) == ["", "Validé"]


def test_a_deleted_account_keeps_its_name_in_the_journal(world, team):
    agreement = draft_agreement(team, world.home)
    name = str(team)
    lines = AgreementJournal.objects.filter(agreement=agreement)
    lines.update(by=None)  # what SET_NULL does when the account is deleted
    assert lines.get().by_id is None and lines.get().by_name == name


def test_a_convention_with_a_journal_cannot_be_deleted(world, team):
    agreement = draft_agreement(team, world.home)
    with pytest.raises(ProtectedError), transaction.atomic():
        agreement.delete()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys are deferred
        cursor.execute("DELETE FROM agreements_agreement WHERE id = %s", [agreement.pk])
    assert Agreement.objects.filter(pk=agreement.pk).exists()


def test_the_journal_tells_the_whole_story(world, team):
    agreement = in_force_agreement(team, world.home, signed_on=date(2024, 1, 15))
    lines = list(agreement.journal.all())
    assert [line.transition for line in lines] == [
        "creation",
        Transition.SEND_FOR_SIGNATURE,
        Transition.SIGN,
        Transition.SIGN,
        Transition.ENTER_INTO_FORCE,
    ]
    assert lines[0].transition_label == "Création" and lines[0].from_state_label == "—"
    assert lines[2].from_state == lines[2].to_state == AgreementState.IN_SIGNATURE
    assert lines[-1].transition_label == "Entrée en vigueur"
    assert lines[-1].to_state_label == "En vigueur"
    assert lines[-1].note == "Prend effet le 15/01/2024."
    assert {line.by_name for line in lines} == {str(team)}


# --- firing -------------------------------------------------------------------------------


def test_fire_refuses_in_french_from_a_wrong_state(world, team):
    agreement = draft_agreement(team, world.home)
    with pytest.raises(ValidationError) as error:
        AGREEMENT_WORKFLOW.fire(agreement, Transition.TERMINATE, user=team)
    assert error.value.messages == [
        "Impossible : « Enregistrer une résiliation » n'est pas possible dans l'état « Brouillon »."
    ]
    with pytest.raises(ValidationError, match="Étape inconnue"):
        AGREEMENT_WORKFLOW.fire(agreement, "signer_a_la_place", user=team)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    assert list(agreement.journal.values_list("transition", flat=True)) == ["creation"]


@pytest.mark.parametrize("role", ["bassin_referent", "head_of_school", "organisation_rep"])
def test_fire_refuses_in_french_a_user_who_may_not(world, team, role):
    agreement = draft_agreement(team, world.home)
    with pytest.raises(PermissionDenied, match="Seule l'équipe académique du périmètre"):
        AGREEMENT_WORKFLOW.fire(agreement, Transition.ABANDON, user=world.users[role])
    other_team = draft_agreement(world.users["national_admin"], world.other)
    with pytest.raises(PermissionDenied):
        services.agreement_abandon(user=team, agreement=other_team, note="Pas la nôtre")
    assert not AgreementVersion.objects.exists()


def test_only_the_nightly_job_notes_an_expiry(world, team):
    agreement = in_force_agreement(team, world.home, signed_on=date(2020, 1, 15))
    with pytest.raises(PermissionDenied, match="chaque nuit"):
        AGREEMENT_WORKFLOW.fire(agreement, Transition.EXPIRE, user=team, ended_on=date.today())
    services.agreement_expire(agreement=agreement, today=date(2023, 1, 15))
    line = agreement.journal.last()
    assert (line.transition, line.by, line.by_name) == (Transition.EXPIRE, None, "")
    assert line.note == "Fin le 14/01/2023."


def test_a_replacement_is_fired_by_the_entry_into_force_of_the_new_convention(world, team):
    old = in_force_agreement(team, world.home)
    with pytest.raises(ValidationError, match="remplacée à l'entrée en vigueur"):
        AGREEMENT_WORKFLOW.fire(old, Transition.SUPERSEDE, user=team)
    assert Transition.SUPERSEDE not in AGREEMENT_WORKFLOW.names(team, old)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_fires_move_the_convention_once(world, team):
    """Two users abandon the same draft at the same moment: the row lock lets one through,
    the other is refused (the convention is no longer a draft when it gets the row)."""
    agreement = draft_agreement(team, world.home)
    admin = world.users["national_admin"]
    barrier = threading.Barrier(2)
    outcomes = []

    def abandon(user):
        try:
            barrier.wait(timeout=10)
            services.agreement_abandon(user=user, agreement=agreement, note=f"Par {user}")
            outcomes.append("abandonnée")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connection.close()

    threads = [threading.Thread(target=abandon, args=(user,)) for user in (team, admin)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [
        "Impossible : « Abandonner » n'est pas possible dans l'état « Abandonnée ».",
        "abandonnée",
    ]
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ABANDONED
    assert agreement.journal.filter(transition=Transition.ABANDON).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sendings_freeze_one_version(world, team):
    agreement = draft_agreement(team, world.home)
    barrier = threading.Barrier(2)
    refused = []

    def send():
        try:
            barrier.wait(timeout=10)
            services.agreement_send_for_signature(user=team, agreement=agreement)
        except ValidationError as error:
            refused.append(error.messages)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(refused) == 1
    assert list(agreement.versions.values_list("number", flat=True)) == [1]
    assert agreement.journal.filter(transition=Transition.SEND_FOR_SIGNATURE).count() == 1


# --- what pages and the API offer ------------------------------------------------------------


def test_actions_of_a_draft_follow_its_completeness_and_the_user(world, team):
    empty = services.agreement_create(
        user=team, title="Vide", kind="cadre", scope=AgreementScope.ACADEMIE, academie=world.home
    )
    actions = agreement_actions(team, empty)
    assert actions.transitions == (Transition.ABANDON,)  # not ready for signature
    assert actions.edit and not (actions.amend or actions.decline or actions.add_scan)
    draft = draft_agreement(team, world.home)
    assert agreement_actions(team, draft).transitions == (
        Transition.SEND_FOR_SIGNATURE,
        Transition.ABANDON,
    )
    for role in ("teacher", "organisation_rep", "bassin_referent"):
        nothing = agreement_actions(world.users[role], draft)
        assert nothing.transitions == () and not nothing.edit


def test_actions_in_signature_and_in_force(world, team):
    agreement = draft_agreement(team, world.home)
    agreement = services.agreement_send_for_signature(user=team, agreement=agreement)
    actions = agreement_actions(team, agreement)
    assert actions.transitions == (
        Transition.BACK_TO_DRAFT,
        Transition.SIGN,
        Transition.ABANDON,
    )
    assert actions.add_scan and not actions.edit
    services.agreement_record_signature(
        user=team,
        signatory=agreement.signatories.first(),
        signed_on=date(2024, 1, 2),
        mode="papier",
    )
    agreement.refresh_from_db()
    # Someone signed: the text cannot go back to draft any more.
    assert agreement_actions(team, agreement).transitions == (Transition.SIGN, Transition.ABANDON)

    live = in_force_agreement(team, world.home)
    actions = agreement_actions(team, live)
    # Every way it may end; a withdrawal needs a third party (two must remain).
    assert actions.transitions == (
        Transition.NON_RENEWAL,
        Transition.TERMINATE,
        Transition.BREACH,
        Transition.MUTUAL,
    )
    assert actions.amend and actions.decline and actions.add_scan and not actions.edit
    teacher = agreement_actions(world.users["teacher"], live)
    assert teacher.transitions == () and not (teacher.amend or teacher.decline)


def test_an_avenant_is_neither_amended_nor_declined(world, team):
    from tests.agreements.factories import sign_all

    avenant = services.avenant_create(
        user=team, agreement=in_force_agreement(team, world.home), title=""
    )
    assert list(avenant.journal.values_list("transition", flat=True)) == ["creation"]
    services.article_save(user=team, agreement=avenant, data={"number": "3", "body": "Ajout."})
    avenant = sign_all(team, avenant, on=date(2024, 6, 1))
    actions = agreement_actions(team, avenant)
    assert not actions.amend and not actions.decline
    with pytest.raises(ValidationError, match="Un avenant ne se décline pas"):
        services.agreement_decline(
            user=team,
            parent=avenant,
            title="Déclinaison",
            scope=AgreementScope.ESTABLISHMENT,
            establishment=world.school,
        )


def test_another_academie_team_declines_a_national_convention(world, team):
    from tests.agreements.factories import sign_all

    admin = world.users["national_admin"]
    national = services.agreement_create(
        user=admin, title="Convention nationale", kind="cadre", scope=AgreementScope.NATIONAL
    )
    for name in ("Ministère", "Fédération nationale"):
        party = services.party_save(
            user=admin, agreement=national, data={"name": name, "side": "autre"}
        )
        services.signatory_save(
            user=admin, agreement=national, data={"party": party, "full_name": f"Pour {name}"}
        )
    services.article_save(user=admin, agreement=national, data={"number": "1", "body": "Axe"})
    assert not agreement_actions(team, national).decline  # a draft
    national = sign_all(admin, national, on=date(2024, 3, 1))
    actions = agreement_actions(team, national)
    assert actions.decline and not actions.amend  # the national convention is not theirs
    child = services.agreement_decline(
        user=team,
        parent=national,
        title="Déclinaison académique",
        scope=AgreementScope.ACADEMIE,
        academie=world.home,
    )
    assert child.parent == national and child.articles.count() == 1


# --- the copy of the old journal (migration 0006) ------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_old_journal_is_copied_with_its_dates_and_authors():
    from datetime import UTC, datetime

    from django.db.migrations.executor import MigrationExecutor

    before = [("agreements", "0005_agreementjournal")]
    # Every app's latest migration: going back unapplies the other apps' migrations that
    # depend on these, and they must come back too.
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        apps = MigrationExecutor(connection).loader.project_state(before).apps
        User = apps.get_model("users", "User")
        OldAgreement = apps.get_model("agreements", "Agreement")
        TransitionLog = apps.get_model("agreements", "TransitionLog")
        TransitionLog._meta.get_field("at").auto_now_add = False
        OldAgreement._meta.get_field("created_at").auto_now_add = False
        author = User.objects.create(
            email="claire@example.fr", first_name="Claire", last_name="Dupont"
        )
        old = OldAgreement.objects.create(
            number="CONV-2016-00001", title="Clubster", kind="cadre", scope="national",
            state="en_signature", created_by=author, created_at=datetime(2016, 2, 1, tzinfo=UTC),
        )  # fmt: skip
        sent = datetime(2016, 3, 1, 9, 30, tzinfo=UTC)
        TransitionLog.objects.create(
            agreement=old, transition="envoi_signature", from_state="brouillon",
            to_state="en_signature", at=sent, by=author, note="Validé", data={"version": 1},
        )  # fmt: skip
        TransitionLog.objects.create(
            agreement=old, transition="signature", from_state="en_signature",
            to_state="en_signature", at=sent.replace(day=2), by=None, note="Mme la rectrice",
        )  # fmt: skip
        MigrationExecutor(connection).migrate(latest)
    finally:
        MigrationExecutor(connection).migrate(latest)
    lines = list(AgreementJournal.objects.filter(agreement_id=old.pk))
    assert [(line.transition, line.from_state, line.to_state) for line in lines] == [
        ("creation", "", "brouillon"),
        ("envoi_signature", "brouillon", "en_signature"),
        ("signature", "en_signature", "en_signature"),
    ]
    assert [line.by_name for line in lines] == ["Claire Dupont", "Claire Dupont", ""]
    assert lines[0].at == datetime(2016, 2, 1, tzinfo=UTC)
    assert lines[1].at == sent and lines[1].data == {"version": 1} and lines[1].note == "Validé"
    assert lines[2].at == sent.replace(day=2) and lines[2].by_id is None
