"""The parcours Avenir above the school (/parcours/indicateurs/) and the académie's settings
(/parcours/reglages/): who opens them, the figures (small groups hidden, the gap, the
drill-down, the trend), the exports read back, the settings saved or refused with the form
kept, and the SQL queries of each page frozen.

The world (tests/conftest.py), on 15 March 2027, roster year 2026-2027, in 3e:

- school 1 (REP+, bassin 1, académie « home »), « 3e A »: 20 priority pupils; 5 went on the
  visit, all 20 met a professional, none has a stage nor a project;
- school 2 (bassin 2, « home »), « 3e B »: 30 other pupils, a visit for 24, a meeting and a
  stage for all, a project for the 15 last, who have done all four; « 3e Q »: 3 priority
  pupils (QPV) with nothing yet;
- school 3 (académie « other »): 10 pupils, under the threshold of 11.
"""

import csv
import datetime
import io
import re
from html import unescape as html_unescape

import pytest
import time_machine
from openpyxl import load_workbook

from relais.pathways.kinds import DEFAULT_KINDS, DEFAULT_OBJECTIVES
from relais.pathways.models import ExperienceKind, Objective, SchoolStat
from relais.pathways.services import ExperienceData, class_credit, stats_refresh_all
from relais.pupils.models import Pupil
from relais.pupils.services import pupil_fill
from relais.users.enums import Role
from tests.conftest import ROLES
from tests.factories import EstablishmentFactory, make_user

YEAR = 2026
DAY = datetime.date(2027, 1, 20)
URL = "/parcours/indicateurs/"
EXPORT = "/parcours/indicateurs/export/"
SETTINGS = "/parcours/reglages/"


# --- the data ------------------------------------------------------------------------------


def national_defaults():
    """The national kinds and objectives that migration pathways 0002 loads: a transactional
    test (the browser tests) empties every table when it ends, these rows included, and a
    reused test database keeps them empty."""
    for position, (code, label, items) in enumerate(DEFAULT_KINDS):
        ExperienceKind.objects.update_or_create(
            code=code, academie=None,
            defaults={"label": label, "items": [i.value for i in items], "position": position},
        )  # fmt: skip
    for level, item in DEFAULT_OBJECTIVES:
        Objective.objects.get_or_create(academie=None, school_year=None, level=level, item=item)


@pytest.fixture(autouse=True)
def defaults(db):
    national_defaults()


def add_pupils(school, klass, count, *, year=YEAR, **flags):
    pupils = []
    for n in range(count):
        data = {"last_name": f"Élève{n:02d}", "first_name": klass, "class_label": klass,
                "level": "3e", "school_year": year, **flags}  # fmt: skip
        pupil = pupil_fill(Pupil(establishment=school), data)
        pupil.save()
        pupils.append(pupil)
    return pupils


def credit(user, school, klass, kind, absent=(), *, year=YEAR, day=DAY):
    class_credit(
        user=user, establishment=school, school_year=year, class_labels=[klass],
        data=ExperienceData(kind=kind, date=day), absent_ids=[p.pk for p in absent],
    )  # fmt: skip


def build_parcours(world, *, year=YEAR, day=DAY):
    """The pupils and credits of the module's docstring, through the real services."""
    teacher, teacher2 = world.users["teacher"], make_user(Role.TEACHER, world.school2)
    a = add_pupils(world.school, "3e A", 20, year=year)
    credit(teacher, world.school, "3e A", "visite", absent=a[:15], year=year, day=day)
    credit(teacher, world.school, "3e A", "temoignage", year=year, day=day)
    b = add_pupils(world.school2, "3e B", 30, year=year)
    credit(teacher2, world.school2, "3e B", "visite", absent=b[:6], year=year, day=day)
    credit(teacher2, world.school2, "3e B", "temoignage", year=year, day=day)
    credit(teacher2, world.school2, "3e B", "stage_3e", year=year, day=day)
    credit(teacher2, world.school2, "3e B", "mini_entreprise", absent=b[:15], year=year, day=day)
    add_pupils(world.school2, "3e Q", 3, year=year, qpv=True)
    add_pupils(world.school_other, "3e Z", 10, year=year)
    stats_refresh_all(school_year=year)


def past_stats(school, year, *, priority, pupils, complete):
    """A closed year's counts, as the nightly job left them (the trend)."""
    SchoolStat.objects.create(
        establishment=school, school_year=year, level="3e", priority=priority, pupils=pupils,
        visit=complete, meeting=complete, internship=complete, project=complete,
        complete=complete, academie_id_copy=school.academie_id, bassin_id_copy=school.bassin_id,
    )  # fmt: skip


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2027, 3, 15, 10, 0), tick=False):
        yield


@pytest.fixture
def parcours(world, frozen):
    build_parcours(world)
    past_stats(world.school, 2025, priority=True, pupils=20, complete=2)
    past_stats(world.school2, 2025, priority=False, pupils=30, complete=12)
    past_stats(world.school, 2024, priority=True, pupils=20, complete=0)
    past_stats(world.school2, 2024, priority=False, pupils=30, complete=9)
    return world


def page(client, query=""):
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200, response.content[:500]
    return response


def level(response, code="3e"):
    return next(b for b in response.context["blocks"] if b.level == code)


def rates(group):
    return [cell.value for cell in group.cells]


# --- who opens what ----------------------------------------------------------------------

DEFAULT_TERRITORY = {
    "national_admin": ("national", None),
    "academie_team": ("academie", "home"),
    "bassin_referent": ("bassin", "bassin"),
    "hub_member": ("bassin", "bassin"),
    "head_of_school": ("school", "school"),
    "teacher": ("school", "school"),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_opens_its_widest_territory_or_gets_a_403(parcours, client_for, role):
    response = client_for(parcours.users[role]).get(URL)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    elif role in DEFAULT_TERRITORY:
        kind, attr = DEFAULT_TERRITORY[role]
        territory = response.context["place"].territory
        assert response.status_code == 200
        assert (territory.kind, territory.pk) == (kind, attr and getattr(parcours, attr).pk)
    else:
        assert response.status_code == 403
        assert "réservés aux établissements" in html_unescape(response.content.decode())


# territory → roles that may read it (the others: 403)
READERS = {
    "national": {"national_admin"},
    "region:{home.region_id}": {"national_admin", "academie_team"},
    "academie:{home.pk}": {"national_admin", "academie_team"},
    "academie:{other.pk}": {"national_admin"},
    "bassin:{bassin.pk}": {"national_admin", "academie_team", "bassin_referent", "hub_member"},
    "bassin:{bassin2.pk}": {"national_admin", "academie_team"},
    "school:{school.pk}": {
        "national_admin",
        "academie_team",
        "bassin_referent",
        "hub_member",
        "head_of_school",
        "teacher",
    },  # fmt: skip
    "school:{school2.pk}": {"national_admin", "academie_team"},
}


@pytest.mark.parametrize("territory", list(READERS))
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_a_territory_is_read_by_its_own_only(world, client_for, territory, role):
    query = territory.format(**vars(world))
    client = client_for(world.users[role])
    expected = 200 if role in READERS[territory] else 403
    assert client.get(URL, {"territoire": query}).status_code == expected
    assert client.get(EXPORT, {"territoire": query}).status_code == expected


@pytest.mark.parametrize("query", ["academie:999999", "region:999999", "school:999999"])
def test_an_unknown_territory_is_a_404_for_the_nation_a_403_for_others(world, client_for, query):
    assert (
        client_for(world.users["national_admin"]).get(URL, {"territoire": query}).status_code == 404
    )
    assert (
        client_for(world.users["academie_team"]).get(URL, {"territoire": query}).status_code == 403
    )


@pytest.mark.parametrize("query", ["commune:1", "academie:abc", "academie:", "x" * 300])
def test_a_malformed_territory_is_a_404(world, client_for, query):
    client = client_for(world.users["national_admin"])
    assert client.get(URL, {"territoire": query}).status_code == 404


# --- the figures -------------------------------------------------------------------------


def test_rates_per_item_and_group_and_the_gap(parcours, client_for):
    response = page(client_for(parcours.users["academie_team"]))
    block = level(response)
    assert block.everyone.figures.pupils == 53
    assert rates(block.everyone) == [54.7, 94.3, 56.6, 28.3, 28.3]
    assert (block.priority.figures.pupils, block.others.figures.pupils) == (23, 30)
    assert rates(block.priority) == [21.7, 87.0, 0.0, 0.0, 0.0]
    assert rates(block.others) == [80.0, 100.0, 100.0, 50.0, 50.0]
    # Priority pupils lag behind by this many points.
    assert [cell.value for cell in block.gaps] == [58.3, 13.0, 100.0, 50.0, 50.0]
    html = response.content.decode()
    assert "58,3" in html and "21,7" in html
    assert "Écart prioritaires / autres (points)" in html


def test_a_group_of_ten_pupils_shows_no_rate(parcours, client_for):
    client = client_for(parcours.users["national_admin"])
    response = page(client, f"?territoire=academie:{parcours.other.pk}")
    block = level(response)
    assert block.everyone.pupils_text == "< 11"
    assert rates(block.everyone) == [None] * 5
    assert [cell.note for cell in block.everyone.cells] == ["secret statistique"] * 5
    assert [cell.value for cell in block.gaps] == [None] * 5
    html = response.content.decode()
    assert "&lt; 11" in html and "Secret statistique (moins de 11 élèves)" in html
    # Nor in the nation's drill-down, nor in its export.
    national = page(client)
    other = next(
        row for row in national.context["children"] if row.territory.pk == parcours.other.pk
    )
    assert other.everyone.pupils_text == "< 11" and other.everyone.complete.value is None
    rows = read_csv(client.get(EXPORT, {"tableau": "territoires"}))
    assert rows[1 + [r[0] for r in rows[1:]].index(str(parcours.other))][4:10] == [
        "< 11",
        *["secret statistique"] * 5,
    ]


def test_the_other_group_is_hidden_too_when_one_is_small(parcours, client_for):
    """School 2 has 3 priority pupils: its 30 others are hidden too, or 33 − 30 would tell."""
    client = client_for(parcours.users["academie_team"])
    block = level(page(client, f"?territoire=school:{parcours.school2.pk}"))
    assert block.everyone.figures.pupils == 33 and block.everyone.cells[0].value == 72.7
    assert block.priority.pupils_text == "< 11" and block.priority.secret
    assert block.others.pupils_text == "30" and block.others.secret
    assert rates(block.others) == [None] * 5
    assert [cell.note for cell in block.gaps] == ["secret statistique"] * 5


def test_the_drill_down_from_the_nation_to_a_school(parcours, client_for):
    client = client_for(parcours.users["national_admin"])
    national = page(client)
    assert [row.name for row in national.context["children"]] == [
        "Académie d'Ailleurs", "Académie de Maison"
    ]  # fmt: skip
    home = next(row for row in national.context["children"] if row.name == "Académie de Maison")
    assert home.everyone.figures.pupils == 53 and home.gap.value == 50.0
    académie = page(client, home.url[len(URL) :])
    assert académie.context["place"].territory.pk == parcours.home.pk
    bassins = {row.name: row for row in académie.context["children"]}
    assert set(bassins) == {"Bassin Un", "Bassin Deux"}
    one, two = bassins["Bassin Un"], bassins["Bassin Deux"]
    assert one.priority.figures.pupils == 20 and one.others.empty and one.gap.note == "—"
    assert two.priority.pupils_text == "< 11" and two.others.secret and two.gap.value is None
    assert two.everyone.complete.value == 45.5
    bassin = page(client, one.url[len(URL) :])
    [school] = bassin.context["children"]
    assert school.name == parcours.school.name and school.everyone.figures.pupils == 20
    school_page = page(client, school.url[len(URL) :])
    assert school_page.context["children"] == []
    names = [name for name, _url in school_page.context["breadcrumb"]]
    assert names == ["Toutes les académies", "Région académique Région Une",
                     "Académie de Maison", "Bassin Un"]  # fmt: skip


def test_the_region_links_only_the_academies_the_team_reads(parcours, client_for):
    neighbour = type(parcours.other).objects.create(
        code="93", name="Voisine", region=parcours.home.region
    )
    add_pupils(EstablishmentFactory(academie=neighbour), "3e V", 12)
    stats_refresh_all(school_year=YEAR)
    client = client_for(parcours.users["academie_team"])
    response = page(client, f"?territoire=region:{parcours.home.region_id}")
    links = {row.name: row.url for row in response.context["children"]}
    assert set(links) == {"Académie de Maison", "Académie de Voisine"}
    assert links["Académie de Maison"] and not links["Académie de Voisine"]
    assert client.get(URL, {"territoire": f"academie:{neighbour.pk}"}).status_code == 403


def test_the_level_chooses_the_drill_down(parcours, client_for):
    client = client_for(parcours.users["academie_team"])
    response = page(client, "?niveau=4e")
    assert response.context["level"] == "4e" and response.context["children"] == []
    assert "Aucun élève de 4e" in response.content.decode()
    assert page(client, "?niveau=nimporte").context["level"] == "3e"


def test_the_trend_over_five_years(parcours, client_for):
    response = page(client_for(parcours.users["academie_team"]))
    trend = {row.year: row for row in response.context["trend"]}
    assert list(trend) == [2024, 2025, 2026]  # 2022 and 2023: no pupil, left out
    assert (trend[2024].priority.complete.value, trend[2024].others.complete.value) == (0.0, 30.0)
    assert (trend[2025].priority.complete.value, trend[2025].others.complete.value) == (10.0, 40.0)
    assert trend[2025].gap.value == 30.0
    # 2026: the three QPV pupils of school 2 are priority pupils too.
    assert trend[2026].priority.figures.pupils == 23 and trend[2026].gap.value == 50.0


def test_an_earlier_year_is_read_from_its_kept_counts(parcours, client_for):
    response = page(client_for(parcours.users["academie_team"]), "?annee=2025")
    block = level(response)
    assert rates(block.priority)[-1] == 10.0 and block.gaps[-1].value == 30.0
    assert response.context["year_label"] == "2025-2026"


def test_the_charts_are_accessible_svg_images(parcours, client_for):
    html = page(client_for(parcours.users["academie_team"])).content.decode()
    assert html.count('<svg role="img"') == 3
    for ident in ("chart-level", "chart-children", "chart-trend"):
        assert f'aria-labelledby="{ident}-title {ident}-desc"' in html
        assert f'<title id="{ident}-title">' in html
    # Geometry is never localised (« 12,5 » would break the SVG) nor put in a style attribute.
    assert 'width="155"' in html  # 45.5 % of 340: bassin 2's complete parcours
    assert "style=" not in html.split("<main", 1)[1]


def test_school_staff_get_a_link_to_their_school(parcours, client_for):
    html = page(client_for(parcours.users["teacher"])).content.decode()
    assert f"/parcours/etablissements/{parcours.school.pk}/" in html
    national = page(
        client_for(parcours.users["national_admin"]), f"?territoire=school:{parcours.school.pk}"
    )
    assert f"/parcours/etablissements/{parcours.school.pk}/" not in national.content.decode()


# --- exports -----------------------------------------------------------------------------


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def read_xlsx(response):
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_csv_exports_of_every_table(parcours, client_for):
    client = client_for(parcours.users["academie_team"])
    levels = read_csv(client.get(EXPORT, {"tableau": "niveaux"}))
    assert levels[0][:5] == ["Territoire", "Année scolaire", "Niveau", "Groupe", "Élèves"]
    assert levels[0][5:] == ["Une visite (%)", "Une rencontre (%)", "Un stage (%)",
                             "Un projet (%)", "Parcours complet (%)"]  # fmt: skip
    assert levels[1:] == [
        ["Académie de Maison", "2026-2027", "3e", "Tous les élèves", "53",
         "54.7", "94.3", "56.6", "28.3", "28.3"],
        ["Académie de Maison", "2026-2027", "3e", "Élèves prioritaires", "23",
         "21.7", "87.0", "0.0", "0.0", "0.0"],
        ["Académie de Maison", "2026-2027", "3e", "Autres élèves", "30",
         "80.0", "100.0", "100.0", "50.0", "50.0"],
        ["Académie de Maison", "2026-2027", "3e", "Écart prioritaires / autres (points)", "",
         "58.3", "13.0", "100.0", "50.0", "50.0"],
    ]  # fmt: skip
    children = read_csv(client.get(EXPORT, {"tableau": "territoires"}))
    assert [row[0] for row in children[1:]] == ["Bassin Deux", "Bassin Un"]
    assert children[1][-5:] == ["< 11", "secret statistique", "30", "secret statistique",
                                "secret statistique"]  # fmt: skip
    trend = read_csv(client.get(EXPORT, {"tableau": "evolution"}))
    assert trend[0][0:3] == ["Territoire", "Année scolaire", "Niveau"]
    assert trend[-2][1:] == ["2025-2026", "3e", "20", "10.0", "30", "40.0", "30.0"]


def test_xlsx_exports_hold_numbers(parcours, client_for):
    client = client_for(parcours.users["academie_team"])
    rows = read_xlsx(client.get(EXPORT, {"tableau": "niveaux", "format": "xlsx"}))
    assert rows[2][3:] == ["Élèves prioritaires", 23, 21.7, 87.0, 0.0, 0.0, 0.0]
    assert rows[4][9] == 50.0
    query = {"tableau": "niveaux", "format": "xlsx", "territoire": f"school:{parcours.school2.pk}"}
    school2 = read_xlsx(client.get(EXPORT, query))
    assert school2[2][4:] == ["< 11", *["secret statistique"] * 5]
    assert school2[3][4:] == [30, *["secret statistique"] * 5]
    trend = read_xlsx(client.get(EXPORT, {"tableau": "evolution", "format": "xlsx"}))
    assert trend[-1][1:] == ["2026-2027", "3e", 23, 0.0, 30, 50.0, 50.0]
    response = client.get(EXPORT, {"tableau": "territoires", "format": "xlsx"})
    assert (
        f"parcours-avenir-territoires-academie-{parcours.home.pk}-2026.xlsx"
        in response["Content-Disposition"]
    )
    assert client.get(EXPORT, {"tableau": "eleves"}).status_code == 404


# --- queries -----------------------------------------------------------------------------


def more_schools(world, count):
    """More schools with counts in every territory: the queries do not grow with them."""
    for n in range(count):
        school = EstablishmentFactory(academie=world.home, bassin=world.bassin, rep=n % 2 == 0)
        past_stats(school, YEAR, priority=n % 2 == 0, pupils=15 + n, complete=n)


PAGES = [
    # role, query, queries
    ("national_admin", "", 7),
    ("academie_team", "", 8),
    ("academie_team", "?territoire=region:{home.region_id}", 8),
    ("bassin_referent", "", 8),
    ("hub_member", "?territoire=school:{school.pk}", 7),
    ("head_of_school", "", 6),
]


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(("role", "query", "queries"), PAGES)
def test_indicators_query_counts(
    parcours, client_for, django_assert_num_queries, count, role, query, queries
):
    more_schools(parcours, count)
    client = client_for(parcours.users[role])
    path = URL + query.format(**vars(parcours))
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize(("table", "queries"), [("niveaux", 5), ("territoires", 6),
                                                ("evolution", 5)])  # fmt: skip
def test_export_query_counts(
    parcours, client_for, django_assert_num_queries, count, table, queries
):
    more_schools(parcours, count)
    client = client_for(parcours.users["academie_team"])
    with django_assert_num_queries(queries):
        response = client.get(EXPORT, {"tableau": table, "format": "xlsx"})
        assert response.status_code == 200


@pytest.mark.parametrize(("role", "query", "queries"), [
    ("academie_team", "", 8),
    ("national_admin", "", 7),
    ("national_admin", "?academie={home.pk}", 8),
])  # fmt: skip
@pytest.mark.parametrize("count", [1, 4])
def test_settings_query_counts(
    parcours, client_for, django_assert_num_queries, role, query, queries, count
):
    pairs = [("6e", "forum"), ("5e", "jury"), ("4e", "visite"), ("2nde", "pfmp")]
    for level, code in pairs[:count]:
        Objective.objects.create(academie=parcours.home, level=level, item="visit")
        ExperienceKind.objects.create(
            academie=parcours.home, code=code, label="Réglé", items=["meeting"]
        )
    client = client_for(parcours.users[role])
    with django_assert_num_queries(queries):
        assert client.get(SETTINGS + query.format(**vars(parcours))).status_code == 200


# --- settings ------------------------------------------------------------------------------


def kinds_post(response, **changes):
    """The kinds form as shown, with ``changes`` (code → items)."""
    form = response.context["kinds_form"]
    data = {kind.field: list(kind.items) for kind in form.kinds}
    data.update({f"kind_{code}": items for code, items in changes.items()})
    return data


@pytest.mark.parametrize("role", ROLES)
def test_settings_per_role(world, client_for, role):
    response = client_for(world.users[role]).get(SETTINGS)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in ("national_admin", "academie_team"):
        assert response.status_code == 200
        assert response.context["academie"] == (world.home if role == "academie_team" else None)
    else:
        assert response.status_code == 403
        assert "réservés à l'équipe académique" in html_unescape(response.content.decode())


def test_the_team_sets_its_academie_not_the_nation_nor_another(world, client_for):
    client = client_for(world.users["academie_team"])
    assert client.get(SETTINGS, {"academie": "national"}).status_code == 403
    assert client.get(SETTINGS, {"academie": world.other.pk}).status_code == 403
    assert client.get(SETTINGS, {"academie": "999999"}).status_code == 403
    assert client.post(f"{SETTINGS}?academie={world.other.pk}", {}).status_code == 403
    national = client_for(world.users["national_admin"])
    assert national.get(SETTINGS, {"academie": world.other.pk}).status_code == 200
    assert national.get(SETTINGS, {"academie": "999999"}).status_code == 404


def test_the_academie_replaces_a_kind_and_only_that_one(world, client_for):
    client = client_for(world.users["academie_team"])
    shown = client.get(SETTINGS)
    response = client.post(SETTINGS, kinds_post(shown, forum=["visit", "meeting"]))
    assert response.status_code == 302
    own = ExperienceKind.objects.filter(academie=world.home)
    assert [(k.code, k.items) for k in own] == [("forum", ["visit", "meeting"])]
    assert ExperienceKind.objects.get(code="forum", academie=None).items == ["meeting"]
    page_after = html_unescape(client.get(SETTINGS).content.decode())
    assert "Réglage propre à l'académie." in page_after


def test_a_kind_without_item_is_refused_and_nothing_is_lost(world, client_for):
    client = client_for(world.users["academie_team"])
    data = kinds_post(client.get(SETTINGS), forum=["visit", "meeting"])
    data.pop("kind_visite")  # no box ticked
    response = client.post(SETTINGS, data)
    assert response.status_code == 400
    form = response.context["kinds_form"]
    assert form.errors == {"kind_visite": ["Choisissez au moins un élément du parcours."]}
    assert form["kind_forum"].value() == ["visit", "meeting"]  # what was typed stays
    html = response.content.decode()
    assert 'id="id_kind_visite-desc-error"' in html or "fr-fieldset--error" in html
    assert not ExperienceKind.objects.filter(academie=world.home).exists()


def test_the_nation_sets_the_default(world, client_for):
    client = client_for(world.users["national_admin"])
    data = kinds_post(client.get(SETTINGS), jury=["meeting", "project"])
    assert client.post(f"{SETTINGS}?academie=national", data).status_code == 302
    assert ExperienceKind.objects.get(code="jury", academie=None).items == ["meeting", "project"]
    assert not ExperienceKind.objects.filter(academie__isnull=False).exists()


def test_objectives_added_and_removed(world, client_for, frozen):
    client = client_for(world.users["academie_team"])
    add = f"{SETTINGS}objectifs/"
    response = client.post(add, {"level": "4e", "item": "visit", "school_year": "2026"})
    assert response.status_code == 302
    objective = Objective.objects.get(academie=world.home)
    assert (objective.level, objective.item, objective.school_year) == ("4e", "visit", 2026)
    html = client.get(SETTINGS).content.decode()
    assert "4e : une visite" in html  # the académie's 4e objective, this year
    assert "3e : une visite, une rencontre, un stage, un projet" in html  # national, kept
    # The national default is not the team's to remove; its own objective is.
    national = Objective.objects.filter(academie=None).first()
    assert client.post(f"{add}{national.pk}/supprimer/").status_code == 403
    assert client.post(f"{add}{objective.pk}/supprimer/").status_code == 302
    assert not Objective.objects.filter(academie=world.home).exists()


def test_an_objective_with_an_error_keeps_what_was_typed(world, client_for, frozen):
    client = client_for(world.users["academie_team"])
    response = client.post(f"{SETTINGS}objectifs/", {"item": "project", "school_year": "2026"})
    assert response.status_code == 400
    form = response.context["objective_form"]
    assert list(form.errors) == ["level"]
    assert form["item"].value() == "project" and form["school_year"].value() == "2026"
    assert not Objective.objects.filter(academie=world.home).exists()
    assert client.post(f"{SETTINGS}objectifs/?academie={world.other.pk}",
                       {"level": "4e", "item": "visit"}).status_code == 403  # fmt: skip


# --- the menu ------------------------------------------------------------------------------

MENU = {
    "national_admin": {"Indicateurs", "Réglages"},
    "academie_team": {"Indicateurs", "Réglages"},
    "bassin_referent": {"Indicateurs"},
    "hub_member": {"Indicateurs"},
    "head_of_school": {"Suivi de l'établissement", "Indicateurs"},
    "teacher": {"Suivi de l'établissement", "Indicateurs"},
}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_menu_entry_per_role(world, client_for, role):
    html = client_for(world.users[role]).get("/").content.decode()
    menu = re.search(r'id="menu-pathways">(.*?)</div>', html, re.S)
    assert bool(menu) == (role in MENU)
    if menu:
        links = re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', menu.group(1))
        assert {html_unescape(label) for _url, label in links} == MENU[role]
    # The dashboard's link goes with the menu.
    assert ('href="/parcours/">Parcours Avenir' in html) == (role in MENU)
