from relais.core.import_command import ImportCommand
from relais.territories.imports import departements_import


class Command(ImportCommand):
    """Import the départements of the ministry's géolocalisation file.

    Rule: the distinct (code_departement, libelle_departement, code_academie), upserted by
    INSEE code (« 030 » → « 30 »); the académies must be imported first.
    """

    help = (
        "Importe les départements et leur académie depuis le fichier de géolocalisation "
        "des établissements (colleges_france_geoloc.csv). Lancez d'abord import_academies."
    )
    kind = "departements"
    default_filename = "colleges_france_geoloc.csv"
    source_label = "des départements"

    def run_import(self, path, *, progress, options):
        return departements_import(path=path, progress=progress)
