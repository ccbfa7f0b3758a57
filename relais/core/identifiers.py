"""Validation of French identifiers: UAI (check letter), SIRET/SIREN (Luhn), INSEE codes."""

import re

from django.core.exceptions import ValidationError
from stdnum.fr import siren, siret

# The UAI check letter is the 7 leading characters read as a number, modulo 23, indexed in
# this alphabet (no I, O or Q). Corsican codes 620/720 use their digits, so 2A/2B never occur.
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
UAI_RE = re.compile(r"^\d{7}[A-Z]$")


def uai_check_letter(first_seven: str) -> str:
    return UAI_LETTERS[int(first_seven) % 23]


def is_valid_uai(value: str) -> bool:
    value = (value or "").strip().upper()
    return bool(UAI_RE.match(value)) and uai_check_letter(value[:7]) == value[7]


def validate_uai(value: str) -> None:
    value = (value or "").strip().upper()
    if not UAI_RE.match(value):
        raise ValidationError(
            "L'UAI « %(value)s » doit compter 7 chiffres suivis d'une lettre (ex. : 0301326D).",
            code="uai_format",
            params={"value": value},
        )
    expected = uai_check_letter(value[:7])
    if value[7] != expected:
        raise ValidationError(
            "L'UAI « %(value)s » a une lettre de contrôle fausse : %(expected)s attendue.",
            code="uai_check_letter",
            params={"value": value, "expected": expected},
        )


def normalize_siret(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def validate_siret(value: str) -> None:
    value = normalize_siret(value)
    if not re.fullmatch(r"\d{14}", value):
        raise ValidationError(
            "Le SIRET « %(value)s » doit compter 14 chiffres.",
            code="siret_format",
            params={"value": value},
        )
    if not siret.is_valid(value):
        raise ValidationError(
            "Le SIRET « %(value)s » n'est pas valide (clé de contrôle fausse).",
            code="siret_checksum",
            params={"value": value},
        )


def is_valid_siren(value: str) -> bool:
    return siren.is_valid(normalize_siret(value))


INSEE_RE = re.compile(r"^(\d{5}|2[AB]\d{3})$")


def is_valid_insee(value: str) -> bool:
    return bool(INSEE_RE.match(value or ""))


def departement_code_from_insee(insee: str) -> str:
    """Département of a commune: 3 characters overseas (971…, 988…), else 2 (01…95, 2A, 2B)."""
    return insee[:3] if insee.startswith(("97", "98")) else insee[:2]


def build_siret(siren_body: str, nic_body: str) -> str:
    """A SIRET whose SIREN (8 digits + key) and whole number (+ key) pass the Luhn checks.
    Used for demo and test data only."""
    from stdnum import luhn

    siren_number = siren_body + luhn.calc_check_digit(siren_body)
    partial = siren_number + nic_body
    return partial + luhn.calc_check_digit(partial)
