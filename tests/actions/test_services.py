"""The catalogue: offers, the request state machine (allowed and refused transitions, who
fires them, capacity, journal, e-mails once), the distance search and the actions done."""

import math
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from relais.actions import services
from relais.actions.enums import ActionKind, OfferState, RequestState, RequestTransition
from relais.actions.models import ActionRecord, OfferJournal, RequestJournal
from relais.actions.selectors import offer_list, offers_near, records_of
from relais.core.models import Notification
from relais.users.enums import Role
from tests.factories import BassinFactory, CommuneFactory, EstablishmentFactory, make_user
from tests.mail import deliver_outbox

from .factories import ActionRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(world):
    return OfferFactory(
        academie=world.home, organisation=world.company, capacity=1, contact_email="lez@ex.fr"
    )


def _send(world, offer, **kwargs):
    params = {
        "user": world.users["teacher"],
        "offer": offer,
        "establishment": world.school,
        "contact_name": "Julien Moreau",
        "contact_email": "julien@ac.fr",
        "classes": "3e A",
        "pupil_count": 24,
    }
    params.update(kwargs)
    return services.request_send(**params)


def test_offer_save_places_it_and_checks_the_partner(world):
    commune = CommuneFactory(latitude=43.8, longitude=4.3, departement__academie=world.home)
    offer = services.offer_save(
        user=world.users["organisation_rep"],
        data={
            "organisation": world.company,
            "kind": ActionKind.COMPANY_VISIT,
            "title": "Découverte du fournil",
            "academie": world.home,
            "commune": commune,
            "radius_km": 30,
            "capacity": 3,
            "contact_email": "a@b.fr",
        },
    )
    assert (offer.latitude, offer.longitude) == (43.8, 4.3)
    assert offer.state == OfferState.DRAFT and "fournil" in offer.search_text
    with pytest.raises(PermissionDenied):
        services.offer_save(
            user=world.users["organisation_rep"],
            data={"organisation": world.regional, "academie": world.home, "kind": "visite",
                  "title": "X", "contact_email": "a@b.fr"},
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.offer_save(
            user=world.users["academie_team"],
            data={"organisation": world.company, "academie": world.home, "kind": "visite",
                  "title": "X", "contact_email": "a@b.fr", "radius_km": 10,
                  "bassin": BassinFactory(academie=world.other)},
        )  # fmt: skip
    assert "bassin" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.offer_save(user=world.users["teacher"], data={})


def test_publish_and_close(world, offer):
    offer.state, offer.published_at = OfferState.DRAFT, None
    offer.save()
    with pytest.raises(PermissionDenied, match="publier cette offre"):
        services.offer_publish(user=world.users["teacher"], offer=offer)
    services.offer_publish(user=world.users["organisation_rep"], offer=offer)
    with pytest.raises(ValidationError, match="dans l'état « Publiée »"):
        services.offer_publish(user=world.users["organisation_rep"], offer=offer)
    services.offer_close(user=world.users["academie_team"], offer=offer, note="Complet")
    with pytest.raises(ValidationError, match="n'est pas ouverte"):
        _send(world, offer)
    with pytest.raises(ValidationError, match="Impossible"):
        services.offer_close(user=world.users["academie_team"], offer=offer)
    reopened = services.offer_publish(user=world.users["organisation_rep"], offer=offer)
    assert reopened.state == OfferState.PUBLISHED and reopened.published_at
    journal = OfferJournal.objects.filter(offer=offer)
    assert list(journal.values_list("transition", "from_state", "to_state", "note")) == [
        ("publier", "brouillon", "publiee", ""),
        ("clore", "publiee", "close", "Complet"),
        ("publier", "close", "publiee", ""),
    ]
    assert journal.first().by_name == world.users["organisation_rep"].get_full_name()


def test_a_past_offer_is_not_published(world, offer):
    offer.state, offer.ends_on = OfferState.CLOSED, timezone.localdate() - timedelta(days=1)
    offer.save()
    with pytest.raises(ValidationError, match="changez ses dates"):
        services.offer_publish(user=world.users["organisation_rep"], offer=offer)
    offer.refresh_from_db()
    assert offer.state == OfferState.CLOSED and not offer.journal.exists()


def test_a_new_offer_starts_its_journal(world):
    offer = services.offer_save(
        user=world.users["academie_team"],
        data={"organisation": world.company, "kind": "visite", "title": "Atelier",
              "academie": world.home, "capacity": 1, "contact_email": "a@b.fr"},
    )  # fmt: skip
    line = offer.journal.get()
    assert (line.transition, line.from_state, line.to_state) == ("creation", "", "brouillon")
    assert line.by == world.users["academie_team"] and line.transition_label == "Création"
    services.offer_save(user=world.users["academie_team"], offer=offer, data={"title": "Autre"})
    assert offer.journal.count() == 1  # editing is not a step of the workflow


def test_full_journey_with_log_and_mails(world, offer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _send(world, offer, message="Pour nos 3e")
    deliver_outbox()
    assert mail.outbox[-1].to == ["lez@ex.fr", world.users["organisation_rep"].email]
    assert "Pour nos 3e" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_accept(
            user=world.users["organisation_rep"], request=request, message="Avec plaisir"
        )
    assert request.state == RequestState.ACCEPTED and request.answered_at
    deliver_outbox()
    assert sorted(mail.outbox[-1].to) == sorted(["julien@ac.fr", world.users["teacher"].email])
    assert "Avec plaisir" in mail.outbox[-1].body and "acceptée" in mail.outbox[-1].body
    record = services.request_complete(
        user=world.users["teacher"], request=request, done_on=timezone.localdate()
    )
    assert record.establishment == world.school and record.organisation == world.company
    assert record.pupil_count == 24 and record.classes == "3e A"
    journal = RequestJournal.objects.filter(request=request)
    assert list(journal.values_list("transition", "from_state", "to_state", "note")) == [
        ("envoyer", "", "envoyee", "Pour nos 3e"),
        ("accepter", "envoyee", "acceptee", "Avec plaisir"),
        ("realiser", "acceptee", "realisee", ""),
    ]
    assert [line.by for line in journal] == [
        world.users["teacher"],
        world.users["organisation_rep"],
        world.users["teacher"],
    ]
    assert Notification.objects.filter(key__startswith=f"actions.request:{request.pk}").count() == 2


@pytest.mark.parametrize(
    "state, transition",
    [
        (RequestState.DECLINED, RequestTransition.ACCEPT),
        (RequestState.DECLINED, RequestTransition.CANCEL),
        (RequestState.CANCELLED, RequestTransition.ACCEPT),
        (RequestState.DONE, RequestTransition.CANCEL),
        (RequestState.ACCEPTED, RequestTransition.ACCEPT),
        (RequestState.ACCEPTED, RequestTransition.DECLINE),
        (RequestState.SENT, RequestTransition.COMPLETE),
    ],
)
def test_refused_transitions(world, offer, state, transition):
    request = ActionRequestFactory(
        offer=offer, establishment=world.school, state=state, answered_at=timezone.now(),
        answer_message="motif",
    )  # fmt: skip
    user = world.users["national_admin"]
    answer = {
        RequestTransition.ACCEPT: services.request_accept,
        RequestTransition.DECLINE: services.request_decline,
        RequestTransition.CANCEL: services.request_cancel,
    }
    with pytest.raises(ValidationError) as error:
        if transition == RequestTransition.COMPLETE:
            services.request_complete(user=user, request=request, done_on=timezone.localdate())
        else:
            answer[transition](user=user, request=request, message="x")
    assert "Impossible" in error.value.messages[0]
    request.refresh_from_db()
    assert request.state == state and not request.journal.exists()


def test_who_fires_what(world, offer):
    request = _send(world, offer)
    with pytest.raises(PermissionDenied, match="Seul le partenaire"):
        services.request_accept(user=world.users["teacher"], request=request)
    with pytest.raises(PermissionDenied, match="Seul l'établissement annule une demande en"):
        services.request_cancel(user=world.users["organisation_rep"], request=request)
    with pytest.raises(PermissionDenied):
        services.request_accept(user=world.users["volunteer"], request=request)
    with pytest.raises(ValidationError) as error:
        services.request_decline(user=world.users["organisation_rep"], request=request, message="")
    assert "raison du refus" in error.value.message_dict["message"][0]
    declined = services.request_decline(
        user=world.users["organisation_rep"], request=request, message="Atelier fermé en mai"
    )
    assert declined.state == RequestState.DECLINED
    assert declined.answer_message == "Atelier fermé en mai"


def test_partner_cancels_an_accepted_request_and_the_school_is_told(
    world, offer, django_capture_on_commit_callbacks
):
    request = _send(world, offer)
    services.request_accept(user=world.users["organisation_rep"], request=request)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_cancel(
            user=world.users["organisation_rep"], request=request, message="Panne"
        )
    deliver_outbox()
    assert "julien@ac.fr" in mail.outbox[-1].to and "annulée" in mail.outbox[-1].subject.lower()


def test_capacity(world, offer):
    first = _send(world, offer)
    services.request_accept(user=world.users["organisation_rep"], request=first)
    second = _send(world, offer, establishment=world.school2, user=world.users["academie_team"])
    with pytest.raises(ValidationError, match="Capacité atteinte : 1 demande déjà acceptée pour"):
        services.request_accept(user=world.users["organisation_rep"], request=second)
    second.refresh_from_db()
    assert second.state == RequestState.SENT and second.journal.count() == 1


def test_one_open_request_per_school_and_offer(world, offer):
    _send(world, offer)
    with pytest.raises(ValidationError, match="déjà une demande en cours"):
        _send(world, offer)


def test_request_only_for_ones_school(world, offer):
    with pytest.raises(PermissionDenied):
        _send(world, offer, establishment=world.school2)
    with pytest.raises(PermissionDenied):
        _send(world, offer, user=world.users["organisation_rep"])


def test_request_outside_the_area(world):
    offer = OfferFactory(academie=world.home, organisation=world.company, bassin=world.bassin2)
    with pytest.raises(ValidationError, match="hors de la zone"):
        _send(world, offer)
    far = OfferFactory(
        academie=world.home, organisation=world.company, latitude=48.85, longitude=2.35,
        radius_km=20,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="hors de la zone"):
        _send(world, far)


def _haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


def test_distance_search_orders_and_limits(world):
    school = EstablishmentFactory(academie=world.home, bassin=world.bassin, latitude=43.6108,
                                  longitude=3.8767)  # Montpellier  # fmt: skip
    near = OfferFactory(academie=world.home, title="Sète", latitude=43.4028, longitude=3.6966)
    far = OfferFactory(academie=world.home, title="Nîmes", latitude=43.8367, longitude=4.3601)
    radius = OfferFactory(academie=world.home, title="Alès 20 km", latitude=44.1250,
                          longitude=4.0817, radius_km=20)  # fmt: skip
    anywhere = OfferFactory(academie=world.home, title="Toute l'académie")
    other_bassin = OfferFactory(academie=world.home, title="Bassin 2", bassin=world.bassin2)
    other = OfferFactory(academie=world.other, title="Ailleurs", latitude=43.61, longitude=3.88)
    found = list(offers_near(offer_list(user=world.users["national_admin"]), school))
    assert [o.title for o in found] == ["Sète", "Nîmes", "Toute l'académie"]
    # Compared with a plain Python haversine (about 27 km to Sète, 44 km to Nîmes).
    assert found[0].distance == pytest.approx(_haversine(43.6108, 3.8767, 43.4028, 3.6966))
    assert found[1].distance == pytest.approx(_haversine(43.6108, 3.8767, 43.8367, 4.3601))
    assert 25 < found[0].distance < 30 and 40 < found[1].distance < 48
    within = offers_near(offer_list(user=world.users["national_admin"]), school, max_km=30)
    assert [o.title for o in within] == ["Sète", "Toute l'académie"]
    assert radius not in found and other_bassin not in found and other not in found
    assert near in found and far in found and anywhere in found


def test_accent_insensitive_search(world):
    from relais.actions.selectors import offer_search

    OfferFactory(academie=world.home, search_text="metiers de l electricite", title="Métiers")
    assert offer_search(offer_list(user=world.users["national_admin"]), "ÉLECTRICITÉ").count() == 1


def test_visibility_of_offers(world, offer):
    draft = OfferFactory(academie=world.home, organisation=world.company, state=OfferState.DRAFT,
                         published_at=None)  # fmt: skip
    other = OfferFactory(academie=world.other)
    visible = {
        role: set(offer_list(user=world.users[role])) for role in world.users if role != "anonymous"
    }
    assert visible["teacher"] == {offer}
    assert visible["organisation_rep"] == {offer, draft}
    assert visible["academie_team"] == {offer, draft}
    assert visible["national_admin"] == {offer, draft, other}
    assert visible["no_membership"] == set()


def test_record_outside_the_catalogue_and_per_year(world):
    record = services.record_create(
        user=world.users["head_of_school"],
        establishment=world.school,
        kind=ActionKind.JOB_FORUM,
        title="Forum des métiers du bassin",
        done_on=date(2025, 11, 20),
        partner_label="CCI locale",
        pupil_count=120,
    )
    assert record.school_year == 2025
    assert list(records_of(world.school, 2025)) == [record]
    assert not records_of(world.school, 2024).exists()
    with pytest.raises(ValidationError) as error:
        services.record_create(
            user=world.users["head_of_school"], establishment=world.school, kind="forum",
            title="X", done_on=timezone.localdate() + timedelta(days=2),
        )  # fmt: skip
    assert {"done_on", "partner_label", "classes"} <= set(error.value.message_dict)
    with pytest.raises(PermissionDenied):
        services.record_create(
            user=world.users["teacher"], establishment=world.school2, kind="forum", title="X",
            done_on=date(2025, 1, 1), partner_label="Y", classes="3e",
        )  # fmt: skip
    assert ActionRecord.objects.count() == 1


def test_unanswered_reminder_once(world, offer, django_capture_on_commit_callbacks):
    request = _send(world, offer)
    make_user(Role.ORGANISATION_REP, world.company)
    type(request).objects.filter(pk=request.pk).update(
        created_at=timezone.now() - timedelta(days=11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_unanswered_request_reminders(today=timezone.localdate()) == 1
        assert services.send_unanswered_request_reminders(today=timezone.localdate()) == 0
    deliver_outbox()
    assert "attente de réponse" in mail.outbox[-1].subject
