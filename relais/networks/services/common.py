"""What the networks services share: the refusal, the row lock, the académie teams'
addresses."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import NoReturn, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models

from relais.users.enums import Role
from relais.users.models import Membership

_M = TypeVar("_M", bound=models.Model)


def _denied(message: str) -> NoReturn:
    raise PermissionDenied(message)


def _locked(obj: _M) -> _M:
    """Re-read ``obj`` in place under a row lock (``SELECT … FOR UPDATE``), inside the
    caller's transaction: two requests on the same club or campus run one after the other,
    so that the checks of the second see what the first wrote."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
    return obj


def academie_team_emails(academie_ids: Iterable[int]) -> dict[int, list[str]]:
    """E-mails of the académie teams, by académie (one query)."""
    emails: dict[int, list[str]] = defaultdict(list)
    rows = Membership.objects.filter(
        role=Role.ACADEMIE_TEAM, academie_id__in=set(academie_ids), user__is_active=True
    ).values_list("academie_id", "user__email")
    for academie_id, email in rows:
        emails[academie_id].append(email)
    return emails
