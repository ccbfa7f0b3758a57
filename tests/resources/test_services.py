"""The library of kits and resources: who manages what, versions that keep their history,
uses counted, the tutor kit of the académie before the national one, shared links."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction

from relais.resources import services
from relais.resources.enums import Audience, ResourceKind, Topic, UseKind
from relais.resources.models import Resource, ResourceVersion
from relais.resources.selectors import (
    preparation_resources,
    resources_visible_to,
    tutor_kit_for,
    version_use_counts,
    with_use_counts,
)
from tests.resources.factories import make_resource


def test_a_new_version_keeps_the_old_one_and_its_counts(world):
    team = world.users["academie_team"]
    kit = make_resource(team, academie=world.home, body="Première version")
    services.use_record(resource=kit, kind=UseKind.OPEN, user=team)
    services.resource_version_add(
        user=team, resource=kit, version=services.VersionData(body="Deuxième", note="Plus court")
    )
    kit.refresh_from_db()
    assert kit.current.number == 2 and kit.current.body == "Deuxième"
    assert list(kit.versions.values_list("number", "body")) == [
        (2, "Deuxième"),
        (1, "Première version"),
    ]
    services.use_record(resource=kit, kind=UseKind.SEND, context="internships.proposal:1")
    assert version_use_counts(kit) == {
        1: {"opens": 1, "downloads": 0, "sends": 0},
        2: {"opens": 0, "downloads": 0, "sends": 1},
    }
    counted = with_use_counts(Resource.objects.filter(pk=kit.pk)).get()
    assert (counted.opens, counted.downloads, counted.sends) == (1, 0, 1)


def test_the_database_refuses_to_change_a_version(world):
    kit = make_resource(world.users["academie_team"], academie=world.home)
    with pytest.raises(DatabaseError), transaction.atomic():
        ResourceVersion.objects.filter(resource=kit).update(body="Réécrit")


@pytest.mark.parametrize(
    ("role", "national", "allowed"),
    [
        ("national_admin", True, True),
        ("national_admin", False, True),
        ("academie_team", False, True),
        ("academie_team", True, False),
        ("bassin_referent", False, False),
        ("teacher", False, False),
        ("organisation_rep", False, False),
    ],
)
def test_who_manages(world, role, national, allowed):
    academie = None if national else world.home
    if allowed:
        assert make_resource(world.users[role], academie=academie).current.number == 1
    else:
        with pytest.raises(PermissionDenied):
            make_resource(world.users[role], academie=academie)


def test_another_academie_team_cannot_version_nor_archive(world, user_factory):
    from relais.users.enums import Role

    kit = make_resource(world.users["academie_team"], academie=world.home)
    stranger = user_factory(Role.ACADEMIE_TEAM, world.other)
    with pytest.raises(PermissionDenied):
        services.resource_version_add(
            user=stranger, resource=kit, version=services.VersionData(body="x")
        )
    with pytest.raises(PermissionDenied):
        services.resource_archive(user=stranger, resource=kit)
    assert not resources_visible_to(user=stranger).filter(pk=kit.pk).exists()


def test_bad_input_gets_french_errors(world):
    team = world.users["academie_team"]
    with pytest.raises(ValidationError, match="un texte, un lien ou un fichier"):
        make_resource(team, academie=world.home, body="")
    with pytest.raises(ValidationError, match="quatre contenus"):
        make_resource(team, academie=world.home, kind=ResourceKind.PREPARATION)
    with pytest.raises(ValidationError, match="étape du projet"):
        make_resource(team, academie=world.home, kind=ResourceKind.TOOLBOX)
    make_resource(team, academie=world.home)
    with pytest.raises(ValidationError, match="déjà en service"):
        make_resource(team, academie=world.home)
    assert Resource.objects.count() == 1


def test_tutor_kit_of_the_academie_first_and_archived_resources_take_no_version(world):
    national = make_resource(world.users["national_admin"], title="Kit national")
    assert tutor_kit_for(academie_id=world.home.pk) == national
    team = world.users["academie_team"]
    local = make_resource(team, academie=world.home, title="Kit de l'académie")
    assert tutor_kit_for(academie_id=world.home.pk) == local
    assert tutor_kit_for(academie_id=world.other.pk) == national
    services.resource_archive(user=team, resource=local)
    assert tutor_kit_for(academie_id=world.home.pk) == national
    with pytest.raises(ValidationError, match="archivée"):
        services.resource_version_add(
            user=team, resource=local, version=services.VersionData(body="x")
        )


def test_tutor_kit_send_counts_and_links(world):
    kit = make_resource(world.users["national_admin"])
    sent = services.tutor_kit_send(academie_id=world.home.pk, context="internships.proposal:7")
    assert sent is not None and sent.attachment is None
    token = sent.link.rsplit("/", 2)[-2]
    assert services.resource_from_token(token) == kit
    assert kit.uses.get().kind == UseKind.SEND
    with pytest.raises(ValidationError, match="pas valide"):
        services.resource_from_token(token + "x")


def test_preparation_resources_by_topic(world):
    team = world.users["academie_team"]
    sheet = make_resource(
        team, academie=world.home, title="Fiche objectifs", audience=Audience.TEACHERS,
        kind=ResourceKind.PREPARATION, topic=Topic.GOALS,
    )  # fmt: skip
    found = preparation_resources(user=world.users["teacher"], academie_id=world.home.pk)
    assert found[Topic.GOALS] == [sheet] and found[Topic.SORT] == []
