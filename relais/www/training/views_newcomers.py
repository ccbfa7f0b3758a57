"""Pages of the young allophone newcomers (CPME Île-de-France, art. 2.2): the CASNAV
uploads a CV with the consent, shares it with an organisation committed to it; the member
companies read it and answer; everyone else reads the commitments' figures only."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.core.uploads import limit_uploads, pdf_max_bytes, upload_refusal
from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.training import perms, selectors, services
from relais.training.models import CasnavStaff, Newcomer
from relais.training.services.newcomers import CONSENT_TEXT, CONSENT_VERSION
from relais.training.workflows import ANSWER_WORKFLOW
from relais.users.enums import Role
from relais.users.models import User
from relais.users.scopes import get_reach
from relais.www.forms import add_errors
from relais.www.lists import paginate
from relais.www.volunteers.common import form_page, run_form

from .forms import AnswerForm, CasnavForm, NewcomerForm, ShareForm, StepForm, managed_academies

STRICT = "Les CV des jeunes allophones sont réservés au CASNAV et aux entreprises destinataires."


def _reader(request) -> None:
    if not (perms.is_casnav(request.user) or perms.is_representative(request.user)):
        raise PermissionDenied(STRICT)


def newcomer_list_view(request):
    _reader(request)
    page = paginate(request, selectors.newcomer_list(user=request.user))
    for newcomer in page.object_list:
        newcomer.outcome = selectors.outcome_label(newcomer.outcome_rank)
    return render(
        request,
        "training/newcomer_list.html",
        {
            "title": "Jeunes allophones : CV transmis par le CASNAV",
            "page_obj": page,
            "is_casnav": perms.is_casnav(request.user),
        },
    )


@limit_uploads(pdf_max_bytes)
def newcomer_upload_view(request):
    academies = Academie.objects.filter(pk__in=perms.casnav_academie_ids(request.user))
    if not academies:
        raise PermissionDenied("Seul le CASNAV dépose les CV des jeunes allophones.")
    form = NewcomerForm(request.POST or None, request.FILES or None, academies=academies)
    refusal = upload_refusal(request)
    if refusal:
        form.is_valid()
        form.add_error("cv", refusal)
        newcomer = None
    else:
        newcomer = run_form(
            request,
            form,
            lambda data: services.newcomer_upload(
                user=request.user, academie=data["academie"], cv=data["cv"], data=data
            ),
        )
    if newcomer is not None:
        messages.success(request, f"CV de {newcomer} enregistré, avec le consentement.")
        return redirect(newcomer)
    return render(
        request,
        "training/newcomer_form.html",
        {"title": "Déposer le CV d'un jeune allophone", "form": form},
        status=400 if form.errors else 200,
    )


def _newcomer(request, pk) -> Newcomer:
    try:
        return (
            selectors.newcomers_visible_to(user=request.user).select_related("academie").get(pk=pk)
        )
    except Newcomer.DoesNotExist as exc:
        raise Http404("CV introuvable.") from exc


def newcomer_detail_view(request, pk):
    newcomer = _newcomer(request, pk)
    casnav = perms.is_casnav_of(request.user, newcomer)
    answers = list(selectors.newcomer_answers(user=request.user, newcomer=newcomer))
    companies = [] if casnav else selectors.answer_companies(user=request.user, newcomer=newcomer)
    answered = {a.company_id for a in answers}
    open_ids = [c.pk for c, _s in companies if c.pk not in answered]
    return render(
        request,
        "training/newcomer_detail.html",
        {
            "title": str(newcomer),
            "newcomer": newcomer,
            "casnav": casnav,
            "shares": list(newcomer.shares.select_related("organisation")) if casnav else [],
            "share_form": ShareForm(
                organisations=selectors.committed_organisations(academie_id=newcomer.academie_id)
            )
            if casnav
            else None,
            "rows": [(a, ANSWER_WORKFLOW.available(request.user, a)) for a in answers],
            "answer_form": AnswerForm(companies=Organisation.objects.filter(pk__in=open_ids))
            if open_ids
            else None,
            "step_form": StepForm(),
            "consent_text": CONSENT_TEXT,
            "consent_version": CONSENT_VERSION,
        },
    )


def newcomer_cv_view(request, pk):
    newcomer = _newcomer(request, pk)
    if not newcomer.cv:
        raise Http404("CV introuvable.")
    return FileResponse(
        newcomer.cv.open("rb"), as_attachment=True, filename=f"cv-{newcomer.first_name}.pdf"
    )


@require_POST
def newcomer_share_view(request, pk):
    newcomer = _newcomer(request, pk)
    if not perms.is_casnav_of(request.user, newcomer):
        raise PermissionDenied("Seul le CASNAV de l'académie partage ce CV.")
    form = ShareForm(
        request.POST,
        organisations=selectors.committed_organisations(academie_id=newcomer.academie_id),
    )
    try:
        if not form.is_valid():
            raise ValidationError("Choisissez une organisation engagée.")
        share = services.newcomer_share(
            user=request.user, newcomer=newcomer, organisation=form.cleaned_data["organisation"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"CV partagé avec {share.organisation} et ses adhérents.")
    return redirect(newcomer)


@require_POST
def newcomer_withdraw_view(request, pk):
    newcomer = _newcomer(request, pk)
    if not perms.is_casnav_of(request.user, newcomer):
        raise PermissionDenied(
            "Seul le CASNAV de l'académie enregistre le retrait du consentement."
        )
    services.newcomer_withdraw_consent(user=request.user, newcomer=newcomer)
    messages.success(request, "Consentement retiré : le CV et les données du jeune sont effacés.")
    return redirect("training:newcomer_list")


@require_POST
def answer_create_view(request, pk):
    newcomer = _newcomer(request, pk)
    companies = [c for c, _s in selectors.answer_companies(user=request.user, newcomer=newcomer)]
    if not companies:
        raise PermissionDenied("Ce CV n'a pas été partagé avec votre entreprise.")
    form = AnswerForm(
        request.POST, companies=Organisation.objects.filter(pk__in=[c.pk for c in companies])
    )
    try:
        if not form.is_valid():
            raise ValidationError("Choisissez votre entreprise.")
        services.answer_create(
            user=request.user, newcomer=newcomer, company=form.cleaned_data["company"],
            note=form.cleaned_data["note"],
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Votre intérêt est transmis au CASNAV.")
    return redirect(newcomer)


@require_POST
def answer_transition_view(request, pk, name):
    newcomer = _newcomer(request, pk)
    answer = get_object_or_404(
        selectors.newcomer_answers(user=request.user, newcomer=newcomer),
        pk=request.POST.get("reponse") or 0,
    )
    if name not in ANSWER_WORKFLOW.by_name:
        raise Http404("Étape inconnue.")
    form = StepForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.answer_advance(
            user=request.user, answer=answer, name=name,
            contract_kind=data.get("contract_kind") or "", interview_on=data.get("interview_on"),
            note=data.get("note") or "",
        )  # fmt: skip
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{ANSWER_WORKFLOW.by_name[name].label} : c'est enregistré.")
    return redirect(newcomer)


def commitments_view(request):
    reach = get_reach(request.user)
    if reach.is_empty or reach.roles == frozenset({Role.VOLUNTEER}):
        raise PermissionDenied("Les engagements des conventions sont lus par leurs membres.")
    return render(
        request,
        "training/newcomer_commitments.html",
        {
            "title": "Engagements « CASNAV » des conventions",
            "report": selectors.commitment_report(user=request.user),
        },
    )


def casnav_staff_view(request):
    if not perms.can_name_casnav(request.user):
        raise PermissionDenied("Seule l'équipe académique désigne les membres du CASNAV.")
    academies = managed_academies(request.user)
    form = CasnavForm(request.POST or None, academies=academies)

    def name(data):
        person = User.objects.filter(email__iexact=data["email"], is_active=True).first()
        if person is None:
            raise ValidationError({"email": "Aucun compte actif à ce courriel : créez-le d'abord."})
        return services.casnav_name(user=request.user, academie=data["academie"], person=person)

    try:
        staff = run_form(request, form, name)
    except PermissionDenied as error:
        add_errors(form, ValidationError(str(error)))
        staff = None
    if staff is not None:
        messages.success(request, f"{staff.user.email} est membre du CASNAV.")
        return redirect("training:casnav_staff")
    members = CasnavStaff.objects.filter(academie__in=academies).select_related("user", "academie")
    names = ", ".join(f"{m.user.email} ({m.academie.name})" for m in members) or "aucun"
    return form_page(
        request, form, title="Membres du CASNAV", submit="Désigner",
        back_url="/formations/jeunes-allophones/engagements/",
        intro=f"Seuls les membres du CASNAV déposent et lisent les CV des jeunes allophones de "
        f"leur académie. Membres actuels : {names}.",
    )  # fmt: skip
