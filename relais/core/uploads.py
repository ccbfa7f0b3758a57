"""Limits on what a user may upload, enforced while the request is read.

Every upload has a size limit (read from the settings, with a default):

============================  ===================================  ===========
upload                        setting                              default
============================  ===================================  ===========
pupil CSV import              ``RELAIS_PUPIL_IMPORT_MAX_BYTES``    2 Mio
(rows of that import)         ``RELAIS_PUPIL_IMPORT_MAX_ROWS``     5 000
PDF (signed scans, minutes)   ``RELAIS_UPLOAD_MAX_BYTES``          10 Mio
Word template (.docx)         ``RELAIS_TEMPLATE_UPLOAD_MAX_BYTES`` 5 Mio
============================  ===================================  ===========

The size is checked by ``UploadLimitHandler`` while Django streams the multipart body, before
any parsing and before the file is stored: as soon as a file passes its limit (or as soon as
the body announces more than that limit plus the form fields), the upload stops, the rest of
the body is drained by fixed blocks without being kept, and the request carries a French refusal
(``upload_refusal``) that the page shows on the file field. Nothing of the file is kept.

Views opt in with ``@limit_uploads(<limit>)``; the API's multipart parser does the same
(``relais.api.parsers``). Put first in ``settings.FILE_UPLOAD_HANDLERS``, the handler caps
every other view at the largest of these limits.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar, cast

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

MIB = 1024 * 1024
ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])


def pupil_import_max_bytes() -> int:
    return int(getattr(settings, "RELAIS_PUPIL_IMPORT_MAX_BYTES", 2 * MIB))


def pupil_import_max_rows() -> int:
    return int(getattr(settings, "RELAIS_PUPIL_IMPORT_MAX_ROWS", 5000))


def pdf_max_bytes() -> int:
    return int(getattr(settings, "RELAIS_UPLOAD_MAX_BYTES", 10 * MIB))


def template_max_bytes() -> int:
    return int(getattr(settings, "RELAIS_TEMPLATE_UPLOAD_MAX_BYTES", 5 * MIB))


def largest_upload_bytes() -> int:
    """The cap of a view that names no limit of its own."""
    return max(pupil_import_max_bytes(), pdf_max_bytes(), template_max_bytes())


def size_fr(size: int) -> str:
    """2097152 → « 2 Mo », 1572864 → « 1,5 Mo », 4096 → « 4 Ko » (binary multiples)."""
    for unit, factor in (("Go", 1 << 30), ("Mo", 1 << 20), ("Ko", 1 << 10)):
        if size >= factor:
            text = f"{size / factor:.1f}".removesuffix(".0").replace(".", ",")
            return f"{text} {unit}"
    return f"{size} octet" + ("s" if size > 1 else "")


def too_large_message(limit: int) -> str:
    return (
        f"Le fichier dépasse la taille maximale autorisée : la limite est de {size_fr(limit)}. "
        "Il a été refusé sans être lu et rien n'a été enregistré."
    )


class UploadTooLarge(Exception):
    """An uploaded file past its limit (the message is French, for the user)."""


@contextmanager
def upload_on_disk(upload: Any, *, limit: int, suffix: str = ".csv") -> Iterator[Path]:
    """``upload`` copied to a temporary file (deleted on exit), for an import that reads it
    line by line. A file over ``limit`` is refused before a byte of it is copied, or as soon
    as a size that lied is passed (``UploadTooLarge``)."""
    if upload.size is None or upload.size > limit:
        raise UploadTooLarge(too_large_message(limit))
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        written = 0
        for chunk in upload.chunks():
            written += len(chunk)
            if written > limit:  # a size that lied: stop copying at once
                raise UploadTooLarge(too_large_message(limit))
            handle.write(chunk)
        handle.flush()
        yield Path(handle.name)


REFUSAL_ATTRIBUTE = "relais_upload_refused"
DRAIN_BLOCK = 64 * 1024


def upload_refusal(request: HttpRequest) -> str | None:
    """The French reason why the upload of ``request`` was stopped, or None."""
    return getattr(request, REFUSAL_ATTRIBUTE, None)


class UploadLimitHandler(FileUploadHandler):
    """Stop the upload as soon as its files pass ``max_bytes`` (all files of the request
    together), before they are parsed or stored by the next handlers.

    ``max_bytes`` defaults to ``largest_upload_bytes()`` (the handler used from
    ``FILE_UPLOAD_HANDLERS``, built by Django with the request only).
    """

    def __init__(self, request: HttpRequest | None = None, max_bytes: int | None = None) -> None:
        super().__init__(request)
        self.max_bytes = largest_upload_bytes() if max_bytes is None else max_bytes
        self.received = 0
        self.announced_too_large = False

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: str,
        encoding: str | None = None,
    ) -> None:
        # The whole body may carry the form fields too (bounded by Django's
        # DATA_UPLOAD_MAX_MEMORY_SIZE): past both, a file is refused without reading a byte.
        fields = getattr(settings, "DATA_UPLOAD_MAX_MEMORY_SIZE", None) or 0
        self.announced_too_large = content_length > self.max_bytes + fields
        self.input_data = input_data
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        if self.announced_too_large or (self.content_length or 0) > self.max_bytes:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.max_bytes:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handlers (memory or temporary file) build the UploadedFile

    def _refuse(self) -> NoReturn:
        if self.request is not None:
            setattr(self.request, REFUSAL_ATTRIBUTE, too_large_message(self.max_bytes))
        # The rest of the body is read and thrown away by fixed blocks, so that the browser
        # reads the answer (Django's own draining goes line by line: a body without line
        # breaks would be one line held in memory). Django then closes (and deletes) what
        # the next handlers opened.
        read = getattr(getattr(self, "input_data", None), "read", None)
        if read is not None:
            while read(DRAIN_BLOCK):
                pass
        raise StopUpload(connection_reset=True)


def limit_uploads(max_bytes: Callable[[], int]) -> Callable[[ViewT], ViewT]:
    """View decorator: the files posted to the view are refused past ``max_bytes()`` while
    the body is read (``upload_refusal(request)`` then says why).

    The handler must be in place before anything reads ``request.POST``; the CSRF
    middleware does, so the view is exempted from it and checked by ``csrf_protect`` once
    the handler is installed (Django's documented pattern for custom upload handlers).
    """

    def decorator(view: ViewT) -> ViewT:
        checked = csrf_protect(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                handler = UploadLimitHandler(request, max_bytes=max_bytes())
                request.upload_handlers.insert(0, handler)
            return checked(request, *args, **kwargs)

        return cast(ViewT, csrf_exempt(wrapper))

    return decorator
