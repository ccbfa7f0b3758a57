"""API endpoints of the agreements area, registered on the v1 router by relais.api.urls."""


def register(router) -> None:
    """Add this area's viewsets to the v1 router."""
