"""Issue 11: the national admin's journey — the map of France and the académies side by side,
a national partner's declinations and commitments, each table with its CSV; axe-core clean
at 1280 px and at 375 px. Built with factories, not the demo."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from relais.agreements.models import Agreement, Commitment, Party
from relais.territories.models import Academie
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.e2e

MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _agreement(number, title, **fields) -> Agreement:
    day = datetime.date.today() - datetime.timedelta(days=200)
    return Agreement.objects.create(
        number=number, title=title, kind="cadre", state="en_vigueur",
        signed_on=day, start_date=day, duration_months=36, **fields,
    )  # fmt: skip


def _partner(world) -> Agreement:
    Academie.objects.filter(pk=world.home.pk).update(code="11")  # Montpellier on the map
    medef = OrganisationFactory(national=True, name="Mouvement des entreprises", acronym="MEDEF")
    national = _agreement("NAT-E2E", "Convention nationale MEDEF", scope="national")
    declined = _agreement("LOC-E2E", "Déclinaison MEDEF Maison", scope="academie",
                          academie=world.home, parent=national)  # fmt: skip
    for agreement in (national, declined):
        party = Party.objects.create(agreement=agreement, organisation=medef, name="MEDEF",
                                     side="economique")  # fmt: skip
        Commitment.objects.create(agreement=agreement, party=party, category="cee",
                                  description="Mobiliser des CEE", quantity=5)  # fmt: skip
    return national


def _download(page, link) -> str:
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    return open(download.path(), encoding="utf-8-sig").read()


def test_national_admin_map_comparison_and_partner(page, axe, log_in, world):
    national = _partner(world)
    log_in(world.users["national_admin"])
    page.set_viewport_size(DESKTOP)
    page.goto("/")
    page.get_by_role("button", name="Pilotage et données").click()
    page.get_by_role("link", name="Pilotage national").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Toutes les académies"))
    expect(page.get_by_role("img", name=re.compile("Couverture des bassins"))).to_be_visible()
    axe.check("pilotage national : carte et académies")
    conventions = page.locator("section[aria-labelledby='theme-conventions']")
    csv = _download(page, conventions.get_by_role("link", name="Exporter (CSV)"))
    assert "Académie de Maison" in csv and "Académie d'Ailleurs" in csv

    page.get_by_role("button", name="Pilotage et données").click()
    page.get_by_role("link", name="Conventions nationales", exact=True).click()
    page.get_by_role("link", name=re.compile("NAT-E2E")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Convention nationale MEDEF")
    axe.check("une convention nationale : déclinaisons et engagements")
    declinations = _download(page, page.get_by_role("link", name="Exporter les déclinaisons (CSV)"))
    assert "Déclinée dans l'académie" in declinations and "Pas de déclinaison" in declinations
    commitments = _download(page, page.get_by_role("link", name="Exporter les engagements (CSV)"))
    assert "Mobiliser des conseillers entreprises pour l'école" in commitments

    page.set_viewport_size(MOBILE)
    page.goto("/pilotage/")
    axe.check("pilotage national (375 px)")
    page.goto(f"/pilotage/partenaires/{national.pk}/")
    axe.check("convention nationale (375 px)")
    page.goto("/pilotage/fil/")
    axe.check("fil des signatures (375 px)")
    axe.assert_clean()
