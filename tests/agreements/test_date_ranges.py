"""Dates of conventions are plausible (01/01/1990 – 31/12/2100), checked by the services for
the pages and the API alike; a row written before the check, with a date out of that range,
still shows its pages (without computed dates) instead of a server error."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from relais.agreements import services
from relais.agreements.enums import AgreementState, SignatureMode
from relais.agreements.models import Agreement
from relais.core.validation import DATE_RANGE_MESSAGE
from tests.agreements.factories import draft_agreement, in_force_agreement
from tests.governance import factories as gov

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    return world.users["academie_team"]


def refused(field: str):
    """The French field error of an out-of-range date."""
    return pytest.raises(ValidationError, match=f"'{field}': \\['{DATE_RANGE_MESSAGE}'\\]")


@pytest.mark.parametrize("effective", [date(9999, 6, 1), date(218, 1, 22), date(1989, 12, 31)])
def test_effective_date_out_of_range_is_refused(world, team, effective):
    with refused("effective_date"):
        draft_agreement(team, world.home, fields={"effective_date": effective})
    draft = draft_agreement(team, world.home)
    with refused("effective_date"):
        services.agreement_update(user=team, agreement=draft, data={"effective_date": effective})
    draft.refresh_from_db()
    assert draft.effective_date is None
    services.agreement_update(
        user=team, agreement=draft, data={"effective_date": date(2100, 12, 31)}
    )


def test_signature_in_year_218_is_refused_and_nothing_is_written(world, team):
    draft = draft_agreement(team, world.home)
    services.agreement_send_for_signature(user=team, agreement=draft)
    signatory = draft.signatories.first()
    with refused("signed_on"):
        services.agreement_record_signature(
            user=team, signatory=signatory, signed_on=date(218, 1, 22), mode=SignatureMode.PAPER
        )
    signatory.refresh_from_db()
    assert signatory.signed_on is None
    assert not draft.journal.filter(transition="signature").exists()


def test_termination_notice_and_commitment_due_date_are_checked(world, team):
    agreement = in_force_agreement(team, world.home, signed_on=date(2024, 1, 15))
    with refused("notice_received_on"):
        services.agreement_terminate(
            user=team, agreement=agreement, notice_received_on=date(1066, 10, 14), reason="Fin"
        )
    draft = draft_agreement(team, world.home)
    party = draft.parties.first()
    with refused("due_date"):
        services.commitment_save(
            user=team,
            agreement=draft,
            data={"party": party, "description": "Stages", "due_date": date(9999, 12, 31)},
        )


def test_no_signature_while_the_effective_date_predating_the_check_is_wrong(world, team):
    draft = draft_agreement(team, world.home)
    with refused("effective_date"):  # sending for signature checks the clauses again
        Agreement.objects.filter(pk=draft.pk).update(effective_date=date(9999, 6, 1))
        services.agreement_send_for_signature(user=team, agreement=draft)
    Agreement.objects.filter(pk=draft.pk).update(effective_date=None)
    services.agreement_send_for_signature(user=team, agreement=draft)
    Agreement.objects.filter(pk=draft.pk).update(effective_date=date(9999, 6, 1))
    signatory = draft.signatories.first()
    with refused("effective_date"):
        services.agreement_record_signature(
            user=team, signatory=signatory, signed_on=date(2025, 1, 6), mode=SignatureMode.PAPER
        )
    draft.refresh_from_db()
    assert draft.state == AgreementState.IN_SIGNATURE and draft.start_date is None
    assert not draft.signatories.filter(signed_on__isnull=False).exists()


@pytest.fixture
def broken(world, team):
    """Rows written before the checks: a draft to take effect in 9999, a convention in force
    since 9999 and another signed in year 218 (through the ORM: the services refuse them)."""
    draft = draft_agreement(team, world.home, title="Brouillon 9999")
    Agreement.objects.filter(pk=draft.pk).update(effective_date=date(9999, 6, 1))
    in_force = gov.agreement(world.home, title="En vigueur 9999", start=date(9999, 6, 1))
    ancient = gov.agreement(world.home, title="Signée en 218", start=date(218, 1, 22))
    return draft, in_force, ancient


def test_pages_of_rows_with_out_of_range_dates_still_answer(world, team, client_for, broken):
    client = client_for(team)
    for agreement in broken:
        response = client.get(f"/conventions/{agreement.pk}/")
        assert response.status_code == 200, agreement.title
    assert client.get("/conventions/").status_code == 200
    assert client.get("/conventions/echeances/?days=365").status_code == 200


def test_api_of_rows_with_out_of_range_dates_still_answers(world, team, broken):
    from tests.api.conftest import token_client

    api = token_client(team)
    for agreement in broken:
        response = api.get(f"/api/v1/conventions/{agreement.pk}/")
        assert response.status_code == 200, response.content
    dates = api.get(f"/api/v1/conventions/{broken[1].pk}/").json()["dates"]
    assert dates["end_of_term"] is None and dates["notice_deadline"] is None
    assert dates["start_date"] == "9999-06-01"
    response = api.get(f"/api/v1/conventions/{broken[0].pk}/", {"on": "9999-12-31"})
    assert response.status_code == 400
    assert response.json() == {"on": [DATE_RANGE_MESSAGE]}
