# The old journal of conventions, copied into AgreementJournal by 0006 (ADR 0007).

import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0006_copy_transitionlog_to_journal"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(
            model_name="transitionlog",
            name="journal_append_only",
        ),
        migrations.DeleteModel(
            name="TransitionLog",
        ),
    ]
