"""The preparation of the stage de 3e class by class (Mesure 2), the pupils' reports and the
hosts' feedback after it, the dashboards' count of classes leaving unprepared, and the tutor
kit sent with every proposal."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.internships import services
from relais.internships.enums import SchoolLevel
from relais.internships.models import HostFeedback, PreparationStep
from relais.internships.selectors import (
    class_preparations,
    classes_leaving_unprepared,
    periods_visible_to,
)
from relais.resources import services as resource_services
from relais.resources.enums import TOPICS, Topic, UseKind
from relais.resources.models import Resource, ResourceUse
from tests.documents.pdfs import tiny_pdf
from tests.internships.factories import WEEK, PeriodFactory, published_offer, referred_case
from tests.mail import deliver_outbox
from tests.pupils.factories import PupilFactory
from tests.resources.factories import make_resource

# Ten days before the tests' stage week (Monday 2 February 2026), then after it.
BEFORE = datetime.datetime(2026, 1, 23, 9, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC)


@pytest.fixture
def period(world):
    """A period of the whole 3e level of school 1; two classes on the roster."""
    for label in ("3e A", "3e A", "3e B"):
        PupilFactory(establishment=world.school, class_label=label)
    return PeriodFactory(establishment=world.school, level=SchoolLevel.THIRD)


def mark(world, period, label, topic, day=datetime.date(2026, 1, 20), role="teacher"):
    return services.preparation_step_done(
        user=world.users[role], period=period, class_label=label, topic=topic, done_on=day
    )


def test_each_class_of_the_roster_and_its_four_contents(world, period):
    with time_machine.travel(BEFORE, tick=False):
        for topic in TOPICS:
            mark(world, period, "3e A", topic)
        mark(world, period, "3e B", Topic.GOALS)
        rows = {row.class_label: row for row in class_preparations([period])}
        assert set(rows) == {"3e A", "3e B"}
        assert (rows["3e A"].pupils, rows["3e A"].prepared) == (2, True)
        assert (rows["3e B"].done, rows["3e B"].prepared) == (1, False)
        # Marking again corrects the day; undoing brings it back to « à faire ».
        mark(world, period, "3e B", Topic.GOALS, day=datetime.date(2026, 1, 21))
        assert PreparationStep.objects.get(class_label="3e B").done_on.day == 21
        services.preparation_step_undo(
            user=world.users["teacher"], period=period, class_label="3e B", topic=Topic.GOALS
        )
        assert not PreparationStep.objects.filter(class_label="3e B").exists()


def test_a_period_for_one_class_and_a_school_without_roster(world):
    one = PeriodFactory(establishment=world.school, class_label="3e C")
    whole = PeriodFactory(establishment=world.school2)
    assert [row.class_label for row in class_preparations([one])] == ["3e C"]
    assert [row.label for row in class_preparations([whole])] == ["Toutes les classes de 3e"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"day": datetime.date(2026, 1, 30)}, "à venir"),
        ({"label": "3e Z"}, "ne part pas sur cette période"),
        ({"topic": "autre"}, "quatre contenus"),
        ({"day": datetime.date(1900, 1, 1)}, "comprise entre"),
    ],
)
def test_bad_input_gets_a_french_error(world, period, change, message):
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError, match=message):
        mark(
            world, period, change.get("label", "3e A"), change.get("topic", Topic.GOALS),
            day=change.get("day", datetime.date(2026, 1, 20)),
        )  # fmt: skip


@pytest.mark.parametrize(
    "role", ["hub_member", "bassin_referent", "academie_team", "organisation_rep"]
)
def test_only_the_school_prepares(world, period, role):
    with time_machine.travel(BEFORE, tick=False), pytest.raises(PermissionDenied):
        mark(world, period, "3e A", Topic.GOALS, role=role)


def test_dashboard_count_of_classes_leaving_unprepared(world, period, django_assert_num_queries):
    PeriodFactory(establishment=world.school2, class_label="3e D")  # school 2, one class
    later = WEEK + datetime.timedelta(weeks=8)
    PeriodFactory(establishment=world.school, start=later, end=later + datetime.timedelta(days=4))
    periods = periods_visible_to(user=world.users["academie_team"])
    with time_machine.travel(BEFORE, tick=False):
        with django_assert_num_queries(1):
            assert (
                classes_leaving_unprepared(periods=periods, today=datetime.date(2026, 1, 23)) == 3
            )
        for topic in TOPICS:
            mark(world, period, "3e A", topic)
        assert classes_leaving_unprepared(periods=periods, today=datetime.date(2026, 1, 23)) == 2
        assert classes_leaving_unprepared(periods=periods, today=datetime.date(2026, 1, 10)) == 0


def test_the_dashboards_say_it(world, period, client_for):
    with time_machine.travel(BEFORE, tick=False):
        for role in ("teacher", "hub_member", "academie_team"):
            page = client_for(world.users[role]).get("/").content.decode()
            expected = "2</strong> classes partent en stage de 3e dans 10 jours sans préparation"
            assert expected in page, role


def test_reports_after_the_stage_and_the_hosts_feedback(world, period):
    a_pupils = list(period.establishment.pupils.filter(class_label="3e A"))
    teacher = world.users["teacher"]
    with time_machine.travel(BEFORE, tick=False), pytest.raises(ValidationError, match="après"):
        services.stage_reports_set(
            user=teacher, period=period, class_label="3e A", pupil_ids=[a_pupils[0].pk],
            received_on=datetime.date(2026, 1, 23),
        )  # fmt: skip
    with time_machine.travel(AFTER, tick=False):
        day = datetime.date(2026, 2, 9)
        services.stage_reports_set(
            user=teacher, period=period, class_label="3e A",
            pupil_ids=[p.pk for p in a_pupils], received_on=day,
        )  # fmt: skip
        services.stage_reports_set(
            user=teacher, period=period, class_label="3e A", pupil_ids=[a_pupils[0].pk],
            received_on=day,
        )  # fmt: skip
        other = PupilFactory(establishment=world.school, class_label="3e B")
        with pytest.raises(ValidationError, match="pas dans cette classe"):
            services.stage_reports_set(
                user=teacher, period=period, class_label="3e A", pupil_ids=[other.pk],
                received_on=day,
            )  # fmt: skip
        rows = {row.class_label: row for row in class_preparations([period])}
    assert rows["3e A"].reports == 1 and rows["3e B"].reports == 0


def test_placements_and_feedback_are_counted_per_class(
    world, hub, django_capture_on_commit_callbacks
):
    case = referred_case(world.school, world.users["teacher"])
    offer = published_offer(world.bassin, world.company)
    proposal = services.proposal_send(
        user=world.users["hub_member"], case=case, slot=offer.slots.get()
    )
    services.proposal_accept(proposal=proposal, answered_by_name="Claire")
    placement = services.proposal_confirm(user=world.users["teacher"], proposal=proposal)
    HostFeedback.objects.create(placement=placement, would_host_again=True)
    row = next(
        r for r in class_preparations([case.period]) if r.class_label == case.pupil.class_label
    )
    assert (row.placements, row.feedbacks) == (1, 1)


def test_every_proposal_carries_the_tutor_kit(
    world, hub, mailoutbox, django_capture_on_commit_callbacks
):
    make_resource(world.users["national_admin"], title="Kit national du tuteur")
    local = resource_services.resource_create(
        user=world.users["academie_team"],
        resource=Resource(
            title="Kit du tuteur de l'académie", audience="entreprises", kind="kit_tuteur",
            academie=world.home,
        ),
        version=resource_services.VersionData(
            body="Accueillir l'élève une journée dans chaque service.",
            file=SimpleUploadedFile("kit.pdf", tiny_pdf("Kit"), "application/pdf"),
        ),
    )  # fmt: skip
    case = referred_case(world.school, world.users["teacher"])
    offer = published_offer(world.bassin, world.company)
    # The link's token is signed with the second it is made: the clock stands still so that
    # the token expected here is the one the e-mail carries.
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            proposal = services.proposal_send(
                user=world.users["hub_member"], case=case, slot=offer.slots.get()
            )
        deliver_outbox()
        expected_token = resource_services.share_token(local)
    mail = mailoutbox[-1]
    assert "Kit du tuteur de l'académie" in mail.body
    assert expected_token in mail.body
    assert [name for name, *_ in mail.attachments] == ["kit.pdf"]
    use = ResourceUse.objects.get()
    assert (use.resource, use.kind, use.context) == (
        local, UseKind.SEND, f"internships.proposal:{proposal.pk}"
    )  # fmt: skip
