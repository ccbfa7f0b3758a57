"""Every write on conventions, and their state machine.

    brouillon ──envoi en signature──▶ en signature ──dernière signature──▶ en vigueur
        ▲  │                             │  │                                │ │ │
        │  └──abandon──▶ abandonnée ◀────┘  └──retour en brouillon (aucune   │ │ └─▶ expirée
        └──────────────────────────────────────signature encore)             │ └──▶ résiliée
                                                                             └────▶ remplacée

Each transition checks who fires it (the académie team of the convention's scope:
``perms.can_manage``), checks its preconditions with a French error, and writes a line of
the append-only ``TransitionLog``. Sending for signature freezes the text in an
``AgreementVersion``; from then on the text changes only through an avenant.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import date, timedelta

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Value
from django.utils import timezone

from relais.core.text import search_key
from relais.core.validation import check_date_range

from . import deadlines
from .consolidation import consolidate, consolidated_clauses, key_dates, terms_of, usable_terms
from .enums import (
    AMENDABLE_CLAUSES,
    TRANSITIONS,
    AgreementKind,
    AgreementScope,
    AgreementState,
    SignatureMode,
    Transition,
)
from .models import (
    Agreement,
    AgreementVersion,
    Article,
    Commitment,
    Party,
    Signatory,
    SignedScan,
    TransitionLog,
)
from .perms import can_manage

CEE_DURATION_MONTHS = 36  # code de l'éducation, art. D. 331-66: « conclue pour trois ans »

EDITABLE_FIELDS = [
    "title",
    "legal_basis",
    "preamble",
    "effective_date",
    "duration_months",
    "tacit_renewal",
    "max_renewals",
    "notice_months",
    "termination_months",
    "dispute_clause",
    "competent_court",
    "confidentiality_clause",
    "open_to_new_signatories",
    "clause_changes",
    "template_fields",
]
NUMBER_PREFIX = {
    AgreementKind.FRAMEWORK: "CONV",
    AgreementKind.CEE: "CEE",
    AgreementKind.LOCAL: "LOC",
    AgreementKind.AVENANT: "AV",
}


# --- helpers -------------------------------------------------------------------------------


def _check_manage(user, agreement: Agreement) -> None:
    if not can_manage(user, agreement):
        raise PermissionDenied(
            "Seule l'équipe académique du périmètre de cette convention peut la modifier."
        )


def _fire(agreement: Agreement, transition: Transition, *, user, note: str = "", data=None):
    """Move ``agreement`` along ``transition`` (checked against TRANSITIONS) and log it."""
    _check_transition(agreement, transition)
    allowed = TRANSITIONS[AgreementState(agreement.state)]
    from_state = agreement.state
    agreement.state = allowed[transition]
    TransitionLog.objects.create(
        agreement=agreement,
        transition=transition,
        from_state=from_state,
        to_state=agreement.state,
        by=user if getattr(user, "is_authenticated", False) else None,
        note=note,
        data=data or {},
    )


def _locked(agreement: Agreement) -> Agreement:
    """Re-read the convention under a row lock: two users cannot fire two transitions at once."""
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


def _check_transition(agreement: Agreement, transition: Transition) -> None:
    if transition not in TRANSITIONS[AgreementState(agreement.state)]:
        raise ValidationError(
            f"Impossible : « {transition.label} » n'est pas permis pour une convention "
            f"{AgreementState(agreement.state).label.lower()}."
        )


def _ensure_draft(agreement: Agreement) -> None:
    if agreement.state != AgreementState.DRAFT:
        raise ValidationError(
            "Le texte est figé depuis l'envoi en signature : toute modification passe par un "
            "avenant."
        )


def refresh_search(agreement: Agreement) -> None:
    """Rebuild the French full-text index of a convention: title, number, preamble, legal
    basis, articles and parties, without accents (so « reseau » finds « réseau »)."""
    parts = [agreement.number, agreement.title, agreement.preamble, agreement.legal_basis]
    parts += [f"{a.number} {a.heading} {a.body}" for a in agreement.articles.all()]
    parts += [f"{p.name} {p.short_name}" for p in agreement.parties.all()]
    parts += [f"{s.full_name} {s.title}" for s in agreement.signatories.all()]
    if agreement.amends_id:
        parts.append(agreement.amends.title)
    text = search_key(*parts)
    Agreement.objects.filter(pk=agreement.pk).update(
        search_vector=SearchVector(Value(text), config="french")
    )


def refresh_dates(agreement: Agreement, *, today: date | None = None) -> None:
    """Store the start and end of the current term and the next notice deadline (list
    filters, and the Échéances page's preselection: ``selectors.may_fall_due_by``)."""
    today = today or timezone.localdate()
    dates = key_dates(agreement, on=today)
    stored = {
        "current_start": dates.period.start if dates.period else None,
        "current_end": dates.end_of_term,
        "next_notice_deadline": dates.notice_deadline,
    }
    Agreement.objects.filter(pk=agreement.pk).update(**stored)
    for name, value in stored.items():
        setattr(agreement, name, value)


def _changes_cee_term(agreement: Agreement, changes: dict) -> bool:
    """An avenant to a CEE convention touching its fixed term (art. D. 331-66)."""
    return bool(
        agreement.amends_id
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


def _validate_clauses(agreement: Agreement) -> None:
    check_date_range(agreement.effective_date, "effective_date")
    errors = _cee_errors(agreement)
    if agreement.tacit_renewal and agreement.duration_months is None:
        errors["tacit_renewal"] = "Une reconduction tacite suppose une durée."
    if agreement.max_renewals is not None and not agreement.tacit_renewal:
        errors["max_renewals"] = "Un nombre de reconductions suppose la reconduction tacite."
    if agreement.duration_months is not None and agreement.duration_months < 1:
        errors["duration_months"] = "La durée doit être d'au moins un mois."
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
                start=date(2000, 1, 1),
                duration_months=agreement.duration_months,
                tacit_renewal=agreement.tacit_renewal,
                max_renewals=agreement.max_renewals if agreement.tacit_renewal else None,
                notice_months=agreement.notice_months,
                termination_months=agreement.termination_months,
            )
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
    _validate_amended_terms(agreement)


def _validate_amended_terms(avenant: Agreement) -> None:
    """The convention as an avenant would amend it must keep consistent terms (a notice
    longer than the term would otherwise only fail at the avenant's last signature)."""
    if avenant.kind != AgreementKind.AVENANT or not avenant.clause_changes:
        return
    if avenant.amends_id is None:
        return
    amends = avenant.amends
    try:
        terms_of(amends, consolidated_clauses(amends) | avenant.clause_changes)
    except ValueError as exc:
        raise ValidationError({"clause_changes": str(exc)}) from exc


def _apply_territory(agreement: Agreement, *, academic_region, academie, bassin, establishment):
    """Fill the territory fields of ``agreement.scope`` and only those."""
    scope = agreement.scope
    agreement.academic_region = agreement.academie = agreement.bassin = None
    agreement.establishment = None
    if scope == AgreementScope.ACADEMIC_REGION:
        agreement.academic_region = academic_region or (academie.region if academie else None)
        if agreement.academic_region is None:
            raise ValidationError({"academic_region": "Choisissez la région académique."})
    elif scope == AgreementScope.ACADEMIE:
        if academie is None:
            raise ValidationError({"academie": "Choisissez l'académie."})
        agreement.academie, agreement.academic_region = academie, academie.region
    elif scope == AgreementScope.BASSIN:
        if bassin is None:
            raise ValidationError({"bassin": "Choisissez le bassin."})
        agreement.bassin, agreement.academie = bassin, bassin.academie
    elif scope == AgreementScope.ESTABLISHMENT:
        if establishment is None:
            raise ValidationError({"establishment": "Choisissez l'établissement."})
        agreement.establishment, agreement.academie = establishment, establishment.academie
        agreement.bassin = establishment.bassin


def _assign_number(agreement: Agreement) -> None:
    prefix = NUMBER_PREFIX[AgreementKind(agreement.kind)]
    year = timezone.localdate().year
    agreement.number = f"{prefix}-{year}-{agreement.pk:05d}"
    Agreement.objects.filter(pk=agreement.pk).update(number=agreement.number)


# --- creation and edition (drafts only) -------------------------------------------------


@transaction.atomic
def agreement_create(
    *,
    user,
    title: str,
    kind: str,
    scope: str,
    academic_region=None,
    academie=None,
    bassin=None,
    establishment=None,
    parent: Agreement | None = None,
    supersedes: Agreement | None = None,
    fields: dict | None = None,
) -> Agreement:
    """Create a draft convention on a territory the user's team manages. A CEE convention
    gets its fixed three-year term (art. D. 331-66). A declined convention (``parent``)
    starts from its parent's legal basis and preamble and links to it. A convention that
    ``supersedes`` one in force ends it the day before it takes effect."""
    if kind == AgreementKind.AVENANT:
        raise ValidationError({"kind": "Un avenant se crée depuis la convention qu'il modifie."})
    agreement = Agreement(title=title.strip(), kind=kind, scope=scope, created_by=user)
    _apply_territory(
        agreement,
        academic_region=academic_region,
        academie=academie,
        bassin=bassin,
        establishment=establishment,
    )
    if not can_manage(user, agreement):
        raise PermissionDenied("Vous ne pouvez pas créer de convention sur ce périmètre.")
    if kind == AgreementKind.CEE:
        agreement.duration_months, agreement.tacit_renewal = CEE_DURATION_MONTHS, False
        agreement.termination_months = 6
    if supersedes is not None:
        if supersedes.state != AgreementState.IN_FORCE:
            raise ValidationError(
                {"supersedes": "Seule une convention en vigueur peut être remplacée."}
            )
        agreement.supersedes = supersedes
    if parent is not None:
        agreement.parent = parent
        agreement.legal_basis, agreement.preamble = parent.legal_basis, parent.preamble
    for name, value in (fields or {}).items():
        if name in EDITABLE_FIELDS:
            setattr(agreement, name, value)
    if not agreement.title:
        raise ValidationError({"title": "Donnez un intitulé à la convention."})
    _validate_clauses(agreement)
    agreement.number = f"TMP-{uuid.uuid4().hex[:12]}"
    agreement.save()
    _assign_number(agreement)
    refresh_search(agreement)
    return agreement


@transaction.atomic
def agreement_decline(*, user, parent: Agreement, title: str, scope: str, **territory):
    """Decline a national, regional or académie convention into a local one (« déclinaison
    locale »): the child links to its parent and starts from its text."""
    if parent.scope not in (
        AgreementScope.NATIONAL,
        AgreementScope.ACADEMIC_REGION,
        AgreementScope.ACADEMIE,
    ):
        raise ValidationError("Seule une convention nationale, régionale ou académique se décline.")
    if parent.state != AgreementState.IN_FORCE:
        raise ValidationError("Seule une convention en vigueur peut être déclinée.")
    child = agreement_create(
        user=user,
        title=title,
        kind=AgreementKind.LOCAL,
        scope=scope,
        parent=parent,
        **territory,
    )
    for article in parent.articles.all():
        Article.objects.create(
            agreement=child,
            order=article.order,
            number=article.number,
            heading=article.heading,
            body=article.body,
        )
    refresh_search(child)
    return child


@transaction.atomic
def agreement_update(*, user, agreement: Agreement, data: dict) -> Agreement:
    """Change the text or clauses of a draft."""
    _check_manage(user, agreement)
    agreement = _locked(agreement)
    _ensure_draft(agreement)
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            raise ValidationError(f"Le champ « {name} » ne se modifie pas ainsi.")
        setattr(agreement, name, value.strip() if isinstance(value, str) else value)
    if not agreement.title:
        raise ValidationError({"title": "Donnez un intitulé à la convention."})
    _validate_clauses(agreement)
    agreement.save()
    refresh_search(agreement)
    return agreement


def _editable_child(user, agreement: Agreement) -> None:
    _check_manage(user, agreement)
    _ensure_draft(_locked(agreement))


@transaction.atomic
def party_save(*, user, agreement: Agreement, party: Party | None = None, data: dict) -> Party:
    """Add or change a party of a draft."""
    _editable_child(user, agreement)
    party = party or Party(agreement=agreement, order=agreement.parties.count() + 1)
    for name in ("organisation", "name", "short_name", "side", "represented_by", "address"):
        if name in data:
            setattr(party, name, data[name])
    if not party.name and party.organisation_id:
        party.name = party.organisation.name
    if not party.name:
        raise ValidationError({"name": "Indiquez le nom de la partie."})
    party.save()
    refresh_search(agreement)
    return party


@transaction.atomic
def party_remove(*, user, party: Party) -> None:
    _editable_child(user, party.agreement)
    party.delete()
    refresh_search(party.agreement)


@transaction.atomic
def signatory_save(
    *, user, agreement: Agreement, signatory: Signatory | None = None, data: dict
) -> Signatory:
    """Add or change a signatory (a person signing for one of the parties) of a draft."""
    _editable_child(user, agreement)
    signatory = signatory or Signatory(agreement=agreement, order=agreement.signatories.count() + 1)
    for name in ("party", "full_name", "title", "email"):
        if name in data:
            setattr(signatory, name, data[name])
    if signatory.party.agreement_id != agreement.pk:
        raise ValidationError({"party": "Cette partie n'appartient pas à la convention."})
    if not signatory.full_name:
        raise ValidationError({"full_name": "Indiquez le nom du signataire."})
    signatory.save()
    refresh_search(agreement)
    return signatory


@transaction.atomic
def signatory_remove(*, user, signatory: Signatory) -> None:
    _editable_child(user, signatory.agreement)
    signatory.delete()


@transaction.atomic
def article_save(*, user, agreement: Agreement, article: Article | None = None, data: dict):
    """Add or change an article (or axis) of a draft; numbers are unique in a convention."""
    _editable_child(user, agreement)
    article = article or Article(agreement=agreement, order=agreement.articles.count() + 1)
    for name in ("number", "heading", "body", "removes", "order"):
        if name in data:
            setattr(article, name, data[name])
    article.number = (article.number or "").strip()
    if not article.number:
        raise ValidationError({"number": "Indiquez le numéro de l'article."})
    if article.removes and agreement.kind != AgreementKind.AVENANT:
        raise ValidationError({"removes": "Seul un avenant supprime un article."})
    clash = agreement.articles.filter(number=article.number).exclude(pk=article.pk)
    if clash.exists():
        raise ValidationError({"number": f"L'article {article.number} existe déjà."})
    article.save()
    refresh_search(agreement)
    return article


@transaction.atomic
def article_remove(*, user, article: Article) -> None:
    _editable_child(user, article.agreement)
    article.delete()
    refresh_search(article.agreement)


@transaction.atomic
def commitment_save(
    *, user, agreement: Agreement, commitment: Commitment | None = None, data: dict
) -> Commitment:
    """Add or change a structured commitment of a party: what, how many, by when."""
    _editable_child(user, agreement)
    commitment = commitment or Commitment(agreement=agreement)
    for name in ("party", "category", "description", "quantity", "unit", "due_date"):
        if name in data:
            setattr(commitment, name, data[name])
    if "article_number" in data:
        commitment.article_number = data["article_number"]
    if commitment.party.agreement_id != agreement.pk:
        raise ValidationError({"party": "Cette partie n'appartient pas à la convention."})
    check_date_range(commitment.due_date, "due_date")
    if not (commitment.description or "").strip():
        raise ValidationError({"description": "Décrivez l'engagement."})
    commitment.save()
    return commitment


@transaction.atomic
def commitment_remove(*, user, commitment: Commitment) -> None:
    _editable_child(user, commitment.agreement)
    commitment.delete()


# --- the state machine ----------------------------------------------------------------------


def _snapshot(agreement: Agreement) -> dict:
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
            {"number": a.number, "heading": a.heading, "body": a.body, "removes": a.removes}
            for a in agreement.articles.all()
        ],
        "parties": [
            {
                "name": p.name,
                "short_name": p.short_name,
                "side": p.side,
                "represented_by": p.represented_by,
                "organisation_id": p.organisation_id,
            }
            for p in agreement.parties.all()
        ],
        "signatories": [
            {"party": s.party.name, "full_name": s.full_name, "title": s.title}
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
        "clauses": {
            name: getattr(agreement, name)
            for name in (
                "effective_date",
                "duration_months",
                "tacit_renewal",
                "max_renewals",
                "notice_months",
                "termination_months",
                "dispute_clause",
                "competent_court",
                "confidentiality_clause",
                "open_to_new_signatories",
                "clause_changes",
            )
        }
        | {
            "effective_date": agreement.effective_date.isoformat()
            if agreement.effective_date
            else None
        },
    }


@transaction.atomic
def agreement_send_for_signature(*, user, agreement: Agreement, note: str = "") -> Agreement:
    """Freeze the draft in a new version and open it for signature. Needs at least two
    parties, a signatory for each party, and a text (preamble or articles)."""
    _check_manage(user, agreement)
    agreement = _locked(agreement)
    _check_transition(agreement, Transition.SEND_FOR_SIGNATURE)
    parties = list(agreement.parties.all())
    errors = []
    if len(parties) < 2:
        errors.append("Une convention lie au moins deux parties.")
    signing = set(agreement.signatories.values_list("party_id", flat=True))
    missing = [p.name for p in parties if p.pk not in signing]
    if missing:
        errors.append(
            "Chaque partie a au moins un signataire ; il en manque pour : "
            + ", ".join(missing)
            + "."
        )
    if not agreement.articles.exists() and not agreement.preamble.strip():
        errors.append("Le texte est vide : ajoutez un préambule ou des articles.")
    if errors:
        raise ValidationError(errors)
    _validate_clauses(agreement)
    number = (
        agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    AgreementVersion.objects.create(
        agreement=agreement, number=number, content=_snapshot(agreement), created_by=user
    )
    _fire(agreement, Transition.SEND_FOR_SIGNATURE, user=user, note=note, data={"version": number})
    agreement.save(update_fields=["state", "updated_at"])
    return agreement


@transaction.atomic
def agreement_back_to_draft(*, user, agreement: Agreement, note: str) -> Agreement:
    """Take a convention back to draft to change its text, while nobody has signed yet."""
    _check_manage(user, agreement)
    agreement = _locked(agreement)
    _check_transition(agreement, Transition.BACK_TO_DRAFT)
    if agreement.signatories.filter(signed_on__isnull=False).exists():
        raise ValidationError(
            "Une signature est déjà enregistrée : le texte signé ne peut plus changer. "
            "Abandonnez cette convention ou modifiez-la par avenant une fois en vigueur."
        )
    if not note.strip():
        raise ValidationError({"note": "Indiquez pourquoi le texte revient en brouillon."})
    _fire(agreement, Transition.BACK_TO_DRAFT, user=user, note=note)
    agreement.save(update_fields=["state", "updated_at"])
    return agreement


@transaction.atomic
def agreement_record_signature(
    *, user, signatory: Signatory, signed_on: date, mode: str, today: date | None = None
) -> Agreement:
    """Record one signature (its own date and mode). At the last signature the convention
    enters into force: it takes effect on its stated date, else at the last signature."""
    agreement = signatory.agreement
    _check_manage(user, agreement)
    agreement = _locked(agreement)
    today = today or timezone.localdate()
    if agreement.state != AgreementState.IN_SIGNATURE:
        raise ValidationError("Cette convention n'est pas en signature.")
    signatory = Signatory.objects.select_for_update().get(pk=signatory.pk)
    if signatory.signed_on is not None:
        raise ValidationError(
            f"La signature de {signatory.full_name} est déjà enregistrée "
            f"(le {signatory.signed_on:%d/%m/%Y})."
        )
    if signed_on > today:
        raise ValidationError({"signed_on": "La date de signature ne peut pas être dans le futur."})
    check_date_range(signed_on, "signed_on")
    check_date_range(agreement.effective_date, "effective_date")  # a row predating the check
    if mode not in SignatureMode.values:
        raise ValidationError({"mode": "Choisissez le mode de signature (papier ou électronique)."})
    signatory.signed_on, signatory.mode, signatory.recorded_by = signed_on, mode, user
    signatory.save(update_fields=["signed_on", "mode", "recorded_by"])
    _fire(
        agreement,
        Transition.SIGN,
        user=user,
        note=f"{signatory.full_name} ({signatory.party.name})",
        data={"signatory": signatory.pk, "signed_on": signed_on.isoformat(), "mode": mode},
    )
    entering = not agreement.signatories.filter(signed_on__isnull=True).exists()
    if entering:
        _enter_into_force(agreement, user=user)
    agreement.save()
    refresh_dates(agreement, today=today)
    if entering:
        _after_entry_into_force(agreement, user=user, today=today)
    return agreement


def _enter_into_force(agreement: Agreement, *, user) -> None:
    last = max(agreement.signatories.values_list("signed_on", flat=True))
    agreement.signed_on = last
    agreement.start_date = agreement.effective_date or last
    _fire(
        agreement,
        Transition.ENTER_INTO_FORCE,
        user=user,
        note=f"Prend effet le {agreement.start_date:%d/%m/%Y}.",
        data={"start_date": agreement.start_date.isoformat()},
    )


def _after_entry_into_force(agreement: Agreement, *, user, today: date) -> None:
    """A new convention ends the one it replaces; an avenant changes its convention."""
    if agreement.supersedes_id:
        old = _locked(agreement.supersedes)
        if old.state == AgreementState.IN_FORCE:
            old.ended_on = agreement.start_date - timedelta(days=1)
            _fire(old, Transition.SUPERSEDE, user=user, note=f"Remplacée par {agreement.number}.")
            old.save()
            refresh_dates(old, today=today)
    if agreement.amends_id:
        refresh_dates(agreement.amends, today=today)
        refresh_search(agreement.amends)


@transaction.atomic
def agreement_terminate(
    *,
    user,
    agreement: Agreement,
    notice_received_on: date,
    reason: str,
    party: Party | None = None,
    today: date | None = None,
) -> Agreement:
    """Record the termination of a convention in force from a notice received (or sent, for
    Lille's registered letter) on ``notice_received_on``. Its last day in force follows from
    the termination clause (Lille: 2 months, CEE model: 6 months, ``deadlines``)."""
    _check_manage(user, agreement)
    agreement = _locked(agreement)
    today = today or timezone.localdate()
    _check_transition(agreement, Transition.TERMINATE)
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif de la résiliation."})
    if notice_received_on > today:
        raise ValidationError(
            {"notice_received_on": "La date de réception ne peut pas être dans le futur."}
        )
    check_date_range(notice_received_on, "notice_received_on")
    try:
        last_day = deadlines.termination_effective_date(
            terms_of(agreement), notice_received_on=notice_received_on
        )
    except ValueError as exc:
        raise ValidationError({"notice_received_on": str(exc)}) from exc
    agreement.notice_received_on = notice_received_on
    agreement.terminated_on = last_day
    agreement.termination_reason = reason.strip()
    agreement.terminated_by = party
    _fire(
        agreement,
        Transition.TERMINATE,
        user=user,
        note=reason.strip(),
        data={
            "notice_received_on": notice_received_on.isoformat(),
            "last_day": last_day.isoformat(),
        },
    )
    agreement.save()
    refresh_dates(agreement, today=today)
    return agreement


@transaction.atomic
def agreement_expire(*, agreement: Agreement, today: date, user=None) -> Agreement:
    """Close a convention whose last period (or termination) has ended before ``today``."""
    agreement = _locked(agreement)
    terms = usable_terms(agreement)
    if agreement.state not in (AgreementState.IN_FORCE, AgreementState.TERMINATED) or terms is None:
        raise ValidationError("Seule une convention en vigueur ou résiliée peut expirer.")
    status = deadlines.status_on(terms, on=today)
    if status not in (deadlines.Status.EXPIRED, deadlines.Status.TERMINATED):
        raise ValidationError("Cette convention est encore en vigueur.")
    agreement.ended_on = deadlines.expiry_date(terms)
    if agreement.state == AgreementState.IN_FORCE:
        _fire(
            agreement, Transition.EXPIRE, user=user, note=f"Fin le {agreement.ended_on:%d/%m/%Y}."
        )
    agreement.save()
    refresh_dates(agreement, today=today)
    return agreement


@transaction.atomic
def agreement_abandon(*, user, agreement: Agreement, note: str) -> Agreement:
    """Abandon a draft or a convention still in signature."""
    _check_manage(user, agreement)
    agreement = _locked(agreement)
    _check_transition(agreement, Transition.ABANDON)
    if not note.strip():
        raise ValidationError({"note": "Indiquez pourquoi la convention est abandonnée."})
    _fire(agreement, Transition.ABANDON, user=user, note=note)
    agreement.save(update_fields=["state", "updated_at"])
    return agreement


# --- avenants --------------------------------------------------------------------------------


@transaction.atomic
def avenant_create(*, user, agreement: Agreement, title: str) -> Agreement:
    """Open an avenant to a convention in force. It starts with the convention's parties
    and signatories (to be adjusted), and its own lifecycle: draft, signature, in force.
    Once in force, its articles, new parties and clause changes apply to the convention."""
    _check_manage(user, agreement)
    if agreement.kind == AgreementKind.AVENANT:
        raise ValidationError("Un avenant se rattache à la convention, pas à un autre avenant.")
    if agreement.state != AgreementState.IN_FORCE:
        raise ValidationError("Seule une convention en vigueur peut être modifiée par avenant.")
    count = agreement.avenants.count() + 1
    avenant = Agreement(
        title=title.strip() or f"Avenant n° {count} — {agreement.title}",
        kind=AgreementKind.AVENANT,
        scope=agreement.scope,
        academic_region=agreement.academic_region,
        academie=agreement.academie,
        bassin=agreement.bassin,
        establishment=agreement.establishment,
        amends=agreement,
        created_by=user,
        number=f"TMP-{uuid.uuid4().hex[:12]}",
    )
    avenant.save()
    _assign_number(avenant)
    consolidated = consolidate(agreement)
    for index, party in enumerate(consolidated.parties, start=1):
        copy = Party.objects.create(
            agreement=avenant,
            order=index,
            organisation=party.organisation,
            name=party.name,
            short_name=party.short_name,
            side=party.side,
            represented_by=party.represented_by,
            address=party.address,
        )
        for signatory in consolidated.signatories:
            if signatory.party_id == party.pk:
                Signatory.objects.create(
                    agreement=avenant,
                    party=copy,
                    order=signatory.order,
                    full_name=signatory.full_name,
                    title=signatory.title,
                    email=signatory.email,
                )
    refresh_search(avenant)
    return avenant


# --- signed scans ---------------------------------------------------------------------------


@transaction.atomic
def scan_add(*, user, agreement: Agreement, upload, note: str = "") -> SignedScan:
    """Store the scan of the signed convention: PDF checked on its content, size-limited
    (relais.documents.uploads). It shows in the convention's history."""
    from relais.documents.uploads import validate_pdf_upload

    _check_manage(user, agreement)
    if agreement.state in (AgreementState.DRAFT, AgreementState.ABANDONED):
        raise ValidationError("On dépose le scan d'une convention envoyée en signature.")
    validate_pdf_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    scan = SignedScan(
        agreement=agreement,
        original_name=upload.name[:255],
        size=upload.size,
        sha256=digest.hexdigest(),
        note=note,
        uploaded_by=user,
    )
    scan.file.save(f"{scan.sha256[:16]}.pdf", upload, save=False)
    scan.save()
    return scan
