import pytest

from tests.importfiles import ACADEMIES, COLLEGES, DATA_DIR, run_import


@pytest.fixture
def academies(db):
    """The 30 real académies."""
    run_import("import_academies", DATA_DIR / ACADEMIES)


@pytest.fixture
def departements(academies):
    """The 103 real départements of the académies."""
    run_import("import_departements", DATA_DIR / COLLEGES)
