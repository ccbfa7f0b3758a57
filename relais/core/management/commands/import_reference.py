from pathlib import Path
from typing import Any, cast

from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from relais.core.import_command import ImportCommand
from relais.core.importing import already_imported, default_data_path

# In dependency order: départements need académies, communes need départements, the
# annuaire needs all three.
STEPS = (
    "import_academies",
    "import_departements",
    "import_communes",
    "import_annuaire",
    "import_rome",
    "import_naf",
)


class Command(BaseCommand):
    """Import all the reference data of ``data/opendata`` in dependency order.

    Rule: each step is its own transaction (a failure stops the chain and keeps the steps
    already done); with ``--dry-run`` the whole chain is simulated in one transaction rolled
    back at the end, so that each step sees the rows of the previous ones.
    """

    help = (
        "Importe toutes les données de référence dans l'ordre : académies, départements, "
        "communes, Annuaire de l'éducation, ROME, NAF."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="simulation : rien n'est enregistré"
        )
        parser.add_argument(
            "--skip-unchanged",
            action="store_true",
            help="sauter les fichiers déjà importés tels quels (même empreinte SHA-256)",
        )
        parser.add_argument("--no-progress", action="store_true", help="sans barre de progression")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["dry_run"]:
            self._run_steps(options)
            return
        with transaction.atomic():
            self._run_steps(options)
            transaction.set_rollback(True)
        self.stdout.write(
            self.style.SUCCESS("Simulation de l'ensemble terminée : rien n'a été enregistré.")
        )

    @staticmethod
    def _unchanged(kind: str, path: Path, others: list[Path]) -> bool:
        files = [path, *others]
        return all(file.is_file() for file in files) and already_imported(kind, *files)

    def _run_steps(self, options: dict[str, Any]) -> None:
        commands = get_commands()
        for name in STEPS:
            step = cast(ImportCommand, load_command_class(commands[name], name))
            path = default_data_path(step.default_filename)
            others = step.secondary_paths({})
            if options["skip_unchanged"] and self._unchanged(step.kind, path, others):
                self.stdout.write(f"{name} : {path.name} déjà importé tel quel, étape sautée.")
                continue
            call_command(
                name,
                dry_run=options["dry_run"],
                defer_rollback=options["dry_run"],
                no_progress=options["no_progress"],
                verbosity=options["verbosity"],
                stdout=self.stdout._out,
                stderr=self.stderr._out,
            )
