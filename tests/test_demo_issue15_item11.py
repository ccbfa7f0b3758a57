"""Demo data true to the texts (issue 15, item 11), each loader run on factories (never
``load_demo``): the CPME Île-de-France signature dates as the text reads them, the Lille
comité stratégique as the text names it, no demo internship period over holidays, and demo
offers whose title names the job of their ROME code. (The lettres de mission that start on
their designation: tests/volunteers/test_demo.py.)"""

import datetime

from relais.agreements import demo as agreements_demo
from relais.governance import demo as governance_demo
from relais.governance.models import Body
from relais.internships import demo as internships_demo
from relais.internships.holidays import week_warnings
from relais.nomenclatures.models import RomeCode
from relais.organisations.models import Organisation
from relais.users.enums import Role
from tests.factories import (
    AcademicRegionFactory,
    EstablishmentFactory,
    OrganisationFactory,
    make_user,
)
from tests.governance import factories as g


def test_cpme_signed_on_the_dates_the_text_reads(db):
    AcademicRegionFactory(name="Île-de-France")
    admin = make_user(Role.NATIONAL_ADMIN)
    cpme = agreements_demo.load_cpme(admin)
    dated = {s.full_name: s.signed_on for s in cpme.signatories.all()}
    assert dated == agreements_demo.CPME_SIGNED_ON
    assert dated["Monsieur Gilles PECOUT"] == datetime.date(2018, 1, 22)  # « 22 janvier 2018 »
    assert dated["Monsieur Bernard COHEN-HADAD"] == datetime.date(2018, 5, 31)  # « May 2018 »
    # Three years « à compter de la signature » (the last one).
    assert cpme.signed_on == cpme.start_date == datetime.date(2018, 5, 31)


def test_lille_strategic_committee_as_the_text_names_it(world):
    make_user(Role.NATIONAL_ADMIN)
    lille = g.agreement(world.home, title=governance_demo.LILLE_TITLE,
                        start=datetime.date(2016, 3, 15), duration_months=60)  # fmt: skip
    governance_demo.load()
    strategic = Body.objects.get(agreement=lille, kind="comite_strategique")
    names = list(strategic.members.order_by("pk").values_list("full_name", flat=True))
    assert names == [
        "Le recteur de l'académie de Lille",
        "Le président du MEDEF régional",
        "Le président de l'UIMM régionale",
        "Le président de la CMA Nord-Pas de Calais",
        "Le président de la CCIR",
    ]
    steering = Body.objects.get(agreement=lille, kind="comite_pilotage")
    labels = " ".join(steering.members.values_list("full_name", flat=True))
    assert "Chef de projet du monde économique signataire" in labels
    assert "Représentant de l'UIMM Nord-Pas de Calais" in labels


def test_no_demo_period_over_the_holidays(world):
    # Zone C, the Monday before the Christmas holidays of 2026: the spread periods (one and
    # two weeks later) would fall in them.
    for _ in range(8):
        EstablishmentFactory(academie=world.home, bassin=world.bassin, kind="college")
    week = datetime.date(2026, 12, 7)
    periods = internships_demo._periods(world.bassin, world.school, week, "2026-2027")
    starts = {p.start for p in periods.values()}
    assert len(starts) > 1  # still spread
    for period in periods.values():
        assert not week_warnings(period.start, "C"), period.start


def test_demo_offer_titles_name_their_rome_job(world):
    for trade, code in (("Atelier aéronautique", "I1602"), ("Pharmacie", "J1307")):
        RomeCode.objects.create(code=code, label=f"Métier {code}")
        OrganisationFactory(academie=world.home, name=f"{trade} Nîmes (démo)", is_demo=True,
                            commune=world.school.commune)  # fmt: skip
    # A trade without a ROME code gets no offer (never another job's code).
    OrganisationFactory(academie=world.home, name="Forge inconnue (démo)", is_demo=True,
                        commune=world.school.commune)  # fmt: skip
    RomeCode.objects.create(code="A1101", label="Conducteur d'engins agricoles")
    member = world.users["hub_member"]
    offers = internships_demo._offers(world.bassin, member, datetime.date(2027, 1, 11))
    assert sorted(o.rome.code for o in offers) == ["I1602", "J1307"]
    for offer in offers:
        assert offer.title == f"Découverte du métier « {offer.rome.label} »"
    assert Organisation.objects.filter(is_demo=True).count() == 3


def test_parcours_demo_stage_weeks_are_school_weeks(world):
    """The parcours Avenir demo receives the pôles de stages' calendar from the loader:
    a stage week over the armistice or the Christmas holidays (zone C) moves to the next
    school week."""
    from relais.demo.loading import APP_DEMO_ARGUMENTS

    school_week = APP_DEMO_ARGUMENTS["pathways"]["school_week"]
    assert school_week(world.school, datetime.date(2026, 11, 9)) == datetime.date(2026, 11, 16)
    assert school_week(world.school, datetime.date(2026, 12, 28)) == datetime.date(2027, 1, 4)
    assert school_week(world.school, datetime.date(2027, 1, 11)) == datetime.date(2027, 1, 11)
