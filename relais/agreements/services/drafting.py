"""Creating a convention and writing its draft: text, clauses, parties, signatories,
articles and commitments. Once sent for signature the text is frozen (``FROZEN_TEXT``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from relais.core.validation import check_date_range
from relais.establishments.models import Establishment
from relais.territories.models import AcademicRegion, Academie, Bassin
from relais.users.models import User
from relais.users.types import AnyUser

from ..declinations import check_within_parent
from ..drafts import CEE_DURATION_MONTHS, check_article_operation, validate_clauses
from ..enums import AgreementKind, AgreementState
from ..models import Agreement, Article, Commitment, Party, Signatory
from ..perms import can_manage
from ..workflows import AGREEMENT_WORKFLOW, DECLINABLE_SCOPES
from .common import EDITABLE_FIELDS, apply_territory, assign_number, locked_draft, refresh_search


@transaction.atomic
def agreement_create(
    *,
    user: User,
    title: str,
    kind: str,
    scope: str,
    academic_region: AcademicRegion | None = None,
    academie: Academie | None = None,
    bassin: Bassin | None = None,
    establishment: Establishment | None = None,
    parent: Agreement | None = None,
    supersedes: Agreement | None = None,
    fields: dict[str, Any] | None = None,
) -> Agreement:
    """Create a draft convention on a territory the user's team manages. A CEE convention
    gets its fixed three-year term (art. D. 331-66). A declined convention (``parent``)
    starts from its parent's legal basis and preamble and links to it. A convention that
    ``supersedes`` one in force ends it the day before it takes effect."""
    if kind == AgreementKind.AVENANT:
        raise ValidationError({"kind": "Un avenant se crée depuis la convention qu'il modifie."})
    agreement = Agreement(title=title.strip(), kind=kind, scope=scope, created_by=user)
    apply_territory(
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
        check_within_parent(agreement, parent)
        agreement.parent = parent
        agreement.legal_basis, agreement.preamble = parent.legal_basis, parent.preamble
    for name, value in (fields or {}).items():
        if name in EDITABLE_FIELDS:
            setattr(agreement, name, value)
    if not agreement.title:
        raise ValidationError({"title": "Donnez un intitulé à la convention."})
    validate_clauses(agreement)
    agreement.number = f"TMP-{uuid.uuid4().hex[:12]}"
    agreement.save()
    assign_number(agreement)
    AGREEMENT_WORKFLOW.log_creation(agreement, user=user)
    refresh_search(agreement)
    return agreement


@transaction.atomic
def agreement_decline(
    *,
    user: User,
    parent: Agreement,
    title: str,
    scope: str,
    academic_region: AcademicRegion | None = None,
    academie: Academie | None = None,
    bassin: Bassin | None = None,
    establishment: Establishment | None = None,
) -> Agreement:
    """Decline a national, regional or académie convention in force into a local one
    (« déclinaison locale »): the child links to its parent and starts from its text."""
    if parent.kind == AgreementKind.AVENANT:
        raise ValidationError("Un avenant ne se décline pas : déclinez la convention.")
    if parent.scope not in DECLINABLE_SCOPES:
        raise ValidationError("Seule une convention nationale, régionale ou académique se décline.")
    if parent.state != AgreementState.IN_FORCE:
        raise ValidationError("Seule une convention en vigueur peut être déclinée.")
    child = agreement_create(
        user=user,
        title=title,
        kind=AgreementKind.LOCAL,
        scope=scope,
        parent=parent,
        academic_region=academic_region,
        academie=academie,
        bassin=bassin,
        establishment=establishment,
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
def agreement_update(*, user: AnyUser, agreement: Agreement, data: dict[str, Any]) -> Agreement:
    """Change the text or clauses of a draft."""
    agreement = locked_draft(user, agreement)
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            raise ValidationError(f"Le champ « {name} » ne se modifie pas ainsi.")
        setattr(agreement, name, value.strip() if isinstance(value, str) else value)
    if not agreement.title:
        raise ValidationError({"title": "Donnez un intitulé à la convention."})
    validate_clauses(agreement)
    agreement.save()
    refresh_search(agreement)
    return agreement


@transaction.atomic
def party_save(
    *, user: AnyUser, agreement: Agreement, party: Party | None = None, data: dict[str, Any]
) -> Party:
    """Add or change a party of a draft."""
    locked_draft(user, agreement)
    party = party or Party(agreement=agreement, order=agreement.parties.count() + 1)
    for name in (
        "organisation", "name", "short_name", "side", "represented_by", "address",
        "signs_adhesions",
    ):  # fmt: skip
        if name in data:
            setattr(party, name, data[name])
    if not party.name and party.organisation is not None:  # party.organisation_id
        party.name = party.organisation.name
    if not party.name:
        raise ValidationError({"name": "Indiquez le nom de la partie."})
    party.save()
    refresh_search(agreement)
    return party


@transaction.atomic
def party_remove(*, user: AnyUser, party: Party) -> None:
    locked_draft(user, party.agreement)
    party.delete()
    refresh_search(party.agreement)


@transaction.atomic
def signatory_save(
    *, user: AnyUser, agreement: Agreement, signatory: Signatory | None = None, data: dict[str, Any]
) -> Signatory:
    """Add or change a signatory (a person signing for one of the parties) of a draft."""
    locked_draft(user, agreement)
    signatory = signatory or Signatory(agreement=agreement, order=agreement.signatories.count() + 1)
    for name in ("party", "civility", "full_name", "title", "email", "signs_electronically"):
        if name in data:
            setattr(signatory, name, data[name])
    if signatory.signs_electronically and not signatory.email:
        raise ValidationError(
            {"email": "Une signature électronique demande le courriel du signataire."}
        )
    if signatory.party.agreement_id != agreement.pk:
        raise ValidationError({"party": "Cette partie n'appartient pas à la convention."})
    if not signatory.full_name:
        raise ValidationError({"full_name": "Indiquez le nom du signataire."})
    signatory.save()
    refresh_search(agreement)
    return signatory


@transaction.atomic
def signatory_remove(*, user: AnyUser, signatory: Signatory) -> None:
    locked_draft(user, signatory.agreement)
    signatory.delete()


@transaction.atomic
def article_save(
    *, user: AnyUser, agreement: Agreement, article: Article | None = None, data: dict[str, Any]
) -> Article:
    """Add or change an article (or axis) of a draft; numbers are unique in a convention."""
    locked_draft(user, agreement)
    article = article or Article(agreement=agreement, order=agreement.articles.count() + 1)
    for name in ("number", "heading", "body", "removes", "operation", "order"):
        if name in data:
            setattr(article, name, data[name])
    article.number = (article.number or "").strip()
    if not article.number:
        raise ValidationError({"number": "Indiquez le numéro de l'article."})
    if article.removes and agreement.kind != AgreementKind.AVENANT:
        raise ValidationError({"removes": "Seul un avenant supprime un article."})
    check_article_operation(agreement, article, removes_given="removes" in data)
    clash = agreement.articles.filter(number=article.number).exclude(pk=article.pk)
    if clash.exists():
        raise ValidationError({"number": f"L'article {article.number} existe déjà."})
    article.save()
    refresh_search(agreement)
    return article


@transaction.atomic
def article_remove(*, user: AnyUser, article: Article) -> None:
    locked_draft(user, article.agreement)
    article.delete()
    refresh_search(article.agreement)


@transaction.atomic
def commitment_save(
    *,
    user: AnyUser,
    agreement: Agreement,
    commitment: Commitment | None = None,
    data: dict[str, Any],
) -> Commitment:
    """Add or change a structured commitment of a party: what, how many, by when."""
    locked_draft(user, agreement)
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
def commitment_remove(*, user: AnyUser, commitment: Commitment) -> None:
    locked_draft(user, commitment.agreement)
    commitment.delete()
