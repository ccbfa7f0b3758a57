"""Pages of the conseillers' mandates and seats (Mesure 8): the mandates to renew, renewing
one, and the seats (CLEE, campus, pôle de stages, CPC) of a conseiller."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.volunteers import perms
from relais.volunteers.selectors import advisor_get, renewals_due
from relais.volunteers.services import cet as services
from relais.volunteers.services.advisors import MANDATE_END_NOTICE_DAYS

from .common import form_page, run_form
from .forms import RenewForm, SeatForm

WINDOWS = (60, 120, 180, 365)


def advisor_renewals_view(request):
    if not perms.is_team(request.user):
        raise PermissionDenied("Les renouvellements de mandats relèvent de l'équipe académique.")
    try:
        days = int(request.GET.get("jours", MANDATE_END_NOTICE_DAYS))
    except ValueError:
        days = MANDATE_END_NOTICE_DAYS
    days = days if days in WINDOWS else MANDATE_END_NOTICE_DAYS
    today = timezone.localdate()
    advisors = list(renewals_due(user=request.user, on=today, within_days=days))
    return render(
        request,
        "volunteers/advisor_renewals.html",
        {
            "title": "Mandats de conseillers à renouveler",
            "advisors": advisors,
            "days": days,
            "windows": WINDOWS,
            "today": today,
        },
    )


def _vetted(request, pk):
    advisor = advisor_get(user=request.user, pk=pk)
    if not perms.can_vet_advisor(request.user, advisor):
        raise PermissionDenied("Seule l'équipe académique renouvelle les mandats.")
    return advisor


def advisor_renew_view(request, pk):
    advisor = _vetted(request, pk)
    form = RenewForm(request.POST or None)
    done = run_form(
        request,
        form,
        lambda data: services.advisor_renew(
            user=request.user, advisor=advisor, mandate_end=data["mandate_end"], note=data["note"]
        ),
    )
    if done is not None:
        messages.success(request, f"Mandat renouvelé jusqu'au {done.mandate_end:%d/%m/%Y}.")
        return redirect(done)
    return form_page(
        request,
        form,
        title=f"Renouveler le mandat de {advisor.full_name}",
        submit="Renouveler",
        back_url=advisor.get_absolute_url(),
        intro=f"Mandat en cours : du {advisor.mandate_start:%d/%m/%Y} au "
        f"{advisor.mandate_end:%d/%m/%Y}.",
    )


def seat_add_view(request, pk):
    advisor = _vetted(request, pk)
    form = SeatForm(
        request.POST or None,
        academie_id=advisor.academie_id,
        initial={"started_on": timezone.localdate()},
    )
    done = run_form(
        request,
        form,
        lambda data: services.seat_add(
            user=request.user,
            advisor=advisor,
            kind=data["kind"],
            started_on=data["started_on"],
            club=data.get("club"),
            campus=data.get("campus"),
            bassin=data.get("bassin"),
            commission=data.get("commission", ""),
        ),
    )
    if done is not None:
        messages.success(request, f"Siège enregistré : {done}.")
        return redirect(advisor)
    return form_page(
        request,
        form,
        title=f"Ajouter un siège à {advisor.full_name}",
        submit="Enregistrer le siège",
        back_url=advisor.get_absolute_url(),
        intro="Le CLEE, le campus des métiers, le pôle de stages ou la commission "
        "professionnelle consultative où le conseiller représente le monde professionnel.",
    )


@require_POST
def seat_end_view(request, pk, seat_pk):
    advisor = _vetted(request, pk)
    seat = get_object_or_404(advisor.seats, pk=seat_pk)
    services.seat_end(user=request.user, seat=seat)
    messages.success(request, f"Siège clos : {seat}.")
    return redirect(advisor)
