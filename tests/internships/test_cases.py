"""The case along the official path of Mesure 1: every transition, every refused one, who may
fire it, and the case's journal."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.internships import services
from relais.internships.enums import CaseState
from relais.internships.models import DEFAULT_ALERT_DAYS, CaseJournal, PlacementCase
from relais.internships.selectors import flagged_q
from relais.internships.workflows import CASE_MANUAL_STEPS, CASE_WORKFLOW
from relais.internships.years import (
    internship_year_bounds,
    internship_year_label,
    internship_year_of,
    retention_date,
)
from relais.pupils.years import roster_year_of
from tests.factories import CommuneFactory
from tests.internships.factories import CaseFactory, PeriodFactory, open_case, referred_case
from tests.mail import deliver_outbox
from tests.pupils.factories import PupilFactory

SCHOOL_PATH = [CaseState.HELPED_BY_TEAM, CaseState.REFERRED]


def test_the_school_opens_a_case_with_the_search_data(world, hub):
    teacher = world.users["teacher"]
    pupil = PupilFactory(establishment=world.school)
    period = PeriodFactory(establishment=world.school)
    case = services.case_open(
        user=teacher,
        pupil=pupil,
        data={"period": period, "wishes": ["h22", "D11", "H22"], "max_km": 12},
    )
    assert case.state == CaseState.SEARCHING_ALONE
    assert case.wishes == ["H22", "D11"]  # upper case, duplicates dropped, order kept
    assert (case.period, case.max_km, case.needs_access) == (period, 12, False)
    assert [(s.transition, s.note) for s in case.journal.all()] == [("ouvrir", "Dossier ouvert")]
    assert case.journal.get().by == teacher
    assert case.journal.get().by_name == teacher.get_full_name()


@pytest.mark.parametrize("role", ["hub_member", "academie_team", "organisation_rep", "teacher"])
def test_only_the_school_of_the_pupil_opens_its_case(world, hub, role):
    school = world.school if role != "teacher" else world.school2
    with pytest.raises(PermissionDenied):
        services.case_open(user=world.users[role], pupil=PupilFactory(establishment=school))


def test_an_anonymised_pupil_gets_no_case(world, hub):
    pupil = PupilFactory(establishment=world.school, purged=True)
    with pytest.raises(ValidationError, match="anonymisées"):
        services.case_open(user=world.users["teacher"], pupil=pupil)


@pytest.mark.parametrize(
    ("wishes", "message"),
    [
        (["H22", "D11", "A11", "B11", "C11", "E11"], "Cinq vœux au plus"),
        (["XYZ"], "n'est pas une famille"),
        (["Z99"], "n'est pas une famille"),
        (["M18"], "inconnue : M18"),
    ],
)
def test_bad_wishes_are_refused_in_french(world, hub, wishes, message):
    pupil = PupilFactory(establishment=world.school)
    with pytest.raises(ValidationError) as error:
        services.case_open(user=world.users["teacher"], pupil=pupil, data={"wishes": wishes})
    assert message in str(error.value)
    assert not PlacementCase.objects.exists()


def test_the_period_is_one_of_the_pupil_s_school_and_level(world, hub):
    pupil = PupilFactory(establishment=world.school, level="4e", class_label="4e A")
    for period, message in (
        (PeriodFactory(establishment=world.school2), "celle d'un autre établissement"),
        (PeriodFactory(establishment=world.school), "concerne un autre niveau"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.case_open(user=world.users["teacher"], pupil=pupil, data={"period": period})
    assert not PlacementCase.objects.exists()


@pytest.mark.parametrize("max_km", [0, 201])
def test_the_distance_is_1_to_200_km(world, hub, max_km):
    pupil = PupilFactory(establishment=world.school)
    with pytest.raises(ValidationError):
        services.case_open(user=world.users["teacher"], pupil=pupil, data={"max_km": max_km})


def test_the_school_edits_the_search_of_an_open_case_only(world, hub):
    case = referred_case(world.school, world.users["teacher"])
    commune = CommuneFactory()
    case = services.case_update(
        user=world.users["head_of_school"],
        case=case,
        data={"wishes": ["D11"], "max_km": 30, "home_commune": commune, "needs_access": True},
    )
    case.refresh_from_db()
    assert (case.wishes, case.max_km, case.home_commune, case.needs_access) == (
        ["D11"], 30, commune, True,
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.case_update(user=world.users["hub_member"], case=case, data={"max_km": 5})
    case = services.case_move(user=world.users["teacher"], case=case, step="retirer")
    with pytest.raises(ValidationError, match="clos"):
        services.case_update(user=world.users["teacher"], case=case, data={"max_km": 5})


def test_the_whole_path_to_the_pole_is_logged(world, hub):
    case = referred_case(world.school, world.users["head_of_school"])
    assert case.state == CaseState.REFERRED
    assert case.hub == hub and case.referred_at is not None
    steps = list(case.journal.values_list("transition", "from_state", "to_state", "note"))
    assert steps == [
        ("ouvrir", "", "searching_alone", "Dossier ouvert"),
        ("aider", "searching_alone", "helped_by_team", ""),
        ("orienter", "helped_by_team", "referred", "Aucune piste"),
    ]


def test_referral_notifies_the_pole_once(
    world, hub, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = referred_case(world.school, world.users["teacher"])
    deliver_outbox()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert "pole.un@exemple.fr" in mail.to
    assert world.users["hub_member"].email in mail.to
    assert case.pupil.first_name in mail.body and case.pupil.last_name not in mail.body


def test_referral_creates_the_pole_of_the_bassin_when_missing(world):
    from tests.internships.factories import RomeCodeFactory

    RomeCodeFactory(code="H2201")
    case = referred_case(world.school, world.users["teacher"])
    assert case.hub.bassin == world.bassin
    assert case.hub.name.startswith("Pôle de stages du")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("period", None, "période de stage"),
        ("wishes", [], "au moins un vœu"),
    ],
)
def test_referral_needs_a_period_and_wishes(world, hub, field, value, message):
    teacher = world.users["teacher"]
    case = open_case(world.school, teacher, **{field: value})
    case = services.case_move(user=teacher, case=case, step="aider")
    with pytest.raises(ValidationError) as error:
        services.case_move(user=teacher, case=case, step="orienter")
    assert "Avant d'orienter l'élève vers le pôle" in error.value.messages[0]
    assert message in " ".join(error.value.messages)
    # The case's page says why instead of showing a button that would fail.
    assert message in CASE_WORKFLOW.blocked(teacher, case)["orienter"]
    case.refresh_from_db()
    assert case.state == CaseState.HELPED_BY_TEAM


def _case_in(state, world, hub):
    """A case put in ``state`` directly (with the dates the database ties to it)."""
    fields = {}
    if state in (CaseState.REFERRED, CaseState.PROPOSAL_SENT, CaseState.PLACED):
        fields = {"referred_at": timezone.now(), "hub": hub}
    if state == CaseState.PLACED:
        fields["placed_at"] = timezone.now()
    if state in (CaseState.PLACED, CaseState.DECLINED, CaseState.WITHDRAWN):
        fields["closed_at"] = timezone.now()
    return CaseFactory(pupil__establishment=world.school, state=state, **fields)


REFUSED = [
    (state, step)
    for state in CaseState
    for step in CASE_MANUAL_STEPS
    if step not in {t.name for t in CASE_WORKFLOW.allowed_from(state)}
]


@pytest.mark.parametrize(("before", "step"), REFUSED, ids=[f"{a}-{b}" for a, b in REFUSED])
def test_every_step_outside_the_path_is_refused(world, hub, before, step):
    """Each state and each step fired by hand that the path does not allow from it: a
    French refusal, nothing changed, nothing journaled."""
    case = _case_in(before, world, hub)
    with pytest.raises(ValidationError) as error:
        services.case_move(user=world.users["head_of_school"], case=case, step=step)
    assert "n'est pas possible dans l'état" in error.value.messages[0]
    case.refresh_from_db()
    assert case.state == before and not case.journal.exists()


@pytest.mark.parametrize("step", ["proposer", "placer", "remettre_en_file", "archiver"])
def test_the_steps_of_the_proposals_are_not_fired_by_hand(world, hub, step):
    case = referred_case(world.school, world.users["teacher"])
    with pytest.raises(ValidationError) as error:
        services.case_move(user=world.users["hub_member"], case=case, step=step)
    assert "ne se fait pas à la main" in error.value.messages[0] or "inconnue" in str(error.value)
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED


def _manual(user, case):
    return [name for name in CASE_MANUAL_STEPS if name in CASE_WORKFLOW.names(user, case)]


def test_school_moves_and_pole_moves(world, hub):
    case = referred_case(world.school, world.users["teacher"])
    assert _manual(world.users["teacher"], case) == ["decliner", "retirer"]
    assert _manual(world.users["hub_member"], case) == ["decliner", "retirer"]
    assert _manual(world.users["organisation_rep"], case) == []
    fresh = open_case(world.school, world.users["teacher"])
    assert _manual(world.users["teacher"], fresh) == ["aider", "retirer"]
    # The pôle does not see (nor act on) a case before the referral.
    assert _manual(world.users["hub_member"], fresh) == []


@pytest.mark.parametrize("role", ["hub_member", "bassin_referent", "academie_team"])
def test_the_pole_cannot_refer_or_help(world, hub, role):
    case = open_case(world.school, world.users["teacher"])
    with pytest.raises(PermissionDenied):
        services.case_move(user=world.users[role], case=case, step="aider")


@pytest.mark.parametrize("role", ["hub_member", "head_of_school"])
@pytest.mark.parametrize(
    ("step", "to"), [("retirer", CaseState.WITHDRAWN), ("decliner", CaseState.DECLINED)]
)
def test_closing_a_referred_case(world, hub, role, step, to):
    case = referred_case(world.school, world.users["teacher"])
    case = services.case_move(user=world.users[role], case=case, step=step, note="Famille")
    assert case.state == to and case.closed_at is not None and not case.is_open
    last = case.journal.last()
    assert (last.transition, last.by, last.note) == (step, world.users[role], "Famille")


@pytest.mark.parametrize(
    "role",
    [
        "organisation_rep",
        "volunteer",
        "national_admin",
        "no_membership",
        "academie_team",
        "bassin_referent",
    ],
)
def test_outsiders_cannot_close_a_case(world, hub, role):
    case = referred_case(world.school, world.users["teacher"])
    with pytest.raises(PermissionDenied):
        services.case_move(user=world.users[role], case=case, step="retirer")


def test_one_open_case_per_pupil(world, hub):
    case = referred_case(world.school, world.users["teacher"])
    with pytest.raises(ValidationError):
        services.case_open(user=world.users["teacher"], pupil=case.pupil)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlacementCase.objects.create(pupil=case.pupil)
    services.case_move(user=world.users["teacher"], case=case, step="retirer")
    assert (
        services.case_open(user=world.users["teacher"], pupil=case.pupil).state == "searching_alone"
    )


def test_database_ties_dates_to_states(world, hub):
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(pupil__establishment=world.school, state=CaseState.REFERRED)
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFactory(pupil__establishment=world.school, state=CaseState.WITHDRAWN)


def test_assign_to_a_member_of_the_pole(world, hub):
    case = referred_case(world.school, world.users["teacher"])
    member = world.users["hub_member"]
    services.case_assign(user=member, case=case, owner=member)
    case.refresh_from_db()
    assert case.owner == member
    last = case.journal.last()
    assert last.transition == "attribuer" and last.note.startswith("Dossier attribué à")
    assert (last.from_state, last.to_state) == ("referred", "referred")
    with pytest.raises(ValidationError):
        services.case_assign(user=member, case=case, owner=world.users["teacher"])
    with pytest.raises(ValidationError):  # the référent does not read the pupil's record
        services.case_assign(user=member, case=case, owner=world.users["bassin_referent"])
    for outsider in ("teacher", "bassin_referent", "academie_team"):
        with pytest.raises(PermissionDenied):
            services.case_assign(user=world.users[outsider], case=case, owner=member)


def _flagged_in_sql(case, now) -> bool:
    return PlacementCase.objects.filter(flagged_q(now), pk=case.pk).exists()


def test_days_without_solution_and_flag(world, hub):
    """``is_flagged`` and its SQL twin ``flagged_q`` (lists and counts) agree at the bounds."""
    case = referred_case(world.school, world.users["teacher"])
    now = case.opened_at + datetime.timedelta(days=hub.alert_after_days)
    assert case.days_without_solution(now) == hub.alert_after_days
    assert not case.is_flagged(now) and not _flagged_in_sql(case, now)
    just_before = now + datetime.timedelta(days=1, microseconds=-1)
    assert not case.is_flagged(just_before) and not _flagged_in_sql(case, just_before)
    later = now + datetime.timedelta(days=1)
    assert case.is_flagged(later) and _flagged_in_sql(case, later)
    hub.alert_after_days = 30
    hub.save()
    case.refresh_from_db()
    assert not case.is_flagged(later) and not _flagged_in_sql(case, later)
    services.case_move(user=world.users["teacher"], case=case, step="retirer")
    case.refresh_from_db()
    far = later + datetime.timedelta(days=99)
    assert not case.is_flagged(far) and not _flagged_in_sql(case, far)


def test_flag_without_a_pole_uses_the_default_threshold(world, hub):
    case = open_case(world.school, world.users["teacher"])
    assert case.hub_id is None
    for days, flagged in ((DEFAULT_ALERT_DAYS, False), (DEFAULT_ALERT_DAYS + 1, True)):
        now = case.opened_at + datetime.timedelta(days=days)
        assert case.is_flagged(now) is flagged
        assert _flagged_in_sql(case, now) is flagged


def test_purge_anonymises_after_retention(world, hub):
    commune = CommuneFactory()
    case = referred_case(
        world.school, world.users["teacher"], first_name="Inès", home_commune=commune
    )
    services.case_assign(user=world.users["hub_member"], case=case, owner=world.users["hub_member"])
    pupil = case.pupil
    on_roster = PupilFactory(establishment=world.school, first_name="Sans", last_name="Dossier")
    assert services.pupils_purge_expired(today=pupil.retention_until) == 0
    day_after = pupil.retention_until + datetime.timedelta(days=1)
    assert services.pupils_purge_expired(today=day_after) == 2
    pupil.refresh_from_db()
    assert (pupil.first_name, pupil.last_name, pupil.class_label) == ("Élève", "anonymisé", "—")
    assert pupil.purged_at is not None and (pupil.level, pupil.school_year) == ("3e", 2025)
    case = pupil.cases.get()
    assert (case.wishes, case.home_commune, case.state) == ([], None, CaseState.REFERRED)
    assert case.period is not None and case.max_km == 15  # no person in them: kept
    on_roster.refresh_from_db()  # the whole roster is purged, with or without a case
    assert on_roster.last_name == "anonymisé"
    assert services.pupils_purge_expired(today=day_after) == 0


def test_the_purge_takes_the_journals_of_the_pupil_with_it(world, hub):
    """Notes typed about a pupil may name them: their case's journal goes with their data
    (the one deletion the database lets through), and restarts with the purge's line."""
    from tests.internships.factories import published_offer

    teacher = world.users["teacher"]
    case = referred_case(world.school, teacher, first_name="Inès", last_name="Secret")
    services.case_assign(user=world.users["hub_member"], case=case, owner=None)
    kept = referred_case(world.school, teacher, retention_until=datetime.date(2100, 8, 31))
    offer = published_offer(world.bassin, world.company)
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get(), message="Inès Secret"
    )
    assert proposal.journal.count() == 1 and case.journal.count() == 5
    services.pupils_purge_expired(today=case.pupil.retention_until + datetime.timedelta(days=1))
    lines = list(CaseJournal.objects.filter(case=case))
    assert [(line.transition, line.by, line.note) for line in lines] == [
        ("anonymiser", None, "Durée de conservation des données échue")
    ]
    assert not proposal.journal.exists()
    assert kept.journal.count() == 3  # another pupil's journal is untouched


def test_internship_year_and_retention():
    """The internship year opens on 1 August (``relais.internships.years``, which is the
    roster year of ``relais.pupils.years``), not on 1 September like the school year of
    ``relais.core.school_years``."""
    assert internship_year_label(datetime.date(2025, 9, 1)) == "2025-2026"
    assert internship_year_label(datetime.date(2026, 6, 30)) == "2025-2026"
    assert internship_year_of(datetime.date(2026, 7, 31)) == 2025
    assert internship_year_of(datetime.date(2026, 8, 1)) == 2026
    start, end = internship_year_bounds("2025-2026")
    assert (start.date(), end.date()) == (datetime.date(2025, 8, 1), datetime.date(2026, 8, 1))
    assert retention_date(datetime.date(2026, 6, 30)) == datetime.date(2026, 8, 31)
    assert retention_date(datetime.date(2026, 9, 1)) == datetime.date(2027, 8, 31)
    # A pupil registered during the summer, for the coming year, is kept a whole year.
    assert retention_date(datetime.date(2026, 8, 25)) == datetime.date(2027, 8, 31)
    for day in (datetime.date(2026, 7, 31), datetime.date(2026, 8, 1), datetime.date(2027, 1, 1)):
        assert internship_year_of(day) == roster_year_of(day)
