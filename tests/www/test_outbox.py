"""The outbox page (/courriels/): what each team sees, « Renvoyer », the filter, its number of
queries; the Django admin of the outbox; the password reset while the SMTP server is down."""

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone
from django.utils.html import escape

from relais.core.enums import NotificationState
from relais.core.models import Notification
from relais.users.enums import Role
from tests.core.factories import NotificationFactory
from tests.factories import OrganisationFactory, make_user
from tests.mail import deliver_outbox, smtp_server

pytestmark = pytest.mark.django_db


def _subjects(response) -> set[str]:
    return {message.subject for message in response.context["page_obj"]}


def test_the_page_lists_what_is_not_sent_with_error_tries_and_next_try(world, client_for):
    failed = NotificationFactory(failed=True)
    abandoned = NotificationFactory(abandoned=True)
    pending = NotificationFactory()
    sent = NotificationFactory(sent=True)
    response = client_for(world.users["national_admin"]).get("/courriels/")
    page = response.content.decode()
    assert _subjects(response) == {failed.subject, abandoned.subject, pending.subject}
    assert sent.subject not in page
    assert escape(failed.last_error) in page and escape(abandoned.last_error) in page
    assert "échec" in page and "abandonné" in page and "en attente" in page
    next_try = timezone.localtime(failed.next_attempt_at).strftime("%d/%m/%Y %H:%M")
    assert next_try in page
    assert page.count("Renvoyer<span") == 2  # not for the message already waiting
    assert "3 courriels non envoyés" in page


def test_the_filter_by_state_and_a_bad_state(world, client_for):
    failed = NotificationFactory(failed=True)
    NotificationFactory(abandoned=True)
    client = client_for(world.users["national_admin"])
    assert _subjects(client.get("/courriels/", {"etat": "failed"})) == {failed.subject}
    bad = client.get("/courriels/", {"etat": "sent"})
    assert bad.status_code == 400
    assert "Sélectionnez un choix valide" in bad.content.decode()


def test_an_academie_team_sees_the_messages_to_the_people_of_its_academie(world, client_for):
    to_teacher = NotificationFactory(failed=True, recipients=[world.users["teacher"].email])
    rep = make_user(Role.ORGANISATION_REP, OrganisationFactory(academie=world.home))
    to_rep = NotificationFactory(abandoned=True, recipients=["someone@example.org", rep.email])
    to_bassin = NotificationFactory(recipients=[world.users["hub_member"].email])
    outsider = make_user(Role.ACADEMIE_TEAM, world.other)
    NotificationFactory(failed=True, recipients=[outsider.email])
    NotificationFactory(failed=True, recipients=["partner@example.org"])
    response = client_for(world.users["academie_team"]).get("/courriels/")
    assert _subjects(response) == {to_teacher.subject, to_rep.subject, to_bassin.subject}


def test_renvoyer_puts_an_abandoned_message_back_in_the_queue(world, client_for):
    abandoned = NotificationFactory(abandoned=True)
    client = client_for(world.users["national_admin"])
    response = client.post(f"/courriels/{abandoned.pk}/renvoyer/", {"etat": "abandoned"})
    assert response.status_code == 302 and response["Location"] == "/courriels/?etat=abandoned"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"Le courriel « {abandoned.subject} » est de nouveau en attente d'envoi."
    ]
    abandoned.refresh_from_db()
    assert abandoned.state == NotificationState.PENDING and abandoned.attempts == 0
    assert abandoned.next_attempt_at <= timezone.now()
    assert deliver_outbox().sent == 1


def test_renvoyer_never_sends_a_sent_message_again(world, client_for):
    sent = NotificationFactory(sent=True)
    response = client_for(world.users["national_admin"]).post(
        f"/courriels/{sent.pk}/renvoyer/", {"etat": "sent"}, follow=True
    )
    assert response.redirect_chain == [("/courriels/", 302)]  # an unknown filter is dropped
    assert "Ce courriel a déjà été envoyé : il ne sera pas renvoyé." in response.content.decode()
    sent.refresh_from_db()
    assert sent.state == NotificationState.SENT
    response = client_for(world.users["national_admin"]).post("/courriels/999999/renvoyer/")
    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 12])
def test_list_query_count_does_not_grow(world, client_for, django_assert_num_queries, count):
    teacher = world.users["teacher"].email
    NotificationFactory.create_batch(count, failed=True, recipients=[teacher])
    NotificationFactory.create_batch(count, abandoned=True, recipients=[teacher, "x@ex.org"])
    client = client_for(world.users["academie_team"])
    # session, user, memberships (reach), count, rows
    with django_assert_num_queries(5):
        response = client.get("/courriels/")
    assert len(response.context["page_obj"]) == 2 * count


def test_the_admin_lists_the_outbox_by_state(world, client_for):
    failed = NotificationFactory(failed=True)
    NotificationFactory(sent=True)
    client = client_for(world.users["national_admin"])
    response = client.get("/admin/core/notification/", {"state__exact": "failed"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [failed]
    response = client.post(
        "/admin/core/notification/",
        {"action": "retry", "_selected_action": [failed.pk]},
    )
    assert response.status_code == 302
    assert Notification.objects.get(pk=failed.pk).state == NotificationState.PENDING


def test_password_reset_answers_while_the_smtp_server_is_down(client, settings):
    person = make_user(email="camille.durand@ac-exemple.fr")
    with smtp_server(settings, started=False) as server:
        response = client.post("/mot-de-passe-oublie/", {"email": person.email})
        assert response.status_code == 302  # no 500: the link waits in the outbox
        notification = Notification.objects.get(about=f"users.user:{person.pk}")
        assert notification.state == NotificationState.PENDING
        assert deliver_outbox().failed == 1
        server.start()
        assert deliver_outbox(now=timezone.now() + timezone.timedelta(minutes=1)).sent == 1
        assert "/mot-de-passe-oublie/" in server.messages[0].get_payload(decode=True).decode()
