"""``backup_db`` and ``restore_db`` with the real pg_dump / pg_restore on the real server."""

import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from relais.core.backups import target
from relais.organisations.models import Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(dbname):
    db = target(dbname=dbname)
    return psycopg.connect(
        dbname=dbname,
        host=db.env.get("PGHOST"),
        port=db.env.get("PGPORT") or None,
        user=db.env.get("PGUSER"),
        password=db.env.get("PGPASSWORD"),
        autocommit=True,
    )


@pytest.fixture
def scratch_database():
    """An empty database on the same server, dropped after the test."""
    name = f"relais_restore_{uuid.uuid4().hex[:8]}"
    with _connect(connection.settings_dict["NAME"]) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with _connect(connection.settings_dict["NAME"]) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_the_data_and_the_triggers(tmp_path, scratch_database, capsys):
    organisation = OrganisationFactory(name="Chambre des métiers sauvegardée")
    dump = tmp_path / "relais.dump"
    call_command("backup_db", str(dump))
    assert "Sauvegarde écrite" in capsys.readouterr().out
    assert dump.stat().st_size > 10_000

    Organisation.objects.filter(pk=organisation.pk).delete()  # the loss to recover from

    from relais.core.backups import restore

    restore(dump, dbname=scratch_database)
    with _connect(scratch_database) as conn:
        name = conn.execute(
            "SELECT name FROM organisations_organisation WHERE id = %s", [organisation.pk]
        ).fetchone()
        triggers = conn.execute("SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal").fetchone()
    assert name == ("Chambre des métiers sauvegardée",)
    assert triggers[0] > 0  # history and frozen-version triggers come back too


def test_restore_of_a_missing_file_is_a_french_error():
    with pytest.raises(CommandError, match="n'existe pas"):
        call_command("restore_db", "/nulle/part.dump", yes=True)


def test_restore_of_a_damaged_file_changes_nothing(tmp_path):
    OrganisationFactory(name="Toujours là")
    damaged = tmp_path / "abime.dump"
    damaged.write_bytes(b"PGDMP" + b"\x00" * 100)
    with pytest.raises(CommandError, match="La restauration a échoué"):
        call_command("restore_db", str(damaged), yes=True)
    assert Organisation.objects.filter(name="Toujours là").exists()
