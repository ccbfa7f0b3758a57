"""The school's pages of the parcours Avenir: the teacher credits a class in one click, the
class page shows who still misses what (issue 10)."""

import datetime

import pytest

from relais.pathways.enums import Item, Source
from relais.pathways.models import Experience
from relais.pupils.models import Pupil
from relais.pupils.services import pupil_fill
from tests.actions.factories import ActionRecordFactory

YEAR = 2026


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 15, 10, 0), tick=False)


@pytest.fixture
def roster(world, frozen):
    pupils = []
    for i, (last, first) in enumerate(
        [("Martin", "Léa"), ("Diallo", "Moussa"), ("Bernard", "Hugo"), ("Petit", "Inès")]
    ):
        pupil = pupil_fill(Pupil(establishment=world.school), {
            "last_name": last, "first_name": first, "class_label": "3e B" if i < 3 else "3e C",
            "level": "3e", "school_year": YEAR})  # fmt: skip
        pupil.save()
        pupils.append(pupil)
    return pupils


@pytest.mark.parametrize(
    ("role", "where"),
    [
        ("teacher", "/parcours/etablissements/{school}/"),
        ("head_of_school", "/parcours/etablissements/{school}/"),
        ("academie_team", "/parcours/indicateurs/"),
        ("national_admin", "/parcours/indicateurs/"),
    ],
)
def test_the_entry_leads_each_role_to_its_page(world, client_for, role, where):
    response = client_for(world.users[role]).get("/parcours/")
    assert response.status_code == 302
    assert response["Location"] == where.format(school=world.school.pk)


def test_teacher_credits_a_class_in_one_click_and_sees_who_misses_what(world, roster, client_for):
    client = client_for(world.users["teacher"])
    url = f"/parcours/etablissements/{world.school.pk}/experience/?annee={YEAR}&classe=3e B"
    form = client.get(url)
    assert form.status_code == 200
    # Everyone is ticked present by default.
    for pupil in roster[:3]:
        assert f'value="{pupil.pk}"' in form.content.decode()
    assert form.content.decode().count("checked") >= 3
    response = client.post(url, {
        "kind": "visite", "date": "2027-02-10", "title": "Visite de l'atelier",
        "partner_label": "Atelier du Lez", "place": "Montpellier",
        "present": [roster[0].pk, roster[2].pk]})  # fmt: skip
    assert response.status_code == 302
    experience = Experience.objects.get()
    assert set(experience.credits.values_list("pupil_id", flat=True)) == {
        roster[0].pk,
        roster[2].pk,
    }
    page = client.get(response["Location"]).content.decode()
    assert "Visite de l&#x27;atelier" not in page  # the class page lists statuses, not titles
    assert "Martin Léa" in page and "Diallo Moussa" in page
    assert page.count("Fait") == 2 and "Manquant" in page
    school_page = client.get(f"/parcours/etablissements/{world.school.pk}/?annee={YEAR}")
    assert "Diallo Moussa" in school_page.content.decode()


def test_bad_input_is_refused_in_french_and_nothing_is_written(world, roster, client_for):
    client = client_for(world.users["teacher"])
    url = f"/parcours/etablissements/{world.school.pk}/experience/?annee={YEAR}&classe=3e B"
    response = client.post(url, {"kind": "visite", "date": "9999-01-01",
                                 "present": [roster[0].pk]})  # fmt: skip
    assert response.status_code == 400
    assert "date" in response.content.decode().lower()
    response = client.post(url, {"kind": "visite", "date": "2027-01-01", "present": []})
    assert response.status_code == 400
    assert "Aucun élève présent" in response.content.decode()
    assert not Experience.objects.exists()


def test_an_action_done_of_the_catalogue_is_credited_from_its_record(world, roster, client_for):
    record = ActionRecordFactory(establishment=world.school, organisation=world.company,
                                 kind="temoignage", title="Témoignage d'une boulangère",
                                 done_on=datetime.date(2027, 1, 20), classes="3e B")  # fmt: skip
    client = client_for(world.users["teacher"])
    choose = client.get(f"/parcours/etablissements/{world.school.pk}/experience/"
                        f"?annee={YEAR}&action={record.pk}")  # fmt: skip
    assert choose.status_code == 200
    assert 'value="3e B" id="classe-1" checked' in choose.content.decode()
    url = (f"/parcours/etablissements/{world.school.pk}/experience/?annee={YEAR}"
           f"&action={record.pk}&classe=3e B")  # fmt: skip
    form = client.get(url).content.decode()
    assert "Témoignage d&#x27;une boulangère" in form
    response = client.post(
        url,
        {
            "kind": "temoignage",
            "date": "2027-01-20",
            "title": record.title,
            "present": [p.pk for p in roster[:3]],
        },
    )
    assert response.status_code == 302
    experience = Experience.objects.get()
    assert experience.source == Source.CATALOGUE
    assert experience.source_ref == f"actions.record:{record.pk}"
    assert experience.organisation == world.company
    assert experience.items == [Item.MEETING]
    # The same action cannot be credited twice.
    again = client.post(url, {"kind": "temoignage", "date": "2027-01-20",
                              "present": [roster[0].pk]})  # fmt: skip
    assert again.status_code == 400
    assert Experience.objects.count() == 1


def test_another_schools_action_is_a_404(world, roster, client_for):
    record = ActionRecordFactory(establishment=world.school2, organisation=world.company)
    client = client_for(world.users["teacher"])
    response = client.get(f"/parcours/etablissements/{world.school.pk}/experience/"
                          f"?action={record.pk}")  # fmt: skip
    assert response.status_code == 404


def test_a_stage_found_alone_is_declared(world, roster, client_for):
    client = client_for(world.users["head_of_school"])
    response = client.post(f"/parcours/eleves/{roster[3].pk}/stage/", {
        "kind": "stage_3e", "date": "2027-02-01", "partner_label": "Garage Renaud"})  # fmt: skip
    assert response.status_code == 302
    experience = Experience.objects.get()
    assert experience.source == Source.SCHOOL and experience.partner == "Garage Renaud"


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        ("/parcours/etablissements/{school}/?annee=2026", 7),
        ("/parcours/etablissements/{school}/classes/3e B/?annee=2026", 7),
    ],
)
def test_query_counts_do_not_grow_with_pupils(
    world, roster, client_for, django_assert_num_queries, path, queries
):
    client = client_for(world.users["teacher"])
    client.post(
        f"/parcours/etablissements/{world.school.pk}/experience/?annee={YEAR}&classe=3e B",
        {"kind": "visite", "date": "2027-02-10", "present": [p.pk for p in roster[:3]]},
    )
    for i in range(6):
        extra = pupil_fill(Pupil(establishment=world.school), {
            "last_name": f"Ajout{i}", "first_name": "Élève", "class_label": "3e B",
            "level": "3e", "school_year": YEAR})  # fmt: skip
        extra.save()
    with django_assert_num_queries(queries):
        response = client.get(path.format(school=world.school.pk))
    assert response.status_code == 200


def test_a_cee_intervention_is_credited_from_its_record(world, roster, client_for):
    from tests.volunteers.factories import AdvisorFactory, InterventionFactory

    advisor = AdvisorFactory(academie=world.home, active=True)
    done = InterventionFactory(advisor=advisor, establishment=world.school,
                               date=datetime.date(2027, 2, 3))  # fmt: skip
    client = client_for(world.users["teacher"])
    listing = client.get("/benevoles/conseillers/interventions/").content.decode()
    assert f"?intervention={done.pk}" in listing
    url = (f"/parcours/etablissements/{world.school.pk}/experience/?annee={YEAR}"
           f"&intervention={done.pk}&classe=3e B")  # fmt: skip
    form = client.get(url).content.decode()
    assert 'value="intervention_cee" selected' in form
    response = client.post(url, {"kind": "intervention_cee", "date": "2027-02-03",
                                 "present": [roster[0].pk]})  # fmt: skip
    assert response.status_code == 302
    experience = Experience.objects.get()
    assert experience.source == Source.ADVISOR
    assert experience.source_ref == f"volunteers.intervention:{done.pk}"
