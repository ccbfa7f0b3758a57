"""The personal iCal feed: a secret address per user (no login: calendar applications
cannot log in), which the user can revoke by generating a new one."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.agreements import services
from relais.agreements.ical import CalendarEvent, build_calendar
from relais.agreements.selectors import calendar_feed_by_token, calendar_feed_of, upcoming_deadlines
from relais.core.notifications import absolute_url

FEED_DAYS = 400  # deadlines of the next 13 months
MEETINGS_PAST_DAYS = 90


def calendar_view(request):
    feed = calendar_feed_of(request.user)
    url = absolute_url(f"/conventions/calendrier/{feed.token}.ics") if feed else ""
    return render(
        request,
        "agreements/calendar.html",
        {"title": "Mon calendrier (iCal)", "feed": feed, "feed_url": url},
    )


@require_POST
def calendar_renew_view(request):
    services.calendar_feed_renew(user=request.user)
    messages.success(
        request, "Nouvelle adresse créée : l'ancienne ne fonctionne plus. Abonnez-vous à celle-ci."
    )
    return redirect("agreements:calendar")


def feed_events(user, *, now):
    for item in upcoming_deadlines(user, days=FEED_DAYS, today=now.date()):
        agreement, deadline = item.agreement, item.deadline
        yield CalendarEvent(
            uid=f"convention-{agreement.pk}-{deadline.kind}-{deadline.due_on:%Y%m%d}@relais",
            summary=f"{deadline.label} — {agreement.number}",
            description=f"{agreement.title} ({agreement.territory_label})",
            url=absolute_url(agreement.get_absolute_url()),
            day=deadline.due_on,
        )
    from relais.governance.selectors import calendar_meetings

    for meeting in calendar_meetings(user, since=now - timedelta(days=MEETINGS_PAST_DAYS)):
        yield CalendarEvent(
            uid=f"reunion-{meeting.pk}@relais",
            summary=f"Réunion — {meeting.body.name}",
            description=meeting.agenda,
            url=absolute_url(meeting.get_absolute_url()),
            starts_at=meeting.starts_at,
            location=meeting.place,
        )


@login_not_required
def calendar_feed_view(request, token):
    feed = calendar_feed_by_token(token)
    if feed is None:
        raise Http404("Flux inconnu.")
    now = timezone.now()
    body = build_calendar(feed_events(feed.user, now=now), name="Relais — échéances", now=now)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")
