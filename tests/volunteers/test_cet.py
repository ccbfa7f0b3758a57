"""Conseillers de l'enseignement technologique (issue 15, item 3, Mesure 8): renewal of the
mandate, seats, the alert list of mandates to renew, and the parcours Avenir reach of their
interventions in collèges."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relais.pathways.enums import Source
from relais.pathways.services.experiences import ExperienceData, experience_record
from relais.volunteers.enums import AdvisorKind, SeatKind
from relais.volunteers.selectors import parcours_reach, renewals_due
from relais.volunteers.services import cet
from tests.networks.factories import CampusFactory, ClubFactory
from tests.pupils.factories import PupilFactory

from .factories import AdvisorFactory, InterventionFactory


@pytest.fixture
def cet_advisor(world):
    return AdvisorFactory(
        kind=AdvisorKind.CET, academie=world.home, active=True, specialty="Boulangerie"
    )


def test_the_team_renews_a_mandate_to_a_later_end(world, cet_advisor):
    team = world.users["academie_team"]
    former = cet_advisor.mandate_end
    renewed = cet.advisor_renew(
        user=team, advisor=cet_advisor, mandate_end=former + timedelta(days=365)
    )
    assert renewed.mandate_end == former + timedelta(days=365)
    line = renewed.journal.last()
    assert (line.transition, line.data["former_end"]) == ("renouveler", former.isoformat())
    with pytest.raises(ValidationError, match="prolonge le mandat"):
        cet.advisor_renew(user=team, advisor=renewed, mandate_end=former)
    with pytest.raises(PermissionDenied):
        cet.advisor_renew(user=world.users["organisation_rep"], advisor=renewed, mandate_end=former)


def test_a_cee_mandate_is_not_renewed_beyond_its_convention(world):
    advisor = AdvisorFactory(academie=world.home, active=True)
    end = advisor.agreement.current_end
    with pytest.raises(ValidationError, match="dépasser la fin de la convention"):
        cet.advisor_renew(
            user=world.users["academie_team"], advisor=advisor,
            mandate_end=end + timedelta(days=10),
        )  # fmt: skip


def test_mandates_to_renew_are_listed_for_the_team_of_the_academie(world, cet_advisor):
    today = timezone.localdate()
    soon = AdvisorFactory(kind=AdvisorKind.CET, academie=world.home, active=True,
                          mandate_end=today + timedelta(days=20))  # fmt: skip
    AdvisorFactory(kind=AdvisorKind.CET, academie=world.other, active=True,
                   mandate_end=today + timedelta(days=20))  # fmt: skip
    listed = list(renewals_due(user=world.users["academie_team"], on=today, within_days=60))
    assert listed == [soon]
    assert list(renewals_due(user=world.users["teacher"], on=today, within_days=60)) == []


def test_seats_in_clee_campus_pole_and_cpc(world, cet_advisor):
    team = world.users["academie_team"]
    start = cet_advisor.mandate_start
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    campus = CampusFactory(academie=world.home)
    seats = [
        cet.seat_add(user=team, advisor=cet_advisor, kind=SeatKind.CLEE, club=club,
                     started_on=start),
        cet.seat_add(user=team, advisor=cet_advisor, kind=SeatKind.CAMPUS, campus=campus,
                     started_on=start),
        cet.seat_add(user=team, advisor=cet_advisor, kind=SeatKind.POLE, bassin=world.bassin2,
                     started_on=start),
        cet.seat_add(user=team, advisor=cet_advisor, kind=SeatKind.CPC,
                     commission="CPC Alimentation", started_on=start),
    ]  # fmt: skip
    assert [seat.body_label for seat in seats][-1] == "CPC Alimentation"
    assert "Pôle de stages" in seats[2].body_label
    with pytest.raises(ValidationError, match="relever de l'académie"):
        cet.seat_add(user=team, advisor=cet_advisor, kind=SeatKind.CLEE,
                     club=ClubFactory(academie=world.other), started_on=start)  # fmt: skip
    with pytest.raises(ValidationError):
        cet.seat_add(user=team, advisor=cet_advisor, kind=SeatKind.CPC, started_on=start)
    ended = cet.seat_end(user=team, seat=seats[0])
    assert ended.ended_on == timezone.localdate()
    with pytest.raises(ValidationError, match="déjà pris fin"):
        cet.seat_end(user=team, seat=ended)
    with pytest.raises(PermissionDenied):
        cet.seat_end(user=world.users["organisation_rep"], seat=seats[1])


def test_interventions_in_colleges_count_in_the_parcours_with_small_counts_hidden(
    world, cet_advisor
):
    intervention = InterventionFactory(advisor=cet_advisor, establishment=world.school)
    pupils = PupilFactory.create_batch(12, establishment=world.school)
    data = ExperienceData(kind="intervention_cee", date=intervention.date, title="Le fournil")
    experience_record(
        user=world.users["teacher"], establishment=world.school, data=data,
        pupil_ids=[p.pk for p in pupils[:5]], source=Source.ADVISOR,
        source_ref=f"volunteers.intervention:{intervention.pk}",
    )  # fmt: skip
    reach = parcours_reach(cet_advisor)
    assert (reach["college_interventions"], reach["colleges"], reach["pupils"]) == (1, 1, None)
    second = InterventionFactory(advisor=cet_advisor, establishment=world.school)
    experience_record(
        user=world.users["teacher"], establishment=world.school, data=data,
        pupil_ids=[p.pk for p in pupils], source=Source.ADVISOR,
        source_ref=f"volunteers.intervention:{second.pk}",
    )  # fmt: skip
    assert parcours_reach(cet_advisor)["pupils"] == 12
