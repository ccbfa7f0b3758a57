"""Pages that write a convention's draft: creation, text and clauses, parties,
signatories, articles, commitments and the fields of the Word template. The services refuse
(in French) any change once the text is frozen by the sending for signature."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.agreements import services
from relais.agreements.documents import CEE_FIELD_LABELS, missing
from relais.agreements.models import Article, Commitment, Party, Signatory
from relais.agreements.perms import can_create
from relais.www.forms import DsfrModelForm, add_errors

from . import forms
from .views_common import form_page, managed


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
    return form_page(
        request,
        form,
        title="Nouvelle convention",
        back="/conventions/",
        submit="Créer le brouillon",
        intro="Choisissez le périmètre puis le territoire correspondant. Une convention "
        "conseillers entreprises pour l'école est conclue pour trois ans (art. D. 331-66).",
    )


def agreement_edit_view(request, pk):
    agreement = managed(request, pk)
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
Child = tuple[type[Model], type[DsfrModelForm], Callable[..., Model], Callable[..., None], str]
CHILDREN: dict[str, Child] = {
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
# « une partie », « la partie », and the ending of its past participle (« enregistrée »).
WORDS = {
    "parties": ("une partie", "la partie", "e"),
    "signataires": ("un signataire", "le signataire", ""),
    "articles": ("un article", "l'article", ""),
    "engagements": ("un engagement", "l'engagement", ""),
}
SAVE_ARG = {"parties": "party", "signataires": "signatory", "articles": "article",
            "engagements": "commitment"}  # fmt: skip


def child_edit_view(request, pk, kind, child_pk=None):
    """Add (``child_pk`` None) or change a party, signatory, article or commitment."""
    if kind not in CHILDREN:
        raise Http404
    agreement = managed(request, pk)
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
            ending = WORDS[kind][2]
            messages.success(request, f"{label.capitalize()} enregistré{ending}.")
            return redirect(agreement)
        except ValidationError as error:
            add_errors(form, error)
    a_label, the_label, _ = WORDS[kind]
    title = f"Modifier {the_label}" if instance else f"Ajouter {a_label}"
    return form_page(
        request,
        form,
        title=f"{title} — {agreement.number}",
        back=agreement.get_absolute_url(),
        agreement=agreement,
    )


@require_POST
def child_remove_view(request, pk, kind, child_pk):
    if kind not in CHILDREN:
        raise Http404
    agreement = managed(request, pk)
    model, _, _, remove, label = CHILDREN[kind]
    child = get_object_or_404(model, pk=child_pk, agreement=agreement)
    try:
        remove(user=request.user, **{SAVE_ARG[kind]: child})
        messages.success(request, f"{label.capitalize()} supprimé{WORDS[kind][2]}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(agreement)


def template_fields_view(request, pk):
    """Complete the « [à compléter] » fields of the Word template (CEE model)."""
    agreement = managed(request, pk)
    gaps = dict(missing(agreement))
    names = [n for n in CEE_FIELD_LABELS if n in gaps or n in (agreement.template_fields or {})]
    if not names:
        # Nothing this page completes: what is missing comes from the parties, signatories
        # or dates, on the convention's page (never a form with no field).
        messages.info(
            request,
            "Aucun champ du modèle n'est à compléter ici : ce qui manque se complète dans "
            "les parties, les signataires et les dates de la convention.",
        )
        return redirect(agreement)
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
    return form_page(
        request,
        form,
        title=f"Champs à compléter — {agreement.number}",
        back=agreement.get_absolute_url(),
        intro="Ces champs du modèle ne se déduisent pas des parties et des engagements "
        "saisis. Les parties (nom, adresse, représentant) se complètent depuis la fiche.",
        agreement=agreement,
    )
