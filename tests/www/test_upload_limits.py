"""The PDF upload pages (signed scan of a convention, minutes of a meeting): a file over the
limit is refused while the request is read, with a French error naming the limit, and
nothing is stored; a PDF hiding something is refused by the structural check."""

import html
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.agreements.models import SignedScan
from relais.governance.enums import MeetingState
from tests.agreements.factories import in_force_agreement
from tests.documents.pdfs import tiny_pdf
from tests.governance import factories as gf
from tests.uploads import post_file_from_disk, write_large_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(world):
    return world.users["academie_team"]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def _page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_large_scan_is_refused_while_streaming(world, team, media, tmp_path, settings):
    settings.RELAIS_UPLOAD_MAX_BYTES = 64 * 1024
    agreement = in_force_agreement(team, world.home)
    path = write_large_file(
        tmp_path / "scan.pdf", header=tiny_pdf("Grand"), line=b"0" * 1023 + b"\n", size=1 << 20
    )
    measured = post_file_from_disk(
        f"/conventions/{agreement.pk}/scans/ajouter/",
        field="file",
        path=path,
        data={"note": "Original"},
        user=team,
    )
    assert measured.response.status_code == 400
    page = _page(measured.response)
    assert "Le fichier dépasse la taille maximale autorisée : la limite est de 64 Ko" in page
    assert "rien n'a été enregistré" in page
    assert not SignedScan.objects.exists() and _stored(media) == []


def test_a_large_pdf_of_minutes_is_refused_and_the_typed_text_kept(
    world, team, client_for, media, settings
):
    settings.RELAIS_UPLOAD_MAX_BYTES = 4096
    meeting = gf.meeting(
        gf.body(gf.agreement(world.home)), date(2025, 10, 1), state=MeetingState.HELD
    )
    client = client_for(team)
    content = tiny_pdf("Compte rendu") + b" " * 8192
    response = client.post(
        f"/instances/reunions/{meeting.pk}/compte-rendu/",
        {
            "minutes_text": "Texte saisi",
            "minutes_file": SimpleUploadedFile("cr.pdf", content, "application/pdf"),
        },
    )
    assert response.status_code == 400
    page = _page(response)
    assert "Le fichier dépasse la taille maximale autorisée : la limite est de 4 Ko" in page
    assert "Texte saisi" in page
    meeting.refresh_from_db()
    assert not meeting.minutes_file and not meeting.minutes_text
    assert _stored(media) == []


def test_a_pdf_with_an_executable_in_front_is_refused_by_the_scan_page(
    world, team, client_for, media
):
    agreement = in_force_agreement(team, world.home)
    content = b"MZ\x90\x00" + bytes(60) + tiny_pdf("Polyglotte")
    response = client_for(team).post(
        f"/conventions/{agreement.pk}/scans/ajouter/",
        {"file": SimpleUploadedFile("scan.pdf", content, "application/pdf")},
    )
    assert response.status_code == 400
    assert "ne commence pas par l'en-tête PDF" in _page(response)
    assert not SignedScan.objects.exists() and _stored(media) == []


def test_the_back_office_does_not_take_the_minutes_pdf_unchecked(world, client_for, media):
    meeting = gf.meeting(
        gf.body(gf.agreement(world.home)), date(2025, 10, 1), state=MeetingState.HELD
    )
    admin = client_for(world.users["national_admin"])
    url = f"/admin/governance/meeting/{meeting.pk}/change/"
    page = admin.get(url).content.decode()
    assert 'name="minutes_file"' not in page
    admin.post(
        url,
        {
            "body": meeting.body.pk,
            "starts_at_0": "2025-10-01",
            "starts_at_1": "10:00:00",
            "minutes_file": SimpleUploadedFile("x.pdf", b"MZ" + tiny_pdf("Polyglotte")),
        },
    )
    meeting.refresh_from_db()
    assert not meeting.minutes_file and _stored(media) == []
