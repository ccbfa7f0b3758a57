"""Accent- and case-insensitive search over the denormalised ``search_text`` columns.

Each model keeps ``search_text = search_key(name, identifiers, commune…)``; a trigram GIN
index makes ``LIKE '%mot%'`` fast whatever the table size.
"""

import re
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from .text import search_key

ModelT = TypeVar("ModelT", bound=Model)


def text_search(
    queryset: QuerySet[ModelT], query: str, *, exact_fields: tuple[str, ...] = ()
) -> QuerySet[ModelT]:
    """Rows whose search text holds every word of ``query``, or whose identifier (UAI,
    SIRET…) in ``exact_fields`` starts with the query stripped of spaces."""
    words = search_key(query).split()
    if not words:
        return queryset
    condition = Q()
    for word in words:
        condition &= Q(search_text__contains=word)
    compact = re.sub(r"[\s.\-]", "", query).upper()
    for field in exact_fields:
        if compact:
            condition |= Q(**{f"{field}__startswith": compact})
    return queryset.filter(condition)
