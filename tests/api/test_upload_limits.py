"""Files sent to the API (minutes of a meeting, multipart): refused while the request is read
once past the limit, with a French 400 under the file's field; nothing stored."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from relais.governance.enums import MeetingState
from tests.documents.pdfs import tiny_pdf
from tests.governance import factories as f
from tests.uploads import post_file_from_disk, write_large_file

from .conftest import token_client

pytestmark = pytest.mark.django_db

LIMIT_MESSAGE = "Le fichier dépasse la taille maximale autorisée : la limite est de"


@pytest.fixture
def meeting(world):
    body = f.body(f.agreement(world.academie_a, title="Convention Alpha"), name="Comité Alpha")
    return f.meeting(body, date(2025, 9, 20), state=MeetingState.HELD)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_an_oversized_pdf_is_refused_under_its_field(users, meeting, media, settings):
    settings.RELAIS_UPLOAD_MAX_BYTES = 4096
    content = tiny_pdf("Compte rendu") + b" " * 8192
    response = token_client(users["academie_team"]).post(
        f"/api/v1/reunions/{meeting.pk}/compte-rendu/",
        {"minutes_text": "CR", "minutes_file": SimpleUploadedFile("cr.pdf", content)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["minutes_file"] == [
        f"{LIMIT_MESSAGE} 4 Ko. Il a été refusé sans être lu et rien n'a été enregistré."
    ]
    meeting.refresh_from_db()
    assert not meeting.minutes_file and not meeting.minutes_text and _stored(media) == []


def test_a_pdf_within_the_limit_goes_in(users, meeting, media):
    pdf = tiny_pdf("Compte rendu")
    response = token_client(users["academie_team"]).post(
        f"/api/v1/reunions/{meeting.pk}/compte-rendu/",
        {"minutes_file": SimpleUploadedFile("cr.pdf", pdf)},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    meeting.refresh_from_db()
    assert meeting.minutes_file.read() == pdf


def test_a_50_mb_file_streamed_to_the_api_is_refused_without_being_read(
    users, meeting, media, tmp_path, capsys
):
    path = write_large_file(
        tmp_path / "cr.pdf", header=tiny_pdf("CR"), line=bytes(4096), size=50 << 20
    )
    token, _ = Token.objects.get_or_create(user=users["academie_team"])
    measured = post_file_from_disk(
        f"/api/v1/reunions/{meeting.pk}/compte-rendu/",
        field="minutes_file",
        path=path,
        data={"minutes_text": "CR"},
        headers={"HTTP_AUTHORIZATION": f"Token {token.key}", "HTTP_ACCEPT": "application/json"},
    )
    assert measured.response.status_code == 400
    body = io.BytesIO(measured.response.content).read().decode()
    assert LIMIT_MESSAGE in body and "10 Mo" in body
    meeting.refresh_from_db()
    assert not meeting.minutes_file and not meeting.minutes_text and _stored(media) == []
    with capsys.disabled():
        print(
            f"\n[mesure API] {path.stat().st_size / 2**20:.1f} Mio refusé en "
            f"{measured.seconds:.3f} s ; pic tracemalloc {measured.peak_traced_bytes / 2**20:.2f}"
            f" Mio ; croissance du RSS max {measured.max_rss_growth_bytes / 2**20:.2f} Mio"
        )
