"""The parcours Avenir exports (issue 10, item 5): what the school downloads, the journal
of every export, another school's pupils out of reach, frozen query counts, and the part
of the pupil's page that links to them (``parcours_context``). The matrix per role is in
test_matrix_pathways_exports.py."""

import datetime
import io
import json

import jsonschema
import pypdf
import pytest
from django.test import RequestFactory

from relais.documents.rendering import pdf_text
from relais.pathways.documents import JSON_SCHEMA
from relais.pathways.services import ExperienceData, class_credit
from relais.users.enums import Role
from relais.users.models import PersonalDataAccess
from relais.www.pathways.views_exports import parcours_context
from tests.factories import make_user
from tests.pupils.factories import PupilFactory

from .test_matrix_pathways_exports import add_pupil

YEAR = 2026


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 15, 10, 0), tick=False)


@pytest.fixture
def roster(world, frozen):
    pupils = [add_pupil(world.school, last, first, YEAR)
              for last, first in (("Martin", "Léa"), ("Diallo", "Moussa"))]  # fmt: skip
    credit(world, "visite", datetime.date(2027, 1, 20), "Visite de la boulangerie")
    return pupils


def credit(world, kind, day, title, klass="3e B"):
    return class_credit(
        user=world.users["teacher"], establishment=world.school, school_year=YEAR,
        class_labels=[klass], data=ExperienceData(kind=kind, date=day, title=title),
    )  # fmt: skip


def pupil_url(pupil, fmt="pdf"):
    return f"/parcours/eleves/{pupil.pk}/parcours.{fmt}"


def class_url(world, label="3e B", year=YEAR):
    return f"/parcours/etablissements/{world.school.pk}/pdf/{label}/?annee={year}"


def journal(user):
    return [
        (row.purpose, row.data, row.about, row.fmt, row.rows, row.description, row.filters)
        for row in PersonalDataAccess.objects.filter(user=user).order_by("pk")
    ]


@pytest.mark.parametrize("role", ["teacher", "head_of_school"])
def test_the_school_downloads_a_pupils_pdf_and_it_is_journaled(world, roster, client_for, role):
    user, lea = world.users[role], roster[0]
    response = client_for(user).get(pupil_url(lea))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="parcours-avenir-eleve-{lea.pk}.pdf"'
    )
    text = " ".join(pdf_text(response.content).split())
    assert "Parcours Avenir de Léa Martin" in text and "Visite de la boulangerie" in text
    assert journal(user) == [
        ("export", "parcours", f"pupils.pupil:{lea.pk}", "pdf", 1,
         f"Parcours Avenir de l'élève n° {lea.pk} (PDF)", {}),
    ]  # fmt: skip


def test_the_school_downloads_a_pupils_json(world, roster, client_for):
    teacher, lea = world.users["teacher"], roster[0]
    response = client_for(teacher).get(pupil_url(lea, "json"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="parcours-avenir-eleve-{lea.pk}.json"'
    )
    document = json.loads(response.content)
    jsonschema.Draft202012Validator(JSON_SCHEMA).validate(document)
    assert document["eleve"]["nom"] == "Martin"
    assert document["etablissement"]["uai"] == world.school.uai
    assert [e["intitule"] for e in document["experiences"]] == ["Visite de la boulangerie"]
    assert document["statut"]["visite"] == "fait"
    assert journal(teacher) == [
        ("export", "parcours", f"pupils.pupil:{lea.pk}", "json", 1,
         f"Parcours Avenir de l'élève n° {lea.pk} (JSON)", {}),
    ]  # fmt: skip


def test_the_class_pdf_has_a_page_per_pupil_and_is_journaled(world, roster, client_for):
    teacher = world.users["teacher"]
    add_pupil(world.school, "Petit", "Inès", YEAR, klass="3e C")  # another class
    response = client_for(teacher).get(class_url(world))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="parcours-avenir-{world.school.uai}-3e-b-{YEAR}.pdf"'
    )
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 2
    assert "Moussa Diallo" in pages[0].extract_text()  # by name, as on the class page
    assert "Léa Martin" in pages[1].extract_text()
    assert "Petit" not in pdf_text(response.content)
    assert journal(teacher) == [
        ("export", "parcours", f"establishments.establishment:{world.school.pk}", "pdf", 2,
         "Parcours Avenir de la classe 3e B (2026-2027)", {"annee": str(YEAR)}),
    ]  # fmt: skip


def test_another_schools_staff_and_the_pole_get_404_and_nothing_is_journaled(
    world, roster, client_for
):
    other = make_user(Role.HEAD_OF_SCHOOL, world.school2)
    own = add_pupil(world.school2, "Voisin", "Paul", YEAR)
    client = client_for(other)
    assert client.get(pupil_url(roster[0])).status_code == 404
    assert client.get(pupil_url(roster[0], "json")).status_code == 404
    assert client.get(class_url(world)).status_code == 404
    assert not PersonalDataAccess.objects.filter(user=other).exists()
    assert client.get(pupil_url(own)).status_code == 200  # their own pupil
    hub = client_for(world.users["hub_member"])  # the pôle of the bassin: figures only here
    assert hub.get(pupil_url(roster[0])).status_code == 404


def test_unknown_class_year_or_anonymised_pupil_is_a_404(world, roster, client_for):
    client = client_for(world.users["teacher"])
    assert client.get(class_url(world, label="3e Z")).status_code == 404
    assert client.get(class_url(world, year=YEAR - 1)).status_code == 404
    gone = PupilFactory(establishment=world.school, school_year=YEAR, purged=True)
    assert client.get(pupil_url(gone)).status_code == 404
    assert client.get("/parcours/eleves/999999999/parcours.pdf").status_code == 404


def test_a_class_label_with_a_slash_reaches_its_pdf(world, frozen, client_for):
    add_pupil(world.school, "Martin", "Léa", YEAR, klass="3e A/B")
    response = client_for(world.users["teacher"]).get(class_url(world, label="3e A/B"))
    assert response.status_code == 200
    assert "Léa Martin" in pdf_text(response.content)


def test_the_class_page_links_to_its_pdf(world, roster, client_for):
    response = client_for(world.users["teacher"]).get(
        f"/parcours/etablissements/{world.school.pk}/classes/3e B/?annee={YEAR}"
    )
    assert response.status_code == 200
    link = f"/parcours/etablissements/{world.school.pk}/pdf/3e%20B/?annee={YEAR}"
    assert response.context["class_pdf_url"] == link
    assert f'href="{link}"' in response.content.decode()


def test_parcours_context_gives_the_school_its_links_and_others_none(world, roster):
    lea = roster[0]
    request = RequestFactory().get("/")
    request.user = world.users["teacher"]
    context = parcours_context(request, lea)
    assert context["parcours_template"] == "pathways/_pupil_parcours.html"
    assert context["parcours"].pupil == lea
    assert context["parcours"].status["visit"] == "done"
    assert context["item_labels"][0] == ("visit", "Une visite")
    assert context["can_edit_parcours"] is True
    assert context["parcours_pdf_url"] == pupil_url(lea)
    assert context["parcours_json_url"] == pupil_url(lea, "json")
    request.user = world.users["hub_member"]  # reads a referred pupil's page, exports nothing
    context = parcours_context(request, lea)
    assert context["can_edit_parcours"] is False
    assert context["parcours_pdf_url"] is None and context["parcours_json_url"] is None


@pytest.mark.parametrize("fmt", ["pdf", "json"])
def test_pupil_export_query_count_does_not_grow_with_experiences(
    world, roster, client_for, django_assert_num_queries, fmt
):
    client = client_for(world.users["teacher"])
    lea = roster[0]
    # Session and user, reach, the pupil, objectives, credits with their experiences and
    # partners, the journal row.
    with django_assert_num_queries(7):
        assert client.get(pupil_url(lea, fmt)).status_code == 200
    for day in range(1, 6):
        credit(world, "temoignage", datetime.date(2027, 2, day), f"Témoignage {day}")
    with django_assert_num_queries(7):
        assert client.get(pupil_url(lea, fmt)).status_code == 200


def test_class_pdf_query_count_does_not_grow_with_pupils(
    world, roster, client_for, django_assert_num_queries
):
    client = client_for(world.users["teacher"])
    # Session and user, reach, the school, the class's pupils, objectives, credits, the
    # journal row.
    with django_assert_num_queries(8):
        assert client.get(class_url(world)).status_code == 200
    for i in range(4):
        add_pupil(world.school, f"Nouveau{i}", "Sam", YEAR)
    credit(world, "forum", datetime.date(2027, 2, 3), "Forum des métiers")
    with django_assert_num_queries(8):
        assert client.get(class_url(world)).status_code == 200
