"""The "Historique" pages: who changed what, when, with the values before and after."""

from typing import Any

import pghistory.models
from django.contrib.auth import get_user_model

from relais.users.models import User

HISTORY_LIMIT = 100


def history_entries(obj, *, field_labels: dict[str, str]) -> list[dict]:
    """The latest events of ``obj`` (django-pghistory), newest first, each with its author
    (from the request context recorded by the middleware, or the import command) and the
    changed fields as (label, before, after). Two queries."""
    events = list(
        pghistory.models.Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id")[
            :HISTORY_LIMIT
        ]
    )
    user_ids = {
        event.pgh_context["user"]
        for event in events
        if event.pgh_context and event.pgh_context.get("user") is not None
    }
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    entries = []
    for event in events:
        context: dict[str, Any] = event.pgh_context or {}
        user_id = context.get("user")
        author: User | str | None = users.get(user_id) if user_id is not None else None
        if author is None:
            command = context.get("command")
            author = f"Import ({command})" if command else "Système"
        label = event.pgh_label
        if label == "insert":
            changes = [
                (field_labels.get(k, k), None, v)
                for k, v in sorted((event.pgh_data or {}).items())
                if k in field_labels and v not in (None, "", False)
            ]
        else:
            changes = [
                (field_labels.get(k, k), before, after)
                for k, (before, after) in sorted((event.pgh_diff or {}).items())
                if k in field_labels
            ]
        entries.append(
            {
                "at": event.pgh_created_at,
                "label": label,
                "author": author,
                "changes": changes,
            }
        )
    return entries


def field_labels_of(model) -> dict[str, str]:
    """Column name → French verbose name, for the diff tables."""
    labels = {}
    for field in model._meta.concrete_fields:
        if field.name in {"search_text", "updated_at", "created_at", "id"}:
            continue
        labels[field.attname] = str(field.verbose_name)
    return labels
