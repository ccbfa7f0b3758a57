from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Sauvegarde toute la base (pg_dump, format personnalisé compressé)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", help="fichier à écrire (défaut : .data/backups/relais-DATE.dump)"
        )

    def handle(self, *args: Any, file: str | None = None, **options: Any) -> None:
        try:
            path = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size / 1_000_000
        self.stdout.write(f"Sauvegarde écrite : {path} ({size:.1f} Mo)")
