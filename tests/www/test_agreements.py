"""Conventions pages through the Django test client, as the académie team: drafting,
signature, avenant, termination, signed scans, search, filters, exports, Échéances, and the
frozen number of SQL queries of the list, the detail, the Échéances page and the exports."""

import csv
import html
import io
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.agreements import services
from relais.agreements.enums import AgreementKind, AgreementState, SignatureMode
from relais.agreements.models import Agreement, SignedScan
from tests.agreements.factories import draft_agreement, in_force_agreement, sign_all
from tests.documents.pdfs import tiny_pdf

BASE = "/conventions/"


@pytest.fixture
def team(world):
    return world.users["academie_team"]


@pytest.fixture
def client(world, client_for, team):
    return client_for(team)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _form_errors(response) -> str:
    context = getattr(response, "context", None) or {}
    form = context.get("form") if hasattr(context, "get") else None
    return str(form.errors) if form is not None else response.content.decode()[:500]


def post(client, url, data=None, *, status=302, **kwargs):
    response = client.post(url, data or {}, **kwargs)
    assert response.status_code == status, _form_errors(response)
    return response


def body(response) -> str:
    return html.unescape(response.content.decode())


def shift(day: date, *, months: int = 0, days: int = 0) -> date:
    return day + relativedelta(months=months) + timedelta(days=days)


EDIT_DEFAULTS = {
    "title": "",
    "legal_basis": "",
    "preamble": "",
    "effective_date": "",
    "duration_months": "",
    "max_renewals": "",
    "notice_months": "0",
    "termination_months": "0",
    "dispute_clause": "",
    "competent_court": "",
    "confidentiality_clause": "",
}


# --- creation and drafting ------------------------------------------------------------------


def test_team_creates_a_draft_with_the_form(world, client):
    response = post(
        client,
        f"{BASE}nouvelle/",
        {"title": "Convention avec la CPME", "kind": "cadre", "scope": "academie",
         "academie": world.home.pk},
    )  # fmt: skip
    agreement = Agreement.objects.get(title="Convention avec la CPME")
    assert response["Location"] == f"{BASE}{agreement.pk}/"
    assert agreement.state == AgreementState.DRAFT and agreement.academie == world.home
    assert (
        agreement.number.startswith("CONV-")
        and agreement.created_by == world.users["academie_team"]
    )
    page = client.get(response["Location"])
    assert f"Le brouillon {agreement.number} est créé." in body(page)
    assert "Brouillon" in body(page)


@pytest.mark.parametrize("scope", ["bassin", "etablissement"])
def test_team_creates_a_bassin_or_school_convention(world, client, scope):
    territory = (
        {"bassin": world.bassin.pk} if scope == "bassin" else {"establishment": world.school.uai}
    )
    post(
        client,
        f"{BASE}nouvelle/",
        {"title": "Convention locale", "kind": "locale", "scope": scope} | territory,
    )
    agreement = Agreement.objects.get(title="Convention locale")
    assert (agreement.academie, agreement.bassin) == (world.home, world.bassin)
    assert agreement.establishment == (world.school if scope == "etablissement" else None)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"kind": ""}, "kind", "Ce champ est obligatoire."),
        ({"academie": ""}, "academie", "Choisissez l'académie."),
        ({"scope": "national"}, None, "Vous ne pouvez pas créer de convention"),
        ({"title": "   "}, "title", "Ce champ est obligatoire."),
    ],
)
def test_bad_creation_form_keeps_what_was_typed_and_saves_nothing(
    world, client, data, field, message
):
    typed = {"title": "Convention de l'école inclusive", "kind": "cadre", "scope": "academie",
             "academie": world.home.pk} | data  # fmt: skip
    if field is None:  # a territory the team does not manage: refused outright
        response = client.post(f"{BASE}nouvelle/", typed)
        assert response.status_code == 403
        assert message in body(response)
    else:
        response = post(client, f"{BASE}nouvelle/", typed, status=400)
        assert message in response.context["form"].errors[field][0]
        assert "Le formulaire contient des erreurs" in body(response)
        if typed["title"].strip():
            assert 'value="Convention de l\'école inclusive"' in body(response)
    assert not Agreement.objects.exists()


def test_team_cannot_create_on_another_academie(world, client):
    response = post(
        client,
        f"{BASE}nouvelle/",
        {"title": "Ailleurs", "kind": "cadre", "scope": "academie", "academie": world.other.pk},
        status=400,
    )
    assert "Sélectionnez un choix valide" in response.context["form"].errors["academie"][0]
    assert not Agreement.objects.exists()


def test_edit_a_draft_and_refused_clauses(world, client, team):
    agreement = draft_agreement(team, world.home)
    url = f"{BASE}{agreement.pk}/modifier/"
    assert client.get(url).status_code == 200
    data = EDIT_DEFAULTS | {
        "title": "Convention Clubster — académie de Lille",
        "preamble": "Favoriser la réussite des élèves de l'école à l'emploi.",
        "legal_basis": "Vu le code de l'éducation ;",
        "duration_months": "12",
        "tacit_renewal": "on",
        "notice_months": "3",
        "termination_months": "2",
        "competent_court": "tribunal administratif de Lille",
        "open_to_new_signatories": "on",
    }
    post(client, url, data)
    agreement.refresh_from_db()
    assert agreement.title == "Convention Clubster — académie de Lille"
    assert (agreement.duration_months, agreement.tacit_renewal) == (12, True)
    assert (agreement.notice_months, agreement.termination_months) == (3, 2)
    assert agreement.open_to_new_signatories

    # A number of renewals without tacit renewal: refused, French error, nothing saved.
    bad = data | {"title": "Titre changé", "max_renewals": "2"}
    del bad["tacit_renewal"]
    response = post(client, url, bad, status=400)
    assert "suppose la reconduction tacite" in response.context["form"].errors["max_renewals"][0]
    assert 'value="Titre changé"' in body(response)
    agreement.refresh_from_db()
    assert agreement.title == "Convention Clubster — académie de Lille"
    assert agreement.tacit_renewal


def _add(client, agreement, kind, data, *, status=302):
    return post(client, f"{BASE}{agreement.pk}/{kind}/ajouter/", data, status=status)


CPME_SIGNATORIES = [
    # party, side, representative, signature date (the four dates of the 2018 convention)
    ("Académie de Paris", "education", "M. Gilles Pécout", date(2018, 1, 22)),
    ("Académie de Créteil", "education", "Mme Béatrice Gille", date(2018, 1, 24)),
    ("Académie de Versailles", "education", "M. Daniel Filâtre", date(2018, 1, 29)),
    ("CPME Île-de-France", "economique", "M. Bernard Cohen-Hadad", date(2018, 2, 5)),
]


def _cpme_through_the_pages(world, client) -> Agreement:
    post(
        client,
        f"{BASE}nouvelle/",
        {"title": "Convention CPME Île-de-France 2018", "kind": "cadre", "scope": "academie",
         "academie": world.home.pk},
    )  # fmt: skip
    agreement = Agreement.objects.get(title="Convention CPME Île-de-France 2018")
    post(
        client,
        f"{BASE}{agreement.pk}/modifier/",
        EDIT_DEFAULTS
        | {
            "title": agreement.title,
            "preamble": "Les quatre parties décident de favoriser le développement durable et "
            "structuré des relations de partenariat.",
            "duration_months": "36",
            "notice_months": "3",
            "termination_months": "3",
        },
    )
    for name, side, person, _ in CPME_SIGNATORIES:
        _add(client, agreement, "parties", {"name": name, "side": side, "represented_by": person})
    parties = {p.name: p for p in agreement.parties.all()}
    form = client.get(f"{BASE}{agreement.pk}/signataires/ajouter/").context["form"]
    assert form["party"].label == "Partie"  # French, like every label
    for name, _, person, _ in CPME_SIGNATORIES:
        _add(
            client,
            agreement,
            "signataires",
            {"party": parties[name].pk, "full_name": person, "title": "Représentant"},
        )
    _add(
        client,
        agreement,
        "articles",
        {"number": "1", "heading": "Mieux se connaître",
         "body": "Développer la connaissance réciproque de l'école et de l'entreprise."},
    )  # fmt: skip
    _add(
        client,
        agreement,
        "articles",
        {"number": "2", "heading": "Formation professionnelle",
         "body": "Adapter l'offre de formation aux besoins des TPE-PME."},
    )  # fmt: skip
    _add(
        client,
        agreement,
        "engagements",
        {"party": parties["CPME Île-de-France"].pk, "category": "jurys",
         "description": "Désigner des professionnels pour les jurys d'examen",
         "quantity": "20", "unit": "professionnels", "due_date": "2018-06-30",
         "article_number": "5"},
    )  # fmt: skip
    return agreement


def test_cpme_2018_from_draft_to_in_force_through_the_pages(world, client):
    agreement = _cpme_through_the_pages(world, client)
    assert agreement.parties.count() == 4 and agreement.signatories.count() == 4
    assert agreement.articles.count() == 2 and agreement.commitments.count() == 1
    page = body(client.get(f"{BASE}{agreement.pk}/"))
    assert "Mieux se connaître" in page and "Désigner des professionnels" in page

    post(client, f"{BASE}{agreement.pk}/envoyer/", {"note": ""})
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.IN_SIGNATURE
    assert agreement.versions.count() == 1
    # Frozen: the draft pages answer with a French error, nothing changes.
    response = _add(client, agreement, "articles", {"number": "3", "body": "x"}, status=400)
    assert "toute modification passe par un avenant" in body(response)
    assert agreement.articles.count() == 2

    signatories = {s.party.name: s for s in agreement.signatories.select_related("party")}
    future = date.today() + timedelta(days=1)
    first = signatories["Académie de Paris"]
    response = post(
        client,
        f"{BASE}{agreement.pk}/signer/{first.pk}/",
        {"signed_on": future.isoformat(), "mode": SignatureMode.PAPER},
        status=400,
    )
    assert "ne peut pas être dans le futur" in body(response)
    for name, _, person, signed_on in CPME_SIGNATORIES:
        response = post(
            client,
            f"{BASE}{agreement.pk}/signer/{signatories[name].pk}/",
            {"signed_on": signed_on.isoformat(), "mode": SignatureMode.PAPER},
        )
        page = body(client.get(response["Location"]))
        assert f"Signature de {person} enregistrée." in page
        agreement.refresh_from_db()
        last = name == "CPME Île-de-France"
        expected = AgreementState.IN_FORCE if last else AgreementState.IN_SIGNATURE
        assert agreement.state == expected
        # Issue 13: said as true today (three years from 2018: it has expired).
        done = "La convention a pris effet le 05/02/2018 ; elle est expirée (le 04/02/2021)."
        assert (done in page) == last
    assert agreement.signed_on == agreement.start_date == date(2018, 2, 5)
    assert "Expirée (le 04/02/2021)" in page
    for day in ("22/01/2018", "24/01/2018", "29/01/2018", "05/02/2018"):
        assert f"Signé le {day} (papier)" in page
    # Three years from the last signature: it ended on 04/02/2021.
    assert '<dt class="fr-text--bold">Fin prévue</dt><dd>04/02/2021</dd>' in page
    # A second signature of the same person is refused.
    response = post(
        client,
        f"{BASE}{agreement.pk}/signer/{first.pk}/",
        {"signed_on": "2018-01-22", "mode": SignatureMode.PAPER},
        status=400,
    )
    assert "n'est pas possible dans l'état « En vigueur »" in body(response)


def test_avenant_changes_an_article_and_a_clause_then_the_detail_is_consolidated(
    world, client, team
):
    agreement = in_force_agreement(team, world.home, partner=world.company)
    response = post(client, f"{BASE}{agreement.pk}/avenant/", {"title": ""})
    avenant = agreement.avenants.get()
    assert response["Location"] == f"{BASE}{avenant.pk}/"
    assert avenant.number.startswith("AV-") and avenant.state == AgreementState.DRAFT
    assert avenant.signatories.count() == agreement.signatories.count()

    _add(
        client,
        avenant,
        "articles",
        {"number": "1", "heading": "Axe 1 modifié", "operation": "remplace",
         "body": "Les partenaires accueillent 40 élèves de troisième en stage d'observation."},
    )  # fmt: skip
    post(
        client,
        f"{BASE}{avenant.pk}/modifier/",
        EDIT_DEFAULTS
        | {
            "title": avenant.title,
            "avenant-duration_months": "48",
            "avenant-tacit_renewal": "unknown",
            "avenant-competent_court": "tribunal administratif de Montpellier",
        },
    )
    avenant.refresh_from_db()
    assert avenant.clause_changes == {
        "duration_months": 48,
        "competent_court": "tribunal administratif de Montpellier",
    }
    post(client, f"{BASE}{avenant.pk}/envoyer/", {"note": "Durée portée à quatre ans"})
    for signatory in avenant.signatories.all():
        post(
            client,
            f"{BASE}{avenant.pk}/signer/{signatory.pk}/",
            {"signed_on": "2025-03-03", "mode": SignatureMode.ELECTRONIC},
        )
    avenant.refresh_from_db()
    assert avenant.state == AgreementState.IN_FORCE

    page = body(client.get(f"{BASE}{agreement.pk}/"))
    assert "Version consolidée (1 avenant)" in page
    assert "Articles (version consolidée)" in page
    assert f"Rédaction issue de {avenant.number}" in page
    assert "40 élèves de troisième" in page
    assert "Les partenaires développent les stages et le réseau n° 1." not in page
    assert "Les partenaires développent les stages et le réseau n° 2." in page
    assert "<dd>quatre ans</dd>" in page  # 48 months, whole years: « quatre ans »
    assert "tribunal administratif de Montpellier" in page
    # The new duration moves the end of the period: 15/01/2024 + 48 months.
    assert "au 14/01/2028" in page
    agreement.refresh_from_db()
    assert agreement.current_end == date(2028, 1, 14)


@pytest.mark.parametrize(
    ("kind", "fields", "months"),
    [
        # Lille (Clubster): 2 months after the registered letter.
        (
            AgreementKind.FRAMEWORK,
            {"duration_months": 12, "tacit_renewal": True, "termination_months": 2},
            2,
        ),  # fmt: skip
        # The model CEE convention: 6 months.
        (AgreementKind.CEE, {}, 6),
    ],
)
def test_termination_shows_the_end_date_from_the_clause(world, client, team, kind, fields, months):
    today = date.today()
    agreement = in_force_agreement(
        team, world.home, kind=kind, fields=fields, signed_on=today - timedelta(days=200)
    )
    notice = today - timedelta(days=10)
    last_day = notice + relativedelta(months=months)
    url = f"{BASE}{agreement.pk}/resilier/"
    words = {2: "deux", 6: "six"}[months]
    assert f"{words} mois après la réception de la dénonciation" in body(client.get(url))
    partner = agreement.parties.exclude(side="education").get()
    response = post(
        client, url, {"notice_received_on": notice.isoformat(), "reason": "", "party": partner.pk},
        status=400,
    )  # fmt: skip
    assert "obligatoire" in response.context["form"].errors["reason"][0]
    post(
        client,
        url,
        {"notice_received_on": notice.isoformat(), "reason": "Fin du partenariat",
         "party": partner.pk},
    )  # fmt: skip
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.TERMINATED
    assert agreement.terminated_on == last_day
    page = body(client.get(f"{BASE}{agreement.pk}/"))
    assert f"prend fin le {last_day:%d/%m/%Y}" in page
    assert f"dénonciation reçue le {notice:%d/%m/%Y} de {partner.name}" in page
    assert f"dernier jour en vigueur : {last_day:%d/%m/%Y}" in page
    assert f"En préavis (fin le {last_day:%d/%m/%Y})" in page  # the state on read


# --- the actions the page offers (AGREEMENT_WORKFLOW) -------------------------------------


def _buttons(response) -> list[str]:
    return [button["label"] for button in response.context["buttons"]]


def test_the_detail_offers_what_the_workflow_allows(world, client, team):
    empty = services.agreement_create(
        user=team, title="Vide", kind=AgreementKind.FRAMEWORK, scope="academie",
        academie=world.home,
    )  # fmt: skip
    response = client.get(f"{BASE}{empty.pk}/")
    assert _buttons(response) == ["Modifier le texte et les clauses", "Abandonner"]
    page = body(response)
    assert "« Envoyer en signature » n'est pas encore possible : " in page
    assert "Une convention lie au moins deux parties." in page
    assert "Ajouter une partie" in page

    draft = draft_agreement(team, world.home)
    assert _buttons(client.get(f"{BASE}{draft.pk}/")) == [
        "Modifier le texte et les clauses",
        "Envoyer en signature",
        "Abandonner",
    ]
    draft = services.agreement_send_for_signature(user=team, agreement=draft)
    response = client.get(f"{BASE}{draft.pk}/")
    assert _buttons(response) == ["Revenir en brouillon", "Déposer le scan signé", "Abandonner"]
    assert response.context["can_sign"] and "Ajouter une partie" not in body(response)
    services.agreement_record_signature(
        user=team, signatory=draft.signatories.first(), signed_on=date(2024, 1, 2), mode="papier"
    )
    response = client.get(f"{BASE}{draft.pk}/")
    assert _buttons(response) == ["Déposer le scan signé", "Abandonner"]
    assert "« Revenir en brouillon » n'est pas encore possible : Une signature est déjà" in body(
        response
    )

    live = in_force_agreement(team, world.home)
    assert _buttons(client.get(f"{BASE}{live.pk}/")) == [
        "Rédiger un avenant",
        "Décliner localement",
        "Déposer le scan signé",
        "Enregistrer une non-reconduction",
        "Enregistrer une résiliation",
        "Résilier pour manquement",
        "Mettre fin d'un commun accord",
    ]
    page = body(client.get(f"{BASE}{live.pk}/"))
    assert "Création" in page and "Entrée en vigueur" in page  # the journal
    assert "— → Brouillon" in page and "Brouillon → En signature" in page


def test_readers_get_no_action(world, team):
    from django.test import Client

    live = in_force_agreement(team, world.home, partner=world.company)
    for role in ("teacher", "organisation_rep", "bassin_referent"):
        reader = Client()
        reader.force_login(world.users[role])
        response = reader.get(f"{BASE}{live.pk}/")
        assert response.status_code == 200
        assert response.context["buttons"] == [] and response.context["blocked"] == []
        assert "Enregistrer une résiliation" not in body(response)


def test_templates_compare_no_state():
    """The pages show what the view computed (ADR 0007): no state in the templates."""
    from pathlib import Path

    from relais.agreements.enums import AgreementState

    folder = Path(__file__).parents[2] / "relais" / "www" / "templates" / "agreements"
    for template in folder.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert ".state ==" not in text and ".state !=" not in text, template
        for state in AgreementState.values:
            assert f'"{state}"' not in text and f"'{state}'" not in text, (template, state)


# --- signed scans ---------------------------------------------------------------------------


def test_a_signed_pdf_is_stored_and_listed(world, client, team, media):
    agreement = in_force_agreement(team, world.home)
    pdf = tiny_pdf("Convention signée")
    upload = SimpleUploadedFile("convention signée.pdf", pdf, "application/pdf")
    post(client, f"{BASE}{agreement.pk}/scans/ajouter/", {"file": upload, "note": "Original"})
    scan = SignedScan.objects.get()
    assert scan.size == len(pdf) and scan.uploaded_by == team
    assert scan.file.path.startswith(str(media))
    page = body(client.get(f"{BASE}{agreement.pk}/"))
    assert "convention signée.pdf" in page and "Original" in page
    download = client.get(f"{BASE}{agreement.pk}/scans/{scan.pk}/")
    assert download.content == pdf


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("scan.pdf", b"PK\x03\x04" + b"une archive zip renommee" * 20, "n'est pas un PDF"),
        ("vide.pdf", b"", "vide"),
        ("lourd.pdf", None, "la limite est de"),  # too large: a real PDF over the limit
    ],
)
def test_bad_scans_are_refused_and_nothing_is_stored(
    world, client, team, media, settings, name, content, message
):
    agreement = in_force_agreement(team, world.home)
    if content is None:
        content = tiny_pdf("Un document trop lourd")
        settings.RELAIS_UPLOAD_MAX_BYTES = len(content) - 1
    upload = SimpleUploadedFile(name, content, "application/pdf")
    response = post(client, f"{BASE}{agreement.pk}/scans/ajouter/", {"file": upload}, status=400)
    assert message in response.context["form"].errors["file"][0]
    assert "rien n'a été enregistré" in body(response)
    assert not SignedScan.objects.exists()
    assert [p for p in media.rglob("*") if p.is_file()] == []


# --- search, filters, exports ---------------------------------------------------------------


def _titles(response) -> set[str]:
    return {a.title for a in response.context["page_obj"]}


def test_full_text_search_ignores_accents(world, client, team):
    draft_agreement(team, world.home, title="Partenariat pour l'école inclusive")
    other = draft_agreement(team, world.home, title="Convention des métiers du bâtiment")
    services.article_save(
        user=team,
        agreement=other,
        data={"number": "9", "body": "Les élèves découvrent les chantiers de Sète."},
    )
    assert _titles(client.get(BASE, {"q": "ecole"})) == {"Partenariat pour l'école inclusive"}
    assert _titles(client.get(BASE, {"q": "ÉCOLE"})) == {"Partenariat pour l'école inclusive"}
    assert _titles(client.get(BASE, {"q": "chantiers sete"})) == {
        "Convention des métiers du bâtiment"
    }
    assert _titles(client.get(BASE, {"q": "metiers"})) == {"Convention des métiers du bâtiment"}
    response = client.get(BASE, {"q": "aeronautique"})
    assert _titles(response) == set()
    assert "Aucune convention ne correspond" in body(response)


@pytest.fixture
def catalogue(world, team):
    """Conventions of every kind and state on the home académie, one elsewhere."""
    today = date.today()
    ending = in_force_agreement(
        team, world.home, title="Se termine bientôt", partner=world.company,
        signed_on=shift(today, months=-36, days=40),
    )  # fmt: skip
    lasting = in_force_agreement(team, world.home, title="Dure encore", signed_on=today)
    cee = draft_agreement(team, world.home, title="Conseillers entreprises", kind="cee")
    local = services.agreement_decline(
        user=team, parent=lasting, title="Déclinaison du bassin", scope="bassin",
        bassin=world.bassin,
    )  # fmt: skip
    avenant = services.avenant_create(user=team, agreement=ending, title="Avenant de test")
    foreign = in_force_agreement(
        world.users["national_admin"], world.other, title="Hors académie", partner=world.company
    )
    return {"ending": ending, "lasting": lasting, "cee": cee, "local": local,
            "avenant": avenant, "foreign": foreign}  # fmt: skip


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"ending", "lasting", "cee", "local", "avenant"}),
        ({"state": "en_vigueur"}, {"ending", "lasting"}),
        ({"state": "brouillon"}, {"cee", "local", "avenant"}),
        ({"kind": "cee"}, {"cee"}),
        ({"kind": "avenant"}, {"avenant"}),
        ({"scope": "bassin"}, {"local"}),
        ({"partner": "company"}, {"ending", "avenant"}),
        ({"ends_within": "90"}, {"ending"}),
        ({"ends_within": "90", "state": "brouillon"}, set()),
    ],
)
def test_list_filters(world, client, catalogue, params, expected):
    if params.get("partner") == "company":
        params = params | {"partner": world.company.pk}
    response = client.get(BASE, params)
    assert response.status_code == 200
    assert _titles(response) == {catalogue[k].title for k in expected}
    assert "Hors académie" not in body(response)


def test_csv_and_xlsx_exports_include_avenants(world, client, catalogue):
    from openpyxl import load_workbook

    response = client.get(f"{BASE}export.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[:4] == ["Numéro", "Intitulé", "Type", "Avenant à"]
    by_number = {row[0]: dict(zip(header, row, strict=True)) for row in data}
    assert set(by_number) == {a.number for k, a in catalogue.items() if k != "foreign"}
    avenant, ending = catalogue["avenant"], catalogue["ending"]
    assert by_number[avenant.number]["Type"] == "Avenant"
    assert by_number[avenant.number]["Avenant à"] == ending.number
    assert by_number[catalogue["local"].number]["Convention déclinée de"] == (
        catalogue["lasting"].number
    )
    assert "Boulangerie du Lez" in by_number[ending.number]["Parties"]

    response = client.get(f"{BASE}export.xlsx", {"kind": "avenant"})
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:4] == ("Numéro", "Intitulé", "Type", "Avenant à")
    assert [row[:4] for row in values[1:]] == [
        (avenant.number, "Avenant de test", "Avenant", ending.number)
    ]
    response = client.get(f"{BASE}export.xlsx")
    values = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    by_number = {row[0]: dict(zip(values[0], row, strict=True)) for row in values[1:]}
    assert len(by_number) == 5 and catalogue["foreign"].number not in by_number
    row = by_number[ending.number]
    assert row["État"] == "En vigueur"
    assert row["Entrée en vigueur"].date() == ending.start_date  # a real date cell
    assert row["Fin de la période en cours"].date() == ending.current_end


# --- Échéances ------------------------------------------------------------------------------


def _renewed(user, academie, *, title):
    """Tacitly renewed once (12 months, 3 months' notice); next notice deadline in ~4 weeks."""
    today = date.today()
    return in_force_agreement(
        user,
        academie,
        title=title,
        fields={"duration_months": 12, "tacit_renewal": True, "notice_months": 3},
        signed_on=shift(today, months=-24, days=120),
    )


def test_deadlines_page_lists_the_notice_deadline_of_a_renewed_convention(world, client, team):
    mine = _renewed(team, world.home, title="Reconduite chez nous")
    _renewed(world.users["national_admin"], world.other, title="Reconduite ailleurs")
    assert mine.next_notice_deadline is not None
    days_left = (mine.next_notice_deadline - date.today()).days
    assert 0 <= days_left <= 90
    response = client.get(f"{BASE}echeances/")
    page = body(response)
    assert response.context["days"] == 90
    notices = [i for i in response.context["items"] if i.deadline.kind == "preavis"]
    assert [(i.agreement, i.deadline.due_on) for i in notices] == [
        (mine, mine.next_notice_deadline)
    ]
    assert "Dernier jour pour dénoncer la convention (non-reconduction)" in page
    assert f"{mine.next_notice_deadline:%d/%m/%Y}" in page
    assert f"{days_left} jour" in page
    assert "Reconduite chez nous" in page and "Reconduite ailleurs" not in page
    detail = body(client.get(f"{BASE}{mine.pk}/"))
    assert "Reconduction n° 1" in detail
    # A shorter horizon leaves it out when it is further than that.
    if days_left > 30:
        assert client.get(f"{BASE}echeances/", {"days": 30}).context["items"] == []


def test_deadlines_page_keeps_the_renewal_due_today_after_the_morning_refresh(world, client, team):
    """The page preselects conventions by their stored dates; the renewal that starts a
    period is due on its first day, when the morning job has already stored the new period."""
    today = date.today()
    renewed_today = in_force_agreement(
        team, world.home, title="Reconduite ce matin",
        fields={"duration_months": 12, "tacit_renewal": True, "notice_months": 1},
        signed_on=shift(today, months=-12),
    )  # fmt: skip
    services.refresh_dates(renewed_today, today=today)  # what the 6:10 job does
    renewed_today.refresh_from_db()
    assert renewed_today.current_start == today
    assert renewed_today.current_end > today + timedelta(days=90)
    assert renewed_today.next_notice_deadline > today + timedelta(days=90)
    in_force_agreement(
        team, world.home, title="Loin de toute échéance",
        fields={"duration_months": 60, "notice_months": 0}, signed_on=today,
    )  # fmt: skip
    items = client.get(f"{BASE}echeances/").context["items"]
    assert [(i.agreement.title, i.deadline.kind, i.deadline.due_on) for i in items] == [
        ("Reconduite ce matin", "reconduction", today)
    ]


@pytest.mark.parametrize("days", [30, 90, 180, 365])
def test_deadlines_preselection_keeps_every_deadline(world, team, days):
    """``upcoming_deadlines`` (stored dates first) gives what the full computation over every
    live convention gives."""
    from relais.agreements.selectors import (
        agreements_visible_to,
        due_between,
        live_agreements,
        upcoming_deadlines,
    )

    today = date.today()
    terms = [
        {"duration_months": 12, "tacit_renewal": True, "notice_months": 3},
        {"duration_months": 24, "tacit_renewal": True, "max_renewals": 1, "notice_months": 1},
        {"duration_months": 36, "notice_months": 0},
        {"duration_months": 6, "tacit_renewal": True, "notice_months": 2},
        {"duration_months": None, "notice_months": 0},
    ]
    for index, fields in enumerate(terms * 3):
        signed = shift(today, months=-3 * index - 1, days=-index)
        in_force_agreement(team, world.home, title=f"C{index}", fields=fields, signed_on=signed)
    in_force_agreement(
        team, world.home, title="Fin dans neuf jours", fields=terms[0],
        signed_on=shift(today, months=-12, days=10),
    )  # fmt: skip
    full = due_between(
        live_agreements(agreements_visible_to(team)), start=today, end=today + timedelta(days=days)
    )
    fast = upcoming_deadlines(team, days=days, today=today)
    assert full  # the case is not empty
    assert [(i.agreement.pk, i.deadline.kind, i.deadline.due_on) for i in fast] == [
        (i.agreement.pk, i.deadline.kind, i.deadline.due_on) for i in full
    ]


def _due(items):
    return [(i.agreement.pk, i.deadline.kind, i.deadline.due_on) for i in items]


def test_deadlines_page_is_paginated_by_date_with_its_filters_kept(
    world, client, team, monkeypatch
):
    """Three deadlines a convention in the year (end of the first period, renewal, notice
    of the second): 12, five a page; pages follow one another in date order, the links
    keep the horizon and the filter."""
    from relais.agreements.selectors import upcoming_deadlines
    from relais.www.agreements import views

    monkeypatch.setattr(views, "DEADLINES_PER_PAGE", 5)
    _many(world, team, 4)
    everything = _due(upcoming_deadlines(team, days=365))
    assert len(everything) == 12
    shown = []
    for number in (1, 2, 3):
        response = client.get(f"{BASE}echeances/", {"days": 365, "page": number})
        shown += _due(response.context["items"])
        page = body(response)
        assert f"12 échéances dans les 365 prochains jours, page {number} sur 3." in page
        assert f"Échéances des 365 prochains jours, page {number} sur 3" in page  # caption
    assert shown == everything
    assert "?days=365&page=2" in page  # the last page links back, the horizon kept
    # A filter on the kind of deadline: counted among all, kept in the page links.
    monkeypatch.setattr(views, "DEADLINES_PER_PAGE", 3)
    response = client.get(f"{BASE}echeances/", {"days": 365, "kind": "reconduction"})
    page = body(response)
    renewals = [item for item in everything if item[1] == "reconduction"]
    assert _due(response.context["items"]) == renewals[:3]
    assert "4 reconductions tacites dans les 365 prochains jours (sur 12 échéances)" in page
    assert "?days=365&kind=reconduction&page=2" in page
    for text in (
        "4 reconductions tacites",
        "4 derniers jours pour dénoncer",
        "4 fins de période ou de convention",
        "Toutes les échéances",
    ):
        assert text in page
    response = client.get(f"{BASE}echeances/", {"days": 365, "kind": "reconduction", "page": 2})
    assert _due(response.context["items"]) == renewals[3:]


def test_deadlines_page_filters_by_scope_and_ignores_unknown_values(world, client, team):
    _many(world, team, 2)
    response = client.get(f"{BASE}echeances/", {"days": 365, "scope": "bassin"})
    assert response.context["items"] == []
    page = body(response)
    assert "0 échéance dans les 365 prochains jours." in page
    assert "Aucune échéance dans cette période pour ces critères." in page
    response = client.get(f"{BASE}echeances/", {"days": 365, "scope": "academie"})
    assert len(response.context["items"]) == 6
    # Values out of the choices are ignored, the others kept; a page too far is the last.
    response = client.get(
        f"{BASE}echeances/", {"days": 365, "kind": "autre", "scope": "x", "page": "99"}
    )
    assert response.status_code == 200
    assert (response.context["days"], response.context["kind"]) == (365, "")
    assert len(response.context["items"]) == 6
    response = client.get(f"{BASE}echeances/", {"days": "7"})
    assert response.context["days"] == 90


def test_school_and_bassin_conventions_reach_their_bassin_and_their_parties(world, team):
    """The référent of a bassin sees its schools' conventions, not those of the neighbouring
    bassin's school; the organisation sees those it is party to (both read through indexed
    subqueries: their results are pinned here)."""
    from django.test import Client

    from relais.agreements.enums import PartySide

    made = {}
    for title, territory in {
        "École du bassin": {"scope": "etablissement", "establishment": world.school},
        "École voisine": {"scope": "etablissement", "establishment": world.school2},
        "Bassin": {"scope": "bassin", "bassin": world.bassin},
    }.items():
        made[title] = services.agreement_create(
            user=team, title=title, kind=AgreementKind.LOCAL, **territory
        )
    services.party_save(
        user=team,
        agreement=made["École voisine"],
        data={"organisation": world.company, "name": world.company.name,
              "side": PartySide.ECONOMIC},
    )  # fmt: skip
    expected = {
        "bassin_referent": {"École du bassin", "Bassin"},
        "teacher": {"École du bassin", "Bassin"},
        "organisation_rep": {"École voisine"},
        "academie_team": set(made),
    }
    for role, titles in expected.items():
        client = Client()
        client.force_login(world.users[role])
        listed = client.get(BASE).context["page_obj"].object_list
        assert {a.title for a in listed} & set(made) == titles, role


def test_partner_filter_offers_professional_partners_in_reach_and_the_chosen_one(
    world, client, team, catalogue
):
    from relais.organisations.models import Organisation

    union = Organisation.objects.create(
        name="Union professionnelle du bâtiment", kind="professionnelle", level="national"
    )
    draft_agreement(team, world.home, title="Avec l'union", partner=union)
    elsewhere = Organisation.objects.create(
        name="Fédération d'une autre académie", kind="professionnelle", level="national"
    )
    draft_agreement(world.users["national_admin"], world.other, partner=elsewhere)
    choices = dict(client.get(BASE).context["filter"]["form"].fields["partner"].choices)
    assert union.name in choices.values()
    assert elsewhere.name not in choices.values()
    assert world.company.name not in choices.values()  # a company: found by the search
    chosen = client.get(BASE, {"partner": world.company.pk}).context["filter"]["form"]
    assert world.company.name in dict(chosen.fields["partner"].choices).values()


# --- frozen query counts --------------------------------------------------------------------


def _many(world, team, count):
    today = date.today()
    made = []
    for index in range(count):
        agreement = draft_agreement(
            team, world.home, title=f"Convention n° {index}", partner=world.company, partners=2,
            fields={"duration_months": 12, "tacit_renewal": True, "notice_months": 2},
        )  # fmt: skip
        made.append(sign_all(team, agreement, on=shift(today, months=-12, days=30 + index)))
    services.avenant_create(user=team, agreement=made[0], title="")
    return made


@pytest.mark.parametrize("count", [2, 12])
def test_list_query_count_does_not_grow(world, client, team, django_assert_num_queries, count):
    _many(world, team, count)
    client.get(BASE)  # warm the session
    # Session, user, memberships; partner choices; count + rows; parties and avenants
    # (prefetch: the state of each row is computed on read with their clause changes).
    with django_assert_num_queries(8):
        response = client.get(BASE, {"q": "convention"})
    assert len(response.context["page_obj"]) == count + 1
    with django_assert_num_queries(8):
        client.get(BASE, {"state": "en_vigueur", "ends_within": "365"})


@pytest.mark.parametrize("count", [2, 12])
def test_exports_query_count_does_not_grow(world, client, team, django_assert_num_queries, count):
    _many(world, team, count)
    # Session, user, memberships; partner choices; rows; parties and avenants (prefetch).
    with django_assert_num_queries(7):
        response = client.get(f"{BASE}export.csv")
        lines = b"".join(response.streaming_content).decode().splitlines()
    assert len(lines) == count + 2
    with django_assert_num_queries(7):
        client.get(f"{BASE}export.xlsx")


@pytest.mark.parametrize("count", [2, 12])
def test_deadlines_query_count_does_not_grow(world, client, team, django_assert_num_queries, count):
    _many(world, team, count)
    # Session, user, memberships; the conventions that may fall due (their dates and clauses
    # only); their avenants in force; the conventions of the page (with their territory).
    with django_assert_num_queries(6):
        response = client.get(f"{BASE}echeances/", {"days": 365})
    assert len({i.agreement.pk for i in response.context["items"]}) == count
    assert len(response.context["items"]) == 3 * count  # one page: 50 at most
    with django_assert_num_queries(6):
        response = client.get(f"{BASE}echeances/", {"days": 365, "page": 2, "kind": "fin"})
    assert len(response.context["items"]) == count


@pytest.mark.parametrize(("parties", "avenants"), [(1, 1), (6, 3)])
def test_detail_query_count_does_not_grow(
    world, client, team, django_assert_num_queries, parties, avenants
):
    agreement = in_force_agreement(team, world.home, partners=parties, articles=parties)
    for index in range(avenants):
        avenant = services.avenant_create(user=team, agreement=agreement, title=f"Avenant {index}")
        services.article_save(
            user=team,
            agreement=avenant,
            data={"number": "1", "body": f"Rédaction {index}", "operation": "remplace"},
        )
        sign_all(team, avenant, on=date(2024, 6, 1) + timedelta(days=index))
    services.scan_add(
        user=team,
        agreement=agreement,
        upload=SimpleUploadedFile("s.pdf", tiny_pdf("Signée"), "application/pdf"),
    )
    # Session, user, memberships; the convention with its parties, signatories, articles,
    # commitments; its avenants with theirs; versions, journal, scans, declinations; the
    # uploaded Word template (missing fields).
    with django_assert_num_queries(19):
        response = client.get(f"{BASE}{agreement.pk}/")
    assert f"Rédaction issue de {avenant.number}" in body(response)
    assert len(response.context["consolidated"].avenants) == avenants


# --- documents ------------------------------------------------------------------------------


def test_document_downloads_and_the_cee_fields_to_complete(world, client, team):
    signed = in_force_agreement(team, world.home, partner=world.company)
    response = client.get(f"{BASE}{signed.pk}/document.docx")
    assert response["Content-Disposition"] == f'attachment; filename="{signed.number}.docx"'
    assert response.content.startswith(b"PK")
    response = client.get(f"{BASE}{signed.pk}/document.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")

    cee = draft_agreement(team, world.home, kind=AgreementKind.CEE, title="CEE")
    page = body(client.get(f"{BASE}{cee.pk}/"))
    assert "Champs du modèle à compléter avant de générer le document" in page
    assert "Article 2 — domaines d'intervention convenus" in page
    response = client.get(f"{BASE}{cee.pk}/document.docx")
    assert response.status_code == 302 and response["Location"] == f"{BASE}{cee.pk}/"
    page = body(client.get(response["Location"]))
    assert "Champs à compléter avant de générer le document : " in page
    # The page to complete them: one field per blank, stored in template_fields.
    url = f"{BASE}{cee.pk}/champs/"
    assert "Article 3 — secteur(s) d'expertise des candidats" in body(client.get(url))
    post(client, url, {"domaines_intervention": "Les stages de seconde", "secteurs": ""})
    cee.refresh_from_db()
    assert cee.template_fields == {"domaines_intervention": "Les stages de seconde"}
    page = body(client.get(f"{BASE}{cee.pk}/"))
    assert "Article 2 — domaines d'intervention convenus" not in page
    assert "Article 3 — secteur(s) d'expertise des candidats" in page
