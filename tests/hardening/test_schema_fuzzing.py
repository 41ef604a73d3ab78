"""Schemathesis against the OpenAPI document a real ``anb serve`` serves, as a signed-in player.

Every operation gets up to ``MAX_EXAMPLES`` generated requests with valid data and as many with
invalid data (bodies, queries, ids);
each answer must not be a 5xx and must match the document: its status code, content type, headers
and body schema. Failures are gathered over all operations before the test fails, so one run shows
every defect.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bench.harness.processes import anb_serve
from bench.harness.signup import signup_body
from tests.support.accounts import bearer

# About 40 operations (both accounts path families included): a minute or two on this machine.
MAX_EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Limits high enough for the fuzzer to reach the routes' own logic (429s are tested in test_abuse.py).
GENEROUS = "100000/minute"
LIMITS = ("VOTE_PER_USER", "VOTE_PER_ADDRESS", "SIGNUP_PER_ADDRESS", "LOGIN_PER_ADDRESS", "UPLOAD_PER_USER")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("fuzz")
    env = {
        "ANB_DATA_DIR": str(folder / "data"),
        **{f"ANB_RATE_LIMIT__{name}": GENEROUS for name in LIMITS},
    }
    with anb_serve(env, folder / "serve.log", workers=1) as base_url:
        body = signup_body()
        httpx.post(f"{base_url}/api/auth/signup", json=body, timeout=30).raise_for_status()
        login = httpx.post(
            f"{base_url}/api/auth/login", json={"email": body["email"], "password": body["password1"]}, timeout=30
        )
        yield base_url, bearer(login.json()["access_token"])


def test_generated_requests_get_documented_answers_and_never_a_5xx(
    served: tuple[str, dict[str, str]], capsys: pytest.CaptureFixture[str]
) -> None:
    base_url, auth = served
    schema = schemathesis.openapi.from_url(f"{base_url}/api/openapi.json")
    answers: Counter[tuple[str, int]] = Counter()
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation, mode in itertools.product(operations, GenerationMode):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def answers_as_documented(case: schemathesis.Case) -> None:
            response = case.call_and_validate(base_url=base_url, headers=auth, checks=CHECKS, timeout=60)
            answers[case.operation.label, response.status_code] += 1

        try:
            answers_as_documented()
        except Unsatisfiable:
            continue  # nothing in this operation can be made invalid (no parameters, or only a free-form id)
        # Schemathesis raises a (Base)ExceptionGroup of failures; gathered, one run shows every defect.
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label} ({mode.value}): {exc}")
    generated = sum(answers.values())
    by_status = Counter(status for _, status in answers.elements())
    with capsys.disabled():  # shown in every run, not only with -s
        print(f"\nschemathesis: {generated} generated cases over {len(operations)} operations, {len(failures)} failing")
        print("answers by status:", dict(sorted(by_status.items())))
    assert not failures, "\n\n".join(failures)
    # The player's token reached the routes: bearer-only ones answered as that player.
    assert answers["GET /api/auth/me", 200] and answers["GET /api/videos", 200], answers
