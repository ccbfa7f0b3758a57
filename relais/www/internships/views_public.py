"""Pages opened from a signed link by a company, without an account: the answer to a
proposal and the feedback after the internship. They show the pupil's first name and class
only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from relais.internships.enums import ProposalState
from relais.internships.services import (
    LinkError,
    feedback_record,
    placement_from_feedback_token,
    proposal_accept,
    proposal_from_token,
    proposal_refuse,
)
from relais.internships.workflows import PROPOSAL_WORKFLOW
from relais.www.forms import add_errors

from .forms import AnswerForm, FeedbackForm


def _link_error(request, error: LinkError):
    return render(
        request,
        "internships/public/link_error.html",
        {"title": "Lien inutilisable", "message": str(error)},
        status=404,
    )


@login_not_required
@never_cache
def answer_view(request, token):
    try:
        proposal = proposal_from_token(token)
    except LinkError as error:
        return _link_error(request, error)
    form = AnswerForm(request.POST or None)
    # The link answers without an account: the company's transitions fire with no user.
    answerable = PROPOSAL_WORKFLOW.can_fire(None, proposal, "accepter")
    lost = ""
    if request.method == "POST" and answerable and form.is_valid():
        data = form.cleaned_data
        action = proposal_accept if data["decision"] == "accept" else proposal_refuse
        try:
            proposal = action(proposal=proposal, answered_by_name=data["name"], note=data["note"])
        except ValidationError as error:
            proposal.refresh_from_db()
            if PROPOSAL_WORKFLOW.can_fire(None, proposal, "accepter"):
                add_errors(form, error)
            else:  # someone else's answer, the pôle or the expiry came first
                lost = answer_lost_message(proposal)
    elif request.method == "POST" and not proposal.awaits_answer:
        lost = answer_lost_message(proposal)  # the page was opened before the other answer
    status = 409 if lost else 400 if form.errors else 200
    return render(
        request,
        "internships/public/answer.html",
        {
            "title": "Proposition de stage",
            "proposal": proposal,
            "offer": proposal.slot.offer,
            "pupil": proposal.case.pupil,
            "form": form,
            "lost": lost,
            "can_answer": PROPOSAL_WORKFLOW.can_fire(None, proposal, "accepter"),
            # Still waiting, but too late to answer: say so instead of showing the form.
            "too_late": PROPOSAL_WORKFLOW.blocked(None, proposal).get("accepter"),
        },
        status=status,
    )


def answer_lost_message(proposal) -> str:
    """Why a company's answer was not recorded: the proposal moved on before it arrived."""
    who = f" par {proposal.answered_by_name}" if proposal.answered_by_name else ""
    if proposal.is_accepted or proposal.is_confirmed:
        return f"La proposition a été acceptée entre-temps{who}."
    messages = {
        ProposalState.REFUSED: f"La proposition a été refusée entre-temps{who}.",
        ProposalState.EXPIRED: "Le délai de réponse est passé : la proposition a expiré.",
        ProposalState.CANCELLED: "Le pôle de stages a annulé cette proposition entre-temps.",
    }
    return messages.get(ProposalState(proposal.state), "Cette proposition a changé entre-temps.")


@login_not_required
@never_cache
def feedback_view(request, token):
    try:
        placement = placement_from_feedback_token(token)
    except LinkError as error:
        return _link_error(request, error)
    form = FeedbackForm(request.POST or None)
    done = hasattr(placement, "feedback")
    if request.method == "POST" and not done and form.is_valid():
        try:
            feedback_record(
                placement=placement,
                would_host_again=form.cleaned_data["would_host_again"],
                comment=form.cleaned_data["comment"],
            )
            done = True
        except ValidationError as error:
            add_errors(form, error)
    return render(
        request,
        "internships/public/feedback.html",
        {"title": "Votre avis sur le stage", "placement": placement, "form": form, "done": done},
        status=400 if form.errors else 200,
    )
