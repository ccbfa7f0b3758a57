"""The OpenAPI schema tells the truth (issue 17, item 11): every GET of the API, on the list
and on real objects whose optional fields are empty (a campus without head établissement, a
club member who is an organisation, a reservist seen alone, a draft convention without any
date, a terminated one, an avenant), answers what ``/api/schema/`` declares: each field
present, of its type, null only where the schema says it may be."""

import logging

import schemathesis

from .conftest import identifiers_for


def path_of(operation, known) -> list[str]:
    """The operation's path filled with every real identifier it can take."""
    if "{" not in operation.path:
        return [operation.path]
    parameters = identifiers_for(operation.path, known) or {}
    paths = [operation.path]
    for name, values in parameters.items():
        if "{" + name + "}" in operation.path:
            paths = [p.replace("{" + name + "}", str(v)) for p in paths for v in values]
    return [p for p in paths if "{" not in p]


def test_every_get_answers_what_the_schema_declares(api_as, known, caplog):
    caplog.set_level(logging.ERROR, logger="django")
    mismatches, checked = [], 0
    for role in ("academie_team", "organisation_rep", "teacher"):
        api = api_as(role)
        schema = schemathesis.openapi.from_url(api.url("/api/schema/"))
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.method.upper() != "GET":
                continue
            for path in path_of(operation, known):
                response = api.get(path)
                checked += 1
                assert response.status_code < 500, f"{role} GET {path}: {response.status_code}"
                try:
                    operation.validate_response(response)
                except (AssertionError, BaseExceptionGroup) as error:
                    mismatches.append(f"{role} GET {path} ({response.status_code}) :\n{error}")
    assert checked > 100
    assert not mismatches, f"{len(mismatches)} réponses hors schéma :\n\n" + "\n\n".join(mismatches)
