"""Checks of the free texts the volunteers' services and workflows require."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def require_text(value: str, field: str, message: str) -> str:
    """``value`` stripped, or the French ``message`` on ``field`` when it is empty."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# The undertaking of relais.core.confidentiality, refused when not taken.
CONFIDENTIALITY_REQUIRED = (
    "Prenez l'engagement de confidentialité : ce que vous apprenez dans une entreprise ou un "
    "établissement reste confidentiel."
)
