from relais.core.import_command import ImportCommand
from relais.territories.imports import academies_import


class Command(ImportCommand):
    """Import the régions académiques and académies of ``academies.csv``.

    Rule: one row per académie, upserted by its code; its school-holiday zone comes from
    ``HOLIDAY_ZONES`` (relais/territories/imports.py).
    """

    help = (
        "Importe les régions académiques et les académies (academies.csv), "
        "avec la zone de vacances scolaires de chaque académie."
    )
    kind = "academies"
    default_filename = "academies.csv"
    source_label = "des académies"

    def run_import(self, path, *, progress, options):
        return academies_import(path=path, progress=progress)
