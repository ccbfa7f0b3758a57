"""Helpers shared by the pages of the pôles de stages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def run_action(request, action, *, success: str, back: str):
    """Call a service for a POST button; its French error becomes a message. Redirect."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(back)
