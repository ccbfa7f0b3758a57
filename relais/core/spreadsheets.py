"""Cells of the spreadsheets Relais writes (CSV and XLSX exports, CSV attachments), made
inert against formula injection (OWASP « CSV Injection »).

A text typed by anyone (a réserve candidate signs up anonymously) reaches the exports that
the académie team opens in a spreadsheet. A cell whose text starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return would be read as a formula (``=HYPERLINK(…)`` sends the
reader elsewhere, ``=cmd|…`` runs a program in old spreadsheets). OWASP's rule: such a text
is prefixed with a single quote, so that it is shown as text. Numbers, dates and booleans
are left as they are (``-3`` is a number, not a formula). In XLSX the cell is also written
as a string, never as a formula (openpyxl makes a formula of any text starting with ``=``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_KEPT = (bool, int, float, Decimal, date, datetime, time)


def safe_cell(value: object) -> object:
    """``value`` as it can be written in a spreadsheet cell without becoming a formula:
    numbers, dates, booleans and empty cells unchanged, anything else as text, prefixed
    with ``'`` when it starts with a formula character."""
    if value is None or isinstance(value, _KEPT):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def safe_row(values: Iterable[object]) -> list[object]:
    return [safe_cell(value) for value in values]
