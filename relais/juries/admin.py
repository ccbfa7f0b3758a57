from django.contrib import admin

from .models import ExamSession, Juror


@admin.register(ExamSession)
class ExamSessionAdmin(admin.ModelAdmin):
    list_display = ("diploma", "date", "place", "academie", "seats")
    list_filter = ("academie",)
    search_fields = ("diploma", "place")


@admin.register(Juror)
class JurorAdmin(admin.ModelAdmin):
    list_display = ("full_name", "session", "organisation", "state")
    list_filter = ("state",)
    search_fields = ("full_name", "email")
    readonly_fields = ("state", "convoked_at")
