"""Helpers shared by the pages of the pôles de stages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: by field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def run_action(request, action, *, success: str, back: str):
    """Call a service for a POST button; its French error becomes a message. Redirect."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(back)
