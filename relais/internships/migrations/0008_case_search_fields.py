"""The internship search's own data moves from the pupil to the case (period, home commune,
accessibility, wishes, distance), and the pupil gains its roster year, before the pupil
itself moves to ``relais.pupils`` (pupils 0001, then 0009 here). Nothing is lost: every
case receives its pupil's values."""

import datetime

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models


def copy_to_cases(apps, schema_editor):
    Pupil = apps.get_model("internships", "Pupil")
    Case = apps.get_model("internships", "PlacementCase")
    for pupil in Pupil.objects.iterator():
        Case.objects.filter(pupil_id=pupil.pk).update(
            period_id=pupil.period_id,
            home_commune_id=pupil.home_commune_id,
            needs_access=pupil.needs_access,
            wishes=pupil.wishes,
            max_km=pupil.max_km,
        )


def copy_to_pupils(apps, schema_editor):
    Pupil = apps.get_model("internships", "Pupil")
    Case = apps.get_model("internships", "PlacementCase")
    for case in Case.objects.order_by("-opened_at").iterator():
        Pupil.objects.filter(pk=case.pupil_id, period__isnull=True).update(
            period_id=case.period_id,
            home_commune_id=case.home_commune_id,
            needs_access=case.needs_access,
            wishes=case.wishes,
            max_km=case.max_km,
        )


def fill_school_year(apps, schema_editor):
    """The roster year of the pupil's registration (1 August opens a year)."""
    Pupil = apps.get_model("internships", "Pupil")
    for pupil in Pupil.objects.iterator():
        day = pupil.created_at.date() if pupil.created_at else datetime.date.today()
        year = day.year if day.month >= 8 else day.year - 1
        Pupil.objects.filter(pk=pupil.pk).update(school_year=year)


class Migration(migrations.Migration):
    dependencies = [
        ("internships", "0007_delete_old_journals"),
        ("territories", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="placementcase",
            name="period",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="cases",
                to="internships.internshipperiod",
                verbose_name="période de stage",
            ),
        ),
        migrations.AddField(
            model_name="placementcase",
            name="home_commune",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="territories.commune",
                verbose_name="commune de résidence",
            ),
        ),
        migrations.AddField(
            model_name="placementcase",
            name="needs_access",
            field=models.BooleanField(default=False, verbose_name="a besoin d'un lieu accessible"),
        ),
        migrations.AddField(
            model_name="placementcase",
            name="wishes",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.CharField(max_length=3),
                blank=True,
                default=list,
                size=5,
                verbose_name="vœux (familles ROME, par ordre de préférence)",
            ),
        ),
        migrations.AddField(
            model_name="placementcase",
            name="max_km",
            field=models.PositiveSmallIntegerField(default=10, verbose_name="distance maximale (km)"),
        ),
        migrations.RunPython(copy_to_cases, copy_to_pupils),
        migrations.AddConstraint(
            model_name="placementcase",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_km__gte", 1), ("max_km__lte", 200)),
                name="case_max_km_range",
            ),
        ),
        migrations.RemoveConstraint(model_name="pupil", name="pupil_max_km_range"),
        migrations.RemoveConstraint(model_name="pupil", name="pupil_level_valid"),
        migrations.RemoveField(model_name="pupil", name="period"),
        migrations.RemoveField(model_name="pupil", name="home_commune"),
        migrations.RemoveField(model_name="pupil", name="needs_access"),
        migrations.RemoveField(model_name="pupil", name="wishes"),
        migrations.RemoveField(model_name="pupil", name="max_km"),
        migrations.AddField(
            model_name="pupil",
            name="school_year",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(fill_school_year, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="pupil",
            name="school_year",
            field=models.PositiveSmallIntegerField(
                help_text="L'année de la rentrée (2026 pour 2026-2027).",
                verbose_name="année scolaire",
            ),
        ),
    ]
