"""Serializer fields that accept the public identifiers of reference data (codes, not ids)."""

import re

from rest_framework import serializers


class CodeRelatedField(serializers.SlugRelatedField):
    """A related object given by its code (INSEE code, NAF code, académie code…), as a string.

    A number is refused rather than coerced: INSEE codes start with zeros (« 01053 »)."""

    default_error_messages = {
        "does_not_exist": "Code inconnu : « {value} ».",
        "invalid": "Indiquez un code sous forme de texte.",
    }

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        data = self.normalize(data.strip())
        if len(data) > 20 or "\x00" in data:  # no such code; PostgreSQL refuses NUL bytes
            shown = data.replace("\x00", "")[:20] + ("…" if len(data) > 20 else "")
            self.fail("does_not_exist", slug_name=self.slug_field, value=shown)
        return super().to_internal_value(data)

    def normalize(self, value: str) -> str:
        return value


class NafCodeField(CodeRelatedField):
    """NAF rév. 2 code, « 62.01Z »; « 6201Z » and lower case are accepted."""

    default_error_messages = {
        "does_not_exist": (
            "Code NAF inconnu : « {value} ». Il s'écrit comme « 62.01Z » (NAF rév. 2)."
        ),
    }

    def normalize(self, value: str) -> str:
        value = value.upper()
        if re.fullmatch(r"\d{4}[A-Z]", value):
            value = f"{value[:2]}.{value[2:]}"
        return value
