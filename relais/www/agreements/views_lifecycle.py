"""Pages that move a convention along its lifecycle (``AGREEMENT_WORKFLOW``): sending for
signature, back to draft, abandon, signatures, termination; and the pages that open a new
convention from one in force: an avenant, a local declination."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from relais.agreements import services
from relais.agreements.consolidation import consolidate
from relais.agreements.enums import AvenantPurpose, Transition
from relais.agreements.letters import clause_words, entry_into_force_text
from relais.agreements.models import Signatory
from relais.agreements.perms import can_create
from relais.agreements.services.esign import signature_resend
from relais.www.forms import add_errors

from . import forms
from .views_common import form_page, managed, visible


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
    return form_page(
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
        managed(request, pk),
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
        managed(request, pk),
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
        managed(request, pk),
        form_class=forms.NoteForm,
        action=action,
        title="Abandonner",
        submit="Abandonner la convention",
    )


@require_POST
def sign_view(request, pk, signatory_pk):
    agreement = managed(request, pk)
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
            if agreement.is_in_force:
                text += " " + entry_into_force_text(agreement)
            messages.success(request, text)
            return redirect(agreement)
        except ValidationError as error:
            add_errors(form, error)
    return form_page(
        request,
        form,
        title=f"Signature de {signatory.full_name} — {agreement.number}",
        back=agreement.get_absolute_url(),
        submit="Enregistrer la signature",
        agreement=agreement,
    )


@require_POST
def resend_link_view(request, pk, signatory_pk):
    """« Renvoyer le lien de signature » to a signatory who lost it: a new link, the old one
    revoked (the académie team of the convention)."""
    agreement = managed(request, pk)
    signatory = get_object_or_404(Signatory, pk=signatory_pk, agreement=agreement)
    try:
        signatory = signature_resend(user=request.user, signatory=signatory)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Un nouveau lien de signature est envoyé à {signatory.full_name} "
            f"({signatory.email}) ; l'ancien lien ne fonctionne plus.",
        )
    return redirect(agreement)


def terminate_view(request, pk):
    agreement = managed(request, pk)

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

    consolidated = consolidate(agreement)
    words = clause_words(agreement, consolidated.clauses)
    return _transition_page(
        request,
        agreement,
        form_class=forms.TerminationForm,
        action=action,
        title="Enregistrer une résiliation",
        submit="Enregistrer la résiliation",
        intro=f"Délai de résiliation prévu par la convention : {words['termination']}.",
        form_kwargs={"agreement": agreement, "parties": consolidated.parties},
    )


ENDING_PAGES = {
    Transition.NON_RENEWAL: (
        "Enregistrer une non-reconduction",
        "La convention prend fin au terme de la période en cours si le préavis est respecté ; "
        "sinon, au terme de la période suivante. Préavis prévu : {notice}.",
    ),
    Transition.BREACH: (
        "Résilier pour manquement",
        "Délai prévu après la mise en demeure : {breach_or_termination}.",
    ),
    Transition.MUTUAL: (
        "Mettre fin d'un commun accord",
        "Les parties conviennent du dernier jour en vigueur ; aucun préavis ne s'applique.",
    ),
}


def end_view(request, pk, step):
    """A notice of non-renewal, a termination for breach or a mutual agreement."""
    agreement = managed(request, pk)
    title, intro = ENDING_PAGES[step]
    consolidated = consolidate(agreement)
    words = clause_words(agreement, consolidated.clauses)
    words["breach_or_termination"] = words["breach"] or words["termination"]

    def action(agreement, data):
        agreement = services.agreement_end(
            user=request.user, agreement=agreement, step=step, on=data["on"],
            reason=data["reason"], party=data.get("party"), ends_on=data.get("ends_on"),
        )  # fmt: skip
        text = f"{title} : la convention prend fin le {agreement.terminated_on:%d/%m/%Y}."
        return text + " La lettre de notification est prête.", agreement

    return _transition_page(
        request,
        agreement,
        form_class=forms.EndingForm,
        action=action,
        title=title,
        submit=title,
        intro=intro.format(**words),
        form_kwargs={"agreement": agreement, "step": step, "parties": consolidated.parties},
    )


def withdraw_view(request, pk):
    """A party withdraws, the others stay bound."""
    agreement = managed(request, pk)
    consolidated = consolidate(agreement)
    words = clause_words(agreement, consolidated.clauses)

    def action(agreement, data):
        services.party_withdraw(
            user=request.user, agreement=agreement, party=data["party"], on=data["on"],
            reason=data["reason"],
        )  # fmt: skip
        party = data["party"]
        party.refresh_from_db()
        return (
            f"Retrait de {party.name} enregistré : partie jusqu'au {party.withdrawn_on:%d/%m/%Y}.",
            agreement,
        )

    return _transition_page(
        request,
        agreement,
        form_class=forms.WithdrawalForm,
        action=action,
        title="Enregistrer le retrait d'une partie",
        submit="Enregistrer le retrait",
        intro="Les autres parties restent liées. La partie qui se retire l'est encore pendant "
        f"le délai de résiliation : {words['termination']}.",
        form_kwargs={"parties": consolidated.parties},
    )


def avenant_create_view(request, pk):
    def action(agreement, data):
        avenant = services.avenant_create(
            user=request.user,
            agreement=agreement,
            title=data["title"],
            purpose=data.get("purpose") or AvenantPurpose.CHANGE,
        )
        return f"L'avenant {avenant.number} est créé en brouillon.", avenant

    return _transition_page(
        request,
        managed(request, pk),
        form_class=forms.AvenantForm,
        action=action,
        title="Nouvel avenant",
        submit="Créer l'avenant",
        intro="L'avenant reprend les parties et signataires de la convention. Ajoutez les "
        "articles modifiés (même numéro), ajoutés ou supprimés, les nouvelles parties et les "
        "clauses changées, puis envoyez-le en signature.",
    )


def decline_view(request, pk):
    parent = visible(request, pk)
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
    return form_page(
        request,
        form,
        title=f"Décliner {parent.number} localement",
        back=parent.get_absolute_url(),
        submit="Créer la convention locale",
        agreement=parent,
    )
