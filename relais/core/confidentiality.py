"""The confidentiality undertaking of the people who learn things inside a company through
the relation école-entreprise: pupils on a stage, teachers in immersion, volunteers.

Source: convention CPME Île-de-France – académies de Paris, Créteil et Versailles (2018),
article 3.2 « Confidentialité »: « Les informations recueillies dans les entreprises […]
auront un caractère confidentiel. […] L'utilisation de ces informations en dehors du présent
accord […] ne peut intervenir sans le consentement express des parties intéressées. Les
stagiaires et les enseignants seront, en permanence, tenus au secret professionnel
concernant toute information à caractère confidentiel qu'ils seraient amenés à connaître.
Cette clause de confidentialité vaut également pour toutes les informations recueillies au
sein de l'Éducation nationale. »

The text is versioned: an acknowledgement records the version the person read (``VERSION``),
and a document prints the text of that version (``text(version)``). A new wording is a new
entry of ``TEXTS``; the old ones stay, so that what someone acknowledged can be printed
again as it was.
"""

from __future__ import annotations

import datetime

SOURCE = "Convention CPME Île-de-France (2018), article 3.2 « Confidentialité »"

TEXTS: dict[str, str] = {
    "2026-1": (
        "Les informations recueillies dans l'entreprise ou l'organisme d'accueil ont un "
        "caractère confidentiel. Le secret professionnel s'impose à moi, en permanence, pour "
        "toute information à caractère confidentiel dont j'aurais connaissance, et je ne "
        "l'utilise pas en dehors de cette action sans le consentement "
        "exprès de l'entreprise ou de l'organisme concerné. Cet engagement vaut également "
        "pour les informations recueillies au sein de l'Éducation nationale."
    ),
}
VERSION = "2026-1"
LABEL = "Engagement de confidentialité"


def text(version: str = VERSION) -> str:
    """The wording of ``version`` (the current one by default)."""
    return TEXTS[version]


def acknowledgement_line(*, who: str, at: datetime.datetime, version: str) -> str:
    """« Engagement de confidentialité (version 2026-1) pris par … le 12/03/2026 à 10:05. »"""
    from django.utils import timezone

    moment = timezone.localtime(at)
    return f"{LABEL} (version {version}) pris par {who} le {moment:%d/%m/%Y} à {moment:%H:%M}."
