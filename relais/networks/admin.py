from django.contrib import admin

from .models import Campus, CampusMember, Club, ClubMember, DirectoryPublication, Mandate


class ClubMemberInline(admin.TabularInline):
    model = ClubMember
    extra = 0
    raw_id_fields = ["establishment", "organisation"]


@admin.register(Club)
class ClubAdmin(admin.ModelAdmin):
    list_display = ["name", "bassin", "academie"]
    list_filter = ["academie"]
    search_fields = ["name", "bassin__name"]
    raw_id_fields = ["bassin", "agreement"]
    inlines = [ClubMemberInline]


@admin.register(Mandate)
class MandateAdmin(admin.ModelAdmin):
    list_display = ["full_name", "role", "club", "school_year", "starts_on", "ends_on"]
    list_filter = ["role", "school_year", "club__academie"]
    search_fields = ["full_name", "email", "club__name"]
    raw_id_fields = ["club", "user", "organisation", "establishment", "previous"]


@admin.register(DirectoryPublication)
class DirectoryPublicationAdmin(admin.ModelAdmin):
    list_display = ["academie", "school_year", "published_on", "published_by"]


class CampusMemberInline(admin.TabularInline):
    model = CampusMember
    extra = 0
    raw_id_fields = ["establishment", "organisation"]


@admin.register(Campus)
class CampusAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "academie", "label_ends_on"]
    list_filter = ["academie"]
    search_fields = ["name", "sector"]
    raw_id_fields = ["head_establishment"]
    inlines = [CampusMemberInline]
