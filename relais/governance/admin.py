from django.contrib import admin

from .models import ActionItem, AnnualReport, Body, BodyMember, Meeting, StatusChange


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
    list_display = ["body", "starts_at", "status", "minutes_sent_at"]
    list_filter = ["status"]
    raw_id_fields = ["body", "minutes_sent_by"]
    # The PDF of the minutes is deposited on the meeting's page, where it is checked
    # (relais.documents.uploads) and size-limited while it is sent: not here.
    readonly_fields = ["minutes_file"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["description", "owner", "due_date", "done_on"]
    raw_id_fields = ["meeting"]


@admin.register(AnnualReport)
class AnnualReportAdmin(admin.ModelAdmin):
    list_display = ["agreement", "school_year", "status", "finalized_at"]
    list_filter = ["status", "school_year"]
    raw_id_fields = ["agreement", "finalized_by"]


@admin.register(StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["meeting", "report", "from_state", "to_state", "at", "by"]

    def has_change_permission(self, request, obj=None):
        return False
