"""Conseils sectoriels nationaux (issue 15, item 4, Mesure 5): created by the national
administration, one per sector, visible to every member, with recommendations adopted at a
held meeting and their follow-up."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.governance import selectors, services
from relais.governance.enums import BodyKind, MeetingState, RecommendationTopic
from relais.governance.models import Body, Meeting


@pytest.fixture
def council(world):
    return services.council_create(
        user=world.users["national_admin"],
        name="Conseil sectoriel national du numérique",
        sector="Numérique",
        data={"min_meetings_per_year": 2},
    )


def test_a_council_is_national_and_one_per_sector(world, council):
    assert (council.kind, council.academie, council.agreement, council.club) == (
        BodyKind.SECTOR_COUNCIL, None, None, None,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="déjà son conseil"):
        services.council_create(
            user=world.users["national_admin"], name="Autre", sector="numérique", data={}
        )
    with pytest.raises(PermissionDenied):
        services.council_create(
            user=world.users["academie_team"], name="Bâtiment", sector="BTP", data={}
        )
    with transaction.atomic(), pytest.raises(IntegrityError):
        Body.objects.create(name="Sans filière", kind=BodyKind.SECTOR_COUNCIL)


def test_visible_to_every_member_but_a_volunteer(world, council):
    for role in ("academie_team", "teacher", "organisation_rep", "hub_member"):
        assert list(selectors.council_list(world.users[role])) == [council], role
    assert list(selectors.council_list(world.users["volunteer"])) == []
    assert list(selectors.council_list(world.users["no_membership"])) == []


def test_recommendations_at_a_held_meeting_and_their_follow_up(world, council):
    admin = world.users["national_admin"]
    planned = Meeting.objects.create(
        body=council, starts_at=timezone.now() + timedelta(days=5), place="Paris"
    )
    with pytest.raises(ValidationError, match="réunion tenue"):
        services.recommendation_add(
            user=admin, body=council, topic=RecommendationTopic.SKILLS, text="x", meeting=planned
        )
    held = Meeting.objects.create(
        body=council, starts_at=timezone.now() - timedelta(days=5), state=MeetingState.HELD
    )
    recommendation = services.recommendation_add(
        user=admin, body=council, topic=RecommendationTopic.TRAINING, meeting=held,
        text="Créer une mention complémentaire cybersécurité.", addressed_to="DGESCO",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.recommendation_add(
            user=world.users["academie_team"], body=council, topic="competences", text="y"
        )
    with pytest.raises(ValidationError, match="future"):
        services.recommendation_follow_up(
            user=admin, recommendation=recommendation, follow_up="Arrêté publié",
            on=timezone.localdate() + timedelta(days=3),
        )  # fmt: skip
    done = services.recommendation_follow_up(
        user=admin, recommendation=recommendation, follow_up="Mention créée par arrêté."
    )
    assert done.followed_up_on == timezone.localdate()
    row = selectors.council_list(world.users["teacher"]).get()
    assert (row.held_count, row.recommendation_count) == (1, 1)


def test_a_convention_body_cannot_become_a_council(world, council):
    with pytest.raises(ValidationError, match="le reste"):
        services.body_update(
            user=world.users["national_admin"], body=council, data={"kind": BodyKind.STEERING}
        )
