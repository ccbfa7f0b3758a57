"""Helpers shared by the list pages: pagination and CSV / XLSX exports."""

import csv
import io
from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
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


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    if value is None or isinstance(value, (int, float, date, str)):
        return value
    return str(value)


def xlsx_response(
    filename: str, header: list[str], rows: Iterable, row: Callable, *, title: str = "Export"
) -> HttpResponse:
    """An XLSX workbook of one sheet (openpyxl, write-only so memory stays flat): bold frozen
    header, dates as real dates, an autofilter on the header row."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for item in rows:
        sheet.append([_cell(value) for value in row(item)])
        count += 1
    if header:
        from openpyxl.utils import get_column_letter

        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_MIMETYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(
    fmt: str, basename: str, header: list[str], rows: Iterable, row: Callable, *, title: str
):
    """CSV or XLSX of the same rows, by ``fmt`` (« csv » or « xlsx »)."""
    if fmt == "xlsx":
        return xlsx_response(f"{basename}.xlsx", header, rows, row, title=title)
    return csv_response(f"{basename}.csv", header, rows, row)
