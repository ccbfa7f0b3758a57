from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Membership, PersonalDataAccess, User
from .scopes import get_reach


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["academie", "bassin", "establishment", "organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "is_demo"]
    list_filter = ["is_staff", "is_active", "is_demo"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name", "job_title", "phone"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser", "is_demo"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "academie", "bassin", "establishment", "organisation"]
    list_filter = ["role"]
    list_select_related = ["user", "academie", "bassin", "establishment", "organisation"]
    raw_id_fields = ["user", "academie", "bassin", "establishment", "organisation"]
    search_fields = ["user__email"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The access journal, read-only, for the national administration only."""

    list_display = ["at", "user", "purpose", "data", "description", "fmt", "rows"]
    list_filter = ["purpose", "data", "fmt"]
    list_select_related = ["user"]
    search_fields = ["user__email", "description", "about"]
    date_hierarchy = "at"
    fields = ("at", "user", "purpose", "data", "about", "description", "filters", "fmt", "rows")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        user = request.user
        return bool(user.is_active and user.is_staff and get_reach(user).national)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
