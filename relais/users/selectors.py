"""Reads that depend on who the people of a territory are.

The outbox (``core.Notification``) belongs to the core layer, which knows nothing of
memberships: which messages a user may follow is decided here.

| role                   | messages of the outbox page                                         |
|------------------------|---------------------------------------------------------------------|
| national administrator | all                                                                 |
| académie team          | those sent to at least one person holding a role in their académie  |
|                        | (on the académie, one of its bassins, établissements, organisations)|
| others                 | none (the page answers 403)                                         |
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import BooleanField, Exists, Func, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from relais.core.models import Notification

from .models import User
from .scopes import get_reach
from .types import AnyUser


def can_follow_outbox(user: AnyUser) -> bool:
    """The national administration and the académie teams follow the e-mails not sent."""
    reach = get_reach(user)
    return reach.national or bool(reach.managed_academie_ids)


def people_of_academies(academie_ids: Iterable[int]) -> QuerySet[User]:
    """Users holding a role on one of these académies or on anything inside them."""
    ids = list(academie_ids)
    return User.objects.filter(
        Q(memberships__academie_id__in=ids)
        | Q(memberships__bassin__academie_id__in=ids)
        | Q(memberships__establishment__academie_id__in=ids)
        | Q(memberships__organisation__academie_id__in=ids)
    )


def outbox_visible_to(*, user: AnyUser) -> QuerySet[Notification]:
    """The outbox messages ``user`` may see and send again (see the table above)."""
    reach = get_reach(user)
    messages = Notification.objects.all()
    if reach.national:
        return messages
    if not reach.managed_academie_ids:
        return messages.none()
    # recipients is a JSON array of lower-case addresses: « recipients ? lower(email) ».
    addressed = people_of_academies(reach.managed_academie_ids).filter(
        Func(
            OuterRef("recipients"),
            Lower("email"),
            function="jsonb_exists",
            output_field=BooleanField(),
        )
    )
    return messages.filter(Exists(addressed))
