"""Posting a file from disk through the whole Django stack without holding it in memory.

Django's test client builds the multipart body in memory (a 50 MB file would cost 50 MB in the
test itself). Here the body is streamed from disk, like a real WSGI server does: the WSGI
environ gets a ``wsgi.input`` that reads the prefix, the file and the suffix in turn, and the
request goes through every middleware and the real view (``django.test.client.ClientHandler``).
"""

from __future__ import annotations

import io
import resource
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.test import Client
from django.test.client import ClientHandler

BOUNDARY = "relais-test-boundary-7MA4YWxkTrZu0gW"


class _Chain(io.RawIOBase):
    """Readable stream over several byte strings and one file, read lazily."""

    def __init__(self, prefix: bytes, path: Path, suffix: bytes):
        self._parts = [io.BytesIO(prefix), open(path, "rb"), io.BytesIO(suffix)]  # noqa: SIM115

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._parts:
            count = self._parts[0].readinto(buffer)
            if count:
                return count
            self._parts.pop(0).close()
        return 0

    def close(self) -> None:
        for part in self._parts:
            part.close()
        super().close()


def _field(name: str, value: str) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
    ).encode()


@dataclass
class Measured:
    response: object
    seconds: float
    peak_traced_bytes: int  # tracemalloc peak during the request
    max_rss_growth_bytes: int  # growth of the process's maximum resident set size


def post_file_from_disk(
    path_info: str,
    *,
    field: str,
    path: Path,
    data: dict,
    user=None,
    filename: str = "",
    headers: dict | None = None,
) -> Measured:
    """POST ``data`` and the file ``path`` (as ``field``) to ``path_info``, streamed from disk,
    logged in as ``user`` (or with ``headers``: ``{"HTTP_AUTHORIZATION": "Token …"}``);
    measures the time and the memory of the request."""
    prefix = b"".join(_field(name, str(value)) for name, value in data.items())
    prefix += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; '
        f'filename="{filename or path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    suffix = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(prefix) + path.stat().st_size + len(suffix)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path_info,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(length),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BufferedReader(_Chain(prefix, path, suffix)),
        "wsgi.errors": io.StringIO(),
        "wsgi.multiprocess": False,
        "wsgi.multithread": False,
        "wsgi.run_once": False,
    }
    environ.update(headers or {})
    if user is not None:
        client = Client()
        client.force_login(user)
        environ["HTTP_COOKIE"] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    handler = ClientHandler(enforce_csrf_checks=False)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = handler(environ)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        environ["wsgi.input"].close()
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss_before
    return Measured(response, seconds, peak, rss_growth)


def write_large_file(path: Path, *, header: bytes, line: bytes, size: int) -> Path:
    """A file of ``size`` bytes at least: ``header`` then ``line`` repeated, written by blocks."""
    block = line * max(1, (1 << 20) // len(line))
    with open(path, "wb") as handle:
        handle.write(header)
        written = len(header)
        while written < size:
            handle.write(block)
            written += len(block)
    return path
