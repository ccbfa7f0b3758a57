from django.contrib import admin

from .models import CasnavStaff, ShortageReport, TrainingSection


@admin.register(TrainingSection)
class TrainingSectionAdmin(admin.ModelAdmin):
    list_display = ("diploma", "establishment", "status", "capacity", "state")
    list_filter = ("status", "state", "sector")
    raw_id_fields = ("establishment",)


@admin.register(ShortageReport)
class ShortageReportAdmin(admin.ModelAdmin):
    list_display = ("job", "academie", "sector", "organisation", "reported_on")
    raw_id_fields = ("organisation",)


@admin.register(CasnavStaff)
class CasnavStaffAdmin(admin.ModelAdmin):
    list_display = ("user", "academie")
    raw_id_fields = ("user",)
