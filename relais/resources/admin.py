from django.contrib import admin

from .models import Resource, ResourceUse, ResourceVersion


class VersionInline(admin.TabularInline):
    model = ResourceVersion
    extra = 0
    can_delete = False
    fields = ("number", "note", "url", "file", "created_at", "created_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # a version is published from the library's pages (frozen once written)


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "audience", "kind", "academie", "archived_at"]
    list_filter = ["audience", "kind", "academie"]
    search_fields = ["title"]
    readonly_fields = ["current", "created_at", "created_by"]
    inlines = [VersionInline]


@admin.register(ResourceUse)
class ResourceUseAdmin(admin.ModelAdmin):
    list_display = ["resource", "kind", "at", "context"]
    list_filter = ["kind"]
    readonly_fields = ["resource", "version", "kind", "at", "user", "context"]
