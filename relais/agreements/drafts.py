"""What a draft must satisfy, and what is frozen from it.

- ``validate_clauses``: the term and renewal clauses (a CEE convention lasts three years, art.
  D. 331-66 of the code de l'éducation; an avenant keeps consistent terms), checked at each
  edit and before the text is sent for signature;
- ``signature_blockers``: what is missing before sending for signature (two parties, a
  signatory for each, a text): the guard of ``envoi_signature`` (``workflows``), whose effect
  checks the clauses again before freezing them;
- ``snapshot``: what a signatory signs, frozen in an ``AgreementVersion``.
"""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError

from relais.core.validation import check_date_range

from . import deadlines
from .consolidation import consolidated_clauses, terms_of
from .enums import (
    AMENDABLE_CLAUSES,
    AgreementKind,
    ArticleOperation,
    AvenantPurpose,
    DurationUnit,
)
from .models import Agreement, Article

CEE_DURATION_MONTHS = 36  # code de l'éducation, art. D. 331-66: « conclue pour trois ans »

SNAPSHOT_CLAUSES = (
    "effective_date",
    "duration_months",
    "duration_unit",
    "tacit_renewal",
    "max_renewals",
    "notice_months",
    "termination_months",
    "termination_from_sending",
    "breach_months",
    "breach_from_sending",
    "signature_place",
    "dispute_clause",
    "competent_court",
    "confidentiality_clause",
    "open_to_new_signatories",
    "clause_changes",
)


def _changes_cee_term(agreement: Agreement, changes: dict) -> bool:
    """An avenant to a CEE convention touching its fixed term (art. D. 331-66)."""
    return bool(
        agreement.amends is not None  # agreement.amends_id
        and agreement.amends.kind == AgreementKind.CEE
        and {"duration_months", "tacit_renewal", "max_renewals"} & set(changes)
    )


def _cee_errors(agreement: Agreement) -> dict:
    """Art. D. 331-66: a CEE convention lasts three years, without tacit renewal."""
    errors = {}
    if agreement.kind == AgreementKind.CEE:
        if agreement.duration_months != CEE_DURATION_MONTHS:
            errors["duration_months"] = (
                "Une convention conseillers entreprises pour l'école est conclue pour trois "
                "ans (36 mois, art. D. 331-66 du code de l'éducation)."
            )
        if agreement.tacit_renewal:
            errors["tacit_renewal"] = (
                "Une convention conseillers entreprises pour l'école n'est pas reconductible "
                "tacitement : sa durée de trois ans est fixée par l'art. D. 331-66."
            )
    if _changes_cee_term(agreement, agreement.clause_changes or {}):
        errors["clause_changes"] = (
            "Un avenant ne change pas la durée d'une convention conseillers entreprises pour "
            "l'école : elle est fixée à trois ans par l'art. D. 331-66 du code de l'éducation."
        )
    return errors


def validate_clauses(agreement: Agreement) -> None:
    """Raise a French ValidationError (by field) if the clauses do not hold together."""
    check_date_range(agreement.effective_date, "effective_date")
    errors = _cee_errors(agreement)
    if agreement.tacit_renewal and agreement.duration_months is None:
        errors["tacit_renewal"] = "Une reconduction tacite suppose une durée."
    if agreement.max_renewals is not None and not agreement.tacit_renewal:
        errors["max_renewals"] = "Un nombre de reconductions suppose la reconduction tacite."
    if agreement.duration_months is not None and agreement.duration_months < 1:
        errors["duration_months"] = "La durée doit être d'au moins un mois."
    elif agreement.duration_unit == DurationUnit.YEARS and (agreement.duration_months or 0) % 12:
        errors["duration_unit"] = (
            f"Une durée de {agreement.duration_months} mois ne s'exprime pas en années "
            "entières : choisissez « en mois »."
        )
    unknown = set(agreement.clause_changes or {}) - set(AMENDABLE_CLAUSES)
    if unknown:
        errors["clause_changes"] = f"Clauses inconnues : {', '.join(sorted(unknown))}."
    if agreement.clause_changes and agreement.kind != AgreementKind.AVENANT:
        errors["clause_changes"] = "Seul un avenant modifie les clauses d'une convention."
    if errors:
        raise ValidationError(errors)
    if agreement.duration_months is not None:
        try:
            deadlines.Terms(
                start=agreement.effective_date or date(2000, 1, 1),
                duration_months=agreement.duration_months,
                tacit_renewal=agreement.tacit_renewal,
                max_renewals=agreement.max_renewals if agreement.tacit_renewal else None,
                notice_months=agreement.notice_months,
                termination_months=agreement.termination_months,
            )
        except ValueError as exc:
            raise ValidationError(_without_placeholder_dates(str(exc), agreement)) from exc
    _validate_amended_terms(agreement)


def _without_placeholder_dates(message: str, agreement: Agreement) -> str:
    """The clauses are checked on a start date of 01/01/2000 when none is known yet: name
    the period by its duration (« la période initiale (trois ans) »), never by those dates."""
    if agreement.effective_date is not None:
        return message
    from .wording import duration_words

    length = duration_words(agreement.duration_months, agreement.duration_unit)
    return re.sub(r" ?\(du \d\d/\d\d/\d{4} au \d\d/\d\d/\d{4}\)", f" ({length})", message)


def _validate_amended_terms(avenant: Agreement) -> None:
    """The convention as an avenant would amend it must keep consistent terms (a notice
    longer than the term would otherwise only fail at the avenant's last signature)."""
    if avenant.kind != AgreementKind.AVENANT or not avenant.clause_changes:
        return
    amends = avenant.amends  # None when avenant.amends_id is
    if amends is None:
        return
    try:
        terms_of(amends, consolidated_clauses(amends) | avenant.clause_changes)
    except ValueError as exc:
        raise ValidationError({"clause_changes": str(exc)}) from exc


def signature_blockers(agreement: Agreement) -> list[str]:
    """What keeps a draft from being sent for signature, in French (empty: ready). Reads
    the prefetched parties, signatories and articles when the page prefetched them."""
    parties = list(agreement.parties.all())
    errors = []
    if len(parties) < 2:
        errors.append("Une convention lie au moins deux parties.")
    signing = {signatory.party_id for signatory in agreement.signatories.all()}
    missing = [p.name for p in parties if p.pk not in signing]
    if missing:
        errors.append(
            "Chaque partie a au moins un signataire ; il en manque pour : "
            + ", ".join(missing)
            + "."
        )
    adhesion = agreement.avenant_purpose == AvenantPurpose.ADHESION  # its text is fixed
    if not adhesion and not list(agreement.articles.all()) and not agreement.preamble.strip():
        errors.append("Le texte est vide : ajoutez un préambule ou des articles.")
    return errors


def snapshot(agreement: Agreement) -> dict:
    """Everything a signatory signs: text, parties, signatories, commitments, clauses."""
    return {
        "number": agreement.number,
        "title": agreement.title,
        "kind": agreement.kind,
        "scope": agreement.scope,
        "territory": agreement.territory_label,
        "legal_basis": agreement.legal_basis,
        "preamble": agreement.preamble,
        "articles": [
            {
                "number": a.number,
                "heading": a.heading,
                "body": a.body,
                "removes": a.removes,
                "operation": a.operation,
            }
            for a in agreement.articles.all()
        ],
        "parties": [
            {
                "name": p.name,
                "short_name": p.short_name,
                "side": p.side,
                "represented_by": p.represented_by,
                "organisation_id": p.organisation_id,
                "signs_adhesions": p.signs_adhesions,
            }
            for p in agreement.parties.all()
        ],
        "signatories": [
            {
                "party": s.party.name,
                "civility": s.civility,
                "full_name": s.full_name,
                "title": s.title,
                "signs_electronically": s.signs_electronically,
            }
            for s in agreement.signatories.select_related("party")
        ],
        "commitments": [
            {
                "party": c.party.name,
                "category": c.category,
                "description": c.description,
                "quantity": c.quantity,
                "unit": c.unit,
                "due_date": c.due_date.isoformat() if c.due_date else None,
            }
            for c in agreement.commitments.select_related("party")
        ],
        "clauses": {name: getattr(agreement, name) for name in SNAPSHOT_CLAUSES}
        | {
            "effective_date": agreement.effective_date.isoformat()
            if agreement.effective_date
            else None
        },
    }


def check_article_operation(agreement: Agreement, article: Article, *, removes_given: bool) -> None:
    """An avenant's article says what it does to the convention: it replaces or removes an
    existing article, or adds a new one. Nothing is inferred from a shared number: an avenant
    article « 1 » without « remplace » never overwrites « Article 1 – Objet ». A new number
    alone is an addition (recorded as such)."""
    if agreement.kind != AgreementKind.AVENANT:
        article.operation = ArticleOperation.NONE
        return
    if removes_given and article.removes:
        article.operation = ArticleOperation.REMOVE
    article.removes = article.operation == ArticleOperation.REMOVE
    from .consolidation import consolidate

    amends = agreement.amends
    assert amends is not None  # an avenant (constraint agreement_avenant_amends)
    existing = {a.number: a for a in consolidate(amends).articles}
    current = existing.get(article.number)
    named = f"l'article {article.number}"
    if current is not None and current.heading:
        named += f" (« {current.heading} »)"
    if not article.operation:
        if current is not None:
            raise ValidationError(
                {
                    "operation": f"La convention a déjà {named} : précisez si l'avenant le "
                    "remplace ou le supprime, ou donnez un autre numéro pour un ajout."
                }
            )
        article.operation = ArticleOperation.ADD
    elif article.operation in (ArticleOperation.REPLACE, ArticleOperation.REMOVE):
        if current is None:
            raise ValidationError(
                {"number": f"La convention n'a pas d'article {article.number} à modifier."}
            )
    elif article.operation == ArticleOperation.ADD and current is not None:
        raise ValidationError(
            {
                "number": f"La convention a déjà {named} : choisissez « remplace » ou un "
                "autre numéro."
            }
        )
