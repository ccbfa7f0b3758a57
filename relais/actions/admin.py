from django.contrib import admin

from .models import ActionRecord, ActionRequest, Offer, OfferJournal, RequestJournal

JOURNAL_FIELDS = ("transition", "from_state", "to_state", "at", "by_name", "note")


class JournalInline(admin.TabularInline):
    """A workflow's journal, read only: the database refuses to change or delete it."""

    extra = 0
    can_delete = False
    fields = readonly_fields = JOURNAL_FIELDS

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class OfferJournalInline(JournalInline):
    model = OfferJournal


class RequestJournalInline(JournalInline):
    model = RequestJournal


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "academie", "state"]
    list_filter = ["state", "kind", "academie"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "bassin", "commune", "created_by"]
    # The state moves only along the workflow (pages, API), which journals it.
    readonly_fields = ["state", "published_at"]
    inlines = [OfferJournalInline]


@admin.register(ActionRequest)
class ActionRequestAdmin(admin.ModelAdmin):
    list_display = ["offer", "establishment", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["offer", "establishment", "requested_by"]
    readonly_fields = ["state", "answered_at", "answered_by"]
    inlines = [RequestJournalInline]


@admin.register(ActionRecord)
class ActionRecordAdmin(admin.ModelAdmin):
    list_display = ["title", "establishment", "partner_name", "done_on", "school_year"]
    list_filter = ["school_year", "kind"]
    raw_id_fields = ["establishment", "organisation", "offer", "request"]
