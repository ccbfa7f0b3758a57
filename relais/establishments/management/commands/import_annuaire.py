from django.core.management.base import CommandError

from relais.core.import_command import ImportCommand
from relais.establishments.imports import annuaire_import
from relais.territories.models import Academie


class Command(ImportCommand):
    """Import the Annuaire de l'éducation: bassins de formation and établissements.

    Rule: official 72-column format; établissements upserted by UAI (check letter verified),
    bassins by code; the académies must be imported first, the départements and communes
    should be (otherwise the links stay empty and are reported).
    """

    help = (
        "Importe l'Annuaire de l'éducation (format officiel à 72 colonnes, séparateur « ; ») : "
        "bassins de formation et établissements, identifiés par leur UAI."
    )
    kind = "annuaire"
    default_filename = "annuaire_education_occitanie_2024-11.csv"
    source_label = "de l'Annuaire de l'éducation"

    def add_import_arguments(self, parser):
        parser.add_argument(
            "--academie",
            metavar="CODES",
            help="n'importer que ces académies, par code, séparées par des virgules (ex. : 11,16)",
        )

    def run_kind(self, options):
        codes = self._academies(options)
        return f"{self.kind}:{','.join(sorted(codes))}" if codes else self.kind

    def run_import(self, path, *, progress, options):
        return annuaire_import(path=path, academies=self._academies(options), progress=progress)

    def _academies(self, options) -> set[str] | None:
        if not options["academie"]:
            return None
        codes = {code.strip() for code in options["academie"].split(",") if code.strip()}
        if not all(code.isdigit() and len(code) == 2 for code in codes):
            raise CommandError(
                f"--academie : « {options['academie']} » n'est pas une liste de codes "
                "d'académie à 2 chiffres séparés par des virgules (ex. : 11,16)."
            )
        unknown = sorted(codes - set(Academie.objects.values_list("code", flat=True)))
        if unknown:
            raise CommandError(
                f"--academie : académie(s) inconnue(s) : {', '.join(unknown)}. "
                "Lancez d'abord « manage.py import_academies »."
            )
        return codes
