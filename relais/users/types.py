"""The types of the people the domain code is given."""

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from .models import User

# ``request.user``: a signed-in ``User`` or the anonymous visitor. Reads and rules take it (an
# anonymous or inactive visitor reaches nothing); writes that record an author take a ``User``.
AnyUser: TypeAlias = User | AnonymousUser
