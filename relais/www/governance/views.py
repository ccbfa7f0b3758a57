"""Pages of the governance area: bodies (instances), their members and meetings, minutes,
decisions, action items, the compliance page and the exports. Annual reports are in
``reports.py``."""

from types import SimpleNamespace

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.agreements.models import Agreement
from relais.core.school_years import school_year_label, school_year_of
from relais.core.uploads import limit_uploads, pdf_max_bytes
from relais.governance import rules, selectors, services
from relais.governance.models import ActionItem, Body, BodyMember, Decision, Meeting
from relais.governance.perms import can_create_body, can_manage_body
from relais.governance.workflows import MEETING_WORKFLOW
from relais.www.forms import add_errors, upload_form_is_valid
from relais.www.lists import export_response, paginate

from .forms import (
    ActionItemForm,
    AttendanceForm,
    BodyFilterForm,
    BodyForm,
    DecisionForm,
    MeetingForm,
    MemberForm,
    MinutesForm,
)


def school_year_param(request) -> int:
    """« ?annee=2025 » (the school year 2025-2026); the current school year by default."""
    current = school_year_of(timezone.localdate())
    try:
        year = int(request.GET.get("annee", current))
    except ValueError:
        return current
    return year if 2000 <= year <= current + 1 else current


def year_choices(current: int) -> list[tuple[int, str]]:
    return [(y, school_year_label(y)) for y in range(current + 1, current - 5, -1)]


def _body(request, pk) -> Body:
    try:
        return selectors.body_get(request.user, pk)
    except Body.DoesNotExist as exc:
        raise Http404("Instance introuvable.") from exc


def _meeting(request, pk) -> Meeting:
    try:
        return selectors.meeting_get(request.user, pk)
    except Meeting.DoesNotExist as exc:
        raise Http404("Réunion introuvable.") from exc


def _require_manager(request, body: Body) -> None:
    if not can_manage_body(request.user, body):
        raise PermissionDenied("Seule l'équipe qui anime cette instance peut la modifier.")


# --- bodies ----------------------------------------------------------------------------


def _filtered_bodies(request):
    conventions = Agreement.objects.filter(
        pk__in=selectors.bodies_visible_to(request.user).values("agreement_id")
    ).order_by("number")
    form = BodyFilterForm(request.GET or None, conventions=conventions)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.body_list(
        request.user, agreement_id=data.get("convention"), kind=data.get("kind", "")
    )
    today = timezone.localdate()
    year = school_year_of(today)
    if data.get("conformite"):
        queryset = selectors.filter_by_compliance(
            queryset, data["conformite"], school_year=year, today=today
        )
    return form, queryset, year, today


def body_list_view(request):
    form, queryset, year, today = _filtered_bodies(request)
    page = paginate(request, queryset)
    page.object_list = selectors.attach_compliance(page.object_list, school_year=year, today=today)
    return render(
        request,
        "governance/body_list.html",
        {
            "title": "Instances de gouvernance",
            "filter": SimpleNamespace(form=form),
            "page_obj": page,
            "school_year": school_year_label(year),
            "can_create": can_create_body(request.user),
        },
    )


BODY_HEADER = [
    "Instance",
    "Type",
    "Convention",
    "Club",
    "Académie",
    "Règle de réunion",
    "Texte de la règle",
    "Dernière réunion tenue",
    "Prochaine réunion",
    "Conformité (année en cours)",
    "Motifs",
]


def _body_row(body):
    verdict = body.compliance
    return [
        body.name,
        body.get_kind_display(),
        str(body.agreement) if body.agreement else "",
        body.club.name if body.club else "",
        body.academie.name if body.academie else "",
        rules.rule_label(body.min_meetings_per_year, body.required_months),
        body.rule_text,
        timezone.localtime(body.last_held) if body.last_held else None,
        timezone.localtime(body.next_planned) if body.next_planned else None,
        verdict.label if verdict else "Sans objet",
        " ".join(verdict.reasons) if verdict else "",
    ]


def body_export_view(request, fmt):
    _form, queryset, year, today = _filtered_bodies(request)
    bodies = selectors.attach_compliance(queryset, school_year=year, today=today)
    return export_response(fmt, "instances", BODY_HEADER, bodies, _body_row, title="Instances")


MEETING_HEADER = [
    "Instance",
    "Convention ou club",
    "Date",
    "Lieu",
    "Statut",
    "Ordre du jour",
    "Compte rendu",
    "Compte rendu envoyé le",
]


def _meeting_row(meeting):
    body = meeting.body
    return [
        body.name,
        str(body.agreement) if body.agreement else (body.club.name if body.club else ""),
        timezone.localtime(meeting.starts_at),
        meeting.place,
        meeting.get_state_display(),
        meeting.agenda,
        "oui" if meeting.has_minutes else "non",
        timezone.localtime(meeting.minutes_sent_at) if meeting.minutes_sent_at else None,
    ]


def meeting_export_view(request, fmt):
    rows = selectors.meeting_list(request.user).iterator(chunk_size=1000)
    return export_response(fmt, "reunions", MEETING_HEADER, rows, _meeting_row, title="Réunions")


def body_detail_view(request, pk):
    body = _body(request, pk)
    today = timezone.localdate()
    year = school_year_of(today)
    meetings = list(body.meetings.all())
    held = [timezone.localdate(m.starts_at) for m in meetings if m.is_held]
    items = list(selectors.action_items_of_body(body))
    return render(
        request,
        "governance/body_detail.html",
        {
            "title": body.name,
            "body": body,
            "members": [m for m in body.members.all() if m.active],
            "former_members": [m for m in body.members.all() if not m.active],
            "meetings": meetings,
            "rule": rules.rule_label(body.min_meetings_per_year, body.required_months),
            "compliance": selectors.body_compliance(body, held, school_year=year, today=today),
            "school_year": school_year_label(year),
            "overdue": [i for i in items if not i.done_on and i.due_date and i.due_date < today],
            "open_items": [
                i for i in items if not i.done_on and not (i.due_date and i.due_date < today)
            ],
            "can_manage": can_manage_body(request.user, body),
        },
    )


def body_create_view(request):
    if not can_create_body(request.user):
        raise PermissionDenied("Vous ne pouvez pas créer d'instance.")
    initial = {}
    if request.GET.get("convention", "").isdigit():
        initial["agreement"] = int(request.GET["convention"])
    if request.GET.get("club", "").isdigit():
        initial["club"] = int(request.GET["club"])
    form = BodyForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            body = services.body_create(
                user=request.user,
                data=data,
                agreement=data.pop("agreement", None),
                club=data.pop("club", None),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"L'instance « {body.name} » a été créée.")
            return redirect(body)
    return _form_page(request, form, "Nouvelle instance", cancel=None)


def body_edit_view(request, pk):
    body = _body(request, pk)
    _require_manager(request, body)
    form = BodyForm(request.POST or None, instance=body, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.body_update(user=request.user, body=body, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Les modifications ont été enregistrées.")
            return redirect(body)
    return _form_page(request, form, f"Modifier « {body.name} »", cancel=body.get_absolute_url())


def _form_page(request, form, title, *, cancel, multipart=False, intro=""):
    return render(
        request,
        "governance/form.html",
        {
            "title": title,
            "form": form,
            "cancel_url": cancel,
            "multipart": multipart,
            "intro": intro,
        },
        status=400 if form.errors else 200,
    )


def member_add_view(request, pk):
    body = _body(request, pk)
    _require_manager(request, body)
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_add(user=request.user, body=body, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{member.full_name} est membre de l'instance.")
            return redirect(body)
    return _form_page(
        request, form, f"Ajouter un membre — {body.name}", cancel=body.get_absolute_url()
    )


@require_POST
def member_remove_view(request, pk):
    try:
        member = BodyMember.objects.select_related("body__agreement", "body__club").get(
            pk=pk, body__in=selectors.bodies_visible_to(request.user).values("pk")
        )
    except BodyMember.DoesNotExist as exc:
        raise Http404("Membre introuvable.") from exc
    try:
        services.member_remove(user=request.user, member=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.full_name} ne fait plus partie de l'instance.")
    return redirect(member.body)


# --- meetings --------------------------------------------------------------------------


def meeting_create_view(request, pk):
    body = _body(request, pk)
    _require_manager(request, body)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_plan(user=request.user, body=body, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "La réunion est planifiée.")
            return redirect(meeting)
    return _form_page(
        request, form, f"Planifier une réunion — {body.name}", cancel=body.get_absolute_url()
    )


def meeting_edit_view(request, pk):
    meeting = _meeting(request, pk)
    _require_manager(request, meeting.body)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(user=request.user, meeting=meeting, data=form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "La réunion a été modifiée.")
            return redirect(meeting)
    return _form_page(
        request,
        form,
        f"Modifier la réunion — {meeting.body.name}",
        cancel=meeting.get_absolute_url(),
    )


def meeting_detail_view(request, pk):
    meeting = _meeting(request, pk)
    body = meeting.body
    manager = can_manage_body(request.user, body)
    today = timezone.localdate()
    members = list(body.members.all())
    attendance = {a.member_id: a for a in meeting.attendances.all()}
    current = {member_id: a.status for member_id, a in attendance.items()}
    items = list(meeting.action_items.all())
    for item in items:
        item.overdue = not item.done_on and item.due_date and item.due_date < today
    # What this user may do now: the workflow's transitions (« tenir » not before the day),
    # and the records a held meeting takes (services refuse the same).
    moves = MEETING_WORKFLOW.names(request.user, meeting, today=today)
    context = {
        "title": f"{body.name} — réunion du {timezone.localtime(meeting.starts_at):%d/%m/%Y}",
        "meeting": meeting,
        "body": body,
        "members": [(m, attendance.get(m.pk)) for m in members],
        "decisions": list(meeting.decisions.all()),
        "action_items": items,
        "can_manage": manager,
        "can_hold": "tenir" in moves,
        "can_cancel": "annuler" in moves,
        "can_replan": "replanifier" in moves,
        "can_record": manager and meeting.is_held,
        "records_later": manager and meeting.is_planned,
        "can_add_action": manager and not meeting.is_cancelled,
        "recipients": services.minutes_recipients(meeting),
        "user_email": (request.user.email or "").lower(),
    }
    if manager:
        context |= {
            "attendance_form": AttendanceForm(members=members, current=current),
            "minutes_form": MinutesForm(initial={"minutes_text": meeting.minutes_text}),
            "decision_form": DecisionForm(),
            "action_form": ActionItemForm(),
        }
    return render(request, "governance/meeting_detail.html", context)


def _meeting_for_change(request, pk) -> Meeting:
    meeting = _meeting(request, pk)
    _require_manager(request, meeting.body)
    return meeting


def _run(request, meeting, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(meeting)


@require_POST
def meeting_hold_view(request, pk):
    meeting = _meeting_for_change(request, pk)
    return _run(
        request,
        meeting,
        lambda: services.meeting_mark_held(user=request.user, meeting=meeting),
        "La réunion est enregistrée comme tenue : notez les présences et le compte rendu.",
    )


@require_POST
def meeting_cancel_view(request, pk):
    meeting = _meeting_for_change(request, pk)
    return _run(
        request,
        meeting,
        lambda: services.meeting_cancel(
            user=request.user, meeting=meeting, note=request.POST.get("note", "")
        ),
        "La réunion est annulée.",
    )


@require_POST
def meeting_replan_view(request, pk):
    meeting = _meeting_for_change(request, pk)
    return _run(
        request,
        meeting,
        lambda: services.meeting_replan(user=request.user, meeting=meeting),
        "La réunion est de nouveau prévue.",
    )


@require_POST
def meeting_attendance_view(request, pk):
    meeting = _meeting_for_change(request, pk)
    form = AttendanceForm(request.POST, members=list(meeting.body.members.all()), current={})
    if not form.is_valid():
        messages.error(request, "Présences invalides : rien n'a été enregistré.")
        return redirect(meeting)
    return _run(
        request,
        meeting,
        lambda: services.attendance_record(
            user=request.user, meeting=meeting, statuses=form.statuses()
        ),
        "Les présences sont enregistrées.",
    )


@limit_uploads(pdf_max_bytes)
def meeting_minutes_view(request, pk):
    meeting = _meeting_for_change(request, pk)
    form = MinutesForm(
        request.POST or None, request.FILES or None, initial={"minutes_text": meeting.minutes_text}
    )
    if request.method == "POST" and upload_form_is_valid(request, form, "minutes_file"):
        try:
            services.minutes_save(
                user=request.user,
                meeting=meeting,
                text=form.cleaned_data["minutes_text"],
                upload=form.cleaned_data["minutes_file"] or None,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Le compte rendu est enregistré.")
            return redirect(meeting)
    return _form_page(
        request,
        form,
        f"Compte rendu — {meeting.body.name}",
        cancel=meeting.get_absolute_url(),
        multipart=True,
        intro="Écrivez le compte rendu ou déposez-le en PDF. Une fois envoyé aux membres, "
        "il ne change plus.",
    )


def meeting_minutes_file_view(request, pk):
    meeting = _meeting(request, pk)
    if not meeting.minutes_file:
        raise Http404("Pas de compte rendu en PDF.")
    name = f"compte-rendu-{timezone.localdate(meeting.starts_at):%Y-%m-%d}.pdf"
    return FileResponse(meeting.minutes_file.open("rb"), as_attachment=True, filename=name)


@require_POST
def meeting_send_minutes_view(request, pk):
    meeting = _meeting_for_change(request, pk)
    try:
        recipients = services.minutes_send(user=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Le compte rendu a été envoyé à {len(recipients)} membre"
            f"{'s' if len(recipients) > 1 else ''}.",
        )
    return redirect(meeting)


@require_POST
def decision_add_view(request, pk):
    meeting = _meeting_for_change(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Écrivez la décision.")
        return redirect(meeting)
    return _run(
        request,
        meeting,
        lambda: services.decision_add(
            user=request.user, meeting=meeting, text=form.cleaned_data["text"]
        ),
        "La décision est notée.",
    )


@require_POST
def decision_remove_view(request, pk):
    try:
        decision = Decision.objects.select_related(
            "meeting__body__agreement", "meeting__body__club"
        ).get(pk=pk, meeting__in=selectors.meetings_visible_to(request.user).values("pk"))
    except Decision.DoesNotExist as exc:
        raise Http404("Décision introuvable.") from exc
    _require_manager(request, decision.meeting.body)
    return _run(
        request,
        decision.meeting,
        lambda: services.decision_remove(user=request.user, decision=decision),
        "La décision est supprimée.",
    )


@require_POST
def action_add_view(request, pk):
    meeting = _meeting_for_change(request, pk)
    form = ActionItemForm(request.POST)
    if not form.is_valid():
        errors = "; ".join(
            f"{form.fields[k].label} : {' '.join(v)}" for k, v in form.errors.items()
        )
        messages.error(request, f"Action non enregistrée — {errors}")
        return redirect(meeting)
    return _run(
        request,
        meeting,
        lambda: services.action_item_add(user=request.user, meeting=meeting, **form.cleaned_data),
        "L'action est notée.",
    )


@require_POST
def action_done_view(request, pk):
    try:
        item = ActionItem.objects.select_related(
            "meeting__body__agreement", "meeting__body__club"
        ).get(pk=pk, meeting__in=selectors.meetings_visible_to(request.user).values("pk"))
    except ActionItem.DoesNotExist as exc:
        raise Http404("Action introuvable.") from exc
    try:
        services.action_item_mark_done(user=request.user, item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "L'action est marquée comme réalisée.")
    target = request.POST.get("next", "")
    if target.startswith("/instances/") and "//" not in target:
        return redirect(target)
    return redirect(item.meeting)


# --- compliance ------------------------------------------------------------------------


def compliance_view(request):
    today = timezone.localdate()
    current = school_year_of(today)
    year = school_year_param(request)
    overview = selectors.compliance_overview(request.user, school_year=year, today=today)
    mine = list(selectors.my_action_items(request.user))
    for item in mine:
        item.overdue = bool(item.due_date and item.due_date < today)
    return render(
        request,
        "governance/compliance.html",
        {
            "title": "Conformité des instances",
            "overview": overview,
            "school_year": year,
            "school_year_label": school_year_label(year),
            "report_year_label": school_year_label(overview.report_year),
            "years": year_choices(current),
            "my_items": mine,
            "today": today,
        },
    )
