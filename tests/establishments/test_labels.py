# ruff: noqa: E501 - a table of labels, one per line
"""The annuaire's capitals in readable French (issue 14)."""

import pytest

from relais.establishments.labels import readable
from relais.www.templatetags.relais_words import pluriel


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("LYCEE D ENSEIGNEMENT TECHNOLOGIQUE", "Lycée d'enseignement technologique"),
        (
            "LYCEE ENSEIGNT GENERAL ET TECHNOLOGIQUE",
            "Lycée d'enseignement général et technologique",
        ),
        ("CENTRE D INFORMATION ET D ORIENTATION", "Centre d'information et d'orientation"),
        ("ECOLE DE NIVEAU ELEMENTAIRE", "École élémentaire"),
        ("COLLEGE", "Collège"),
        ("INSTITUT MEDICO-EDUCATIF", "Institut médico-éducatif"),
        ("ETAB REGIONAL/LYCEE ENSEIGNEMENT ADAPTE", "Établissement régional d'enseignement adapté"),
        ("C0NTRAT SIMPLE POUR PARTIE DES CLASSES", "Contrat simple pour une partie des classes"),
        ("CONTRAT D'ASSOCIATION TOUTES CLASSES", "Contrat d'association toutes classes"),
        ("SANS OBJET", ""),
        ("", ""),
        ("Lycée déjà lisible", "Lycée déjà lisible"),
    ],
)
def test_readable(raw, expected):
    assert readable(raw) == expected


@pytest.mark.parametrize(("n", "suffix"), [(0, ""), (1, ""), (1.5, ""), (2, "s"), (40, "s")])
def test_french_plural(n, suffix):
    assert pluriel(n) == suffix
    assert pluriel(n, "al,aux") == ("aux" if suffix else "al")
