"""The journal of pupils' data exports becomes part of the one journal of personal-data
accesses (users.PersonalDataAccess), which also records single reads and the exports of the
other apps. Its rows are copied there, then the old table goes."""

from django.db import migrations

# Old ``ExportKind`` values → ``users.enums.PersonalData`` values (same spelling).
KINDS = {"pupils": "pupils", "cases": "cases", "indicators": "indicators", "agreement": "agreement"}


def copy_rows(apps, schema_editor):
    old = apps.get_model("internships", "PupilDataExport")
    new = apps.get_model("users", "PersonalDataAccess")
    new.objects.bulk_create(
        new(
            user_id=row.user_id,
            at=row.at,
            purpose="export",
            data=KINDS.get(row.kind, "pupils"),
            description=row.description,
            fmt=row.fmt,
            rows=row.rows,
        )
        for row in old.objects.order_by("at", "pk").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("internships", "0001_initial"),
        ("users", "0002_personal_data_access"),
    ]

    operations = [
        migrations.RunPython(copy_rows, migrations.RunPython.noop, elidable=True),
        migrations.DeleteModel(name="PupilDataExport"),
    ]
