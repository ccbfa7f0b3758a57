"""Pages of the conventions that read: list and exports, detail (consolidated, with the
actions the user may take), frozen versions and the « Échéances » page. Writing pages:
``views_drafting`` (creation, the draft), ``views_lifecycle`` (transitions, avenants,
declinations), ``views_files`` (documents, signed scans); the iCal feed: ``calendar``."""

from collections import Counter

from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from relais.agreements.consolidation import CLAUSE_FIELDS, consolidate, key_dates, planned_terms
from relais.agreements.deadline_events import DeadlineKind
from relais.agreements.documents import CEE_FIELD_LABELS, missing
from relais.agreements.enums import Transition
from relais.agreements.letters import clause_words, ending_letters
from relais.agreements.models import Agreement, Signatory
from relais.agreements.perms import can_create
from relais.agreements.selectors import agreement_list, due_dates, due_items, partner_choices
from relais.agreements.states import state_on
from relais.agreements.workflows import AGREEMENT_WORKFLOW, AgreementActions, agreement_actions
from relais.reporting import valorisation
from relais.www.lists import export_response, paginate

from . import forms
from .views_common import visible

# --- list and exports ---------------------------------------------------------------------


def _filtered(request):
    selected = request.GET.get("partner", "")
    selected = int(selected) if selected.isdigit() and len(selected) < 19 else None
    partners = partner_choices(request.user, selected=selected)
    form = forms.AgreementFilterForm(request.GET or None, partners=partners)
    data = form.cleaned_data if form.is_valid() else {}
    queryset = agreement_list(
        request.user,
        query=data.get("q", ""),
        state=data.get("state", ""),
        kind=data.get("kind", ""),
        scope=data.get("scope", ""),
        partner_id=int(data["partner"]) if data.get("partner") else None,
        ends_within_days=int(data["ends_within"]) if data.get("ends_within") else None,
    )
    return form, queryset


def agreement_list_view(request):
    form, queryset = _filtered(request)
    # The avenants: each row's state is computed on read with their clause changes.
    page = paginate(request, queryset.prefetch_related("parties", "avenants"))
    for agreement in page.object_list:
        agreement.day_state = state_on(agreement)
    return render(
        request,
        "agreements/list.html",
        {
            "title": "Conventions de partenariat",
            "filter": {"form": form},
            "page_obj": page,
            "can_create": can_create(request.user),
            "query_string": request.GET.urlencode(),
        },
    )


EXPORT_HEADER = [
    "Numéro",
    "Intitulé",
    "Type",
    "Avenant à",
    "Périmètre",
    "Territoire",
    "État",
    "Parties",
    "Signée le",
    "Entrée en vigueur",
    "Durée (mois)",
    "Reconduction tacite",
    "Fin de la période en cours",
    "Date limite de dénonciation",
    "Fin après résiliation",
    "Convention déclinée de",
]


def _export_row(a):
    return [
        a.number,
        a.title,
        a.get_kind_display(),
        a.amends.number if a.amends_id else "",
        a.get_scope_display(),
        a.territory_label,
        state_on(a).text,
        " ; ".join(p.name for p in a.parties.all()),
        a.signed_on,
        a.start_date,
        a.duration_months,
        "oui" if a.tacit_renewal else "non",
        a.current_end,
        a.next_notice_deadline,
        a.terminated_on,
        a.parent.number if a.parent_id else "",
    ]


def agreement_export_view(request, fmt):
    _, queryset = _filtered(request)
    rows = queryset.select_related("parent").prefetch_related("parties", "avenants")
    return export_response(
        fmt, "conventions", EXPORT_HEADER, rows, _export_row, title="Conventions"
    )


# --- detail ---------------------------------------------------------------------------------


def with_avenants(agreement: Agreement) -> Agreement:
    """Prefetch the avenants with what consolidation reads (articles, parties, signatories,
    commitments): a constant number of queries whatever the number of avenants."""
    prefetch_related_objects(
        [agreement],
        Prefetch(
            "avenants",
            queryset=Agreement.objects.order_by("created_at").prefetch_related(
                "articles",
                "parties",
                Prefetch("signatories", queryset=Signatory.objects.select_related("party")),
                "commitments__party",
            ),
        ),
    )
    return agreement


# The transitions fired from a page of their own (a signature: the form of its row), with
# the button's style.
TRANSITION_PAGES = {
    Transition.SEND_FOR_SIGNATURE: ("agreements:send", "fr-btn--secondary"),
    Transition.BACK_TO_DRAFT: ("agreements:back_to_draft", "fr-btn--secondary"),
    Transition.NON_RENEWAL: ("agreements:end", "fr-btn--tertiary"),
    Transition.TERMINATE: ("agreements:terminate", "fr-btn--tertiary"),
    Transition.BREACH: ("agreements:end", "fr-btn--tertiary"),
    Transition.MUTUAL: ("agreements:end", "fr-btn--tertiary"),
    Transition.WITHDRAWAL: ("agreements:withdraw", "fr-btn--tertiary"),
    Transition.ABANDON: ("agreements:abandon", "fr-btn--tertiary"),
}
ENDING_STEPS = {Transition.NON_RENEWAL, Transition.BREACH, Transition.MUTUAL}


def _buttons(agreement: Agreement, actions: AgreementActions) -> list[dict]:
    """The action buttons of the detail page, in this order: what the user may do now."""

    def button(label, url_name, style=""):
        return {"label": label, "url": reverse(url_name, args=[agreement.pk]), "style": style}

    def transition(name):
        url_name, style = TRANSITION_PAGES[name]
        label = AGREEMENT_WORKFLOW.transition(name).label
        if name in ENDING_STEPS:
            url = reverse(url_name, args=[agreement.pk, name])
            return {"label": label, "url": url, "style": style}
        return button(label, url_name, style)

    buttons = []
    if actions.edit:
        edit_style = "fr-icon-edit-line fr-btn--icon-left"
        buttons.append(button("Modifier le texte et les clauses", "agreements:edit", edit_style))
    if actions.amend:
        buttons.append(button("Rédiger un avenant", "agreements:avenant"))
    if actions.decline:
        buttons.append(button("Décliner localement", "agreements:decline", "fr-btn--secondary"))
    for name in (Transition.SEND_FOR_SIGNATURE, Transition.BACK_TO_DRAFT):
        if actions.can(name):
            buttons.append(transition(name))
    if actions.add_scan:
        buttons.append(button("Déposer le scan signé", "agreements:scan_add", "fr-btn--secondary"))
    endings = (
        Transition.NON_RENEWAL,
        Transition.TERMINATE,
        Transition.BREACH,
        Transition.MUTUAL,
        Transition.WITHDRAWAL,
        Transition.ABANDON,
    )
    for name in endings:
        if actions.can(name):
            buttons.append(transition(name))
    return buttons


def _blocked(request, agreement: Agreement) -> list[tuple[str, str]]:
    """The transitions of the page that the user could fire from this state but whose guard
    refuses now, with the French reason (a draft not ready to be sent for signature)."""
    reasons = AGREEMENT_WORKFLOW.blocked(request.user, agreement)
    return [
        (AGREEMENT_WORKFLOW.transition(name).label, reason)
        for name, reason in reasons.items()
        if name in TRANSITION_PAGES
    ]


def agreement_detail_view(request, pk):
    """The convention consolidated on a day (« version au … », ``?on=``; today by
    default): the avenants in force that day, its parties then, its state and dates then."""
    agreement = with_avenants(visible(request, pk))
    today = timezone.localdate()
    on_form = forms.ReferenceDateForm(request.GET or None)
    on = on_form.day() or today
    consolidated = consolidate(agreement, on=on)
    dates = key_dates(agreement, on=on, clauses=consolidated.clauses)
    agreement.day_state = state_on(agreement, on=on, clauses=consolidated.clauses)
    actions = agreement_actions(request.user, agreement)
    journal = list(agreement.journal.all())
    avenants = list(agreement.avenants.all())
    for avenant in avenants:  # an avenant's own clauses: no query per avenant
        own = {name: getattr(avenant, name) for name in CLAUSE_FIELDS}
        avenant.day_state = state_on(avenant, on=on, clauses=own)
    context = {
        "title": str(agreement),
        "agreement": agreement,
        "consolidated": consolidated,
        "on": on,
        "on_form": on_form,
        "is_today": on == today,
        "public_page": on == today and valorisation.is_published(agreement, agreement.day_state),
        "clause_words": clause_words(agreement, consolidated.clauses),
        "letters": ending_letters(agreement, journal),
        "dates": dates,
        "planned": planned_terms(agreement) if agreement.start_date is None else None,
        "actions": actions,
        "buttons": _buttons(agreement, actions),
        "blocked": _blocked(request, agreement),
        "can_sign": actions.can(Transition.SIGN),
        "avenants": avenants,
        "children": agreement.children.order_by("number"),
        "versions": agreement.versions.all(),
        "journal": journal,
        "scans": agreement.scans.select_related("uploaded_by"),
        **_missing_fields(agreement, consolidated),
        "signature_form": forms.SignatureForm(initial={"signed_on": today}),
    }
    return render(request, "agreements/detail.html", context)


def _missing_fields(agreement: Agreement, consolidated) -> dict:
    """The model's fields still empty, and whether the page « Compléter les champs du
    modèle » has one of them (the others come from the parties and signatories: completed on
    this page, never through a form with no field)."""
    gaps = [] if agreement.is_abandoned else missing(agreement, consolidated=consolidated)
    return {
        "missing_fields": gaps,
        "fillable_fields": any(name in CEE_FIELD_LABELS for name, _ in gaps),
    }


def agreement_version_view(request, pk, number):
    agreement = visible(request, pk)
    version = get_object_or_404(agreement.versions, number=number)
    return render(
        request,
        "agreements/version.html",
        {
            "title": f"{agreement.number} — version {version.number}",
            "agreement": agreement,
            "version": version,
        },
    )


# --- deadlines ------------------------------------------------------------------------------


DEADLINES_PER_PAGE = 50


def _counted(count: int, one: str, several: str) -> str:
    return f"{count} {one if count < 2 else several}"


def deadlines_view(request):
    """The deadlines of the chosen horizon, 50 a page, by date; filtered by kind of deadline
    and by scope (kept from page to page). Every deadline is counted (the figures by kind
    above the table, each a link to its filter), but only the conventions of the page are
    read and shown."""
    form = forms.DeadlinesForm(request.GET or None)
    filters = form.filters()
    due = due_dates(request.user, days=filters["days"], scope=filters["scope"])
    by_kind = Counter(item.deadline.kind for item in due)
    summary = []
    for kind, (_, one, several) in forms.DEADLINE_KINDS.items():
        query = request.GET.copy()
        query.pop("page", None)
        query["kind"] = kind.value
        summary.append(
            {
                "text": _counted(by_kind[kind], one, several),
                "url": f"?{query.urlencode()}",
                "current": filters["kind"] == kind,
            }
        )
    total = len(due)
    if filters["kind"]:
        due = [item for item in due if item.deadline.kind == filters["kind"]]
        _, one, several = forms.DEADLINE_KINDS[DeadlineKind(filters["kind"])]
        found = _counted(len(due), one, several)
    else:
        found = _counted(total, "échéance", "échéances")
    page = paginate(request, due, per_page=DEADLINES_PER_PAGE)
    page.object_list = due_items(page.object_list)
    return render(
        request,
        "agreements/deadlines.html",
        {
            "title": "Échéances des conventions",
            "form": form,
            **filters,
            "found": found,
            "total": _counted(total, "échéance", "échéances"),
            "summary": summary,
            "page_obj": page,
            "items": page.object_list,
        },
    )
