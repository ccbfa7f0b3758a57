from django.shortcuts import render

from relais.reporting.dashboards import dashboard_panels
from relais.users.enums import Role

from .roles import role_queues


def dashboard(request):
    """Home page: the user's work queues (one per role: what waits, late first, each item a
    link to where it is done), then one panel of figures per membership."""
    panels = dashboard_panels(request.user)
    queues = role_queues(request.user, [panel["membership"] for panel in panels])
    # A réserviste's dashboard is their own queue: the académie's directory figures are none
    # of their business.
    panels = [panel for panel in panels if panel["membership"].role != Role.VOLUNTEER]
    return render(
        request,
        "dashboard/dashboard.html",
        {"title": "Tableau de bord", "panels": panels, "queues": queues},
    )
