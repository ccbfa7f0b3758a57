"""Annual reports (bilans) of the conventions: the years that may be reported, opening,
editing and validating a report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.agreements.consolidation import consolidate
from relais.agreements.enums import AgreementKind
from relais.agreements.models import Agreement
from relais.core.school_years import school_year_label, school_year_of
from relais.users.types import AnyUser

from ..models import AnnualReport, CommitmentResult
from ..perms import can_manage_report
from ..workflows import REPORT_WORKFLOW
from .common import _as_saved, _locked


def report_years_open(agreement: Agreement, *, today: date | None = None) -> list[int]:
    """The school years an annual report of ``agreement`` may be opened for, latest first:
    from the year it took effect to the current one (or to the year it ended, if earlier),
    without the years already reported. A bilan is of a year lived under the convention:
    neither before it took effect nor after it ended, nor of a year not begun."""
    if agreement.start_date is None:
        return []
    first = school_year_of(agreement.start_date)
    last = school_year_of(today or timezone.localdate())
    end = agreement.ended_on or agreement.terminated_on
    if end:
        last = min(last, school_year_of(end))
    taken = set(agreement.annual_reports.values_list("school_year", flat=True))
    return [year for year in range(last, first - 1, -1) if year not in taken]


def _report_year_problem(
    agreement: Agreement, start_date: date, school_year: int, today: date
) -> str | None:
    """Why no report may be opened for ``school_year`` (None: it may); ``start_date`` is the
    convention's (``agreement.start_date``, known to be set)."""
    if school_year in report_years_open(agreement, today=today):
        return None
    first = school_year_of(start_date)
    end = agreement.ended_on or agreement.terminated_on
    if school_year < first:
        return f"La convention est entrée en vigueur en {school_year_label(first)}."
    if AnnualReport.objects.filter(agreement=agreement, school_year=school_year).exists():
        return f"Le bilan {school_year_label(school_year)} existe déjà."
    if end and school_year > school_year_of(end):
        return f"La convention a pris fin en {school_year_label(school_year_of(end))}."
    return f"L'année scolaire {school_year_label(school_year)} n'a pas encore commencé."


def report_create(
    *, user: AnyUser, agreement: Agreement, school_year: int, today: date | None = None
) -> AnnualReport:
    """Open the draft annual report of a convention for a school year (one per year, among
    ``report_years_open``), with a line for each commitment of the consolidated convention
    (its avenants in force applied). Lille: the strategic committee « établira le bilan des
    actions conduites lors de l'année écoulée »; CPME IdF art. 3.1: « un bilan de l'année
    passée et un plan de partenariat […] de l'année à venir »."""
    if not can_manage_report(user, agreement):
        raise PermissionDenied("Seule l'équipe qui gère cette convention rédige son bilan.")
    if agreement.kind == AgreementKind.AVENANT:
        raise ValidationError("Le bilan porte sur la convention, pas sur un avenant.")
    if agreement.start_date is None:
        raise ValidationError("La convention n'est pas encore entrée en vigueur : pas de bilan.")
    problem = _report_year_problem(
        agreement, agreement.start_date, school_year, today or timezone.localdate()
    )
    if problem:
        raise ValidationError({"school_year": problem})
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(agreement=agreement, school_year=school_year)
            CommitmentResult.objects.bulk_create(
                CommitmentResult(report=report, commitment=c)
                for c in consolidate(agreement).commitments
            )
            REPORT_WORKFLOW.log_creation(report, user=user)
    except IntegrityError:  # opened by someone else a moment ago
        raise ValidationError(
            {"school_year": f"Le bilan {school_year_label(school_year)} existe déjà."}
        ) from None
    return report


def report_update(
    *,
    user: AnyUser,
    report: AnnualReport,
    data: dict[str, Any],
    results: dict[int, dict[str, Any]] | None = None,
) -> AnnualReport:
    """Edit a draft report: summary, key figures, next year's plan, and for each commitment
    what was achieved (figure and comment)."""
    if not can_manage_report(user, report.agreement):
        raise PermissionDenied("Seule l'équipe qui gère cette convention rédige son bilan.")
    with transaction.atomic():
        _locked(report)  # not while it is being validated
        if not report.is_draft:
            raise ValidationError("Ce bilan est validé : il ne peut plus être modifié.")
        for name in ("summary", "figures", "action_plan"):
            if name in data:
                setattr(report, name, (data[name] or "").strip())
        report.save()
        for commitment_id, values in (results or {}).items():
            CommitmentResult.objects.update_or_create(
                report=report,
                commitment_id=commitment_id,
                defaults={
                    "achieved": values.get("achieved"),
                    "comment": (values.get("comment") or "").strip(),
                },
            )
    return report


def report_validate(
    *,
    user: AnyUser,
    report: AnnualReport,
    now: datetime | None = None,
    computed: list[dict[str, Any]] | None = None,
) -> AnnualReport:
    """Validate the report (« valider »: brouillon → validé) once its actions and plan are
    written: it is then final and no longer changes. ``computed``: the figures computed from
    Relais's data (``relais.reporting.bilans``), frozen with it. Returns the report as
    saved."""
    with transaction.atomic():
        _locked(report)
        if report.finalized_at:
            raise ValidationError(
                f"Ce bilan est déjà validé (le {timezone.localtime(report.finalized_at):%d/%m/%Y})."
            )
        saved = REPORT_WORKFLOW.fire(report, "valider", user=user, now=now, computed=computed)
        return _as_saved(report, saved)
