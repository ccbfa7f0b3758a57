"""The State's bloc-marque on every generated PDF (issue 13): the DSFR's Marianne drawn over
the flag's blue and red, « RÉPUBLIQUE FRANÇAISE » in Marianne Bold, the motto, then the
issuer. Every template that extends ``documents/print.html`` is rendered and read back."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from relais.documents.rendering import render_pdf

PRINTED = sorted(
    str(path).split("/templates/", 1)[1]
    for path in Path(settings.BASE_DIR, "relais").glob("**/templates/**/*.html")
    if '{% extends "documents/print.html" %}' in path.read_text(encoding="utf-8")
)
BLUE, RED = b"0 0 0.568627 rg", b"0.882353 0 0.058824 rg"  # #000091, #e1000f


def test_every_kind_of_document_is_listed():
    names = set(PRINTED)
    for expected in (
        "agreements/document.html",  # conventions and avenants
        "agreements/letter.html",  # notices (non-renewal, termination…)
        "agreements/signature_evidence.html",
        "internships/documents/agreement.html",  # convention de stage
        "governance/print/bilan.html",  # bilans annuels
        "volunteers/documents/lettre_de_mission.html",
    ):
        assert expected in names, expected


@pytest.mark.parametrize("template", PRINTED)
def test_the_pdf_opens_with_the_bloc_marque(template):
    content = render_pdf(template, {"issuer": "Académie de Montpellier"}, filename="x.pdf").content
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert page.extract_text().startswith("RÉPUBLIQUE\nFRANÇAISE")
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+")[-1]
        for f in page["/Resources"]["/Font"].values()
    }
    assert "Marianne-Bold" in fonts
    drawing = page.get_contents().get_data()
    # The Marianne's field (blue then red) and the white profile over it, then the motto.
    assert drawing.index(BLUE) < drawing.index(RED) < drawing.index(b"1 1 1 rg")
    assert drawing.count(b" c\n") > 300  # the curves of the Marianne and of the motto
