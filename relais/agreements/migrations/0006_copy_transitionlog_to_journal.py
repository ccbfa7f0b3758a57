"""Copy the old journal (``TransitionLog``, related name ``transitions``) into
``AgreementJournal`` (ADR 0007): every line keeps its transition, states, date, author,
note and data; ``by_name`` keeps the author's name. Each convention also gets its creation
line (at its creation date, by its author), which ``Workflow.log_creation`` now writes.
The old table is removed by the next migration."""

from django.db import migrations

CREATION = "creation"


def _name(user) -> str:
    if user is None:
        return ""
    full = f"{user.first_name} {user.last_name}".strip()
    return (full or user.email)[:150]


def _without_auto_now(journal):
    """The historical ``at`` is auto_now_add: keep the old dates instead of now."""
    field = journal._meta.get_field("at")
    field.auto_now_add = False
    return journal


def forward(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    TransitionLog = apps.get_model("agreements", "TransitionLog")
    Journal = _without_auto_now(apps.get_model("agreements", "AgreementJournal"))
    lines = []
    for agreement in Agreement.objects.select_related("created_by").order_by("pk").iterator():
        lines.append(
            Journal(
                agreement_id=agreement.pk,
                transition=CREATION,
                from_state="",
                to_state="brouillon",
                at=agreement.created_at,
                by_id=agreement.created_by_id,
                by_name=_name(agreement.created_by),
                note="",
                data={},
            )
        )
        if len(lines) >= 1000:
            Journal.objects.bulk_create(lines)
            lines = []
    for row in TransitionLog.objects.select_related("by").order_by("at", "pk").iterator():
        lines.append(
            Journal(
                agreement_id=row.agreement_id,
                transition=row.transition,
                from_state=row.from_state,
                to_state=row.to_state,
                at=row.at,
                by_id=row.by_id,
                by_name=_name(row.by),
                note=row.note,
                data=row.data,
            )
        )
        if len(lines) >= 1000:
            Journal.objects.bulk_create(lines)
            lines = []
    Journal.objects.bulk_create(lines)


def backward(apps, schema_editor):
    """Back to the old table (its rows were removed with it): the lines of the journal,
    without the creation lines the old journal did not have."""
    TransitionLog = apps.get_model("agreements", "TransitionLog")
    TransitionLog._meta.get_field("at").auto_now_add = False
    Journal = apps.get_model("agreements", "AgreementJournal")
    TransitionLog.objects.bulk_create(
        TransitionLog(
            agreement_id=line.agreement_id,
            transition=line.transition,
            from_state=line.from_state,
            to_state=line.to_state,
            at=line.at,
            by_id=line.by_id,
            note=line.note,
            data=line.data,
        )
        for line in Journal.objects.exclude(transition=CREATION).order_by("at", "pk")
    )


class Migration(migrations.Migration):
    dependencies = [("agreements", "0005_agreementjournal")]

    operations = [migrations.RunPython(forward, backward)]
