"""The API fuzzed over real HTTP: schemathesis generates requests from the OpenAPI schema
(``/api/schema/``) for every operation and sends them to ``live_server``; no answer may be a
server error (5xx, including the faults that only a real WSGI server shows, such as a header
value it refuses) and every answer must match the schema.

Each operation gets requests with generated path identifiers (mostly unknown: 404), then
with the identifiers of real objects of the committed world of ``conftest.py``, so that the
code behind the lookup runs. The académie team (the broadest reach below national) sends
valid and invalid requests (``GenerationMode.POSITIVE`` and ``NEGATIVE``); an organisation's
representative then sends valid ones. Hypothesis is derandomized and the identifiers start
from 1 in each test (the same cases on every run, under ``-n 2`` as alone), without
deadline, shrinking nor example database; writes go to the test database only. A pass takes
one to two minutes here; ``print`` reports the operations, requests and seconds (``-s``).
"""

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from .conftest import Api, identifiers_for

CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass(frozen=True)
class Pass:
    role: str
    modes: tuple[GenerationMode, ...]
    examples: int  # per operation, per mode, per kind of path identifiers


PASSES = [
    Pass("academie_team", (GenerationMode.POSITIVE, GenerationMode.NEGATIVE), 4),
    Pass("organisation_rep", (GenerationMode.POSITIVE,), 3),
]


def fuzz_settings(examples: int):
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )


def negatable(operation, *, fixed_path: bool) -> bool:
    """Whether an invalid request can be generated: a body or a query parameter, or a path
    parameter whose schema constrains it (an integer), when it is not fixed. Otherwise
    hypothesis would search at length before giving up (``Unsatisfiable``)."""
    raw = operation.definition.raw
    parameters = raw.get("parameters", [])
    if "requestBody" in raw or any(p.get("in") == "query" for p in parameters):
        return True
    return not fixed_path and any(
        p.get("in") == "path" and p.get("schema", {}).get("type") != "string" for p in parameters
    )


def strategies(operation, known, modes) -> Iterator[tuple[str, object]]:
    """(label, strategy) pairs: generated identifiers, then real ones when the path has any."""
    parameters = identifiers_for(operation.path, known) if "{" in operation.path else None
    for mode in modes:
        negative = mode == GenerationMode.NEGATIVE
        if not negative or negatable(operation, fixed_path=False):
            yield f"{mode.value}", operation.as_strategy(generation_mode=mode)
        if not parameters or (negative and not negatable(operation, fixed_path=True)):
            continue
        names = [name for name in parameters if "{" + name + "}" in operation.path]
        combos = [{}]
        for name in names:
            combos = [combo | {name: value} for combo in combos for value in parameters[name]]
        real = [operation.as_strategy(generation_mode=mode, path_parameters=c) for c in combos]
        yield f"{mode.value}, identifiants réels", st.one_of(real)


def run_cases(api: Api, strategy, examples: int) -> tuple[int, BaseException | None]:
    """Send the cases of ``strategy``; return how many, and the failure found (or None)."""
    sent = []

    @fuzz_settings(examples)
    @given(case=strategy)
    def run(case):
        sent.append(case)
        case.call_and_validate(
            base_url=api.base_url,
            session=api.session,
            headers=api.headers,
            checks=CHECKS,
            timeout=30,
        )

    try:
        run()
    except Unsatisfiable:
        pass  # hypothesis found nothing to send (every draw filtered out)
    except (Exception, BaseExceptionGroup) as error:  # every failure reported at the end
        return len(sent), error
    return len(sent), None


def fuzz(api: Api, known: dict, fuzz_pass: Pass) -> tuple[int, int, list[str]]:
    """Run every operation; return (operations, cases, failures)."""
    schema = schemathesis.openapi.from_url(api.url("/api/schema/"))
    operations, cases, failures = 0, 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for label, strategy in strategies(operation, known, fuzz_pass.modes):
            count, failure = run_cases(api, strategy, fuzz_pass.examples)
            cases += count
            if failure is not None:
                failures.append(f"{operation.label} ({label}) :\n{failure}")
    return operations, cases, failures


@pytest.mark.parametrize("fuzz_pass", PASSES, ids=lambda p: p.role)
def test_api_fuzzing_finds_no_server_error_and_no_schema_mismatch(api_as, known, fuzz_pass, caplog):
    caplog.set_level(logging.ERROR, logger="django")  # not the thousands of 400 and 404
    started = time.monotonic()
    operations, cases, failures = fuzz(api_as(fuzz_pass.role), known, fuzz_pass)
    elapsed = time.monotonic() - started
    print(f"\n{fuzz_pass.role} : {operations} opérations, {cases} requêtes, {elapsed:.0f} s")
    assert operations >= 90
    assert cases >= 4 * operations
    assert not failures, f"{len(failures)} défauts sur {operations} opérations :\n\n" + (
        "\n\n".join(failures)
    )
