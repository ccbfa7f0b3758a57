"""The pupil's record goes with the pupil (issue 10, item 5): the parcours Avenir of a
pupil as a PDF for the family, as a JSON document for another system (the pupil's
portfolio, the next school's software), and a class's records as one PDF, a page per
pupil, that the school prints at the end of 3e.

The JSON document is a versioned format, ``relais-parcours-avenir`` version 1, described
by ``JSON_SCHEMA`` below and in ``docs/parcours-avenir-json.md``. A consumer checks
``format`` and ``version``; a change that removes or renames a key, or changes its type,
makes a version 2. Keys and values are French, as the documents the schools read:

- ``eleve``: the minimum data (names, class, level, school year, the school's own
  identifier when it gave one); never the priority flags (QPV, disability, newly arrived);
- ``etablissement``: UAI and name;
- ``statut``: each of the four items (``visite``, ``rencontre``, ``stage``, ``projet``)
  ``fait``, ``prevu`` or ``manquant`` on the day of the export; ``complet``; the items due
  this year and still missing;
- ``experiences``: every experience credited, oldest first, with its date, title, kind,
  items, partner (and SIRET when Relais knows it), place and origin.

The caller reads the pupil (or the class) through the school's scoped selectors and
journals the export (``relais.www.journal.log_export``).
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence

from django.utils import timezone
from django.utils.text import slugify

from relais.core.clock import today
from relais.documents.rendering import Rendered, render_pdf
from relais.establishments.models import Establishment
from relais.pupils.years import roster_year_label

from .enums import ITEMS, Item, Source, Status
from .models import Experience
from .selectors import PupilParcours

FORMAT = "relais-parcours-avenir"
VERSION = 1
JSON_MIMETYPE = "application/json"

# The four items and their states, as the JSON document names them.
ITEM_KEYS = {
    Item.VISIT: "visite",
    Item.MEETING: "rencontre",
    Item.INTERNSHIP: "stage",
    Item.PROJECT: "projet",
}
STATUS_KEYS = {Status.DONE: "fait", Status.PLANNED: "prevu", Status.MISSING: "manquant"}

# What the family reads under each item (Mesure 3 of the twelve measures, 2015).
ITEM_HELP = {
    Item.VISIT: "visite d'entreprise, journée portes ouvertes, visite d'un lieu de formation",
    Item.MEETING: "rencontre avec des professionnels : témoignage, forum, intervention, parrainage",
    Item.INTERNSHIP: "stage d'observation, stage de seconde, période de formation en milieu "
    "professionnel",
    Item.PROJECT: "projet concret avec un partenaire : mini-entreprise, concours, projet de classe",
}


# --- JSON ---------------------------------------------------------------------------------


def _text(value: str) -> str | None:
    return value or None


def _experience_data(experience: Experience, day: datetime.date) -> dict:
    organisation = experience.organisation if experience.organisation_id else None
    return {
        "date": experience.date.isoformat(),
        "intitule": experience.title,
        "type": experience.kind,
        "type_libelle": experience.kind_label,
        "elements": [ITEM_KEYS[Item(item)] for item in experience.items],
        "statut": STATUS_KEYS[Status.DONE if experience.date <= day else Status.PLANNED],
        "partenaire": _text(experience.partner),
        "partenaire_siret": (organisation.siret or None) if organisation else None,
        "lieu": _text(experience.place),
        "origine": experience.source,
        "origine_libelle": Source(experience.source).label,
    }


def parcours_data(
    parcours: PupilParcours, *, generated_at: datetime.datetime | None = None
) -> dict:
    """The JSON document (format ``relais-parcours-avenir``, version 1) of one pupil."""
    pupil = parcours.pupil
    school = pupil.establishment
    day = today()
    moment = timezone.localtime(generated_at or timezone.now())
    return {
        "format": FORMAT,
        "version": VERSION,
        "genere_le": moment.isoformat(timespec="seconds"),
        "eleve": {
            "nom": pupil.last_name,
            "prenom": pupil.first_name,
            "classe": pupil.class_label,
            "niveau": pupil.level,
            "niveau_libelle": pupil.get_level_display(),
            "annee_scolaire": roster_year_label(pupil.school_year),
            "identifiant_etablissement": _text(pupil.school_ref),
        },
        "etablissement": {"uai": school.uai, "nom": school.name},
        "statut": {
            **{ITEM_KEYS[item]: STATUS_KEYS[Status(parcours.status[item])] for item in ITEMS},
            "complet": parcours.complete,
            "attendus_manquants": [ITEM_KEYS[Item(item)] for item in parcours.missing_due],
        },
        "experiences": [_experience_data(e, day) for e in parcours.experiences],
    }


def parcours_json(parcours: PupilParcours) -> Rendered:
    """The JSON document of one pupil, as a file (UTF-8, indented)."""
    content = json.dumps(parcours_data(parcours), ensure_ascii=False, indent=2) + "\n"
    return Rendered(
        content.encode("utf-8"),
        f"parcours-avenir-eleve-{parcours.pupil.pk}.json",
        JSON_MIMETYPE,
    )


_ITEM_KEY_VALUES = list(ITEM_KEYS.values())
_STATUS_VALUES = list(STATUS_KEYS.values())
_NULLABLE_TEXT = {"type": ["string", "null"]}

JSON_SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://relais.education.gouv.fr/schemas/relais-parcours-avenir-1.json",
    "title": "Parcours Avenir d'un élève (Relais), version 1",
    "type": "object",
    "required": [
        "format",
        "version",
        "genere_le",
        "eleve",
        "etablissement",
        "statut",
        "experiences",
    ],  # fmt: skip
    "additionalProperties": False,
    "properties": {
        "format": {"const": FORMAT},
        "version": {"const": VERSION},
        "genere_le": {"type": "string", "format": "date-time"},
        "eleve": {
            "type": "object",
            "required": [
                "nom",
                "prenom",
                "classe",
                "niveau",
                "niveau_libelle",
                "annee_scolaire",
                "identifiant_etablissement",
            ],  # fmt: skip
            "additionalProperties": False,
            "properties": {
                "nom": {"type": "string"},
                "prenom": {"type": "string"},
                "classe": {"type": "string"},
                "niveau": {"type": "string"},
                "niveau_libelle": {"type": "string"},
                "annee_scolaire": {"type": "string", "pattern": r"^\d{4}-\d{4}$"},
                "identifiant_etablissement": _NULLABLE_TEXT,
            },
        },
        "etablissement": {
            "type": "object",
            "required": ["uai", "nom"],
            "additionalProperties": False,
            "properties": {
                "uai": {"type": "string", "pattern": r"^\d{7}[A-Z]$"},
                "nom": {"type": "string"},
            },
        },
        "statut": {
            "type": "object",
            "required": [*_ITEM_KEY_VALUES, "complet", "attendus_manquants"],
            "additionalProperties": False,
            "properties": {
                **{key: {"enum": _STATUS_VALUES} for key in _ITEM_KEY_VALUES},
                "complet": {"type": "boolean"},
                "attendus_manquants": {
                    "type": "array",
                    "items": {"enum": _ITEM_KEY_VALUES},
                    "uniqueItems": True,
                },
            },
        },
        "experiences": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "date",
                    "intitule",
                    "type",
                    "type_libelle",
                    "elements",
                    "statut",
                    "partenaire",
                    "partenaire_siret",
                    "lieu",
                    "origine",
                    "origine_libelle",
                ],  # fmt: skip
                "additionalProperties": False,
                "properties": {
                    "date": {"type": "string", "format": "date"},
                    "intitule": {"type": "string"},
                    "type": {"type": "string"},
                    "type_libelle": {"type": "string"},
                    "elements": {
                        "type": "array",
                        "items": {"enum": _ITEM_KEY_VALUES},
                        "minItems": 1,
                        "uniqueItems": True,
                    },
                    "statut": {"enum": [STATUS_KEYS[Status.DONE], STATUS_KEYS[Status.PLANNED]]},
                    "partenaire": _NULLABLE_TEXT,
                    "partenaire_siret": {"type": ["string", "null"], "pattern": r"^\d{14}$"},
                    "lieu": _NULLABLE_TEXT,
                    "origine": {"enum": list(Source.values)},
                    "origine_libelle": {"type": "string"},
                },
            },
        },
    },
}


# --- PDF ----------------------------------------------------------------------------------


def _record(parcours: PupilParcours) -> dict:
    """What the PDF shows of one pupil."""
    labels = dict(Status.choices)
    status = parcours.status
    return {
        "pupil": parcours.pupil,
        "year_label": roster_year_label(parcours.pupil.school_year),
        "items": [
            {
                "label": item.label,
                "help": ITEM_HELP[item],
                "status": status[item],
                "status_label": labels[status[item]],
            }  # fmt: skip
            for item in ITEMS
        ],
        "experiences": parcours.experiences,
        "done_count": parcours.done_count,
        "complete": parcours.complete,
        "missing_due": [Item(item).label for item in parcours.missing_due],
    }


def parcours_pdf(parcours: PupilParcours) -> Rendered:
    """One pupil's parcours, to hand to the family."""
    pupil = parcours.pupil
    context = {
        "school": pupil.establishment,
        "records": [_record(parcours)],
        "footer": f"Parcours Avenir de {pupil.first_name} {pupil.last_name}",
        "generated_at": timezone.localtime(),
    }
    return render_pdf(
        "pathways/documents/parcours.html",
        context,
        filename=f"parcours-avenir-eleve-{pupil.pk}.pdf",
    )


def class_pdf(
    rows: Sequence[PupilParcours],
    *,
    school: Establishment,
    class_label: str,
    school_year: int,
) -> Rendered:
    """The records of a class (``rows``, read through ``selectors.class_parcours``), each
    pupil on a page of its own, to print at the end of the year."""
    context = {
        "school": school,
        "records": [_record(row) for row in rows],
        "footer": f"Parcours Avenir — {class_label} — {roster_year_label(school_year)}",
        "generated_at": timezone.localtime(),
    }
    slug = slugify(class_label) or "classe"
    return render_pdf(
        "pathways/documents/parcours.html",
        context,
        filename=f"parcours-avenir-{school.uai}-{slug}-{school_year}.pdf",
    )
