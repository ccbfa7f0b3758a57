"""Issue 14: the établissement page as the school's hub — readable annuaire fields, the
school's periods, cases, actions and partners nearby, pupils' figures for its staff only,
the actions its staff can take, and a constant number of queries."""

import re
from html import unescape

import pytest

from relais.actions.enums import RequestState
from tests.actions.factories import ActionRequestFactory
from tests.actions.factories import OfferFactory as ActionOfferFactory
from tests.internships.factories import PeriodFactory, open_case, referred_case


def _text(response) -> str:
    html = response.content.decode()
    main = html.split('id="content"', 1)[1].split("</main>", 1)[0]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _page(client, school):
    response = client.get(school.get_absolute_url())
    assert response.status_code == 200
    return response


def test_annuaire_fields_are_readable(world, client_for):
    school = world.school
    school.nature_label = "LYCEE D ENSEIGNEMENT TECHNOLOGIQUE"
    school.latitude, school.longitude = 43.61092, 3.87723
    school.save()
    response = _page(client_for(world.users["academie_team"]), school)
    text = _text(response)
    assert "Lycée d'enseignement technologique" in text
    assert "LYCEE D ENSEIGNEMENT" not in text
    assert "43.61092, 3.87723" not in text and "Voir sur OpenStreetMap" in text


def test_staff_see_their_pupils_cases_and_actions(world, client_for):
    from relais.core import clock
    from relais.pupils.years import roster_year_of

    school, teacher = world.school, world.users["teacher"]
    this_year = roster_year_of(clock.today())
    open_case(school, teacher, school_year=this_year)
    referred_case(school, teacher, school_year=this_year)
    open_case(school, teacher, school_year=this_year - 1)  # last year's roster
    offer = ActionOfferFactory(academie=world.home, organisation=world.company)
    ActionRequestFactory(offer=offer, establishment=school, state=RequestState.SENT)
    text = _text(_page(client_for(teacher), school))
    assert "2 élèves sur la liste de cette année" in text
    assert "2 — Recherche seul" in text and "1 — Orienté vers le pôle de stages" in text
    assert "1 en attente de réponse" in text
    assert "Voir les élèves" in text and "Déclarer une période de stage" in text
    assert "Solliciter un réserviste" in text


def test_others_see_no_pupil_figure_and_no_staff_action(world, client_for):
    open_case(world.school, world.users["teacher"])
    for role in ("academie_team", "bassin_referent", "organisation_rep"):
        text = _text(_page(client_for(world.users[role]), world.school))
        assert "Élèves et stages" not in text, role
        assert "Voir les élèves" not in text, role


def test_the_pole_sees_the_referred_cases(world, client_for):
    referred_case(world.school, world.users["teacher"])
    text = _text(_page(client_for(world.users["hub_member"]), world.school))
    assert "1 — Orienté vers le pôle de stages" in text
    assert "sur la liste de cette année" not in text  # the roster is the school's


def test_periods_and_partners_nearby(world, client_for):
    from relais.core import clock
    from relais.core.school_years import school_year_of

    year = school_year_of(clock.today())
    PeriodFactory(establishment=world.school, school_year=f"{year}-{year + 1}")
    ActionOfferFactory(academie=world.home, organisation=world.company, title="Visite du fournil")
    text = _text(_page(client_for(world.users["teacher"]), world.school))
    assert "3e (collège) : du" in text
    assert "Visite du fournil" in text


@pytest.mark.parametrize("extra", [1, 4])
def test_teacher_hub_query_count(world, client_for, django_assert_num_queries, extra):
    school, teacher = world.school, world.users["teacher"]
    for _ in range(extra):
        open_case(school, teacher)
        ActionOfferFactory(academie=world.home, organisation=world.company)
    client = client_for(teacher)
    client.get("/")
    # The academie team's 10, and the staff's cases by step and roster count.
    with django_assert_num_queries(12):
        _page(client, school)
