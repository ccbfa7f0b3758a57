"""The base of the ``import_*`` management commands (relais/core/importing.py has the rules
they share: CSV reading, upsert by natural key, the ImportRun journal)."""

from __future__ import annotations

import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pghistory
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from tqdm import tqdm

from .importing import (
    ImportFileError,
    ImportResult,
    default_data_path,
    fr_int,
    sources_sha256,
)
from .models import ImportRun


class ImportCommand(BaseCommand):
    """Base of the ``import_*`` commands: argument parsing, one transaction, dry run,
    progress bar, French summary and the ``ImportRun`` journal.

    A subclass sets ``kind``, ``default_filename`` and ``source_label``, and implements
    ``run_import(path, progress=..., options=...)`` returning an ``ImportResult``.
    """

    kind = ""
    default_filename = ""
    source_label = "du fichier"
    # Set by ``import_reference --dry-run``: the caller rolls back, so that each step of the
    # simulation sees the rows of the previous ones.
    stealth_options = ("defer_rollback",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path",
            nargs="?",
            type=Path,
            help=f"fichier à importer (par défaut : {default_data_path(self.default_filename)})",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="simulation : tout est vérifié et compté, puis rien n'est enregistré",
        )
        parser.add_argument("--no-progress", action="store_true", help="sans barre de progression")
        self.add_import_arguments(parser)

    def add_import_arguments(self, parser: CommandParser) -> None:
        """Options specific to one import."""

    def run_import(
        self, path: Path, *, progress: tqdm[Any], options: dict[str, Any]
    ) -> ImportResult:
        raise NotImplementedError

    def secondary_paths(self, options: dict[str, Any]) -> list[Path]:
        """The other files this import reads (they count in the journal's SHA-256)."""
        return []

    def run_kind(self, options: dict[str, Any]) -> str:
        """The ``ImportRun.kind`` of this run (a filtered run gets its own kind)."""
        return self.kind

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"] or default_data_path(self.default_filename))
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}.")
        dry_run = options["dry_run"]
        self.stdout.write(
            f"Import {self.source_label} depuis {path}"
            + (" (simulation : rien ne sera enregistré)" if dry_run else "")
        )
        started_at, clock = timezone.now(), time.monotonic()
        try:
            result = self._run_in_transaction(path, options, started_at)
        except ImportFileError as exc:
            raise CommandError(
                "Import annulé, rien n'a été enregistré. "
                f"Fichier « {exc.source or path.name} » : {exc}"
            ) from exc
        self._print_summary(result, dry_run, time.monotonic() - clock, options)

    def _run_in_transaction(
        self, path: Path, options: dict[str, Any], started_at: datetime
    ) -> ImportResult:
        dry_run = options["dry_run"]
        with transaction.atomic():
            with (
                self._progress(path, options) as progress,
                pghistory.context(command=f"import_{self.kind}", file=path.name),
            ):
                result = self.run_import(path, progress=progress, options=options)
            if not dry_run:
                self._record(path, options, result, started_at)
            elif not options.get("defer_rollback"):
                transaction.set_rollback(True)
        return result

    def _progress(self, path: Path, options: dict[str, Any]) -> tqdm[Any]:
        # disable=None: no bar when stderr is not a terminal (CI logs, tests).
        return tqdm(
            total=path.stat().st_size,
            unit="o",
            unit_scale=True,
            desc=path.name,
            file=sys.stderr,
            disable=True if options["no_progress"] else None,
            leave=False,
        )

    def _record(
        self, path: Path, options: dict[str, Any], result: ImportResult, started_at: datetime
    ) -> None:
        ImportRun.objects.create(
            kind=self.run_kind(options),
            source_name=path.name,
            sha256=sources_sha256([path, *self.secondary_paths(options)]),
            started_at=started_at,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
            warnings=[warning.text() for warning in result.warnings],
        )

    def _print_summary(
        self, result: ImportResult, dry_run: bool, seconds: float, options: dict[str, Any]
    ) -> None:
        verbs = ("seraient créés", "seraient mis à jour") if dry_run else ("créés", "mis à jour")
        for label, counts in result.parts.items():
            self.stdout.write(
                f"  {label} : {fr_int(counts.created)} {verbs[0]}, "
                f"{fr_int(counts.updated)} {verbs[1]}, {fr_int(counts.unchanged)} inchangés"
            )
        limit = None if options.get("verbosity", 1) > 1 else 20
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"  Signalement : {warning.text(limit)}"))
        seconds_text = f"{seconds:.1f}".replace(".", ",")
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Simulation terminée en {seconds_text} s : rien n'a été enregistré."
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Import terminé en {seconds_text} s."))
