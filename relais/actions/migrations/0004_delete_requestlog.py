"""The requests' old journal, copied into ``RequestJournal`` by 0003, is dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("actions", "0003_copy_requestlog_to_journal")]

    operations = [migrations.DeleteModel(name="RequestLog")]
