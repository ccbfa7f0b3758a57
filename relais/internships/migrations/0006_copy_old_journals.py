"""Copy every line of the old journals into the workflows' journals (ADR 0007), keeping
their order, states, dates, authors and notes: ``OfferTransition`` → ``OfferJournal`` and
``CaseStep`` → ``CaseJournal``. The old lines had no transition name: it is the name of the
step that makes the same move today (« publier », « orienter »…), read from the pair of
states (and, for the lines that kept the state, from their note: an assignment, a
company's acceptance). ``by_name`` is the author's name as Relais displays it (full name, or
else the address), kept if the account is deleted later. Nothing is deleted here (0007
drops the old tables).
"""

from django.db import migrations

BY_NAME = (
    "LEFT(COALESCE(NULLIF(BTRIM(u.first_name || ' ' || u.last_name, E' \\t\\n\\r'), ''), "
    "u.email, ''), 150)"
)

OFFER_TRANSITION = """
CASE
    WHEN log.from_state = '' THEN 'creation'
    WHEN log.to_state = 'published' AND log.from_state = 'full' THEN 'rouvrir'
    WHEN log.to_state = 'published' THEN 'publier'
    WHEN log.to_state = 'full' THEN 'completer'
    WHEN log.to_state = 'closed' THEN 'fermer'
    WHEN log.to_state = 'expired' THEN 'expirer'
    ELSE 'suivi'
END
"""

CASE_TRANSITION = """
CASE
    WHEN log.from_state = '' THEN 'ouvrir'
    WHEN log.from_state = log.to_state AND log.note LIKE 'Dossier attribué %' THEN 'attribuer'
    WHEN log.from_state = log.to_state AND log.note LIKE '% accepte' THEN 'accord_entreprise'
    WHEN log.from_state = log.to_state THEN 'suivi'
    WHEN log.to_state = 'helped_by_team' THEN 'aider'
    WHEN log.to_state = 'referred' AND log.from_state = 'proposal_sent' THEN 'remettre_en_file'
    WHEN log.to_state = 'referred' THEN 'orienter'
    WHEN log.to_state = 'proposal_sent' THEN 'proposer'
    WHEN log.to_state = 'placed' THEN 'placer'
    WHEN log.to_state = 'declined' THEN 'decliner'
    WHEN log.to_state = 'withdrawn' THEN 'retirer'
    ELSE 'suivi'
END
"""

COPY = """
INSERT INTO {journal} ({subject}, transition, from_state, to_state, at, by_id, by_name, note,
                       data)
SELECT log.{subject}, {transition}, log.from_state, log.to_state, log.at, log.by_id,
       {by_name}, log.note, '{{}}'::jsonb
FROM {log} AS log LEFT JOIN {user} AS u ON u.id = log.by_id
ORDER BY log.at, log.id
"""

COPY_BACK = """
INSERT INTO {log} ({subject}, from_state, to_state, at, by_id, note)
SELECT {subject}, from_state, to_state, at, by_id, note
FROM {journal} ORDER BY at, id
"""

JOURNALS = [
    # (old journal, new journal, foreign key column, transition expression)
    ("OfferTransition", "OfferJournal", "offer_id", OFFER_TRANSITION),
    ("CaseStep", "CaseJournal", "case_id", CASE_TRANSITION),
]


def _tables(apps, schema_editor, old, new):
    quote = schema_editor.quote_name
    return {
        "log": quote(apps.get_model("internships", old)._meta.db_table),
        "journal": quote(apps.get_model("internships", new)._meta.db_table),
        "user": quote(apps.get_model("users", "User")._meta.db_table),
    }


def copy_journals(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        for old, new, subject, transition in JOURNALS:
            tables = _tables(apps, schema_editor, old, new)
            cursor.execute(
                COPY.format(subject=subject, transition=transition, by_name=BY_NAME, **tables)
            )


def copy_back(apps, schema_editor):
    """Unapplying: the journals' lines go back to the old tables (the new ones are dropped
    by unapplying 0005)."""
    with schema_editor.connection.cursor() as cursor:
        for old, new, subject, _transition in JOURNALS:
            cursor.execute(COPY_BACK.format(subject=subject, **_tables(apps, schema_editor, old, new)))


class Migration(migrations.Migration):
    dependencies = [
        ("internships", "0005_workflow_journals"),
        ("users", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_journals, copy_back)]
