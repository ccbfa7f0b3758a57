from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from relais.core.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de backup_db dans la base (remplace son contenu, en une seule "
        "transaction : en cas d'erreur, la base reste telle qu'elle était)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier écrit par backup_db")
        parser.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")

    def handle(self, *args: Any, file: str, yes: bool = False, **options: Any) -> None:
        if not yes:
            answer = input("Le contenu actuel de la base sera remplacé. Continuer ? [oui/non] ")
            if answer.strip().lower() not in {"o", "oui", "y", "yes"}:
                raise CommandError("Restauration annulée.")
        try:
            restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Base restaurée depuis {file}.")
