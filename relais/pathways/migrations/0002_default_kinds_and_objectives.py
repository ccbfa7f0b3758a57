"""The national setting of the parcours: the kinds of experience with the items each counts
for, and the default objectives (the four items by the end of 3e). Copied here as they are
on the day of the migration (``relais.pathways.kinds``), so that a later change of that
module does not rewrite history."""

from django.db import migrations

KINDS = [
    ("visite", "Visite d'entreprise", ["visit"]),
    ("portes_ouvertes", "Journée portes ouvertes, visite d'un lieu de formation", ["visit"]),
    ("semaine_industrie", "Semaine de l'industrie", ["visit", "meeting"]),
    ("temoignage", "Témoignage en classe", ["meeting"]),
    ("forum", "Forum des métiers", ["meeting"]),
    ("intervention_cee", "Intervention d'un conseiller entreprises pour l'école", ["meeting"]),
    ("intervention_reserve", "Intervention de la réserve citoyenne", ["meeting"]),
    ("jury", "Jury d'examen ou de concours", ["meeting"]),
    ("parrainage", "Parrainage, tutorat", ["meeting"]),
    ("mixite", "Filles et métiers scientifiques et techniques", ["meeting"]),
    ("semaine_ecole_entreprise", "Semaine école-entreprise", ["visit", "meeting"]),
    ("stage_3e", "Stage d'observation de 3e", ["internship"]),
    ("stage_2nde", "Stage de seconde", ["internship"]),
    ("pfmp", "Période de formation en milieu professionnel", ["internship"]),
    ("stage", "Autre stage en milieu professionnel", ["internship"]),
    ("mini_entreprise", "Mini-entreprise", ["project"]),
    ("concours", "Concours", ["project"]),
    ("projet_classe", "Projet de classe avec un partenaire", ["project"]),
    ("autre", "Autre action", ["meeting"]),
]


def load(apps, schema_editor):
    Kind = apps.get_model("pathways", "ExperienceKind")
    Objective = apps.get_model("pathways", "Objective")
    for position, (code, label, items) in enumerate(KINDS):
        Kind.objects.update_or_create(
            code=code, academie=None, defaults={"label": label, "items": items, "position": position}
        )
    for item in ("visit", "meeting", "internship", "project"):
        Objective.objects.get_or_create(academie=None, school_year=None, level="3e", item=item)


def unload(apps, schema_editor):
    apps.get_model("pathways", "Objective").objects.filter(academie=None).delete()
    apps.get_model("pathways", "ExperienceKind").objects.filter(academie=None).delete()


class Migration(migrations.Migration):
    dependencies = [("pathways", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
