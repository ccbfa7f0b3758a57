"""The check every workflow journal must pass (ADR 0007): the database refuses to rewrite or
erase its lines; the one change it accepts is ``by`` set to NULL when an account is deleted."""

import pytest
from django.db import transaction
from django.db.utils import ProgrammingError


def assert_append_only(lines, *, other_state: str) -> None:
    """``lines`` (a queryset of journal lines, at least one) cannot be updated — not even
    their state with ``by`` — nor deleted; then the account-deletion update goes through."""
    count = lines.count()
    assert count >= 1
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        lines.update(note="réécrit")
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        lines.update(to_state=other_state, by=None)
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        lines.delete()
    assert lines.count() == count and not lines.filter(note="réécrit").exists()
    assert lines.update(by=None) == count
