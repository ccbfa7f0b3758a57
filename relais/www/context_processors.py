from relais.users.scopes import get_reach

from .menus import Menu


def navigation(request):
    """The user's reach, for menus that depend on the role (no query when already computed),
    and the menu entries the user may open (computed when a template first asks)."""
    user = getattr(request, "user", None)
    return {"reach": get_reach(user) if user is not None else None, "menu": Menu(user)}
