"""Issue 13: a convention goes from draft to in force through the electronic signatures of
its four signatories, each acting through their own link (read the frozen PDF, receive a
one-time code by e-mail, consent, sign); the académie team then downloads the signed PDF
with its evidence page. axe-core audits the signatory's pages and the convention's."""

import io
import re

import pytest
from playwright.sync_api import expect

from relais.agreements import services
from relais.agreements.enums import AgreementState
from relais.core.models import Notification
from relais.documents.rendering import pdf_text
from tests.agreements.factories import draft_agreement

from .conftest import assert_dsfr_loaded, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the frozen PDF
    return tmp_path


def _path(mail_body: str) -> str:
    return re.search(r"(/conventions/signature/[^/\s]+/)", mail_body).group(1)


def test_four_signatories_sign_electronically_through_their_links(
    page, axe, log_in, live_server, world
):
    team = world.users["academie_team"]
    agreement = draft_agreement(team, world.home, partners=3, title="Convention du Lez")
    for index, signatory in enumerate(agreement.signatories.all()):
        services.signatory_save(
            user=team, agreement=agreement, signatory=signatory,
            data={"email": f"signataire{index}@example.org", "signs_electronically": True,
                  "civility": "Madame" if index % 2 == 0 else "Monsieur"},
        )  # fmt: skip

    # The académie team sends it for signature from the page: the links leave by the outbox.
    log_in(team)
    page.goto(f"/conventions/{agreement.pk}/")
    page.get_by_role("link", name="Envoyer en signature").click()
    page.get_by_role("button", name="Figer le texte et envoyer en signature").click()
    main = page.get_by_role("main")
    expect(main.get_by_text("Le texte est figé et envoyé en signature.")).to_be_visible()
    signatories = list(agreement.signatories.all())
    assert len(signatories) == 4
    page.context.clear_cookies()  # the signatories have no account

    for number, signatory in enumerate(signatories, start=1):
        invitation = Notification.objects.get(key__startswith=f"signature:{signatory.pk}:v1:")
        assert signatory.email in invitation.recipients
        link = _path(invitation.body)
        page.goto(link)
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Signature de la convention {agreement.number}"
        )
        main = page.get_by_role("main")
        expect(main).to_contain_text(signatory.full_name)
        if number == 1:
            assert_dsfr_loaded(page)
            axe.check("page de signature d'un signataire")
        # The frozen PDF they read.
        pdf_link = main.get_by_role("link", name="Lire la convention (PDF)")
        document = page.request.get(pdf_link.get_attribute("href"))
        assert document.ok and document.headers["content-type"] == "application/pdf"
        assert "Convention du Lez" in pdf_text(document.body())
        # A one-time code by e-mail.
        main.get_by_role("button", name="Recevoir un code par courriel").click()
        expect(
            main.get_by_text(f"Un code vient d'être envoyé à {signatory.email}.")
        ).to_be_visible()
        mail = Notification.objects.get(key__startswith=f"signature:{signatory.pk}:code:")
        code = re.search(r"(\d{6})", mail.subject).group(1)
        main.get_by_label("Code reçu par courriel").fill(code)
        main.locator("label[for=id_consent]").click()  # DSFR: the label draws the box
        expect(main.get_by_label(re.compile("J'ai lu la convention"))).to_be_checked()
        main.get_by_role("button", name="Signer électroniquement").click()
        expect(main.get_by_role("heading", name="Signature enregistrée")).to_be_visible()
        if number == 1:
            axe.check("signature enregistrée")
        agreement.refresh_from_db()
        expected = AgreementState.IN_FORCE if number == 4 else AgreementState.IN_SIGNATURE
        assert agreement.state == expected
    screenshot(page, "signature-electronique-enregistree")

    # The team sees it in force, with the evidence of each signature in the signed PDF.
    log_in(team)
    page.goto(f"/conventions/{agreement.pk}/")
    main = page.get_by_role("main")
    expect(main.locator(".fr-badge", has_text="En vigueur")).to_be_visible()
    expect(main.get_by_role("table", name="Parties et signataires")).to_contain_text(
        "(électronique)"
    )
    axe.check("convention signée électroniquement")
    signed = main.get_by_role("link", name="Version signée avec la page de signatures (PDF)")
    response = page.request.get(signed.get_attribute("href"))
    assert response.ok
    text = " ".join(pdf_text(io.BytesIO(response.body()).getvalue()).split())
    assert "Page de signatures" in text
    assert text.count("Signé électroniquement le") == 4
    assert "SHA-256" in text
    axe.assert_clean()
