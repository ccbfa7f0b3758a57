"""What the services of conventions share: the manager check, the locked draft, the
stored search index and dates, the number and the territory of a new convention."""

from __future__ import annotations

from datetime import date

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Value
from django.utils import timezone

from relais.core.text import search_key
from relais.establishments.models import Establishment
from relais.territories.models import AcademicRegion, Academie, Bassin
from relais.users.types import AnyUser

from ..consolidation import key_dates
from ..enums import AgreementKind, AgreementScope
from ..models import Agreement
from ..perms import can_manage

EDITABLE_FIELDS = [
    "title",
    "legal_basis",
    "preamble",
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
    "template_fields",
]
NUMBER_PREFIX = {
    AgreementKind.FRAMEWORK: "CONV",
    AgreementKind.CEE: "CEE",
    AgreementKind.LOCAL: "LOC",
    AgreementKind.AVENANT: "AV",
}
MANAGERS_ONLY = "Seule l'équipe académique du périmètre de cette convention peut la modifier."
FROZEN_TEXT = (
    "Le texte est figé depuis l'envoi en signature : toute modification passe par un avenant."
)


def check_manage(user: AnyUser, agreement: Agreement) -> None:
    if not can_manage(user, agreement):
        raise PermissionDenied(MANAGERS_ONLY)


def locked_draft(user: AnyUser, agreement: Agreement) -> Agreement:
    """The draft re-read under a row lock (inside the caller's transaction): its text cannot
    be sent for signature while it is being changed. French errors for anyone but its
    managers and once the text is frozen."""
    check_manage(user, agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if not agreement.is_draft:
        raise ValidationError(FROZEN_TEXT)
    return agreement


def refresh_search(agreement: Agreement) -> None:
    """Rebuild the French full-text index of a convention: title, number, preamble, legal
    basis, articles and parties, without accents (so « reseau » finds « réseau »)."""
    parts = [agreement.number, agreement.title, agreement.preamble, agreement.legal_basis]
    parts += [f"{a.number} {a.heading} {a.body}" for a in agreement.articles.all()]
    parts += [f"{p.name} {p.short_name}" for p in agreement.parties.all()]
    parts += [f"{s.full_name} {s.title}" for s in agreement.signatories.all()]
    if agreement.amends is not None:  # agreement.amends_id
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


def apply_territory(
    agreement: Agreement,
    *,
    academic_region: AcademicRegion | None,
    academie: Academie | None,
    bassin: Bassin | None,
    establishment: Establishment | None,
) -> None:
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


def assign_number(agreement: Agreement) -> None:
    prefix = NUMBER_PREFIX[AgreementKind(agreement.kind)]
    year = timezone.localdate().year
    agreement.number = f"{prefix}-{year}-{agreement.pk:05d}"
    Agreement.objects.filter(pk=agreement.pk).update(number=agreement.number)
