from django.shortcuts import render

from relais.reporting.dashboards import dashboard_panels


def dashboard(request):
    """Home page: one panel per membership (académie figures, bassin, school, organisation)."""
    return render(
        request,
        "dashboard/dashboard.html",
        {"title": "Tableau de bord", "panels": dashboard_panels(request.user)},
    )
