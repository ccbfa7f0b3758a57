"""Writes on pupils: one at a time (``pupils``), a whole roster (``roster``)."""

from .pupils import (
    check_school_year,
    pupil_create,
    pupil_fill,
    pupil_update,
    pupils_anonymise,
    pupils_expired,
)
from .roster import (
    RosterImportError,
    RosterImportResult,
    index_pupils,
    level_of,
    match_pupil,
    roster_import_csv,
    roster_import_upload,
    template_rows,
)

__all__ = [
    "RosterImportError",
    "RosterImportResult",
    "check_school_year",
    "index_pupils",
    "level_of",
    "match_pupil",
    "pupil_create",
    "pupil_fill",
    "pupil_update",
    "pupils_anonymise",
    "pupils_expired",
    "roster_import_csv",
    "roster_import_upload",
    "template_rows",
]
