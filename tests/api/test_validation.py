"""Bad input always gets a 400 with French field errors, never a 500, and changes nothing."""

import pytest

from relais.organisations.models import Organisation

VALID = {"name": "Menuiserie Nouvelle", "kind": "entreprise", "commune": "34172"}

CONTROL = "Les caractères de contrôle (octet nul) ne sont pas acceptés."
BAD_PAYLOADS = [
    # (payload changes, field, part of the French message)
    ({"name": ""}, "name", "Ce champ ne peut être vide."),
    ({"name": None}, "name", "Ce champ ne peut être nul."),
    ({"name": "x" * 256}, "name", "au plus 255 caractères"),
    ({"name": ["liste"]}, "name", "Chaîne de caractère invalide."),
    ({"name": {"a": 1}}, "name", "Chaîne de caractère invalide."),
    ({"acronym": "x" * 41}, "acronym", "au plus 40 caractères"),
    ({"kind": "usine"}, "kind", "n'est pas un choix valide"),
    ({"kind": 3}, "kind", "n'est pas un choix valide"),
    ({"level": "mondial"}, "level", "n'est pas un choix valide"),
    ({"size_band": "xxl"}, "size_band", "n'est pas un choix valide"),
    ({"siret": "123"}, "siret", "doit compter 14 chiffres"),
    ({"siret": "73282932000075"}, "siret", "clé de contrôle fausse"),
    ({"siret": "7328293200007A"}, "siret", "doit compter 14 chiffres"),
    ({"siret": "7" * 21}, "siret", "au plus 20 caractères"),
    ({"siret": 73282932000074}, "siret", None),  # a number: coerced to text, then valid
    ({"naf": "99.99Z"}, "naf", "Code NAF inconnu : « 99.99Z »"),
    ({"naf": "abc"}, "naf", "Code NAF inconnu"),
    ({"naf": 6201}, "naf", "Indiquez un code sous forme de texte."),
    ({"naf": "6" * 300}, "naf", "Code NAF inconnu"),
    ({"commune": "99999"}, "commune", "Commune inconnue : code INSEE « 99999 »."),
    ({"commune": 34172}, "commune", "Indiquez un code sous forme de texte."),
    ({"commune": ["34172"]}, "commune", "Indiquez un code sous forme de texte."),
    ({"commune": "Montpellier"}, "commune", "Commune inconnue"),
    ({"commune": "34\x0072"}, "commune", CONTROL),
    ({"naf": "\x00"}, "naf", CONTROL),
    ({"academie": "ZZZ"}, "academie", "Académie inconnue : code « ZZZ »."),
    ({"academie": "B20"}, "academie", "Académie inconnue"),  # out of the user's reach
    ({"academic_region": "999"}, "academic_region", "Région académique inconnue"),
    ({"parent": 0}, "parent", "Organisation inconnue"),
    ({"parent": -5}, "parent", "Organisation inconnue"),
    ({"parent": 10**30}, "parent", "Organisation inconnue"),
    ({"parent": "abc"}, "parent", "Un nombre entier valide est requis."),
    ({"parent": 1.5}, "parent", "Un nombre entier valide est requis."),
    ({"parent": True}, "parent", "Un nombre entier valide est requis."),
    ({"parent": {"id": 1}}, "parent", "Un nombre entier valide est requis."),
    ({"postal_code": "3400"}, "postal_code", "Le code postal compte 5 chiffres."),
    ({"postal_code": "ABCDE"}, "postal_code", "Le code postal compte 5 chiffres."),
    ({"email": "pas-une-adresse"}, "email", "Saisissez une adresse e-mail valide."),
    ({"website": "pas une url"}, "website", "Saisissez une URL valide."),
    ({"website": "https://" + "a" * 500 + ".fr"}, "website", "au plus 500 caractères"),
    ({"phone": "0" * 41}, "phone", "au plus 40 caractères"),
    ({"address": "a" * 256}, "address", "au plus 255 caractères"),
    ({"description": "a" * 10_001}, "description", "au plus 10000 caractères"),
    ({"name": "\x00"}, "name", CONTROL),
    ({"name": "A\x1fB"}, "name", CONTROL),
]


@pytest.mark.parametrize(
    "changes, field, message", BAD_PAYLOADS, ids=[f"{i}-{p[1]}" for i, p in enumerate(BAD_PAYLOADS)]
)
def test_bad_create_payload(world, client_for, changes, field, message):
    response = client_for("academie_team").post(
        "/api/v1/organisations/", {**VALID, **changes}, format="json"
    )
    if message is None:
        assert response.status_code == 201, response.content
        return
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    messages = [error.replace("\xa0", " ") for error in errors[field]]
    assert any(message in text for text in messages), messages
    assert not Organisation.objects.filter(name=VALID["name"]).exists()


@pytest.mark.parametrize("changes, field, message", [p for p in BAD_PAYLOADS if p[2]][:20])
def test_bad_patch_payload_changes_nothing(world, client_for, changes, field, message):
    organisation = world.company_a
    before = Organisation.objects.filter(pk=organisation.pk).values().get()
    url = f"/api/v1/organisations/{organisation.pk}/"
    response = client_for("academie_team").patch(url, changes, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Organisation.objects.filter(pk=organisation.pk).values().get() == before


def test_missing_required_fields(world, client_for):
    response = client_for("academie_team").post("/api/v1/organisations/", {}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "name": ["Ce champ est obligatoire."],
        "kind": ["Ce champ est obligatoire."],
    }


def test_local_organisation_needs_a_place(world, client_for):
    """A rule of the service (not of the serializer), mapped to a field error."""
    payload = {"name": "Sans adresse", "kind": "entreprise"}
    response = client_for("academie_team").post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "commune": ["Indiquez la commune (ou l'académie) d'une organisation locale."]
    }


def test_regional_organisation_needs_a_region(world, client_for):
    payload = {"name": "Sans région", "kind": "professionnelle", "level": "regional"}
    response = client_for("national_admin").post("/api/v1/organisations/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"academic_region": ["Indiquez la région académique."]}


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b'{"name": "a",}',
        b"",
        b"\xff\xfe\x00",
        b'{"name": "' + b"a" * 10 + b'"',
    ],
)
def test_malformed_json_is_400(world, client_for, body):
    response = client_for("academie_team").post(
        "/api/v1/organisations/", body, content_type="application/json"
    )
    assert response.status_code == 400
    detail = response.json()
    if body:
        assert detail["detail"].startswith("JSON malformé : "), detail
    else:  # an empty body is an empty object
        assert detail["name"] == ["Ce champ est obligatoire."]


@pytest.mark.parametrize("body", [b"[]", b'["a", "b"]', b'"texte"', b"42", b"null", b"true"])
def test_json_that_is_not_an_object_is_400(world, client_for, body):
    response = client_for("academie_team").post(
        "/api/v1/organisations/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "Aucune donnée reçue : un objet JSON est attendu."
            if body == b"null"
            else "Données non valides : un objet JSON est attendu."
        ]
    }


def test_unsupported_media_type_is_415(world, client_for):
    response = client_for("academie_team").post(
        "/api/v1/organisations/", b"<xml/>", content_type="application/xml"
    )
    assert response.status_code == 415
    assert "non supporté" in response.json()["detail"]


def test_form_encoded_body_is_accepted(world, client_for):
    response = client_for("academie_team").post("/api/v1/organisations/", VALID)
    assert response.status_code == 201, response.content


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/99999999999999999999999/",
        "/api/v1/organisations/0/",
        "/api/v1/etablissements/ABCDEFGH/",
        "/api/v1/communes/00000/",
        "/api/v1/bassins/%C3%A9t%C3%A9/",
    ],
)
def test_odd_lookups_are_404(world, client_for, url):
    response = client_for("national_admin").get(url)
    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_nul_in_the_address_is_a_400(world, client_for):
    """relais.www.middleware.ControlCharactersMiddleware, JSON under /api/."""
    response = client_for("national_admin").get("/api/v1/academies/%00/")
    assert response.status_code == 400
    assert response.json() == {"path": [CONTROL]}


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=" + "a" * 5000,
        "q=%27%3B%20DROP%20TABLE",
        "page=abc",
        "page_size=-1",
        "page_size=abc",
        "academie=%00",
        "status=zzz",
        "vocational=peut-etre",
    ],
)
def test_odd_query_strings_never_500(world, client_for, query):
    response = client_for("national_admin").get(f"/api/v1/organisations/?{query}")
    assert response.status_code in (200, 400, 404), response.content
    response = client_for("national_admin").get(f"/api/v1/etablissements/?{query}")
    assert response.status_code in (200, 400, 404), response.content
    response = client_for("national_admin").get(f"/api/v1/communes/?{query}")
    assert response.status_code in (200, 400, 404), response.content


FUZZ_VALUES = [
    None,
    True,
    False,
    0,
    -1,
    2**64,
    1.5,
    float("1e308"),
    "",
    " ",
    "x" * 300,
    "\x00",
    "é" * 50,
    [],
    [1],
    ["34172"],
    {},
    {"a": 1},
    "34172",
    "31555",
    "62.01Z",
    "6201Z",
    "A10",
    "B20",
    "2A",
    "local",
    "regional",
    "national",
    "entreprise",
    "professionnelle",
    "pme",
    "73282932000074",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "https://exemple.fr",
    "a@b.fr",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]
FUZZ_FIELDS = [
    "name",
    "acronym",
    "kind",
    "level",
    "parent",
    "siret",
    "naf",
    "size_band",
    "address",
    "postal_code",
    "commune",
    "academie",
    "academic_region",
    "email",
    "phone",
    "website",
    "description",
    "id",
    "is_demo",
    "archived_at",
    "unknown_field",
]


def fuzz_payloads(seed: int, count: int, values: list):
    """Deterministic random payloads (a cheap stand-in for schemathesis)."""
    import random

    rng = random.Random(seed)
    for number in range(count):
        # Half are a valid payload with one or two fields spoilt, half are pure noise.
        base, size = (VALID, rng.randint(1, 2)) if number % 2 else ({}, len(FUZZ_FIELDS))
        fields = rng.sample(FUZZ_FIELDS, rng.randint(0, size))
        yield {**base, **{field: rng.choice(values) for field in fields}}


def test_fuzzed_payloads_never_500(world, client_for):
    client = client_for("national_admin")
    values = [*FUZZ_VALUES, world.professional_a.pk]
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    statuses = []
    for payload in fuzz_payloads(seed=20261123, count=150, values=values):
        response = client.post("/api/v1/organisations/", payload, format="json")
        assert response.status_code in (201, 400), (payload, response.content)
        statuses.append(response.status_code)
        response = client.patch(url, payload, format="json")
        assert response.status_code in (200, 400), (payload, response.content)
        assert isinstance(response.json(), dict)
        statuses.append(response.status_code)
    assert {200, 201, 400} <= set(statuses)  # the valid paths were walked too
    # Ignored fields stay as they were: the id, the archive date, the demo flag.
    world.company_a.refresh_from_db()
    assert world.company_a.archived_at is None
    assert world.company_a.is_demo is False
