"""The conventions API answers bad payloads with a French 400 by field, never a 500, and
changes nothing (tests/api/agreement_fixtures.py for the shared fixtures)."""

# The shared fixtures are imported by name and taken as arguments.
# ruff: noqa: F811

from datetime import date, timedelta

import pytest
from django.utils import timezone

from relais.agreements import services
from relais.agreements.models import Agreement
from tests.agreements.factories import draft_agreement, in_force_agreement

from .agreement_fixtures import LIST, admin, detail, draft, ids, lille, team  # noqa: F401

# --- bad payloads: 400 with French messages, never a 500 ---------------------------------------

VALID = {"title": "Nouvelle convention", "kind": "cadre", "scope": "academie", "academie": "A10"}

BAD_CREATE = [
    ({"title": ""}, "title", "Ce champ ne peut être vide."),
    ({"title": None}, "title", "Ce champ ne peut être nul."),
    ({"title": "x" * 256}, "title", "au plus 255 caractères"),
    ({"title": "\x00"}, "title", "caractères de contrôle (octet nul)"),
    ({"title": ["liste"]}, "title", "Chaîne de caractère invalide."),
    ({"kind": "usine"}, "kind", "n'est pas un choix valide"),
    ({"kind": "avenant"}, "kind", "Un avenant se crée depuis la convention qu'il modifie."),
    ({"scope": "monde"}, "scope", "n'est pas un choix valide"),
    ({"academie": None}, "academie", "Choisissez l'académie."),
    ({"academie": "ZZZ"}, "academie", "Académie inconnue : code « ZZZ »."),
    ({"academie": 10}, "academie", "Indiquez un code sous forme de texte."),
    ({"scope": "bassin", "bassin": "NOPE"}, "bassin", "Bassin inconnu : code « NOPE »."),
    ({"scope": "bassin"}, "bassin", "Choisissez le bassin."),
    ({"scope": "etablissement", "establishment": "0000000X"}, "establishment", "UAI"),
    ({"scope": "region_academique", "academie": None}, "academic_region", "région académique"),
    ({"duration_months": -1}, "duration_months", "supérieure ou égale à 0"),
    ({"duration_months": "abc"}, "duration_months", "Un nombre entier valide est requis."),
    ({"duration_months": 70000}, "duration_months", "inférieure ou égale à 32767"),
    ({"duration_months": 0}, "duration_months", "au moins un mois"),
    ({"tacit_renewal": True}, "tacit_renewal", "Une reconduction tacite suppose une durée."),
    ({"duration_months": 12, "max_renewals": 2}, "max_renewals", "suppose la reconduction"),
    ({"kind": "cee", "tacit_renewal": True}, "tacit_renewal", "pas reconductible"),
    (
        {"duration_months": 12, "tacit_renewal": True, "notice_months": 13},
        "non_field_errors",
        "préavis de non-reconduction",
    ),
    ({"effective_date": "2024-02-30"}, "effective_date", "La date n'a pas le bon format"),
    ({"effective_date": 20240201}, "effective_date", "La date n'a pas le bon format"),
    ({"tacit_renewal": "peut-être"}, "tacit_renewal", "booléen valide"),
    ({"template_fields": "texte"}, "template_fields", "dictionnaire"),
    ({"template_fields": {"domaines": ["BTP"]}}, "template_fields", "Chaîne de caractère"),
    ({"preamble": "a" * 50_001}, "preamble", "au plus 50000 caractères"),
    ({"competent_court": "a" * 201}, "competent_court", "au plus 200 caractères"),
]


@pytest.mark.parametrize(
    "changes, field, message", BAD_CREATE, ids=[f"{i}-{p[1]}" for i, p in enumerate(BAD_CREATE)]
)
def test_bad_create_payload(world, client_for, changes, field, message):
    response = client_for("academie_team").post(LIST, VALID | changes, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    texts = [str(text).replace("\xa0", " ") for text in _flat(errors[field])]
    assert any(message in text for text in texts), texts
    assert not Agreement.objects.exists()


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b"null", b'"texte"', b"\xff\xfe"], ids=range(5)
)
def test_malformed_bodies(world, draft, client_for, body):
    client = client_for("academie_team")
    for url in (LIST, detail(draft, "sign/"), detail(draft, "parties/")):
        response = client.generic("POST", url, body, content_type="application/json")
        assert response.status_code == 400, (url, response.content)
        text = str(response.json())
        assert "JSON" in text or "objet" in text, text


def _signed(world, team):
    return in_force_agreement(team, world.academie_a, title="Signée")


def _in_signature(world, team):
    agreement = draft_agreement(team, world.academie_a, title="En signature")
    return services.agreement_send_for_signature(user=team, agreement=agreement)


def _avenant(world, team):
    return services.avenant_create(user=team, agreement=_signed(world, team), title="")


def _draft(world, team):
    return draft_agreement(team, world.academie_a, title="Brouillon")


def _other_party(world, team):
    return _draft(world, team).parties.first().pk


def _own_signatory(agreement):
    return agreement.signatories.first().pk


# (name, build, method, suffix, payload builder, field, part of the message)
BAD_ACTIONS = [
    ("patch-empty-title", _draft, "patch", "", lambda a, w, t: {"title": " "}, "title", None),
    (
        "clauses-on-a-convention",
        _draft,
        "patch",
        "",
        lambda a, w, t: {"clause_changes": {"duration_months": 48}},
        "clause_changes",
        "Seul un avenant",
    ),
    (
        "unknown-clause",
        _avenant,
        "patch",
        "",
        lambda a, w, t: {"clause_changes": {"couleur": "bleu"}},
        "clause_changes",
        "Clauses inconnues : couleur.",
    ),
    (
        "clause-type",
        _avenant,
        "patch",
        "",
        lambda a, w, t: {"clause_changes": {"duration_months": "long"}},
        "clause_changes",
        None,
    ),
    (
        "clauses-not-object",
        _avenant,
        "patch",
        "",
        lambda a, w, t: {"clause_changes": [1]},
        "clause_changes",
        None,
    ),
    (
        "sign-a-draft",
        _draft,
        "post",
        "sign/",
        lambda a, w, t: {
            "signatory": _own_signatory(a),
            "signed_on": "2025-01-01",
            "mode": "papier",
        },
        "non_field_errors",
        "n'est pas possible dans l'état « Brouillon »",
    ),
    (
        "sign-in-the-future",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {
            "signatory": _own_signatory(a),
            "signed_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "mode": "papier",
        },
        "signed_on",
        "futur",
    ),
    (
        "sign-bad-mode",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {"signatory": _own_signatory(a), "signed_on": "2025-01-01", "mode": "fax"},
        "mode",
        "n'est pas un choix valide",
    ),
    (
        "sign-bad-date",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {"signatory": _own_signatory(a), "signed_on": "hier", "mode": "papier"},
        "signed_on",
        "La date n'a pas le bon format",
    ),
    (
        "sign-foreign-signatory",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {
            "signatory": _draft(w, t).signatories.first().pk,
            "signed_on": "2025-01-01",
            "mode": "papier",
        },
        "signatory",
        "inconnu dans cette convention",
    ),
    (
        "sign-nothing",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: {},
        "signatory",
        "obligatoire",
    ),
    (
        "sign-twice",
        _in_signature,
        "post",
        "sign/",
        lambda a, w, t: _sign_once(a, t),
        "non_field_errors",
        "déjà enregistrée",
    ),
    (
        "terminate-without-reason",
        _signed,
        "post",
        "terminate/",
        lambda a, w, t: {"notice_received_on": "2025-01-01", "reason": "  "},
        "reason",
        None,
    ),
    (
        "terminate-in-the-future",
        _signed,
        "post",
        "terminate/",
        lambda a, w, t: {
            "notice_received_on": (timezone.localdate() + timedelta(days=5)).isoformat(),
            "reason": "Fin",
        },
        "notice_received_on",
        "futur",
    ),
    (
        "terminate-foreign-party",
        _signed,
        "post",
        "terminate/",
        lambda a, w, t: {
            "notice_received_on": "2025-01-01",
            "reason": "Fin",
            "party": _other_party(w, t),
        },
        "party",
        "inconnu dans cette convention",
    ),
    (
        "terminate-a-draft",
        _draft,
        "post",
        "terminate/",
        lambda a, w, t: {"notice_received_on": "2025-01-01", "reason": "Fin"},
        "non_field_errors",
        "n'est pas possible",
    ),
    (
        "back-to-draft-without-note",
        _in_signature,
        "post",
        "back-to-draft/",
        lambda a, w, t: {},
        "note",
        "Indiquez pourquoi",
    ),
    (
        "back-to-draft-of-a-draft",
        _draft,
        "post",
        "back-to-draft/",
        lambda a, w, t: {"note": "x"},
        "non_field_errors",
        "n'est pas possible",
    ),
    (
        "abandon-without-note",
        _draft,
        "post",
        "abandon/",
        lambda a, w, t: {"note": ""},
        "note",
        "Indiquez pourquoi",
    ),
    (
        "abandon-in-force",
        _signed,
        "post",
        "abandon/",
        lambda a, w, t: {"note": "x"},
        "non_field_errors",
        "n'est pas possible",
    ),
    (
        "send-twice",
        _in_signature,
        "post",
        "send-for-signature/",
        lambda a, w, t: {},
        "non_field_errors",
        "n'est pas possible",
    ),
    (
        "note-too-long",
        _draft,
        "post",
        "abandon/",
        lambda a, w, t: {"note": "a" * 5001},
        "note",
        "au plus 5000",
    ),
    (
        "avenant-of-a-draft",
        _draft,
        "post",
        "avenants/",
        lambda a, w, t: {},
        "non_field_errors",
        "en vigueur",
    ),
    (
        "avenant-of-an-avenant",
        _avenant,
        "post",
        "avenants/",
        lambda a, w, t: {},
        "non_field_errors",
        "pas à un autre avenant",
    ),
    (
        "decline-a-draft",
        _draft,
        "post",
        "decline/",
        lambda a, w, t: {"title": "L", "scope": "bassin", "bassin": "BA1"},
        "non_field_errors",
        "en vigueur",
    ),
    (
        "decline-nationally",
        _signed,
        "post",
        "decline/",
        lambda a, w, t: {"title": "L", "scope": "national"},
        "scope",
        "n'est pas un choix valide",
    ),
    (
        "decline-without-title",
        _signed,
        "post",
        "decline/",
        lambda a, w, t: {"scope": "bassin", "bassin": "BA1"},
        "title",
        "obligatoire",
    ),
    (
        "party-without-side",
        _draft,
        "post",
        "parties/",
        lambda a, w, t: {"name": "X"},
        "side",
        "obligatoire",
    ),
    (
        "party-without-name",
        _draft,
        "post",
        "parties/",
        lambda a, w, t: {"side": "autre"},
        "name",
        "Indiquez le nom",
    ),
    (
        "party-hidden-organisation",
        _draft,
        "post",
        "parties/",
        lambda a, w, t: {"side": "autre", "organisation": w.company_b.pk},
        "organisation",
        "hors de votre périmètre",
    ),
    (
        "party-name-too-long",
        _draft,
        "post",
        "parties/",
        lambda a, w, t: {"side": "autre", "name": "n" * 256},
        "name",
        "au plus 255",
    ),
    (
        "signatory-party-type",
        _draft,
        "post",
        "signatories/",
        lambda a, w, t: {"party": "abc", "full_name": "X"},
        "party",
        "nombre entier valide",
    ),
    (
        "signatory-without-party",
        _draft,
        "post",
        "signatories/",
        lambda a, w, t: {"full_name": "X"},
        "party",
        "obligatoire",
    ),
    (
        "signatory-bad-email",
        _draft,
        "post",
        "signatories/",
        lambda a, w, t: {"party": a.parties.first().pk, "full_name": "X", "email": "non"},
        "email",
        "adresse e-mail valide",
    ),
    (
        "article-duplicate",
        _draft,
        "post",
        "articles/",
        lambda a, w, t: {"number": "1"},
        "number",
        "existe déjà",
    ),
    (
        "article-removes-in-a-convention",
        _draft,
        "post",
        "articles/",
        lambda a, w, t: {"number": "7", "removes": True},
        "removes",
        "Seul un avenant",
    ),
    (
        "article-without-number",
        _draft,
        "post",
        "articles/",
        lambda a, w, t: {"heading": "X"},
        "number",
        "obligatoire",
    ),
    (
        "commitment-bad-category",
        _draft,
        "post",
        "commitments/",
        lambda a, w, t: {"party": a.parties.first().pk, "category": "x", "description": "d"},
        "category",
        "n'est pas un choix valide",
    ),
    (
        "commitment-negative",
        _draft,
        "post",
        "commitments/",
        lambda a, w, t: {
            "party": a.parties.first().pk,
            "category": "cee",
            "description": "d",
            "quantity": -1,
        },
        "quantity",
        "supérieure ou égale à 0",
    ),
    (
        "commitment-blank",
        _draft,
        "post",
        "commitments/",
        lambda a, w, t: {"party": a.parties.first().pk, "category": "cee", "description": " "},
        "description",
        None,
    ),
    (
        "commitment-huge",
        _draft,
        "post",
        "commitments/",
        lambda a, w, t: {
            "party": a.parties.first().pk,
            "category": "cee",
            "description": "d",
            "quantity": 10**12,
        },
        "quantity",
        "inférieure ou égale",
    ),
]


def _sign_once(agreement, team):
    signatory = agreement.signatories.first()
    services.agreement_record_signature(
        user=team, signatory=signatory, signed_on=date(2025, 1, 1), mode="papier"
    )
    return {"signatory": signatory.pk, "signed_on": "2025-01-02", "mode": "papier"}


@pytest.mark.parametrize(
    "build, method, suffix, payload, field, message",
    [case[1:] for case in BAD_ACTIONS],
    ids=[case[0] for case in BAD_ACTIONS],
)
def test_bad_action_payload(
    world, team, client_for, build, method, suffix, payload, field, message
):
    agreement = build(world, team)
    body = payload(agreement, world, team)
    before = Agreement.objects.filter(pk=agreement.pk).values().get()
    rows = (agreement.parties.count(), agreement.signatories.count(), agreement.articles.count())
    client = client_for("academie_team")
    response = getattr(client, method)(detail(agreement, suffix), body, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    if message:
        texts = [str(text).replace("\xa0", " ") for text in _flat(errors[field])]
        assert any(message in text for text in texts), texts
    after = Agreement.objects.filter(pk=agreement.pk).values().get()
    assert after == before
    assert rows == (
        agreement.parties.count(),
        agreement.signatories.count(),
        agreement.articles.count(),
    )


def _flat(errors):
    if isinstance(errors, dict):
        return [text for value in errors.values() for text in _flat(value)]
    if isinstance(errors, list):
        return [text for value in errors for text in _flat(value)]
    return [errors]
