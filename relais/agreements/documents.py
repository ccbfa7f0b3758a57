"""The convention as a document: DOCX from the Word templates (``convention``, or the
ministry's model ``convention_cee`` for a CEE convention) and PDF from HTML.

Pages, documents and exports show the consolidated convention (avenants in force applied).
A CEE convention's « [à compléter] » blanks are template fields: the ones the structured
data cannot fill are kept in ``Agreement.template_fields``, and generation lists those still
missing instead of printing blanks.
"""

from __future__ import annotations

from datetime import date

from relais.core import clock
from relais.documents.rendering import Rendered, missing_fields, render_docx, render_pdf

from .consolidation import consolidate, key_dates
from .enums import AgreementKind, CommitmentCategory, PartySide

# Fields of the CEE model the user completes, with their label (the « [à compléter] »).
CEE_FREE_FIELDS = {
    "domaines_intervention": "Article 2 — domaines d'intervention convenus",
    "secteurs": "Article 3 — secteur(s) d'expertise des candidats",
    "modalites": "Article 4 — modalités d'action et d'accompagnement, fréquences",
    "comite_composition": "Article 6 — composition du comité de pilotage",
    "comite_initiative": "Article 6 — à l'initiative de",
    "compte_rendu_redacteur": "Article 6 — compte rendu rédigé par",
    "recteur_qualite": "Signature — qualité du recteur (« La rectrice de l'académie de … »)",
}
CEE_FIELD_LABELS = CEE_FREE_FIELDS | {
    "academie_nom": "Partie Éducation nationale — nom",
    "academie_denomination": "Partie Éducation nationale — « ci-dénommée »",
    "academie_adresse": "Partie Éducation nationale — adresse",
    "academie_representant": "Partie Éducation nationale — représentée par",
    "organisation_nom": "Organisation professionnelle — nom",
    "organisation_denomination": "Organisation professionnelle — « ci-dénommée »",
    "organisation_adresse": "Organisation professionnelle — adresse",
    "organisation_representant": "Organisation professionnelle — représentée par",
    "nombre_cee": "Article 1 — nombre de conseillers entreprises (engagement « CEE »)",
    "fait_le": "Date de signature",
}
GENERIC_OPTIONAL = {
    "amends",
    "version",
    "legal_basis",
    "preamble",
    "commitments",
    "confidentiality_clause",
    "open_to_new_signatories",
    "articles",
}


def template_kind(agreement) -> str:
    return "convention_cee" if agreement.kind == AgreementKind.CEE else "convention"


def _fr(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def duration_text(clauses: dict, agreement) -> str:
    months = clauses["duration_months"]
    start = (
        f"à compter du {_fr(agreement.effective_date)}"
        if agreement.effective_date
        else "à compter de la date de la dernière signature"
    )
    if months is None:
        text = f"La présente convention prend effet {start}, pour une durée indéterminée."
    else:
        length = f"{months // 12} ans" if months % 12 == 0 else f"{months} mois"
        text = f"La présente convention prend effet {start}. Elle est conclue pour {length}"
        if clauses["tacit_renewal"]:
            limit = clauses["max_renewals"]
            text += ", renouvelable par tacite reconduction" + (
                f" dans la limite de {limit} reconduction(s)" if limit is not None else ""
            )
        text += "."
    if clauses["notice_months"]:
        text += (
            f" En cas de non-renouvellement, un préavis de {clauses['notice_months']} mois "
            "doit être respecté."
        )
    if clauses["termination_months"]:
        text += (
            " Elle peut être dénoncée par l'une ou l'autre des parties : la résiliation prend "
            f"effet à l'expiration d'un délai de {clauses['termination_months']} mois à compter "
            "de la réception de la notification écrite."
        )
    return text


def convention_context(agreement, *, today: date | None = None, consolidated=None) -> dict:
    """Everything the templates show, from the consolidated convention (pass it when the
    caller already has it)."""
    consolidated = consolidated or consolidate(agreement)
    clauses = consolidated.clauses
    version = agreement.versions.order_by("-number").values_list("number", flat=True).first()
    signatories = [
        {
            "party": s.party.name,
            "full_name": s.full_name,
            "title": s.title,
            "signed": f"{_fr(s.signed_on)} ({s.get_mode_display().lower()})" if s.signed_on else "",
        }
        for s in consolidated.signatories
    ]
    dispute = agreement.dispute_clause or "Les parties recherchent un règlement amiable."
    court = clauses.get("competent_court")
    if court:
        dispute += f" À défaut, le litige est porté devant le {court}."
    context = {
        "number": agreement.number,
        "title": agreement.title,
        "kind_label": agreement.get_kind_display(),
        "version": version,
        "amends": str(agreement.amends) if agreement.amends_id else "",
        "parties": consolidated.parties,
        "legal_basis": [line for line in agreement.legal_basis.splitlines() if line.strip()],
        "preamble": agreement.preamble,
        "articles": consolidated.articles,
        "commitments": [str(c) for c in consolidated.commitments],
        "duration_text": duration_text(clauses, agreement),
        "confidentiality_clause": agreement.confidentiality_clause,
        "dispute_text": dispute,
        "open_to_new_signatories": agreement.open_to_new_signatories,
        "signatories": signatories,
        "consolidated": consolidated,
        "agreement": agreement,
        "dates": key_dates(agreement, on=today or clock.today(), clauses=clauses),
    }
    if agreement.kind == AgreementKind.CEE:
        context |= cee_fields(agreement, consolidated)
    return context


def cee_fields(agreement, consolidated) -> dict:
    education = next((p for p in consolidated.parties if p.side == PartySide.EDUCATION), None)
    economic = next((p for p in consolidated.parties if p.side != PartySide.EDUCATION), None)
    cee_count = sum(
        c.quantity or 0
        for c in consolidated.commitments
        if c.category == CommitmentCategory.CEE and c.quantity
    )
    fields = {
        "academie_nom": education.name if education else "",
        "academie_denomination": education.short_name if education else "",
        "academie_adresse": education.address if education else "",
        "academie_representant": education.represented_by if education else "",
        "organisation_nom": economic.name if economic else "",
        "organisation_denomination": economic.short_name if economic else "",
        "organisation_adresse": economic.address if economic else "",
        "organisation_representant": economic.represented_by if economic else "",
        "nombre_cee": str(cee_count) if cee_count else "",
        "fait_le": _fr(agreement.signed_on),
    }
    stored = agreement.template_fields or {}
    for name in CEE_FIELD_LABELS:
        if not fields.get(name) and stored.get(name):
            fields[name] = stored[name]
    return fields


def optional_fields(agreement) -> set[str]:
    """Fields that may stay empty: the generic template's optional parts; for the CEE model,
    the date « Fait le » until the convention is signed (it is printed for signature)."""
    if template_kind(agreement) == "convention":
        return GENERIC_OPTIONAL
    return set() if agreement.signed_on else {"fait_le"}


def missing(agreement, context: dict | None = None, *, consolidated=None) -> list[tuple[str, str]]:
    """Fields still to complete before generating, as (field, French label)."""
    context = context or convention_context(agreement, consolidated=consolidated)
    kind = template_kind(agreement)
    optional = optional_fields(agreement)
    names = missing_fields(kind, context, optional=optional)
    return [(name, CEE_FIELD_LABELS.get(name, name)) for name in names]


def _complete_context(agreement) -> dict:
    """The context, or DocumentError naming (by their French label) the fields still missing."""
    from relais.documents.rendering import DocumentError

    context = convention_context(agreement)
    gaps = missing(agreement, context)
    if gaps:
        raise DocumentError(
            "Champs à compléter avant de générer le document : "
            + ", ".join(label for _, label in gaps)
            + "."
        )
    return context


def convention_docx(agreement) -> Rendered:
    """The DOCX from the Word template. Refused while template fields are missing, listing
    them by their label (« Article 2 — domaines d'intervention convenus »)."""
    kind = template_kind(agreement)
    optional = optional_fields(agreement)
    return render_docx(
        kind,
        _complete_context(agreement),
        filename=f"{agreement.number}.docx",
        optional=optional,
    )


def convention_pdf(agreement) -> Rendered:
    """The PDF, from the same content (HTML → WeasyPrint). Refused, like the DOCX, while
    template fields are missing."""
    context = _complete_context(agreement)
    return render_pdf("agreements/document.html", context, filename=f"{agreement.number}.pdf")
