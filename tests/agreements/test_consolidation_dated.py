"""Consolidation over time (issue 13): parties, signatories, articles and commitments as of
any date with the avenants in force then; avenants only on a convention in force; avenant
articles that say what they do; an adhesion avenant signed by the joining party and the
parties the convention names."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from relais.agreements import services
from relais.agreements.consolidation import consolidate
from relais.agreements.enums import AvenantPurpose, PartySide
from tests.agreements.factories import draft_agreement, in_force_agreement, sign_all

pytestmark = pytest.mark.django_db

LILLE = {"duration_months": 60, "tacit_renewal": True, "notice_months": 3,
         "termination_months": 3, "open_to_new_signatories": True}  # fmt: skip


@pytest.fixture
def team(world):
    return world.users["academie_team"]


def lille(team, world):
    """Lille's convention signed on 31 March 2016 by the académie and four partners (MEDEF,
    UIMM, CMA, CCI); the académie signs the adhesions."""
    agreement = draft_agreement(team, world.home, partners=4, fields=LILLE)
    rectorat = agreement.parties.get(side=PartySide.EDUCATION)
    services.party_save(
        user=team, agreement=agreement, party=rectorat, data={"signs_adhesions": True}
    )
    return sign_all(team, agreement, on=date(2016, 3, 31))


def test_a_fifth_party_joins_lille_by_adhesion_as_of_its_date(world, team):
    agreement = lille(team, world)
    avenant = services.avenant_create(
        user=team, agreement=agreement, title="Adhésion de la CPME", purpose=AvenantPurpose.ADHESION
    )
    # Signed by the joining party and the party the convention names, not by all five.
    assert [p.name for p in avenant.parties.all()] == [f"Académie de {world.home.name}"]
    assert avenant.signatories.count() == 1
    joining = services.party_save(
        user=team, agreement=avenant, data={"name": "CPME Hauts-de-France", "side": "economique"}
    )
    services.signatory_save(
        user=team, agreement=avenant,
        data={"party": joining, "full_name": "Le président", "civility": "Monsieur"},
    )  # fmt: skip
    services.agreement_update(
        user=team, agreement=avenant, data={"effective_date": date(2019, 6, 15)}
    )
    sign_all(team, avenant, on=date(2019, 6, 10))
    avenant.refresh_from_db()
    assert avenant.start_date == date(2019, 6, 15)
    before = consolidate(agreement, on=date(2019, 6, 14))
    after = consolidate(agreement, on=date(2019, 6, 15))
    assert len(before.parties) == 5 and "CPME Hauts-de-France" not in [
        p.name for p in before.parties
    ]
    assert len(after.parties) == 6 and after.parties[-1].name == "CPME Hauts-de-France"
    assert [s.full_name for s in after.signatories][-1] == "Le président"
    assert before.avenants == [] and after.avenants == [avenant]


def test_articles_say_whether_they_replace_add_or_remove(world, team):
    agreement = in_force_agreement(team, world.home, articles=2)
    avenant = services.avenant_create(user=team, agreement=agreement, title="")
    # No silent overwrite of « Article 1 – Axe 1 ».
    with pytest.raises(ValidationError) as error:
        services.article_save(
            user=team, agreement=avenant, data={"number": "1", "heading": "Objet", "body": "X"}
        )
    assert "déjà l'article 1 (« Axe 1 »)" in str(error.value)
    with pytest.raises(ValidationError, match="n'a pas d'article 9"):
        services.article_save(
            user=team, agreement=avenant, data={"number": "9", "operation": "remplace"}
        )
    with pytest.raises(ValidationError, match="choisissez « remplace »"):
        services.article_save(
            user=team, agreement=avenant, data={"number": "2", "operation": "ajoute"}
        )
    services.article_save(
        user=team, agreement=avenant,
        data={"number": "1", "heading": "Axe 1", "body": "Nouveau", "operation": "remplace"},
    )  # fmt: skip
    services.article_save(
        user=team, agreement=avenant, data={"number": "2", "operation": "supprime"}
    )
    added = services.article_save(
        user=team, agreement=avenant, data={"number": "3", "heading": "Axe 3", "body": "Ajout"}
    )
    assert added.operation == "ajoute"  # a new number: recorded as an addition
    sign_all(team, avenant, on=date(2024, 6, 1))
    articles = consolidate(agreement, on=date(2024, 6, 1)).articles
    assert [(a.number, a.body) for a in articles] == [("1", "Nouveau"), ("3", "Ajout")]
    old = consolidate(agreement, on=date(2024, 5, 31)).articles
    assert [a.number for a in old] == ["1", "2"]


def test_avenants_only_on_a_convention_in_force_today(world, team):
    expired = in_force_agreement(
        team, world.home, fields={"duration_months": 12}, signed_on=date(2020, 1, 2)
    )
    # Stored « en vigueur » (the nightly job has not run), but expired since 2021.
    with pytest.raises(ValidationError, match="expirée"):
        services.avenant_create(user=team, agreement=expired, title="")
    future = in_force_agreement(
        team, world.home, fields={"effective_date": date(2030, 1, 1)}, signed_on=date(2026, 1, 2)
    )
    with pytest.raises(ValidationError, match="pas encore en vigueur"):
        services.avenant_create(user=team, agreement=future, title="")
