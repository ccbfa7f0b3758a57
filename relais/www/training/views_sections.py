"""Pages of the training offer (CPME Île-de-France, art. 2.5): the inventory of vocational
and apprenticeship sections by sector and territory, the changes under concertation with
the signatory organisations and their opinions, the métiers en tension."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from relais.organisations.models import Organisation
from relais.territories.models import Academie
from relais.training import perms, selectors, services
from relais.training.enums import SECTORS, SectionState, SectionStatus
from relais.training.models import SectionChange, SectionOpinion
from relais.training.workflows import CHANGE_WORKFLOW
from relais.users.enums import Role
from relais.users.scopes import get_reach
from relais.www.lists import paginate
from relais.www.volunteers.common import form_page, run_form

from .forms import ChangeForm, OpinionForm, SectionForm, ShortageForm, SubmitForm, managed_academies


def _member(request) -> None:
    reach = get_reach(request.user)
    if reach.is_empty or reach.roles == frozenset({Role.VOLUNTEER}):
        raise PermissionDenied(
            "L'offre de formation est ouverte aux membres des académies et aux partenaires."
        )


FILTERS = {"sector": "secteur", "status": "statut", "academie": "academie", "bassin": "bassin"}


def section_list_view(request):
    _member(request)
    visible = selectors.sections_visible_to(user=request.user)
    params = {key: request.GET.get(name, "") for key, name in FILTERS.items()}
    queryset = selectors.section_filter(visible, **params)
    page = paginate(
        request,
        queryset.filter(state=SectionState.OPEN).order_by("establishment__name", "diploma", "pk"),
    )
    selectors.flag_shortages(list(page.object_list))
    summary = selectors.sector_summary(user=request.user, queryset=queryset)
    academies = Academie.objects.filter(
        pk__in=visible.values("establishment__academie_id")
    ).order_by("name")
    return render(
        request,
        "training/section_list.html",
        {
            "title": "Offre de formation professionnelle et apprentissage",
            "page_obj": page,
            "summary": summary,
            "sectors": SECTORS,
            "statuses": SectionStatus.choices,
            "sector": params["sector"],
            "status": params["status"],
            "academie": params["academie"],
            "academies": academies,
            "can_manage": perms.is_team(request.user),
        },
    )


def section_create_view(request):
    if not perms.is_team(request.user):
        raise PermissionDenied("Seule l'équipe académique tient l'inventaire des formations.")
    form = SectionForm(request.POST or None, user=request.user)
    section = run_form(
        request,
        form,
        lambda data: services.section_create(
            user=request.user, establishment=data["establishment"], data=data
        ),
    )
    if section is not None:
        messages.success(request, "Section ajoutée à l'inventaire.")
        return redirect(section)
    return form_page(
        request, form, title="Ajouter une section à l'inventaire", submit="Ajouter la section",
        back_url="/formations/",
    )  # fmt: skip


def section_detail_view(request, pk):
    _member(request)
    section = get_object_or_404(selectors.sections_visible_to(user=request.user), pk=pk)
    selectors.flag_shortages([section])
    changes = selectors.changes_visible_to(user=request.user).filter(section=section)
    return render(
        request,
        "training/section_detail.html",
        {
            "title": str(section),
            "section": section,
            "changes": list(changes),
            "can_manage": perms.manages_academie(request.user, section.establishment.academie_id),
        },
    )


def change_list_view(request):
    _member(request)
    queryset = selectors.changes_visible_to(user=request.user)
    return render(
        request,
        "training/change_list.html",
        {
            "title": "Évolutions de la carte des formations",
            "page_obj": paginate(request, queryset),
            "pending": list(selectors.pending_opinions(user=request.user)),
            "can_manage": perms.is_team(request.user),
        },
    )


def change_create_view(request):
    if not perms.is_team(request.user):
        raise PermissionDenied("Seule l'équipe académique prépare l'évolution de la carte.")
    initial = {}
    section_pk = request.GET.get("section", "")
    if section_pk.isdigit():
        initial = {"section": section_pk, "kind": request.GET.get("nature", "transformation")}
    form = ChangeForm(request.POST or None, user=request.user, initial=initial)

    def create(data):
        return services.change_create(
            user=request.user, kind=data["kind"], establishment=data.get("establishment"),
            section=data.get("section"), data=data,
        )  # fmt: skip

    change = run_form(request, form, create)
    if change is not None:
        messages.success(request, "Projet enregistré : soumettez-le à la concertation.")
        return redirect(change)
    return form_page(
        request, form, title="Ouvrir, transformer ou fermer une section",
        submit="Enregistrer le projet", back_url="/formations/evolutions/",
        intro="Une ouverture, une transformation ou une fermeture est soumise à l'avis des "
        "organisations signataires des conventions en vigueur sur le territoire.",
    )  # fmt: skip


def _change(request, pk) -> SectionChange:
    _member(request)
    return get_object_or_404(selectors.changes_visible_to(user=request.user), pk=pk)


def change_detail_view(request, pk):
    change = _change(request, pk)
    opinions = list(selectors.change_opinions(change=change))
    reach = get_reach(request.user)
    return render(
        request,
        "training/change_detail.html",
        {
            "title": str(change),
            "change": change,
            "opinions": opinions,
            "mine": [o for o in opinions if o.organisation_id in reach.organisation_ids],
            "actions": CHANGE_WORKFLOW.available(request.user, change),
            "blocked": CHANGE_WORKFLOW.blocked(request.user, change),
            "journal": list(change.journal.all()),
            "submit_form": SubmitForm(),
        },
    )


@require_POST
def change_transition_view(request, pk, name):
    change = _change(request, pk)
    if name not in CHANGE_WORKFLOW.by_name:
        raise Http404("Étape inconnue.")
    if not perms.manages_change(request.user, change):
        raise PermissionDenied(
            "Seule l'équipe académique de cette académie conduit la concertation."
        )
    try:
        if name == "soumettre":
            form = SubmitForm(request.POST)
            delay = form.cleaned_data["delay_days"] if form.is_valid() else 0
            services.change_submit(user=request.user, change=change, delay_days=delay)
        elif name in ("decider", "ne_pas_retenir"):
            services.change_decide(user=request.user, change=change, adopt=name == "decider")
        else:
            services.change_abandon(user=request.user, change=change)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{CHANGE_WORKFLOW.by_name[name].label} : c'est fait.")
    return redirect(change)


def opinion_view(request, pk):
    reach = get_reach(request.user)
    opinion = get_object_or_404(
        SectionOpinion.objects.select_related("change__establishment", "organisation").filter(
            organisation_id__in=reach.organisation_ids
        ),
        pk=pk,
    )
    initial = {"opinion": opinion.opinion, "comment": opinion.comment}
    form = OpinionForm(request.POST or None, initial=initial)
    done = run_form(
        request,
        form,
        lambda data: services.opinion_give(
            user=request.user, opinion=opinion, value=data["opinion"], comment=data["comment"]
        ),
    )
    if done is not None:
        messages.success(request, f"Avis de {opinion.organisation} enregistré.")
        return redirect(opinion.change)
    change = opinion.change
    return form_page(
        request, form, title=f"Avis de {opinion.organisation.name}", submit="Rendre l'avis",
        back_url=change.get_absolute_url(),
        intro=f"{change} — avis attendu avant le {change.opinion_deadline:%d/%m/%Y}.",
    )  # fmt: skip


def shortage_list_view(request):
    _member(request)
    return render(
        request,
        "training/shortage_list.html",
        {
            "title": "Métiers en tension signalés par les partenaires",
            "page_obj": paginate(request, selectors.shortages_visible_to(user=request.user)),
            "can_report": perms.can_report_shortage(request.user),
        },
    )


def shortage_create_view(request):
    if not perms.can_report_shortage(request.user):
        raise PermissionDenied(
            "Les partenaires et l'équipe académique signalent les métiers en tension."
        )
    reach = get_reach(request.user)
    if perms.is_team(request.user):
        organisations = Organisation.objects.filter(
            archived_at__isnull=True, kind="professionnelle"
        )
        academies = managed_academies(request.user)
    else:
        organisations = Organisation.objects.filter(pk__in=perms.company_ids(request.user))
        academies = Academie.objects.all()
        if not reach.all_establishments:
            academies = academies.filter(pk__in=reach.academie_ids)
    form = ShortageForm(
        request.POST or None, organisations=organisations.order_by("name"),
        academies=academies.order_by("name"),
    )  # fmt: skip
    report = run_form(
        request,
        form,
        lambda data: services.shortage_report(
            user=request.user,
            organisation=data["organisation"],
            academie=data["academie"],
            data=data,
        ),
    )
    if report is not None:
        messages.success(request, f"Métier en tension signalé : {report.job}.")
        return redirect("training:shortage_list")
    return form_page(
        request, form, title="Signaler un métier en tension", submit="Signaler le métier",
        back_url="/formations/metiers-en-tension/",
    )  # fmt: skip
