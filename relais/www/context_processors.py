from relais.users.scopes import get_reach


def navigation(request):
    """The user's reach, for menus that depend on the role (no query when already computed)."""
    user = getattr(request, "user", None)
    return {"reach": get_reach(user) if user is not None else None}
