"""Bilans computed, not typed (issue 11, item 4): the bilan of a convention for 2025-2026 is
pre-filled from Relais's data, each figure linked to its evidence; validated, it is frozen,
sent to the parties with its PDF, and shows the same figures as the commitments page."""

import datetime

import pytest
from django.core import mail

from relais.governance import services
from relais.governance.models import AnnualReport
from relais.reporting import bilans
from tests.actions.factories import ActionRecordFactory
from tests.mail import deliver_outbox
from tests.volunteers.factories import AdvisorFactory, InterventionFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def bilan(reporting_data):
    w = reporting_data
    admin = w.users["national_admin"]
    for _ in range(3):  # 3 conseillers in mission from the partner's network (20 planned)
        AdvisorFactory(active=True, academie=w.home, organisation=w.branch)
    advisor = AdvisorFactory(active=True, academie=w.home, organisation=w.branch)
    InterventionFactory(advisor=advisor, establishment=w.school, date=datetime.date(2025, 10, 2))
    InterventionFactory(advisor=advisor, establishment=w.school, date=datetime.date(2025, 6, 2))
    ActionRecordFactory(establishment=w.school, organisation=w.branch,
                        done_on=datetime.date(2025, 12, 4), title="Visite de l'usine")  # fmt: skip
    report = services.report_create(user=admin, agreement=w.national_agreement, school_year=YEAR)
    services.report_update(
        user=admin, report=report,
        data={"summary": "Visites et conseillers.", "action_plan": "Plus de stages."},
    )  # fmt: skip
    w.report = report
    return w


def _figures(report) -> dict:
    return {f.key: f for f in bilans.figures_of(report)[0]}


def test_the_draft_is_prefilled_from_relais_with_its_evidence(bilan, client_for):
    figures = _figures(bilan.report)
    cee = figures["engagement-cee"]
    assert (cee.planned, cee.achieved) == (20, 4)
    assert figures["engagement-decouverte"].achieved == 1
    assert figures["interventions"].achieved == 1  # the one of June 2025 is of 2024-2025
    assert figures["actions"].achieved == 1 and figures["reunions"].achieved == 0
    client = client_for(bilan.users["national_admin"])
    page = client.get(f"/instances/bilans/{bilan.report.pk}/").content.decode()
    assert "Calculés depuis ce que Relais enregistre, à la date d'aujourd'hui" in page
    evidence = f"/instances/bilans/{bilan.report.pk}/preuves/actions/"
    assert evidence in page
    listed = client.get(evidence)
    assert listed.status_code == 200 and "Visite de l&#x27;usine" in listed.content.decode()
    assert client.get(f"/instances/bilans/{bilan.report.pk}/preuves/inconnu/").status_code == 404


def test_a_validated_bilan_is_frozen_sent_to_the_parties_and_agrees_with_the_commitments_page(
    bilan, client_for, django_capture_on_commit_callbacks
):
    admin = client_for(bilan.users["national_admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(f"/instances/bilans/{bilan.report.pk}/valider/")
    assert response.status_code == 302
    report = AnnualReport.objects.get(pk=bilan.report.pk)
    assert report.is_final and report.computed
    # The commitments page of the same year shows the same figures.
    page = admin.get(f"/pilotage/partenaires/{bilan.national_agreement.pk}/", {"annee": YEAR})
    frozen = _figures(report)
    lines = page.context["commitments"]
    assert lines
    for line in lines:
        figure = frozen[f"engagement-{line.category}"]
        assert (figure.planned, figure.achieved) == (line.planned, line.achieved), line.label
    # Sent once to the parties' signatories, with the PDF.
    deliver_outbox()
    (message,) = mail.outbox
    assert message.to == ["jeanne.signataire@medef.example"]
    assert "Bilan 2025-2026" in message.subject
    assert "Mobiliser des conseillers entreprises pour l'école : 4 sur 20 prévus" in message.body
    assert message.attachments[0][1].startswith(b"%PDF")
    # Frozen: an action recorded afterwards for that year does not change the bilan.
    ActionRecordFactory(establishment=bilan.school, organisation=bilan.branch,
                        done_on=datetime.date(2026, 1, 8))  # fmt: skip
    assert _figures(report)["actions"].achieved == 1
    assert bilans.compute(bilan.national_agreement, YEAR)[-3].achieved == 2
    shown = admin.get(f"/instances/bilans/{report.pk}/").content.decode()
    assert "figés à la validation du bilan" in shown


def test_only_the_team_validates_and_nothing_is_sent_on_a_refusal(bilan, client_for):
    teacher = client_for(bilan.users["teacher"])
    assert teacher.post(f"/instances/bilans/{bilan.report.pk}/valider/").status_code in (403, 404)
    bilan.report.refresh_from_db()
    assert bilan.report.is_draft and not bilan.report.computed
    deliver_outbox()
    assert mail.outbox == []
