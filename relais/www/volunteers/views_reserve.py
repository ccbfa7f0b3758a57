"""Pages of the réserve citoyenne: public sign-up (with the charter), vetting by the académie
referent, the teachers' search near their school, requests and their answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.territories.selectors import communes_search
from relais.users.enums import PersonalData
from relais.volunteers import perms
from relais.volunteers.filters import ApplicationFilter, RequestFilter, ReservistSearchForm
from relais.volunteers.selectors import (
    application_get,
    application_is_overdue,
    applications_visible_to,
    done_requests,
    overdue_applications_visible_to,
    request_get,
    requests_visible_to,
    reservist_search,
    reservists_visible_to,
    with_overdue_flag,
)
from relais.volunteers.services import reserve as services
from relais.volunteers.workflows import APPLICATION_WORKFLOW, REQUEST_WORKFLOW
from relais.www.journal import log_export
from relais.www.lists import export_response, paginate

from .common import export_format, form_page, run_form
from .forms import AnswerForm, ReasonForm, RequestDoneForm, ReserveRequestForm, ReserveSignupForm

# Public sign-up: at most this many submissions per address and hour (besides CSRF and a
# hidden field that robots fill).
SIGNUP_LIMIT_PER_HOUR = 5


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _over_limit(request) -> bool:
    key = f"volunteers:signup:{_client_ip(request)}"
    count = cache.get_or_set(key, 0, timeout=3600) or 0
    if count >= SIGNUP_LIMIT_PER_HOUR:
        return True
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
    return False


def _submit(data) -> str:
    """The same answer whether the address is new or has already applied (the service then
    e-mails its owner): the page never tells who applied (issue 17)."""
    services.application_submit(data=data)
    return data["email"].strip().lower()


@login_not_required
def reserve_signup_view(request):
    form = ReserveSignupForm(request.POST or None)
    if request.method == "POST":
        if _over_limit(request):
            return render(
                request, "volunteers/signup_limited.html",
                {"title": "Trop de candidatures envoyées"}, status=429,
            )  # fmt: skip
        if form.is_valid() and form.cleaned_data.get("website"):
            form.add_error(None, "Candidature refusée : laissez vide le champ « Ne pas remplir ».")
    email = None
    if not form.errors:
        email = run_form(request, form, _submit)
    if email is not None:
        request.session["reserve_signup_email"] = email
        return redirect("volunteers:reserve_signup_done")
    return render(
        request,
        "volunteers/signup.html",
        {"title": "Rejoindre la réserve citoyenne de l'éducation nationale", "form": form},
        status=400 if form.errors else 200,
    )


@login_not_required
def reserve_signup_done_view(request):
    return render(
        request,
        "volunteers/signup_done.html",
        {"title": "Candidature envoyée", "email": request.session.get("reserve_signup_email")},
    )


@login_not_required
def reserve_charter_view(request):
    return render(request, "volunteers/charter.html", {"title": "Charte de la réserve citoyenne"})


@login_not_required
def reserve_communes_view(request):
    """Options of the communes <datalist> of the public sign-up (public reference data)."""
    communes = communes_search(request.GET.get("commune", ""))
    return render(request, "includes/commune_options.html", {"communes": communes})


# --- Vetting ------------------------------------------------------------------------------------


def _team_only(request):
    if not perms.is_team(request.user):
        raise PermissionDenied("Réservé au référent académique de la réserve citoyenne.")


def _applications(request):
    return ApplicationFilter(
        request.GET or None, queryset=applications_visible_to(user=request.user),
        user=request.user,
    )  # fmt: skip


def application_list_view(request):
    _team_only(request)
    filterset = _applications(request)
    return render(
        request,
        "volunteers/application_list.html",
        {
            "title": "Candidatures à la réserve citoyenne",
            "filter": filterset,
            "page_obj": paginate(request, with_overdue_flag(filterset.qs)),
            "overdue_count": overdue_applications_visible_to(user=request.user).count(),
        },
    )


APPLICATION_HEADER = [
    "Déposée le", "Nom", "Prénom", "Courriel", "Téléphone", "Profession", "Employeur",
    "Apports", "Secteurs", "Disponibilités", "Commune", "Distance max. (km)", "État",
    "Examinée le", "Motif du refus",
]  # fmt: skip


def _application_row(a):
    return [
        a.submitted_at, a.last_name, a.first_name, a.email, a.phone, a.profession,
        a.employer_name, ", ".join(a.skill_labels()), a.sectors,
        ", ".join(a.availability_labels()), str(a.commune), a.max_distance_km,
        a.get_state_display(), a.vetted_at, a.refusal_reason,
    ]  # fmt: skip


def application_export_view(request):
    _team_only(request)
    queryset = _applications(request).qs
    log_export(
        request, data=PersonalData.RESERVE_APPLICATIONS,
        description="Candidatures à la réserve citoyenne", fmt=export_format(request),
        rows=queryset.count(),
    )  # fmt: skip
    rows = queryset.iterator(chunk_size=2000)
    return export_response(
        export_format(request), "reserve-candidatures", APPLICATION_HEADER, rows,
        _application_row, title="Candidatures",
    )  # fmt: skip


def application_detail_view(request, pk):
    application = application_get(user=request.user, pk=pk)
    actions = APPLICATION_WORKFLOW.names(request.user, application)
    return render(
        request,
        "volunteers/application_detail.html",
        {
            "title": f"Candidature de {application.full_name}",
            "application": application,
            "journal": application.journal.all(),
            "can_validate": "valider" in actions,
            "can_refuse": "refuser" in actions,
            "overdue": application_is_overdue(application),
        },
    )


def _vetted(request, pk):
    application = application_get(user=request.user, pk=pk)
    if not perms.can_vet_application(request.user, application):
        raise PermissionDenied("Seul le référent académique examine les candidatures.")
    return application


@require_POST
def application_validate_view(request, pk):
    application = _vetted(request, pk)
    services.application_validate(user=request.user, application=application)
    messages.success(request, f"{application.full_name} rejoint la réserve ; un courriel lui "
                     "permet de choisir son mot de passe.")  # fmt: skip
    return redirect(application)


def application_refuse_view(request, pk):
    application = _vetted(request, pk)
    form = ReasonForm(request.POST or None)
    done = run_form(
        request, form,
        lambda data: services.application_refuse(
            user=request.user, application=application, reason=data["reason"]
        ),
    )  # fmt: skip
    if done is not None:
        messages.success(request, "La candidature est refusée ; le candidat est informé.")
        return redirect(done)
    return form_page(
        request, form, title=f"Refuser la candidature de {application.full_name}",
        submit="Refuser", back_url=application.get_absolute_url(),
    )  # fmt: skip


# --- Teachers' search and requests ---------------------------------------------------------------


def reservist_search_view(request):
    if not perms.can_search_reserve(request.user):
        raise PermissionDenied("La recherche de réservistes est réservée aux établissements.")
    form = ReservistSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    school = perms.school_of(request.user)
    results = reservist_search(
        user=request.user,
        school=school,
        radius_km=data.get("radius") or 30,
        skill=data.get("skill", ""),
        availability=data.get("availability", ""),
        query=data.get("q", ""),
    )
    return render(
        request,
        "volunteers/reservist_search.html",
        {
            "title": "Trouver un réserviste",
            "form": form,
            "school": school,
            "page_obj": paginate(request, results),
            "can_request": school is not None,
        },
    )


def reservist_request_view(request, pk):
    reservist = get_object_or_404(reservists_visible_to(user=request.user), pk=pk)
    school = perms.school_of(request.user)
    if school is None:
        raise PermissionDenied("Seule l'équipe d'un établissement sollicite un réserviste.")
    form = ReserveRequestForm(request.POST or None, initial={"skill": reservist.skills[0]})
    done = run_form(
        request, form,
        lambda data: services.request_send(
            user=request.user, reservist=reservist, establishment=school, **data
        ),
    )  # fmt: skip
    if done is not None:
        messages.success(request, f"Votre demande est envoyée à {reservist.full_name}.")
        return redirect(done)
    return form_page(
        request, form, title=f"Solliciter {reservist.full_name}", submit="Envoyer la demande",
        back_url="/benevoles/reserve/",
        intro=f"{reservist.profession} — {reservist.commune}. "
        f"Apports : {', '.join(reservist.skill_labels())}.",
    )  # fmt: skip


def _requests(request):
    return RequestFilter(
        request.GET or None, queryset=requests_visible_to(user=request.user), user=request.user
    )


def request_list_view(request):
    filterset = _requests(request)
    queryset = filterset.qs
    return render(
        request,
        "volunteers/request_list.html",
        {
            "title": "Sollicitations de la réserve citoyenne",
            "filter": filterset,
            "page_obj": paginate(request, queryset),
            "done_count": done_requests(queryset).count(),
        },
    )


REQUEST_HEADER = [
    "Envoyée le", "Objet", "Thème", "Réserviste", "Établissement", "UAI", "Demandée par", "État",
    "Réalisée le", "Heures", "Élèves",
]  # fmt: skip


def _request_row(r):
    return [
        r.created_at, r.subject, r.get_skill_display(), r.reservist.full_name,
        r.establishment.name, r.establishment.uai, str(r.requested_by), r.get_state_display(),
        r.done_on, float(r.hours) if r.hours else None, r.pupils,
    ]  # fmt: skip


def request_export_view(request):
    queryset = _requests(request).qs
    log_export(
        request, data=PersonalData.RESERVE_REQUESTS, description="Sollicitations de réservistes",
        fmt=export_format(request), rows=queryset.count(),
    )  # fmt: skip
    rows = queryset.iterator(chunk_size=2000)
    return export_response(
        export_format(request), "reserve-sollicitations", REQUEST_HEADER, rows, _request_row,
        title="Sollicitations",
    )  # fmt: skip


def request_detail_view(request, pk):
    item = request_get(user=request.user, pk=pk)
    user = request.user
    actions = REQUEST_WORKFLOW.names(user, item)
    is_school = perms.can_follow_request(user, item)
    return render(
        request,
        "volunteers/request_detail.html",
        {
            "title": item.subject,
            "item": item,
            "journal": item.journal.all(),
            "is_reservist": perms.is_reservist_of(user, item),
            "show_contact": is_school and item.reservist_has_accepted,
            "can_accept": "accepter" in actions,
            "can_decline": "decliner" in actions,
            "can_record_done": "realiser" in actions,
            "can_cancel": "annuler" in actions,
            "answer_form": AnswerForm(),
        },
    )


def _answer(request, pk, *, accept: bool):
    item = request_get(user=request.user, pk=pk)
    if not perms.is_reservist_of(request.user, item):
        raise PermissionDenied("Seul le réserviste sollicité répond à cette demande.")
    form = AnswerForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    services.request_answer(user=request.user, request=item, accept=accept, note=note)
    messages.success(request, "Votre réponse est envoyée à l'établissement.")
    return redirect(item)


@require_POST
def request_accept_view(request, pk):
    return _answer(request, pk, accept=True)


@require_POST
def request_decline_view(request, pk):
    return _answer(request, pk, accept=False)


@require_POST
def request_cancel_view(request, pk):
    item = request_get(user=request.user, pk=pk)
    if not perms.can_follow_request(request.user, item):
        raise PermissionDenied("Seul l'établissement qui a sollicité peut annuler.")
    services.request_cancel(user=request.user, request=item)
    messages.success(request, "La demande est annulée ; le réserviste est prévenu.")
    return redirect(item)


def request_done_view(request, pk):
    item = request_get(user=request.user, pk=pk)
    user = request.user
    if not (perms.can_follow_request(user, item) or perms.is_reservist_of(user, item)):
        raise PermissionDenied("Vous ne pouvez pas enregistrer cette intervention.")
    form = RequestDoneForm(request.POST or None, initial={"done_on": item.wished_date})
    done = run_form(
        request, form, lambda data: services.request_record_done(user=user, request=item, **data)
    )
    if done is not None:
        messages.success(request, "L'intervention est enregistrée et comptée.")
        return redirect(done)
    return form_page(
        request, form, title=f"Intervention réalisée : {item.subject}", submit="Enregistrer",
        back_url=item.get_absolute_url(),
    )  # fmt: skip
