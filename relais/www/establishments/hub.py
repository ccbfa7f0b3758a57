"""The établissement page as the school's hub: what Relais knows of the school beyond the
annuaire — its conventions and clubs, internship periods, pupils' cases and parcours (for
those allowed), actions requested and done, partners' actions nearby — and what its staff
can do from there.

Every read goes through the domain's selectors, so each section shows only what the user
may see; pupils' data only to the school's staff (counts, never names, here), the pôle
seeing the cases it handles. A fixed number of queries whatever the size of the school.
"""

from __future__ import annotations

from django.db.models import Count, Q

from relais.actions.enums import RequestState as ActionRequestState
from relais.actions.selectors import catalogue_near, records_visible_to
from relais.actions.selectors import offers_visible_to as action_offers_visible_to
from relais.actions.selectors import requests_visible_to as action_requests_visible_to
from relais.agreements.enums import AgreementState
from relais.agreements.selectors import agreements_visible_to
from relais.core import clock
from relais.core.school_years import school_year_of
from relais.internships.enums import CaseState
from relais.internships.selectors import cases_visible_to, periods_visible_to
from relais.networks.selectors import clubs_visible_to
from relais.pupils.perms import can_manage_pupils
from relais.pupils.selectors import pupils_of_schools
from relais.pupils.years import roster_year_of
from relais.users.scopes import get_reach
from relais.volunteers.perms import can_search_reserve

LIVE_AGREEMENTS = [AgreementState.IN_SIGNATURE, AgreementState.IN_FORCE, AgreementState.DRAFT]


def hub_context(user, establishment) -> dict:
    """The sections of the établissement page the user may read."""
    reach = get_reach(user)
    staff = can_manage_pupils(user, establishment)
    pole = establishment.bassin_id in reach.hub_bassin_ids
    year = school_year_of(clock.today())
    context = {
        "staff": staff,
        "agreements": list(
            agreements_visible_to(user)
            .filter(establishment_id=establishment.pk, state__in=LIVE_AGREEMENTS)
            .order_by("state", "-created_at")[:10]
        ),
        "clubs": list(
            clubs_visible_to(user=user)
            .filter(members__establishment_id=establishment.pk)
            .distinct()
            .order_by("name")[:5]
        ),
        "periods": list(
            periods_visible_to(user=user)
            .filter(establishment_id=establishment.pk)
            .filter(school_year__in=[f"{y}-{y + 1}" for y in (year, year + 1)])
            .order_by("start", "pk")[:10]
        ),
        "action_requests": action_requests_visible_to(user=user)
        .filter(establishment_id=establishment.pk)
        .aggregate(
            sent=Count("pk", filter=Q(state=ActionRequestState.SENT)),
            accepted=Count("pk", filter=Q(state=ActionRequestState.ACCEPTED)),
            done=Count("pk", filter=Q(state=ActionRequestState.DONE)),
        ),
        "records": list(
            records_visible_to(user=user)
            .filter(establishment_id=establishment.pk)
            .select_related("organisation")
            .order_by("-done_on", "-pk")[:5]
        ),
        "nearby": list(
            catalogue_near(
                action_offers_visible_to(user=user), establishment, max_km=30
            ).select_related("organisation")[:5]
        ),
    }
    if staff or pole:
        cases = cases_visible_to(user=user).filter(
            pupil__establishment_id=establishment.pk, closed_at__isnull=True
        )
        by_state = dict(
            cases.values_list("state").annotate(n=Count("pk")).order_by().values_list("state", "n")
        )
        context["cases"] = [
            (state, by_state.get(state.value, 0)) for state in CaseState if state.value in by_state
        ]
        context["open_cases"] = sum(by_state.values())
    if staff:
        context["pupils"] = (
            pupils_of_schools(user=user)
            .filter(establishment_id=establishment.pk, school_year=roster_year_of(clock.today()))
            .count()
        )
        context["can_search_reserve"] = can_search_reserve(user)
    return context
