import pytest

from tests.importfiles import (
    ACADEMIES,
    ANNUAIRE,
    COLLEGES,
    DATA_DIR,
    LAPOSTE,
    real_lines,
    run_import,
    write_csv,
)

# A real row without coordinates and a real row without bassin, added to the 30 first rows.
NO_COORDINATES_UAI = "0320756Y"
NO_BASSIN_UAI = "0301853B"


def annuaire_lines() -> list[str]:
    """The header of the real annuaire, its 30 first rows and two more real rows (32 in all)."""
    extra = (NO_COORDINATES_UAI, NO_BASSIN_UAI)
    lines = real_lines(ANNUAIRE, head=30, where=lambda line: line[:8] in extra)
    assert len(lines) == 33
    return lines


@pytest.fixture
def annuaire_extract(tmp_path):
    return write_csv(tmp_path, ANNUAIRE, annuaire_lines())


@pytest.fixture
def territory(db, tmp_path):
    """The real académies and départements, and the real communes of ``annuaire_lines``."""
    run_import("import_academies", DATA_DIR / ACADEMIES)
    run_import("import_departements", DATA_DIR / COLLEGES)
    codes = {line.split(";")[8] for line in annuaire_lines()[1:]}
    lines = real_lines(LAPOSTE, where=lambda line: line.split(";")[0] in codes)
    communes = write_csv(tmp_path, LAPOSTE, lines, encoding="utf-8")
    run_import("import_communes", communes, names_from=[str(DATA_DIR / ANNUAIRE)])
