"""Writes on accounts: API tokens and memberships; the journal of personal-data accesses."""

from collections.abc import Mapping

from django.db import models, transaction
from rest_framework.authtoken.models import Token

from .models import PersonalDataAccess, User
from .types import AnyUser


@transaction.atomic
def api_token_regenerate(*, user: User) -> Token:
    """A new API token for ``user``; the previous one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


def api_token_revoke(*, user: User) -> None:
    Token.objects.filter(user=user).delete()


def personal_data_log(
    *,
    user: AnyUser | None,
    purpose: str,
    data: str,
    description: str,
    about: models.Model | str | None = None,
    filters: Mapping[str, object] | None = None,
    fmt: str = "",
    rows: int | None = None,
) -> PersonalDataAccess:
    """Journal a read (``AccessPurpose.CONSULTATION``, with the record in ``about``) or an
    export (``AccessPurpose.EXPORT``, with its ``filters`` and number of ``rows``) of personal
    data: who, when, what, why. Every single pupil read and every export of people's names
    or addresses goes through here (DESIGN.md § 3; issue 17)."""
    if about is not None and not isinstance(about, str):
        about = f"{about._meta.label_lower}:{about.pk}"
    return PersonalDataAccess.objects.create(
        user=user if isinstance(user, User) and user.is_authenticated else None,
        purpose=purpose,
        data=data,
        about=about or "",
        description=description[:255],
        filters={key: str(value)[:200] for key, value in (filters or {}).items()},
        fmt=fmt[:10],
        rows=rows,
    )
