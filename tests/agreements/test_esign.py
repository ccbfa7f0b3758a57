"""Electronic signature with its audit trail (issue 13): a signed, expiring link per
signatory, the frozen PDF, a one-time code through the outbox, explicit consent, the
evidence kept in an append-only journal, the signed PDF's evidence page, hybrid signatures
and the reminders."""

import hashlib
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.core import signing as django_signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.utils import ProgrammingError

from relais.agreements import services, signing
from relais.agreements.enums import AgreementState, SignatureEventKind, SignatureMode
from relais.agreements.models import SignatureEvent
from relais.agreements.services import esign
from relais.core.models import Notification
from relais.documents.rendering import pdf_text
from tests.agreements.factories import draft_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the frozen PDFs
    return tmp_path


@pytest.fixture
def team(world):
    return world.users["academie_team"]


def electronic(team, agreement, *, only=None):
    """Give every signatory (or those named in ``only``) an address and electronic mode."""
    for index, signatory in enumerate(agreement.signatories.select_related("party")):
        if only is not None and signatory.full_name not in only:
            continue
        services.signatory_save(
            user=team,
            agreement=agreement,
            signatory=signatory,
            data={"email": f"signataire{index}@example.org", "signs_electronically": True,
                  "civility": "Madame"},
        )  # fmt: skip


def link_of(signatory) -> str:
    mail = Notification.objects.filter(key__startswith=f"signature:{signatory.pk}:v").latest("pk")
    return re.search(r"/conventions/signature/([^/\s]+)/", mail.body).group(1)


def code_of(signatory) -> str:
    mail = Notification.objects.filter(key__startswith=f"signature:{signatory.pk}:code").latest(
        "pk"
    )
    return re.search(r"\b(\d{6})\b", mail.subject).group(1)


def sign(signatory, *, ip="203.0.113.7", agent="Firefox/140"):
    esign.signature_send_code(signatory=signatory, ip=ip, user_agent=agent)
    return esign.signature_sign(
        signatory=signatory, code=code_of(signatory), consent=True, ip=ip, user_agent=agent
    )


def test_every_signatory_signs_through_their_link_then_it_is_in_force(world, team):
    agreement = draft_agreement(team, world.home, partners=3)
    electronic(team, agreement)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    signatories = list(agreement.signatories.all())
    assert len(signatories) == 4
    # One invitation each, in the outbox, with a personal signed link.
    for signatory in signatories:
        token = link_of(signatory)
        found, version = signing.signatory_from_token(token)
        assert found == signatory and version.number == 1
        signatory.refresh_from_db()
        assert signatory.invited_at is not None
    document = signing.frozen_document(agreement.versions.get())
    assert document.sha256 == hashlib.sha256(document.file.read()).hexdigest()
    for signatory in signatories[:-1]:
        agreement = sign(signatory)
        assert agreement.state == AgreementState.IN_SIGNATURE
    agreement = sign(signatories[-1])
    assert agreement.state == AgreementState.IN_FORCE
    assert agreement.start_date == date.today() or agreement.start_date is not None
    for signatory in signatories:
        signatory.refresh_from_db()
        assert signatory.mode == SignatureMode.ELECTRONIC and signatory.signed_on is not None
    # The evidence: who, when, from where, with what, which document.
    event = SignatureEvent.objects.get(signatory=signatories[0], kind=SignatureEventKind.SIGNED)
    assert (event.ip_address, event.user_agent) == ("203.0.113.7", "Firefox/140")
    assert event.document_sha256 == document.sha256 and event.data["consent"] is True
    journal = list(agreement.journal.values_list("transition", flat=True))
    assert journal.count("signature_electronique") == 4 and journal[-1] == "entree_vigueur"
    # The signed PDF: the frozen text and a page with the evidence.
    text = " ".join(pdf_text(signing.signed_pdf(agreement).content).split())
    assert "Page de signatures" in text
    assert document.sha256 in text.replace(" ", "") or document.sha256[:32] in text
    assert "Signé électroniquement le" in text and "203.0.113.7" in text


def test_the_audit_trail_cannot_be_rewritten(world, team):
    agreement = draft_agreement(team, world.home)
    electronic(team, agreement)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    event = SignatureEvent.objects.first()
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        SignatureEvent.objects.filter(pk=event.pk).update(ip_address="198.51.100.1")
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        SignatureEvent.objects.filter(pk=event.pk).delete()
    assert SignatureEvent.objects.filter(pk=event.pk, ip_address=None).exists()


def test_code_consent_and_link_are_checked(world, team):
    agreement = draft_agreement(team, world.home)
    electronic(team, agreement)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    signatory = agreement.signatories.first()
    with pytest.raises(ValidationError, match="Demandez d'abord un code"):
        esign.signature_sign(signatory=signatory, code="123456", consent=True, ip=None,
                             user_agent="")  # fmt: skip
    esign.signature_send_code(signatory=signatory, ip=None, user_agent="")
    code = code_of(signatory)
    with pytest.raises(ValidationError, match="consentir"):
        esign.signature_sign(signatory=signatory, code=code, consent=False, ip=None,
                             user_agent="")  # fmt: skip
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ValidationError, match="pas le bon"):
        esign.signature_sign(signatory=signatory, code=wrong, consent=True, ip=None,
                             user_agent="")  # fmt: skip
    assert SignatureEvent.objects.filter(kind=SignatureEventKind.CODE_FAILED).count() == 1
    with (
        time_machine.travel(timedelta(minutes=16)),
        pytest.raises(ValidationError, match="expiré"),
    ):
        esign.signature_sign(signatory=signatory, code=code, consent=True, ip=None, user_agent="")
    # Altered or expired links.
    token = link_of(signatory)
    with pytest.raises(signing.LinkError, match="pas valide"):
        signing.signatory_from_token(token[:-2] + "xx")
    with (
        time_machine.travel(timedelta(days=signing.LINK_DAYS + 1)),
        pytest.raises(signing.LinkError, match="expiré"),
    ):
        signing.signatory_from_token(token)
    forged = django_signing.dumps({"s": signatory.pk, "v": 1}, salt="autre", compress=True)
    with pytest.raises(signing.LinkError):
        signing.signatory_from_token(forged)


def test_hybrid_paper_and_electronic(world, team):
    agreement = draft_agreement(team, world.home)
    electronic(team, agreement, only={"Président 1"})
    services.agreement_send_for_signature(user=team, agreement=agreement)
    assert Notification.objects.filter(key__startswith="signature:").count() == 1
    paper = agreement.signatories.get(full_name="Mme la rectrice")
    services.agreement_record_signature(
        user=team, signatory=paper, signed_on=date(2026, 11, 2), mode=SignatureMode.PAPER
    )
    agreement = sign(agreement.signatories.get(full_name="Président 1"))
    assert agreement.state == AgreementState.IN_FORCE
    text = " ".join(pdf_text(signing.signed_pdf(agreement).content).split())
    assert "Signé le 02/11/2026 (papier)" in text, text[-800:]
    assert "Signé électroniquement le" in text


def test_reminders_at_fixed_delays(world, team):
    agreement = draft_agreement(team, world.home)
    electronic(team, agreement)
    services.agreement_send_for_signature(user=team, agreement=agreement)
    today = date.today()
    assert esign.signature_reminders(today=today + timedelta(days=2)) == 0
    assert esign.signature_reminders(today=today + timedelta(days=3)) == 2
    assert esign.signature_reminders(today=today + timedelta(days=4)) == 0  # once each
    sign(agreement.signatories.first())
    assert esign.signature_reminders(today=today + timedelta(days=7)) == 1
    reminders = Notification.objects.filter(key__contains=":relance:")
    assert reminders.count() == 3
    assert "Rappel n° 2" in reminders.latest("pk").body
