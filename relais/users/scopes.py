"""What a user reaches, computed once per request from their memberships.

Every selector of the domain apps builds its queryset from a ``Reach``, so the rule "a user
sees only what their memberships allow" lives here and nowhere else:

| role                         | établissements        | partner directory                     |
|------------------------------|-----------------------|---------------------------------------|
| national administrator       | all                   | all                                   |
| académie team, volunteer     | their académie        | national + their région + académie    |
| bassin référent, pôle member | their bassin          | national + région + académie of bassin|
| head of school, teacher      | their établissement   | national + région + académie of school|
| organisation representative  | territory of the org  | their organisation and its children   |

Pupils' personal data is narrower (DESIGN.md: personal data of minors): the pupil's school,
and once the case is referred, the pôle de stages that handles it — its members
(``hub_bassin_ids``), not the bassin référent nor the académie team, who get figures only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from .enums import Role

if TYPE_CHECKING:
    from .types import AnyUser


@dataclass(frozen=True)
class Reach:
    roles: frozenset = field(default_factory=frozenset)
    national: bool = False
    all_establishments: bool = False
    # Académies whose établissements are all visible.
    academie_ids: frozenset = field(default_factory=frozenset)
    bassin_ids: frozenset = field(default_factory=frozenset)
    # Bassins whose pôle de stages the user is a member of (pupils' data of referred cases).
    hub_bassin_ids: frozenset = field(default_factory=frozenset)
    establishment_ids: frozenset = field(default_factory=frozenset)
    # Partner directory: académies and régions académiques whose organisations are readable.
    directory_academie_ids: frozenset = field(default_factory=frozenset)
    directory_region_ids: frozenset = field(default_factory=frozenset)
    # Organisations a representative acts for, with their children.
    organisation_ids: frozenset = field(default_factory=frozenset)
    # Académies (and their régions) the user administers: académie team.
    managed_academie_ids: frozenset = field(default_factory=frozenset)
    managed_region_ids: frozenset = field(default_factory=frozenset)
    # Académies where the user may add and edit companies and associations.
    partner_academie_ids: frozenset = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not self.roles

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def represents_organisations_only(self) -> bool:
        """An organisation's representative with no académie role (team, pôle, référent)."""
        return self.has_role(Role.ORGANISATION_REP) and not (
            self.managed_academie_ids or self.partner_academie_ids
        )

    def establishments_q(self) -> Q | None:
        """Filter for établissements; None means no restriction."""
        if self.national or self.all_establishments:
            return None
        return (
            Q(academie_id__in=self.academie_ids)
            | Q(bassin_id__in=self.bassin_ids)
            | Q(pk__in=self.establishment_ids)
        )

    def organisations_q(self) -> Q | None:
        """Filter for the partner directory; None means no restriction."""
        if self.national:
            return None
        query = Q(pk__in=self.organisation_ids)
        if self.directory_academie_ids or self.directory_region_ids:
            query |= (
                Q(academie_id__in=self.directory_academie_ids)
                | Q(academie__isnull=True, academic_region_id__in=self.directory_region_ids)
                | Q(academie__isnull=True, academic_region__isnull=True)
            )
        return query

    def academies_q(self) -> Q | None:
        if self.national or self.all_establishments:
            return None
        return Q(pk__in=self.directory_academie_ids | self.academie_ids)

    def bassins_q(self) -> Q | None:
        if self.national or self.all_establishments:
            return None
        return (
            Q(academie_id__in=self.academie_ids)
            | Q(pk__in=self.bassin_ids)
            | Q(establishments__pk__in=self.establishment_ids)
        )


EMPTY_REACH = Reach()


def get_reach(user: AnyUser | None) -> Reach:
    """The reach of ``user``, cached on the instance for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_REACH
    cached = getattr(user, "_relais_reach", None)
    if cached is None:
        cached = compute_reach(user)
        user._relais_reach = cached
    return cached


def compute_reach(user) -> Reach:  # noqa: C901 - one branch per role, kept together on purpose
    from relais.organisations.models import Organisation

    memberships = list(
        user.memberships.select_related(
            "academie", "bassin__academie", "establishment__academie", "organisation__academie"
        )
    )
    acc: dict[str, set[int]] = {
        key: set()
        for key in (
            "academie_ids",
            "bassin_ids",
            "hub_bassin_ids",
            "establishment_ids",
            "directory_academie_ids",
            "directory_region_ids",
            "organisation_ids",
            "managed_academie_ids",
            "managed_region_ids",
            "partner_academie_ids",
        )
    }
    roles, national, all_establishments = set(), False, False
    rep_orgs = []
    for membership in memberships:
        role = Role(membership.role)
        roles.add(role)
        if role == Role.NATIONAL_ADMIN:
            national = True
        elif role in (Role.ACADEMIE_TEAM, Role.VOLUNTEER):
            academie = membership.academie
            acc["academie_ids"].add(academie.pk)
            _add_directory(acc, academie)
            if role == Role.ACADEMIE_TEAM:
                acc["managed_academie_ids"].add(academie.pk)
                acc["managed_region_ids"].add(academie.region_id)
                acc["partner_academie_ids"].add(academie.pk)
        elif role in (Role.BASSIN_REFERENT, Role.HUB_MEMBER):
            acc["bassin_ids"].add(membership.bassin_id)
            if role == Role.HUB_MEMBER:
                acc["hub_bassin_ids"].add(membership.bassin_id)
            _add_directory(acc, membership.bassin.academie)
            acc["partner_academie_ids"].add(membership.bassin.academie_id)
        elif role in (Role.HEAD_OF_SCHOOL, Role.TEACHER):
            acc["establishment_ids"].add(membership.establishment_id)
            _add_directory(acc, membership.establishment.academie)
        elif role == Role.ORGANISATION_REP:
            rep_orgs.append(membership.organisation)

    if rep_orgs:
        acc["organisation_ids"] |= _subtree_ids(Organisation, [org.pk for org in rep_orgs])
        for org in rep_orgs:
            territory = organisation_academie_ids(org)
            if territory is None:
                all_establishments = True
            else:
                acc["academie_ids"] |= territory

    return Reach(
        roles=frozenset(roles),
        national=national,
        all_establishments=all_establishments,
        **{key: frozenset(value) for key, value in acc.items()},
    )


def organisation_academie_ids(organisation) -> frozenset | None:
    """The académies an organisation acts in: its académie (local), the académies of its
    région académique (regional), or None for a national organisation (all of them)."""
    from relais.territories.models import Academie

    if organisation.academie_id:
        return frozenset({organisation.academie_id})
    if organisation.academic_region_id:
        return frozenset(
            Academie.objects.filter(region_id=organisation.academic_region_id).values_list(
                "pk", flat=True
            )
        )
    return None


def _add_directory(acc: dict, academie) -> None:
    acc["directory_academie_ids"].add(academie.pk)
    acc["directory_region_ids"].add(academie.region_id)


def _subtree_ids(model, root_ids: list[int]) -> set[int]:
    """The organisations and all their descendants (a few levels: national → regional → local)."""
    found, frontier = set(root_ids), list(root_ids)
    while frontier:
        frontier = [
            pk
            for pk in model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            if pk not in found
        ]
        found.update(frontier)
    return found
