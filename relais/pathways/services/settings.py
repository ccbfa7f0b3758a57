"""The académie's settings of the parcours: which items each kind of experience counts for,
and the objectives per level (Avenir(s) sets two to four a class; Mesure 3 the four items
by the end of 3e). Data, changed without a deploy, by the académie team for its académie
and by the national team for the national default."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from relais.pupils.enums import Level
from relais.territories.models import Academie
from relais.users.scopes import get_reach
from relais.users.types import AnyUser

from ..enums import Item
from ..kinds import DEFAULT_KINDS, DEFAULT_OBJECTIVES
from ..models import ExperienceKind, Objective


def national_setting_ensure() -> bool:
    """The national setting (``kinds.DEFAULT_KINDS`` and ``DEFAULT_OBJECTIVES``, loaded by
    migration pathways 0002) is part of Relais: in a database where no national kind is left
    (emptied by hand, or by a test that flushes every table), it is loaded again. True when
    it was."""
    if ExperienceKind.objects.filter(academie__isnull=True).exists():
        return False
    with transaction.atomic():
        for position, (code, label, items) in enumerate(DEFAULT_KINDS):
            ExperienceKind.objects.get_or_create(
                code=code,
                academie=None,
                defaults={"label": label, "items": [i.value for i in items], "position": position},
            )
        for level, item in DEFAULT_OBJECTIVES:
            Objective.objects.get_or_create(
                academie=None, school_year=None, level=level, item=item.value
            )
    return True


def can_set(user: AnyUser, academie: Academie | None) -> bool:
    """The académie team for its académie; the national team for every académie and the
    national default."""
    reach = get_reach(user)
    if reach.national:
        return True
    return academie is not None and academie.pk in reach.managed_academie_ids


def _check(user: AnyUser, academie: Academie | None) -> None:
    if not can_set(user, academie):
        raise PermissionDenied("Seule l'équipe académique règle le parcours de son académie.")


def _items(items: Iterable[str]) -> list[str]:
    chosen = [item for item in Item.values if item in set(items)]
    if not chosen:
        raise ValidationError({"items": "Choisissez au moins un élément du parcours."})
    unknown = set(items) - set(Item.values)
    if unknown:
        raise ValidationError({"items": f"Élément inconnu : « {sorted(unknown)[0]} »."})
    return chosen


@transaction.atomic
def kind_set(
    *, user: AnyUser, academie: Academie | None, code: str, items: Iterable[str], label: str = ""
) -> ExperienceKind:
    """Set which items the kind ``code`` counts for in ``academie`` (None: nationally).
    The experiences already recorded keep the items of their day."""
    _check(user, academie)
    national_setting_ensure()
    national = ExperienceKind.objects.filter(code=code, academie__isnull=True).first()
    if national is None:
        raise ValidationError({"code": f"Type d'expérience inconnu : « {code} »."})
    chosen = _items(items)
    if academie is None:
        national.items = chosen
        national.label = label.strip() or national.label
        national.save()
        return national
    kind, _created = ExperienceKind.objects.update_or_create(
        code=code,
        academie=academie,
        defaults={
            "items": chosen,
            "label": label.strip() or national.label,
            "position": national.position,
        },
    )
    return kind


@transaction.atomic
def objective_add(
    *,
    user: AnyUser,
    academie: Academie | None,
    level: str,
    item: str,
    school_year: int | None = None,
) -> Objective:
    """An item the pupils of ``level`` should have done by the end of the year."""
    _check(user, academie)
    if level not in Level.values:
        raise ValidationError({"level": "Niveau inconnu."})
    if item not in Item.values:
        raise ValidationError({"item": "Élément du parcours inconnu."})
    objective, _created = Objective.objects.get_or_create(
        academie=academie, school_year=school_year, level=level, item=item
    )
    return objective


@transaction.atomic
def objective_remove(*, user: AnyUser, objective: Objective) -> None:
    _check(user, objective.academie)
    objective.delete()
