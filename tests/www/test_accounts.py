import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from axes.models import AccessFailureLog
from django.core import mail
from rest_framework.authtoken.models import Token

from relais.users.throttling import seconds_to_wait
from tests.factories import TEST_PASSWORD, make_user
from tests.mail import deliver_outbox


@pytest.fixture
def person(db):
    return make_user(email="camille.durand@ac-exemple.fr")


def test_login_with_email(client, person):
    response = client.post(
        "/connexion/",
        {"username": " Camille.Durand@AC-exemple.fr ", "password": TEST_PASSWORD},
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


def _fail_from(client, address, person):
    client.post(
        "/connexion/", {"username": person.email, "password": "mauvais"}, REMOTE_ADDR=address
    )


def test_login_slows_down_one_account_across_addresses(client, person, settings):
    """Guesses spread over many addresses (under the per-address lock of 5) are slowed down
    for that account: the wait doubles, no password is checked meanwhile, and it ends."""
    settings.RELAIS_LOGIN_ACCOUNT_SLOWDOWN_AFTER = 10
    with time_machine.travel(datetime(2026, 12, 5, 9, 0, tzinfo=UTC), tick=False) as clock:
        for i in range(12):
            _fail_from(client, f"203.0.113.{i // 4 + 1}", person)
        # Only 10 guesses were checked: the 11th and 12th were refused unread.
        assert AccessFailureLog.objects.filter(username=person.email).count() == 10
        right_password = {"username": person.email.upper(), "password": TEST_PASSWORD}
        response = client.post("/connexion/", right_password, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 200
        assert "patientez 1 seconde avant" in response.content.decode()
        assert "_auth_user_id" not in client.session

        clock.shift(timedelta(seconds=1))
        _fail_from(client, "203.0.113.50", person)  # one more wrong guess after the wait
        response = client.post("/connexion/", right_password, REMOTE_ADDR="198.51.100.7")
        assert "patientez 2 secondes avant" in response.content.decode()

        clock.shift(timedelta(seconds=2))
        response = client.post("/connexion/", right_password, REMOTE_ADDR="198.51.100.7")
        assert response.status_code == 302  # the owner gets in after the wait


def test_login_slow_down_doubles_and_is_bounded(person, settings):
    settings.RELAIS_LOGIN_ACCOUNT_SLOWDOWN_AFTER = 3
    start = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    for i in range(3):
        AccessFailureLog.objects.create(
            username=person.email,
            ip_address=f"203.0.113.{i}",
            user_agent="",
            http_accept="",
            path_info="/connexion/",
        )
    AccessFailureLog.objects.update(attempt_time=start)
    assert seconds_to_wait(person.email, now=start) == 1
    AccessFailureLog.objects.create(
        username=person.email,
        ip_address="203.0.113.9",
        user_agent="",
        http_accept="",
        path_info="/connexion/",
    )
    AccessFailureLog.objects.update(attempt_time=start)
    assert seconds_to_wait(person.email, now=start) == 2
    assert seconds_to_wait(person.email, now=start + timedelta(seconds=2)) == 0
    assert seconds_to_wait("quelqu.un.autre@ac-exemple.fr", now=start) == 0
    # far past the window: nothing counts any more
    assert seconds_to_wait(person.email, now=start + settings.AXES_COOLOFF_TIME * 2) == 0


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
