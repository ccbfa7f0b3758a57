"""Word templates uploaded by the académie team, checked before they replace a shipped one.

An uploaded template (``DocumentTemplate``) is refused, with a French reason, unless:

- it is a real ``.docx`` within ``RELAIS_TEMPLATE_UPLOAD_MAX_BYTES`` (5 Mo), not a
  macro-enabled document, and not an archive that inflates past ten times that size;
- its fields are well formed, and each is one that Relais fills for this kind of document
  (the fields of the shipped template: an unknown one would print a blank);
- it renders in the sandbox (``relais.documents.sandbox``) with a stand-in for every field:
  an attempt to reach Python internals (``{{ ''.__class__.__mro__ }}``) is refused.

The same sandbox fills the template afterwards, so a template stored before these checks
cannot run code either.
"""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from jinja2 import TemplateError, TemplateSyntaxError
from jinja2.sandbox import SecurityError

from relais.core.uploads import size_fr, template_max_bytes

from .rendering import SHIPPED_DIR
from .sandbox import sandbox

KIND_LABELS = {
    "convention": "Convention de partenariat",
    "convention_cee": "Convention « conseillers entreprises pour l'école » (modèle national)",
    "bilan_annuel": "Bilan annuel d'une convention",
    "lettre_de_mission": "Lettre de mission d'un conseiller entreprises",
}
INFLATION_FACTOR = 10
MAX_MEMBERS = 2000


def kinds() -> dict[str, str]:
    """The kinds of Word templates that can be replaced (one shipped file each)."""
    return {
        kind: label
        for kind, label in KIND_LABELS.items()
        if (SHIPPED_DIR / f"{kind}.docx").exists()
    }


def shipped_fields(kind: str) -> set[str]:
    """The fields Relais fills for ``kind``: those of the shipped template."""
    from docxtpl import DocxTemplate

    return set(DocxTemplate(SHIPPED_DIR / f"{kind}.docx").get_undeclared_template_variables())


class _Sample:
    """Stands for any value at validation: every attribute, item, call and iteration gives
    another stand-in (two items, so that ``for k, v in …`` works); printed as its name."""

    def __init__(self, name: str):
        self.name_ = name

    def __str__(self) -> str:
        return f"[{self.name_}]"

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Sample(name)

    def __getitem__(self, key):
        if isinstance(key, str) and key.startswith("_"):
            raise KeyError(key)  # the sandbox then refuses it as a private attribute
        return _Sample(str(key))

    def __iter__(self):
        return iter([_Sample(self.name_), _Sample(self.name_)])

    def __len__(self) -> int:
        return 2

    def __call__(self, *args, **kwargs):
        return _Sample(self.name_)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def validate_template_upload(upload, kind: str) -> None:
    """Raise a French ValidationError unless ``upload`` can replace the template ``kind``."""
    if kind not in kinds():
        raise _refuse(f"Modèle de document inconnu : « {kind} ».", "unknown_kind")
    limit = template_max_bytes()
    if not upload.size:
        raise _refuse("Le fichier est vide.", "empty")
    if upload.size > limit:
        raise _refuse(
            f"Le fichier pèse {size_fr(upload.size)} : la limite est de {size_fr(limit)}.",
            "too_large",
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    upload.seek(0)
    _check_archive(content, limit)
    template = _open(content)
    environment = sandbox()
    try:
        used = template.get_undeclared_template_variables(jinja_env=environment)
    except TemplateError as error:
        raise _template_error(error) from error
    unknown = sorted(used - shipped_fields(kind) - set(environment.globals))
    if unknown:
        allowed = ", ".join(f"{{{{ {name} }}}}" for name in sorted(shipped_fields(kind)))
        raise _refuse(
            "Le modèle utilise des champs que Relais ne remplit pas : "
            + ", ".join(f"{{{{ {name} }}}}" for name in unknown)
            + f". Champs disponibles pour ce document : {allowed}.",
            "unknown_fields",
        )
    _try_render(_open(content), used)


def _check_archive(content: bytes, limit: int) -> None:
    """A .docx is a ZIP archive of XML parts: no macros, no archive bomb."""
    not_word = _refuse(
        "Le fichier n'est pas un document Word (.docx) : enregistrez-le au format « Document "
        "Word (*.docx) ».",
        "not_docx",
    )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise not_word from error
    names = {member.filename for member in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise not_word
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise _refuse(
            "Le document contient des macros : enregistrez-le au format « Document Word "
            "(*.docx) », sans macros.",
            "macros",
        )
    inflated = sum(member.file_size for member in members)
    if len(members) > MAX_MEMBERS or inflated > INFLATION_FACTOR * limit:
        raise _refuse(
            f"Le document décompressé dépasse {size_fr(INFLATION_FACTOR * limit)} : il est refusé.",
            "inflated",
        )


def _open(content: bytes):
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(content))
    try:
        template.init_docx()
    except Exception as error:  # python-docx raises many kinds of errors on a broken file
        raise _refuse(
            "Le document Word est illisible ou endommagé : ouvrez-le dans Word et "
            "enregistrez-le de nouveau.",
            "broken_docx",
        ) from error
    return template


def _template_error(error: TemplateError) -> ValidationError:
    if isinstance(error, SecurityError):
        return _refuse(
            f"Le modèle contient une instruction interdite ({error}) : seuls les champs "
            "{{ champ }}, les conditions et les boucles de Relais sont permis.",
            "unsafe_template",
        )
    if isinstance(error, TemplateSyntaxError):
        return _refuse(
            f"Le modèle contient une balise mal formée ({error.message}) : vérifiez les "
            "{{ … }} et {% … %} du document.",
            "template_syntax",
        )
    return _refuse(f"Le modèle ne peut pas être rempli ({error}).", "template_error")


def _try_render(template, used: set[str]) -> None:
    """Render with a stand-in for every field, in the sandbox (body, headers, footers,
    properties, footnotes). An error from the stand-ins themselves (arithmetic on a field…)
    says nothing of the template's safety: only the template engine's errors refuse."""
    context = {name: _Sample(name) for name in used}
    try:
        template.render(context, jinja_env=sandbox(), autoescape=True)
    except TemplateError as error:
        raise _template_error(error) from error
    except (TypeError, ValueError, ArithmeticError, LookupError):
        pass
