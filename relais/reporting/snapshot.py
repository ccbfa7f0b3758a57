"""The daily snapshot of the open data: every dataset of ``opendata.DATASETS`` written once
a day (job ``reporting.opendata_snapshot``) as CSV and JSON, with ``datapackage.json``
(Frictionless Data Package and Table Schemas) and ``dcat.jsonld`` (DCAT-AP), into
``<RELAIS_OPENDATA_DIR or MEDIA_ROOT/opendata>/<YYYY-MM-DD>/``. The pages serve the files of
the latest complete snapshot; the last ``KEEP`` snapshots stay downloadable by date.

A snapshot is written in a temporary folder and renamed when complete, so that a reader
never sees half a snapshot; rebuilding the same day replaces that day's files.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from relais.core.clock import now, today

from . import opendata

KEEP = 7
PACKAGE = "datapackage.json"
DCAT = "dcat.jsonld"
DATE_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FILE_NAME = re.compile(r"^[a-z0-9-]+\.(csv|json|jsonld)$")


def root() -> Path:
    configured = getattr(settings, "RELAIS_OPENDATA_DIR", None) or os.environ.get(
        "RELAIS_OPENDATA_DIR"
    )
    return Path(configured) if configured else Path(settings.MEDIA_ROOT) / "opendata"


@dataclass(frozen=True)
class Snapshot:
    day: datetime.date
    path: Path

    def file(self, name: str) -> Path | None:
        """The file ``name`` of the snapshot, None when it has no such file (or the name is
        not one of ours: no path ever leaves the snapshot's folder)."""
        if not FILE_NAME.match(name):
            return None
        candidate = self.path / name
        return candidate if candidate.is_file() else None

    def package(self) -> dict:
        return json.loads((self.path / PACKAGE).read_text(encoding="utf-8"))


def snapshots() -> list[Snapshot]:
    """The complete snapshots, newest first."""
    base = root()
    if not base.is_dir():
        return []
    found = []
    for child in base.iterdir():
        if child.is_dir() and DATE_DIR.match(child.name) and (child / PACKAGE).is_file():
            found.append(Snapshot(datetime.date.fromisoformat(child.name), child))
    return sorted(found, key=lambda s: s.day, reverse=True)


def latest() -> Snapshot | None:
    found = snapshots()
    return found[0] if found else None


def of_day(day: datetime.date) -> Snapshot | None:
    return next((s for s in snapshots() if s.day == day), None)


def _write_dataset(folder: Path, dataset: opendata.Dataset) -> int:
    """The dataset's CSV and JSON; returns the number of rows."""
    count = 0
    header = dataset.header
    with (
        (folder / f"{dataset.name}.csv").open("w", encoding="utf-8", newline="") as csv_file,
        (folder / f"{dataset.name}.json").open("w", encoding="utf-8") as json_file,
    ):
        writer = csv.writer(csv_file, lineterminator="\r\n")
        writer.writerow(header)
        json_file.write("[")
        for row in dataset.rows():
            writer.writerow([opendata.cell_text(value) for value in row])
            record = dict(zip(header, (opendata.json_value(v) for v in row), strict=True))
            json_file.write(("," if count else "") + "\n" + json.dumps(record, ensure_ascii=False))
            count += 1
        json_file.write("\n]\n")
    return count


def _package(day: datetime.date, counts: dict[str, int]) -> dict:
    resources = []
    for dataset in opendata.DATASETS:
        for fmt, mediatype in (("csv", "text/csv"), ("json", "application/json")):
            resource = {
                "name": dataset.name if fmt == "csv" else f"{dataset.name}-json",
                "title": dataset.title,
                "description": dataset.description,
                "path": f"{dataset.name}.{fmt}",
                "format": fmt,
                "mediatype": mediatype,
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": dataset.schema(),
                "licenses": [opendata.LICENCE],
            }
            if fmt == "csv":
                resource["dialect"] = {"delimiter": ",", "header": True}
            resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": "relais-relation-ecole-entreprise",
        "title": "Relation école-entreprise : conventions, clubs, campus et indicateurs",
        "description": (
            "Données ouvertes de Relais, instantané du "
            f"{day.strftime('%d/%m/%Y')}. Aucune donnée personnelle ; effectifs d'élèves "
            f"de moins de {opendata.SMALL_COUNT} masqués (secret statistique)."
        ),
        "version": day.isoformat(),
        "created": now().replace(microsecond=0).isoformat(),
        "licenses": [opendata.LICENCE],
        "contributors": [{"title": opendata.PUBLISHER, "role": "publisher"}],
        "resources": resources,
        "x-rows": counts,
    }


def _dcat(day: datetime.date, base_url: str) -> dict:
    """DCAT (JSON-LD) of the catalogue: one dataset per table, a CSV and a JSON distribution
    each, under the Licence Ouverte 2.0."""
    datasets = []
    for dataset in opendata.DATASETS:
        distributions = [
            {
                "@type": "dcat:Distribution",
                "dct:title": f"{dataset.title} ({fmt.upper()})",
                "dcat:downloadURL": {"@id": f"{base_url}/donnees/fichiers/{dataset.name}.{fmt}"},
                "dcat:mediaType": mediatype,
                "dct:format": fmt.upper(),
                "dct:license": {"@id": opendata.LICENCE["path"]},
                "dct:conformsTo": {"@id": f"{base_url}/donnees/fichiers/{PACKAGE}"},
            }
            for fmt, mediatype in (("csv", "text/csv"), ("json", "application/json"))
        ]
        datasets.append(
            {
                "@type": "dcat:Dataset",
                "@id": f"{base_url}/donnees/#{dataset.name}",
                "dct:identifier": dataset.name,
                "dct:title": dataset.title,
                "dct:description": dataset.description,
                "dct:issued": day.isoformat(),
                "dct:modified": day.isoformat(),
                "dct:accrualPeriodicity": {
                    "@id": "http://publications.europa.eu/resource/authority/frequency/DAILY"
                },
                "dct:language": {
                    "@id": "http://publications.europa.eu/resource/authority/language/FRA"
                },
                "dct:license": {"@id": opendata.LICENCE["path"]},
                "dct:publisher": {"@type": "foaf:Agent", "foaf:name": opendata.PUBLISHER},
                "dcat:distribution": distributions,
            }
        )
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "@id": f"{base_url}/donnees/",
        "dct:title": "Données ouvertes de la relation école-entreprise (Relais)",
        "dct:modified": day.isoformat(),
        "dct:license": {"@id": opendata.LICENCE["path"]},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": opendata.PUBLISHER},
        "dcat:dataset": datasets,
    }


def snapshot_build(*, day: datetime.date | None = None) -> Snapshot:
    """Write today's snapshot (replacing one of the same day) and keep the last ``KEEP``."""
    day = day or today()
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".building-", dir=base))
    try:
        counts = {dataset.name: _write_dataset(work, dataset) for dataset in opendata.DATASETS}
        package = _package(day, counts)
        (work / PACKAGE).write_text(
            json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
        )
        dcat = _dcat(day, settings.RELAIS_BASE_URL)
        (work / DCAT).write_text(json.dumps(dcat, ensure_ascii=False, indent=2), encoding="utf-8")
        target = base / day.isoformat()
        if target.exists():
            old = base / f".old-{day.isoformat()}-{os.getpid()}"
            target.rename(old)
            shutil.rmtree(old, ignore_errors=True)
        work.rename(target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    for stale in snapshots()[KEEP:]:
        shutil.rmtree(stale.path, ignore_errors=True)
    return Snapshot(day, target)


def latest_or_build() -> Snapshot:
    """The latest snapshot; on a new installation (none yet), today's, built now."""
    return latest() or snapshot_build()
