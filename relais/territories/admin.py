from django.contrib import admin

from .models import AcademicRegion, Academie, Bassin, Commune, Departement


@admin.register(AcademicRegion)
class AcademicRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Academie)
class AcademieAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "holiday_zone"]
    list_filter = ["holiday_zone", "region"]
    search_fields = ["name", "code"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "academie"]
    list_select_related = ["academie"]
    search_fields = ["name", "code"]


@admin.register(Bassin)
class BassinAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "academie"]
    list_filter = ["academie"]
    list_select_related = ["academie"]
    search_fields = ["name", "code"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["insee_code", "name", "postal_code", "departement"]
    list_select_related = ["departement"]
    search_fields = ["name", "insee_code", "postal_code"]
