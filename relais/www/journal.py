"""The pages' side of the personal-data access journal (``users.services.personal_data_log``):
a single pupil's page is journaled as a consultation, every export of people's names or
addresses as an export, with its filters."""

from __future__ import annotations

from relais.users.enums import AccessPurpose
from relais.users.services import personal_data_log

# Query parameters that do not change what an export contains.
NOT_FILTERS = {"page", "format", "csrfmiddlewaretoken"}


def export_filters(request) -> dict:
    return {key: value for key, value in request.GET.items() if key not in NOT_FILTERS and value}


def log_export(
    request, *, data: str, description: str, fmt: str, rows: int | None = None, record=None
):
    """Journal an export: who, when, which export with its filters (or which ``record``),
    « export »."""
    return personal_data_log(
        user=request.user,
        purpose=AccessPurpose.EXPORT,
        data=data,
        description=description,
        about=record,
        filters=export_filters(request),
        fmt=fmt,
        rows=rows,
    )


def log_consultation(request, *, data: str, record, description: str, fmt: str = "html"):
    """Journal the reading of one person's record: « consultation de la fiche »."""
    return personal_data_log(
        user=request.user,
        purpose=AccessPurpose.CONSULTATION,
        data=data,
        description=description,
        about=record,
        fmt=fmt,
    )
