"""Helpers of the volunteers pages: one form page, service errors on the form, export format."""

from django.core.exceptions import ValidationError
from django.shortcuts import render

from relais.www.forms import add_errors


def run_form(request, form, action):
    """POST with a valid form: call ``action(cleaned_data)`` (one service). Returns its result,
    or None when the form or the service refused the input (errors are on the form)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return action(form.cleaned_data)
    except ValidationError as error:
        add_errors(form, error)
        return None


def form_page(request, form, *, title: str, submit: str, back_url: str, **extra):
    """The shared form page (``volunteers/form.html``): 400 when the form holds errors."""
    context = {"title": title, "form": form, "submit": submit, "back_url": back_url, **extra}
    return render(request, "volunteers/form.html", context, status=400 if form.errors else 200)


def export_format(request) -> str:
    return "xlsx" if request.GET.get("format") == "xlsx" else "csv"
