"""The parcours Avenir API over real HTTP (issue 10, item 6), as the pupils' school's staff:
the one-call class credit with its « Location », then schemathesis on every parcours
operation with real identifiers (an experience recorded by the school, a stage of the
pôle, a pupil), valid and invalid requests: no server error, every answer as the schema
says. The fuzz run of test_fuzz.py covers the same operations as the académie team and an
organisation's representative, for whom they hold no pupil."""

import datetime
import logging

import pytest
import schemathesis
from schemathesis import GenerationMode

from relais.core.clock import today
from relais.pathways.kinds import DEFAULT_KINDS, DEFAULT_OBJECTIVES
from relais.pathways.models import ExperienceKind, Objective
from relais.pathways.services import ExperienceData, class_credit, internship_record
from relais.pupils.models import Pupil
from relais.pupils.services import pupil_fill
from relais.pupils.years import roster_year_of

from .test_fuzz import Pass, run_cases, strategies

PREFIX = "/api/v1/parcours/"


def default_settings():
    """The national kinds and objectives of migration pathways 0002: a transactional test
    empties every table when it ends, rows of data migrations included."""
    for position, (code, label, items) in enumerate(DEFAULT_KINDS):
        ExperienceKind.objects.update_or_create(
            code=code, academie=None,
            defaults={"label": label, "items": [i.value for i in items], "position": position},
        )  # fmt: skip
    for level, item in DEFAULT_OBJECTIVES:
        Objective.objects.get_or_create(academie=None, school_year=None, level=level, item=item)


@pytest.fixture
def parcours(world, users):
    default_settings()
    w = world
    year = roster_year_of(today())
    pupils = []
    for i, (last, first) in enumerate((("Martin", "Léa"), ("Diallo", "Moussa"), ("Petit", "Inès"))):
        data = {"last_name": last, "first_name": first, "class_label": "3e B" if i < 2 else "3e C",
                "level": "3e", "school_year": year}  # fmt: skip
        pupil = pupil_fill(Pupil(establishment=w.school_a1), data)
        pupil.save()
        pupils.append(pupil)
    visit = class_credit(
        user=users["teacher"], establishment=w.school_a1, school_year=year,
        class_labels=["3e B"],
        data=ExperienceData(kind="visite", date=datetime.date(year, 11, 5), title="Visite"),
    )  # fmt: skip
    stage = internship_record(
        pupil=pupils[0], kind="stage_3e", date=datetime.date(year + 1, 1, 12),
        organisation=w.company_a, place="", source_ref="internships.placement:1",
    )  # fmt: skip
    return (
        {
            f"{PREFIX}experiences/": {"id": [visit.pk, stage.pk]},
            f"{PREFIX}eleves/": {"id": [p.pk for p in pupils]},
        },
        pupils,
        year,
    )


def test_a_class_is_credited_over_http(api_as, parcours):
    _known, pupils, year = parcours
    api = api_as("teacher")
    response = api.post(
        f"{PREFIX}experiences/",
        {
            "kind": "forum",
            "date": f"{year + 1}-02-03",
            "classes": ["3e B", "3e C"],
            "absent_ids": [pupils[1].pk],
            "school_year": year,
        },  # fmt: skip
    )
    assert response.status_code == 201, response.text
    assert response.json()["participants"] == 2
    again = api.get(response.headers["Location"])
    assert again.status_code == 200 and again.json()["id"] == response.json()["id"]
    status = api.get(f"{PREFIX}eleves/{pupils[0].pk}/").json()["status"]
    assert status["visit"] in ("done", "planned") and status["meeting"] in ("done", "planned")


def test_parcours_fuzzing_as_the_school_finds_no_server_error(api_as, parcours, caplog):
    caplog.set_level(logging.ERROR, logger="django")
    known, _pupils, _year = parcours
    api = api_as("teacher")
    schema = schemathesis.openapi.from_url(api.url("/api/schema/"))
    fuzz_pass = Pass("teacher", (GenerationMode.POSITIVE, GenerationMode.NEGATIVE), 6)
    operations, cases, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(PREFIX):
            continue
        operations += 1
        for label, strategy in strategies(operation, known, fuzz_pass.modes):
            count, failure = run_cases(api, strategy, fuzz_pass.examples)
            cases += count
            if failure is not None:
                failures.append(f"{operation.label} ({label}) :\n{failure}")
    assert operations == 9
    assert cases >= 4 * operations
    assert not failures, "\n\n".join(failures)


def test_every_parcours_get_answers_what_the_schema_declares(api_as, parcours, world):
    known, pupils, year = parcours
    experiences = known[f"{PREFIX}experiences/"]["id"]
    checked = []
    for role in ("teacher", "academie_team", "national_admin"):
        api = api_as(role)
        schema = schemathesis.openapi.from_url(api.url("/api/schema/"))
        paths = {
            "/api/v1/parcours/experiences/": [""],
            "/api/v1/parcours/experiences/{id}/": [str(i) for i in experiences],
            "/api/v1/parcours/eleves/{id}/": [str(pupils[0].pk)],
            "/api/v1/parcours/classes/": [f"?classe=3e%20B&annee={year}"],
            "/api/v1/parcours/indicateurs/": [f"?territoire=academie:{world.academie_a.pk}",
                                              "?territoire=national"],
            "/api/v1/parcours/types/": [""],
        }  # fmt: skip
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.method.upper() != "GET" or operation.path not in paths:
                continue
            for suffix in paths[operation.path]:
                path = (
                    operation.path.replace("{id}", suffix)
                    if "{id}" in operation.path
                    else (operation.path + suffix)
                )
                response = api.get(path)
                assert response.status_code < 500, f"{role} GET {path}"
                operation.validate_response(response)
                checked.append((role, path, response.status_code))
    assert ("teacher", f"/api/v1/parcours/eleves/{pupils[0].pk}/", 200) in checked
    assert ("academie_team", f"/api/v1/parcours/indicateurs/?territoire=academie:"
            f"{world.academie_a.pk}", 200) in checked  # fmt: skip
    assert len(checked) >= 20
