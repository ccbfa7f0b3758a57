"""The outbox page: e-mails not sent yet (en attente, échec, abandonné), for the national
administration and the académie teams, with « Renvoyer »."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from relais.core.enums import NotificationState
from relais.core.outbox import max_attempts, notification_retry
from relais.users.selectors import can_follow_outbox, outbox_visible_to
from relais.www.lists import paginate

from .forms import OutboxFilterForm


def _check(request) -> None:
    if not can_follow_outbox(request.user):
        raise PermissionDenied("Cette page est réservée aux équipes académiques.")


def outbox_list_view(request):
    _check(request)
    form = OutboxFilterForm(request.GET or None)
    queryset = outbox_visible_to(user=request.user).exclude(state=NotificationState.SENT)
    if form.is_valid() and form.cleaned_data["etat"]:
        queryset = queryset.filter(state=form.cleaned_data["etat"])
    page = paginate(request, queryset.order_by("-created_at", "-pk"))
    return render(
        request,
        "outbox/list.html",
        {
            "title": "Courriels non envoyés",
            "form": form,
            "page_obj": page,
            "max_attempts": max_attempts(),
        },
        status=400 if form.errors else 200,
    )


@require_POST
def outbox_retry_view(request, pk):
    _check(request)
    notification = get_object_or_404(outbox_visible_to(user=request.user), pk=pk)
    try:
        notification_retry(notification=notification)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Le courriel « {notification.subject} » est de nouveau en attente d'envoi.",
        )
    url = reverse("outbox:list")
    back = OutboxFilterForm({"etat": request.POST.get("etat", "")})
    if back.is_valid() and back.cleaned_data["etat"]:
        url += "?" + urlencode({"etat": back.cleaned_data["etat"]})
    return redirect(url)
