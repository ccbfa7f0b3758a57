"""What every governance service shares: who runs a body, and the row lock taken before a
check that depends on what the row says now."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models

from relais.users.types import AnyUser

from ..models import Body
from ..perms import can_manage_body

_M = TypeVar("_M", bound=models.Model)


def _require_body_manager(user: AnyUser, body: Body) -> None:
    if not can_manage_body(user, body):
        raise PermissionDenied("Seule l'équipe qui anime cette instance peut la modifier.")


def _locked(obj: _M) -> _M:
    """Re-read ``obj`` in place under a row lock (``SELECT … FOR UPDATE``), inside the
    caller's transaction: the checks that follow see what another request just wrote."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
    return obj


def _as_saved(obj: _M, saved: _M) -> _M:
    """Copy onto the caller's ``obj`` the values of ``saved``, the instance a workflow's
    ``fire`` read under its lock and saved: whoever holds ``obj`` sees the new state."""
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    return obj
