from django.shortcuts import render

from relais.territories.selectors import communes_search


def commune_suggestions_view(request):
    """Options of the communes <datalist> (htmx): public reference data, 20 at most."""
    communes = communes_search(request.GET.get("commune", "") or request.GET.get("q", ""))
    return render(request, "includes/commune_options.html", {"communes": communes})
