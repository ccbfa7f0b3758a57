"""Information at signature, renewal, avenant and end (issue 11, item 3): a convention signed
by an académie informs the national team and that académie's team once, with the document;
the event is in the national feed; a second run of the job sends nothing more."""

import datetime

import pytest
from django.core import mail

from relais.agreements import information
from relais.agreements.models import Agreement
from relais.core.clock import today
from relais.core.models import Notification
from relais.users.enums import Role
from tests.agreements.factories import in_force_agreement
from tests.factories import make_user
from tests.jobs import job_status, run_worker_once
from tests.mail import deliver_outbox

pytestmark = pytest.mark.django_db


def test_a_signature_by_an_academie_informs_once_with_the_document(
    world, client_for, django_capture_on_commit_callbacks, django_assert_num_queries
):
    outsider = make_user(Role.ACADEMIE_TEAM, world.other)
    agreement = in_force_agreement(world.users["academie_team"], world.home, signed_on=today())
    with django_capture_on_commit_callbacks(execute=True):
        assert information.inform(today=today()) == 1
    deliver_outbox()
    (message,) = mail.outbox
    assert set(message.to) == {
        world.users["national_admin"].email,
        world.users["academie_team"].email,
    }
    assert outsider.email not in message.to
    assert agreement.number in message.subject and "Signature" in message.subject
    assert "est signée et entre en vigueur" in message.body
    (attachment,) = message.attachments
    assert attachment[0] == f"{agreement.number}.pdf" and attachment[1].startswith(b"%PDF")
    # A second run (the next morning, or the same job retried) sends nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        assert information.inform(today=today()) == 0
        assert information.inform(today=today() + datetime.timedelta(days=1)) == 0
    assert Notification.objects.filter(key__startswith="information:").count() == 1
    # The national feed shows it, informed; another académie's team does not see it.
    client = client_for(world.users["national_admin"])
    with django_assert_num_queries(6):
        page = client.get("/pilotage/fil/")
    assert agreement.number in page.content.decode()
    assert "2 destinataires" in page.content.decode()
    other = client_for(outsider).get("/pilotage/fil/").content.decode()
    assert agreement.number not in other and "Aucune signature" in other
    assert client_for(world.users["teacher"]).get("/pilotage/fil/").status_code == 403


def _national(number: str, **fields) -> Agreement:
    return Agreement.objects.create(
        number=number, title=f"Convention {number}", kind="cadre", scope="national",
        state="en_vigueur", **fields,
    )  # fmt: skip


def test_a_national_convention_renewed_tacitly_informs_every_academie_team(world):
    outsider = make_user(Role.ACADEMIE_TEAM, world.other)
    day = today()
    began = day - datetime.timedelta(days=3 * 365)
    renewed = _national(
        "NAT-2", signed_on=began, start_date=began, current_start=day - datetime.timedelta(days=2),
        current_end=day + datetime.timedelta(days=3 * 365), tacit_renewal=True,
    )  # fmt: skip
    _national("NAT-3", signed_on=day, start_date=day, current_start=day)  # first period
    (event,) = information.events(since=day - datetime.timedelta(days=30), until=day)
    assert (event.kind, event.agreement, event.on) == ("tacit", renewed, renewed.current_start)
    assert "reconduite tacitement" in event.sentence
    assert set(information.recipients(renewed)) == {
        world.users["national_admin"].email,
        world.users["academie_team"].email,
        outsider.email,
    }
    assert information.events(since=day, until=day, academie_ids=[world.other.pk]) == []
    assert information.events(since=day - datetime.timedelta(days=2), until=day,
                              academie_ids=[world.other.pk]) == [event]  # fmt: skip


def test_a_bassin_convention_is_not_announced(world):
    Agreement.objects.create(
        number="BAS-1", title="Bassin", kind="cadre", scope="bassin", academie=world.home,
        bassin=world.bassin, state="en_vigueur", signed_on=today() - datetime.timedelta(days=400),
        start_date=today() - datetime.timedelta(days=400),
        current_start=today(),
    )  # fmt: skip
    assert information.events(since=today(), until=today()) == []


@pytest.mark.django_db(transaction=True)
def test_the_scheduled_job_runs_in_the_real_worker(world):
    from relais.agreements.tasks import agreements_information

    job_id = agreements_information.defer(timestamp=0)
    run_worker_once()
    assert job_status(job_id) == "succeeded"


def test_a_neighbour_academie_of_the_region_sees_the_regional_not_the_academie_s(world):
    """Two académies of one région: the régional convention concerns both teams, an
    académie's convention its own team only (the feed links to it: no 404 for the other)."""
    from tests.factories import AcademieFactory

    neighbour = AcademieFactory(code="93", name="Voisine", region=world.home.region)
    own = in_force_agreement(world.users["academie_team"], world.home, signed_on=today())
    began = today() - datetime.timedelta(days=3 * 365)
    regional = Agreement.objects.create(
        number="REG-1", title="Convention régionale", kind="cadre", scope="region_academique",
        state="en_vigueur", academic_region=world.home.region, signed_on=began,
        start_date=began, current_start=today(), tacit_renewal=True,
    )  # fmt: skip
    seen = {e.agreement.pk for e in information.events(
        since=today(), until=today(), academie_ids=[neighbour.pk])}  # fmt: skip
    assert own.pk not in seen and regional.pk in seen
    mine = {e.agreement.pk for e in information.events(
        since=today(), until=today(), academie_ids=[world.home.pk])}  # fmt: skip
    assert {own.pk, regional.pk} <= mine


def test_an_avenant_and_an_end_are_announced_about_the_convention(world):
    from relais.agreements.models import AgreementJournal

    day = today()
    parent = _national("NAT-4", signed_on=day, start_date=day)
    avenant = Agreement.objects.create(
        number="NAT-4-A1", title="Avenant 1", kind="avenant", scope="national", amends=parent,
        state="en_vigueur", signed_on=day, start_date=day,
    )  # fmt: skip
    AgreementJournal.objects.create(agreement=avenant, transition="entree_vigueur",
                                    from_state="en_signature", to_state="en_vigueur")  # fmt: skip
    AgreementJournal.objects.create(agreement=parent, transition="resiliation",
                                    from_state="en_vigueur", to_state="resiliee")  # fmt: skip
    found = {(e.kind, e.agreement.number, e.source.number) for e in
             information.events(since=day, until=day)}  # fmt: skip
    assert found == {("amended", "NAT-4", "NAT-4-A1"), ("ended", "NAT-4", "NAT-4")}
    amended = next(e for e in information.events(since=day, until=day) if e.kind == "amended")
    assert amended.sentence.endswith("est modifiée par l'avenant NAT-4-A1.")
