"""Limits of the pupil import: size (checked while the request is read, before parsing), number
of rows, NUL bytes and control characters. A refused file writes nothing."""

import datetime
import html
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.internships.services.imports import PupilImportError, pupils_import_csv
from relais.pupils.models import Pupil
from tests.uploads import post_file_from_disk, write_large_file

URL = "/stages/dossiers/importer/"
HEADER = b"nom;prenom;classe;niveau\n"
LINE = b"Demo;Lina;3e B;3e\n"


def _post(client, content: bytes, school):
    return client.post(
        URL, {"establishment": school.pk, "file": SimpleUploadedFile("eleves.csv", content)}
    )


def _rows(count: int) -> bytes:
    return HEADER + b"".join(f"Demo{n};Lina;3e B;3e\n".encode() for n in range(count))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b"De\x00mo;Lina;3e B;3e\n", "Ligne 3 : caractère de contrôle interdit (U+0000"),
        (b"Demo;Li\x07na;3e B;3e\n", "Ligne 3 : caractère de contrôle interdit (U+0007"),
        (b"Demo;Lina;3e\x1b B;3e\n", "Ligne 3 : caractère de contrôle interdit (U+001B"),
    ],
)
def test_nul_bytes_and_control_characters_are_refused_with_their_line(
    world, hub, client_for, line, expected
):
    client = client_for(world.users["teacher"])
    response = _post(client, HEADER + LINE.replace(b"Lina", b"Noah") + line, world.school)
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert not Pupil.objects.exists()


def test_tab_and_carriage_return_are_not_control_characters_here(world, hub, client_for):
    client = client_for(world.users["teacher"])
    response = _post(
        client, HEADER.replace(b"\n", b"\r\n") + b"Demo;Lina\t;3e B;3e\r\n", world.school
    )
    assert response.status_code == 302
    assert Pupil.objects.get().first_name == "Lina"


def test_a_file_over_the_size_limit_is_refused_naming_the_limit(world, hub, client_for, settings):
    settings.RELAIS_PUPIL_IMPORT_MAX_BYTES = 4096
    client = client_for(world.users["teacher"])
    content = _rows(400)
    assert len(content) > 4096
    response = _post(client, content, world.school)
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "dépasse la taille maximale autorisée : la limite est de 4 Ko" in page
    assert "rien n'a été enregistré" in page
    assert not Pupil.objects.exists()
    # Just under the limit, the same kind of file goes in.
    response = _post(client, _rows(150), world.school)
    assert response.status_code == 302 and Pupil.objects.count() == 150


def test_a_file_over_the_row_limit_is_refused_naming_the_limit(world, hub, client_for, settings):
    settings.RELAIS_PUPIL_IMPORT_MAX_ROWS = 3
    client = client_for(world.users["teacher"])
    response = _post(client, _rows(4), world.school)
    assert response.status_code == 400
    assert "Ligne 5 : le fichier dépasse la limite de 3 lignes" in response.content.decode()
    assert not Pupil.objects.exists()
    assert _post(client, _rows(3), world.school).status_code == 302
    assert Pupil.objects.count() == 3


def test_the_service_checks_the_limits_of_a_file_on_disk(world, hub, tmp_path, settings):
    settings.RELAIS_PUPIL_IMPORT_MAX_BYTES = 1000
    path = tmp_path / "eleves.csv"
    path.write_bytes(_rows(100))
    with pytest.raises(PupilImportError) as error:
        pupils_import_csv(user=world.users["teacher"], establishment=world.school, path=path)
    assert "dépasse la taille maximale autorisée" in error.value.errors[0]
    assert not Pupil.objects.exists()


def test_row_limit_stops_reading_at_the_first_row_over_it(world, hub, tmp_path, settings):
    """The reader stops at row limit + 1: the lines after it are never read (a bad byte there
    would otherwise be reported)."""
    settings.RELAIS_PUPIL_IMPORT_MAX_ROWS = 2
    path = tmp_path / "eleves.csv"
    path.write_bytes(_rows(3) + b"\xff\xfe illisible\n")
    with pytest.raises(PupilImportError) as error:
        pupils_import_csv(user=world.users["teacher"], establishment=world.school, path=path)
    assert error.value.errors == [
        "Ligne 4 : le fichier dépasse la limite de 2 lignes d'élèves (fichier des élèves) : "
        "découpez-le en plusieurs fichiers."
    ]


def test_a_50_mb_file_is_refused_while_streaming_and_nothing_is_written(
    world, hub, tmp_path, capsys
):
    """The issue's case: 50 MB of well-formed lines posted by a teacher. The file is streamed
    from disk through the real view; the upload handler refuses it before anything is parsed
    or stored. Time and memory are printed for the report (a test never asserts a time)."""
    path = write_large_file(tmp_path / "eleves.csv", header=HEADER, line=LINE, size=50 << 20)
    assert path.stat().st_size >= 50 << 20
    started = time.perf_counter()
    measured = post_file_from_disk(
        URL,
        field="file",
        path=path,
        data={"establishment": world.school.pk},
        user=world.users["teacher"],
    )
    assert measured.response.status_code == 400
    page = html.unescape(measured.response.content.decode())
    assert "Le fichier dépasse la taille maximale autorisée : la limite est de 2 Mo" in page
    assert "rien n'a été enregistré" in page
    assert not Pupil.objects.exists()
    with capsys.disabled():
        print(
            f"\n[mesure] fichier de {path.stat().st_size / 2**20:.1f} Mio refusé en "
            f"{measured.seconds:.3f} s (test complet {time.perf_counter() - started:.3f} s) ; "
            f"pic tracemalloc {measured.peak_traced_bytes / 2**20:.2f} Mio ; "
            f"croissance du RSS max {measured.max_rss_growth_bytes / 2**20:.2f} Mio "
            f"({datetime.datetime.now():%H:%M:%S})"
        )


def test_the_upload_limit_keeps_the_csrf_check(world, hub):
    """The view installs its upload handler before the CSRF check reads the form, and the
    check still runs: without the token, 403 and nothing imported."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["teacher"])
    response = _post(client, _rows(1), world.school)
    assert response.status_code == 403
    assert not Pupil.objects.exists()
    client.get(URL)
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        {
            "establishment": world.school.pk,
            "file": SimpleUploadedFile("eleves.csv", _rows(1)),
            "csrfmiddlewaretoken": token,
        },
    )
    assert response.status_code == 302 and Pupil.objects.count() == 1
