"""The training offer (CPME Île-de-France, art. 2.5): the inventory, a change submitted to
the signatory organisations of the conventions in force over the territory, their opinions
within the deadline, the decision that changes the inventory, and métiers en tension."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relais.training import selectors, services
from relais.training.enums import ChangeState, SectionState
from relais.training.models import SectionChangeJournal, SectionOpinion
from relais.users.enums import Role
from tests.factories import make_user
from tests.training.factories import convention_in_force, section


@pytest.fixture
def setup(world):
    convention_in_force(world.home, world.regional)
    return world


def _opening(world, **data):
    values = {
        "diploma": "Bac pro Cuisine", "level": "bac_pro", "sector": "G", "status": "apprentissage",
        "capacity": 15, "reason": "Besoins des restaurants du bassin.",
        "effective_on": date(2027, 9, 1),
    } | data  # fmt: skip
    return services.change_create(
        user=world.users["academie_team"], kind="ouverture", establishment=world.school, data=values
    )


def test_an_opening_consults_the_partners_then_opens_the_section(setup):
    world = setup
    team = world.users["academie_team"]
    change = _opening(world)
    change = services.change_submit(user=team, change=change, delay_days=15)
    assert change.state == ChangeState.CONSULTATION
    assert change.opinion_deadline == timezone.localdate() + timedelta(days=15)
    opinion = SectionOpinion.objects.get(change=change)
    assert opinion.organisation == world.regional
    with pytest.raises(ValidationError, match="pas encore rendu d'avis"):
        services.change_decide(user=team, change=change, adopt=True)
    rep = make_user(Role.ORGANISATION_REP, world.regional)
    with pytest.raises(ValidationError, match="s'explique"):
        services.opinion_give(user=rep, opinion=opinion, value="reserve")
    with pytest.raises(PermissionDenied):
        services.opinion_give(
            user=world.users["organisation_rep"], opinion=opinion, value="favorable"
        )
    services.opinion_give(
        user=rep, opinion=opinion, value="reserve", comment="Capacité trop forte."
    )
    change = services.change_decide(user=team, change=change, adopt=True)
    assert change.state == ChangeState.ADOPTED
    assert change.section.state == SectionState.OPEN and change.section.capacity == 15
    steps = list(
        SectionChangeJournal.objects.filter(change=change).values_list("transition", flat=True)
    )
    assert steps == ["creation", "soumettre", "avis", "decider"]


def test_after_the_deadline_the_team_decides_without_the_missing_opinions(setup):
    world = setup
    team = world.users["academie_team"]
    change = services.change_submit(user=team, change=_opening(world), delay_days=7)
    later = timezone.localdate() + timedelta(days=8)
    rep = make_user(Role.ORGANISATION_REP, world.regional)
    with pytest.raises(ValidationError, match="délai de concertation est passé"):
        services.opinion_give(
            user=rep, opinion=change.opinions.get(), value="favorable", today=later
        )
    change = services.change_decide(user=team, change=change, adopt=False, today=later)
    assert change.state == ChangeState.REJECTED and change.section is None


def test_closing_a_section_and_who_may_prepare_it(setup):
    world = setup
    open_section = section(world.school)
    with pytest.raises(PermissionDenied):
        services.change_create(
            user=world.users["head_of_school"], kind="fermeture", section=open_section,
            data={"reason": "x", "effective_on": date(2027, 9, 1)},
        )  # fmt: skip
    team = world.users["academie_team"]
    change = services.change_create(
        user=team, kind="fermeture", section=open_section,
        data={"reason": "Plus de candidats.", "effective_on": date(2027, 9, 1)},
    )  # fmt: skip
    change = services.change_submit(user=team, change=change)
    rep = make_user(Role.ORGANISATION_REP, world.regional)
    services.opinion_give(user=rep, opinion=change.opinions.get(), value="favorable")
    services.change_decide(user=team, change=change, adopt=True)
    open_section.refresh_from_db()
    assert open_section.state == SectionState.CLOSED and open_section.closed_on == date(2027, 9, 1)


def test_a_shortage_flags_the_sections_of_its_sector(setup):
    world = setup
    bakery, garage = (
        section(world.school, sector="D"),
        section(world.school, diploma="CAP Auto", sector="I"),
    )
    rep = make_user(Role.ORGANISATION_REP, world.regional)
    services.shortage_report(
        user=rep, organisation=world.regional, academie=world.home,
        data={"sector": "D", "job": "Vendeur en boulangerie", "comment": "40 postes non pourvus"},
    )  # fmt: skip
    flagged = selectors.flag_shortages(
        list(selectors.sections_visible_to(user=world.users["teacher"]).order_by("pk"))
    )
    assert [(s.pk, s.in_tension) for s in flagged] == [(bakery.pk, True), (garage.pk, False)]
    with pytest.raises(PermissionDenied):
        services.shortage_report(
            user=world.users["teacher"], organisation=world.regional, academie=world.home,
            data={"sector": "D", "job": "x"},
        )  # fmt: skip
    assert not selectors.sections_visible_to(user=world.users["volunteer"]).exists()


def test_a_pending_opinion_is_reminded_once_five_days_before_the_deadline(setup):
    from relais.core.models import Notification

    world = setup
    world.regional.email = "contact@union.example"
    world.regional.save()
    change = services.change_submit(
        user=world.users["academie_team"], change=_opening(world), delay_days=10
    )
    today = timezone.localdate()
    assert services.opinion_reminders_send(today=today) == 0
    assert services.opinion_reminders_send(today=today + timedelta(days=5)) == 1
    assert services.opinion_reminders_send(today=today + timedelta(days=6)) == 0  # once
    assert Notification.objects.filter(key__endswith=":reminder").count() == 1
    assert change.opinions.get().opinion == ""
