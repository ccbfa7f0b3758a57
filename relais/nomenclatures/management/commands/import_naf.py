from pathlib import Path

from django.core.management.base import CommandError

from relais.core.import_command import ImportCommand
from relais.core.importing import default_data_path
from relais.nomenclatures.imports import naf_import

DEFAULT_LEVELS = "naf2008_5_niveaux.csv"


class Command(ImportCommand):
    """Import the NAF rév. 2 sous-classes (INSEE) with their place in the 5-level hierarchy.

    Rule: one NafCode per sous-classe, upserted by code (« 01.11Z »); section, division, group
    and class come from the hierarchy file (--niveaux).
    """

    help = (
        "Importe la nomenclature NAF rév. 2 : les sous-classes et leur intitulé "
        "(naf2008_sous_classes.csv) et leur hiérarchie (--niveaux)."
    )
    kind = "naf"
    default_filename = "naf2008_sous_classes.csv"
    source_label = "de la nomenclature NAF"

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--niveaux",
            type=Path,
            metavar="FICHIER",
            help="fichier de la hiérarchie à 5 niveaux (par défaut : "
            f"{default_data_path(DEFAULT_LEVELS)})",
        )

    def secondary_paths(self, options):
        return [Path(options.get("niveaux") or default_data_path(DEFAULT_LEVELS))]

    def run_import(self, path, *, progress, options):
        (levels,) = self.secondary_paths(options)
        if not levels.is_file():
            raise CommandError(f"Fichier de la hiérarchie NAF introuvable : {levels}.")
        return naf_import(labels_path=path, levels_path=levels, progress=progress)
