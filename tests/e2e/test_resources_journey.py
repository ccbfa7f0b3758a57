"""Kits and resources and the preparation of the stage de 3e in a real browser, axe-core on
every page (issue 15, items 1 and 2): the académie team publishes its tutor kit and a new
version of it; a teacher sees on the dashboard that a class leaves in a few days without
its preparation, marks a content done with the resources at hand, also at 375 px; a company
opens the kit from its e-mail link, without an account."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from relais.core.clock import today
from relais.internships.years import internship_year_label
from relais.pupils.years import roster_year_of
from relais.resources.models import Resource
from relais.resources.services import share_token
from tests.internships.factories import PeriodFactory
from tests.pupils.factories import PupilFactory

from .conftest import assert_dsfr_loaded

pytestmark = pytest.mark.e2e


def test_tutor_kit_versions_and_a_class_prepared_before_departure(page, axe, log_in, world):
    # The académie team publishes its tutor kit, then a new version of it.
    log_in(world.users["academie_team"])
    page.goto("/ressources/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kits et ressources")
    assert_dsfr_loaded(page)
    axe.check("bibliothèque des ressources")
    page.get_by_role("link", name="Ajouter une ressource").click()
    page.get_by_label("Titre").fill("Kit du tuteur de l'académie")
    page.get_by_label("Public").select_option("entreprises")
    page.get_by_label("Type").select_option("kit_tuteur")
    page.get_by_label("Contenu (texte)").fill("Accueillez l'élève une journée dans chaque service.")
    axe.check("nouvelle ressource")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kit du tuteur de l'académie")
    page.get_by_role("link", name="Publier une nouvelle version").click()
    page.get_by_label("Ce qui change dans cette version").fill("Les temps forts de la semaine")
    page.get_by_label("Contenu (texte)").fill("Une visite le premier matin, un bilan le vendredi.")
    page.get_by_role("button", name="Enregistrer").click()
    history = page.get_by_role("table", name="Historique des versions")
    expect(history.get_by_role("row")).to_have_count(3)  # header, version 2, version 1
    expect(history).to_contain_text("Les temps forts de la semaine")
    axe.check("ressource et son historique")

    # A class of the teacher's school leaves in five days; nothing prepared yet.
    start = today() + datetime.timedelta(days=5)
    PeriodFactory(
        establishment=world.school, school_year=internship_year_label(today()), start=start,
        end=start + datetime.timedelta(days=4),
    )  # fmt: skip
    for _ in range(2):
        PupilFactory(
            establishment=world.school, class_label="3e B", school_year=roster_year_of(today())
        )
    log_in(world.users["teacher"])
    page.goto("/")
    alert = page.get_by_role("link", name=re.compile("classe part en stage de 3e dans 10 jours"))
    expect(alert).to_contain_text("1")
    alert.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Préparation au stage de 3e")
    axe.check("classes qui partent sans préparation")
    page.get_by_role("link", name="3e B").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Préparation au stage — 3e B")
    axe.check("préparation de la classe")
    page.get_by_role("button", name=re.compile("Marquer fait : « Les objectifs du stage »")).click()
    expect(
        page.get_by_text("« Les objectifs du stage » est marqué fait pour 3e B.")
    ).to_be_visible()
    expect(page.get_by_text("1 contenu sur 4 fait")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    axe.check("préparation de la classe à 375 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The company opens the kit from its e-mail, without an account.
    page.context.clear_cookies()
    kit = Resource.objects.get(title="Kit du tuteur de l'académie")
    page.goto(f"/ressources/partage/{share_token(kit)}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kit du tuteur de l'académie")
    expect(page.get_by_text("un bilan le vendredi")).to_be_visible()
    axe.check("kit du tuteur ouvert par une entreprise")
    assert kit.uses.filter(kind="ouverture").count() == 1
    axe.assert_clean()
