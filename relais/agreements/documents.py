"""The convention as a document: DOCX from the Word templates (``convention``, or the
ministry's model ``convention_cee`` for a CEE convention) and PDF from HTML.

Pages, documents and exports show the consolidated convention (avenants in force applied).
A CEE convention's « [à compléter] » blanks are template fields: the ones the structured
data cannot fill are kept in ``Agreement.template_fields``, and generation lists those still
missing instead of printing blanks.
"""

from __future__ import annotations

import re
from datetime import date

from relais.core import clock
from relais.documents.cee_model import CEE_ARTICLES, CEE_PREAMBLE
from relais.documents.rendering import Rendered, missing_fields, render_docx, render_pdf

from .consolidation import consolidate, key_dates
from .enums import AgreementKind, AgreementScope, CommitmentCategory, PartySide
from .wording import duration_words, months_words, number_words

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
# The placeholders that Relais fills from the convention itself (its parties, signatories,
# dates): named in French when one is still empty, and completed on the convention's page,
# not on the page of the model's free fields.
COMPUTED_FIELD_LABELS = {
    "title": "Intitulé de la convention",
    "number": "Numéro de la convention",
    "kind_label": "Type de convention",
    "issuer": "Académie ou service qui établit la convention",
    "party_lines": "Parties (nom, adresse, représentant)",
    "signature_blocks": "Signataires des parties",
    "signature_recteur": "Signataire pour l'académie",
    "signature_organisation": "Signataire pour l'organisation professionnelle",
    "fait_a_le": "Lieu et date de signature (« Fait à … le … »)",
    "duration_text": "Durée de la convention",
    "dispute_text": "Règlement des différends",
}
GENERIC_OPTIONAL = {
    "amends",
    "adhesion_text",
    "consolidated_note",
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
    """The duration, renewal, notice and termination clauses in words, as the texts write
    them (« trois ans », « un préavis de trois mois »); a clause left empty is not printed."""
    months = clauses["duration_months"]
    start = (
        f"à compter du {_fr(agreement.effective_date)}"
        if agreement.effective_date
        else "à compter de la date de la dernière signature"
    )
    if months is None:
        text = f"La présente convention prend effet {start}, pour une durée indéterminée."
    else:
        length = duration_words(months, agreement.duration_unit)
        text = (
            f"La présente convention prend effet {start}. Elle est conclue pour une durée "
            f"de {length}"
        )
        if clauses["tacit_renewal"]:
            limit = clauses["max_renewals"]
            text += ", renouvelable par tacite reconduction" + (
                f" dans la limite de {number_words(limit)} reconduction{'s' if limit > 1 else ''}"
                if limit
                else ""
            )
        text += "."
    if clauses["notice_months"]:
        text += (
            f" En cas de non-renouvellement, un préavis de {months_words(clauses['notice_months'])}"
            " doit être respecté."
        )
    if clauses["termination_months"]:
        origin = (
            "de l'envoi de la lettre recommandée avec accusé de réception"
            if agreement.termination_from_sending
            else "de la réception de la notification écrite"
        )
        text += (
            " Elle peut être dénoncée par l'une ou l'autre des parties : la résiliation prend "
            f"effet à l'expiration d'un délai de {months_words(clauses['termination_months'])} "
            f"à compter {origin}."
        )
    breach = clauses.get("breach_months")
    if breach:
        origin = "suivant l'envoi" if agreement.breach_from_sending else "suivant la réception"
        text += (
            " En cas de non-respect des termes de la convention, elle peut être résiliée de "
            f"plein droit à l'expiration d'un délai de {months_words(breach)} {origin} d'une "
            "lettre recommandée avec accusé de réception valant mise en demeure."
        )
    return text


BLANK = "…………………"


def issuer(agreement) -> str:
    """The académie (or région académique) under the bloc-marque; the ministry for a
    national convention."""
    if agreement.scope == AgreementScope.NATIONAL:
        return "Ministère de l'Éducation nationale"
    if agreement.scope == AgreementScope.ACADEMIC_REGION:
        return f"Région académique {agreement.academic_region}"
    return str(agreement.academie)


def party_line(party) -> str:
    """A party as the conventions name it, without any gender placeholder (« (e) »)."""
    line = party.name
    if party.short_name:
        line += f" (ci-après « {party.short_name} »)"
    if party.address:
        line += f", {party.address}"
    if party.represented_by:
        line += f", représentant légal : {party.represented_by}"
    return line + " ;"


def signature_block(signatory) -> dict:
    """One signatory's block: the party, the person with their civility, their title, and
    the date and mode once signed."""
    person = f"{signatory.get_civility_display() if signatory.civility else ''} "
    person = (person + signatory.full_name).strip()
    signed = (
        f"Signé le {_fr(signatory.signed_on)} ({signatory.get_mode_display().lower()})"
        if signatory.signed_on
        else "Signature :"
    )
    return {"party": signatory.party.name, "person": person, "title": signatory.title,
            "signed": signed}  # fmt: skip


def fait_a_le(agreement) -> str:
    """« Fait à Lille, le 15/03/2016 »; the blanks to fill by hand until it is signed."""
    place = agreement.signature_place or BLANK
    day = _fr(agreement.signed_on) or BLANK
    return f"Fait à {place}, le {day}"


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
        "joining": _joining(agreement),
        "adhesion_text": _adhesion_text(agreement),
        "issuer": issuer(agreement),
        "party_lines": [party_line(p) for p in consolidated.parties],
        "signature_blocks": [signature_block(s) for s in consolidated.signatories],
        "fait_a_le": fait_a_le(agreement),
        "consolidated_note": (
            f"Version consolidée avec {len(consolidated.avenants)} "
            f"avenant{'s' if len(consolidated.avenants) > 1 else ''}"
            if consolidated.is_amended
            else ""
        ),
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
        context |= {"cee_preamble": CEE_PREAMBLE, "cee_articles": cee_articles(context)}
    return context


def _block_text(party, consolidated) -> str:
    """Under a CEE signature heading: the person signing for ``party`` and, once signed,
    the date and mode."""
    blocks = [
        signature_block(s) for s in consolidated.signatories if party and s.party_id == party.pk
    ]
    return " ; ".join(f"{b['person']} — {b['signed']}" for b in blocks) or "Signature :"


def _adhesion_text(agreement) -> str:
    joining = _joining(agreement)
    if not joining:
        return ""
    names = ", ".join(p.name for p in joining)
    plural = len(joining) > 1
    return (
        f"Par le présent avenant d'adhésion, {names} adhère{'nt' if plural else ''} à la "
        f"convention {agreement.amends} et en accepte{'nt' if plural else ''} l'ensemble des "
        "stipulations, à compter de la prise d'effet du présent avenant."
    )


def _joining(agreement) -> list:
    """The parties an adhesion avenant brings in (not yet parties to the convention)."""
    if not agreement.amends_id or agreement.avenant_purpose != "adhesion":
        return []
    known = {p.name.casefold() for p in consolidate(agreement.amends).parties}
    return [p for p in agreement.parties.all() if p.name.casefold() not in known]


def cee_articles(context: dict) -> list[tuple[str, list[str]]]:
    """The articles of the CEE model with their fields filled (the PDF prints them; the
    Word template has the same text with its fields)."""
    return [
        (heading, [_fill(text, context) for text in paragraphs])
        for heading, paragraphs in CEE_ARTICLES
    ]


def _fill(text: str, context: dict) -> str:
    return re.sub(r"\{\{ (\w+) \}\}", lambda m: str(context.get(m.group(1), "")), text)


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
        "signature_recteur": _block_text(education, consolidated),
        "signature_organisation": _block_text(economic, consolidated),
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
    labels = CEE_FIELD_LABELS | COMPUTED_FIELD_LABELS
    return [(name, labels.get(name, name)) for name in names]


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
    return render_pdf(
        "agreements/document.html", context, filename=f"{agreement.number}.pdf", archive=True
    )
