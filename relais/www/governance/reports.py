"""Pages of the annual reports (bilans) of the conventions: list, per convention with the
creation form, detail (with the figures computed from Relais's data, frozen at validation,
each linked to its evidence), edit, validation (sent to the parties), DOCX and PDF
downloads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from relais.agreements.models import Agreement
from relais.core.school_years import school_year_label
from relais.documents.rendering import DocumentError, Rendered
from relais.governance import documents, selectors, services
from relais.governance.models import AnnualReport
from relais.governance.perms import can_manage_report
from relais.governance.workflows import REPORT_WORKFLOW
from relais.reporting import bilans
from relais.www.forms import add_errors
from relais.www.lists import paginate

from .forms import ReportCreateForm, ReportForm


def _report(request, pk) -> AnnualReport:
    try:
        return selectors.report_get(request.user, pk)
    except AnnualReport.DoesNotExist as exc:
        raise Http404("Bilan introuvable.") from exc


def report_list_view(request):
    reports = selectors.report_list(request.user)
    page = paginate(request, reports)
    return render(
        request,
        "governance/report_list.html",
        {"title": "Bilans annuels des conventions", "page_obj": page, "agreement": None},
    )


def report_agreement_view(request, pk):
    """The reports of one convention, and (for its team) the form opening a new one."""
    try:
        agreement = selectors.agreement_for_reports(request.user, pk)
    except Agreement.DoesNotExist as exc:
        raise Http404("Convention introuvable.") from exc
    manager = can_manage_report(request.user, agreement)
    if request.method == "POST" and not manager:
        raise PermissionDenied("Seule l'équipe qui gère cette convention rédige son bilan.")
    form = (
        ReportCreateForm(request.POST or None, years=services.report_years_open(agreement))
        if manager
        else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                user=request.user, agreement=agreement, school_year=form.cleaned_data["school_year"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Le bilan {report.school_year_label} est ouvert.")
            return redirect("governance:report_edit", report.pk)
    page = paginate(request, selectors.report_list(request.user, agreement_id=agreement.pk))
    return render(
        request,
        "governance/report_list.html",
        {
            "title": f"Bilans annuels — {agreement.number}",
            "page_obj": page,
            "agreement": agreement,
            "form": form,
            "can_manage": manager,
        },
        status=400 if form is not None and form.errors else 200,
    )


def report_detail_view(request, pk):
    report = _report(request, pk)
    manager = can_manage_report(request.user, report.agreement)
    # The workflow says whether « valider » is possible now, or else what is left to write.
    can_validate = "valider" in REPORT_WORKFLOW.names(request.user, report)
    not_yet = REPORT_WORKFLOW.blocked(request.user, report).get("valider", "")
    figures, frozen = bilans.figures_of(report)
    return render(
        request,
        "governance/report_detail.html",
        {
            "title": str(report),
            "report": report,
            "rows": documents.report_rows(report),
            "meetings": documents.held_meetings(report),
            "next_year": school_year_label(report.school_year + 1),
            "can_manage": manager,
            "can_edit": manager and report.is_draft,
            "can_validate": can_validate,
            "validation_hint": not_yet,
            "computed": figures,
            "frozen": frozen,
        },
    )


def report_edit_view(request, pk):
    report = _report(request, pk)
    if not can_manage_report(request.user, report.agreement):
        raise PermissionDenied("Seule l'équipe qui gère cette convention rédige son bilan.")
    if not report.is_draft:
        messages.error(request, "Ce bilan est validé : il ne peut plus être modifié.")
        return redirect("governance:report_detail", report.pk)
    results = list(report.results.all())
    form = ReportForm(request.POST or None, instance=report, results=results)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(
                user=request.user,
                report=report,
                data=form.cleaned_data,
                results=form.result_values(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Le bilan est enregistré.")
            return redirect("governance:report_detail", report.pk)
    return render(
        request,
        "governance/form.html",
        {
            "title": f"Modifier le bilan {report.school_year_label} — {report.agreement.number}",
            "form": form,
            "cancel_url": reverse("governance:report_detail", args=[report.pk]),
            "intro": "Les actions conduites, la réalisation de chaque engagement de la "
            "convention (avenants en vigueur compris), les chiffres clés et le plan d'actions "
            "de l'année suivante.",
        },
        status=400 if form.errors else 200,
    )


@require_POST
def report_validate_view(request, pk):
    report = _report(request, pk)
    if not can_manage_report(request.user, report.agreement):
        raise PermissionDenied("Seule l'équipe qui gère cette convention valide son bilan.")
    try:
        bilans.bilan_validate(user=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Le bilan {report.school_year_label} est validé : ses chiffres sont figés et il "
            "est envoyé aux signataires des parties.",
        )
    return redirect("governance:report_detail", report.pk)


def _download(rendered: Rendered) -> HttpResponse:
    response = HttpResponse(rendered.content, content_type=rendered.mimetype)
    response["Content-Disposition"] = f'attachment; filename="{rendered.filename}"'
    return response


def report_docx_view(request, pk):
    report = _report(request, pk)
    try:
        return _download(documents.report_docx(report))
    except DocumentError as error:
        messages.error(request, str(error))
        return redirect("governance:report_detail", report.pk)


def report_pdf_view(request, pk):
    report = _report(request, pk)
    return _download(documents.report_pdf(report))


def report_evidence_view(request, pk, key: str):
    """The rows one computed figure of the bilan counts (``relais.reporting.bilans``)."""
    report = _report(request, pk)
    figures, frozen = bilans.figures_of(report)
    figure = next((f for f in figures if f.key == key and f.has_evidence), None)
    found = bilans.evidence(report.agreement, report.school_year, key) if figure else None
    if figure is None or found is None:
        raise Http404("Chiffre inconnu.")
    header, rows = found
    return render(
        request,
        "governance/report_evidence.html",
        {
            "title": f"{figure.label} — bilan {report.school_year_label}",
            "report": report,
            "figure": figure,
            "frozen": frozen,
            "header": header,
            "rows": rows,
            "limit": bilans.EVIDENCE_LIMIT,
        },
    )
