"""API of the parcours Avenir (issue 10, item 6): experiences (scoped list, create with
pupils or with classes and absentees, participants, delete), a pupil's and a class's
statuses (their school only, journaled), the indicators (counts only, small groups
hidden, per role), the kinds as the académie sets them; French 400s; frozen query counts;
no pupil's name outside their school."""

import datetime

import pytest

from relais.pathways.models import Experience, SchoolStat
from relais.pathways.services import (
    ExperienceData,
    class_credit,
    internship_record,
    kind_set,
    stats_refresh,
)
from relais.pupils.models import Pupil
from relais.pupils.services import pupil_fill
from relais.users.enums import Role
from relais.users.models import PersonalDataAccess
from tests.factories import make_user

from .conftest import ROLES, token_client

YEAR = 2026
EXPERIENCES = "/api/v1/parcours/experiences/"
SCHOOL_STAFF = {"head_of_school", "teacher"}
NOT_SCHOOL = [role for role in ROLES if role not in SCHOOL_STAFF]


def add_pupil(school, last, first, klass="3e B", level="3e", **flags) -> Pupil:
    data = {"last_name": last, "first_name": first, "class_label": klass, "level": level,
            "school_year": YEAR, **flags}  # fmt: skip
    pupil = pupil_fill(Pupil(establishment=school), data)
    pupil.save()
    return pupil


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2027, 3, 15, 10, 0), tick=False)


@pytest.fixture
def parcours(world, users, frozen):
    """School A1 (REP): 3e B (Martin, Diallo, Bernard) and 3e C (Petit), a visit of 3e B;
    school A2 (its own principal): Voisin, with a forum."""
    w = world
    w.b = [
        add_pupil(w.school_a1, last, first)
        for last, first in (("Martin", "Léa"), ("Diallo", "Moussa"), ("Bernard", "Hugo"))
    ]
    w.c = [add_pupil(w.school_a1, "Petit", "Inès", klass="3e C")]  # fmt: skip
    w.visit = class_credit(
        user=users["teacher"], establishment=w.school_a1, school_year=YEAR,
        class_labels=["3e B"], absent_ids=[w.b[1].pk],
        data=ExperienceData(kind="visite", date=datetime.date(2027, 1, 20), title="Visite"),
    )  # fmt: skip
    w.principal_a2 = make_user(Role.HEAD_OF_SCHOOL, w.school_a2)
    w.neighbour = add_pupil(w.school_a2, "Voisin", "Paul", klass="2nde 1", level="2nde")
    w.forum = class_credit(
        user=w.principal_a2, establishment=w.school_a2, school_year=YEAR,
        class_labels=["2nde 1"],
        data=ExperienceData(kind="forum", date=datetime.date(2027, 2, 1), title="Forum"),
    )  # fmt: skip
    return w


def body(**changes):
    return {"kind": "temoignage", "date": "2027-02-10", "title": "Témoignage d'une boulangère",
            "partner_label": "Boulangerie Alpha", "place": "Montpellier", **changes}  # fmt: skip


# --- experiences ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_experiences_are_listed_to_their_schools_staff_only(parcours, client_for, role):
    response = client_for(role).get(EXPERIENCES)
    assert response.status_code == 200
    titles = [row["title"] for row in response.json()["results"]]
    assert titles == (["Visite"] if role in SCHOOL_STAFF else [])
    if role in SCHOOL_STAFF:
        row = response.json()["results"][0]
        assert row["participants"] == 2 and row["items"] == ["visit"]
        assert row["establishment"]["uai"] == parcours.school_a1.uai
        assert row["editable"] is True


def test_experience_list_filters(parcours, client_for):
    client = client_for("teacher")
    absent, present = parcours.b[1], parcours.b[0]
    assert client.get(EXPERIENCES, {"eleve": absent.pk}).json()["count"] == 0
    assert client.get(EXPERIENCES, {"eleve": present.pk}).json()["count"] == 1
    assert client.get(EXPERIENCES, {"annee": YEAR - 1}).json()["count"] == 0
    assert client.get(EXPERIENCES, {"annee": YEAR}).json()["count"] == 1
    assert client.get(EXPERIENCES, {"etablissement": parcours.school_a2.pk}).json()["count"] == 0
    for name, value in (("annee", "26"), ("eleve", "abc"), ("etablissement", str(10**12))):
        response = client.get(EXPERIENCES, {name: value})
        assert response.status_code == 400 and name in response.json()


def test_a_class_is_credited_in_one_call_but_the_absent(parcours, client_for):
    w = parcours
    response = client_for("teacher").post(
        EXPERIENCES, body(classes=["3e B", "3e C"], absent_ids=[w.b[2].pk]), format="json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert response["Location"].endswith(f"{EXPERIENCES}{data['id']}/")
    assert data["participants"] == 3 and data["classes"] == "3e B, 3e C"
    assert [p["last_name"] for p in data["pupils"]] == ["Diallo", "Martin", "Petit"]
    assert data["items"] == ["meeting"] and data["source"] == "classe"
    assert data["partner"] == "Boulangerie Alpha" and data["school_year"] == YEAR
    # The school's counts follow (SchoolStat: what leaves the school).
    stat = SchoolStat.objects.get(establishment=w.school_a1, school_year=YEAR, level="3e")
    assert (stat.pupils, stat.meeting, stat.visit) == (4, 3, 2)


def test_pupils_are_credited_by_their_ids(parcours, client_for, world):
    w = parcours
    response = client_for("head_of_school").post(
        EXPERIENCES,
        body(pupil_ids=[w.c[0].pk], organisation=world.company_a.pk, title=""),
        format="json",
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert [p["id"] for p in data["pupils"]] == [w.c[0].pk]
    assert data["title"] == "Témoignage en classe"  # the kind's label by default
    assert data["organisation"] == world.company_a.pk and data["partner"] == "Boulangerie Alpha"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({}, "pupil_ids", "soit les élèves"),
        ({"pupil_ids": [1], "classes": ["3e B"]}, "pupil_ids", "soit les élèves"),
        ({"pupil_ids": "PUPIL", "absent_ids": "PUPIL"}, "absent_ids", "pas avec pupil_ids"),
        ({"pupil_ids": "NEIGHBOUR"}, "pupil_ids", "pas sur la liste de l'établissement"),
        ({"pupil_ids": []}, "pupil_ids", "Indiquez au moins un élève."),
        ({"pupil_ids": [10**12]}, "pupil_ids", "inférieure ou égale"),
        ({"pupil_ids": ["abc"]}, "pupil_ids", "entier valide"),
        ({"classes": ["3e Z"]}, "classes", "Aucun élève présent"),
        ({"classes": ["3e B"], "absent_ids": "ALL_B"}, "classes", "Aucun élève présent"),
        ({"classes": []}, "classes", "Choisissez au moins une classe."),
        ({"classes": "3e B"}, "classes", "liste"),
        ({"pupil_ids": list(range(1, 2002))}, "pupil_ids", "Au plus 2000 élèves"),
        ({"classes": ["3e B"], "kind": "safari"}, "kind", "Type d'expérience inconnu"),
        ({"classes": ["3e B"], "date": "1789-07-14"}, "date", "1990"),
        ({"classes": ["3e B"], "date": "14/07/2027"}, "date", "format"),
        ({"classes": ["3e B"], "title": "x" * 256}, "title", "255"),
        ({"classes": ["3e B"], "school_year": 1200}, "school_year", "supérieure ou égale"),
        ({"classes": ["3e B"], "establishment": "OTHER"}, "establishment", "hors de votre"),
        ({"classes": ["3e B"], "organisation": 10**6}, "organisation", "Organisation inconnue"),
    ],
)
def test_bad_input_gets_a_french_400_and_writes_nothing(
    parcours, client_for, changes, field, message
):
    w = parcours
    replacements = {
        "PUPIL": [w.b[0].pk],
        "NEIGHBOUR": [w.neighbour.pk],
        "ALL_B": [p.pk for p in w.b],
        "OTHER": w.school_a2.pk,
    }
    changes = {key: replacements.get(value, value) if isinstance(value, str) else value
               for key, value in changes.items()}  # fmt: skip
    before = Experience.objects.count()
    response = client_for("teacher").post(EXPERIENCES, body(**changes), format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert message in str(errors[field]), errors
    assert Experience.objects.count() == before


@pytest.mark.parametrize("role", NOT_SCHOOL)
def test_only_a_schools_staff_records_experiences(parcours, client_for, role):
    response = client_for(role).post(EXPERIENCES, body(classes=["3e B"]), format="json")
    assert response.status_code == 403
    assert "équipe d'un établissement" in response.json()["detail"]


def test_the_school_of_a_two_school_user_is_asked(parcours, users, world):
    user = users["teacher"]
    user.memberships.create(role=Role.TEACHER, establishment=world.school_a2)
    client = token_client(user)
    response = client.post(EXPERIENCES, body(classes=["3e B"]), format="json")
    assert response.status_code == 400
    assert response.json() == {"establishment": ["Indiquez l'établissement."]}
    response = client.post(
        EXPERIENCES, body(classes=["2nde 1"], establishment=world.school_a2.pk), format="json"
    )
    assert response.status_code == 201 and response.json()["participants"] == 1


def test_retrieve_participants_and_delete(parcours, client_for):
    w = parcours
    client = client_for("teacher")
    url = f"{EXPERIENCES}{w.visit.pk}/"
    detail = client.get(url).json()
    assert [p["last_name"] for p in detail["pupils"]] == ["Bernard", "Martin"]
    response = client.put(f"{url}participants/", {"pupil_ids": [w.b[1].pk]}, format="json")
    assert response.status_code == 200
    assert [p["last_name"] for p in response.json()["pupils"]] == ["Diallo"]
    response = client.put(f"{url}participants/", {"pupil_ids": []}, format="json")
    assert response.status_code == 400
    assert "Au moins un élève" in response.json()["pupil_ids"][0]
    response = client.put(f"{url}participants/", {"pupil_ids": [w.neighbour.pk]}, format="json")
    assert response.status_code == 400 and "pupil_ids" in response.json()
    assert client.delete(url).status_code == 204
    assert not Experience.objects.filter(pk=w.visit.pk).exists()


def test_the_poles_stage_is_neither_edited_nor_deleted(parcours, client_for, world):
    stage = internship_record(
        pupil=parcours.b[0], kind="stage_3e", date=datetime.date(2026, 12, 7),
        organisation=world.company_a, place="", source_ref="internships.placement:1",
    )  # fmt: skip
    client = client_for("teacher")
    url = f"{EXPERIENCES}{stage.pk}/"
    assert client.get(url).json()["editable"] is False
    response = client.put(f"{url}participants/", {"pupil_ids": [parcours.b[1].pk]}, format="json")
    assert response.status_code == 400 and "pôle de stages" in str(response.json())
    response = client.delete(url)
    assert response.status_code == 400 and "pôle de stages" in str(response.json())


@pytest.mark.parametrize("role", NOT_SCHOOL)
def test_another_schools_experience_is_a_404(parcours, client_for, role):
    client = client_for(role)
    url = f"{EXPERIENCES}{parcours.visit.pk}/"
    assert client.get(url).status_code == 404
    assert client.put(f"{url}participants/", {"pupil_ids": [1]}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    other = token_client(parcours.principal_a2)
    assert other.get(url).status_code == 404
    assert other.delete(url).status_code == 404
    assert Experience.objects.filter(pk=parcours.visit.pk).exists()


# --- a pupil, a class ----------------------------------------------------------------------


def test_a_pupils_parcours_for_their_school_journaled(parcours, client_for, users):
    lea = parcours.b[0]
    response = client_for("teacher").get(f"/api/v1/parcours/eleves/{lea.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["pupil"]["last_name"] == "Martin"
    assert data["establishment"]["uai"] == parcours.school_a1.uai
    assert data["status"] == {"visit": "done", "meeting": "missing", "internship": "missing",
                              "project": "missing"}  # fmt: skip
    assert data["done_count"] == 1 and data["complete"] is False
    assert data["missing_due"] == ["meeting", "internship", "project"]
    assert [(e["title"], e["status"]) for e in data["experiences"]] == [("Visite", "done")]
    row = PersonalDataAccess.objects.get(user=users["teacher"])
    assert (row.purpose, row.data, row.about, row.fmt) == (
        "consultation", "parcours", f"pupils.pupil:{lea.pk}", "api"
    )  # fmt: skip


@pytest.mark.parametrize("role", NOT_SCHOOL)
def test_a_pupils_parcours_is_a_404_elsewhere(parcours, client_for, role, users):
    response = client_for(role).get(f"/api/v1/parcours/eleves/{parcours.b[0].pk}/")
    assert response.status_code == 404
    assert "Martin" not in response.content.decode()
    assert not PersonalDataAccess.objects.filter(user=users[role]).exists()


def test_a_class_for_its_school_journaled(parcours, client_for, users):
    response = client_for("teacher").get(
        "/api/v1/parcours/classes/", {"classe": "3e B", "annee": YEAR}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["class_label"] == "3e B" and data["school_year_label"] == "2026-2027"
    assert (data["pupils"], data["complete"]) == (3, 0)
    assert data["done"] == {"visit": 2, "meeting": 0, "internship": 0, "project": 0}
    assert [(r["pupil"]["last_name"], r["status"]["visit"]) for r in data["rows"]] == [
        ("Bernard", "done"), ("Diallo", "missing"), ("Martin", "done"),
    ]  # fmt: skip
    row = PersonalDataAccess.objects.get(user=users["teacher"])
    assert (row.purpose, row.data, row.rows, row.filters) == (
        "export", "parcours", 3, {"classe": "3e B", "annee": str(YEAR)}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("params", "code", "key"),
    [
        ({}, 400, "classe"),
        ({"classe": "x" * 41}, 400, "classe"),
        ({"classe": "3e B", "annee": "deux mille"}, 400, "annee"),
        ({"classe": "3e B", "etablissement": "abc"}, 400, "etablissement"),
        ({"classe": "3e Z"}, 404, "detail"),
        ({"classe": "3e B", "annee": YEAR - 1}, 404, "detail"),
        ({"classe": "2nde 1", "etablissement": "A2"}, 404, "detail"),
    ],
)
def test_class_statuses_bad_input(parcours, client_for, params, code, key):
    if params.get("etablissement") == "A2":
        params = {**params, "etablissement": parcours.school_a2.pk}
    response = client_for("teacher").get("/api/v1/parcours/classes/", params)
    assert response.status_code == code, response.content
    assert key in response.json()


@pytest.mark.parametrize("role", NOT_SCHOOL)
def test_class_statuses_are_for_the_school_only(parcours, client_for, role):
    response = client_for(role).get(
        "/api/v1/parcours/classes/",
        {"classe": "3e B", "etablissement": parcours.school_a1.pk},
    )
    assert response.status_code == 403
    assert "Martin" not in response.content.decode()


# --- indicators ----------------------------------------------------------------------------


@pytest.fixture
def figures(parcours, users):
    """3e: 14 pupils in school A1 (REP: priority), 12 in A2 (others, 6 with a visit);
    2nde: 1 pupil in A2 (hidden)."""
    w = parcours
    for i in range(10):
        add_pupil(w.school_a1, f"Rep{i}", "Élève", klass="3e D")
    rep_d = list(Pupil.objects.filter(establishment=w.school_a1, class_label="3e D"))
    class_credit(
        user=users["teacher"], establishment=w.school_a1, school_year=YEAR,
        class_labels=["3e D"], absent_ids=[p.pk for p in rep_d[:6]],
        data=ExperienceData(kind="visite", date=datetime.date(2027, 2, 2)),
    )  # fmt: skip
    for i in range(12):
        add_pupil(w.school_a2, f"Autre{i}", "Élève", klass="3e 1")
    others = list(Pupil.objects.filter(establishment=w.school_a2, class_label="3e 1"))
    class_credit(
        user=w.principal_a2, establishment=w.school_a2, school_year=YEAR,
        class_labels=["3e 1"], absent_ids=[p.pk for p in others[:6]],
        data=ExperienceData(kind="visite", date=datetime.date(2027, 2, 2)),
    )  # fmt: skip
    return w


INDICATORS = "/api/v1/parcours/indicateurs/"


def test_indicators_count_per_level_with_the_gap(figures, client_for):
    response = client_for("academie_team").get(
        INDICATORS, {"territoire": f"academie:{figures.academie_a.pk}", "annee": YEAR}
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["small_count"] == 11 and data["school_year_label"] == "2026-2027"
    third = next(level for level in data["levels"] if level["level"] == "3e")
    # Priority: 3e B and C (4 pupils, 2 visits) and 3e D (10, 4 visits) of the REP school.
    assert third["priority"]["pupils"] == 14 and third["priority"]["done"]["visit"] == 6
    assert third["others"]["pupils"] == 12 and third["others"]["done"]["visit"] == 6
    assert third["all"]["pupils"] == 26 and third["all"]["rates"]["visit"] == 46.2
    assert third["priority"]["rates"]["visit"] == 42.9 and third["others"]["rates"]["visit"] == 50
    assert third["gap"]["visit"] == 7.1 and third["gap"]["meeting"] == 0
    # 2nde: one pupil; every group hidden, and no gap.
    second = next(level for level in data["levels"] if level["level"] == "2nde")
    for group in ("all", "priority", "others"):
        assert second[group]["hidden"] is True and second[group]["pupils"] is None
    assert second["gap"]["visit"] is None
    # Never a name.
    assert "Martin" not in response.content.decode() and "Rep1" not in response.content.decode()


def test_a_small_group_hides_the_other_group_of_its_level(figures, client_for):
    """12 others and 11 priority pupils in 1re: both shown; with 10 priority pupils, the
    others would give them away (all minus others): both hidden, the total shown."""
    w = figures
    for i in range(12):
        add_pupil(w.school_a2, f"Lycee{i}", "Élève", klass="1re 1", level="1re")
    for i in range(10):
        add_pupil(w.school_a1, f"Prio{i}", "Élève", klass="1re A", level="1re")
    class_credit(
        user=w.principal_a2, establishment=w.school_a2, school_year=YEAR,
        class_labels=["1re 1"], data=ExperienceData(kind="forum", date=datetime.date(2027, 2, 3)),
    )  # fmt: skip
    stats_refresh(establishment_id=w.school_a1.pk, school_year=YEAR)  # the new roster
    client = client_for("national_admin")
    data = client.get(INDICATORS, {"territoire": "national", "annee": YEAR}).json()
    first = next(level for level in data["levels"] if level["level"] == "1re")
    assert first["all"]["hidden"] is False and first["all"]["pupils"] == 22
    assert first["priority"]["hidden"] is True and first["others"]["hidden"] is True
    assert first["others"]["pupils"] is None and first["gap"]["meeting"] is None


@pytest.mark.parametrize(
    ("role", "territory", "code"),
    [
        ("national_admin", "national", 200),
        ("national_admin", "academie:B", 200),
        ("academie_team", "academie:A", 200),
        ("academie_team", "region:A", 200),
        ("academie_team", "bassin:A1", 200),
        ("academie_team", "etablissement:A1", 200),
        ("academie_team", "academie:B", 403),
        ("academie_team", "national", 403),
        ("bassin_referent", "bassin:A1", 200),
        ("bassin_referent", "etablissement:A1", 200),
        ("bassin_referent", "academie:A", 403),
        ("hub_member", "bassin:A1", 200),
        ("hub_member", "bassin:A2", 403),
        ("head_of_school", "etablissement:A1", 200),
        ("teacher", "etablissement:A1", 200),
        ("teacher", "etablissement:A2", 403),
        ("teacher", "bassin:A1", 403),
        ("organisation_rep", "academie:A", 403),
        ("volunteer", "academie:A", 403),
        ("no_membership", "national", 403),
    ],
)
def test_indicators_per_role(figures, client_for, role, territory, code):
    w = figures
    ids = {"A": w.academie_a.pk, "B": w.academie_b.pk, "A1": None, "A2": None}
    kind, _, ref = territory.partition(":")
    if kind == "region":
        ref = str(w.academie_a.region_id)
    elif kind == "bassin":
        ref = str({"A1": w.bassin_a1.pk, "A2": w.bassin_a2.pk}[ref])
    elif kind == "etablissement":
        ref = str({"A1": w.school_a1.pk, "A2": w.school_a2.pk}[ref])
    elif ref:
        ref = str(ids[ref])
    param = f"{kind}:{ref}" if ref else kind
    response = client_for(role).get(INDICATORS, {"territoire": param, "annee": YEAR})
    assert response.status_code == code, response.content
    if code == 403:
        assert response.json()["detail"] == "Vous ne pouvez pas lire les chiffres de ce territoire."


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({}, "territoire"),
        ({"territoire": "academie"}, "territoire"),
        ({"territoire": "academie:abc"}, "territoire"),
        ({"territoire": "academie:-1"}, "territoire"),
        ({"territoire": "academie:99999999999"}, "territoire"),
        ({"territoire": "planete:1"}, "territoire"),
        ({"territoire": "national:1"}, "territoire"),
        ({"territoire": "national", "annee": "2026-2027"}, "annee"),
    ],
)
def test_indicators_bad_input(figures, client_for, params, key):
    response = client_for("national_admin").get(INDICATORS, params)
    assert response.status_code == 400
    assert key in response.json()
    assert "Indiquez" in response.json()[key][0]


# --- kinds ---------------------------------------------------------------------------------


def test_kinds_as_the_academie_sets_them(world, users, client_for):
    national = client_for("teacher").get("/api/v1/parcours/types/").json()
    visit = next(kind for kind in national if kind["code"] == "visite")
    assert visit == {"code": "visite", "label": "Visite d'entreprise", "items": ["visit"],
                     "academie": None}  # fmt: skip
    kind_set(user=users["academie_team"], academie=world.academie_a, code="visite",
             items=["visit", "meeting"])  # fmt: skip
    for role in ("teacher", "academie_team", "bassin_referent"):
        kinds = client_for(role).get("/api/v1/parcours/types/").json()
        visit = next(kind for kind in kinds if kind["code"] == "visite")
        assert visit["items"] == ["visit", "meeting"] and visit["academie"] == world.academie_a.pk
        assert len(kinds) == len(national)
    # The national team reads the national setting, or an académie's when asked.
    client = client_for("national_admin")
    kinds = client.get("/api/v1/parcours/types/").json()
    assert next(k for k in kinds if k["code"] == "visite")["items"] == ["visit"]
    kinds = client.get("/api/v1/parcours/types/", {"academie": world.academie_a.pk}).json()
    assert next(k for k in kinds if k["code"] == "visite")["items"] == ["visit", "meeting"]
    for value in ("abc", "999999"):
        response = client.get("/api/v1/parcours/types/", {"academie": value})
        assert response.status_code == 400 and "academie" in response.json()


# --- queries -------------------------------------------------------------------------------


def test_query_counts_do_not_grow_with_the_data(
    parcours, users, client_for, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for("teacher")
    lea = parcours.b[0]
    calls = [
        (EXPERIENCES, {}, 4),  # token, reach, count, page (nothing per row)
        (f"{EXPERIENCES}{parcours.visit.pk}/", {}, 4),  # token, reach, experience, credits
        (f"/api/v1/parcours/eleves/{lea.pk}/", {}, 6),  # + pupil, objectives, credits, journal
        ("/api/v1/parcours/classes/", {"classe": "3e B"}, 7),
    ]
    frozen = {}
    for url, params, _expected in calls:
        with django_assert_max_num_queries(50) as captured:
            assert client.get(url, params).status_code == 200
        frozen[url] = len(captured)
    for day in range(1, 6):
        class_credit(
            user=users["teacher"], establishment=parcours.school_a1, school_year=YEAR,
            class_labels=["3e B", "3e C"],
            data=ExperienceData(kind="forum", date=datetime.date(2027, 2, day)),
        )  # fmt: skip
    for i in range(5):
        add_pupil(parcours.school_a1, f"Nouveau{i}", "Sam")
    for url, params, expected in calls:
        with django_assert_num_queries(frozen[url]):
            assert client.get(url, params).status_code == 200
        assert frozen[url] == expected, (url, frozen[url])
