"""Pages of the conventions: list, detail (consolidated), drafting, the state machine's
actions, avenants, documents, signed scans, the « Échéances » page and the iCal feed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.agreements import services
from relais.agreements.consolidation import consolidate, key_dates, planned_terms
from relais.agreements.documents import (
    CEE_FIELD_LABELS,
    convention_docx,
    convention_pdf,
    missing,
)
from relais.agreements.enums import AgreementKind, AgreementState
from relais.agreements.models import Agreement, Article, Commitment, Party, Signatory
from relais.agreements.perms import can_create, can_manage
from relais.agreements.selectors import (
    agreement_get,
    agreement_list,
    partner_choices,
    upcoming_deadlines,
)
from relais.core.uploads import limit_uploads, pdf_max_bytes
from relais.documents.rendering import DocumentError
from relais.www.forms import add_errors, upload_form_is_valid
from relais.www.lists import export_response, paginate

from . import forms


def _get(request, pk) -> Agreement:
    try:
        return agreement_get(request.user, pk)
    except Agreement.DoesNotExist as exc:
        raise Http404("Convention introuvable.") from exc


def _managed(request, pk) -> Agreement:
    agreement = _get(request, pk)
    if not can_manage(request.user, agreement):
        raise PermissionDenied("Seule l'équipe académique du périmètre gère cette convention.")
    return agreement


def _form_page(request, form, *, title, back, submit="Enregistrer", intro="", agreement=None):
    return render(
        request,
        "agreements/form.html",
        {
            "title": title,
            "form": form,
            "back_url": back,
            "submit_label": submit,
            "intro": intro,
            "agreement": agreement,
        },
        status=400 if form.errors else 200,
    )


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
    page = paginate(request, queryset.prefetch_related("parties"))
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
        a.get_state_display(),
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
    rows = queryset.select_related("parent").prefetch_related("parties")
    return export_response(
        fmt, "conventions", EXPORT_HEADER, rows, _export_row, title="Conventions"
    )


# --- detail ---------------------------------------------------------------------------------


def _with_avenants(agreement: Agreement) -> Agreement:
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


def agreement_detail_view(request, pk):
    agreement = _with_avenants(_get(request, pk))
    consolidated = consolidate(agreement)
    today = timezone.localdate()
    dates = key_dates(agreement, on=today, clauses=consolidated.clauses)
    manage = can_manage(request.user, agreement)
    context = {
        "title": str(agreement),
        "agreement": agreement,
        "consolidated": consolidated,
        "dates": dates,
        "planned": planned_terms(agreement) if agreement.start_date is None else None,
        "can_manage": manage,
        "avenants": agreement.avenants.all(),
        "children": agreement.children.order_by("number"),
        "versions": agreement.versions.all(),
        "journal": agreement.transitions.select_related("by"),
        "scans": agreement.scans.select_related("uploaded_by"),
        "missing_fields": []
        if agreement.state == AgreementState.ABANDONED
        else missing(agreement, consolidated=consolidated),
        "signature_form": forms.SignatureForm(initial={"signed_on": today}),
    }
    return render(request, "agreements/detail.html", context)


def agreement_version_view(request, pk, number):
    agreement = _get(request, pk)
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


# --- creation and drafting ------------------------------------------------------------------


def agreement_create_view(request):
    if not can_create(request.user):
        raise PermissionDenied("Seule l'équipe académique crée des conventions.")
    form = forms.AgreementCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_create(
                user=request.user,
                title=data["title"],
                kind=data["kind"],
                scope=data["scope"],
                academic_region=data.get("academic_region"),
                academie=data.get("academie"),
                bassin=data.get("bassin"),
                establishment=data.get("establishment"),
                supersedes=data.get("supersedes"),
            )
            messages.success(request, f"Le brouillon {agreement.number} est créé.")
            return redirect(agreement)
        except ValidationError as error:
            add_errors(form, error)
    return _form_page(
        request,
        form,
        title="Nouvelle convention",
        back="/conventions/",
        submit="Créer le brouillon",
        intro="Choisissez le périmètre puis le territoire correspondant. Une convention "
        "conseillers entreprises pour l'école est conclue pour trois ans (art. D. 331-66).",
    )


def agreement_edit_view(request, pk):
    agreement = _managed(request, pk)
    form = forms.AgreementEditForm(request.POST or None, instance=agreement)
    clauses = forms.ClauseChangesForm(
        request.POST or None, prefix="avenant", initial=agreement.clause_changes
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and (not agreement.is_avenant or clauses.is_valid())
    ):
        data = {name: form.cleaned_data[name] for name in form.fields}
        if agreement.is_avenant:
            data["clause_changes"] = clauses.changes()
        try:
            services.agreement_update(user=request.user, agreement=agreement, data=data)
            messages.success(request, "Les modifications sont enregistrées.")
            return redirect(agreement)
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "agreements/edit.html",
        {
            "title": f"Modifier {agreement.number}",
            "form": form,
            "clauses_form": clauses if agreement.is_avenant else None,
            "agreement": agreement,
        },
        status=400 if form.errors else 200,
    )


# Child objects of a draft: (model, form, save service, remove service, label).
CHILDREN = {
    "parties": (Party, forms.PartyForm, services.party_save, services.party_remove, "partie"),
    "signataires": (
        Signatory,
        forms.SignatoryForm,
        services.signatory_save,
        services.signatory_remove,
        "signataire",
    ),
    "articles": (
        Article,
        forms.ArticleForm,
        services.article_save,
        services.article_remove,
        "article",
    ),
    "engagements": (
        Commitment,
        forms.CommitmentForm,
        services.commitment_save,
        services.commitment_remove,
        "engagement",
    ),
}
SAVE_ARG = {"parties": "party", "signataires": "signatory", "articles": "article",
            "engagements": "commitment"}  # fmt: skip


def child_edit_view(request, pk, kind, child_pk=None):
    """Add (``child_pk`` None) or change a party, signatory, article or commitment."""
    if kind not in CHILDREN:
        raise Http404
    agreement = _managed(request, pk)
    model, form_class, save, _, label = CHILDREN[kind]
    instance = get_object_or_404(model, pk=child_pk, agreement=agreement) if child_pk else None
    extra = {"user": request.user} if kind == "parties" else {"agreement": agreement}
    form = form_class(request.POST or None, instance=instance, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            save(
                user=request.user,
                agreement=agreement,
                data=form.cleaned_data,
                **{SAVE_ARG[kind]: instance},
            )
            messages.success(request, f"{label.capitalize()} enregistré(e).")
            return redirect(agreement)
        except ValidationError as error:
            add_errors(form, error)
    verb = "Modifier" if instance else "Ajouter"
    return _form_page(
        request,
        form,
        title=f"{verb} un(e) {label} — {agreement.number}",
        back=agreement.get_absolute_url(),
        agreement=agreement,
    )


@require_POST
def child_remove_view(request, pk, kind, child_pk):
    if kind not in CHILDREN:
        raise Http404
    agreement = _managed(request, pk)
    model, _, _, remove, label = CHILDREN[kind]
    child = get_object_or_404(model, pk=child_pk, agreement=agreement)
    try:
        remove(user=request.user, **{SAVE_ARG[kind]: child})
        messages.success(request, f"{label.capitalize()} supprimé(e).")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(agreement)


def template_fields_view(request, pk):
    """Complete the « [à compléter] » fields of the Word template (CEE model)."""
    agreement = _managed(request, pk)
    gaps = dict(missing(agreement))
    names = [n for n in CEE_FIELD_LABELS if n in gaps or n in (agreement.template_fields or {})]
    form = forms.TemplateFieldsForm(
        request.POST or None, names=names, initial=agreement.template_fields
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v}
        try:
            services.agreement_update(
                user=request.user,
                agreement=agreement,
                data={"template_fields": (agreement.template_fields or {}) | values},
            )
            messages.success(request, "Les champs du modèle sont enregistrés.")
            return redirect(agreement)
        except ValidationError as error:
            add_errors(form, error)
    return _form_page(
        request,
        form,
        title=f"Champs à compléter — {agreement.number}",
        back=agreement.get_absolute_url(),
        intro="Ces champs du modèle ne se déduisent pas des parties et des engagements "
        "saisis. Les parties (nom, adresse, représentant) se complètent depuis la fiche.",
        agreement=agreement,
    )


# --- the state machine ----------------------------------------------------------------------


def _transition_page(
    request, agreement, *, form_class, action, title, submit, intro="", form_kwargs=None
):
    """A form page firing one transition of ``agreement`` (already checked as managed).
    ``action(agreement, data)`` calls the service and returns (message, object to show)."""
    form = form_class(request.POST or None, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            message, target = action(agreement, form.cleaned_data)
            messages.success(request, message)
            return redirect(target)
        except ValidationError as error:
            add_errors(form, error)
    return _form_page(
        request,
        form,
        title=f"{title} — {agreement.number}",
        back=agreement.get_absolute_url(),
        submit=submit,
        intro=intro,
        agreement=agreement,
    )


def send_for_signature_view(request, pk):
    def action(agreement, data):
        services.agreement_send_for_signature(
            user=request.user, agreement=agreement, note=data["note"]
        )
        return "Le texte est figé et envoyé en signature.", agreement

    return _transition_page(
        request,
        _managed(request, pk),
        form_class=forms.OptionalNoteForm,
        action=action,
        title="Envoyer en signature",
        submit="Figer le texte et envoyer en signature",
        intro="Le texte, les parties, les engagements et les clauses seront figés dans une "
        "version. Ensuite, toute modification passera par un avenant.",
    )


def back_to_draft_view(request, pk):
    def action(agreement, data):
        services.agreement_back_to_draft(user=request.user, agreement=agreement, note=data["note"])
        return "La convention est revenue en brouillon.", agreement

    return _transition_page(
        request,
        _managed(request, pk),
        form_class=forms.NoteForm,
        action=action,
        title="Revenir en brouillon",
        submit="Revenir en brouillon",
        intro="Possible tant qu'aucune signature n'est enregistrée.",
    )


def abandon_view(request, pk):
    def action(agreement, data):
        services.agreement_abandon(user=request.user, agreement=agreement, note=data["note"])
        return "La convention est abandonnée.", agreement

    return _transition_page(
        request,
        _managed(request, pk),
        form_class=forms.NoteForm,
        action=action,
        title="Abandonner",
        submit="Abandonner la convention",
    )


@require_POST
def sign_view(request, pk, signatory_pk):
    agreement = _managed(request, pk)
    signatory = get_object_or_404(Signatory, pk=signatory_pk, agreement=agreement)
    form = forms.SignatureForm(request.POST)
    if form.is_valid():
        try:
            agreement = services.agreement_record_signature(
                user=request.user,
                signatory=signatory,
                signed_on=form.cleaned_data["signed_on"],
                mode=form.cleaned_data["mode"],
            )
            text = f"Signature de {signatory.full_name} enregistrée."
            if agreement.state == AgreementState.IN_FORCE:
                text += f" La convention est en vigueur depuis le {agreement.start_date:%d/%m/%Y}."
            messages.success(request, text)
            return redirect(agreement)
        except ValidationError as error:
            add_errors(form, error)
    return _form_page(
        request,
        form,
        title=f"Signature de {signatory.full_name} — {agreement.number}",
        back=agreement.get_absolute_url(),
        submit="Enregistrer la signature",
        agreement=agreement,
    )


def terminate_view(request, pk):
    agreement = _managed(request, pk)

    def action(agreement, data):
        agreement = services.agreement_terminate(
            user=request.user,
            agreement=agreement,
            notice_received_on=data["notice_received_on"],
            reason=data["reason"],
            party=data.get("party"),
        )
        last_day = f"{agreement.terminated_on:%d/%m/%Y}"
        return f"Résiliation enregistrée : la convention prend fin le {last_day}.", agreement

    return _transition_page(
        request,
        agreement,
        form_class=forms.TerminationForm,
        action=action,
        title="Enregistrer une résiliation",
        submit="Enregistrer la résiliation",
        intro=f"Délai de résiliation prévu par la convention : "
        f"{consolidate(agreement).clauses['termination_months']} mois à compter de la réception.",
        form_kwargs={"agreement": agreement},
    )


def avenant_create_view(request, pk):
    def action(agreement, data):
        avenant = services.avenant_create(
            user=request.user, agreement=agreement, title=data["title"]
        )
        return f"L'avenant {avenant.number} est créé en brouillon.", avenant

    return _transition_page(
        request,
        _managed(request, pk),
        form_class=forms.AvenantForm,
        action=action,
        title="Nouvel avenant",
        submit="Créer l'avenant",
        intro="L'avenant reprend les parties et signataires de la convention. Ajoutez les "
        "articles modifiés (même numéro), ajoutés ou supprimés, les nouvelles parties et les "
        "clauses changées, puis envoyez-le en signature.",
    )


def decline_view(request, pk):
    parent = _get(request, pk)
    if not can_create(request.user):
        raise PermissionDenied("Seule l'équipe académique décline une convention.")
    form = forms.DeclineForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = services.agreement_decline(
                user=request.user,
                parent=parent,
                title=data["title"],
                scope=data["scope"],
                academie=data.get("academie"),
                bassin=data.get("bassin"),
                establishment=data.get("establishment"),
            )
            messages.success(request, f"La convention locale {child.number} est créée.")
            return redirect(child)
        except (ValidationError, PermissionDenied) as error:
            add_errors(
                form, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
    return _form_page(
        request,
        form,
        title=f"Décliner {parent.number} localement",
        back=parent.get_absolute_url(),
        submit="Créer la convention locale",
        agreement=parent,
    )


# --- documents and scans ----------------------------------------------------------------------


def document_view(request, pk, fmt):
    agreement = _with_avenants(_get(request, pk))
    try:
        rendered = convention_docx(agreement) if fmt == "docx" else convention_pdf(agreement)
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect(agreement)
    response = HttpResponse(rendered.content, content_type=rendered.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


@limit_uploads(pdf_max_bytes)
def scan_add_view(request, pk):
    agreement = _managed(request, pk)
    form = forms.ScanForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and upload_form_is_valid(request, form, "file"):
        try:
            services.scan_add(
                user=request.user,
                agreement=agreement,
                upload=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, "Le scan de la convention signée est enregistré.")
            return redirect(agreement)
        except ValidationError as error:
            form.add_error("file", error.messages)
    return render(
        request,
        "agreements/form.html",
        {
            "title": f"Déposer la convention signée — {agreement.number}",
            "form": form,
            "back_url": agreement.get_absolute_url(),
            "submit_label": "Déposer",
            "multipart": True,
            "agreement": agreement,
        },
        status=400 if form.errors else 200,
    )


def scan_download_view(request, pk, scan_pk):
    agreement = _get(request, pk)
    scan = get_object_or_404(agreement.scans, pk=scan_pk)
    response = HttpResponse(scan.file.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{agreement.number}-signee.pdf"'
    return response


# --- deadlines ------------------------------------------------------------------------------


def deadlines_view(request):
    form = forms.DeadlinesForm(request.GET or None)
    days = form.cleaned_data.get("days") if form.is_valid() else None
    days = days or 90
    items = upcoming_deadlines(request.user, days=days)
    return render(
        request,
        "agreements/deadlines.html",
        {
            "title": "Échéances des conventions",
            "form": form,
            "days": days,
            "items": items,
            "kinds": AgreementKind,
        },
    )
