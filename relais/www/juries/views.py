"""Pages of the juries: exam sessions, naming jurors, convocations, presence, and the
conventions' « jurys » commitments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.school_years import school_year_label, school_year_of
from relais.juries import perms, selectors, services
from relais.juries.models import ExamSession
from relais.juries.workflows import JUROR_WORKFLOW
from relais.organisations.enums import OrganisationKind
from relais.organisations.models import Organisation
from relais.www.forms import add_errors
from relais.www.lists import paginate
from relais.www.volunteers.common import form_page, run_form

from .forms import JurorForm, SessionForm


def _session(request, pk) -> ExamSession:
    try:
        return selectors.session_get(user=request.user, pk=pk)
    except ExamSession.DoesNotExist as exc:
        raise Http404("Session introuvable.") from exc


def session_list_view(request):
    past = request.GET.get("periode") == "passees"
    today = timezone.localdate()
    queryset = selectors.session_list(user=request.user)
    queryset = (
        queryset.filter(date__lt=today).order_by("-date", "-pk")
        if past
        else queryset.filter(date__gte=today)
    )
    return render(
        request,
        "juries/session_list.html",
        {
            "title": "Jurys d'examen",
            "page_obj": paginate(request, queryset),
            "past": past,
            "can_create": perms.can_create_session(request.user),
            "is_representative": perms.is_representative(request.user),
        },
    )


def session_create_view(request):
    if not perms.can_create_session(request.user):
        raise PermissionDenied("Seule l'équipe académique ouvre une session d'examen.")
    form = SessionForm(request.POST or None, user=request.user)

    def create(data):
        return services.session_create(
            user=request.user,
            academie=data["academie"],
            establishment=data.get("establishment"),
            data=data,
        )

    session = run_form(request, form, create)
    if session is not None:
        messages.success(request, "Session créée : les organisations peuvent désigner des jurés.")
        return redirect(session)
    return form_page(
        request,
        form,
        title="Nouvelle session d'examen",
        submit="Créer la session",
        back_url="/jurys/",
    )


def session_detail_view(request, pk):
    session = _session(request, pk)
    jurors = list(selectors.session_jurors(user=request.user, session=session))
    rows = [(juror, JUROR_WORKFLOW.available(request.user, juror)) for juror in jurors]
    today = timezone.localdate()
    manages = perms.manages_session(request.user, session)
    return render(
        request,
        "juries/session_detail.html",
        {
            "title": str(session),
            "session": session,
            "rows": rows,
            "seats_left": max(session.seats - session.seated, 0),
            "can_name": perms.can_name(request.user, session)
            and session.date > today
            and session.seated < session.seats,
            "can_convoke": manages and any(j.state == "designe" for j in jurors),
            "manages": manages,
        },
    )


def _organisations_for(request, session):
    if perms.manages_session(request.user, session):
        return Organisation.objects.filter(
            kind=OrganisationKind.PROFESSIONAL, archived_at__isnull=True
        ).order_by("name")
    return selectors.naming_organisations(user=request.user)


def juror_name_view(request, pk):
    session = _session(request, pk)
    if not perms.can_name(request.user, session):
        raise PermissionDenied("Seules les organisations désignent des jurés.")
    organisations = _organisations_for(request, session)
    form = JurorForm(request.POST or None, organisations=organisations, session=session)

    def name(data):
        return services.juror_name(
            user=request.user,
            session=session,
            organisation=data["organisation"],
            advisor=data.get("advisor"),
            data=data,
        )

    try:
        juror = run_form(request, form, name)
    except PermissionDenied as error:
        add_errors(form, ValidationError({"organisation": str(error)}))
        juror = None
    if juror is not None:
        messages.success(
            request, f"Juré désigné : {juror.full_name}. L'académie enverra la convocation."
        )
        return redirect(session)
    return form_page(
        request,
        form,
        title=f"Désigner un juré — {session}",
        submit="Désigner",
        back_url=session.get_absolute_url(),
        intro=f"{session.place}, le {session.date:%d/%m/%Y}. Places restantes : "
        f"{max(session.seats - session.seated, 0)}.",
    )


TRANSITIONS = {
    "convoquer": lambda user, juror: services.juror_convoke(user=user, juror=juror),
    "constater_presence": lambda user, juror: services.juror_record(
        user=user, juror=juror, attended=True
    ),
    "constater_absence": lambda user, juror: services.juror_record(
        user=user, juror=juror, attended=False
    ),
    "retirer": lambda user, juror: services.juror_withdraw(user=user, juror=juror),
}


@require_POST
def juror_transition_view(request, pk, name):
    juror = get_object_or_404(selectors.jurors_visible_to(user=request.user), pk=pk)
    action = TRANSITIONS.get(name)
    if action is None:
        raise Http404("Étape inconnue.")
    try:
        juror = action(request.user, juror)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{juror.full_name} : {juror.get_state_display().lower()}.")
    return redirect("juries:session_detail", pk=juror.session_id)


@require_POST
def session_convoke_view(request, pk):
    session = _session(request, pk)
    if not perms.manages_session(request.user, session):
        raise PermissionDenied("Seule l'équipe académique convoque les jurés.")
    try:
        count = services.session_convoke_all(user=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        plural = "s" if count > 1 else ""
        messages.success(request, f"{count} convocation{plural} envoyée{plural}.")
    return redirect(session)


def commitments_view(request):
    current = school_year_of(timezone.localdate())
    try:
        year = int(request.GET.get("annee", current))
    except ValueError:
        year = current
    if not current - 5 <= year <= current:
        year = current
    report = selectors.commitment_report(user=request.user, school_year=year)
    return render(
        request,
        "juries/commitments.html",
        {
            "title": "Engagements « jurys » des conventions",
            "report": report,
            "year": year,
            "year_label": school_year_label(year),
            "years": [(y, school_year_label(y)) for y in range(current, current - 6, -1)],
        },
    )
