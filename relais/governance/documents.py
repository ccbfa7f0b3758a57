"""The annual report (bilan) of a convention as a document: DOCX from the Word template
``bilan_annuel`` (relais/documents/docx/make_templates_governance.py) and PDF from HTML.

The commitments are those of the consolidated convention (avenants in force applied), each
with what was achieved during the school year.
"""

from __future__ import annotations

from django.utils import timezone

from relais.agreements.consolidation import consolidate
from relais.core.school_years import school_year_bounds, school_year_label
from relais.documents.rendering import Rendered, render_docx, render_pdf

from .enums import MeetingState
from .models import AnnualReport, Meeting

OPTIONAL = {"valide_le", "valide_par", "chiffres_cles", "resultats", "reunions"}


def report_rows(report: AnnualReport) -> list[dict]:
    """One row per commitment of the consolidated convention, with its result if entered
    (commitments added by an avenant after the report was opened appear too)."""
    results = {r.commitment_id: r for r in report.results.all()}
    rows = []
    for commitment in consolidate(report.agreement).commitments:
        result = results.get(commitment.pk)
        target = f"{commitment.quantity} {commitment.unit}".strip() if commitment.quantity else ""
        achieved = result.achieved if result and result.achieved is not None else None
        rows.append(
            {
                "commitment": commitment,
                "partie": str(commitment.party),
                "engagement": commitment.description,
                "objectif": target or "—",
                "realise": "—" if achieved is None else str(achieved),
                "achieved": achieved,
                "commentaire": result.comment if result else "",
                "rate": round(100 * achieved / commitment.quantity)
                if achieved is not None and commitment.quantity
                else None,
            }
        )
    return rows


def held_meetings(report: AnnualReport) -> list[Meeting]:
    start, end = school_year_bounds(report.school_year)
    return list(
        Meeting.objects.filter(
            body__agreement=report.agreement,
            state=MeetingState.HELD,
            starts_at__date__gte=start,
            starts_at__date__lte=end,
        )
        .select_related("body")
        .order_by("starts_at")
    )


def report_context(report: AnnualReport) -> dict:
    agreement = report.agreement
    finalized = report.finalized_at
    return {
        "report": report,
        "convention_numero": agreement.number,
        "convention_titre": agreement.title,
        "territoire": agreement.territory_label,
        "annee_scolaire": report.school_year_label,
        "annee_suivante": school_year_label(report.school_year + 1),
        "statut": report.get_state_display(),
        "valide_le": f"{timezone.localtime(finalized):%d/%m/%Y}" if finalized else "",
        "valide_par": (report.finalized_by.get_full_name() or report.finalized_by.email)
        if report.finalized_by
        else "",
        "actions_conduites": report.summary or "À compléter.",
        "chiffres_cles": report.figures,
        "plan_actions": report.action_plan or "À compléter.",
        "resultats": report_rows(report),
        "reunions": [
            {
                "instance": m.body.name,
                "date": f"{timezone.localtime(m.starts_at):%d/%m/%Y}",
                "lieu": m.place or "—",
            }
            for m in held_meetings(report)
        ],
    }


def _filename(report: AnnualReport, extension: str) -> str:
    return f"bilan-{report.agreement.number}-{report.school_year_label}.{extension}"


def report_docx(report: AnnualReport) -> Rendered:
    return render_docx(
        "bilan_annuel",
        report_context(report),
        filename=_filename(report, "docx"),
        optional=OPTIONAL,
    )


def report_pdf(report: AnnualReport) -> Rendered:
    return render_pdf(
        "governance/print/bilan.html", report_context(report), filename=_filename(report, "pdf")
    )
