"""A JSON parser whose errors are in French (DRF's own says « JSON parse error - … »)."""

import json

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JsonParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except ParseError as error:
            cause = error.__cause__ or error.__context__
            raise ParseError(_french_message(cause)) from cause


def _french_message(cause) -> str:
    if isinstance(cause, json.JSONDecodeError):
        return (
            f"JSON malformé : erreur ligne {cause.lineno}, colonne {cause.colno}. "
            "Le corps de la requête doit être un objet JSON."
        )
    if isinstance(cause, UnicodeDecodeError):
        return "JSON malformé : le corps de la requête doit être encodé en UTF-8."
    return "JSON malformé : le corps de la requête doit être un objet JSON."
