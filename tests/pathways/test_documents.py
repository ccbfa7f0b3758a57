"""The pupil's record goes with the pupil (issue 10, item 5): the PDF for the family, the
JSON document for another system and the class's PDF are produced, then read back."""

import datetime
import io
import json

import jsonschema
import pypdf
import pytest

from relais.documents.rendering import pdf_text
from relais.pathways.documents import (
    FORMAT,
    JSON_SCHEMA,
    VERSION,
    class_pdf,
    parcours_data,
    parcours_json,
    parcours_pdf,
)
from relais.pathways.selectors import class_parcours, pupil_parcours
from relais.pathways.services import ExperienceData, class_credit, internship_declare
from tests.factories import OrganisationFactory

from .conftest import YEAR, add_pupil

VALIDATOR = jsonschema.Draft202012Validator(
    JSON_SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def words(content: bytes) -> str:
    return " ".join(pdf_text(content).split())


@pytest.fixture
def credited(frozen, school, teacher, class_3b):
    """Léa Martin: a visit done (with a partner of Relais), a project planned, a stage
    declared; Moussa Diallo was absent from the visit."""
    partner = OrganisationFactory(name="Ateliers du Lez", siret="99999999900013")
    class_credit(
        user=teacher, establishment=school, school_year=YEAR, class_labels=["3e B"],
        data=ExperienceData(kind="visite", date=datetime.date(2027, 1, 20),
                            title="Visite de l'atelier", organisation=partner,
                            place="Montpellier"),
        absent_ids=[class_3b[1].pk],
    )  # fmt: skip
    class_credit(
        user=teacher, establishment=school, school_year=YEAR, class_labels=["3e B"],
        data=ExperienceData(kind="mini_entreprise", date=datetime.date(2027, 5, 10),
                            partner_label="Entreprendre pour apprendre"),
    )  # fmt: skip
    internship_declare(
        user=teacher, pupil=class_3b[0], kind="stage_3e", date=datetime.date(2026, 12, 7),
        partner_label="Boulangerie Pons", place="Lunel",
    )  # fmt: skip
    return class_3b


def test_the_family_pdf_lists_the_four_items_and_every_experience(credited, school):
    lea = credited[0]
    rendered = parcours_pdf(pupil_parcours(lea))
    assert rendered.mimetype == "application/pdf"
    assert rendered.filename == f"parcours-avenir-eleve-{lea.pk}.pdf"
    assert rendered.content.startswith(b"%PDF")
    text = words(rendered.content)
    assert "Parcours Avenir de Léa Martin" in text
    assert f"{school.name} (UAI {school.uai})" in text
    assert "3e B" in text and "2026-2027" in text
    for label in ("Une visite", "Une rencontre", "Un stage", "Un projet"):
        assert label in text
    assert text.count("Fait") == 2  # the visit and the stage
    assert "Prévu" in text and "Manquant" in text  # the project ahead; no meeting
    assert "Attendu cette année et encore à faire : une rencontre." in text
    # Every experience with its date, title, items, partner, place and origin.
    assert "20/01/2027 Visite de l'atelier" in text
    assert "Ateliers du Lez Montpellier" in text
    assert "10/05/2027" in text and "Entreprendre pour apprendre" in text
    assert "07/12/2026" in text and "Boulangerie Pons Lunel" in text
    assert "Stage déclaré par l'établissement" in text
    assert "Sortie ou projet de la classe" in text
    # Nothing of the other pupils.
    assert "Diallo" not in text and "Bernard" not in text


def test_a_pupil_without_experience_gets_a_pdf_saying_so(frozen, school):
    pupil = add_pupil(school, "Nouveau", "Sam", klass="6e A", level="6e")
    text = words(parcours_pdf(pupil_parcours(pupil)).content)
    assert "Aucune expérience enregistrée pour l'instant." in text
    assert text.count("Manquant") == 4
    assert "0 élément sur 4 fait." in text


def test_the_json_document_is_valid_and_says_everything(credited, school):
    lea = credited[0]
    rendered = parcours_json(pupil_parcours(lea))
    assert rendered.mimetype == "application/json"
    assert rendered.filename == f"parcours-avenir-eleve-{lea.pk}.json"
    document = json.loads(rendered.content.decode("utf-8"))
    VALIDATOR.validate(document)
    assert document["format"] == FORMAT == "relais-parcours-avenir"
    assert document["version"] == VERSION == 1
    assert document["genere_le"] == "2027-03-15T11:00:00+01:00"  # Paris time
    assert document["eleve"] == {
        "nom": "Martin",
        "prenom": "Léa",
        "classe": "3e B",
        "niveau": "3e",
        "niveau_libelle": "3e",
        "annee_scolaire": "2026-2027",
        "identifiant_etablissement": None,
    }
    assert document["etablissement"] == {"uai": school.uai, "nom": "Collège Voltaire"}
    assert document["statut"] == {
        "visite": "fait",
        "rencontre": "manquant",
        "stage": "fait",
        "projet": "prevu",
        "complet": False,
        "attendus_manquants": ["rencontre"],
    }
    stage, visit, project = document["experiences"]  # oldest first
    assert visit == {
        "date": "2027-01-20",
        "intitule": "Visite de l'atelier",
        "type": "visite",
        "type_libelle": "Visite d'entreprise",
        "elements": ["visite"],
        "statut": "fait",
        "partenaire": "Ateliers du Lez",
        "partenaire_siret": "99999999900013",
        "lieu": "Montpellier",
        "origine": "classe",
        "origine_libelle": "Sortie ou projet de la classe",
    }
    assert stage["elements"] == ["stage"] and stage["origine"] == "etablissement"
    assert stage["partenaire"] == "Boulangerie Pons" and stage["partenaire_siret"] is None
    assert project["statut"] == "prevu" and project["lieu"] is None
    # No priority flag, no internal identifier of Relais leaves with the pupil.
    assert "qpv" not in rendered.content.decode() and "handicap" not in rendered.content.decode()


def test_the_json_document_of_an_empty_parcours_is_valid(frozen, school):
    pupil = add_pupil(school, "Nouveau", "Sam", klass="6e A", level="6e", school_ref="E-42")
    document = parcours_data(pupil_parcours(pupil))
    VALIDATOR.validate(document)
    assert document["experiences"] == []
    assert document["eleve"]["identifiant_etablissement"] == "E-42"
    assert document["statut"]["attendus_manquants"] == []  # nothing due in 6e by default


def test_the_schema_refuses_what_is_not_the_format(frozen, school):
    document = parcours_data(pupil_parcours(add_pupil(school, "Nouveau", "Sam")))
    for broken in (
        {**document, "version": 2},
        {**document, "statut": {**document["statut"], "visite": "done"}},
        {**document, "eleve": {**document["eleve"], "qpv": True}},
    ):
        with pytest.raises(jsonschema.ValidationError):
            VALIDATOR.validate(broken)


def test_the_class_pdf_has_one_page_per_pupil(credited, school, teacher):
    rows = class_parcours(
        user=teacher, establishment_id=school.pk, academie_id=school.academie_id,
        school_year=YEAR, class_label="3e B",
    )  # fmt: skip
    rendered = class_pdf(rows, school=school, class_label="3e B", school_year=YEAR)
    assert rendered.filename == f"parcours-avenir-{school.uai}-3e-b-{YEAR}.pdf"
    pages = pypdf.PdfReader(io.BytesIO(rendered.content)).pages
    assert len(pages) == len(credited) == 4
    names = [f"{p.first_name} {p.last_name}" for p in credited]
    # In the order of the class page (by name), each pupil on their own page.
    expected = sorted(names, key=lambda name: name.split()[-1])
    for page, name in zip(pages, expected, strict=True):
        text = " ".join(page.extract_text().split())
        assert f"Parcours Avenir de {name}" in text
        assert all(other.split()[-1] not in text for other in names if other != name)
        assert "Parcours Avenir — 3e B — 2026-2027" in text
    absent = " ".join(pages[expected.index("Moussa Diallo")].extract_text().split())
    assert "Visite de l'atelier" not in absent and "Entreprendre pour apprendre" in absent
