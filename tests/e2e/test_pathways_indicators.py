"""axe-core on the parcours Avenir above the school: the académie's indicators (server-drawn
SVG charts and their tables), a drill-down to a bassin, and the settings with an error."""

import re

import pytest
from playwright.sync_api import expect

from relais.core.clock import today
from relais.pupils.years import roster_year_of
from tests.www.test_pathways_indicators import build_parcours, national_defaults

from .conftest import assert_dsfr_loaded

pytestmark = pytest.mark.e2e


def test_indicators_and_settings_pages(page, axe, log_in, world):
    national_defaults()  # emptied by the browser tests run before this one
    build_parcours(world, year=roster_year_of(today()), day=today())
    log_in(world.users["academie_team"])

    page.goto("/parcours/indicateurs/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Parcours Avenir : Académie de Maison"
    )
    assert_dsfr_loaded(page)  # the charts' attributes pass the Content-Security-Policy
    expect(page.get_by_role("img", name=re.compile("taux par élément"))).to_be_visible()
    expect(page.get_by_role("cell", name="58,3")).to_be_visible()  # the gap, in points
    axe.check("indicateurs de l'académie")

    page.get_by_role("link", name="Bassin Deux").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parcours Avenir : Bassin Deux")
    expect(page.get_by_text("Secret statistique").first).to_be_visible()
    axe.check("indicateurs d'un bassin")

    page.goto("/parcours/reglages/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Réglages du parcours Avenir")
    axe.check("réglages de l'académie")
    visit = page.get_by_role("group", name=re.compile("^Visite d'entreprise"))
    visit.get_by_text("Une visite").click()  # unticks the only item
    page.get_by_role("button", name="Enregistrer les types d'expérience").click()
    summary = page.locator(".fr-alert--error")
    expect(summary.get_by_role("link", name="Visite d'entreprise")).to_be_visible()
    expect(visit.get_by_text("Choisissez au moins un élément du parcours.")).to_be_visible()
    axe.check("réglages, erreur")
    axe.assert_clean()
