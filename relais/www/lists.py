"""Helpers shared by the list pages: pagination and CSV / XLSX exports.

Every export is written here, cell by cell through ``relais.core.spreadsheets.safe_cell``:
a text that a spreadsheet would read as a formula is written as inert text."""

import csv
import io
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from dsfr.utils import list_pages

from relais.core.spreadsheets import safe_cell, safe_row

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
        yield "\ufeff" + writer.writerow(safe_row(header))
        for item in rows:
            yield writer.writerow(safe_row(row(item)))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, value):
    """A value for openpyxl: naive datetimes, text made inert (``safe_cell``) and stripped of
    the control characters XML cannot hold; a neutralised text is forced to a string cell."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    text = safe_cell(value)
    if not isinstance(text, str):  # numbers, dates, booleans, empty cells
        return text
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith("'"):
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text


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
        cell = WriteOnlyCell(sheet, value=safe_cell(name))
        cell.data_type = "s"
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for item in rows:
        sheet.append([_cell(sheet, value) for value in row(item)])
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
