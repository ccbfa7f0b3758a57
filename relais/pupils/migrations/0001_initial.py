"""The pupil moves from ``relais.internships`` to its own app: the table is taken over as it
is (internships 0008 left it with the roster's fields only), then renamed; the level check
now admits every level of collège and lycée."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("establishments", "0002_list_order_index"),
        ("internships", "0008_case_search_fields"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Pupil",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("school_year", models.PositiveSmallIntegerField(help_text="L'année de la rentrée (2026 pour 2026-2027).", verbose_name="année scolaire")),
                        ("school_ref", models.CharField(blank=True, help_text="Facultatif : le numéro de l'élève dans le logiciel de l'établissement.", max_length=40, verbose_name="identifiant interne")),
                        ("first_name", models.CharField(max_length=100, verbose_name="prénom")),
                        ("last_name", models.CharField(max_length=100, verbose_name="nom")),
                        ("class_label", models.CharField(max_length=40, verbose_name="classe")),
                        ("level", models.CharField(choices=[("6e", "6e"), ("5e", "5e"), ("4e", "4e"), ("3e", "3e"), ("2nde", "Seconde générale et technologique"), ("1re", "Première générale et technologique"), ("tle", "Terminale générale et technologique"), ("cap", "CAP (1re année)"), ("cap2", "CAP (2e année)"), ("2nde_pro", "Seconde professionnelle"), ("1re_pro", "Première professionnelle"), ("tle_pro", "Terminale professionnelle"), ("autre", "Autre niveau")], max_length=10, verbose_name="niveau")),
                        ("qpv", models.BooleanField(default=False, verbose_name="réside en QPV")),
                        ("disability", models.BooleanField(default=False, verbose_name="situation de handicap")),
                        ("newly_arrived", models.BooleanField(default=False, verbose_name="arrivé récemment en France (allophone)")),
                        ("retention_until", models.DateField(verbose_name="données conservées jusqu'au")),
                        ("purged_at", models.DateTimeField(blank=True, null=True, verbose_name="anonymisé le")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créé le")),
                        ("updated_at", models.DateTimeField(auto_now=True, verbose_name="modifié le")),
                        ("establishment", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="pupils", to="establishments.establishment", verbose_name="établissement")),
                    ],
                    options={
                        "verbose_name": "élève",
                        "verbose_name_plural": "élèves",
                        "ordering": ["last_name", "first_name", "pk"],
                        "db_table": "internships_pupil",
                        "constraints": [
                            models.UniqueConstraint(
                                condition=models.Q(("school_ref", ""), _negated=True),
                                fields=("establishment", "school_ref"),
                                name="pupil_unique_school_ref",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="pupil", table=None),
        migrations.AddConstraint(
            model_name="pupil",
            constraint=models.CheckConstraint(
                condition=models.Q(("level__in", ["6e", "5e", "4e", "3e", "2nde", "1re", "tle", "cap", "cap2", "2nde_pro", "1re_pro", "tle_pro", "autre"])),
                name="pupil_level_in_roster_levels",
            ),
        ),
        migrations.AddConstraint(
            model_name="pupil",
            constraint=models.CheckConstraint(
                condition=models.Q(("school_year__gte", 1990), ("school_year__lte", 2099)),
                name="pupil_school_year_range",
            ),
        ),
        migrations.AddIndex(
            model_name="pupil",
            index=models.Index(fields=["establishment", "school_year", "class_label"], name="pupil_class_idx"),
        ),
    ]
