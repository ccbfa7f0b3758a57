"""The pupil now belongs to ``relais.pupils`` (pupils 0001 took over its table): the case
points there, and this app forgets the model. No SQL runs."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("internships", "0008_case_search_fields"),
        ("pupils", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="placementcase",
                    name="pupil",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="cases",
                        to="pupils.pupil",
                        verbose_name="élève",
                    ),
                ),
                migrations.DeleteModel(name="Pupil"),
            ],
            database_operations=[],
        ),
    ]
