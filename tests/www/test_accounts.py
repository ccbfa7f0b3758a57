import re

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from tests.factories import TEST_PASSWORD, make_user
from tests.mail import deliver_outbox


@pytest.fixture
def person(db):
    return make_user(email="camille.durand@ac-exemple.fr")


def test_login_with_email(client, person):
    response = client.post(
        "/connexion/",
        {"username": "Camille.Durand@ac-exemple.fr".lower(), "password": TEST_PASSWORD},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_wrong_password_is_explained_in_french(client, person):
    response = client.post("/connexion/", {"username": person.email, "password": "nope"})
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


def test_login_is_rate_limited(client, person, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/connexion/", {"username": person.email, "password": "mauvais"})
    response = client.post("/connexion/", {"username": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Connexion temporairement bloquée" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post(client, person):
    client.force_login(person)
    response = client.post("/deconnexion/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Court-1!", "au minimum 12 caractères"),
        ("toutenminuscules-123", "une majuscule"),
        ("SansChiffresNiRien", "un chiffre, un caractère spécial"),
    ],
)
def test_passwords_follow_cnil_rules(client, person, password, message):
    client.force_login(person)
    response = client.post(
        "/compte/mot-de-passe/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": password,
            "new_password2": password,
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_password_change_accepts_a_strong_password(client, person):
    client.force_login(person)
    response = client.post(
        "/compte/mot-de-passe/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Une-Phrase-Solide-2026",
            "new_password2": "Une-Phrase-Solide-2026",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Une-Phrase-Solide-2026")


def test_password_reset_sends_a_working_link(client, person):
    response = client.post("/mot-de-passe-oublie/", {"email": person.email})
    assert response.status_code == 302
    deliver_outbox()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/mot-de-passe-oublie/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "new_password1" in response.content.decode()


def test_api_token_is_created_shown_once_and_revoked(client, person):
    client.force_login(person)
    client.post("/compte/jeton/")
    token = Token.objects.get(user=person)
    assert token.key in client.get("/compte/").content.decode()
    assert token.key not in client.get("/compte/").content.decode()  # shown once only
    client.post("/compte/jeton/revoquer/")
    assert not Token.objects.filter(user=person).exists()


def test_account_page_lists_memberships(client, world):
    client.force_login(world.users["teacher"])
    body = client.get("/compte/").content.decode()
    assert "Enseignant — Collège Étienne Dolet" in body


def test_dashboards_depend_on_the_role(client, world):
    client.force_login(world.users["academie_team"])
    body = client.get("/").content.decode()
    assert "BASSIN UN" in body and "BASSIN DEUX" in body and "collèges" in body
    client.force_login(world.users["head_of_school"])
    body = client.get("/").content.decode()
    assert "Collège Étienne Dolet" in body and "BASSIN DEUX" not in body
    client.force_login(world.users["no_membership"])
    assert "aucun périmètre" in client.get("/").content.decode()
