"""Password rules of the CNIL (délibération n° 2022-100 du 21 juillet 2022, cas n° 1).

At least 12 characters (MinimumLengthValidator) mixing upper case, lower case, digits and
special characters: about 80 bits of entropy. Login attempts are limited by django-axes.
"""

import re

from django.core.exceptions import ValidationError

CLASSES = [
    (re.compile(r"[A-Z]"), "une majuscule"),
    (re.compile(r"[a-z]"), "une minuscule"),
    (re.compile(r"[0-9]"), "un chiffre"),
    (re.compile(r"[^A-Za-z0-9]"), "un caractère spécial"),
]


class CnilComplexityValidator:
    def validate(self, password: str, user=None) -> None:
        missing = [label for pattern, label in CLASSES if not pattern.search(password or "")]
        if missing:
            raise ValidationError(
                "Le mot de passe doit contenir au moins %(missing)s.",
                code="password_too_simple",
                params={"missing": ", ".join(missing)},
            )

    def get_help_text(self) -> str:
        return (
            "Votre mot de passe doit contenir au moins une majuscule, une minuscule, "
            "un chiffre et un caractère spécial."
        )
