from django.contrib import admin

from .models import Establishment


@admin.register(Establishment)
class EstablishmentAdmin(admin.ModelAdmin):
    list_display = ["uai", "name", "kind", "sector", "priority_education", "bassin", "academie"]
    list_filter = ["academie", "kind", "sector", "priority_education", "is_open"]
    list_select_related = ["bassin", "academie"]
    search_fields = ["uai", "name", "search_text"]
    raw_id_fields = ["commune"]
    readonly_fields = ["created_at", "updated_at"]
