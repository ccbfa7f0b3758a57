"""The training demo (issue 15, items 5 and 6), run twice (idempotent) on the minimum it
needs, built with factories: never the whole ``load_demo``."""

from datetime import date

from relais.agreements.models import Agreement, Party
from relais.training import demo
from relais.training.models import CasnavStaff, Newcomer, NewcomerAnswer, SectionChange
from relais.training.selectors import commitment_report
from relais.users.enums import Role
from tests.factories import AcademieFactory, EstablishmentFactory, OrganisationFactory, make_user

DEMO = "demo.relais.example"


def test_training_demo(db):
    montpellier = AcademieFactory(name="Montpellier")
    for _ in range(3):
        EstablishmentFactory(academie=montpellier, lycee_pro=True)
    team = make_user(Role.ACADEMIE_TEAM, montpellier, email=f"daet.montpellier@{DEMO}")
    medef = OrganisationFactory(professional=True, academie=montpellier, name="MEDEF Occitanie")
    OrganisationFactory(academie=montpellier, is_demo=True)
    agreement = Agreement.objects.create(
        number="CEE-1", title="Convention CEE", kind="cee", scope="academie", academie=montpellier,
        state="en_vigueur", signed_on=date(2025, 1, 10), start_date=date(2025, 1, 10),
    )  # fmt: skip
    Party.objects.create(agreement=agreement, organisation=medef, name="MEDEF", side="economique")
    first = demo.load()
    assert "6 sections" in first and "2 CV partagés" in first
    assert "déjà chargés" in demo.load()
    casnav = CasnavStaff.objects.get().user
    assert casnav.email == f"casnav.montpellier@{DEMO}" and not casnav.memberships.exists()
    assert Newcomer.objects.count() == 2 and NewcomerAnswer.objects.get().state == "promesse"
    assert SectionChange.objects.filter(state="consultation").count() == 1
    [line] = commitment_report(user=team)
    assert (line["committed"], line["shared"], line["promises"]) == (15, "< 11", "< 11")
