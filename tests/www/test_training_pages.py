"""The training pages (issue 15, items 5 and 6) as their users go through them: the CASNAV
uploads a CV with the consent (a bad file gets a French error), shares it; the company
answers up to the written promise; the team prepares and submits a change; frozen query
counts of the lists and details."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from relais.training import services
from relais.training.models import Newcomer, NewcomerAnswer, SectionChange
from tests.factories import make_user
from tests.training.factories import (
    NEWCOMER_DATA,
    casnav_member,
    convention_in_force,
    cv_upload,
    newcomer,
    section,
)


@pytest.fixture
def pages(world):
    world.company.parent = world.regional
    world.company.save()
    convention_in_force(world.home, world.regional, casnav=10)
    world.casnav = casnav_member(make_user(), world.home)
    return world


def test_the_casnav_uploads_shares_and_the_company_promises(pages, client_for):
    casnav = client_for(pages.casnav)
    assert casnav.get("/formations/jeunes-allophones/deposer/").status_code == 200
    data = NEWCOMER_DATA | {"academie": pages.home.pk}
    bad = casnav.post(
        "/formations/jeunes-allophones/deposer/",
        data | {"cv": SimpleUploadedFile("cv.pdf", b"MZ pas un PDF", "application/pdf")},
    )
    assert bad.status_code == 400 and "n&#x27;est pas un PDF" in bad.content.decode()
    assert not Newcomer.objects.exists()
    done = casnav.post("/formations/jeunes-allophones/deposer/", data | {"cv": cv_upload()})
    young = Newcomer.objects.get()
    assert done.status_code == 302 and done["Location"] == young.get_absolute_url()
    page = casnav.get(young.get_absolute_url()).content.decode()
    assert "texte version 2026-1" in page and "Amadou D." in page
    shared = casnav.post(
        f"/formations/jeunes-allophones/{young.pk}/partager/", {"organisation": pages.regional.pk}
    )
    assert shared.status_code == 302 and young.shares.count() == 1
    company = client_for(pages.users["organisation_rep"])
    assert "intérêt de l'entreprise" in company.get(young.get_absolute_url()).content.decode()
    company.post(
        f"/formations/jeunes-allophones/{young.pk}/repondre/", {"company": pages.company.pk}
    )
    answer = NewcomerAnswer.objects.get()
    company.post(
        f"/formations/jeunes-allophones/{young.pk}/reponse/promettre/",
        {"reponse": answer.pk, "contract_kind": "embauche"},
    )
    answer.refresh_from_db()
    assert (answer.state, answer.contract_kind) == ("promesse", "embauche")
    assert company.get(f"/formations/jeunes-allophones/{young.pk}/cv/").status_code == 200
    listed = client_for(pages.casnav).get("/formations/jeunes-allophones/").content.decode()
    assert "Promesse écrite" in listed  # the outcome, followed by the CASNAV
    assert client_for(pages.users["academie_team"]).get(young.get_absolute_url()).status_code == 404


def test_the_team_prepares_and_submits_a_change(pages, client_for):
    team = client_for(pages.users["academie_team"])
    created = team.post(
        "/formations/evolutions/nouvelle/",
        {"kind": "ouverture", "establishment": pages.school.uai, "diploma": "CAP Cuisine",
         "level": "cap", "sector": "G", "status": "apprentissage", "capacity": 12,
         "reason": "Restaurants en tension.", "effective_on": "2027-09-01"},
    )  # fmt: skip
    change = SectionChange.objects.get()
    assert created.status_code == 302
    team.post(f"/formations/evolutions/{change.pk}/soumettre/", {"delay_days": 21})
    change.refresh_from_db()
    assert change.state == "consultation" and change.opinions.count() == 1
    missing = team.post("/formations/evolutions/nouvelle/", {"kind": "fermeture", "reason": "x"})
    assert missing.status_code == 400 and "Choisissez la section" in missing.content.decode()


def test_frozen_query_counts(pages, client_for, django_assert_num_queries):
    team = pages.users["academie_team"]
    for index in range(3):
        section(pages.school, diploma=f"CAP {index}")
    change = services.change_create(
        user=team, kind="fermeture", section=section(pages.school2),
        data={"reason": "Plus de candidats.", "effective_on": date(2027, 9, 1)},
    )  # fmt: skip
    services.change_submit(user=team, change=change)
    client = client_for(pages.users["teacher"])
    with django_assert_num_queries(8):  # with the académies of the filter
        assert client.get("/formations/").status_code == 200
    with django_assert_num_queries(6):
        assert client.get(f"/formations/evolutions/{change.pk}/").status_code == 200
    with django_assert_num_queries(5):
        assert client.get("/formations/evolutions/").status_code == 200
    for name in ("Amadou", "Binta"):
        young = newcomer(pages.casnav, pages.home, first_name=name)
        services.newcomer_share(user=pages.casnav, newcomer=young, organisation=pages.regional)
    company = client_for(pages.users["organisation_rep"])
    with django_assert_num_queries(9):
        assert company.get("/formations/jeunes-allophones/").status_code == 200


def test_the_inventory_by_territory_and_sector(pages, client_for):
    section(pages.school, diploma="CAP Boulanger", sector="D")
    section(pages.school2, diploma="CAP Maçon", sector="F")
    section(pages.school_other, diploma="CAP Coiffure", sector="K")
    client = client_for(pages.users["national_admin"])
    page = client.get(f"/formations/?academie={pages.home.pk}").content.decode()
    assert "CAP Boulanger" in page and "CAP Maçon" in page and "CAP Coiffure" not in page
    page = client.get(f"/formations/?bassin={pages.bassin.pk}&secteur=D").content.decode()
    assert "CAP Boulanger" in page and "CAP Maçon" not in page
    teacher = client_for(pages.users["teacher"]).get("/formations/").content.decode()
    assert "CAP Coiffure" not in teacher  # another académie
