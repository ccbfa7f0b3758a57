"""Every way a convention ends (issue 13): non-renewal, termination with notice, termination
for breach, mutual agreement, a party's withdrawal, expiry. Each is a transition of the
workflow with its date rule, its journal line and its notice letter; the state shown is
computed on read (``states.state_on``)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from relais.agreements import services
from relais.agreements.alerts import run_daily, send_alerts
from relais.agreements.consolidation import consolidate, key_dates
from relais.agreements.enums import AgreementState, Ending, Transition
from relais.agreements.letters import notice_letter_pdf
from relais.agreements.states import state_on
from relais.core.models import Notification
from relais.documents.rendering import pdf_text
from tests.agreements.factories import in_force_agreement

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 5)
LILLE = {
    "duration_months": 60,
    "duration_unit": "ans",
    "tacit_renewal": True,
    "notice_months": 3,
    "termination_months": 3,
    "breach_months": 2,
    "breach_from_sending": True,
}
CPME = {"duration_months": 36, "tacit_renewal": False, "notice_months": 3, "termination_months": 3}


@pytest.fixture
def team(world):
    return world.users["academie_team"]


def flat(text: str) -> str:
    return " ".join(text.split())


def lille(team, world, *, partners=1, signed_on=date(2021, 3, 31)):
    return in_force_agreement(
        team, world.home, fields=LILLE, partners=partners, signed_on=signed_on
    )


def last_entry(agreement):
    return agreement.journal.order_by("-at", "-pk").first()


def test_non_renewal_in_time_ends_at_the_end_of_the_current_period(world, team):
    agreement = lille(team, world)
    # Period 0: 31/03/2021 – 30/03/2026; deadline: 30/12/2025.
    assert key_dates(agreement, on=date(2025, 6, 1)).notice_deadline == date(2025, 12, 30)
    partner = agreement.parties.get(name="Partenaire 1")
    agreement = services.agreement_end(
        user=team, agreement=agreement, step=Transition.NON_RENEWAL, on=date(2025, 12, 15),
        reason="Réorganisation du réseau", party=partner, today=TODAY,
    )  # fmt: skip
    assert agreement.state == AgreementState.TERMINATED
    assert agreement.ending == Ending.NON_RENEWAL
    assert agreement.terminated_on == date(2026, 3, 30)
    entry = last_entry(agreement)
    assert entry.transition == "non_reconduction" and entry.note == "Réorganisation du réseau"
    assert entry.data["last_day"] == "2026-03-30" and entry.data["in_time"] is True
    # The state on read, whatever day is asked.
    assert state_on(agreement, on=date(2025, 12, 1)).label == "En vigueur"
    assert state_on(agreement, on=date(2026, 1, 10)).text == "En préavis (fin le 30/03/2026)"
    assert state_on(agreement, on=TODAY).text == "Terminée (non reconduite, fin le 30/03/2026)"
    # One ending at a time.
    with pytest.raises(ValidationError, match="dans l.état « Fin notifiée »"):
        services.agreement_end(
            user=team, agreement=agreement, step=Transition.TERMINATE, on=date(2026, 1, 2),
            reason="Encore", today=TODAY,
        )  # fmt: skip
    letter = flat(pdf_text(notice_letter_pdf(agreement, entry).content))
    assert "Notification de non-reconduction" in letter
    assert "Partenaire 1 vous notifie sa décision de ne pas reconduire" in letter
    assert "préavis de trois mois" in letter
    assert "prendra fin au terme de la période en cours, le 30/03/2026" in letter
    assert "Lettre recommandée avec accusé de réception" in letter


def test_a_late_non_renewal_lets_the_tacit_renewal_happen(world, team):
    agreement = lille(team, world)
    agreement = services.agreement_end(
        user=team, agreement=agreement, step=Transition.NON_RENEWAL, on=date(2026, 1, 5),
        reason="Trop tard", today=TODAY,
    )  # fmt: skip
    assert agreement.terminated_on == date(2031, 3, 30)
    assert last_entry(agreement).data["in_time"] is False
    assert state_on(agreement, on=TODAY).code == "en_preavis"


def test_cpme_non_renewal_notice_deadline_and_alerts(world, team):
    """CPME Île-de-France: three years, no tacit renewal, « ne pas reconduire … sous réserve
    d'un préavis de trois mois »: a notice deadline and its alerts like a renewing one."""
    agreement = in_force_agreement(team, world.home, fields=CPME, signed_on=date(2024, 5, 22))
    dates = key_dates(agreement, on=date(2026, 1, 1))
    assert dates.next_renewal is None
    assert dates.end_of_term == date(2027, 5, 21)
    assert dates.notice_deadline == date(2027, 2, 21)
    assert send_alerts(today=date(2026, 11, 23)) == 1  # 90 days before 21/02/2027
    mail = Notification.objects.get(key__contains=f"convention:{agreement.pk}:preavis")
    assert "non-reconduction" in mail.subject
    agreement = services.agreement_end(
        user=team, agreement=agreement, step=Transition.NON_RENEWAL, on=date(2026, 11, 30),
        reason="Nouvelle convention régionale", today=TODAY,
    )  # fmt: skip
    assert agreement.terminated_on == date(2027, 5, 21)
    assert key_dates(agreement, on=TODAY).notice_deadline is None  # notified: no more alert


def test_non_renewal_needs_a_renewal_or_a_notice_clause(world, team):
    agreement = in_force_agreement(
        team, world.home, fields={"duration_months": 36, "notice_months": 0}
    )
    with pytest.raises(ValidationError, match="prend fin à son terme, sans préavis"):
        services.agreement_end(
            user=team, agreement=agreement, step=Transition.NON_RENEWAL, on=date(2025, 1, 2),
            reason="Rien", today=TODAY,
        )  # fmt: skip


def test_termination_with_notice_counted_from_the_receipt(world, team):
    agreement = lille(team, world)
    agreement = services.agreement_terminate(
        user=team, agreement=agreement, notice_received_on=date(2026, 10, 31),
        reason="Fin du partenariat", today=TODAY,
    )  # fmt: skip
    assert agreement.ending == Ending.TERMINATION
    assert agreement.terminated_on == date(2027, 1, 31)  # + 3 months
    assert state_on(agreement, on=TODAY).text == "En préavis (fin le 31/01/2027)"
    entry = last_entry(agreement)
    assert entry.data["counted_from"] == "réception"
    letter = flat(pdf_text(notice_letter_pdf(agreement, entry).content))
    assert "délai de trois mois à compter de la réception" in letter
    assert "jusqu'au 31/01/2027 inclus" in letter
    with pytest.raises(ValidationError) as error:
        services.agreement_terminate(
            user=team, agreement=lille(team, world), notice_received_on=date(2030, 1, 1),
            reason="Futur", today=TODAY,
        )  # fmt: skip
    assert "futur" in str(error.value)


def test_termination_for_breach_counts_from_the_sending_of_the_formal_notice(world, team):
    """Lille: « résiliée de plein droit … à l'expiration d'un délai de deux mois suivant
    l'envoi d'une lettre recommandée avec accusé de réception valant mise en demeure »."""
    agreement = lille(team, world)
    rectorat = agreement.parties.get(name__startswith="Académie")
    agreement = services.agreement_end(
        user=team, agreement=agreement, step=Transition.BREACH, on=date(2026, 11, 30),
        reason="Engagements de stages non tenus", party=rectorat, today=TODAY,
    )  # fmt: skip
    assert (agreement.ending, agreement.terminated_on) == (Ending.BREACH, date(2027, 1, 30))
    entry = last_entry(agreement)
    assert entry.data["counted_from"] == "envoi" and entry.data["delay_months"] == 2
    letter = flat(pdf_text(notice_letter_pdf(agreement, entry).content))
    assert "vous met en demeure" in letter
    assert "délai de deux mois suivant l'envoi de la présente lettre" in letter
    assert "soit le 30/01/2027" in letter


def test_mutual_agreement_ends_on_the_agreed_day(world, team):
    agreement = lille(team, world, partners=2)
    with pytest.raises(ValidationError, match="ne peut pas précéder"):
        services.agreement_end(
            user=team, agreement=agreement, step=Transition.MUTUAL, on=date(2026, 11, 2),
            ends_on=date(2026, 11, 1), reason="Accord", today=TODAY,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="expire de toute façon"):
        services.agreement_end(
            user=team, agreement=in_force_agreement(team, world.home, fields=CPME),
            step=Transition.MUTUAL, on=date(2025, 1, 2), ends_on=date(2028, 1, 1),
            reason="Accord", today=TODAY,
        )  # fmt: skip
    agreement = services.agreement_end(
        user=team, agreement=agreement, step=Transition.MUTUAL, on=date(2026, 11, 2),
        ends_on=date(2026, 12, 31), reason="Fusion des clubs", today=TODAY,
    )  # fmt: skip
    assert (agreement.ending, agreement.terminated_on) == (Ending.MUTUAL, date(2026, 12, 31))
    letter = flat(pdf_text(notice_letter_pdf(agreement, last_entry(agreement)).content))
    assert "d'un commun accord" in letter and "31/12/2026 au soir" in letter
    assert "Pour Partenaire 1" in letter and "Pour Partenaire 2" in letter


def test_a_party_withdraws_and_the_others_continue(world, team):
    agreement = lille(team, world, partners=2)
    leaving = agreement.parties.get(name="Partenaire 2")
    agreement = services.party_withdraw(
        user=team, agreement=agreement, party=leaving, on=date(2026, 9, 1),
        reason="Cessation d'activité", today=TODAY,
    )  # fmt: skip
    assert agreement.state == AgreementState.IN_FORCE
    leaving.refresh_from_db()
    assert (leaving.withdrawal_notice_on, leaving.withdrawn_on) == (
        date(2026, 9, 1),
        date(2026, 12, 1),
    )
    names = [p.name for p in consolidate(agreement, on=date(2026, 12, 1)).parties]
    assert "Partenaire 2" in names
    after = consolidate(agreement, on=date(2026, 12, 2))
    assert "Partenaire 2" not in [p.name for p in after.parties]
    assert all(s.party.name != "Partenaire 2" for s in after.signatories)
    assert [p.name for p in after.withdrawn] == ["Partenaire 2"]
    assert state_on(agreement, on=TODAY).label == "En vigueur"
    entry = last_entry(agreement)
    assert entry.transition == "retrait" and entry.to_state == AgreementState.IN_FORCE
    letter = flat(pdf_text(notice_letter_pdf(agreement, entry).content))
    assert "Partenaire 2 vous notifie son retrait" in letter
    assert "la convention se poursuit entre les autres parties" in letter
    # Two parties left: a withdrawal would leave one; it is a termination then.
    partner = agreement.parties.get(name="Partenaire 1")
    with pytest.raises(ValidationError, match="au moins deux parties"):
        services.party_withdraw(
            user=team, agreement=agreement, party=partner, on=date(2026, 12, 3),
            reason="Aussi", today=TODAY,
        )  # fmt: skip


def test_expiry_is_shown_before_the_nightly_job_runs(world, team):
    """Issue 13: a convention entered with past dates was « En vigueur » until the job."""
    agreement = in_force_agreement(team, world.home, fields=CPME, signed_on=date(2018, 2, 5))
    assert agreement.state == AgreementState.IN_FORCE  # stored: the job has not run
    assert state_on(agreement, on=TODAY).text == "Expirée (le 04/02/2021)"
    assert state_on(agreement, on=date(2020, 1, 1)).label == "En vigueur"
    assert state_on(agreement, on=date(2018, 1, 1)).label == "Pas encore signée"
    run_daily(today=TODAY)
    agreement.refresh_from_db()
    assert (agreement.state, agreement.ending) == (AgreementState.EXPIRED, Ending.EXPIRY)
    assert state_on(agreement, on=TODAY).text == "Expirée (le 04/02/2021)"


def test_signed_but_not_yet_in_force(world, team):
    agreement = in_force_agreement(
        team, world.home, fields={"effective_date": date(2027, 1, 1)}, signed_on=date(2026, 11, 2)
    )
    assert agreement.state == AgreementState.IN_FORCE
    assert state_on(agreement, on=TODAY).text == (
        "Signée, pas encore en vigueur (en vigueur le 01/01/2027)"
    )
    assert state_on(agreement, on=date(2027, 1, 1)).label == "En vigueur"


def test_clause_errors_cite_no_placeholder_date(world, team):
    """Issue 13: the check ran on 01/01/2000 and said « du 01/01/2000 au 29/02/2000 »."""
    from tests.agreements.factories import draft_agreement

    agreement = draft_agreement(team, world.home)
    with pytest.raises(ValidationError) as error:
        services.agreement_update(
            user=team,
            agreement=agreement,
            data={"duration_months": 2, "tacit_renewal": True, "notice_months": 6},
        )
    message = " ".join(error.value.messages)
    assert "plus long que la période initiale (deux mois)" in message
    assert "2000" not in message
