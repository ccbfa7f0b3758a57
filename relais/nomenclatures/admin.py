from django.contrib import admin

from .models import NafCode, RomeAppellation, RomeCode


@admin.register(RomeCode)
class RomeCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


@admin.register(RomeAppellation)
class RomeAppellationAdmin(admin.ModelAdmin):
    list_display = ["ogr_code", "label", "rome"]
    list_select_related = ["rome"]
    search_fields = ["label", "ogr_code", "rome__code"]


@admin.register(NafCode)
class NafCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "section"]
    list_filter = ["section"]
    search_fields = ["code", "label"]
