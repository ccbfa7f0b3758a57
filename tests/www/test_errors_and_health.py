"""French error pages in the DSFR style, the Content-Security-Policy header and ``/sante/``."""

import html as html_lib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

ROOT = Path(__file__).resolve().parents[2]


def broken_view(request):
    raise RuntimeError("panne simulée")


urlpatterns = [path("panne/", broken_view), *site_urlpatterns]
handler500 = "relais.www.errors.views.server_error"
handler404 = "relais.www.errors.views.page_not_found"


@pytest.fixture
def with_broken_page(settings):
    settings.ROOT_URLCONF = __name__


def test_unknown_page_is_a_french_dsfr_404(client, world):
    client.force_login(world.users["teacher"])
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'class="fr-header' in html  # the DSFR layout, with the user's menu
    assert "Traceback" not in html


@pytest.mark.django_db
def test_server_error_is_a_french_dsfr_500_without_debug_details(with_broken_page, world):
    client = Client(raise_request_exception=False)
    client.force_login(world.users["teacher"])
    response = client.get("/panne/")
    assert response.status_code == 500
    html = html_lib.unescape(response.content.decode())
    assert "Le service rencontre un problème" in html
    assert "Rien de ce que vous avez déjà enregistré n'est perdu" in html
    assert 'class="fr-header' in html
    assert "panne simulée" not in html and "Traceback" not in html


def test_permission_denied_names_the_reason_in_french(client, world):
    client.force_login(world.users["teacher"])
    response = client.get("/reseaux/clubs/nouveau/")
    assert response.status_code == 403
    html = html_lib.unescape(response.content.decode())
    assert "Accès refusé" in html
    assert "Seule l'équipe académique crée les clubs." in html


@pytest.mark.django_db
def test_unknown_host_is_a_french_400(client):
    response = client.get("/connexion/", HTTP_HOST="pirate.example")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get("/connexion/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["style-src"] == "'self'"  # no inline style either


@pytest.mark.django_db
def test_health_answers_200_when_the_database_answers(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"statut": "ok", "base": "ok"}
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_health_answers_a_balancer_calling_by_address_over_http(client, settings):
    """Production refuses unknown hosts and redirects to HTTPS, but not the health check."""
    settings.ALLOWED_HOSTS = ["relais.example"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/sante/", HTTP_HOST="10.0.0.12:8000")
    assert response.status_code == 200
    assert client.get("/connexion/", HTTP_HOST="10.0.0.12:8000").status_code == 400


def test_health_answers_503_when_the_database_is_unreachable():
    """A real process whose database address answers nothing (port 1 of the loopback)."""
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/sante/'); print(r.status_code, r.json()['statut'])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": "postgres://relais@127.0.0.1:1/relais",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "503 indisponible"
