"""One browser journey through the conventions: the académie team drafts a convention, adds
its parties, signatories and an article, sends it for signature, records the signatures,
sees it in force and opens an avenant; axe-core audits the list and detail pages."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from relais.agreements.enums import AgreementState
from relais.agreements.models import Agreement
from tests.factories import TEST_PASSWORD

from .conftest import assert_dsfr_loaded, screenshot

pytestmark = pytest.mark.e2e


def field(page, label):
    """The form field whose label starts with ``label`` (« Nom » but not « dénommée »)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}"))


def _save(page, label="Enregistrer"):
    page.get_by_role("button", name=label, exact=True).click()


def test_academie_team_takes_a_convention_from_draft_to_in_force_then_an_avenant(
    page, axe, live_server, world
):
    user = world.users["academie_team"]
    page.goto("/connexion/?next=/conventions/")
    page.get_by_label("Adresse électronique").fill(user.email)
    page.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page).to_have_url(f"{live_server.url}/conventions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Conventions de partenariat")
    assert_dsfr_loaded(page)
    axe.check("liste des conventions (vide)")

    # The draft.
    page.get_by_role("link", name="Créer une convention").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nouvelle convention")
    field(page, "Intitulé").fill("Convention école-entreprise du Lez")
    field(page, "Type").select_option(label="Convention-cadre de partenariat")
    field(page, "Périmètre").select_option(label="Académie")
    field(page, "Académie").select_option(value=str(world.home.pk))
    _save(page, "Créer le brouillon")

    expect(page).to_have_url(re.compile(r"/conventions/\d+/$"))
    agreement = Agreement.objects.get(title="Convention école-entreprise du Lez")
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(agreement.title)
    expect(main.get_by_text(f"Le brouillon {agreement.number} est créé.")).to_be_visible()
    expect(main.locator(".fr-badge", has_text="Brouillon")).to_be_visible()
    axe.check("fiche d'un brouillon")

    # Parties and their signatories.
    parties = [
        ("Académie de Maison", "Éducation nationale", "Mme Claire Rectrice"),
        ("Boulangerie du Lez", "Monde économique", "M. Paul Boulanger"),
    ]
    for name, side, _ in parties:
        page.get_by_role("link", name="Ajouter une partie").click()
        page.get_by_role("textbox", name=re.compile(r"^\s*Nom")).fill(name)
        field(page, "Côté").select_option(label=side)
        _save(page)
        expect(main.get_by_text("Partie enregistrée.")).to_be_visible()
    for name, _, person in parties:
        page.get_by_role("link", name="Ajouter un signataire").click()
        field(page, "Partie").select_option(label=name)
        field(page, "Nom du signataire").fill(person)
        _save(page)
    table = main.get_by_role("table", name="Parties et signataires")
    expect(table.get_by_role("row")).to_have_count(3)  # header + two signatories
    expect(table).to_contain_text("M. Paul Boulanger")

    # An article.
    page.get_by_role("link", name="Ajouter un article").click()
    field(page, "Numéro").fill("1")
    field(page, "Titre").fill("Stages")
    field(page, "Texte").fill("L'entreprise accueille des élèves de troisième.")
    _save(page)
    expect(main.get_by_role("heading", name="Article 1 – Stages")).to_be_visible()

    # Sending for signature freezes the text.
    page.get_by_role("link", name="Envoyer en signature").click()
    _save(page, "Figer le texte et envoyer en signature")
    expect(main.get_by_text("Le texte est figé et envoyé en signature.")).to_be_visible()
    expect(main.locator(".fr-badge", has_text="En signature")).to_be_visible()
    expect(main.get_by_role("link", name="Ajouter un article")).to_have_count(0)

    # Each signatory signs on their own day.
    first_day = date.today() - timedelta(days=9)
    for index, (_, _, person) in enumerate(parties):
        day = first_day + timedelta(days=7 * index)
        main.get_by_label(f"Date de signature de {person}").fill(day.isoformat())
        row = table.get_by_role("row").filter(has_text=person)
        row.get_by_role("button", name="Enregistrer la signature").click()
        expect(main.get_by_text(f"Signature de {person} enregistrée.")).to_be_visible()
        expect(table).to_contain_text(f"Signé le {day:%d/%m/%Y} (papier)")
    last_day = first_day + timedelta(days=7)
    expect(
        main.get_by_text(f"La convention est en vigueur depuis le {last_day:%d/%m/%Y}.")
    ).to_be_visible()
    expect(main.locator(".fr-badge", has_text="En vigueur")).to_be_visible()
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.IN_FORCE and agreement.start_date == last_day
    screenshot(page, "convention-en-vigueur")
    axe.check("fiche d'une convention en vigueur")

    # The list shows it in force.
    page.get_by_role("link", name="Conventions", exact=True).first.click()
    results = page.get_by_role("table", name="Liste des conventions")
    expect(results.get_by_role("row").filter(has_text=agreement.number)).to_contain_text(
        "En vigueur"
    )
    axe.check("liste des conventions")
    results.get_by_role("link", name=agreement.title).click()

    # An avenant, with its own lifecycle.
    page.get_by_role("link", name="Rédiger un avenant").click()
    field(page, "Intitulé de l'avenant").fill("Avenant n° 1 — stages de seconde")
    _save(page, "Créer l'avenant")
    avenant = agreement.avenants.get()
    expect(page).to_have_url(f"{live_server.url}/conventions/{avenant.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Avenant n° 1 — stages de seconde")
    expect(main.get_by_text(f"L'avenant {avenant.number} est créé en brouillon.")).to_be_visible()
    expect(main).to_contain_text(f"avenant à {agreement}")
    expect(main.get_by_role("table", name="Parties et signataires")).to_contain_text(
        "M. Paul Boulanger"
    )
    axe.check("fiche d'un avenant")

    axe.assert_clean()


def test_deadlines_page_filters_and_pages_accessibly(page, axe, log_in, world, monkeypatch):
    """The Échéances page of a team with many deadlines: a filter by kind, then the next page,
    the filter kept; axe-core on each."""
    from dateutil.relativedelta import relativedelta

    from relais.www.agreements import views
    from tests.agreements.factories import in_force_agreement

    monkeypatch.setattr(views, "DEADLINES_PER_PAGE", 2)
    user = world.users["academie_team"]
    today = date.today()
    for index in range(3):  # each: an end of period, a renewal, a notice deadline in the year
        in_force_agreement(
            user, world.home, title=f"Convention reconduite n° {index + 1}",
            fields={"duration_months": 12, "tacit_renewal": True, "notice_months": 2},
            signed_on=today - relativedelta(months=12) + timedelta(days=30 + index),
        )  # fmt: skip
    log_in(user)
    page.goto("/conventions/echeances/?days=365")
    expect(page.get_by_role("heading", level=1)).to_have_text("Échéances des conventions")
    status = page.get_by_role("status")
    expect(status).to_have_text("9 échéances dans les 365 prochains jours, page 1 sur 5.")
    axe.check("échéances, première page")

    filters = page.get_by_role("form", name="Filtrer les échéances")
    filters.get_by_role("combobox", name="Échéance").select_option(label="Reconductions tacites")
    filters.get_by_role("button", name="Afficher").click()
    expect(status).to_have_text(
        "3 reconductions tacites dans les 365 prochains jours (sur 9 échéances), page 1 sur 2."
    )
    pagination = page.get_by_role("navigation", name="Pagination")
    pagination.get_by_role("link", name="Page suivante").click()
    expect(page).to_have_url(re.compile(r"\?days=365&kind=reconduction&scope=&page=2$"))
    expect(status).to_have_text(
        "3 reconductions tacites dans les 365 prochains jours (sur 9 échéances), page 2 sur 2."
    )
    expect(page.get_by_role("link", name="Convention reconduite n° 3")).to_be_visible()
    expect(filters.get_by_role("combobox", name="Échéance")).to_have_value("reconduction")
    axe.check("échéances, filtre et seconde page")
    axe.assert_clean()
