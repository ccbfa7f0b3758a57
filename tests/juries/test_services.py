"""Juries: naming, seats, convocations in the outbox, presence, withdrawal, and the count
against the conventions' « jurys » commitments."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relais.agreements.enums import CommitmentCategory, PartySide
from relais.agreements.models import Commitment, Party
from relais.core.models import Notification
from relais.core.school_years import school_year_of
from relais.juries import selectors, services
from relais.juries.enums import JurorState
from relais.pupils.years import roster_year_of
from relais.reporting import partners
from relais.users.enums import Role
from relais.users.models import Membership
from tests.factories import OrganisationFactory
from tests.volunteers.factories import AdvisorFactory, cee_agreement

from .factories import JurorFactory, SessionFactory


def _name(user, session, organisation, **data):
    data = {"full_name": "Léa Fournier", "email": "lea@fournil.example", **data}
    return services.juror_name(user=user, session=session, organisation=organisation, data=data)


def test_an_organisation_names_then_the_team_convokes_and_records_presence(world):
    users = world.users
    session = SessionFactory(academie=world.home, establishment=world.school, seats=2)
    juror = _name(users["organisation_rep"], session, world.company)
    assert juror.state == JurorState.NAMED
    assert [line.transition for line in juror.journal.all()] == ["creation"]

    services.session_convoke_all(user=users["academie_team"], session=session)
    juror.refresh_from_db()
    assert juror.state == JurorState.CONVOKED and juror.convoked_at is not None
    mail = Notification.objects.get(key=f"juries.juror:{juror.pk}:convocation")
    assert "lea@fournil.example" in mail.recipients
    assert "CAP Boulanger" in mail.body and "08:30" in mail.body and "l'atelier" not in mail.body

    with pytest.raises(ValidationError, match="la présence se constate"):
        services.juror_record(user=users["academie_team"], juror=juror, attended=True)
    with time_machine.travel(session.date + timedelta(days=1)):
        juror = services.juror_record(user=users["academie_team"], juror=juror, attended=True)
    assert juror.state == JurorState.ATTENDED
    assert [line.transition for line in juror.journal.all()] == [
        "creation", "convoquer", "constater_presence",
    ]  # fmt: skip


def test_seats_once_per_person_and_not_after_the_day(world):
    rep = world.users["organisation_rep"]
    session = SessionFactory(academie=world.home, seats=1)
    _name(rep, session, world.company)
    with pytest.raises(ValidationError, match="places de cette session sont pourvues"):
        _name(rep, session, world.company, email="autre@fournil.example")
    roomy = SessionFactory(academie=world.home, seats=5)
    _name(rep, roomy, world.company)
    with pytest.raises(ValidationError, match="déjà désignée"):
        _name(rep, roomy, world.company, email="LEA@fournil.example")
    past = SessionFactory(academie=world.home, date=timezone.localdate())
    with pytest.raises(ValidationError, match="a commencé"):
        _name(rep, past, world.company)


def test_who_names_and_who_convokes(world):
    users = world.users
    session = SessionFactory(academie=world.home)
    elsewhere = SessionFactory(academie=world.other)
    with pytest.raises(PermissionDenied):
        _name(users["teacher"], session, world.company)
    with pytest.raises(PermissionDenied):  # the company's territory is the académie « home »
        _name(users["organisation_rep"], elsewhere, world.company)
    juror = _name(users["organisation_rep"], session, world.company)
    with pytest.raises(PermissionDenied, match="Seule l'équipe académique"):
        services.juror_convoke(user=users["organisation_rep"], juror=juror)
    withdrawn = services.juror_withdraw(user=users["organisation_rep"], juror=juror)
    assert withdrawn.state == JurorState.WITHDRAWN
    # the seat is free again, and the same person may be named again
    assert _name(users["organisation_rep"], session, world.company).state == JurorState.NAMED


def test_a_cee_is_named_from_their_designation(world):
    federation = OrganisationFactory(professional=True, academie=world.home)
    Membership.objects.create(
        user=world.users["organisation_rep"], role=Role.ORGANISATION_REP, organisation=federation
    )
    advisor = AdvisorFactory(academie=world.home, organisation=federation, active=True)
    other = AdvisorFactory(academie=world.home, active=True)
    session = SessionFactory(academie=world.home)
    juror = services.juror_name(
        user=world.users["organisation_rep"], session=session, organisation=federation,
        advisor=advisor, data={},
    )  # fmt: skip
    assert (juror.full_name, juror.email, juror.advisor) == (
        advisor.full_name, advisor.email, advisor,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="pas été proposé par cette organisation"):
        services.juror_name(
            user=world.users["academie_team"], session=session, organisation=federation,
            advisor=other, data={},
        )  # fmt: skip


def test_a_session_is_opened_by_the_team_in_the_future(world):
    data = {"diploma": "Bac pro MELEC", "date": timezone.localdate() + timedelta(days=10),
            "starts_at": "09:00", "place": "Lycée Dolet", "seats": 2}  # fmt: skip
    session = services.session_create(
        user=world.users["academie_team"], academie=world.home, establishment=world.school,
        data=data,
    )  # fmt: skip
    assert session.pk and session.academie == world.home
    with pytest.raises(PermissionDenied):
        services.session_create(user=world.users["academie_team"], academie=world.other, data=data)
    with pytest.raises(ValidationError, match="date passée"):
        services.session_create(
            user=world.users["academie_team"], academie=world.home,
            data={**data, "date": date(2020, 1, 6)},
        )  # fmt: skip
    with pytest.raises(ValidationError, match="relever de l'académie"):
        services.session_create(
            user=world.users["academie_team"], academie=world.home,
            establishment=world.school_other, data=data,
        )  # fmt: skip


def test_jurors_who_sat_count_against_the_jurys_commitment(world):
    federation = OrganisationFactory(professional=True, academie=world.home, name="CPME Maison")
    member = OrganisationFactory(academie=world.home, parent=federation)
    agreement = cee_agreement(world.home, federation)
    party = Party.objects.get(agreement=agreement, organisation=federation)
    assert party.side == PartySide.ECONOMIC
    Commitment.objects.create(
        agreement=agreement, party=party, category=CommitmentCategory.JURIES, quantity=3,
        description="Désigner des professionnels pour les jurys d'examen",
    )  # fmt: skip
    today = timezone.localdate()
    past = SessionFactory(academie=world.home, date=today - timedelta(days=3))
    JurorFactory(session=past, organisation=member, state=JurorState.ATTENDED,
                 convoked_at=timezone.now())  # fmt: skip
    JurorFactory(session=past, organisation=federation, state=JurorState.ABSENT,
                 convoked_at=timezone.now())  # fmt: skip
    JurorFactory(
        session=past,
        organisation=world.company,
        state=JurorState.ATTENDED,
        convoked_at=timezone.now(),
    )  # fmt: skip  (not in the network)
    report = selectors.commitment_report(
        user=world.users["academie_team"], school_year=school_year_of(past.date)
    )
    line = next(row for row in report if row["agreement"] == agreement)
    assert (line["committed"], line["named"], line["attended"], line["missing"]) == (3, 2, 1, 2)


def test_the_national_partner_page_counts_its_network_s_jurors(world):
    federation = OrganisationFactory(professional=True, academie=world.home)
    agreement = cee_agreement(world.home, federation)
    Commitment.objects.create(
        agreement=agreement, category=CommitmentCategory.JURIES, quantity=4,
        party=Party.objects.get(agreement=agreement, organisation=federation),
        description="Jurys d'examen",
    )  # fmt: skip
    past = SessionFactory(academie=world.home, date=timezone.localdate() - timedelta(days=2))
    JurorFactory(session=past, organisation=federation, state=JurorState.ATTENDED,
                 convoked_at=timezone.now())  # fmt: skip
    year = roster_year_of(past.date)
    line = next(row for row in partners.commitments(agreement, year=year)
                if row.category == CommitmentCategory.JURIES)  # fmt: skip
    assert (line.planned, line.achieved) == (4, 1)
