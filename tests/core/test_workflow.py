"""The workflow module itself (relais/core/workflow.py), on a table declared here over the
catalogue offer and its real journal table: what every workflow of Relais relies on."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.utils import ProgrammingError

from relais.actions.enums import OfferState
from relais.actions.models import Offer, OfferJournal
from relais.core.workflow import Transition, Workflow, purging_journals
from tests.actions.factories import OfferFactory
from tests.factories import make_user

ALLOWED = "autorisé@exemple.fr"


def _may(user, offer):
    return getattr(user, "email", "") == ALLOWED


def _not_on_sunday(offer, *, weekday=0, **context):
    return "Pas le dimanche." if weekday == 6 else None


def _stamp(offer, *, user, stamp="", **context):
    offer.title = f"{offer.title} {stamp}".strip()


TABLE = Workflow(
    model=Offer,
    journal=OfferJournal,
    states=OfferState,
    transitions=[
        Transition(
            "publier",
            "Publier",
            sources={OfferState.DRAFT, OfferState.CLOSED},
            target=OfferState.PUBLISHED,
            may_fire=_may,
            guard=_not_on_sunday,
            effect=_stamp,
            refusal="Seule la personne autorisée publie.",
        ),
        Transition("clore", "Clore", sources={OfferState.PUBLISHED}, target=OfferState.CLOSED),
        Transition("noter", "Noter", sources={OfferState.PUBLISHED}, target=None),
    ],
)


@pytest.fixture
def offer(world):
    return OfferFactory(academie=world.home, organisation=world.company, state=OfferState.DRAFT)


@pytest.fixture
def allowed(db):
    return make_user(email=ALLOWED)


def test_a_table_is_checked_when_declared():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(
            model=Offer,
            journal=OfferJournal,
            states=OfferState,
            transitions=[Transition("x", "X", sources={"inconnu"}, target=OfferState.CLOSED)],
        )
    with pytest.raises(ValueError, match="declared twice"):
        Workflow(
            model=Offer,
            journal=OfferJournal,
            states=OfferState,
            transitions=[TABLE.by_name["clore"], TABLE.by_name["clore"]],
        )
    assert TABLE.subject == "offer"  # found from the journal's foreign key


def test_fire_moves_runs_the_effect_saves_and_journals(offer, allowed):
    saved = TABLE.fire(offer, "publier", user=allowed, note="c'est prêt", stamp="(v2)")
    assert saved.state == OfferState.PUBLISHED and saved.title.endswith("(v2)")
    offer.refresh_from_db()
    assert offer.state == OfferState.PUBLISHED
    line = offer.journal.get(transition="publier")
    assert (line.from_state, line.to_state, line.by, line.note) == (
        OfferState.DRAFT,
        OfferState.PUBLISHED,
        allowed,
        "c'est prêt",
    )
    assert line.by_name == allowed.email or line.by_name == allowed.get_full_name()


def test_a_step_without_target_is_journaled_without_moving(offer, allowed):
    TABLE.fire(offer, "publier", user=allowed)
    TABLE.fire(offer, "noter", user=None, note="relu")
    offer.refresh_from_db()
    assert offer.state == OfferState.PUBLISHED
    assert list(offer.journal.values_list("transition", "by_name")) == [
        ("publier", allowed.get_full_name() or allowed.email),
        ("noter", ""),
    ]


def test_refusals_are_french(offer, allowed, world):
    other = world.users["teacher"]
    with pytest.raises(PermissionDenied, match="Seule la personne autorisée publie."):
        TABLE.fire(offer, "publier", user=other)
    with pytest.raises(
        ValidationError, match="« Clore » n'est pas possible dans l'état « Brouillon »"
    ):
        TABLE.fire(offer, "clore", user=allowed)
    with pytest.raises(ValidationError, match="Pas le dimanche."):
        TABLE.fire(offer, "publier", user=allowed, weekday=6)
    with pytest.raises(ValidationError, match="Étape inconnue"):
        TABLE.fire(offer, "effacer", user=allowed)
    offer.refresh_from_db()
    assert offer.state == OfferState.DRAFT and not offer.journal.exists()


def test_available_names_and_blocked_reasons(offer, allowed, world):
    assert TABLE.names(allowed, offer) == {"publier"}
    assert TABLE.names(world.users["teacher"], offer) == set()
    assert TABLE.names(allowed, offer, weekday=6) == set()
    assert TABLE.blocked(allowed, offer, weekday=6) == {"publier": "Pas le dimanche."}
    assert TABLE.can_fire(allowed, offer, "publier")


def test_log_creation_names_the_creating_step(offer, allowed):
    TABLE.log_creation(offer, user=allowed)
    TABLE.log_creation(offer, user=allowed, transition="importer")
    assert list(offer.journal.values_list("transition", "from_state", "to_state")) == [
        ("creation", "", OfferState.DRAFT),
        ("importer", "", OfferState.DRAFT),
    ]


def test_the_database_refuses_to_rewrite_or_erase_a_journal(offer, allowed):
    TABLE.fire(offer, "publier", user=allowed)
    line = offer.journal.get()
    with pytest.raises(ProgrammingError):
        OfferJournal.objects.filter(pk=line.pk).update(note="réécrit")


def test_the_database_refuses_to_erase_a_journal(offer, allowed):
    TABLE.fire(offer, "publier", user=allowed)
    with pytest.raises(ProgrammingError):
        OfferJournal.objects.filter(offer=offer).delete()


def test_an_account_can_be_deleted_its_name_stays_in_the_journal(offer, allowed):
    TABLE.fire(offer, "publier", user=allowed)
    name = offer.journal.get().by_name
    OfferJournal.objects.filter(offer=offer).update(by=None)  # the one change allowed
    line = offer.journal.get()
    assert line.by is None and line.by_name == name


def test_a_purge_may_erase_journals_on_purpose(offer, allowed):
    TABLE.fire(offer, "publier", user=allowed)
    with purging_journals(OfferJournal):
        OfferJournal.objects.filter(offer=offer).delete()
    assert not OfferJournal.objects.filter(offer=offer).exists()
