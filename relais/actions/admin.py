from django.contrib import admin

from .models import ActionRecord, ActionRequest, Offer, RequestLog


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "kind", "academie", "state"]
    list_filter = ["state", "kind", "academie"]
    search_fields = ["title", "organisation__name"]
    raw_id_fields = ["organisation", "bassin", "commune", "created_by"]


class RequestLogInline(admin.TabularInline):
    model = RequestLog
    extra = 0
    can_delete = False
    readonly_fields = ["transition", "from_state", "to_state", "by", "at", "note"]


@admin.register(ActionRequest)
class ActionRequestAdmin(admin.ModelAdmin):
    list_display = ["offer", "establishment", "state", "created_at"]
    list_filter = ["state"]
    raw_id_fields = ["offer", "establishment", "requested_by", "answered_by"]
    inlines = [RequestLogInline]


@admin.register(ActionRecord)
class ActionRecordAdmin(admin.ModelAdmin):
    list_display = ["title", "establishment", "partner_name", "done_on", "school_year"]
    list_filter = ["school_year", "kind"]
    raw_id_fields = ["establishment", "organisation", "offer", "request"]
