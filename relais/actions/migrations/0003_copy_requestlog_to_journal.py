"""Copy every line of the requests' old journal (``RequestLog``) into ``RequestJournal``,
keeping its transition (« envoyer », « accepter »…: the names the API has always shown), its
states, its date, its author and its message; ``by_name`` is the author's name as Relais
displays it (full name, or else the address), kept if the account is deleted later. The lines
keep their order. Nothing is deleted here (0004 drops the old table).
"""

from django.db import migrations

COPY = """
INSERT INTO {journal} (request_id, transition, from_state, to_state, at, by_id, by_name, note,
                       data)
SELECT log.request_id, log.transition, log.from_state, log.to_state, log.at, log.by_id,
       LEFT(COALESCE(NULLIF(BTRIM(u.first_name || ' ' || u.last_name, E' \\t\\n\\r'), ''),
                     u.email, ''), 150),
       log.note, '{{}}'::jsonb
FROM {log} AS log LEFT JOIN {user} AS u ON u.id = log.by_id
ORDER BY log.at, log.id
"""

COPY_BACK = """
INSERT INTO {log} (request_id, transition, from_state, to_state, at, by_id, note)
SELECT request_id, transition, from_state, to_state, at, by_id, note
FROM {journal} ORDER BY at, id
"""


def _tables(apps, schema_editor):
    quote = schema_editor.quote_name
    return {
        "journal": quote(apps.get_model("actions", "RequestJournal")._meta.db_table),
        "log": quote(apps.get_model("actions", "RequestLog")._meta.db_table),
        "user": quote(apps.get_model("users", "User")._meta.db_table),
    }


def copy_log(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(COPY.format(**_tables(apps, schema_editor)))


def copy_back(apps, schema_editor):
    """Unapplying: the journal's lines go back to the old table (the new one is dropped)."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(COPY_BACK.format(**_tables(apps, schema_editor)))


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0002_workflow_journals"),
        ("users", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_log, copy_back)]
