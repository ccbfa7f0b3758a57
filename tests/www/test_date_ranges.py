"""An implausible date typed in a form (« 9999 », « 0218 ») comes back as the service's
French error next to the field, with what was typed; nothing is written."""

from datetime import date

import pytest

from relais.agreements.models import Agreement
from relais.core.validation import DATE_RANGE_MESSAGE
from relais.governance.models import Meeting
from relais.volunteers.models import AdvisorIntervention
from tests.agreements.factories import draft_agreement
from tests.governance import factories as gov
from tests.volunteers.factories import AdvisorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_client(world, client_for):
    return client_for(world.users["academie_team"])


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 400  # the form again, with its errors
    return list(response.context["form"].errors.get(field, []))


def test_convention_effective_date(world, team_client):
    draft = draft_agreement(world.users["academie_team"], world.home, title="Brouillon")
    data = {"title": "Brouillon", "effective_date": "9999-06-01", "notice_months": "0",
            "termination_months": "0"}  # fmt: skip
    response = team_client.post(f"/conventions/{draft.pk}/modifier/", data)
    assert field_errors(response, "effective_date") == [DATE_RANGE_MESSAGE]
    assert Agreement.objects.get(pk=draft.pk).effective_date is None


def test_meeting_date(world, team_client):
    body = gov.body(gov.agreement(world.home), name="Comité")
    data = {"starts_at_0": "9999-06-01", "starts_at_1": "14:00", "starts_at": "9999-06-01T14:00"}
    response = team_client.post(f"/instances/{body.pk}/reunions/nouvelle/", data)
    assert field_errors(response, "starts_at") == [DATE_RANGE_MESSAGE]
    assert not Meeting.objects.exists()


def test_intervention_date(world, team_client):
    advisor = AdvisorFactory(academie=world.home, active=True)
    data = {"domain": "parcours_avenir", "establishment": world.school.uai,
            "date": date(218, 1, 22).isoformat(), "hours": "2"}  # fmt: skip
    response = team_client.post(f"/benevoles/conseillers/{advisor.pk}/interventions/ajouter/", data)
    assert field_errors(response, "date") == [DATE_RANGE_MESSAGE]
    assert not AdvisorIntervention.objects.exists()
