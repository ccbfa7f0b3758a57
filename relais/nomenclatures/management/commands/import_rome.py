from pathlib import Path

from django.core.management.base import CommandError

from relais.core.import_command import ImportCommand
from relais.core.importing import default_data_path
from relais.nomenclatures.imports import rome_import

DEFAULT_APPELLATIONS = "rome_v460_appellations.csv"


class Command(ImportCommand):
    """Import the ROME 4.0 fiches and their appellations (France Travail open data).

    Rule: fiches upserted by ROME code, appellations by OGR code, each tied to its fiche.
    """

    help = (
        "Importe le répertoire ROME de France Travail : les fiches (rome_v460_code_rome.csv) "
        "et leurs appellations (--appellations)."
    )
    kind = "rome"
    default_filename = "rome_v460_code_rome.csv"
    source_label = "des fiches ROME"

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--appellations",
            type=Path,
            metavar="FICHIER",
            help="fichier des appellations (par défaut : "
            f"{default_data_path(DEFAULT_APPELLATIONS)})",
        )

    def secondary_paths(self, options):
        return [Path(options.get("appellations") or default_data_path(DEFAULT_APPELLATIONS))]

    def run_import(self, path, *, progress, options):
        (appellations,) = self.secondary_paths(options)
        if not appellations.is_file():
            raise CommandError(f"Fichier des appellations introuvable : {appellations}.")
        return rome_import(codes_path=path, appellations_path=appellations, progress=progress)
