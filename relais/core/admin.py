from django.contrib import admin

from .models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "source_name", "finished_at", "created", "updated", "unchanged"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]
