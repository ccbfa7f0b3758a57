"""Pages of the CEE and CET: list, proposal, designation, lettre de mission, interventions,
commitments of the conventions and the yearly nominative list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from relais.core.school_years import school_year_label, school_year_of
from relais.territories.models import Academie
from relais.users.enums import PersonalData
from relais.users.scopes import get_reach
from relais.volunteers import perms
from relais.volunteers.documents import (
    NOMINATIVE_HEADER,
    mission_letter_docx,
    mission_letter_pdf,
    nominative_basename,
    nominative_list_pdf,
    nominative_row,
)
from relais.volunteers.enums import KIND_SHORT, AdvisorKind
from relais.volunteers.filters import AdvisorFilter, InterventionFilter
from relais.volunteers.selectors import (
    advisor_get,
    advisor_list,
    advisor_seats,
    commitment_report,
    intervention_totals,
    intervention_totals_by,
    interventions_visible_to,
    nominative_list,
    parcours_reach,
    sendings_of,
)
from relais.volunteers.services import advisors as services
from relais.volunteers.workflows import ADVISOR_WORKFLOW
from relais.www.journal import log_export
from relais.www.lists import export_response, paginate

from .common import export_format, form_page, run_form
from .forms import (
    AdvisorProposalForm,
    DesignationForm,
    EmployerInformedForm,
    InterventionForm,
    ReasonForm,
)


def _filtered(request):
    queryset = advisor_list(user=request.user)
    return AdvisorFilter(request.GET or None, queryset=queryset, user=request.user)


def advisor_list_view(request):
    filterset = _filtered(request)
    return render(
        request,
        "volunteers/advisor_list.html",
        {
            "title": "Conseillers entreprises pour l'école et de l'enseignement technologique",
            "filter": filterset,
            "page_obj": paginate(request, filterset.qs),
            "can_propose": perms.can_propose_advisor(request.user),
            "is_team": perms.is_team(request.user),
        },
    )


ADVISOR_HEADER = [
    "Type", "Nom", "Prénom", "Courriel", "Statut", "Employeur", "Secteurs", "Organisation",
    "Convention", "État", "Désigné le", "Début du mandat", "Fin du mandat", "Employeur informé le",
]  # fmt: skip


def _advisor_row(a):
    return [
        a.kind_short, a.last_name, a.first_name, a.email, a.get_status_display(),
        a.employer_name, a.sectors, a.organisation.name,
        a.agreement.number if a.agreement_id else "", a.get_state_display(), a.designated_on,
        a.mandate_start, a.mandate_end, a.employer_informed_on,
    ]  # fmt: skip


def advisor_export_view(request):
    queryset = _filtered(request).qs
    log_export(
        request, data=PersonalData.ADVISORS, description="Liste des conseillers",
        fmt=export_format(request), rows=queryset.count(),
    )  # fmt: skip
    rows = queryset.iterator(chunk_size=2000)
    return export_response(
        export_format(request), "conseillers", ADVISOR_HEADER, rows, _advisor_row,
        title="Conseillers",
    )  # fmt: skip


def advisor_propose_view(request):
    if not perms.can_propose_advisor(request.user):
        raise PermissionDenied("Seule une organisation professionnelle propose des candidats.")
    kind = request.GET.get("type", AdvisorKind.CEE)
    if kind not in AdvisorKind.values:
        raise Http404("Type de conseiller inconnu.")
    form = AdvisorProposalForm(request.POST or None, user=request.user, kind=kind)

    def propose(data):
        organisation = data["organisation"]
        agreement = data.get("agreement")
        academie = data.get("academie") or (agreement.academie if agreement else None)
        academie = academie or organisation.academie
        if academie is None:
            form.add_error("academie", "Indiquez l'académie.")
            return None
        return services.advisor_propose(
            user=request.user, kind=kind, academie=academie, organisation=organisation,
            agreement=agreement, data=data,
        )  # fmt: skip

    advisor = run_form(request, form, propose)
    if advisor is not None:
        messages.success(request, f"La candidature de {advisor.full_name} est transmise.")
        return redirect(advisor)
    label = "CEE" if kind == AdvisorKind.CEE else "CET"
    return form_page(
        request, form, title=f"Proposer un {label}", submit="Proposer la candidature",
        back_url="/benevoles/conseillers/",
        intro="Article 3 de la convention : l'organisation propose au recteur des salariés, "
        "artisans ou employeurs reconnus pour leur expertise.",
    )  # fmt: skip


def advisor_detail_view(request, pk):
    advisor = advisor_get(user=request.user, pk=pk)
    interventions = advisor.interventions.select_related("establishment").order_by("-date")
    user = request.user
    actions = ADVISOR_WORKFLOW.names(user, advisor)
    return render(
        request,
        "volunteers/advisor_detail.html",
        {
            "title": f"{advisor.full_name} ({advisor.kind_short})",
            "advisor": advisor,
            "journal": advisor.journal.all(),
            "interventions": interventions,
            "totals": intervention_totals(interventions),
            "can_designate": "designer" in actions,
            "can_refuse": "refuser" in actions,
            "can_withdraw": "retirer" in actions,
            "can_confirm": "confirmer_employeur" in actions,
            "can_end": "terminer" in actions,
            "can_renew": "renouveler" in actions,
            "seats": advisor_seats(advisor),
            "reach": parcours_reach(advisor),
            "can_act": perms.can_act_for_organisation(user, advisor),
            "can_record": perms.can_record_intervention(user, advisor),
            "informed_form": EmployerInformedForm(initial={"informed_on": timezone.localdate()}),
        },
    )


def _vetted(request, pk):
    advisor = advisor_get(user=request.user, pk=pk)
    if not perms.can_vet_advisor(request.user, advisor):
        raise PermissionDenied("Seule l'équipe académique statue sur les candidatures.")
    return advisor


def advisor_designate_view(request, pk):
    advisor = _vetted(request, pk)
    user = request.user
    start = timezone.localdate()
    initial = {
        "mandate_start": start,
        "mandate_end": services.default_mandate(advisor, start=start),
        "geographic_scope": str(advisor.academie),
        "contact_name": user.get_full_name(),
        "contact_email": user.email,
        "contact_phone": user.phone,
    }
    form = DesignationForm(request.POST or None, initial=initial)
    done = run_form(
        request, form,
        lambda data: services.advisor_designate(user=user, advisor=advisor, **data),
    )  # fmt: skip
    if done is not None:
        messages.success(request, "Le conseiller est désigné ; sa lettre de mission est envoyée.")
        return redirect(done)
    return form_page(
        request, form, title=f"Désigner {advisor.full_name}", submit="Désigner et envoyer "
        "la lettre de mission", back_url=advisor.get_absolute_url(),
        intro="La lettre de mission précise la nature, le champ géographique, la durée de la "
        "mission et les coordonnées du référent académique (article 3).",
    )  # fmt: skip


def _reason_page(request, advisor, *, title, submit, action, success):
    form = ReasonForm(request.POST or None)
    done = run_form(request, form, lambda data: action(data["reason"]))
    if done is not None:
        messages.success(request, success)
        return redirect(done)
    return form_page(request, form, title=title, submit=submit, back_url=advisor.get_absolute_url())


def advisor_refuse_view(request, pk):
    advisor = _vetted(request, pk)
    return _reason_page(
        request, advisor, title=f"Refuser la candidature de {advisor.full_name}",
        submit="Refuser", success="La candidature est refusée ; l'organisation est informée.",
        action=lambda reason: services.advisor_refuse(
            user=request.user, advisor=advisor, reason=reason
        ),
    )  # fmt: skip


def advisor_end_view(request, pk):
    advisor = _vetted(request, pk)
    return _reason_page(
        request, advisor, title=f"Mettre fin à la mission de {advisor.full_name}",
        submit="Mettre fin à la mission", success="La mission est terminée.",
        action=lambda reason: services.advisor_end(
            user=request.user, advisor=advisor, reason=reason
        ),
    )  # fmt: skip


def _organisation_side(request, pk):
    advisor = advisor_get(user=request.user, pk=pk)
    if not perms.can_act_for_organisation(request.user, advisor):
        raise PermissionDenied("Seule l'organisation du conseiller peut le faire.")
    return advisor


@require_POST
def advisor_withdraw_view(request, pk):
    advisor = _organisation_side(request, pk)
    services.advisor_withdraw(user=request.user, advisor=advisor)
    messages.success(request, "La proposition est retirée.")
    return redirect(advisor)


@require_POST
def advisor_confirm_view(request, pk):
    advisor = _organisation_side(request, pk)
    form = EmployerInformedForm(request.POST)
    done = run_form(
        request, form,
        lambda data: services.advisor_confirm_employer_informed(
            user=request.user, advisor=advisor, informed_on=data["informed_on"]
        ),
    )  # fmt: skip
    if done is None:
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        messages.success(request, "C'est noté : l'employeur est informé, la mission commence.")
    return redirect(advisor)


def advisor_letter_view(request, pk, fmt):
    advisor = _organisation_side(request, pk)
    if not advisor.letter_number:
        raise Http404("Ce conseiller n'a pas encore de lettre de mission.")
    document = mission_letter_docx(advisor) if fmt == "docx" else mission_letter_pdf(advisor)
    response = HttpResponse(document.content, content_type=document.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


def intervention_create_view(request, pk):
    advisor = advisor_get(user=request.user, pk=pk)
    if not perms.can_record_intervention(request.user, advisor):
        raise PermissionDenied("Vous ne pouvez pas saisir d'intervention pour ce conseiller.")
    form = InterventionForm(
        request.POST or None, academie_id=advisor.academie_id,
        initial={"date": timezone.localdate(), "domain": (advisor.domains or [None])[0]},
    )  # fmt: skip
    done = run_form(
        request, form,
        lambda data: services.intervention_record(user=request.user, advisor=advisor, **data),
    )  # fmt: skip
    if done is not None:
        messages.success(request, "L'intervention est enregistrée.")
        return redirect(advisor)
    return form_page(
        request, form, title=f"Intervention de {advisor.full_name}", submit="Enregistrer",
        back_url=advisor.get_absolute_url(),
    )  # fmt: skip


def _interventions(request):
    return InterventionFilter(
        request.GET or None, queryset=interventions_visible_to(user=request.user),
        user=request.user,
    )  # fmt: skip


def intervention_list_view(request):
    filterset = _interventions(request)
    queryset = filterset.qs
    return render(
        request,
        "volunteers/intervention_list.html",
        {
            "title": "Interventions des conseillers",
            "filter": filterset,
            "page_obj": paginate(request, queryset),
            "totals": intervention_totals(queryset),
            "by_year": _by_school_year(queryset),
            "by_agreement": intervention_totals_by(queryset, "advisor__agreement__number"),
        },
    )


def _by_school_year(queryset) -> list[dict]:
    totals: dict[int, dict] = {}
    for row in intervention_totals_by(queryset, "date__year", "date__month"):
        year = row["date__year"] if row["date__month"] >= 9 else row["date__year"] - 1
        entry = totals.setdefault(year, {"label": school_year_label(year), "count": 0, "hours": 0})
        entry["count"] += row["count"]
        entry["hours"] += row["hours"]
    return [totals[year] for year in sorted(totals, reverse=True)]


INTERVENTION_HEADER = [
    "Date", "Conseiller", "Type", "Organisation", "Convention", "Domaine", "Établissement", "UAI",
    "Heures", "Description",
]  # fmt: skip


def _intervention_row(i):
    a = i.advisor
    return [
        i.date, a.full_name, a.kind_short, a.organisation.name,
        a.agreement.number if a.agreement_id else "", i.get_domain_display(),
        i.establishment.name, i.establishment.uai, float(i.hours), i.description,
    ]  # fmt: skip


def intervention_export_view(request):
    queryset = _interventions(request).qs
    log_export(
        request, data=PersonalData.ADVISOR_INTERVENTIONS,
        description="Interventions des conseillers", fmt=export_format(request),
        rows=queryset.count(),
    )  # fmt: skip
    rows = queryset.iterator(chunk_size=2000)
    return export_response(
        export_format(request), "interventions-conseillers", INTERVENTION_HEADER, rows,
        _intervention_row, title="Interventions",
    )  # fmt: skip


def commitments_view(request):
    if not (perms.is_team(request.user) or get_reach(request.user).organisation_ids):
        raise PermissionDenied("Réservé à l'équipe académique et aux organisations signataires.")
    report = commitment_report(user=request.user)
    return render(
        request,
        "volunteers/commitments.html",
        {
            "title": "Engagements des conventions CEE",
            "report": report,
            "short_count": sum(1 for row in report if row["short"]),
        },
    )


def _list_params(request):
    """The académie, type and school year of the nominative list page (team only)."""
    reach = get_reach(request.user)
    academies = (
        Academie.objects.all()
        if reach.national
        else Academie.objects.filter(pk__in=reach.managed_academie_ids)
    )
    if not perms.is_team(request.user):
        raise PermissionDenied("La liste nominative est établie par l'équipe académique.")
    code = request.GET.get("academie") or request.POST.get("academie")
    academie = get_object_or_404(academies, code=code) if code else academies.first()
    if academie is None:
        raise Http404("Aucune académie.")
    kind = request.GET.get("type") or request.POST.get("type") or AdvisorKind.CEE
    if kind not in AdvisorKind.values:
        raise Http404("Type de conseiller inconnu.")
    try:
        year = int(request.GET.get("annee") or request.POST.get("annee") or 0)
    except ValueError as error:
        raise Http404("Année scolaire invalide.") from error
    year = year if 2000 <= year <= 2100 else school_year_of(timezone.localdate())
    return academies, academie, kind, year


def nominative_list_view(request):
    academies, academie, kind, year = _list_params(request)
    if request.method == "POST":
        try:
            result = services.nominative_list_send(
                user=request.user, academie=academie, kind=kind, school_year=year
            )
        except ValidationError as error:  # nobody to send it to
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Liste envoyée à {len(result['sent'])} organisation(s).")
            for organisation in result["unreachable"]:
                messages.warning(request, f"« {organisation} » n'a aucune adresse : non envoyée.")
        return redirect(f"{request.path}?academie={academie.code}&type={kind}&annee={year}")
    advisors = list(nominative_list(academie_id=academie.pk, kind=kind, school_year=year))
    return render(
        request,
        "volunteers/nominative_list.html",
        {
            "title": f"Liste nominative {school_year_label(year)}",
            "academies": academies,
            "academie": academie,
            "kind": kind,
            "kinds": AdvisorKind.choices,
            "year": year,
            "years": range(school_year_of(timezone.localdate()) + 1, 2014, -1),
            "year_label": school_year_label(year),
            "advisors": advisors,
            "sendings": sendings_of(academie_id=academie.pk, kind=kind, school_year=year),
        },
    )


def nominative_list_download_view(request, fmt):
    academies, academie, kind, year = _list_params(request)
    advisors = list(nominative_list(academie_id=academie.pk, kind=kind, school_year=year))
    log_export(
        request, data=PersonalData.NOMINATIVE_LIST,
        description=f"Liste nominative des {KIND_SHORT[kind]} {school_year_label(year)} "
        f"({academie})", fmt=fmt if fmt in ("pdf", "xlsx") else "csv", rows=len(advisors),
    )  # fmt: skip
    if fmt == "pdf":
        document = nominative_list_pdf(
            academie=academie, kind=kind, school_year=year, advisors=advisors
        )
        response = HttpResponse(document.content, content_type=document.mimetype)
        response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
        return response
    return export_response(
        fmt, nominative_basename(academie, kind, year), NOMINATIVE_HEADER, advisors,
        nominative_row, title="Liste nominative",
    )  # fmt: skip
