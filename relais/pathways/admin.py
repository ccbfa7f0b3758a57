"""Back-office of the parcours: the settings (kinds, objectives) are edited on the
académie's settings page; here they are read, with the experiences (no pupil names)."""

from django.contrib import admin

from .models import Experience, ExperienceKind, Objective


@admin.register(ExperienceKind)
class ExperienceKindAdmin(admin.ModelAdmin):
    list_display = ["label", "code", "items", "academie"]
    list_filter = ["academie"]
    search_fields = ["label", "code"]


@admin.register(Objective)
class ObjectiveAdmin(admin.ModelAdmin):
    list_display = ["level", "item", "school_year", "academie"]
    list_filter = ["academie", "level"]


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin):
    list_display = ["title", "kind_label", "date", "establishment", "source"]
    list_filter = ["source", "school_year"]
    search_fields = ["title", "establishment__name", "establishment__uai"]
    raw_id_fields = ["establishment", "organisation", "recorded_by"]
    readonly_fields = ["source", "source_ref", "items"]
