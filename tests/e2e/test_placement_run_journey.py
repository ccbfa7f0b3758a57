"""Issue 12 in a real browser, axe-core clean at 1280 and 375 px: the pôle member opens the
run that followed a company's withdrawal of a place, and reads the fairness policy, the
achievable range of priority placements and where the run sits in it, the changes since the
previous run and the advice on where more places are needed. Built with factories."""

import datetime

import pytest
from playwright.sync_api import expect

from relais.internships import services
from relais.internships.services.matching import run_create
from relais.users.enums import Role
from tests.factories import make_user
from tests.internships.factories import (
    WEEK,
    HubFactory,
    RomeCodeFactory,
    published_offer,
    referred_case,
)

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


def test_the_pole_reads_its_run(page, axe, log_in, world):
    RomeCodeFactory(code="H2201")
    hub = HubFactory(bassin=world.bassin, email="pole@exemple.fr")
    member = world.users["hub_member"]
    neighbour = world.school2
    neighbour.bassin = world.bassin
    neighbour.save()
    for _ in range(3):  # priority pupils (REP+ collège)
        referred_case(world.school, world.users["teacher"])
    for _ in range(2):  # other pupils
        referred_case(neighbour, make_user(Role.TEACHER, neighbour))
    offer = published_offer(world.bassin, world.company, capacity=3)
    window = {"window_start": WEEK, "window_end": WEEK + datetime.timedelta(days=6)}
    run_create(user=member, hub=hub, **window)
    services.offer_set_slots(user=member, offer=offer, slots={WEEK: 2})  # a place withdrawn
    run = run_create(user=member, hub=hub, **window)

    log_in(member)
    page.set_viewport_size(DESKTOP)
    page.goto("/stages/calculs/")
    axe.check("calculs de placement")
    page.goto(f"/stages/calculs/{run.pk}/")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", name="Équité : parité")).to_be_visible()
    expect(main).to_contain_text("peut aller de 0 à 2 (sur 3)")
    expect(page.get_by_role("table", name="Élèves prioritaires placés")).to_contain_text(
        "Ce calcul"
    )
    expect(page.get_by_role("heading", name="Depuis le calcul précédent")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Depuis le calcul précédent").locator(
            "xpath=following-sibling::ul[1]"
        )
    ).to_contain_text("élève")
    expect(page.get_by_role("heading", name="Où chercher des places")).to_be_visible()
    expect(main).to_contain_text("seraient placés avec")
    axe.check("calcul de placement (1280 px)")

    page.set_viewport_size(MOBILE)
    page.reload()
    expect(page.get_by_role("heading", name="Équité : parité")).to_be_visible()
    axe.check("calcul de placement (375 px)")
    axe.assert_clean()
