"""« Mon espace bénévole »: a réserviste's own page — their profile as the académie
validated it (skills, availability, area), the schools' requests waiting for their answer,
and the interventions they gave."""

from django.core.exceptions import PermissionDenied
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import render

from relais.users.enums import Role
from relais.users.scopes import get_reach
from relais.volunteers.enums import ApplicationState, RequestState
from relais.volunteers.selectors import applications_visible_to, requests_visible_to


def mine_view(request):
    user = request.user
    if not get_reach(user).has_role(Role.VOLUNTEER):
        raise PermissionDenied("Cette page est celle des bénévoles de la réserve citoyenne.")
    profiles = list(
        applications_visible_to(user=user)
        .filter(user_id=user.pk, state=ApplicationState.VALIDATED)
        .order_by("-vetted_at", "-pk")[:1]
    )
    # Waiting for their answer first, then accepted (to give), then the rest by date.
    order = Case(
        When(state=RequestState.SENT, then=Value(0)),
        When(state=RequestState.ACCEPTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    requests = list(
        requests_visible_to(user=user)
        .filter(reservist__user_id=user.pk)
        .exclude(state=RequestState.DONE)
        .order_by(order, "wished_date", "-created_at", "pk")[:50]
    )
    done = list(
        requests_visible_to(user=user)
        .filter(reservist__user_id=user.pk, state=RequestState.DONE)
        .order_by("-done_on", "-pk")[:50]
    )
    return render(
        request,
        "volunteers/mine.html",
        {
            "title": "Mon espace bénévole",
            "profile": profiles[0] if profiles else None,
            "requests": requests,
            "to_answer": sum(1 for r in requests if r.state == RequestState.SENT),
            "done": done,
            "hours": sum((r.hours or 0) for r in done),
            "pupils": sum((r.pupils or 0) for r in done),
        },
    )
