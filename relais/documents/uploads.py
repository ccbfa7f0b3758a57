"""Checks on uploaded PDFs (signed conventions, minutes): size-limited, and checked on their
structure with a real parser, never trusted by their name or the browser's declared type.

A PDF is accepted when it is ONE whole PDF document and nothing else:

- it starts with the header ``%PDF-`` (an executable or an archive with a PDF appended, a
  polyglot, does not);
- it ends with the end marker ``%%EOF`` (white space apart): nothing is appended after it, and
  a truncated file is refused. A marker may appear earlier only when an incremental update
  (objects or a cross-reference table) follows it, as when a PDF is signed or annotated;
- pypdf parses it in strict mode, it is not encrypted and has at least one page;
- it carries no active content: no JavaScript (``/JS``, ``/JavaScript``), no action that
  launches a program (``/Launch``), no embedded file (``/EmbeddedFile(s)``, ``/EF``).
"""

from __future__ import annotations

import io
import re

from django.core.exceptions import ValidationError

from relais.core.uploads import pdf_max_bytes, size_fr

PDF_WHITESPACE = b"\x00\t\n\x0c\r "
END_MARKER = b"%%EOF"
# What an incremental update starts with, after white space and comment lines.
_UPDATE_START = re.compile(rb"(?:[\x00\t\n\x0c\r ]|%[^\r\n]*)*(?:\d+\s+\d+\s+obj\b|xref\b)")
_ACTIVE = {
    "/JS": "du code JavaScript",
    "/JavaScript": "du code JavaScript",
    "/Launch": "une action qui lance un programme",
    "/EmbeddedFile": "un fichier incorporé",
    "/EmbeddedFiles": "un fichier incorporé",
    "/EF": "un fichier incorporé",
}
MAX_OBJECTS = 200_000


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def validate_pdf_upload(upload) -> None:
    """Raise a French ValidationError unless ``upload`` is one whole, readable PDF without
    active content, within the size limit (``RELAIS_UPLOAD_MAX_BYTES``, 10 Mo)."""
    limit = pdf_max_bytes()
    if not upload.size:
        raise _refuse("Le fichier est vide.", "empty")
    if upload.size > limit:
        raise _refuse(
            f"Le fichier pèse {size_fr(upload.size)} : la limite est de {size_fr(limit)}.",
            "too_large",
        )
    upload.seek(0)
    try:
        content = upload.read(limit + 1)
    finally:
        upload.seek(0)
    _check_envelope(content)
    _check_structure(content)


def _check_envelope(content: bytes) -> None:
    """One PDF from its first byte to its end marker, nothing before or after."""
    if not content.startswith(b"%PDF-"):
        raise _refuse(
            "Le fichier n'est pas un PDF : son contenu ne commence pas par l'en-tête PDF "
            "(« %PDF- »).",
            "not_pdf",
        )
    if END_MARKER not in content:
        raise _refuse(
            "Le fichier PDF est incomplet (tronqué ?) : sa marque de fin « %%EOF » manque.",
            "truncated_pdf",
        )
    trailing = (
        "Le fichier PDF est suivi de données qui n'en font pas partie (après sa marque de "
        "fin « %%EOF ») : il est refusé. Déposez le PDF d'origine."
    )
    body = content.rstrip(PDF_WHITESPACE)
    if not body.endswith(END_MARKER):
        raise _refuse(trailing, "data_after_pdf")
    for marker in re.finditer(re.escape(END_MARKER), body[: -len(END_MARKER)]):
        if not _UPDATE_START.match(body, marker.end()):
            raise _refuse(trailing, "data_after_pdf")


def _check_structure(content: bytes) -> None:
    import pypdf

    try:
        reader = pypdf.PdfReader(io.BytesIO(content), strict=True)
        if reader.is_encrypted:
            raise _refuse(
                "Le fichier PDF est protégé par un mot de passe ou chiffré : déposez une "
                "version non protégée.",
                "encrypted_pdf",
            )
        pages = len(reader.pages)
        active = _active_content(reader)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on a broken file
        raise _refuse("Le fichier PDF est illisible ou endommagé.", "broken_pdf") from exc
    if pages == 0:
        raise _refuse("Le fichier PDF ne contient aucune page.", "empty_pdf")
    if active is not None:
        raise _refuse(
            f"Le fichier PDF contient {active} : il est refusé pour la sécurité des personnes "
            "qui l'ouvriront. Imprimez-le en PDF (ou numérisez l'original) et déposez ce "
            "nouveau fichier.",
            "active_pdf",
        )


def _active_content(reader) -> str | None:
    """What active content the document holds (French), looking at every object reachable
    from its trailer: names are compared once decoded by pypdf (``/J#53`` is ``/JS``)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(node, NameObject) and str(node) in _ACTIVE:
            return _ACTIVE[str(node)]
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if str(name) in _ACTIVE:
                    return _ACTIVE[str(name)]
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None
