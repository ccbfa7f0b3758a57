"""Authentication, the login-redirect exemption, JSON errors, and the documentation pages."""

import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

LIST_URLS = [
    "/api/v1/",
    "/api/v1/academies/",
    "/api/v1/bassins/",
    "/api/v1/departements/",
    "/api/v1/communes/",
    "/api/v1/etablissements/",
    "/api/v1/organisations/",
]


def detail_urls(world):
    w = world
    return [
        f"/api/v1/academies/{w.academie_a.code}/",
        f"/api/v1/bassins/{w.bassin_a1.code}/",
        "/api/v1/departements/34/",
        f"/api/v1/communes/{w.commune_a.insee_code}/",
        f"/api/v1/etablissements/{w.school_a1.uai}/",
        f"/api/v1/organisations/{w.company_a.pk}/",
    ]


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_list_gets_401_json_not_a_login_redirect(db, url):
    response = APIClient().get(url)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Informations d'authentification non fournies."}


def test_anonymous_detail_and_writes_get_401(world):
    client = APIClient()
    for url in detail_urls(world):
        assert client.get(url).status_code == 401, url
    assert client.post("/api/v1/organisations/", {}, format="json").status_code == 401
    url = f"/api/v1/organisations/{world.company_a.pk}/"
    assert client.patch(url, {"name": "X"}, format="json").status_code == 401
    assert client.delete(url).status_code == 401
    assert client.post(url + "restore/").status_code == 401
    world.company_a.refresh_from_db()
    assert world.company_a.name == "Boulangerie Alpha"
    assert world.company_a.archived_at is None


def test_token_authentication(world, users):
    token = Token.objects.create(user=users["academie_team"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/academies/")
    assert response.status_code == 200
    assert [a["code"] for a in response.json()["results"]] == ["A10"]


def test_wrong_token_gets_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/organisations/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Token non valide."}


def test_token_of_inactive_user_gets_401(world, users):
    user = users["national_admin"]
    token = Token.objects.create(user=user)
    user.is_active = False
    user.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/organisations/").status_code == 401


def test_session_authentication(world, users):
    client = APIClient()
    client.force_login(users["teacher"])
    response = client.get("/api/v1/etablissements/")
    assert response.status_code == 200
    assert [e["uai"] for e in response.json()["results"]] == [world.school_a1.uai]


def test_session_write_needs_csrf_token(world, users):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(users["national_admin"])
    response = client.post(
        "/api/v1/organisations/", {"name": "X", "kind": "entreprise"}, format="json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_unknown_api_address_is_a_json_404(db):
    for url in ["/api/v2/organisations/", "/api/v1/nothing/", "/api/v1/organisations/abc/"]:
        response = APIClient().get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Adresse inconnue de l'API."}


def _api_callbacks():
    def walk(patterns, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    return list(walk(get_resolver().url_patterns, ""))


def test_every_api_view_is_exempt_from_the_login_redirect():
    api_views = [(route, cb) for route, cb in _api_callbacks() if route.startswith("api/")]
    assert len(api_views) > 15
    for route, callback in api_views:
        assert callback.login_required is False, route


def test_web_views_still_require_login():
    web_views = [cb for route, cb in _api_callbacks() if route.startswith("organisations/")]
    assert web_views
    assert all(getattr(cb, "login_required", True) for cb in web_views)


# --- documentation: public on purpose (no data in it), assets served locally ---


def test_schema_is_public_openapi_3(db):
    response = APIClient().get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "API Relais"
    assert "/api/v1/organisations/{id}/restore/" in schema["paths"]
    assert "tokenAuth" in schema["components"]["securitySchemes"]


@pytest.mark.parametrize("name", ["api-docs", "api-redoc"])
def test_docs_pages_load_their_assets_from_this_server(db, name):
    client = APIClient()
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("api-schema") in html
    assert not re.search(r"https?://(?!testserver)", re.sub(r"<!--.*?-->", "", html, flags=re.S))
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert assets
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    for path in [
        "/api/v1/academies/{code}/",
        "/api/v1/communes/{insee}/",
        "/api/v1/etablissements/{uai}/",
    ]:
        assert path in text


def test_options_describe_the_endpoints(world, users):
    from .conftest import token_client

    client = token_client(users["academie_team"])
    response = client.options("/api/v1/organisations/")
    assert response.status_code == 200
    fields = response.json()["actions"]["POST"]
    assert fields["name"]["required"] is True
    assert fields["name"]["label"] == "Nom"
    assert fields["commune"]["type"] == "field"
    assert fields["commune"]["help_text"] == "Code INSEE de la commune, par exemple « 34172 »."
    editable = client.options(f"/api/v1/organisations/{world.company_a.pk}/").json()
    assert "PUT" in editable["actions"]
    # Out of reach: the generic description only, like an id that does not exist.
    hidden = client.options(f"/api/v1/organisations/{world.company_b.pk}/").json()
    assert "actions" not in hidden
    assert hidden == client.options("/api/v1/organisations/999999999/").json()
    assert client.options("/api/v1/etablissements/").status_code == 200


def test_browsable_api_renders_for_a_signed_in_user(world, users):
    client = APIClient()
    client.force_login(users["academie_team"])
    for url in [
        "/api/v1/",
        "/api/v1/organisations/",
        f"/api/v1/organisations/{world.child_a.pk}/",
        f"/api/v1/etablissements/{world.school_a1.uai}/",
        "/api/v1/communes/",
    ]:
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")
