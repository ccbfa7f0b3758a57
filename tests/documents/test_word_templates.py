"""Word templates are filled in Jinja2's sandbox, and an uploaded one is checked in the
back-office before it replaces the shipped template: real .docx files built with
python-docx, posted through the admin page, rendered and read back."""

import html
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from jinja2.sandbox import SecurityError

from relais.documents.models import DocumentTemplate
from relais.documents.rendering import SHIPPED_DIR, DocumentError, docx_text, render_docx
from relais.documents.sandbox import sandbox
from relais.documents.services import document_template_save
from relais.documents.word_templates import kinds, validate_template_upload

pytestmark = pytest.mark.django_db

ADD = "/admin/documents/documenttemplate/add/"
ESCAPE = "{{ ''.__class__.__mro__[1].__subclasses__() }}"


def docx(*paragraphs: str, title: str = "") -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def shipped(kind: str) -> bytes:
    return (SHIPPED_DIR / f"{kind}.docx").read_bytes()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def admin_client(world, client_for):
    return client_for(world.users["national_admin"])


def upload(admin_client, content: bytes, kind: str = "convention", name: str = "modele.docx"):
    return admin_client.post(
        ADD, {"kind": kind, "file": SimpleUploadedFile(name, content), "_save": "Enregistrer"}
    )


def errors(response) -> str:
    return html.unescape(response.content.decode())


def _stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


# --- at upload ------------------------------------------------------------------------------


def test_a_template_reaching_python_internals_is_refused_at_upload(admin_client, media):
    content = docx("Convention {{ title }}", ESCAPE)
    response = upload(admin_client, content)
    assert response.status_code == 200  # the admin re-displays its form with the error
    page = errors(response)
    assert "Le modèle contient une instruction interdite (accès interdit à « __" in page
    assert not DocumentTemplate.objects.exists() and _stored(media) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (docx("{% if false %}{{ title.__class__ }}{% endif %}"), "accès interdit à « __class__ »"),
        (docx("{{ title|attr('__class__') }}"), "accès interdit à « __class__ »"),
        (docx("{{ title['__cl' ~ 'ass__'] }}"), "accès interdit à « __class__ »"),
        (docx("Titre {{ title }}", title=ESCAPE), "instruction interdite"),
        (docx("{% for i in range(10**6) %}x{% endfor %}"), "limitée à 1000 tours"),
        (
            docx("{{ title }} {{ reference_interne }}"),
            "champs que Relais ne remplit pas : "
            "{{ reference_interne }}. Champs disponibles pour ce document : {{ adhesion_text }}, "
            "{{ amends }}",
        ),
        (docx("{{ title "), "balise mal formée"),
        (b"%PDF-1.7 pas un document Word", "n'est pas un document Word (.docx)"),
    ],
    ids=[
        "hidden-branch",
        "attr-filter",
        "computed-key",
        "core-properties",
        "long-loop",
        "unknown-field",
        "syntax",
        "not-docx",
    ],  # fmt: skip
)
def test_bad_templates_are_refused_with_a_french_reason(admin_client, media, content, message):
    page = errors(upload(admin_client, content))
    assert message in page
    assert not DocumentTemplate.objects.exists() and _stored(media) == []


def _with_member(content: bytes, name: str, data: bytes) -> bytes:
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def test_macros_and_archive_bombs_are_refused(admin_client, media):
    macros = _with_member(docx("{{ title }}"), "word/vbaProject.bin", b"\xd0\xcf\x11\xe0" * 64)
    assert "contient des macros" in errors(upload(admin_client, macros))
    bomb = _with_member(docx("{{ title }}"), "word/media/zero.bin", bytes(60 << 20))
    assert len(bomb) < 1 << 20  # small once compressed, 60 Mo once inflated
    assert "Le document décompressé dépasse 50 Mo" in errors(upload(admin_client, bomb))
    assert not DocumentTemplate.objects.exists() and _stored(media) == []


def test_a_template_over_the_size_limit_is_refused_while_it_is_sent(admin_client, media, settings):
    settings.RELAIS_TEMPLATE_UPLOAD_MAX_BYTES = 16 * 1024
    page = errors(upload(admin_client, shipped("convention")))
    assert "Le fichier dépasse la taille maximale autorisée : la limite est de 16 Ko" in page
    assert not DocumentTemplate.objects.exists() and _stored(media) == []


@pytest.mark.parametrize("kind", sorted(kinds()))
def test_every_shipped_template_passes_the_check(kind):
    validate_template_upload(SimpleUploadedFile(f"{kind}.docx", shipped(kind)), kind)


def test_an_edited_shipped_template_is_uploaded_then_used(world, admin_client, media):
    content = docx(
        "MODÈLE DE L'ACADÉMIE — {{ title }}",
        "{%p for line in party_lines %}",
        "{{ line }}",
        "{%p endfor %}",
    )
    response = upload(admin_client, content)
    assert response.status_code == 302, errors(response)
    template = DocumentTemplate.objects.get()
    assert template.kind == "convention" and template.updated_by == world.users["national_admin"]
    assert Path(template.file.path).read_bytes() == content
    rendered = render_docx(
        "convention",
        {"title": "Partenariat <Lez>", "party_lines": ["Boulangerie du Lez"]},
        filename="c.docx",
    )
    text = docx_text(rendered.content)
    assert "MODÈLE DE L'ACADÉMIE — Partenariat <Lez>" in text and "Boulangerie du Lez" in text


def test_the_change_page_checks_the_stored_file_against_a_new_kind(
    admin_client, media, django_capture_on_commit_callbacks
):
    content = docx("MODÈLE — {{ title }}")
    assert upload(admin_client, content).status_code == 302
    template = DocumentTemplate.objects.get()
    change = f"/admin/documents/documenttemplate/{template.pk}/change/"
    assert admin_client.get(change).status_code == 200
    response = admin_client.post(change, {"kind": "bilan_annuel", "_save": "Enregistrer"})
    assert "champs que Relais ne remplit pas : {{ title }}" in errors(response)
    template.refresh_from_db()
    assert template.kind == "convention"
    replaced = docx("Nouveau — {{ title }} n° {{ number }}")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            change,
            {"kind": "convention", "file": SimpleUploadedFile("v2.docx", replaced), "_save": "Ok"},
        )
    assert response.status_code == 302
    template.refresh_from_db()
    assert Path(template.file.path).read_bytes() == replaced
    assert len(_stored(media)) == 1  # the replaced file is deleted


def test_only_the_back_office_replaces_templates(world):
    template = DocumentTemplate(kind="convention")
    with pytest.raises(PermissionDenied):
        document_template_save(
            user=world.users["academie_team"],
            template=template,
            upload=SimpleUploadedFile("c.docx", shipped("convention")),
        )
    assert not DocumentTemplate.objects.exists()


# --- at rendering ---------------------------------------------------------------------------


def test_a_stored_malicious_template_cannot_render(world, media):
    """A template stored without the check (before it existed) still runs in the sandbox."""
    template = DocumentTemplate(kind="convention", updated_by=world.users["national_admin"])
    template.file.save("convention.docx", ContentFile(docx("Titre : {{ title }}", ESCAPE)))
    with pytest.raises(DocumentError, match="ne peut pas être rempli"):
        render_docx("convention", {"title": "Convention"}, filename="c.docx")


def test_the_sandbox_keeps_user_accounts_out_of_reach(world):
    user = world.users["academie_team"]
    environment = sandbox()
    with pytest.raises(SecurityError):
        environment.from_string("{{ u.password }}").render(u=user)
    with pytest.raises(SecurityError):
        environment.from_string("{{ o.owner.email }}").render(o={"owner": user})
    with pytest.raises(SecurityError):
        environment.from_string("{{ s.delete() }}").render(s=world.school)
    assert environment.from_string("{{ s.name }}").render(s=world.school) == world.school.name
