"""The state machine of conventions: every transition, every refused transition, frozen
versions, avenants and the consolidated convention."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from relais.agreements import services
from relais.agreements.consolidation import consolidate, key_dates
from relais.agreements.enums import (
    AgreementKind,
    AgreementScope,
    AgreementState,
    PartySide,
    SignatureMode,
    Transition,
)
from relais.agreements.models import AgreementJournal, AgreementVersion
from tests.agreements.factories import draft_agreement, in_force_agreement, sign_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    return world.users["academie_team"]


def transitions(agreement):
    return list(agreement.journal.values_list("transition", flat=True))


def test_create_numbers_and_scopes_the_draft(world, team):
    agreement = draft_agreement(team, world.home)
    assert agreement.state == AgreementState.DRAFT
    assert transitions(agreement) == ["creation"]
    assert agreement.journal.get().by_name == str(team)
    assert agreement.number.startswith("CONV-")
    assert agreement.academie == world.home and agreement.academic_region == world.home.region


def test_only_the_academie_team_of_the_scope_creates(world):
    for role in ("bassin_referent", "head_of_school", "organisation_rep", "volunteer"):
        with pytest.raises(PermissionDenied):
            draft_agreement(world.users[role], world.home)
    with pytest.raises(PermissionDenied):
        draft_agreement(world.users["academie_team"], world.other)
    with pytest.raises(PermissionDenied):
        services.agreement_create(
            user=world.users["academie_team"],
            title="Nationale",
            kind=AgreementKind.FRAMEWORK,
            scope=AgreementScope.NATIONAL,
        )


def test_cee_convention_is_three_years_fixed(world, team):
    agreement = draft_agreement(team, world.home, kind=AgreementKind.CEE)
    assert (agreement.duration_months, agreement.tacit_renewal) == (36, False)
    assert agreement.termination_months == 6
    with pytest.raises(ValidationError) as error:
        services.agreement_update(user=team, agreement=agreement, data={"duration_months": 60})
    assert "trois ans" in str(error.value)
    with pytest.raises(ValidationError):
        services.agreement_update(user=team, agreement=agreement, data={"tacit_renewal": True})
    with pytest.raises(IntegrityError), transaction.atomic():
        type(agreement).objects.filter(pk=agreement.pk).update(duration_months=12)


def test_send_for_signature_freezes_a_version(world, team):
    agreement = draft_agreement(team, world.home)
    services.agreement_send_for_signature(user=team, agreement=agreement, note="Validé en CA")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.IN_SIGNATURE
    version = agreement.versions.get()
    assert version.number == 1
    assert [a["number"] for a in version.content["articles"]] == ["1", "2"]
    assert len(version.content["signatories"]) == 2
    with pytest.raises(ValidationError, match="figé"):
        services.agreement_update(user=team, agreement=agreement, data={"title": "Autre"})
    with pytest.raises(ValidationError, match="figé"):
        services.article_save(user=team, agreement=agreement, data={"number": "9", "body": "x"})
    assert transitions(agreement) == ["creation", Transition.SEND_FOR_SIGNATURE]
    log = agreement.journal.last()
    assert (log.transition, log.by, log.note, log.data) == (
        Transition.SEND_FOR_SIGNATURE,
        team,
        "Validé en CA",
        {"version": 1},
    )
    assert (log.from_state, log.to_state) == (AgreementState.DRAFT, AgreementState.IN_SIGNATURE)


def test_versions_cannot_be_edited_in_the_database(world, team):
    agreement = draft_agreement(team, world.home)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    with pytest.raises(Exception, match="version_is_frozen|Cannot update"), transaction.atomic():
        AgreementVersion.objects.filter(agreement=agreement).update(content={})


def test_the_journal_is_append_only(world, team):
    agreement = draft_agreement(team, world.home)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    with pytest.raises(Exception, match="Cannot update"), transaction.atomic():
        AgreementJournal.objects.filter(agreement=agreement).update(note="effacé")


def test_send_for_signature_refuses_an_incomplete_draft(world, team):
    agreement = services.agreement_create(
        user=team,
        title="Vide",
        kind=AgreementKind.FRAMEWORK,
        scope=AgreementScope.ACADEMIE,
        academie=world.home,
    )
    services.party_save(
        user=team, agreement=agreement, data={"name": "Rectorat", "side": PartySide.EDUCATION}
    )
    with pytest.raises(ValidationError) as error:
        services.agreement_send_for_signature(user=team, agreement=agreement)
    messages = " ".join(error.value.messages)
    assert "au moins deux parties" in messages
    assert "Rectorat" in messages  # its missing signatory
    assert "texte est vide" in messages
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT and not agreement.versions.exists()


def test_four_signatories_on_different_days_then_in_force(world, team):
    """CPME Île-de-France: four signatories who signed on different days."""
    agreement = draft_agreement(team, world.home, partners=3)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    days = [date(2018, 1, 22), date(2018, 1, 24), date(2018, 1, 29), date(2018, 2, 5)]
    for signatory, day in zip(agreement.signatories.order_by("order", "pk"), days, strict=True):
        agreement.refresh_from_db()
        assert agreement.state == AgreementState.IN_SIGNATURE
        agreement = services.agreement_record_signature(
            user=team, signatory=signatory, signed_on=day, mode=SignatureMode.PAPER
        )
    assert agreement.state == AgreementState.IN_FORCE
    assert agreement.signed_on == date(2018, 2, 5) == agreement.start_date
    assert transitions(agreement).count(Transition.SIGN) == 4
    assert transitions(agreement)[-1] == Transition.ENTER_INTO_FORCE
    assert sorted(agreement.signatories.values_list("signed_on", flat=True)) == days


def test_a_stated_effective_date_wins_over_the_last_signature(world, team):
    agreement = draft_agreement(team, world.home, fields={"effective_date": date(2024, 9, 1)})
    agreement = sign_all(team, agreement, on=date(2024, 6, 20))
    assert agreement.start_date == date(2024, 9, 1)
    assert agreement.signed_on == date(2024, 6, 20)


def test_signature_refusals(world, team):
    agreement = draft_agreement(team, world.home)
    signatory = agreement.signatories.first()
    with pytest.raises(ValidationError, match="pas possible dans l'état « Brouillon »"):
        services.agreement_record_signature(
            user=team, signatory=signatory, signed_on=date(2024, 1, 1), mode="papier"
        )
    services.agreement_send_for_signature(user=team, agreement=agreement)
    with pytest.raises(ValidationError, match="futur"):
        services.agreement_record_signature(
            user=team, signatory=signatory, signed_on=date(2999, 1, 1), mode="papier"
        )
    with pytest.raises(ValidationError, match="mode"):
        services.agreement_record_signature(
            user=team, signatory=signatory, signed_on=date(2024, 1, 1), mode="fax"
        )
    with pytest.raises(PermissionDenied):
        services.agreement_record_signature(
            user=world.users["teacher"],
            signatory=signatory,
            signed_on=date(2024, 1, 1),
            mode="papier",
        )
    services.agreement_record_signature(
        user=team, signatory=signatory, signed_on=date(2024, 1, 1), mode="electronique"
    )
    with pytest.raises(ValidationError, match="déjà enregistrée"):
        services.agreement_record_signature(
            user=team, signatory=signatory, signed_on=date(2024, 1, 2), mode="papier"
        )


def test_back_to_draft_only_before_any_signature(world, team):
    agreement = draft_agreement(team, world.home)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    with pytest.raises(ValidationError):
        services.agreement_back_to_draft(user=team, agreement=agreement, note="")
    services.agreement_back_to_draft(user=team, agreement=agreement, note="Coquille à l'art. 2")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.DRAFT
    services.agreement_update(user=team, agreement=agreement, data={"title": "Nouveau titre"})
    services.agreement_send_for_signature(user=team, agreement=agreement)
    assert list(agreement.versions.values_list("number", flat=True)) == [2, 1]
    services.agreement_record_signature(
        user=team,
        signatory=agreement.signatories.first(),
        signed_on=date(2024, 1, 1),
        mode="papier",
    )
    with pytest.raises(ValidationError, match="déjà enregistrée"):
        services.agreement_back_to_draft(user=team, agreement=agreement, note="Trop tard")


def test_abandon_from_draft_and_signature_but_not_in_force(world, team):
    draft = draft_agreement(team, world.home)
    services.agreement_abandon(user=team, agreement=draft, note="Projet arrêté")
    draft.refresh_from_db()
    assert draft.state == AgreementState.ABANDONED
    with pytest.raises(ValidationError, match="pas possible"):
        services.agreement_send_for_signature(user=team, agreement=draft)
    live = in_force_agreement(team, world.home)
    with pytest.raises(ValidationError, match="pas possible"):
        services.agreement_abandon(user=team, agreement=live, note="Non")


def test_termination_follows_the_clause(world, team):
    """Lille: 2 months after the registered letter; CEE model: 6 months after receipt."""
    lille = in_force_agreement(team, world.home, fields={"termination_months": 2})
    party = lille.parties.last()
    services.agreement_terminate(
        user=team,
        agreement=lille,
        notice_received_on=date(2025, 3, 31),
        reason="Désaccord persistant",
        party=party,
    )
    lille.refresh_from_db()
    assert lille.state == AgreementState.TERMINATED
    assert lille.terminated_on == date(2025, 5, 31)
    assert lille.terminated_by == party
    cee = in_force_agreement(team, world.home, kind=AgreementKind.CEE)
    services.agreement_terminate(
        user=team, agreement=cee, notice_received_on=date(2025, 8, 31), reason="Fin du partenariat"
    )
    cee.refresh_from_db()
    assert cee.terminated_on == date(2026, 2, 28)
    log = cee.journal.last()
    assert log.transition == Transition.TERMINATE and log.data["last_day"] == "2026-02-28"


def test_termination_refusals(world, team):
    agreement = in_force_agreement(team, world.home, signed_on=date(2024, 1, 15))
    with pytest.raises(ValidationError, match="motif"):
        services.agreement_terminate(
            user=team, agreement=agreement, notice_received_on=date(2025, 1, 1), reason=" "
        )
    with pytest.raises(ValidationError, match="antérieur"):
        services.agreement_terminate(
            user=team, agreement=agreement, notice_received_on=date(2023, 1, 1), reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.agreement_terminate(
            user=world.users["organisation_rep"],
            agreement=agreement,
            notice_received_on=date(2025, 1, 1),
            reason="x",
        )
    draft = draft_agreement(team, world.home)
    with pytest.raises(ValidationError, match="pas possible"):
        services.agreement_terminate(
            user=team, agreement=draft, notice_received_on=date(2025, 1, 1), reason="x"
        )


def test_expiry_of_a_convention_without_renewal(world, team):
    agreement = in_force_agreement(team, world.home, signed_on=date(2020, 1, 15))
    with pytest.raises(ValidationError, match="encore en vigueur"):
        services.agreement_expire(agreement=agreement, today=date(2023, 1, 14))
    services.agreement_expire(agreement=agreement, today=date(2023, 1, 15))
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.EXPIRED
    assert agreement.ended_on == date(2023, 1, 14)


def test_tacit_renewals_are_periods_of_the_same_convention(world, team):
    agreement = in_force_agreement(
        team,
        world.home,
        signed_on=date(2016, 3, 1),
        fields={"duration_months": 60, "tacit_renewal": True, "notice_months": 3},
    )
    dates = key_dates(agreement, on=date(2023, 6, 1))
    assert dates.renewals_done == 1
    assert dates.period.start == date(2021, 3, 1)
    assert dates.end_of_term == date(2026, 2, 28)
    assert dates.notice_deadline == date(2025, 11, 30)  # + 3 months = 28 February
    assert dates.expiry is None


def test_avenant_lifecycle_and_consolidation(world, team):
    agreement = in_force_agreement(team, world.home)
    with pytest.raises(ValidationError, match="en vigueur"):
        services.avenant_create(user=team, agreement=draft_agreement(team, world.home), title="")
    avenant = services.avenant_create(user=team, agreement=agreement, title="")
    assert avenant.kind == AgreementKind.AVENANT and avenant.amends == agreement
    assert avenant.number.startswith("AV-")
    assert avenant.parties.count() == agreement.parties.count()
    services.article_save(
        user=team,
        agreement=avenant,
        data={"number": "2", "heading": "Axe 2 modifié", "body": "Nouvelle rédaction.",
              "operation": "remplace"},
    )  # fmt: skip
    services.article_save(user=team, agreement=avenant, data={"number": "1", "removes": True})
    services.article_save(
        user=team, agreement=avenant, data={"number": "3", "heading": "Axe 3", "body": "Ajout."}
    )
    joining = services.party_save(
        user=team, agreement=avenant, data={"name": "CMA Occitanie", "side": PartySide.ECONOMIC}
    )
    services.signatory_save(
        user=team, agreement=avenant, data={"party": joining, "full_name": "Le président"}
    )
    services.agreement_update(
        user=team, agreement=avenant, data={"clause_changes": {"duration_months": 48}}
    )
    before = consolidate(agreement)
    assert [a.number for a in before.articles] == ["1", "2"]
    sign_all(team, avenant, on=date(2024, 6, 1))
    avenant.refresh_from_db()
    assert avenant.state == AgreementState.IN_FORCE
    after = consolidate(agreement)
    assert [(a.number, a.heading) for a in after.articles] == [
        ("2", "Axe 2 modifié"),
        ("3", "Axe 3"),
    ]
    assert "CMA Occitanie" in [p.name for p in after.parties]
    assert after.clauses["duration_months"] == 48
    agreement.refresh_from_db()
    assert agreement.current_end == date(2028, 1, 14)  # 48 months from 2024-01-15


def test_avenant_cannot_change_unknown_clauses(world, team):
    avenant = services.avenant_create(
        user=team, agreement=in_force_agreement(team, world.home), title="Avenant 1"
    )
    with pytest.raises(ValidationError, match="inconnues"):
        services.agreement_update(
            user=team, agreement=avenant, data={"clause_changes": {"state": "expiree"}}
        )


def test_declining_a_convention_links_the_child(world, team):
    parent = in_force_agreement(team, world.home)
    child = services.agreement_decline(
        user=team,
        parent=parent,
        title="Déclinaison au collège",
        scope=AgreementScope.ESTABLISHMENT,
        establishment=world.school,
    )
    assert child.parent == parent and child.kind == AgreementKind.LOCAL
    assert child.establishment == world.school and child.bassin == world.bassin
    assert child.articles.count() == parent.articles.count()


def test_superseding_convention_ends_the_old_one(world, team):
    old = in_force_agreement(team, world.home, signed_on=date(2022, 1, 10))
    new = services.agreement_create(
        user=team,
        title="Nouvelle convention",
        kind=AgreementKind.FRAMEWORK,
        scope=AgreementScope.ACADEMIE,
        academie=world.home,
        supersedes=old,
    )
    assert new.supersedes == old
    with pytest.raises(ValidationError, match="en vigueur"):
        services.agreement_create(
            user=team,
            title="Remplace un brouillon",
            kind=AgreementKind.FRAMEWORK,
            scope=AgreementScope.ACADEMIE,
            academie=world.home,
            supersedes=new,
        )
    new = draft_agreement(team, world.home, title="Nouvelle convention 2")
    new.supersedes = old
    new.save()
    sign_all(team, new, on=date(2024, 5, 2))
    old.refresh_from_db()
    assert old.state == AgreementState.SUPERSEDED and old.ended_on == date(2024, 5, 1)
    assert AgreementJournal.objects.filter(agreement=old, transition=Transition.SUPERSEDE).exists()


def test_full_text_search_ignores_accents_and_stems(world, team):
    from relais.agreements.selectors import agreement_list

    draft_agreement(team, world.home, title="Convention Clubster école-entreprise")
    assert agreement_list(team, query="ecole").count() == 1
    assert agreement_list(team, query="réseaux").count() == 1  # an article mentions « réseau »
    assert agreement_list(team, query="Partenaire 1").count() == 1
    assert agreement_list(team, query="aéronautique").count() == 0


def test_an_avenant_cannot_change_the_fixed_term_of_a_cee_convention(world, team):
    cee = in_force_agreement(team, world.home, kind=AgreementKind.CEE)
    avenant = services.avenant_create(user=team, agreement=cee, title="")
    with pytest.raises(ValidationError, match="D. 331-66"):
        services.agreement_update(
            user=team, agreement=avenant, data={"clause_changes": {"duration_months": 48}}
        )
    services.agreement_update(
        user=team, agreement=avenant, data={"clause_changes": {"notice_months": 2}}
    )
