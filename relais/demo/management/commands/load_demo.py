"""Load the demo of ``make run``: real reference data, real partners, demo companies and one
account per role. Idempotent: a second run skips the unchanged files and creates nothing."""

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from relais.demo import loading as demo


class Command(BaseCommand):
    help = "Charge les données de référence réelles et la démonstration (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-reference",
            action="store_true",
            help="Ne pas (ré)importer les fichiers de données de référence.",
        )

    def handle(self, *args: Any, no_reference: bool = False, **options: Any) -> None:
        if not no_reference:
            call_command(
                "import_reference",
                skip_unchanged=True,
                no_progress=True,
                stdout=self.stdout,
                stderr=self.stderr,
            )
        result = demo.load_all()
        partners, companies = result["partners"], result["companies"]
        self.stdout.write(
            f"Partenaires réels : {partners['created']} créé(s), "
            f"{partners['unchanged']} inchangé(s). "
            f"Entreprises de démonstration : {companies['created']} créée(s), "
            f"{companies['unchanged']} inchangée(s)."
        )
        for summary in result["apps"]:
            self.stdout.write(summary)
        self.stdout.write(
            f"\nComptes de démonstration (mot de passe : {settings.RELAIS_DEMO_PASSWORD}) :"
        )
        for account in result["accounts"]:
            scope = account.scope if account.scope is not None else "national"
            self.stdout.write(f"  {account.email:<38} {account.role.label} — {scope}")
