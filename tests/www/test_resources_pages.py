"""Pages of the library of kits and resources and of the preparation of the stage de 3e:
frozen query counts (few, then many rows), forms that re-display French errors, the counts
of uses, the company's link without an account."""

import datetime

import pytest
import time_machine

from relais.internships.enums import SchoolLevel
from relais.internships.models import PreparationStep, StageReport
from relais.resources.enums import Audience, ResourceKind, Topic, UseKind
from relais.resources.models import Resource, ResourceUse
from relais.resources.services import share_token
from tests.internships.factories import PeriodFactory
from tests.pupils.factories import PupilFactory
from tests.resources.factories import make_resource

BEFORE = datetime.datetime(2026, 1, 23, 9, tzinfo=datetime.UTC)
AFTER = datetime.datetime(2026, 2, 10, 9, tzinfo=datetime.UTC)

# Whole page: session, user, reach, menu, then the page's own queries.
LIST_QUERIES = {"teacher": 5, "academie_team": 5}
# The reader's open is one INSERT; its managers read the counts per version instead.
DETAIL_QUERIES = {"teacher": 6, "academie_team": 6}
PREPARATION_LIST_QUERIES = 8
PREPARATION_CLASS_QUERIES = 12


def _resources(world, n):
    team = world.users["academie_team"]
    for i in range(n):
        make_resource(
            team, academie=world.home, title=f"Fiche {i}", audience=Audience.TEACHERS,
            kind=ResourceKind.TOOLBOX, step="agir",
        )  # fmt: skip


@pytest.mark.parametrize("role", ["teacher", "academie_team"])
def test_library_list_queries(world, client_for, django_assert_num_queries, role):
    client = client_for(world.users[role])
    for n in (1, 5):
        _resources(world, n)
        client.get("/ressources/")
        with django_assert_num_queries(LIST_QUERIES[role]):
            page = client.get("/ressources/?audience=equipes")
        assert page.status_code == 200
    assert ("Ouvertures, téléchargements, envois" in page.content.decode()) == (
        role == "academie_team"
    )


@pytest.mark.parametrize("role", ["teacher", "academie_team"])
def test_resource_detail_queries_and_opens_counted(
    world, client_for, django_assert_num_queries, role
):
    from relais.resources import services

    team = world.users["academie_team"]
    kit = make_resource(team, academie=world.home)
    client = client_for(world.users[role])
    for n in (1, 4):
        for _ in range(n):
            services.resource_version_add(
                user=team, resource=kit, version=services.VersionData(body="v", note="Mise à jour")
            )
        client.get(f"/ressources/{kit.pk}/")
        with django_assert_num_queries(DETAIL_QUERIES[role]):
            page = client.get(f"/ressources/{kit.pk}/")
        assert "Historique des versions" in page.content.decode()
    opens = ResourceUse.objects.filter(kind=UseKind.OPEN).count()
    assert opens == (0 if role == "academie_team" else 4)  # its managers' opens do not count


def test_create_form_errors_then_new_version_keeps_history(world, client_for):
    client = client_for(world.users["academie_team"])
    data = {"title": "Boîte à outils", "audience": "equipes", "kind": "boite_outils",
            "territory": str(world.home.pk), "body": ""}  # fmt: skip
    page = client.post("/ressources/nouvelle/", data)
    assert page.status_code == 400
    text = page.content.decode()
    assert "étape du projet" in text and "Boîte à outils" in text  # what was typed stays
    page = client.post("/ressources/nouvelle/", {**data, "step": "agir"})
    assert page.status_code == 400 and "un texte, un lien ou un fichier" in page.content.decode()
    page = client.post("/ressources/nouvelle/", {**data, "step": "agir", "body": "Première"})
    resource = Resource.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/ressources/{resource.pk}/"
    page = client.post(
        f"/ressources/{resource.pk}/nouvelle-version/",
        {"note": "Plus claire", "url": "https://eduscol.education.fr/"},
    )
    assert page.status_code == 302
    text = client.get(f"/ressources/{resource.pk}/").content.decode()
    assert "Version 2" in text and "Plus claire" in text and "Version 1" in text
    assert "Première" in client.get(f"/ressources/{resource.pk}/versions/1/").content.decode()
    # A national resource is the national team's only.
    page = client.post(
        "/ressources/nouvelle/", {**data, "territory": "", "step": "agir", "body": "x"}
    )
    assert page.status_code == 400


def test_shared_link_counts_a_company_open_and_refuses_a_bad_token(world, client_for):
    kit = make_resource(world.users["national_admin"])
    client = client_for(None)
    page = client.get(f"/ressources/partage/{share_token(kit)}/")
    assert page.status_code == 200 and "Le contenu." in page.content.decode()
    assert ResourceUse.objects.get().kind == UseKind.OPEN
    page = client.get("/ressources/partage/abc/")
    assert page.status_code == 404 and "pas valide" in page.content.decode()


@pytest.fixture
def classes(world):
    for label in ("3e A", "3e B"):
        PupilFactory(establishment=world.school, class_label=label)
    return PeriodFactory(establishment=world.school, level=SchoolLevel.THIRD)


def test_preparation_pages_queries(world, classes, client_for, django_assert_num_queries):
    client = client_for(world.users["teacher"])
    make_resource(
        world.users["academie_team"], academie=world.home, title="Les objectifs",
        audience=Audience.TEACHERS, kind=ResourceKind.PREPARATION, topic=Topic.GOALS,
    )  # fmt: skip
    with time_machine.travel(AFTER, tick=False):
        for n in (1, 3):
            for i in range(n):
                PupilFactory(establishment=world.school, class_label=f"3e {n}{i}")
            client.get("/stages/preparation/")
            with django_assert_num_queries(PREPARATION_LIST_QUERIES):
                assert client.get("/stages/preparation/?annee=2025").status_code == 200
            with django_assert_num_queries(PREPARATION_CLASS_QUERIES):
                page = client.get(f"/stages/preparation/{classes.pk}/3e A/")
            assert "Les objectifs" in page.content.decode()


def test_marking_through_the_page_and_the_reports(world, classes, client_for):
    client = client_for(world.users["teacher"])
    base = f"/stages/preparation/{classes.pk}/3e A/"
    with time_machine.travel(BEFORE, tick=False):
        page = client.post(base + "contenus/objectifs/", {"objectifs-done_on": "2026-01-20"})
        assert page.status_code == 302 and page["Location"] == base.replace(" ", "%20")
        assert PreparationStep.objects.get().topic == Topic.GOALS
        page = client.post(base + "contenus/tri/", {"tri-done_on": "pas une date"}, follow=True)
        assert "Fait le" in page.content.decode() and PreparationStep.objects.count() == 1
        page = client.post(base + "contenus/tri/", {"tri-done_on": "2026-02-20"}, follow=True)
        assert "à venir" in page.content.decode()
        text = client.get("/stages/preparation/?sans_preparation=on&jours=10").content.decode()
        assert "1 contenu sur 4" in text and "3e B" in text
    with time_machine.travel(AFTER, tick=False):
        pupil = classes.establishment.pupils.get(class_label="3e A")
        page = client.post(base + "rapports/", {"received_on": "2026-02-09", "pupils": [pupil.pk]})
        assert page.status_code == 302
        assert StageReport.objects.get().pupil == pupil
        text = client.get(base).content.decode()
        assert "Rapports de stage remis : 1 sur 1" in text
        # Above the school, a count under 11 is hidden.
        text = client_for(world.users["hub_member"]).get(base).content.decode()
        assert "Rapports de stage remis : moins de 11" in text
        assert pupil.last_name not in text


def test_a_pdf_version_through_the_form_then_downloads_counted(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.pdfs import tiny_pdf

    kit = make_resource(world.users["academie_team"], academie=world.home)
    client = client_for(world.users["academie_team"])
    bad = SimpleUploadedFile("kit.pdf", b"pas un PDF", "application/pdf")
    page = client.post(f"/ressources/{kit.pk}/nouvelle-version/", {"note": "PDF", "file": bad})
    assert page.status_code == 400 and "PDF" in page.content.decode()
    good = SimpleUploadedFile("kit.pdf", tiny_pdf("Kit du tuteur"), "application/pdf")
    page = client.post(f"/ressources/{kit.pk}/nouvelle-version/", {"note": "PDF", "file": good})
    assert page.status_code == 302
    reader = client_for(world.users["teacher"])
    download = reader.get(f"/ressources/{kit.pk}/fichier/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF")
    assert download["Content-Disposition"] == f'attachment; filename="ressource-{kit.pk}-v2.pdf"'
    assert ResourceUse.objects.filter(kind=UseKind.DOWNLOAD).count() == 1


def test_a_class_label_with_a_slash(world, client_for):
    PupilFactory(establishment=world.school, class_label="3e1/3e2")
    period = PeriodFactory(establishment=world.school, class_label="3e1/3e2")
    client = client_for(world.users["teacher"])
    with time_machine.travel(BEFORE, tick=False):
        assert "3e1/3e2" in client.get("/stages/preparation/?annee=2025").content.decode()
        base = f"/stages/preparation/{period.pk}/3e1/3e2/"
        assert client.get(base).status_code == 200
        page = client.post(base + "contenus/tri/", {"tri-done_on": "2026-01-20"})
        assert page.status_code == 302
    assert PreparationStep.objects.get().class_label == "3e1/3e2"
