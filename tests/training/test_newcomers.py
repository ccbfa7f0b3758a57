"""Young allophone newcomers (CPME Île-de-France, art. 2.2): the CASNAV uploads a CV with
the consent recorded, shares it with an organisation committed to it; a member company
answers up to the contract; strict access, counts hidden under 11, purge after the delay."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from relais.training import selectors, services
from relais.training.enums import AnswerState
from relais.training.models import Newcomer, NewcomerJournal
from relais.training.services.newcomers import CONSENT_VERSION
from relais.users.enums import Role
from tests.factories import OrganisationFactory, make_user
from tests.training.factories import casnav_member, convention_in_force, newcomer


@pytest.fixture
def casnav(world):
    world.company.parent = world.regional
    world.company.save()
    convention_in_force(world.home, world.regional, casnav=20)
    return casnav_member(make_user(), world.home)


def test_upload_records_the_consent_and_refuses_what_is_not_a_pdf(world, casnav):
    young = newcomer(casnav, world.home)
    assert young.consent_version == CONSENT_VERSION and young.consent_name == "Amadou D."
    assert young.consent_at is not None and young.uploaded_by == casnav
    with pytest.raises(ValidationError) as error:
        services.newcomer_upload(
            user=casnav, academie=world.home,
            cv=SimpleUploadedFile("cv.pdf", b"MZ not a pdf", "application/pdf"),
            data={"first_name": "A", "consent": True},
        )  # fmt: skip
    assert "n'est pas un PDF" in str(error.value)
    with pytest.raises(ValidationError, match="consentement est obligatoire"):
        newcomer(casnav, world.home, consent=False)
    with pytest.raises(ValidationError, match="représentant légal"):
        newcomer(casnav, world.home, birth_year=timezone.localdate().year - 16)
    with pytest.raises(PermissionDenied):
        newcomer(world.users["academie_team"], world.home)


def test_shared_cv_reaches_the_member_companies_only_and_the_answer_is_counted(world, casnav):
    young = newcomer(casnav, world.home)
    stranger = OrganisationFactory(academie=world.home, name="Hors réseau")
    with pytest.raises(ValidationError, match="engagement « CASNAV »"):
        services.newcomer_share(user=casnav, newcomer=young, organisation=stranger)
    services.newcomer_share(user=casnav, newcomer=young, organisation=world.regional)
    company_rep = world.users["organisation_rep"]
    assert list(selectors.newcomers_visible_to(user=company_rep)) == [young]
    for role in ("academie_team", "national_admin", "head_of_school", "hub_member"):
        assert not selectors.newcomers_visible_to(user=world.users[role]).exists(), role
    # The organisation's own representative reads figures, not the CV.
    assert not selectors.newcomers_visible_to(
        user=make_user(Role.ORGANISATION_REP, world.regional)
    ).exists()
    answer = services.answer_create(user=company_rep, newcomer=young, company=world.company)
    answer = services.answer_advance(
        user=company_rep, answer=answer, name="proposer_entretien",
        interview_on=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="contrat promis"):
        services.answer_advance(user=company_rep, answer=answer, name="promettre")
    answer = services.answer_advance(
        user=company_rep, answer=answer, name="promettre", contract_kind="apprentissage"
    )
    answer = services.answer_advance(user=company_rep, answer=answer, name="signer")
    assert answer.state == AnswerState.CONTRACT and answer.contract_kind == "apprentissage"
    [line] = selectors.commitment_report(user=world.users["academie_team"])
    assert line["committed"] == 20
    assert (line["shared"], line["promises"], line["contracts"]) == ("< 11", "< 11", "< 11")


def test_the_purge_keeps_the_counts_and_nothing_that_names_the_young_person(world, casnav):
    young = newcomer(casnav, world.home)
    services.newcomer_share(user=casnav, newcomer=young, organisation=world.regional)
    services.answer_create(
        user=world.users["organisation_rep"], newcomer=young, company=world.company,
        note="Amadou a fait bonne impression",
    )  # fmt: skip
    path = young.cv.path
    assert services.newcomers_purge_expired(today=young.retention_until) == 0
    assert services.newcomers_purge_expired(today=young.retention_until + timedelta(days=1)) == 1
    young = Newcomer.objects.get(pk=young.pk)
    assert (young.first_name, young.consent_name, young.cv.name) == ("", "", "")
    assert young.consent_version == CONSENT_VERSION and young.purged_at is not None
    assert not NewcomerJournal.objects.filter(answer__newcomer=young).exists()
    assert young.answers.get().note == ""
    import os

    assert not os.path.exists(path)
    assert not selectors.newcomers_visible_to(user=casnav).exists()


def test_withdrawing_the_consent_purges_at_once_and_tells_the_companies(world, casnav):
    from relais.core.models import Notification

    young = newcomer(casnav, world.home)
    services.newcomer_share(user=casnav, newcomer=young, organisation=world.regional)
    services.answer_create(
        user=world.users["organisation_rep"], newcomer=young, company=world.company
    )
    with pytest.raises(PermissionDenied):
        services.newcomer_withdraw_consent(user=world.users["organisation_rep"], newcomer=young)
    services.newcomer_withdraw_consent(user=casnav, newcomer=young)
    young.refresh_from_db()
    assert young.purged_at is not None and young.first_name == "" and not young.cv
    assert Notification.objects.filter(key=f"training.newcomer:{young.pk}:withdrawn").exists()
    assert not selectors.newcomers_visible_to(user=world.users["organisation_rep"]).exists()
