"""The placements confirmed before the parcours Avenir existed go into their pupil's parcours,
as ``services.proposals.proposal_confirm`` now does for every new one (once per placement:
the ``source_ref`` is unique per school). The counts follow with the nightly job."""

from django.db import migrations

KINDS = {"stage_3e": "stage_3e", "stage_2nde": "stage_2nde", "pfmp": "pfmp"}


def credit(apps, schema_editor):
    Placement = apps.get_model("internships", "Placement")
    Kind = apps.get_model("pathways", "ExperienceKind")
    Experience = apps.get_model("pathways", "Experience")
    Credit = apps.get_model("pathways", "Credit")
    kinds = {k.code: k for k in Kind.objects.filter(academie__isnull=True)}
    placements = Placement.objects.select_related(
        "case__pupil__establishment", "offer__commune"
    ).order_by("pk")
    for placement in placements.iterator():
        pupil = placement.case.pupil
        ref = f"internships.placement:{placement.pk}"
        if Experience.objects.filter(establishment_id=pupil.establishment_id, source_ref=ref):
            continue
        kind = kinds[KINDS.get(placement.offer.kind, "stage")]
        start = placement.start
        experience = Experience.objects.create(
            establishment_id=pupil.establishment_id,
            kind=kind.code,
            kind_label=kind.label,
            items=list(kind.items),
            title=kind.label,
            date=start,
            school_year=start.year if start.month >= 8 else start.year - 1,
            organisation_id=placement.offer.host_id,
            place=placement.offer.commune.name if placement.offer.commune_id else "",
            source="pole",
            source_ref=ref,
            classes=pupil.class_label,
        )
        Credit.objects.create(experience=experience, pupil_id=pupil.pk)


class Migration(migrations.Migration):
    dependencies = [
        ("internships", "0009_pupil_moves_to_pupils"),
        ("pathways", "0002_default_kinds_and_objectives"),
    ]

    operations = [migrations.RunPython(credit, migrations.RunPython.noop)]
