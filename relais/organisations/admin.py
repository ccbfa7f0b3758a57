from django.contrib import admin

from .models import Organisation
from .services import organisation_search_text


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "siret", "academie", "is_demo", "archived_at"]
    list_filter = ["kind", "level", "academie", "is_demo"]
    list_select_related = ["academie"]
    search_fields = ["name", "acronym", "siret", "search_text"]
    raw_id_fields = ["commune", "parent", "naf"]
    readonly_fields = ["created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.search_text = organisation_search_text(obj)
        super().save_model(request, obj, form, change)
