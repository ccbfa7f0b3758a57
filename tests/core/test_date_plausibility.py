"""Every service that stores a date a person gives refuses one outside 01/01/1990 –
31/12/2100 with the same French error on the field (``relais.core.validation``), before
writing anything: conventions are in tests/agreements/test_date_ranges.py; here meetings,
actions of a meeting, mandates, club members, campus labels, interventions of the CEE,
requests to reservists, immersions, the catalogue of actions, internship periods, weeks of
an offer and the matching window."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from relais.actions import services as actions
from relais.core.validation import DATE_RANGE_MESSAGE, check_date_range, check_date_ranges
from relais.governance import services as governance
from relais.governance.models import Meeting
from relais.internships import services as internships
from relais.internships.models import InternshipPeriod
from relais.internships.services.matching import run_create
from relais.networks import services as networks
from relais.networks.models import Mandate
from relais.volunteers.services import advisors, immersions, reserve
from tests.actions.factories import OfferFactory
from tests.governance import factories as gov
from tests.internships.factories import HubFactory
from tests.internships.factories import OfferFactory as InternshipOfferFactory
from tests.networks.factories import CampusFactory, ClubFactory
from tests.volunteers.factories import AdvisorFactory, ReserveApplicationFactory

pytestmark = pytest.mark.django_db

FAR = date(9999, 6, 1)
ANCIENT = date(218, 1, 22)


def refused(field: str):
    return pytest.raises(ValidationError, match=f"'{field}': \\['{DATE_RANGE_MESSAGE}'\\]")


def test_the_rule_itself():
    check_date_range(None, "x")
    check_date_range(date(1990, 1, 1), "x")
    check_date_range(date(2100, 12, 31), "x")
    check_date_range(timezone.make_aware(datetime(2100, 12, 31, 23, 0)), "x")
    for day in (date(1989, 12, 31), date(2101, 1, 1), date.min, date.max):
        with refused("x"):
            check_date_range(day, "x")
    with pytest.raises(ValidationError) as error:
        check_date_ranges({"a": ANCIENT, "b": FAR, "c": date(2025, 1, 1)}, ["a", "b", "c"])
    assert error.value.message_dict == {"a": [DATE_RANGE_MESSAGE], "b": [DATE_RANGE_MESSAGE]}


def test_meetings_and_their_actions(world):
    team = world.users["academie_team"]
    body = gov.body(gov.agreement(world.home), name="Comité")
    with refused("starts_at"):
        governance.meeting_plan(user=team, body=body, starts_at=gov.at(FAR))
    assert not Meeting.objects.exists()
    meeting = governance.meeting_plan(user=team, body=body, starts_at=gov.at(date(2026, 3, 2)))
    with refused("starts_at"):
        governance.meeting_update(user=team, meeting=meeting, data={"starts_at": gov.at(ANCIENT)})
    with refused("due_date"):
        governance.action_item_add(
            user=team, meeting=meeting, description="Bilan", owner="Paul", due_date=FAR
        )
    assert not meeting.action_items.exists()


def test_mandates_members_and_campus(world):
    team = world.users["academie_team"]
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    nomination = {"user": team, "club": club, "role": "referent", "full_name": "Anne Dupont",
                  "email": "anne@ac-test.fr"}  # fmt: skip
    with refused("appointed_on"):
        networks.mandate_appoint(**nomination, school_year=2025, appointed_on=ANCIENT)
    with pytest.raises(ValidationError, match="school_year"):
        networks.mandate_appoint(**nomination, school_year=99999, appointed_on=date(2025, 6, 2))
    assert not Mandate.objects.exists()
    with refused("joined_on"):
        networks.club_member_add(user=team, club=club, full_name="Paul", joined_on=FAR)
    campus = CampusFactory(academie=world.home)
    with refused("label_starts_on"):
        networks.campus_label_renew(user=team, campus=campus, starts_on=FAR)
    with refused("label_starts_on"):
        networks.campus_save(user=team, campus=campus, data={"label_starts_on": ANCIENT})


def test_interventions_reservists_and_immersions(world):
    team = world.users["academie_team"]
    advisor = AdvisorFactory(academie=world.home, active=True)
    with refused("date"):
        advisors.intervention_record(
            user=team, advisor=advisor, domain="parcours_avenir", establishment=world.school,
            date=ANCIENT, hours=Decimal("2"),
        )  # fmt: skip
    reservist = ReserveApplicationFactory(academie=world.home, validated=True)
    with refused("wished_date"):
        reserve.request_send(
            user=world.users["teacher"], reservist=reservist, establishment=world.school,
            subject="Métier", message="Venez", skill="metier", wished_date=FAR,
        )  # fmt: skip
    with refused("start_date"):
        immersions.offer_create(
            user=team, organisation=world.company,
            data={"title": "Atelier", "start_date": FAR, "end_date": FAR, "capacity": 2},
        )  # fmt: skip


def test_catalogue_of_actions(world):
    team = world.users["academie_team"]
    offer = OfferFactory(academie=world.home, organisation=world.company)
    with refused("ends_on"):
        actions.offer_save(user=team, offer=offer, data={"ends_on": FAR})
    with refused("done_on"):
        actions.record_create(
            user=world.users["head_of_school"], establishment=world.school, kind="visite",
            title="Visite", done_on=ANCIENT, organisation=world.company, classes="3e A",
        )  # fmt: skip


def test_internship_periods_weeks_and_matching_window(world):
    school_user = world.users["head_of_school"]
    data = {"school_year": "2025-2026", "level": "3e", "start": FAR, "end": FAR,
            "duration_weeks": 1}  # fmt: skip
    with refused("start"):
        internships.period_create(user=school_user, establishment=world.school, data=data)
    bad_year = data | {"school_year": "0000-0001", "start": date(2026, 2, 2),
                       "end": date(2026, 2, 6)}  # fmt: skip
    with pytest.raises(ValidationError, match="school_year"):
        internships.period_create(user=school_user, establishment=world.school, data=bad_year)
    assert not InternshipPeriod.objects.exists()
    team = world.users["academie_team"]
    offer = InternshipOfferFactory(bassin=world.bassin, host=world.company)
    monday = date(9999, 12, 27)
    assert monday.weekday() == 0
    with refused("slots"):
        internships.offer_set_slots(user=team, offer=offer, slots={monday: 2})
    hub = HubFactory(bassin=world.bassin)
    with refused("window_end"):
        run_create(
            user=world.users["hub_member"], hub=hub, window_start=date(2026, 2, 2),
            window_end=date(2026, 2, 2) + timedelta(days=10**6),
        )  # fmt: skip
