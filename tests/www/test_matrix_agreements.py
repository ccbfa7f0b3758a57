"""Permission matrix of the conventions pages (see tests/www/matrix.py)."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.agreements import services
from tests.agreements.factories import draft_agreement, in_force_agreement
from tests.conftest import ROLES
from tests.documents.pdfs import tiny_pdf
from tests.www.matrix import cases, check_answer, module_fixture, row

EVERYONE = row(200)
POST_ANYONE = row(302)
MANAGERS = row(403, national_admin=200, academie_team=200)
# Académie convention, the local company is a party: its representative sees it. A
# volunteer reads only the conventions they act under (their CEE convention): 404 here.
LIVE_VISIBLE = row(200, no_membership=404, volunteer=404)
LIVE_MANAGE = row(403, national_admin=200, academie_team=200, no_membership=404, volunteer=404)
LIVE_MANAGE_POST = row(403, national_admin=302, academie_team=302, no_membership=404,
                       volunteer=404)  # fmt: skip
# A draft without the company: hidden from its representative too.
DRAFT_VISIBLE = row(200, no_membership=404, organisation_rep=404, volunteer=404)
DRAFT_MANAGE = row(403, national_admin=200, academie_team=200, no_membership=404,
                   organisation_rep=404, volunteer=404)  # fmt: skip
DRAFT_MANAGE_POST = {**DRAFT_MANAGE, "national_admin": 302, "academie_team": 302}
SIGN_POST = {**DRAFT_MANAGE, "national_admin": 400, "academie_team": 400}
ONLY_NATIONAL = row(404, national_admin=200)


@pytest.fixture
def conventions(world):
    return build_conventions(world)


def build_conventions(world):
    team = world.users["academie_team"]
    live = in_force_agreement(team, world.home, partner=world.company)
    services.scan_add(
        user=team,
        agreement=live,
        upload=SimpleUploadedFile("signee.pdf", tiny_pdf("Signée"), "application/pdf"),
    )
    draft = draft_agreement(team, world.home, title="Brouillon")
    signing = draft_agreement(team, world.home, title="En signature")
    services.agreement_send_for_signature(user=team, agreement=signing)
    foreign = in_force_agreement(
        world.users["national_admin"], world.other, signed_on=date(2024, 2, 1)
    )
    ended = in_force_agreement(team, world.home, partner=world.company, signed_on=date(2024, 3, 1))
    ended = services.agreement_end(
        user=team, agreement=ended, step="non_reconduction", on=date(2024, 6, 3), reason="Fin"
    )
    world.ending_entry = ended.journal.get(transition="non_reconduction")
    world.live, world.draft, world.signing, world.foreign = live, draft, signing, foreign
    world.ended = ended
    world.live_scan = live.scans.get()
    return world


conventions_once = module_fixture(build_conventions)


def _article(w):
    return w.draft.articles.first().pk


MATRIX = [
    ("agreements:list", lambda w: "/conventions/", "get", EVERYONE),
    ("agreements:list", lambda w: "/conventions/?q=stages&state=en_vigueur&ends_within=365", "get", EVERYONE),
    ("agreements:export", lambda w: "/conventions/export.csv", "get", EVERYONE),
    ("agreements:export", lambda w: "/conventions/export.xlsx", "get", EVERYONE),
    ("agreements:deadlines", lambda w: "/conventions/echeances/?days=365", "get", EVERYONE),
    ("agreements:calendar", lambda w: "/conventions/calendrier/", "get", EVERYONE),
    ("agreements:calendar_renew", lambda w: "/conventions/calendrier/renouveler/", "post", POST_ANYONE),
    ("agreements:create", lambda w: "/conventions/nouvelle/", "get", MANAGERS),
    ("agreements:detail", lambda w: f"/conventions/{w.live.pk}/", "get", LIVE_VISIBLE),
    ("agreements:detail", lambda w: f"/conventions/{w.draft.pk}/", "get", DRAFT_VISIBLE),
    ("agreements:detail", lambda w: f"/conventions/{w.foreign.pk}/", "get", ONLY_NATIONAL),
    ("agreements:detail", lambda w: f"/conventions/{w.live.pk}/?on=2024-01-10", "get", LIVE_VISIBLE),
    ("agreements:detail", lambda w: f"/conventions/{w.foreign.pk}/?on=2024-06-01", "get", ONLY_NATIONAL),
    ("agreements:letter", lambda w: f"/conventions/{w.ended.pk}/lettres/{w.ending_entry.pk}.pdf", "get", LIVE_VISIBLE),
    ("agreements:signed_document", lambda w: f"/conventions/{w.live.pk}/document-signe.pdf", "get", LIVE_VISIBLE),
    ("agreements:signed_document", lambda w: f"/conventions/{w.foreign.pk}/document-signe.pdf", "get", ONLY_NATIONAL),
    ("agreements:version", lambda w: f"/conventions/{w.live.pk}/versions/1/", "get", LIVE_VISIBLE),
    ("agreements:document", lambda w: f"/conventions/{w.live.pk}/document.docx", "get", LIVE_VISIBLE),
    ("agreements:document", lambda w: f"/conventions/{w.live.pk}/document.pdf", "get", LIVE_VISIBLE),
    ("agreements:document", lambda w: f"/conventions/{w.foreign.pk}/document.pdf", "get", ONLY_NATIONAL),
    ("agreements:scan", lambda w: f"/conventions/{w.live.pk}/scans/{w.live_scan.pk}/", "get", LIVE_VISIBLE),
    ("agreements:edit", lambda w: f"/conventions/{w.draft.pk}/modifier/", "get", DRAFT_MANAGE),
    ("agreements:edit", lambda w: f"/conventions/{w.foreign.pk}/modifier/", "get", ONLY_NATIONAL),
    # A draft whose template has no field left to fill: the page sends managers back.
    ("agreements:template_fields", lambda w: f"/conventions/{w.draft.pk}/champs/", "get", DRAFT_MANAGE_POST),
    ("agreements:child_add", lambda w: f"/conventions/{w.draft.pk}/parties/ajouter/", "get", DRAFT_MANAGE),
    ("agreements:child_add", lambda w: f"/conventions/{w.draft.pk}/engagements/ajouter/", "get", DRAFT_MANAGE),
    ("agreements:child_edit", lambda w: f"/conventions/{w.draft.pk}/articles/{_article(w)}/", "get", DRAFT_MANAGE),
    ("agreements:child_remove", lambda w: f"/conventions/{w.draft.pk}/articles/{_article(w)}/supprimer/", "post", DRAFT_MANAGE_POST),
    ("agreements:send", lambda w: f"/conventions/{w.draft.pk}/envoyer/", "get", DRAFT_MANAGE),
    ("agreements:abandon", lambda w: f"/conventions/{w.draft.pk}/abandonner/", "get", DRAFT_MANAGE),
    ("agreements:back_to_draft", lambda w: f"/conventions/{w.signing.pk}/brouillon/", "get", DRAFT_MANAGE),
    ("agreements:sign", lambda w: f"/conventions/{w.signing.pk}/signer/{w.signing.signatories.first().pk}/", "post", SIGN_POST),
    ("agreements:resend_link", lambda w: f"/conventions/{w.signing.pk}/signer/{w.signing.signatories.first().pk}/nouveau-lien/", "post", DRAFT_MANAGE_POST),
    ("agreements:terminate", lambda w: f"/conventions/{w.live.pk}/resilier/", "get", LIVE_MANAGE),
    ("agreements:end", lambda w: f"/conventions/{w.live.pk}/fin/non_reconduction/", "get", LIVE_MANAGE),
    ("agreements:end", lambda w: f"/conventions/{w.live.pk}/fin/resiliation_faute/", "get", LIVE_MANAGE),
    ("agreements:end", lambda w: f"/conventions/{w.live.pk}/fin/commun_accord/", "get", LIVE_MANAGE),
    ("agreements:end", lambda w: f"/conventions/{w.foreign.pk}/fin/commun_accord/", "get", ONLY_NATIONAL),
    ("agreements:withdraw", lambda w: f"/conventions/{w.live.pk}/retrait/", "get", LIVE_MANAGE),
    ("agreements:avenant", lambda w: f"/conventions/{w.live.pk}/avenant/", "get", LIVE_MANAGE),
    ("agreements:decline", lambda w: f"/conventions/{w.live.pk}/decliner/", "get", LIVE_MANAGE),
    ("agreements:scan_add", lambda w: f"/conventions/{w.live.pk}/scans/ajouter/", "get", LIVE_MANAGE),
]  # fmt: skip
# The iCal feed and the signatory's pages are public with their secret token:
# tests/www/test_agreements.py and tests/www/test_agreements_esign.py.
COVERED_ELSEWHERE = {
    "agreements:calendar_feed",
    "agreements:esign",
    "agreements:esign_code",
    "agreements:esign_document",
}


@pytest.mark.parametrize(("name", "build", "method", "role", "expected"), cases(MATRIX))
def test_agreements_matrix(conventions_once, db, client_for, name, build, method, role, expected):
    check_answer(
        client_for(conventions_once.users[role]), build(conventions_once), method, role, expected
    )


def test_roles_are_all_covered():
    assert set(LIVE_VISIBLE) == set(ROLES)
