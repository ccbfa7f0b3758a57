"""Open data (issue 11, item 5): every file of /donnees/ downloads without login, validates
against its own Table Schema (frictionless), and holds no personal data."""

import csv
import io
import json
import re

import pytest
from frictionless import Package

from relais.reporting import opendata, snapshot

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\b0[1-9](?:[ .]?\d{2}){4}\b")
PERSON_COLUMNS = re.compile(r"nom_|prenom|courriel|email|mail|telephone|phone|signataire|tuteur")


@pytest.fixture
def published(reporting_data, settings, tmp_path, client):
    settings.RELAIS_OPENDATA_DIR = tmp_path / "opendata"
    snapshot.snapshot_build()
    client.logout()
    return reporting_data


def _names():
    for dataset in opendata.DATASETS:
        yield f"{dataset.name}.csv"
        yield f"{dataset.name}.json"
    yield snapshot.PACKAGE
    yield snapshot.DCAT


def _download(client, name) -> bytes:
    response = client.get(f"/donnees/fichiers/{name}")
    assert response.status_code == 200, name
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_every_file_downloads_without_login_and_validates_against_its_schema(
    published, client, tmp_path
):
    folder = tmp_path / "downloaded"
    folder.mkdir()
    for name in _names():
        (folder / name).write_bytes(_download(client, name))
    package = Package(str(folder / snapshot.PACKAGE))
    assert {r.name for r in package.resources} == {
        name for d in opendata.DATASETS for name in (d.name, f"{d.name}-json")
    }
    report = package.validate()
    assert report.valid, report.flatten(["resourcePath", "rowNumber", "fieldName", "type", "note"])
    described = json.loads((folder / snapshot.PACKAGE).read_text())
    assert described["licenses"][0]["name"] == "etalab-2.0"
    assert described["version"] == "2026-03-10"
    dcat = json.loads((folder / snapshot.DCAT).read_text())
    assert dcat["@type"] == "dcat:Catalog"
    assert len(dcat["dcat:dataset"]) == len(opendata.DATASETS)
    assert all(
        d["dct:license"]["@id"].startswith("https://www.etalab.gouv.fr/")
        for d in dcat["dcat:dataset"]
    )


def test_the_files_hold_no_personal_data(published, client):
    for dataset in opendata.DATASETS:
        assert not [f.name for f in dataset.fields if PERSON_COLUMNS.search(f.name)], dataset.name
        for fmt in ("csv", "json"):
            text = _download(client, f"{dataset.name}.{fmt}").decode()
            assert not EMAIL.search(text), (dataset.name, EMAIL.search(text))
            assert not PHONE.search(text), dataset.name
            for person in ("Jeanne", "Signataire", "Paul", "Référent", "Lucie", "Pilote",
                           "Camille", "Élève", "Voisin", "Claire Dupuis"):  # fmt: skip
                assert person not in text.replace("Référent école", ""), (dataset.name, person)


def _rows(client, name):
    text = _download(client, f"{name}.csv").decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_conventions_clubs_campus_content(published, client):
    conventions = {row["numero"]: row for row in _rows(client, "conventions-en-vigueur")}
    assert set(conventions) == {"NAT-1", "LOC-1"}
    assert conventions["LOC-1"]["organisations_parties"] == "MEDEF Maison"
    assert conventions["LOC-1"]["convention_declinee"] == "NAT-1"
    assert conventions["LOC-1"]["niveau"] == "Académie"
    assert conventions["NAT-1"]["territoire"] == "National"
    clubs = {row["bassin"]: row for row in _rows(client, "clubs-ecole-entreprise")}
    assert clubs["BASSIN UN"]["a_un_club"] == "true"
    assert clubs["BASSIN UN"]["referent_en_fonction"] == "true"
    assert clubs["BASSIN UN"]["pilote_en_fonction"] == "true"
    assert clubs["BASSIN SANS CLUB"]["a_un_club"] == "false"
    campus = _rows(client, "campus-metiers-qualifications")
    assert campus[0]["uai_support"] == published.school.uai


def test_indicators_hide_counts_under_eleven_pupils(published, client):
    bassins = {row["bassin"]: row for row in _rows(client, "indicateurs-bassins")}
    mine = bassins["Bassin Un"]
    assert mine["eleves_orientes_pole"] == "14"
    assert mine["eleves_places"] == "12"
    assert mine["taux_placement_pct"] == "85.7"
    assert mine["delai_median_placement_jours"] == "10.0"
    assert mine["couverture_clee_pct"] == "100.0"
    # 3 pupils referred in the other bassin: nothing published about them.
    other = bassins["Bassin Deux"]
    assert other["eleves_orientes_pole"] == ""
    assert other["taux_placement_pct"] == ""
    academies = {row["code_academie"]: row for row in _rows(client, "indicateurs-academies")}
    home = academies[published.home.code]
    assert home["eleves_orientes_pole"] == "17"
    assert home["conseillers_prevus"] == "10"
    assert home["bassins"] == "3"
    # 14 priority pupils, 3 others: the gap would give the 3 away.
    assert home["ecart_placement_points"] == ""


def test_archives_and_unknown_files(published, client):
    day = snapshot.latest().day.isoformat()
    assert client.get(f"/donnees/archives/{day}/conventions-en-vigueur.csv").status_code == 200
    assert client.get("/donnees/archives/2001-01-01/conventions-en-vigueur.csv").status_code == 404
    assert client.get("/donnees/archives/demain/datapackage.json").status_code == 404
    assert client.get("/donnees/fichiers/..%2Fsecret_key").status_code == 404
    assert client.get("/donnees/fichiers/inconnu.csv").status_code == 404


def test_index_page_is_public(published, client):
    response = client.get("/donnees/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Licence Ouverte" in page and "10/03/2026" in page
    assert "conventions-en-vigueur.csv" in page


def test_snapshot_is_rebuilt_the_same_day_and_old_ones_pruned(reporting_data, settings, tmp_path):
    import datetime

    settings.RELAIS_OPENDATA_DIR = tmp_path / "od"
    for offset in range(snapshot.KEEP + 2):
        snapshot.snapshot_build(day=datetime.date(2026, 1, 1) + datetime.timedelta(days=offset))
    snapshot.snapshot_build(day=datetime.date(2026, 1, 9))
    kept = snapshot.snapshots()
    assert len(kept) == snapshot.KEEP
    assert kept[0].day == datetime.date(2026, 1, 9)
    assert not [p for p in (tmp_path / "od").iterdir() if p.name.startswith(".")]
