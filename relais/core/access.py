"""What the reference apps (territories, établissements, organisations) know of a user's
access: a *reach*, computed by the access layer (``relais.users.scopes.get_reach``) and
passed in. The reference apps never import the access layer (import-linter checks it)."""

from __future__ import annotations

from collections.abc import Set
from typing import Any, Protocol

from django.contrib.postgres.fields import ArrayField
from django.db.models import BigIntegerField, BooleanField, F, Func, Q, Value


class ReachLike(Protocol):
    """The part of ``relais.users.scopes.Reach`` that reference-data reads and rules use."""

    @property
    def national(self) -> bool: ...

    @property
    def organisation_ids(self) -> Set[int]: ...

    @property
    def managed_academie_ids(self) -> Set[int]: ...

    @property
    def managed_region_ids(self) -> Set[int]: ...

    @property
    def partner_academie_ids(self) -> Set[int]: ...

    @property
    def is_empty(self) -> bool: ...

    @property
    def represents_organisations_only(self) -> bool: ...

    def establishments_q(self) -> Q | None: ...

    def organisations_q(self) -> Q | None: ...

    def academies_q(self) -> Q | None: ...

    def bassins_q(self) -> Q | None: ...


class _NoReach:
    """The reach of someone who reaches nothing (anonymous, inactive)."""

    national = False
    organisation_ids: frozenset[int] = frozenset()
    managed_academie_ids: frozenset[int] = frozenset()
    managed_region_ids: frozenset[int] = frozenset()
    partner_academie_ids: frozenset[int] = frozenset()
    is_empty = True
    represents_organisations_only = False

    def establishments_q(self) -> Q | None:
        return Q(pk__in=[])

    def organisations_q(self) -> Q | None:
        return Q(pk__in=[])

    def academies_q(self) -> Q | None:
        return Q(pk__in=[])

    def bassins_q(self) -> Q | None:
        return Q(pk__in=[])


NO_REACH: ReachLike = _NoReach()


def reach_of(user: object) -> ReachLike:
    """The reach the access layer attached to ``user`` (``User.reach``), or none at all.

    For the reference apps' own services and filters, which receive a user: they read the
    reach through this attribute instead of importing the access layer."""
    reach: ReachLike | None = getattr(user, "reach", None)
    return reach if reach is not None else NO_REACH


class _EqualsAny(Func):
    """``column = ANY(array)``."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def among(field: str, ids: Set[int]) -> Q:
    """``Q(<field>__in=ids)`` with the ids sent as one array (``field = ANY(%s)``): the same
    index scans, without one placeholder per id to build, send and parse on each query. An
    organisation's reach holds its whole subtree (the CPME Occitanie: a thousand members),
    which the offers it sees are filtered on three times per query."""
    ids_value: Any = Value(sorted(ids), output_field=ArrayField(BigIntegerField()))
    return Q(_EqualsAny(F(field), ids_value))
