"""axe-core on the main pages: no violation of impact « serious » or « critical ».

Each test walks several pages of one role and reports every page's violations at once.
"""

import re

import pytest
from playwright.sync_api import expect

from relais.users.enums import Role
from tests.factories import EstablishmentFactory, make_user

from .conftest import assert_dsfr_loaded

pytestmark = pytest.mark.e2e

MOBILE = {"width": 375, "height": 812}


def _visit(page, axe, url, label, heading):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    axe.check(label)


def test_public_pages(page, axe, world):
    _visit(page, axe, "/connexion/", "connexion", "Connexion à Relais")
    assert_dsfr_loaded(page)

    page.get_by_label("Adresse électronique").fill(world.users["teacher"].email)
    page.get_by_label("Mot de passe").fill("pas le bon mot de passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("alert")).to_be_visible()
    axe.check("connexion refusée")

    _visit(page, axe, "/mot-de-passe-oublie/", "mot de passe oublié", "Mot de passe oublié")
    _visit(page, axe, "/accessibilite/", "accessibilité", "Déclaration d'accessibilité")

    # Issue 15, item 10: the public page of a convention in force and the list of /donnees/.
    convention = _public_convention(world)
    title = "Conventions de partenariat en vigueur"
    _visit(page, axe, "/donnees/conventions/", "conventions en vigueur", title)
    page.get_by_role("link", name=convention.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(convention.title)
    axe.check("page publique d'une convention")

    page.set_viewport_size(MOBILE)
    _visit(page, axe, "/connexion/", "connexion (mobile)", "Connexion à Relais")
    url = f"/donnees/conventions/{convention.number}/"
    _visit(page, axe, url, "page publique d'une convention (mobile)", convention.title)
    axe.assert_clean()


def _public_convention(world):
    from datetime import timedelta

    from relais.agreements.models import Party, Signatory
    from relais.core.clock import today
    from tests.actions.factories import OfferFactory
    from tests.governance.factories import agreement
    from tests.networks.factories import ClubFactory

    convention = agreement(world.home, start=today() - timedelta(days=400), duration_months=60,
                           title="Convention Clubster de l'académie Maison")  # fmt: skip
    party = Party.objects.create(agreement=convention, name="Union régionale",
                                 organisation=world.regional, side="economique")  # fmt: skip
    Signatory.objects.create(
        agreement=convention, party=party, full_name="Le président", title="Président",
        signed_on=convention.signed_on, mode="papier",
    )  # fmt: skip
    convention.articles.create(number="Axe 1", heading="Rapprocher l'école et l'entreprise",
                               body="Un club par bassin.")  # fmt: skip
    ClubFactory(academie=world.home, agreement=convention)
    OfferFactory(academie=world.home, organisation=world.regional)
    return convention


def test_academie_team_pages(page, axe, log_in, world):
    EstablishmentFactory.create_batch(30, academie=world.home, bassin=world.bassin2)
    log_in(world.users["academie_team"])
    school, company = world.school, world.company

    _visit(page, axe, "/", "tableau de bord (équipe académique)", re.compile("^Bonjour"))
    assert_dsfr_loaded(page)
    _visit(page, axe, "/etablissements/", "établissements, paginés", "Établissements")
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination.get_by_role("link", name="Page précédente")).to_be_disabled()
    pagination.get_by_role("link", name="Page suivante").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(pagination.get_by_role("link", name="Page suivante")).to_be_disabled()
    axe.check("établissements, dernière page")
    _visit(page, axe, "/etablissements/?q=etienne", "établissements, recherche", "Établissements")
    expect(page.get_by_role("status")).to_have_text("1 établissement")
    filters = page.get_by_role("search", name="Filtrer la liste")
    filters.get_by_role("combobox", name="Bassin").select_option(str(world.bassin.pk))
    filters.get_by_role("combobox", name="Éducation prioritaire").select_option(label="REP+")
    filters.get_by_role("combobox", name="Voie professionnelle").select_option(label="Non")
    filters.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status")).to_have_text("1 établissement")
    expect(filters.get_by_role("combobox", name="Voie professionnelle")).to_have_value("false")
    expect(page.get_by_role("link", name=school.name)).to_be_visible()
    axe.check("établissements, filtres")
    _visit(page, axe, "/etablissements/?q=introuvable", "établissements, aucun", "Établissements")
    _visit(page, axe, school.get_absolute_url(), "fiche établissement", school.name)
    _visit(
        page,
        axe,
        f"/etablissements/{school.uai}/historique/",
        "historique établissement",
        "Historique des modifications",
    )

    _visit(page, axe, "/organisations/", "organisations", "Organisations partenaires")
    _visit(
        page,
        axe,
        "/organisations/?q=boulangerie&kind=entreprise&status=all",
        "organisations, filtres",
        "Organisations partenaires",
    )
    _visit(page, axe, company.get_absolute_url(), "fiche entreprise", company.name)
    expect(page.get_by_role("link", name="Modifier")).to_be_visible()
    _visit(
        page,
        axe,
        world.national.get_absolute_url(),
        "fiche organisation nationale",
        "Mouvement national (MN)",
    )
    _visit(page, axe, "/organisations/nouvelle/", "création", "Nouvelle organisation")
    _check_form_errors_are_accessible(page, axe)

    _visit(page, axe, "/compte/", "mon compte", "Mon compte")
    page.get_by_role("button", name="Créer un jeton").click()
    expect(page.get_by_text("Votre nouveau jeton")).to_be_visible()
    axe.check("mon compte, jeton créé")
    _visit(page, axe, "/compte/mot-de-passe/", "changer de mot de passe", "Changer de mot de passe")
    _visit(page, axe, "/accessibilite/", "accessibilité (connecté)", "Déclaration d'accessibilité")

    page.set_viewport_size(MOBILE)
    _visit(page, axe, "/", "tableau de bord (mobile)", re.compile("^Bonjour"))
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_visible()
    axe.check("menu mobile ouvert")
    _visit(page, axe, "/etablissements/?q=etienne", "établissements (mobile)", "Établissements")

    # data-fr-scheme="system": a dark system theme gets the DSFR dark palette.
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 1280, "height": 900})
    _visit(page, axe, "/", "tableau de bord (sombre)", re.compile("^Bonjour"))
    _visit(page, axe, school.get_absolute_url(), "fiche établissement (sombre)", school.name)
    axe.assert_clean()


def _check_form_errors_are_accessible(page, axe):
    """Submit a wrong form: every invalid field says so and is described by its error."""
    page.get_by_role("textbox", name=re.compile("^SIRET")).fill("12345678901234")
    page.get_by_role("textbox", name=re.compile("^Code NAF")).fill("99.99Q")
    page.get_by_role("combobox", name=re.compile("^Commune")).fill("Nulle-Part (00000)")
    page.get_by_role("textbox", name=re.compile("^Courriel")).fill("pas-une-adresse")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_role("alert")).to_contain_text("Le formulaire contient des erreurs")
    invalid = page.locator("[aria-invalid='true']")
    expect(invalid).to_have_count(5)  # name (required), SIRET, NAF, commune, e-mail
    for field in invalid.all():
        describedby = field.get_attribute("aria-describedby") or ""
        errors = [i for i in describedby.split() if i.endswith("-error")]
        assert errors, f"{field.get_attribute('name')} n'est décrit par aucun message d'erreur"
        expect(page.locator(f"#{errors[0]}")).not_to_be_empty()
        expect(field).to_have_accessible_description(re.compile(r"\w"))
    axe.check("création d'organisation, erreurs")


def test_dashboards_of_every_role(page, axe, log_in, world):
    """Each role has its own panel (the académie team's is checked with its other pages)."""
    users = {role: user for role, user in world.users.items() if role != "anonymous"}
    users["national_organisation_rep"] = make_user(Role.ORGANISATION_REP, world.national)
    for role, user in users.items():
        log_in(user)
        _visit(page, axe, "/", f"tableau de bord ({role})", re.compile("^Bonjour"))
    axe.assert_clean()
