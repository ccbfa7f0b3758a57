from django.core.management.base import BaseCommand, CommandError

from relais.core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Sauvegarde toute la base (pg_dump, format personnalisé compressé)."

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", help="fichier à écrire (défaut : .data/backups/relais-DATE.dump)"
        )

    def handle(self, *args, file=None, **options):
        try:
            path = backup(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = path.stat().st_size / 1_000_000
        self.stdout.write(f"Sauvegarde écrite : {path} ({size:.1f} Mo)")
