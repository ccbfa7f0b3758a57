"""Conventions built through the services, as a user would: draft, parties, signatories,
articles, then (optionally) signatures."""

from datetime import date

from relais.agreements import services
from relais.agreements.enums import AgreementKind, AgreementScope, PartySide, SignatureMode
from relais.agreements.models import Agreement


def draft_agreement(
    user,
    academie,
    *,
    title="Convention de partenariat école-entreprise",
    kind=AgreementKind.FRAMEWORK,
    partner=None,
    partners=1,
    fields=None,
    articles=2,
) -> Agreement:
    """A complete draft on ``academie``: the académie and ``partners`` partners, one
    signatory each, ``articles`` articles."""
    fields = {"duration_months": 36, "notice_months": 3, "termination_months": 2} | (fields or {})
    if kind == AgreementKind.CEE:
        fixed = ("duration_months", "tacit_renewal", "termination_months")
        fields = {k: v for k, v in fields.items() if k not in fixed}
    agreement = services.agreement_create(
        user=user,
        title=title,
        kind=kind,
        scope=AgreementScope.ACADEMIE,
        academie=academie,
        fields=fields,
    )
    rectorat = services.party_save(
        user=user,
        agreement=agreement,
        data={"name": f"Académie de {academie.name}", "side": PartySide.EDUCATION},
    )
    services.signatory_save(
        user=user,
        agreement=agreement,
        data={"party": rectorat, "full_name": "Mme la rectrice", "title": "Rectrice"},
    )
    for index in range(partners):
        party = services.party_save(
            user=user,
            agreement=agreement,
            data={
                "organisation": partner if index == 0 else None,
                "name": partner.name if (partner and index == 0) else f"Partenaire {index + 1}",
                "side": PartySide.ECONOMIC,
            },
        )
        services.signatory_save(
            user=user,
            agreement=agreement,
            data={"party": party, "full_name": f"Président {index + 1}", "title": "Président"},
        )
    for index in range(articles):
        services.article_save(
            user=user,
            agreement=agreement,
            data={
                "number": str(index + 1),
                "heading": f"Axe {index + 1}",
                "body": f"Les partenaires développent les stages et le réseau n° {index + 1}.",
            },
        )
    return agreement


def sign_all(user, agreement: Agreement, *, on: date, today: date | None = None) -> Agreement:
    """Send for signature (if needed) and sign every signatory on ``on``."""
    if agreement.state == "brouillon":
        services.agreement_send_for_signature(user=user, agreement=agreement)
    for signatory in agreement.signatories.filter(signed_on__isnull=True):
        agreement = services.agreement_record_signature(
            user=user,
            signatory=signatory,
            signed_on=on,
            mode=SignatureMode.PAPER,
            today=today or max(on, date.today()),
        )
    agreement.refresh_from_db()
    return agreement


def in_force_agreement(user, academie, *, signed_on=date(2024, 1, 15), **kwargs) -> Agreement:
    return sign_all(user, draft_agreement(user, academie, **kwargs), on=signed_on)
