"""Copy every line of the old shared journal (``StatusChange``, one table for meetings and
reports) into the journal of its object (``MeetingJournal``, ``ReportJournal``): same
states, date, author and reason; the transition is named from the move it recorded, and the
author's name is kept as text (``by_name``). No line is lost: the copy is checked by count
before the old table goes (0006)."""

from django.db import migrations

# (from, to) → the transition's name in relais/governance/workflows.py.
MEETING_MOVES = {
    ("prevue", "tenue"): "tenir",
    ("prevue", "annulee"): "annuler",
    ("annulee", "prevue"): "replanifier",
}
REPORT_MOVES = {("brouillon", "valide"): "valider"}


def _name(user) -> str:
    if user is None:
        return ""
    full = f"{user.first_name} {user.last_name}".strip()
    return (full or user.email or "")[:150]


def copy_forward(apps, schema_editor):
    StatusChange = apps.get_model("governance", "StatusChange")
    MeetingJournal = apps.get_model("governance", "MeetingJournal")
    ReportJournal = apps.get_model("governance", "ReportJournal")
    # Keep the original dates: ``at`` is auto_now_add on the model.
    for journal in (MeetingJournal, ReportJournal):
        journal._meta.get_field("at").auto_now_add = False
    meetings, reports = [], []
    for old in StatusChange.objects.select_related("by").order_by("at", "pk"):
        values = {
            "from_state": old.from_state,
            "to_state": old.to_state,
            "at": old.at,
            "by": old.by,
            "by_name": _name(old.by),
            "note": old.note,
            "data": {"copied_from": "governance_statuschange", "id": old.pk},
        }
        move = (old.from_state, old.to_state)
        if old.meeting_id:
            transition = MEETING_MOVES.get(move, "changement")
            meetings.append(
                MeetingJournal(meeting_id=old.meeting_id, transition=transition, **values)
            )
        else:
            transition = REPORT_MOVES.get(move, "changement")
            reports.append(ReportJournal(report_id=old.report_id, transition=transition, **values))
    MeetingJournal.objects.bulk_create(meetings)
    ReportJournal.objects.bulk_create(reports)
    copied = MeetingJournal.objects.count() + ReportJournal.objects.count()
    if copied < StatusChange.objects.count():
        raise RuntimeError("Journal de gouvernance : des lignes n'ont pas été copiées.")


class Migration(migrations.Migration):
    dependencies = [("governance", "0004_workflow_state_and_journals")]

    # Backwards: the journals keep their lines (the database refuses to delete them); the
    # old table, recreated empty by reversing 0006, is not refilled.
    operations = [migrations.RunPython(copy_forward, migrations.RunPython.noop)]
