"""Pages of the immersions of teachers in companies and of the 56-hour course."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.users.enums import PersonalData
from relais.volunteers import perms
from relais.volunteers.enums import COURSE_HOURS
from relais.volunteers.filters import ImmersionApplicationFilter, OfferFilter
from relais.volunteers.selectors import (
    course_get,
    courses_visible_to,
    immersion_application_get,
    immersion_applications_visible_to,
    offer_get,
    offers_visible_to,
    participants_visible_to,
    participants_with_hours,
)
from relais.volunteers.services import course as course_services
from relais.volunteers.services import immersions as services
from relais.volunteers.workflows import IMMERSION_WORKFLOW
from relais.www.journal import log_export
from relais.www.lists import export_response, paginate

from .common import export_format, form_page, run_form
from .forms import (
    ApplyForm,
    CourseForm,
    EvaluationForm,
    HoursForm,
    OfferForm,
    ParticipantForm,
    ReasonForm,
)


def _offers(request):
    return OfferFilter(
        request.GET or None, queryset=offers_visible_to(user=request.user), user=request.user
    )


def offer_list_view(request):
    filterset = _offers(request)
    return render(
        request,
        "volunteers/offer_list.html",
        {
            "title": "Immersions en entreprise des enseignants",
            "filter": filterset,
            "page_obj": paginate(request, filterset.qs),
            "can_offer": perms.can_offer_immersion(request.user),
        },
    )


def offer_create_view(request):
    if not perms.can_offer_immersion(request.user):
        raise PermissionDenied("Seule une entreprise propose des immersions.")
    form = OfferForm(request.POST or None, user=request.user)

    def create(data):
        organisation = data.pop("organisation")
        return services.offer_create(user=request.user, organisation=organisation, data=data)

    offer = run_form(request, form, create)
    if offer is not None:
        messages.success(request, "L'offre d'immersion est publiée.")
        return redirect(offer)
    return form_page(
        request, form, title="Proposer une immersion", submit="Publier l'offre",
        back_url="/benevoles/immersions/",
    )  # fmt: skip


def _with_actions(user, offer, applications) -> None:
    """Each application's buttons (``can_approve``, ``can_refuse``), from the workflow. The
    offer's ``validated`` count (annotated) serves the capacity guard of every row."""
    for application in applications:
        application.offer = offer
        actions = IMMERSION_WORKFLOW.names(user, application, validated=offer.validated)
        application.can_approve = bool(actions & {"donner_accord", "valider"})
        application.can_refuse = "refuser" in actions


def offer_detail_view(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    user = request.user
    applications = list(immersion_applications_visible_to(user=user).filter(offer=offer))
    _with_actions(user, offer, applications)
    mine = next((a for a in applications if a.applicant_id == user.pk), None)
    return render(
        request,
        "volunteers/offer_detail.html",
        {
            "title": offer.title,
            "offer": offer,
            "applications": applications,
            "mine": mine,
            "can_apply": mine is None
            and perms.can_apply_immersion(user, offer)
            and offer.accepts_applications,
            "apply_form": ApplyForm(),
            "can_edit": perms.can_edit_offer(user, offer),
            "is_academie": perms.manages_academie(user, offer.academie_id),
            "is_company": perms.represents(user, offer.organisation_id),
            "can_evaluate": mine is not None and "evaluer" in IMMERSION_WORKFLOW.names(user, mine),
        },
    )


@require_POST
def offer_toggle_view(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    if not perms.can_edit_offer(request.user, offer):
        raise PermissionDenied("Vous ne pouvez pas modifier cette offre.")
    services.offer_set_open(user=request.user, offer=offer, is_open=not offer.is_open)
    messages.success(request, "L'offre est " + ("rouverte." if offer.is_open else "close."))
    return redirect(offer)


def offer_apply_view(request, pk):
    offer = offer_get(user=request.user, pk=pk)
    if not perms.can_apply_immersion(request.user, offer):
        raise PermissionDenied("Seuls les enseignants de l'académie candidatent aux immersions.")
    form = ApplyForm(request.POST or None)
    done = run_form(
        request, form,
        lambda data: services.immersion_apply(user=request.user, offer=offer, **data),
    )  # fmt: skip
    if done is not None:
        messages.success(request, "Votre candidature est envoyée à l'académie et à l'entreprise.")
        return redirect(offer)
    return form_page(
        request, form, title=f"Candidater : {offer.title}", submit="Candidater",
        back_url=offer.get_absolute_url(),
    )  # fmt: skip


def _applications(request):
    return ImmersionApplicationFilter(
        request.GET or None, queryset=immersion_applications_visible_to(user=request.user),
        user=request.user,
    )  # fmt: skip


def immersion_application_list_view(request):
    filterset = _applications(request)
    return render(
        request,
        "volunteers/immersion_application_list.html",
        {
            "title": "Candidatures aux immersions",
            "filter": filterset,
            "page_obj": paginate(request, filterset.qs),
        },
    )


IMMERSION_HEADER = [
    "Offre", "Entreprise", "Du", "Au", "Enseignant", "Établissement", "État",
    "Validée par l'académie le", "Validée par l'entreprise le", "Appréciation", "Évaluation",
]  # fmt: skip


def _immersion_row(a):
    return [
        a.offer.title, a.offer.organisation.name, a.offer.start_date, a.offer.end_date,
        str(a.applicant), a.establishment.name, a.get_state_display(), a.academie_approved_at,
        a.company_approved_at, a.rating, a.evaluation,
    ]  # fmt: skip


def immersion_application_export_view(request):
    queryset = _applications(request).qs
    log_export(
        request, data=PersonalData.IMMERSIONS, description="Candidatures aux immersions",
        fmt=export_format(request), rows=queryset.count(),
    )  # fmt: skip
    rows = queryset.iterator(chunk_size=2000)
    return export_response(
        export_format(request), "immersions-candidatures", IMMERSION_HEADER, rows,
        _immersion_row, title="Immersions",
    )  # fmt: skip


@require_POST
def immersion_approve_view(request, pk):
    application = immersion_application_get(user=request.user, pk=pk)
    try:
        application = services.immersion_approve(user=request.user, application=application)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if application.is_validated:
            messages.success(request, "Immersion validée par l'académie et l'entreprise.")
        else:
            messages.success(request, "Votre validation est enregistrée ; l'autre partie doit "
                             "encore valider.")  # fmt: skip
    return redirect(application.offer)


def immersion_refuse_view(request, pk):
    application = immersion_application_get(user=request.user, pk=pk)
    offer = application.offer
    if not perms.can_decide_immersion(request.user, application):
        raise PermissionDenied("Seules l'académie et l'entreprise statuent sur une immersion.")
    form = ReasonForm(request.POST or None)
    done = run_form(
        request, form,
        lambda data: services.immersion_refuse(
            user=request.user, application=application, reason=data["reason"]
        ),
    )  # fmt: skip
    if done is not None:
        messages.success(request, "La candidature est refusée ; l'enseignant est informé.")
        return redirect(offer)
    return form_page(
        request, form, title=f"Refuser la candidature de {application.applicant}",
        submit="Refuser", back_url=offer.get_absolute_url(),
    )  # fmt: skip


def immersion_evaluate_view(request, pk):
    application = immersion_application_get(user=request.user, pk=pk)
    if not perms.is_applicant(request.user, application):
        raise PermissionDenied("Seul l'enseignant qui a suivi l'immersion l'évalue.")
    form = EvaluationForm(request.POST or None)
    done = run_form(
        request, form,
        lambda data: services.immersion_evaluate(
            user=request.user, application=application, **data
        ),
    )  # fmt: skip
    if done is not None:
        messages.success(request, "Merci : votre évaluation est enregistrée.")
        return redirect(application.offer)
    return form_page(
        request, form, title=f"Évaluer l'immersion « {application.offer.title} »",
        submit="Enregistrer l'évaluation", back_url=application.offer.get_absolute_url(),
    )  # fmt: skip


# --- The 56-hour course -------------------------------------------------------------------------


def _team_only(request):
    if not perms.is_team(request.user):
        raise PermissionDenied("Le parcours de 56 heures est suivi par l'équipe académique.")


def course_list_view(request):
    _team_only(request)
    return render(
        request,
        "volunteers/course_list.html",
        {"title": "Parcours de 56 heures", "courses": courses_visible_to(user=request.user)},
    )


def course_create_view(request):
    _team_only(request)
    form = CourseForm(request.POST or None, user=request.user)

    def create(data):
        academie = data.pop("academie")
        return course_services.course_create(user=request.user, academie=academie, data=data)

    course = run_form(request, form, create)
    if course is not None:
        messages.success(request, "Le parcours est créé.")
        return redirect(course)
    return form_page(
        request, form, title="Nouveau parcours de 56 heures", submit="Créer",
        back_url="/benevoles/parcours-56h/",
    )  # fmt: skip


def _with_progress(participants, today):
    rows = []
    for participant in participants:
        rows.append((participant, course_services.progress_of(participant, on=today)))
    return rows


def course_detail_view(request, pk):
    course = course_get(user=request.user, pk=pk)
    today = timezone.localdate()
    rows = _with_progress(participants_with_hours(course.participants.all()), today)
    late_only = request.GET.get("retard") == "1"
    late = [row for row in rows if not row[1].on_track]
    return render(
        request,
        "volunteers/course_detail.html",
        {
            "title": course.title,
            "course": course,
            "rows": late if late_only else rows,
            "late_count": len(late),
            "late_only": late_only,
            "today": today,
            "parts": COURSE_HOURS.items(),
        },
    )


def course_late_view(request):
    """Everyone not on track, in every course the user follows (see services.course)."""
    _team_only(request)
    today = timezone.localdate()
    participants = participants_with_hours(participants_visible_to(user=request.user))
    rows = [row for row in _with_progress(participants, today) if not row[1].on_track]
    if request.GET.get("format") in ("csv", "xlsx"):
        log_export(
            request, data=PersonalData.COURSE, description="Parcours de 56 heures : en retard",
            fmt=export_format(request), rows=len(rows),
        )  # fmt: skip
        return export_response(
            export_format(request), "parcours-56h-en-retard", COURSE_HEADER, rows, _course_row,
            title="En retard",
        )  # fmt: skip
    return render(
        request,
        "volunteers/course_late.html",
        {"title": "Parcours de 56 heures : personnes en retard", "rows": rows, "today": today},
    )


COURSE_HEADER = [
    "Parcours", "Nom", "Courriel", "Fonction", "Établissement", "Préparation (h)",
    "Immersion (h)", "Valorisation (h)", "Total (h)", "Parties en retard",
]  # fmt: skip


def _course_row(row):
    participant, progress = row
    return [
        participant.course.title, participant.full_name, participant.email,
        participant.get_function_display(),
        participant.establishment.name if participant.establishment_id else "",
        *[float(part.done) for part in progress.parts], float(progress.done),
        ", ".join(part.label for part in progress.late_parts),
    ]  # fmt: skip


def participant_add_view(request, pk):
    course = course_get(user=request.user, pk=pk)
    if not perms.can_manage_course(request.user, course):
        raise PermissionDenied("Seule l'équipe académique inscrit au parcours.")
    form = ParticipantForm(request.POST or None, academie_id=course.academie_id)
    done = run_form(
        request, form,
        lambda data: course_services.participant_add(user=request.user, course=course, data=data),
    )  # fmt: skip
    if done is not None:
        messages.success(request, f"Inscription de {done.full_name} au parcours enregistrée.")
        return redirect(course)
    return form_page(
        request, form, title=f"Inscrire au parcours « {course.title} »", submit="Inscrire",
        back_url=course.get_absolute_url(),
    )  # fmt: skip


def hours_add_view(request, pk):
    participant = (
        participants_visible_to(user=request.user).select_related("course").filter(pk=pk).first()
    )
    if participant is None:
        raise Http404("Participant introuvable.")
    form = HoursForm(request.POST or None, initial={"done_on": timezone.localdate()})
    done = run_form(
        request, form,
        lambda data: course_services.hours_record(
            user=request.user, participant=participant, **data
        ),
    )  # fmt: skip
    if done is not None:
        messages.success(request, f"{done.hours} h enregistrées pour {participant.full_name}.")
        return redirect(participant.course)
    return form_page(
        request, form, title=f"Heures de {participant.full_name}", submit="Enregistrer",
        back_url=participant.course.get_absolute_url(),
        intro="Préparation à distance : 12 h ; immersion en entreprise : 35 h ; "
        "valorisation en présentiel : 9 h.",
    )  # fmt: skip
