"""The case queue of the pôle and the school, a case's page, proposals and placements."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.documents.rendering import DocumentError
from relais.internships.documents import agreement_docx, agreement_pdf
from relais.internships.enums import (
    OPEN_CASE_STATES,
    OPEN_OFFER_STATES,
    ProposalState,
    SchoolLevel,
)
from relais.internships.perms import (
    can_edit_case_search,
    can_handle_case,
    can_manage_hub,
    can_manage_pupils,
    can_manage_some_hub,
    can_see_pupils,
)
from relais.internships.selectors import (
    case_get,
    case_list,
    cases_visible_to,
    flagged_q,
    free_slots,
    hub_get,
    hubs_visible_to,
    offers_visible_to,
    proposal_get,
    proposal_list,
    pupil_get,
)
from relais.internships.services import (
    case_assign,
    case_move,
    case_open,
    case_update,
    hub_update,
    proposal_cancel,
    proposal_confirm,
    proposal_send,
)
from relais.internships.services.cases import hub_members
from relais.internships.services.confidentiality import placement_confidentiality_record
from relais.internships.workflows import CASE_MANUAL_STEPS, CASE_WORKFLOW, PROPOSAL_WORKFLOW
from relais.pupils.perms import is_school_of
from relais.users.enums import PersonalData
from relais.www.forms import add_errors
from relais.www.journal import log_consultation, log_export
from relais.www.lists import export_response, paginate

from .forms import AssignForm, CaseFilterForm, CaseSearchForm, HubForm, NoteForm, ProposalForm


def _filtered_cases(request):
    """The queue the user may see, filtered, oldest first (a queryset: the page reads one
    page of it, the export all of it)."""
    if not can_see_pupils(request.user):
        raise PermissionDenied(
            "Les dossiers des élèves sont réservés à leur établissement et au pôle."
        )
    form = CaseFilterForm(request.GET or None)
    queryset = case_list(user=request.user)
    if form.is_valid():
        state = form.cleaned_data["state"]
        queryset = queryset.filter(state=state) if state else queryset
        if form.cleaned_data["mine"]:
            queryset = queryset.filter(owner=request.user)
    if not (request.GET.get("state") or request.GET.get("tous")):
        queryset = queryset.filter(state__in=OPEN_CASE_STATES)
    if form.is_valid() and form.cleaned_data["flagged"]:
        queryset = queryset.filter(flagged_q(timezone.now()))
    return form, queryset.order_by("opened_at", "pk")


def case_list_view(request):
    form, cases = _filtered_cases(request)
    now = timezone.now()
    page = paginate(request, cases)
    for case in page:
        case.days = case.days_without_solution(now)
        case.flagged = case.is_flagged(now)
    return render(
        request,
        "internships/case_list.html",
        {
            "title": "Dossiers des élèves sans stage",
            "form": form,
            "page_obj": page,
            "flagged_count": cases.filter(flagged_q(now)).count(),
        },
    )


CASE_EXPORT_HEADER = [
    "Dossier",
    "Établissement",
    "Nom",
    "Prénom",
    "Classe",
    "Prioritaire",
    "Étape",
    "Ouvert le",
    "Orienté le",
    "Jours sans solution",
    "Suivi par",
]


def case_export_view(request):
    """The queue as CSV or XLSX; journaled as an export of pupil data."""
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    _form, cases = _filtered_cases(request)
    cases = list(cases)
    now = timezone.now()
    log_export(
        request, data=PersonalData.CASES, description="File des dossiers", fmt=fmt, rows=len(cases)
    )

    def row(case):
        pupil = case.pupil
        return [
            case.pk,
            pupil.establishment.name,
            pupil.last_name,
            pupil.first_name,
            pupil.class_label,
            ", ".join(pupil.priority_labels),
            case.get_state_display(),
            timezone.localtime(case.opened_at),
            timezone.localtime(case.referred_at) if case.referred_at else None,
            case.days_without_solution(now),
            str(case.owner) if case.owner else "",
        ]

    return export_response(fmt, "dossiers", CASE_EXPORT_HEADER, cases, row, title="Dossiers")


def _proposal_slots(request, case):
    """Free places the pôle may propose for this pupil: its pôle's published offers open to
    the pupil's level (and accessible if they need it), in the weeks of their period. The
    form lists them by distance, with the wish rank and the warnings (``internships.fit``)."""
    pupil = case.pupil
    offers = offers_visible_to(user=request.user).filter(
        bassin_id=pupil.establishment.bassin_id,
        levels__contains=[pupil.level],
        state__in=OPEN_OFFER_STATES,
    )
    if case.needs_access:
        offers = offers.filter(accessible=True)
    weeks = case.period.start_weeks() if case.period_id else []
    return (
        free_slots(offers=offers)
        .filter(week__in=weeks)
        .select_related("offer__rome")
        .order_by("offer__host__name", "week")
    )


def _manual_steps(user, case) -> list[dict]:
    """The steps the user may fire by hand on the case now, in the order of the path, with
    the reason why one is not possible yet (a referral without wishes…) instead of a button
    that would fail. The button carries the transition's verb (« Orienter vers le pôle de
    stages »), not the name of the state it reaches."""
    names = CASE_WORKFLOW.names(user, case)
    blocked = CASE_WORKFLOW.blocked(user, case)
    return [
        {
            "name": name,
            "label": CASE_WORKFLOW.transition(name).label,
            "blocked": blocked.get(name),
        }
        for name in CASE_MANUAL_STEPS
        if name in names or name in blocked
    ]


def _proposal_actions(user, proposals) -> list:
    """Each proposal with the names of what the user may do on it (confirm, cancel)."""
    for proposal in proposals:
        proposal.actions = PROPOSAL_WORKFLOW.names(user, proposal)
    return proposals


def case_detail_view(request, pk):
    """A case and its pupil: their school and the pôle that handles it; journaled."""
    case = case_get(user=request.user, pk=pk)
    log_consultation(
        request, data=PersonalData.CASE, record=case, description=f"Dossier n° {case.pk}"
    )
    hub_side = can_handle_case(request.user, case)
    context = {
        "title": f"Dossier de {case.pupil.first_name} {case.pupil.last_name}",
        "case": case,
        "pupil": case.pupil,
        "journal": case.journal.all(),
        "proposals": _proposal_actions(request.user, list(case.proposals.all())),
        "moves": _manual_steps(request.user, case),
        "days": case.days_without_solution(),
        "flagged": case.is_flagged(),
        "can_edit_search": can_edit_case_search(request.user, case),
        "is_school": is_school_of(request.user, case.pupil.establishment_id),
    }
    if hub_side:
        context["assign_form"] = AssignForm(
            initial={"owner": case.owner_id}, members=hub_members(case.hub)
        )
    if CASE_WORKFLOW.can_fire(request.user, case, "proposer"):
        context["proposal_form"] = ProposalForm(slots=_proposal_slots(request, case), case=case)
    return render(request, "internships/case_detail.html", context)


def _search_form(request, *, pupil, case=None, title: str, cancel_url: str):
    """Open a case with its search data, or correct it: the pupil's school."""
    form = CaseSearchForm(request.POST or None, instance=case, pupil=pupil)
    if request.method == "POST" and form.is_valid():
        try:
            if case is None:
                saved = case_open(user=request.user, pupil=pupil, data=form.cleaned_data)
                messages.success(request, "Le dossier de recherche de stage est ouvert.")
            else:
                saved = case_update(user=request.user, case=case, data=form.cleaned_data)
                messages.success(request, "La recherche de l'élève est enregistrée.")
            return redirect(saved)
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "internships/form.html",
        {"title": title, "form": form, "cancel_url": cancel_url},
        status=400 if form.errors else 200,
    )


def case_open_view(request, pupil_pk):
    """« Ouvrir un dossier de recherche de stage » from the pupil's page (their school)."""
    pupil = pupil_get(user=request.user, pk=pupil_pk)
    if not can_manage_pupils(request.user, pupil.establishment):
        raise PermissionDenied("Seul l'établissement de l'élève ouvre son dossier.")
    return _search_form(
        request,
        pupil=pupil,
        title=f"Ouvrir un dossier de recherche de stage : {pupil.first_name} {pupil.last_name}",
        cancel_url=pupil.get_absolute_url(),
    )


def case_edit_view(request, pk):
    """The school corrects the search data of an open case."""
    case = case_get(user=request.user, pk=pk)
    if not can_edit_case_search(request.user, case):
        raise PermissionDenied(
            "Seul l'établissement de l'élève modifie sa recherche, tant que le dossier est ouvert."
        )
    return _search_form(
        request,
        pupil=case.pupil,
        case=case,
        title=f"Recherche de stage de {case.pupil.first_name} {case.pupil.last_name}",
        cancel_url=case.get_absolute_url(),
    )


@require_POST
def case_move_view(request, pk, step):
    case = case_get(user=request.user, pk=pk)
    if step not in CASE_MANUAL_STEPS:
        raise Http404
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        case = case_move(user=request.user, case=case, step=step, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        label = CASE_WORKFLOW.state_label(case.state)
        messages.success(request, f"Le dossier passe à l'étape « {label} ».")
    return redirect(case)


@require_POST
def case_assign_view(request, pk):
    case = case_get(user=request.user, pk=pk)
    if not can_handle_case(request.user, case):
        raise PermissionDenied("Seul le pôle de stages attribue ce dossier.")
    form = AssignForm(request.POST, members=hub_members(case.hub))
    if form.is_valid():
        case_assign(user=request.user, case=case, owner=form.cleaned_data["owner"])
        messages.success(request, "Le dossier est attribué.")
    else:
        messages.error(request, "Choisissez un membre du pôle.")
    return redirect(case)


@require_POST
def proposal_send_view(request, pk):
    case = case_get(user=request.user, pk=pk)
    if not can_handle_case(request.user, case):
        raise PermissionDenied("Seul le pôle de stages envoie des propositions.")
    form = ProposalForm(request.POST, slots=_proposal_slots(request, case), case=case)
    if not form.is_valid():
        if "confirm" in form.errors:  # a warning the pôle has not confirmed (internships.fit)
            messages.error(request, " ".join(form.errors["confirm"]))
        else:
            messages.error(request, "Choisissez une offre et une semaine parmi les places libres.")
        return redirect(case)
    try:
        proposal_send(
            user=request.user,
            case=case,
            slot=form.cleaned_data["slot"],
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, "La proposition est envoyée à l'entreprise ; la place est retenue."
        )
    return redirect(case)


@require_POST
def proposal_cancel_view(request, pk):
    proposal = proposal_get(user=request.user, pk=pk)
    case = proposal.case
    if not (
        can_handle_case(request.user, case)
        or is_school_of(request.user, case.pupil.establishment_id)
    ):
        raise PermissionDenied("Vous ne pouvez pas annuler cette proposition.")
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        proposal_cancel(user=request.user, proposal=proposal, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La proposition est annulée ; la place est libérée.")
    return redirect(case)


@require_POST
def proposal_confirm_view(request, pk):
    proposal = proposal_get(user=request.user, pk=pk)
    if not is_school_of(request.user, proposal.case.pupil.establishment_id):
        raise PermissionDenied("Seul l'établissement de l'élève confirme le stage.")
    try:
        proposal_confirm(user=request.user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Le stage est confirmé : la convention est prête à imprimer.")
    return redirect(proposal.case)


def _agreement_file(request, pk, render):
    """The convention de stage of a placement (pupil data: school and pôle only); what it
    still lacks is said in French on the case's page instead of a document with blanks."""
    proposal = proposal_get(user=request.user, pk=pk)
    case = proposal.case
    if not proposal.is_confirmed:
        raise Http404
    if not (
        is_school_of(request.user, case.pupil.establishment_id)
        or can_handle_case(request.user, case)
    ):
        raise PermissionDenied("La convention de stage est remise par l'établissement.")
    try:
        rendered = render(proposal.placement)
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect(case)
    log_export(
        request,
        data=PersonalData.INTERNSHIP_AGREEMENT,
        description=f"Convention de stage du dossier n° {case.pk}",
        fmt=rendered.filename.rsplit(".", 1)[1],
        rows=1,
        record=case,
    )
    response = HttpResponse(rendered.content, content_type=rendered.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def agreement_pdf_view(request, pk):
    return _agreement_file(request, pk, agreement_pdf)


def agreement_docx_view(request, pk):
    return _agreement_file(request, pk, agreement_docx)


@require_POST
def confidentiality_record_view(request, pk):
    """The school records the confidentiality undertaking signed with the convention."""
    proposal = proposal_get(user=request.user, pk=pk)
    if not proposal.is_confirmed:
        raise Http404
    try:
        placement_confidentiality_record(user=request.user, placement=proposal.placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "L'engagement de confidentialité de l'élève est enregistré.")
    return redirect(proposal.case)


def proposal_list_view(request):
    """Proposals: those of the user's cases, or those addressed to their organisation (first
    name and class only)."""
    state = request.GET.get("state", "")
    queryset = proposal_list(user=request.user).order_by("-sent_at", "-pk")
    if state in ProposalState.values:
        queryset = queryset.filter(state=state)
    page = paginate(request, queryset)
    visible_cases = set(
        cases_visible_to(user=request.user)
        .filter(pk__in=[p.case_id for p in page])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "internships/proposal_list.html",
        {
            "title": "Propositions de stage",
            "page_obj": page,
            "visible_cases": visible_cases,
            "states": ProposalState.choices,
            "state": state,
            "levels": dict(SchoolLevel.choices),
        },
    )


def hub_list_view(request):
    hubs = hubs_visible_to(user=request.user).order_by("bassin__academie__name", "name")
    page = paginate(request, hubs)
    editable = {hub.pk for hub in page if can_manage_hub(request.user, hub)}
    return render(
        request,
        "internships/hub_list.html",
        {
            "title": "Pôles de stages",
            "page_obj": page,
            "editable": editable,
            "can_create": can_manage_some_hub(request.user),
        },
    )


def hub_edit_view(request, pk):
    hub = hub_get(user=request.user, pk=pk)
    if not can_manage_hub(request.user, hub):
        raise PermissionDenied("Vous ne pouvez pas modifier ce pôle.")
    form = HubForm(request.POST or None, instance=hub)
    if request.method == "POST" and form.is_valid():
        try:
            hub_update(user=request.user, hub=hub, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Le pôle est enregistré.")
            return redirect("internships:hub_list")
    return render(
        request,
        "internships/form.html",
        {"title": f"Modifier « {hub.name} »", "form": form, "cancel_url": "/stages/poles/"},
        status=400 if form.errors else 200,
    )
