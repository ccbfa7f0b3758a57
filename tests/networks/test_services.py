"""Services of the networks area: clubs, members, mandates, annuaire, campus."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relais.core.school_years import school_year_of
from relais.establishments.enums import EstablishmentKind
from relais.governance.enums import BodyKind, MeetingState, MemberRole
from relais.governance.models import Body, Meeting
from relais.networks import services
from relais.networks.enums import ByRight, MandateRole
from relais.networks.models import ClubMember, DirectoryPublication, Mandate
from tests.factories import BassinFactory, EstablishmentFactory
from tests.mail import deliver_outbox

from .factories import CampusFactory, ClubFactory, MandateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def club(world):
    return services.club_create(user=world.users["academie_team"], bassin=world.bassin)


def test_club_create_gives_charter_steering_committee_and_cio_seat(world):
    cio = EstablishmentFactory(
        academie=world.home, bassin=world.bassin, kind=EstablishmentKind.GUIDANCE, name="CIO Un"
    )
    club = services.club_create(user=world.users["academie_team"], bassin=world.bassin)
    assert club.academie == world.home
    assert club.name == "Club école-entreprise du Bassin Un"
    assert "Connecter l'école et l'entreprise de façon concrète" in club.charter
    body = Body.objects.get(club=club)
    assert body.kind == BodyKind.CLUB_STEERING and body.academie == world.home
    assert body.min_meetings_per_year == 2
    assert "Il se réunit au moins deux fois par an" in body.rule_text
    seat = ClubMember.objects.get(club=club, by_right=ByRight.CIO_DIRECTOR)
    assert seat.establishment == cio


def test_one_club_per_bassin(world, club):
    with pytest.raises(ValidationError) as error:
        services.club_create(user=world.users["academie_team"], bassin=world.bassin)
    assert "déjà son club" in str(error.value)


@pytest.mark.parametrize("role", ["bassin_referent", "hub_member", "teacher", "organisation_rep"])
def test_only_the_academie_team_creates_clubs(world, role):
    with pytest.raises(PermissionDenied):
        services.club_create(user=world.users[role], bassin=world.bassin)


def test_academie_team_cannot_create_in_another_academie(world):
    with pytest.raises(PermissionDenied):
        services.club_create(
            user=world.users["academie_team"], bassin=BassinFactory(academie=world.other)
        )


def test_bassin_referent_edits_their_club_not_another(world, club):
    services.club_update(
        user=world.users["bassin_referent"], club=club, data={"contact_email": "c@ex.fr"}
    )
    other = services.club_create(user=world.users["academie_team"], bassin=world.bassin2)
    with pytest.raises(PermissionDenied):
        services.club_update(user=world.users["bassin_referent"], club=other, data={})
    with pytest.raises(PermissionDenied):
        services.club_update(user=world.users["hub_member"], club=club, data={})


def test_emptied_charter_falls_back_to_lille(world, club):
    club = services.club_update(user=world.users["academie_team"], club=club, data={"charter": ""})
    assert club.charter == services.LILLE_CHARTER


def test_members_school_company_person(world, club):
    user = world.users["bassin_referent"]
    services.club_member_add(user=user, club=club, establishment=world.school)
    services.club_member_add(user=user, club=club, organisation=world.company)
    services.club_member_add(user=user, club=club, full_name="Marie Curie", function="Parent")
    with pytest.raises(ValidationError, match="déjà membre"):
        services.club_member_add(user=user, club=club, establishment=world.school)
    with pytest.raises(ValidationError, match="déjà membre"):
        services.club_member_add(user=user, club=club, organisation=world.company)
    with pytest.raises(ValidationError, match="Indiquez"):
        services.club_member_add(user=user, club=club)
    with pytest.raises(ValidationError, match="académie du club"):
        services.club_member_add(user=user, club=club, establishment=world.school_other)
    assert club.members.filter(left_on__isnull=True).count() == 3


def test_member_by_right_is_replaced_not_removed(world, club):
    user = world.users["academie_team"]
    first = services.club_member_add(
        user=user, club=club, full_name="Karim B.", by_right=ByRight.POLE_ANIMATOR
    )
    with pytest.raises(ValidationError, match="membre de droit"):
        services.club_member_remove(user=user, member=first)
    second = services.club_member_add(
        user=user, club=club, full_name="Léa C.", by_right=ByRight.POLE_ANIMATOR
    )
    first.refresh_from_db()
    assert first.left_on is not None and second.left_on is None
    ordinary = services.club_member_add(user=user, club=club, full_name="Jean D.")
    services.club_member_remove(user=user, member=ordinary)
    ordinary.refresh_from_db()
    assert ordinary.left_on == timezone.localdate()


def _appoint_pilote(world, club, year, email="pilote@exemple.fr", **kwargs):
    return services.mandate_appoint(
        user=world.users["academie_team"],
        club=club,
        role=MandateRole.PILOTE,
        school_year=year,
        full_name="Paul Pilote",
        email=email,
        appointed_on=date(year, 6, 20),
        appointing_organisations=[world.regional, world.national],
        organisation=world.company,
        **kwargs,
    )


def test_pilote_five_years_then_refused(world, club):
    for year in range(2020, 2025):
        _appoint_pilote(world, club, year)
    with pytest.raises(ValidationError) as error:
        _appoint_pilote(world, club, 2025, email="PILOTE@exemple.fr")
    assert "dans la limite de 5 ans" in error.value.messages[0]
    # Another person may be named; the same one after a year off.
    _appoint_pilote(world, club, 2025, email="autre@exemple.fr")
    assert Mandate.objects.filter(club=club, school_year=2025).count() == 1


def test_pilote_after_a_year_off(world, club):
    for year in range(2018, 2023):
        _appoint_pilote(world, club, year)
    _appoint_pilote(world, club, 2023, email="interim@exemple.fr")
    mandate = _appoint_pilote(world, club, 2024)
    assert mandate.school_year == 2024


def test_pilote_limit_is_per_club(world, club):
    other = services.club_create(user=world.users["academie_team"], bassin=world.bassin2)
    for year in range(2020, 2025):
        _appoint_pilote(world, club, year)
    assert _appoint_pilote(world, other, 2025).club == other


def test_pilote_needs_the_signatory_organisations(world, club):
    with pytest.raises(ValidationError) as error:
        services.mandate_appoint(
            user=world.users["academie_team"],
            club=club,
            role=MandateRole.PILOTE,
            school_year=2025,
            full_name="P",
            email="p@ex.fr",
            appointed_on=date(2025, 6, 1),
        )
    assert "appointing_organisations" in error.value.message_dict


def test_referent_named_in_june_for_the_school_year(world, club):
    mandate = services.mandate_appoint(
        user=world.users["academie_team"],
        club=club,
        role=MandateRole.REFERENT,
        school_year=2025,
        full_name="Inès Martin",
        email="Ines@Exemple.fr",
        appointed_on=date(2025, 6, 12),
    )
    assert (mandate.starts_on, mandate.ends_on) == (date(2025, 9, 1), date(2026, 8, 31))
    assert mandate.email == "ines@exemple.fr"
    assert mandate.appointed_by.startswith("Recteur")
    with pytest.raises(ValidationError) as error:
        services.mandate_appoint(
            user=world.users["academie_team"],
            club=club,
            role=MandateRole.REFERENT,
            school_year=2026,
            full_name="Inès Martin",
            email="ines@exemple.fr",
            appointed_on=date(2026, 9, 3),
        )
    assert "juin" in error.value.message_dict["appointed_on"][0]
    # The nomination e-mail went once, and the holder co-animates the steering committee.
    body = Body.objects.get(club=club)
    chair = body.members.get(role=MemberRole.CHAIR)
    assert chair.full_name == "Inès Martin" and chair.active


def test_two_referents_the_same_year_are_refused_unless_replacement(world, club):
    team = world.users["academie_team"]
    first = MandateFactory(club=club, school_year=2025, full_name="Ancien")
    with pytest.raises(ValidationError, match="déjà un référent"):
        services.mandate_appoint(
            user=team,
            club=club,
            role=MandateRole.REFERENT,
            school_year=2025,
            full_name="Nouveau",
            email="n@ex.fr",
            appointed_on=date(2025, 6, 2),
        )
    replacement = services.mandate_appoint(
        user=team,
        club=club,
        role=MandateRole.REFERENT,
        school_year=2025,
        full_name="Nouveau",
        email="n@ex.fr",
        appointed_on=date(2026, 1, 5),
        replacement=True,
        starts_on=date(2026, 1, 5),
    )
    first.refresh_from_db()
    assert first.ends_on == date(2026, 1, 4)
    assert replacement.starts_on == date(2026, 1, 5) and replacement.ends_on == date(2026, 8, 31)


@pytest.mark.parametrize("role", ["bassin_referent", "hub_member", "head_of_school", "volunteer"])
def test_only_the_academie_team_names(world, club, role):
    with pytest.raises(PermissionDenied):
        _appoint_pilote_as(world, club, world.users[role])


def _appoint_pilote_as(world, club, user):
    return services.mandate_appoint(
        user=user,
        club=club,
        role=MandateRole.PILOTE,
        school_year=2025,
        full_name="P",
        email="p@ex.fr",
        appointed_on=date(2025, 6, 1),
        appointing_organisations=[world.regional],
    )


def test_nomination_email(world, club, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        mandate = _appoint_pilote(world, club, 2025)
    deliver_outbox()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["pilote@exemple.fr"]
    assert "pilote école-entreprise (monde économique) du Club" in mail.outbox[0].body
    assert "2025-2026" in mail.outbox[0].body
    assert mandate.appointed_by == "Union régionale, MN"


def test_renew_keeps_the_person_and_counts_years(world, club):
    mandate = _appoint_pilote(world, club, 2024)
    renewed = services.mandate_renew(
        user=world.users["academie_team"], mandate=mandate, appointed_on=date(2025, 6, 25)
    )
    assert renewed.school_year == 2025 and renewed.previous == mandate
    assert set(renewed.appointing_organisations.all()) == {world.regional, world.national}


def test_mandates_to_renew_lists_those_without_successor(world, club):
    from relais.networks.selectors import all_mandates, mandates_to_renew

    for year in range(2021, 2026):
        _appoint_pilote(world, club, year)
    referent = MandateFactory(club=club, school_year=2025)
    club2 = services.club_create(user=world.users["academie_team"], bassin=world.bassin2)
    renewed = MandateFactory(club=club2, school_year=2025)
    MandateFactory(club=club2, school_year=2026, email=renewed.email)
    items = mandates_to_renew(queryset=all_mandates(), school_year=2025)
    by_pk = {item.mandate.pk: item for item in items}
    assert referent.pk in by_pk and renewed.pk not in by_pk
    pilote = next(i for i in items if i.mandate.role == MandateRole.PILOTE)
    assert pilote.consecutive_years == 5 and not pilote.renewable
    assert by_pk[referent.pk].renewable


def test_directory_publication_rules(world, club):
    team = world.users["academie_team"]
    year = school_year_of(timezone.localdate())
    with pytest.raises(ValidationError) as error:
        services.directory_publish(
            user=team, academie=world.home, school_year=year, published_on=date(year, 5, 31)
        )
    assert "comité stratégique de juin" in error.value.message_dict["published_on"][0]
    publication = services.directory_publish(
        user=team, academie=world.home, school_year=year, published_on=date(year, 6, 30)
    )
    assert publication.published_by == team
    with pytest.raises(ValidationError, match="déjà publié"):
        services.directory_publish(user=team, academie=world.home, school_year=year)
    with pytest.raises(PermissionDenied):
        services.directory_publish(
            user=world.users["bassin_referent"], academie=world.home, school_year=year - 1
        )
    with pytest.raises(PermissionDenied):
        services.directory_publish(user=team, academie=world.other, school_year=year - 1)
    assert DirectoryPublication.objects.count() == 1


def test_directory_publication_after_the_strategic_meeting(world, club):
    team = world.users["academie_team"]
    year = school_year_of(timezone.localdate()) - 1
    body = Body.objects.create(
        name="Comité stratégique",
        kind=BodyKind.STRATEGIC,
        club=club,
        academie=world.home,
    )
    meeting = Meeting.objects.create(
        body=body,
        starts_at=timezone.make_aware(datetime(year, 6, 20, 10)),
        state=MeetingState.HELD,
    )
    with pytest.raises(ValidationError, match="20/06"):
        services.directory_publish(
            user=team,
            academie=world.home,
            school_year=year,
            published_on=date(year, 6, 10),
            strategic_meeting=meeting,
        )
    steering = Body.objects.get(club=club, kind=BodyKind.CLUB_STEERING)
    other_meeting = Meeting.objects.create(body=steering, starts_at=meeting.starts_at)
    with pytest.raises(ValidationError, match="comité stratégique"):
        services.directory_publish(
            user=team, academie=world.home, school_year=year, strategic_meeting=other_meeting
        )
    publication = services.directory_publish(
        user=team,
        academie=world.home,
        school_year=year,
        published_on=date(year, 6, 21),
        strategic_meeting=meeting,
    )
    assert publication.strategic_meeting == meeting


def test_campus_label_end_is_computed_and_scoped(world):
    team = world.users["academie_team"]
    campus = services.campus_save(
        user=team,
        data={
            "name": "Campus de l'aéronautique",
            "sector": "Aéronautique",
            "academie": world.home,
            "label_starts_on": date(2025, 9, 1),
        },
    )
    assert campus.label_ends_on == date(2029, 8, 31)
    assert "aeronautique" in campus.search_text
    with pytest.raises(PermissionDenied):
        services.campus_save(
            user=team,
            data={
                "name": "X",
                "sector": "Y",
                "academie": world.other,
                "label_starts_on": date(2025, 9, 1),
            },
        )
    with pytest.raises(PermissionDenied):
        services.campus_save(user=world.users["bassin_referent"], campus=campus, data={})
    renewed = services.campus_label_renew(user=team, campus=campus, starts_on=date(2029, 9, 1))
    assert renewed.label_ends_on == date(2033, 8, 31)
    with pytest.raises(ValidationError):
        services.campus_label_renew(user=team, campus=campus, starts_on=date(2020, 9, 1))


def test_campus_members(world):
    team = world.users["academie_team"]
    campus = CampusFactory(academie=world.home)
    services.campus_member_add(
        user=team, campus=campus, kind="etablissement", establishment=world.school
    )
    services.campus_member_add(user=team, campus=campus, kind="superieur", name="Université X")
    services.campus_member_add(
        user=team, campus=campus, kind="entreprise", organisation=world.company
    )
    with pytest.raises(ValidationError, match="déjà partie"):
        services.campus_member_add(
            user=team, campus=campus, kind="etablissement", establishment=world.school
        )
    member = campus.members.get(name="Université X")
    services.campus_member_remove(user=team, member=member)
    assert campus.members.count() == 2


# --- reminders ------------------------------------------------------------------------------


def test_mandate_reminders_once_per_threshold(world, django_capture_on_commit_callbacks):
    club = ClubFactory(academie=world.home, bassin=world.bassin)
    MandateFactory(club=club, school_year=2025, email="ref@ex.fr")
    MandateFactory(club=club, school_year=2025, role=MandateRole.PILOTE, email="pil@ex.fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_mandate_reminders(today=date(2026, 3, 1)) == 0  # J-183
        sent = services.send_mandate_reminders(today=date(2026, 5, 5))  # J-118
        again = services.send_mandate_reminders(today=date(2026, 5, 6))
    assert sent == 3 and again == 0
    deliver_outbox()
    team_mail = next(m for m in mail.outbox if world.users["academie_team"].email in m.to)
    assert "ref@ex.fr" in team_mail.body and "pil@ex.fr" in team_mail.body
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_mandate_reminders(today=date(2026, 8, 2)) == 1  # J-29: team only
    MandateFactory(club=club, school_year=2026, email="ref@ex.fr")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_mandate_reminders(today=date(2026, 8, 3)) == 0


def test_campus_label_reminders(world, django_capture_on_commit_callbacks):
    today = date(2026, 3, 1)
    soon = CampusFactory(
        academie=world.home,
        label_starts_on=date(2022, 9, 1),
        label_ends_on=date(2026, 8, 31),
        contact_email="campus@ex.fr",
    )
    CampusFactory(
        academie=world.home, label_starts_on=date(2025, 9, 1), label_ends_on=date(2029, 8, 31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_campus_label_reminders(today=today) == 1
        assert services.send_campus_label_reminders(today=today + timedelta(days=1)) == 0
    deliver_outbox()
    assert sorted(mail.outbox[0].to) == sorted(["campus@ex.fr", world.users["academie_team"].email])
    assert "31/08/2026" in mail.outbox[0].subject and soon.name in mail.outbox[0].subject
