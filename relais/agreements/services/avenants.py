"""Avenants: a convention in force changes only through an avenant, which has its own
lifecycle (draft, signature, in force) and, once in force, applies to the convention."""

from __future__ import annotations

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from relais.core import clock
from relais.users.models import User

from ..consolidation import consolidate
from ..enums import LIVE_STATES, AgreementKind, AvenantPurpose, PartySide
from ..models import Agreement, Party, Signatory
from ..states import IN_FORCE, IN_NOTICE, state_on
from ..workflows import AGREEMENT_WORKFLOW
from .common import assign_number, check_manage, refresh_search


@transaction.atomic
def avenant_create(
    *,
    user: User,
    agreement: Agreement,
    title: str,
    purpose: str = AvenantPurpose.CHANGE,
    today: date | None = None,
) -> Agreement:
    """Open an avenant to a convention in force today (not one signed but not yet in force,
    nor one expired or ended, whatever the nightly job has stored). It starts with the
    convention's parties and signatories (to be adjusted), and its own lifecycle: draft,
    signature, in force. Once in force, its articles, new parties and clause changes apply
    to the convention from its effective date.

    An adhesion avenant (Lille: « chaque nouvelle signature fera l'objet d'un avenant »)
    starts only with the parties the convention names to sign adhesions
    (``Party.signs_adhesions``; by default the Éducation nationale side): the joining party
    and its signatory are then added to it."""
    check_manage(user, agreement)
    if agreement.kind == AgreementKind.AVENANT:
        raise ValidationError("Un avenant se rattache à la convention, pas à un autre avenant.")
    state = state_on(agreement, on=today or clock.today())
    if agreement.state not in LIVE_STATES or state.code not in (IN_FORCE, IN_NOTICE):
        raise ValidationError(
            "Seule une convention en vigueur peut être modifiée par avenant "
            f"(celle-ci : {state.text.lower()})."
        )
    if purpose not in AvenantPurpose.values:
        raise ValidationError({"purpose": "Objet d'avenant inconnu."})
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
        avenant_purpose=purpose,
        created_by=user,
        number=f"TMP-{uuid.uuid4().hex[:12]}",
    )
    avenant.save()
    assign_number(avenant)
    AGREEMENT_WORKFLOW.log_creation(avenant, user=user)
    consolidated = consolidate(agreement)
    parties = consolidated.parties
    if purpose == AvenantPurpose.ADHESION:
        parties = [p for p in parties if p.signs_adhesions] or [
            p for p in parties if p.side == PartySide.EDUCATION
        ]
    for index, party in enumerate(parties, start=1):
        copy = Party.objects.create(
            agreement=avenant,
            order=index,
            organisation=party.organisation,
            name=party.name,
            short_name=party.short_name,
            side=party.side,
            represented_by=party.represented_by,
            address=party.address,
            signs_adhesions=party.signs_adhesions,
        )
        for signatory in consolidated.signatories:
            if signatory.party_id == party.pk:
                Signatory.objects.create(
                    agreement=avenant,
                    party=copy,
                    order=signatory.order,
                    civility=signatory.civility,
                    full_name=signatory.full_name,
                    title=signatory.title,
                    email=signatory.email,
                )
    refresh_search(avenant)
    return avenant
