"""Avenants: a convention in force changes only through an avenant, which has its own
lifecycle (draft, signature, in force) and, once in force, applies to the convention."""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import transaction

from relais.users.models import User

from ..consolidation import consolidate
from ..enums import AgreementKind, AgreementState
from ..models import Agreement, Party, Signatory
from ..workflows import AGREEMENT_WORKFLOW
from .common import assign_number, check_manage, refresh_search


@transaction.atomic
def avenant_create(*, user: User, agreement: Agreement, title: str) -> Agreement:
    """Open an avenant to a convention in force. It starts with the convention's parties
    and signatories (to be adjusted), and its own lifecycle: draft, signature, in force.
    Once in force, its articles, new parties and clause changes apply to the convention."""
    check_manage(user, agreement)
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
    assign_number(avenant)
    AGREEMENT_WORKFLOW.log_creation(avenant, user=user)
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
