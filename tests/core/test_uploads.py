"""The upload limit handler on its own: sizes in French, and the site-wide cap it gives when
it is put first in ``FILE_UPLOAD_HANDLERS`` (every page, even one that takes no file)."""

import pytest
from django.core.cache import cache
from django.core.files.uploadhandler import FileUploadHandler

from relais.core.uploads import largest_upload_bytes, size_fr
from tests.uploads import post_file_from_disk, write_large_file

DEFAULT_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 octet"),
        (1, "1 octet"),
        (512, "512 octets"),
        (4096, "4 Ko"),
        (10_000, "9,8 Ko"),
        (2 << 20, "2 Mo"),
        (1536 << 10, "1,5 Mo"),
        (5 << 30, "5 Go"),
    ],  # fmt: skip
)
def test_sizes_in_french(size, text):
    assert size_fr(size) == text


class RecordingHandler(FileUploadHandler):
    """Counts the bytes that reach the handlers after the cap (test only)."""

    received = 0

    def receive_data_chunk(self, raw_data, start):
        RecordingHandler.received += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.fixture
def capped(settings):
    settings.FILE_UPLOAD_HANDLERS = [
        "relais.core.uploads.UploadLimitHandler",
        "tests.core.test_uploads.RecordingHandler",
        *DEFAULT_HANDLERS,
    ]
    RecordingHandler.received = 0
    cache.clear()


def test_the_site_wide_cap_stops_a_file_sent_to_any_page(db, capped, tmp_path, settings):
    settings.RELAIS_UPLOAD_MAX_BYTES = 64 * 1024
    settings.RELAIS_PUPIL_IMPORT_MAX_BYTES = 16 * 1024
    settings.RELAIS_TEMPLATE_UPLOAD_MAX_BYTES = 32 * 1024
    assert largest_upload_bytes() == 64 * 1024
    path = write_large_file(tmp_path / "gros.bin", header=b"", line=bytes(4096), size=30 << 20)
    measured = post_file_from_disk(
        "/benevoles/reserve/inscription/", field="piece", path=path, data={"first_name": "A"}
    )
    assert measured.response.status_code < 500
    assert RecordingHandler.received == 0  # refused from the announced length, unread


def test_under_the_cap_the_file_goes_through(db, capped, tmp_path):
    path = tmp_path / "petit.bin"
    path.write_bytes(b"x" * 1000)
    measured = post_file_from_disk(
        "/benevoles/reserve/inscription/", field="piece", path=path, data={"first_name": "A"}
    )
    assert measured.response.status_code < 500
    assert RecordingHandler.received == 1000
