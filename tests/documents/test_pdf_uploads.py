"""The check of uploaded PDFs, by structure and with a real parser: real files made by
WeasyPrint and pypdf, each way of hiding something in or after a PDF refused in French."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.actions import JavaScript
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from relais.documents.uploads import validate_pdf_upload
from tests.documents.pdfs import tiny_pdf


def _upload(content: bytes, name: str = "document.pdf"):
    return SimpleUploadedFile(name, content, "application/pdf")


def refusal(content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        validate_pdf_upload(_upload(content))
    return error.value


def _written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _clone() -> PdfWriter:
    return PdfWriter(clone_from=io.BytesIO(tiny_pdf("Compte rendu")))


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("charge.txt", "contenu caché " * 50)
    return buffer.getvalue()


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200)
MZ = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + bytes(50)
    + b"This program cannot be run"
)


def test_a_real_pdf_is_accepted_and_left_at_its_start():
    upload = _upload(tiny_pdf("Convention signée"))
    validate_pdf_upload(upload)
    assert upload.read(5) == b"%PDF-"


def test_whitespace_after_the_end_marker_and_an_incremental_update_are_accepted():
    validate_pdf_upload(_upload(tiny_pdf("Fin") + b"\r\n  \n"))
    updated = PdfWriter(io.BytesIO(tiny_pdf("Mis à jour")), incremental=True)
    updated.add_metadata({"/Title": "Version signée"})
    content = _written(updated)
    assert content.count(b"%%EOF") == 2
    validate_pdf_upload(_upload(content))


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: b"", "Le fichier est vide."),
        (lambda: MZ + tiny_pdf("Polyglotte"), "ne commence pas par l'en-tête PDF"),
        (lambda: b"   " + tiny_pdf("Espaces"), "ne commence pas par l'en-tête PDF"),
        (lambda: tiny_pdf("Archive") + _zip(), "données qui n'en font pas partie"),
        (lambda: tiny_pdf("Exécutable") + ELF, "données qui n'en font pas partie"),
        (lambda: tiny_pdf("Texte") + b"\n<script>alert(1)</script>\n", "n'en font pas partie"),
        (lambda: tiny_pdf("Tronqué")[:-300], "incomplet"),
        (lambda: tiny_pdf("Coupé")[:400], "incomplet"),
        (lambda: b"%PDF-1.7\n%%EOF\n", "illisible ou endommagé"),
    ],
    ids=[
        "empty",
        "mz-header",
        "leading-spaces",
        "zip-after",
        "elf-after",
        "html-after",
        "truncated-end",
        "truncated-half",
        "header-only",
    ],  # fmt: skip
)
def test_what_is_not_one_whole_pdf_is_refused(build, message):
    assert message in refusal(build()).messages[0]


def test_a_payload_hidden_behind_a_forged_end_marker_is_refused():
    """A ZIP placed after the end marker, itself followed by a copy of the PDF's last
    « startxref … %%EOF » lines, still parses: what follows an end marker must be a PDF
    update (objects or a cross-reference table)."""
    pdf = tiny_pdf("Leurre")
    tail = pdf[pdf.rindex(b"startxref") :]
    assert "données qui n'en font pas partie" in refusal(pdf + _zip() + b"\n" + tail).messages[0]


def test_document_javascript_is_refused():
    writer = _clone()
    writer.add_open_action(JavaScript("app.alert('Bonjour');"))
    assert "JavaScript" in refusal(_written(writer)).messages[0]


def test_a_javascript_open_action_is_refused():
    writer = _clone()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.launchURL('http://exemple.invalid');"),
        }
    )
    assert "JavaScript" in refusal(_written(writer)).messages[0]


def test_a_launch_action_is_refused():
    writer = _clone()
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    assert "lance un programme" in refusal(_written(writer)).messages[0]


def test_an_embedded_file_is_refused():
    writer = _clone()
    writer.add_attachment("facture.exe", MZ)
    assert "fichier incorporé" in refusal(_written(writer)).messages[0]


def test_an_encrypted_pdf_is_refused():
    writer = _clone()
    writer.encrypt("secret")
    assert "mot de passe" in refusal(_written(writer)).messages[0]


def test_a_pdf_over_the_size_limit_is_refused_naming_the_limit(settings):
    content = tiny_pdf("Lourd")
    settings.RELAIS_UPLOAD_MAX_BYTES = 1024
    assert "la limite est de 1 Ko" in refusal(content).messages[0]
