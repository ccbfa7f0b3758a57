"""The parcours Avenir in a real browser, with axe-core on every page (issue 10): a principal
imports the school's roster, a teacher credits a class with a visit in one click, the class
page shows who still misses what, and the académie's dashboard shows completion and the
priority gap."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from relais.core.clock import today
from relais.pathways.services import ExperienceData, class_credit
from relais.pupils.models import Pupil
from relais.pupils.services import pupil_fill
from relais.pupils.years import roster_year_of
from relais.users.enums import Role
from tests.factories import make_user

from .conftest import assert_dsfr_loaded

pytestmark = pytest.mark.e2e

FIRST = ["Léa", "Moussa", "Hugo", "Inès", "Yanis", "Chloé", "Adam", "Lina", "Nathan", "Aya",
         "Louis", "Sarah", "Rayan", "Jade", "Tom", "Maëlys", "Ilyes", "Emma", "Noah", "Zoé",
         "Sami", "Manon", "Enzo", "Nour"]  # fmt: skip
LAST = ["Martin", "Diallo", "Bernard", "Petit", "Benali", "Durand", "Nguyen", "Leroy",
        "Moreau", "Traoré", "Simon", "Laurent", "Haddad", "Michel", "Garcia", "David",
        "Bertrand", "Roux", "Vincent", "Fournier", "Mercier", "Blanc", "Guerin",
        "Boyer"]  # fmt: skip


def siecle_csv(path):
    """A roster as SIECLE exports it: Windows-1252, « ; », columns Relais does not keep."""
    lines = ["Nom;Prénom 1;Date de naissance;Division;MEF"]
    for i, (last, first) in enumerate(zip(LAST, FIRST, strict=True)):
        lines.append(f"{last};{first};0{1 + i % 9}/03/2012;3e B;3EME")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def other_school_parcours(world, year):
    """A non-REP collège of the académie where most pupils visited a company."""
    pupils = []
    for i in range(24):
        pupil = pupil_fill(Pupil(establishment=world.school2), {
            "last_name": f"Voisin{i:02d}", "first_name": "Élève", "class_label": "3e A",
            "level": "3e", "school_year": year})  # fmt: skip
        pupil.save()
        pupils.append(pupil)
    teacher = make_user(Role.TEACHER, world.school2)
    class_credit(
        user=teacher,
        establishment=world.school2,
        school_year=year,
        class_labels=["3e A"],
        absent_ids=[p.pk for p in pupils[:4]],
        data=ExperienceData(kind="visite", date=today() - datetime.timedelta(days=3)),
    )


def test_roster_import_one_click_credit_class_page_and_academie_gap(
    page, axe, log_in, world, tmp_path
):
    year = roster_year_of(today())

    # The principal imports the school's roster exported by SIECLE.
    log_in(world.users["head_of_school"])
    page.goto("/eleves/importer/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer la liste des élèves")
    assert_dsfr_loaded(page)
    axe.check("import de la liste des élèves")
    page.get_by_label("Fichier CSV").set_input_files(siecle_csv(tmp_path / "eleves.csv"))
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status")).to_contain_text("24 élèves ajoutés")
    expect(page.get_by_role("status")).to_contain_text("Date de naissance")  # not kept
    axe.check("import réussi")

    # The teacher credits 3e B with a company visit: everyone present but two absentees.
    log_in(world.users["teacher"])
    page.goto("/parcours/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Parcours Avenir")
    axe.check("parcours de l'établissement")
    page.get_by_role("link", name="3e B").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parcours Avenir — 3e B")
    page.get_by_role("link", name="Enregistrer une expérience de la classe").click()
    axe.check("enregistrer une expérience")
    page.get_by_label("Type d'expérience").select_option("visite")
    page.get_by_label("Date").fill((today() - datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Intitulé").fill("Visite de l'atelier de maintenance")
    page.locator("label", has_text="Diallo Moussa").click()  # DSFR: the label is clicked
    page.locator("label", has_text="Nguyen Adam").click()
    page.get_by_role("button", name="Enregistrer et créditer les élèves").click()
    expect(page.get_by_text("22 élèves crédités")).to_be_visible()

    # The class page: who still misses the visit.
    table = page.get_by_role("table", name=re.compile("quatre éléments du parcours"))
    expect(table.get_by_role("row", name=re.compile("Diallo Moussa"))).to_contain_text("Manquant")
    expect(table.get_by_role("row", name=re.compile("Martin Léa"))).to_contain_text("Fait")
    axe.check("page de la classe")
    page.set_viewport_size({"width": 375, "height": 800})
    axe.check("page de la classe à 375 px")
    page.set_viewport_size({"width": 1280, "height": 900})

    # The académie's team: completion and the gap between priority pupils and the others.
    other_school_parcours(world, year)
    log_in(world.users["academie_team"])
    page.goto("/parcours/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Académie de Maison"))
    gap = page.get_by_role("row", name=re.compile(r"Écart prioritaires \/ autres")).first
    expect(gap).to_be_visible()
    # REP+ school: 22 of 24 visited (91.7 %); the other collège: 20 of 24 (83.3 %).
    expect(gap).to_contain_text("-8,3")
    axe.check("indicateurs de l'académie")
    axe.assert_clean()
