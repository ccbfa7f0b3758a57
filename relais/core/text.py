"""Text helpers shared by the apps: accent- and case-insensitive search keys."""

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def search_key(*parts: object) -> str:
    """Lower-case ASCII text without punctuation, used for accent-insensitive search.

    « Lycée Général Émile-Zola » → « lycee general emile zola ».
    """
    text = " ".join(str(part) for part in parts if part not in (None, ""))
    text = _NOT_WORD.sub(" ", unidecode(text).lower())
    return _SPACES.sub(" ", text).strip()
