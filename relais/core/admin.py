from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from .enums import NotificationState
from .models import ImportRun, Notification, NotificationAttachment
from .outbox import notification_retry


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = ["kind", "source_name", "finished_at", "created", "updated", "unchanged"]
    list_filter = ["kind"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]


class NotificationAttachmentInline(admin.TabularInline[NotificationAttachment, Notification]):
    model = NotificationAttachment
    fields = ("position", "filename", "mimetype")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    """The outbox, read-only: a message changes state only through the delivery job or the
    « Renvoyer » action (relais/core/outbox.py)."""

    list_display = ["subject", "state", "attempts", "created_at", "sent_at", "next_attempt_at"]
    list_filter = ["state"]
    search_fields = ["key", "subject", "about"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields]
    inlines = [NotificationAttachmentInline]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    @admin.action(description="Renvoyer les courriels sélectionnés (échec ou abandonnés)")
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        done = 0
        for notification in queryset.exclude(state=NotificationState.SENT):
            try:
                notification_retry(notification=notification)
            except ValidationError:
                continue
            done += 1
        self.message_user(
            request, f"{done} courriel(s) remis en attente d'envoi.", messages.SUCCESS
        )
