from pathlib import Path

from django.core.management.base import CommandError

from relais.core.import_command import ImportCommand
from relais.core.importing import default_data_path
from relais.territories.commune_names import NAME_SOURCES
from relais.territories.imports import communes_import


class Command(ImportCommand):
    """Import the communes of La Poste's base officielle des codes postaux.

    Rule: one commune per INSEE code, upserted by that code, with its smallest postal code,
    its GPS position, its proper name taken from the ministry's files (``--names-from``) and
    its département when it is in base.
    """

    help = (
        "Importe les communes (laposte_hexasmal_communes.csv) : code INSEE, code postal, "
        "position ; le nom correctement accentué vient des fichiers du ministère."
    )
    kind = "communes"
    default_filename = "laposte_hexasmal_communes.csv"
    source_label = "des communes de La Poste"

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--names-from",
            nargs="*",
            type=Path,
            metavar="FICHIER",
            help=(
                "fichiers CSV du ministère donnant le nom exact des communes (par défaut : "
                + ", ".join(NAME_SOURCES)
                + " s'ils existent ; sans valeur : aucun)"
            ),
        )

    def secondary_paths(self, options):
        names_from = options.get("names_from")
        if names_from is not None:
            return [Path(name) for name in names_from]
        defaults = [default_data_path(name) for name in NAME_SOURCES]
        return [candidate for candidate in defaults if candidate.is_file()]

    def run_import(self, path, *, progress, options):
        names_from = self.secondary_paths(options)
        for names_path in names_from:
            if not names_path.is_file():
                raise CommandError(f"Fichier de noms introuvable : {names_path}.")
        return communes_import(path=path, names_from=names_from, progress=progress)
