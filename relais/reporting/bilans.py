"""The annual bilan of a convention computed from Relais's own data, not typed (issue 11,
item 4): for the school year of the bilan, the commitments planned against achieved (the
same lines as the national partners' commitments page, ``partners.commitments``), the
meetings its instances held, the actions done, the placements and the advisers'
interventions of the partner's network — each figure with the rows it counts (its
evidence), never a pupil's name.

While the bilan is a draft the figures are computed at each reading; ``bilan_validate``
freezes them in the report (``AnnualReport.computed``) and sends the validated bilan to the
parties' signatories with its PDF, once. A validated bilan shows its frozen figures, which
are those of the commitments page for that year as long as nothing is recorded afterwards
for that year.

The year is that of ``measures.year_bounds`` (1 August to 31 July), the year the pôles and
the parcours count by.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet

from relais.actions.models import ActionRecord
from relais.agreements.models import Agreement, Signatory
from relais.core.notifications import absolute_url, notify_once
from relais.governance import documents
from relais.governance.enums import MeetingState
from relais.governance.models import AnnualReport, Meeting
from relais.governance.services import report_validate
from relais.internships.models import Placement
from relais.pathways.selectors import SMALL_COUNT
from relais.users.types import AnyUser
from relais.volunteers.models import AdvisorIntervention

from . import partners
from .measures import year_bounds

EVIDENCE_LIMIT = 500


@dataclass(frozen=True)
class Figure:
    """One figure of the bilan: what was achieved, what was planned (commitments), what was
    counted, and the key of its evidence (``evidence``)."""

    key: str
    label: str
    achieved: int | None
    planned: int | None
    counted: str

    @property
    def rate(self) -> float | None:
        if not self.planned or self.achieved is None:
            return None
        return round(100 * self.achieved / self.planned, 1)

    @property
    def has_evidence(self) -> bool:
        return self.key in EVIDENCE and self.achieved is not None


def _meetings(agreement: Agreement, year: int) -> QuerySet[Meeting]:
    start, end = year_bounds(year)
    return Meeting.objects.filter(
        body__agreement=agreement,
        state=MeetingState.HELD,
        starts_at__date__gte=start,
        starts_at__date__lt=end,
    )


def _actions(network: set[int], year: int) -> QuerySet[ActionRecord]:
    start, end = year_bounds(year)
    return ActionRecord.objects.filter(
        organisation_id__in=network, done_on__gte=start, done_on__lt=end
    )


def _placements(network: set[int], year: int) -> QuerySet[Placement]:
    start, end = year_bounds(year)
    return Placement.objects.filter(
        Q(offer__host_id__in=network) | Q(offer__partner_id__in=network),
        start__gte=start,
        start__lt=end,
    )


def _interventions(network: set[int], year: int) -> QuerySet[AdvisorIntervention]:
    start, end = year_bounds(year)
    return AdvisorIntervention.objects.filter(
        advisor__organisation_id__in=network, date__gte=start, date__lt=end
    )


def compute(agreement: Agreement, year: int) -> list[Figure]:
    """The figures of ``agreement`` for the school year ``year``: each commitment line of
    ``partners.commitments`` (the convention's and its declinations'), then the meetings
    held by its instances, the actions done, the pupils placed in stage and the advisers'
    interventions of its partner's network."""
    figures = [
        Figure(f"engagement-{line.category}", line.label, line.achieved, line.planned,
               line.evidence)
        for line in partners.commitments(agreement, year=year)
    ]  # fmt: skip
    network = partners.network_ids(agreement)
    figures += [
        Figure("reunions", "Réunions tenues par ses instances", _meetings(agreement, year).count(),
               None, "réunions marquées « tenue » pendant l'année"),
        Figure("actions", "Actions réalisées avec les élèves", _actions(network, year).count(),
               None, "actions réalisées enregistrées par les écoles avec un membre du réseau"),
        Figure("placements", "Élèves placés en stage", _placements(network, year).count(), None,
               "stages commençant pendant l'année chez un membre du réseau"),
        Figure("interventions", "Interventions des conseillers entreprises",
               _interventions(network, year).count(), None,
               "interventions des conseillers issus du réseau"),
    ]  # fmt: skip
    return figures


def figures_of(report: AnnualReport) -> tuple[list[Figure], bool]:
    """The bilan's figures and whether they are frozen (validated) or computed now."""
    if report.is_final and report.computed:
        return [Figure(**row) for row in report.computed], True
    return compute(report.agreement, report.school_year), False


# --- evidence --------------------------------------------------------------------------------


def _evidence_meetings(agreement, year, network):
    rows = _meetings(agreement, year).select_related("body").order_by("starts_at")
    return ["Date", "Instance"], [[m.starts_at.date(), m.body.name] for m in rows]


def _evidence_actions(agreement, year, network):
    rows = _actions(network, year).select_related("establishment", "organisation")
    return ["Date", "Action", "Établissement", "Partenaire", "Élèves"], [
        [r.done_on, r.title, r.establishment.name, r.organisation.name if r.organisation else "",
         r.pupil_count if r.pupil_count is not None else ""]
        for r in rows.order_by("done_on", "pk")
    ]  # fmt: skip


def _evidence_placements(agreement, year, network):
    """Per offer and week: how many pupils were placed — never who, and under ``SMALL_COUNT``
    only « < 11 » (statistical secrecy above the school)."""
    rows = (
        _placements(network, year)
        .select_related("offer__host")
        .order_by("start", "offer_id")
        .values_list("start", "offer__title", "offer__host__name")
    )
    counted: dict[tuple, int] = {}
    for row in rows:
        counted[row] = counted.get(row, 0) + 1
    return ["Début", "Offre", "Accueil", "Élèves placés"], [
        [start, title, host, n if n >= SMALL_COUNT else f"< {SMALL_COUNT}"]
        for (start, title, host), n in counted.items()
    ]


def _evidence_interventions(agreement, year, network):
    rows = _interventions(network, year).select_related("advisor", "establishment")
    return ["Date", "Conseiller", "Établissement", "Domaine"], [
        [r.date, str(r.advisor), r.establishment.name, r.get_domain_display()]
        for r in rows.order_by("date", "pk")
    ]


EVIDENCE = {
    "reunions": _evidence_meetings,
    "actions": _evidence_actions,
    "engagement-decouverte": _evidence_actions,
    "placements": _evidence_placements,
    "engagement-pfmp": _evidence_placements,
    "interventions": _evidence_interventions,
}


def evidence(agreement: Agreement, year: int, key: str) -> tuple[list[str], list[list]] | None:
    """The rows a figure counts (at most ``EVIDENCE_LIMIT``), or None for a figure without
    a list of rows. Today's rows: a figure frozen at validation may differ if an action of
    that year was recorded since."""
    build = EVIDENCE.get(key)
    if build is None:
        return None
    header, rows = build(agreement, year, partners.network_ids(agreement))
    return header, rows[:EVIDENCE_LIMIT]


# --- validation ------------------------------------------------------------------------------


def parties_emails(agreement: Agreement) -> list[str]:
    """The signatories' e-mails of the convention (its parties), as recorded."""
    return sorted(
        set(
            Signatory.objects.filter(agreement=agreement)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def bilan_validate(
    *, user: AnyUser, report: AnnualReport, now: datetime | None = None
) -> AnnualReport:
    """Validate the bilan (``governance.services.report_validate``) with its figures computed
    now and frozen in it, then send it to the parties' signatories with its PDF (once: the
    e-mail is written in the same transaction, under the report's key). Lille: the strategic
    committee « établira le bilan des actions conduites lors de l'année écoulée »; CPME IdF
    art. 3.1: « un bilan de l'année passée »."""
    with transaction.atomic():
        computed = [asdict(f) for f in compute(report.agreement, report.school_year)]
        report = report_validate(user=user, report=report, now=now, computed=computed)
        pdf = documents.report_pdf(report)
        notify_once(
            key=f"bilan:{report.pk}:envoi",
            recipients=parties_emails(report.agreement),
            subject=f"[Relais] Bilan {report.school_year_label} — convention "
            f"{report.agreement.number}",
            template="governance/mail/bilan_sent.txt",
            context={
                "report": report,
                "figures": figures_of(report)[0],
                "url": absolute_url(f"/instances/bilans/{report.pk}/"),
            },
            about=f"governance.annualreport:{report.pk}",
            attachments=[(pdf.filename, pdf.content, pdf.mimetype)],
        )
    return report
