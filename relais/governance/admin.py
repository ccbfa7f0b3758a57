from django.contrib import admin

from .models import (
    ActionItem,
    AnnualReport,
    Body,
    BodyMember,
    Meeting,
    MeetingJournal,
    ReportJournal,
)


class MemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    autocomplete_fields = ["organisation"]
    raw_id_fields = ["user"]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "agreement", "club", "academie", "min_meetings_per_year"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["agreement", "club"]
    inlines = [MemberInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["body", "starts_at", "state", "minutes_sent_at"]
    list_filter = ["state"]
    raw_id_fields = ["body", "minutes_sent_by"]
    # The PDF of the minutes is deposited on the meeting's page, where it is checked
    # (relais.documents.uploads) and size-limited while it is sent: not here.
    # The state moves through MEETING_WORKFLOW only (relais/governance/workflows.py).
    readonly_fields = ["minutes_file", "state"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "due_date", "done_on"]
    raw_id_fields = ["meeting"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["agreement", "school_year", "state", "finalized_at"]
    list_filter = ["state", "school_year"]
    raw_id_fields = ["agreement", "finalized_by"]
    # Validation goes through REPORT_WORKFLOW (relais/governance/workflows.py).
    readonly_fields = ["state", "finalized_at", "finalized_by"]


class JournalAdmin(admin.ModelAdmin):
    """Read only: the database refuses to change or delete a journal line anyway."""

    list_display = ["transition", "from_state", "to_state", "at", "by_name", "note"]
    list_filter = ["transition"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MeetingJournal)
class MeetingJournalAdmin(JournalAdmin):
    list_display = ["meeting", *JournalAdmin.list_display]


@admin.register(ReportJournal)
class ReportJournalAdmin(JournalAdmin):
    list_display = ["report", *JournalAdmin.list_display]
