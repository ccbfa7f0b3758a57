"""The old journals, copied into the workflows' journals by 0006, are dropped."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("internships", "0006_copy_old_journals")]

    operations = [
        migrations.DeleteModel(name="CaseStep"),
        migrations.DeleteModel(name="OfferTransition"),
    ]
