"""The whole API fuzzed with schemathesis against the committed schema (docs/openapi.yaml), as a
demo coordinator with a read-write API token, through the WSGI application.

Bounded, so that it runs in the suite on both databases: API_FUZZ_EXAMPLES examples per
operation (default 4) that follow the schema, checked for no server error and a response
(status code, content type, body) as the schema says; API_FUZZ_NEGATIVE_EXAMPLES (default 0:
opt-in) that break it, checked for no server error. Derandomised (the same requests every
run), no example database, every example in a savepoint that is rolled back (each request
sees the demo as loaded). Every failure of every operation is reported at once, not only the first.

The status code is checked against the schema too: every operation documents its error
answers (400, 401, 403, 404, 409 on a DELETE, 412 with If-Match, 429;
`samverkan.core.schema.document_error_responses`), which are the right answers to generated
ids and values."""
from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signals
from django.core.cache import caches
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

SCHEMA = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"
EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "4"))
# Requests that break the schema on purpose (wrong types, missing fields, out-of-range values):
# they must be refused, never answered with a server error.
NEGATIVE_EXAMPLES = int(os.environ.get("API_FUZZ_NEGATIVE_EXAMPLES", "0"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
pytestmark = pytest.mark.slow


@pytest.fixture
def demo(db, settings):
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    call_command("load_demo", stdout=io.StringIO())
    # The application is called directly (no test client): keep the test's connection and
    # its transaction open across requests, as Django's test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _token_for(username: str) -> str:
    from django.contrib.auth import get_user_model

    from samverkan.accounts.services import create_token

    user = get_user_model().objects.get(username=username)
    _token, key = create_token(user=user, name="schemathesis", scope="write", days=30,
                               second_factor=False)
    return key


def _failure_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return text[:1500]


def test_the_api_answers_as_its_schema_says(demo):
    schema = schemathesis.openapi.from_path(SCHEMA)
    schema.app = get_wsgi_application()
    headers = {"Authorization": f"Bearer {_token_for('samordnare')}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    failures: dict[str, str] = {}
    requests = 0

    def fuzz(operation, mode, examples, checks):
        label = f"{operation.method.upper()} {operation.path}"
        if mode == GenerationMode.NEGATIVE:
            label += " (invalid input)"

        @hypothesis_settings(max_examples=examples, derandomize=True, database=None,
                             deadline=None, phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            nonlocal requests
            if label in failures:  # one failure per operation is enough, and no shrinking
                return
            caches["throttle"].clear()  # thousands of requests in a minute are the point here
            with transaction.atomic():
                try:
                    response = case.call(headers=headers)
                    requests += 1
                    case.validate_response(response, checks=checks, headers=headers)
                except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported below
                    failures[label] = _failure_text(exc)
                finally:
                    transaction.set_rollback(True)

        run()

    for operation in operations:
        fuzz(operation, GenerationMode.POSITIVE, EXAMPLES, CHECKS)
        if NEGATIVE_EXAMPLES:
            fuzz(operation, GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES, [not_a_server_error])

    print(f"{len(operations)} operations, {requests} requests, {len(failures)} failing")
    assert requests >= len(operations)
    assert not failures, f"{len(failures)} operations fail:\n\n" + "\n\n".join(
        f"== {label}\n{text}" for label, text in sorted(failures.items()))
