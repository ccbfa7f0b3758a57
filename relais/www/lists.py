"""Helpers shared by the list pages: pagination and CSV exports."""

import csv
from collections.abc import Callable, Iterable

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from dsfr.utils import list_pages

PAGE_SIZE = 25


def paginate(request, queryset, *, per_page: int = PAGE_SIZE):
    """A page of ``queryset``: two queries (count + rows) whatever the table size."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    list_pages(page)
    return page


class _Echo:
    def write(self, value):
        return value


def csv_response(
    filename: str, header: list[str], rows: Iterable, row: Callable
) -> StreamingHttpResponse:
    """A streamed CSV (``;``, UTF-8 with BOM so that spreadsheet software reads accents)."""
    writer = csv.writer(_Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for item in rows:
            yield writer.writerow(row(item))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
