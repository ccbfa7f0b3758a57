"""Copy every line of the four old journals (``*Transition``) into the workflow journals
(``*Journal``, ADR 0007): same object, states, time, author and reason; ``transition`` is the
name of the workflow's transition, read from the (from, to) pair; ``by_name`` keeps the
author's name as it is today. In SQL, so that ``at`` keeps its value (``auto_now_add`` would
overwrite it) and no row is updated afterwards (the new journals refuse updates)."""

from django.conf import settings
from django.db import migrations

# old model, new model, foreign key, CASE branches giving the transition's name
JOURNALS = [
    (
        "AdvisorTransition",
        "AdvisorJournal",
        "advisor",
        """WHEN o.from_state = '' THEN 'creation'
           WHEN o.to_state = 'designe' THEN 'designer'
           WHEN o.to_state = 'refuse' THEN 'refuser'
           WHEN o.to_state = 'retire' THEN 'retirer'
           WHEN o.to_state = 'actif' THEN 'confirmer_employeur'
           WHEN o.to_state = 'termine' AND o.by_id IS NULL AND o.note = 'Fin du mandat'
                THEN 'expirer'
           WHEN o.to_state = 'termine' THEN 'terminer'""",
    ),
    (
        "ApplicationTransition",
        "ApplicationJournal",
        "application",
        """WHEN o.from_state = '' THEN 'creation'
           WHEN o.to_state = 'validee' THEN 'valider'
           WHEN o.to_state = 'refusee' THEN 'refuser'""",
    ),
    (
        "RequestTransition",
        "ReserveRequestJournal",
        "request",
        """WHEN o.from_state = '' THEN 'creation'
           WHEN o.to_state = 'acceptee' THEN 'accepter'
           WHEN o.to_state = 'declinee' THEN 'decliner'
           WHEN o.to_state = 'annulee' THEN 'annuler'
           WHEN o.to_state = 'realisee' THEN 'realiser'""",
    ),
    (
        "ImmersionTransition",
        "ImmersionJournal",
        "application",
        """WHEN o.from_state = '' THEN 'creation'
           WHEN o.to_state = 'deposee' THEN 'donner_accord'
           WHEN o.to_state = 'validee' THEN 'valider'
           WHEN o.to_state = 'refusee' THEN 'refuser'
           WHEN o.to_state = 'annulee' THEN 'annuler'""",
    ),
]


def _tables(apps, old_name, new_name):
    old = apps.get_model("volunteers", old_name)._meta.db_table
    new = apps.get_model("volunteers", new_name)._meta.db_table
    return old, new


def copy_forward(apps, schema_editor):
    users = apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table
    for old_name, new_name, link, cases in JOURNALS:
        old, new = _tables(apps, old_name, new_name)
        schema_editor.execute(
            f"""INSERT INTO {new}
                    (transition, from_state, to_state, at, by_id, by_name, note, data, {link}_id)
                SELECT CASE {cases} ELSE o.to_state END,
                       o.from_state, o.to_state, o.at, o.by_id,
                       LEFT(COALESCE(NULLIF(TRIM(CONCAT(u.first_name, ' ', u.last_name)), ''),
                                     u.email, ''), 150),
                       o.note, '{{}}'::jsonb, o.{link}_id
                FROM {old} o LEFT JOIN {users} u ON u.id = o.by_id
                ORDER BY o.at, o.id"""
        )


def copy_backward(apps, schema_editor):
    for old_name, new_name, link, _cases in JOURNALS:
        old, new = _tables(apps, old_name, new_name)
        schema_editor.execute(
            f"""INSERT INTO {old} (from_state, to_state, at, by_id, note, {link}_id)
                SELECT j.from_state, j.to_state, j.at, j.by_id, j.note, j.{link}_id
                FROM {new} j ORDER BY j.at, j.id"""
        )


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0002_workflow_journals"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(copy_forward, copy_backward)]
