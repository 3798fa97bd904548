"""The OpenAPI schema, and schemathesis run against it in-process (the WSGI app, no
network): for every operation, generated requests get no 5xx and every response matches
the schema (status code, content type, body)."""

import secrets

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from employers.models import ApiScope
from tests.api.conftest import token_client
from tests.employers.factories import (
    ApplicationFactory,
    SharedCredentialFactory,
    VerificationRunFactory,
)

EXAMPLES_PER_OPERATION = 40


def test_schema_is_served_and_lists_every_endpoint(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/openings/",
        "/api/v1/openings/{id}/",
        "/api/v1/openings/{id}/applications/",
        "/api/v1/general-shares/",
        "/api/v1/applications/{id}/",
        "/api/v1/applications/{id}/decisions/",
        "/api/v1/me/credentials/",
        "/api/v1/me/credentials/{id}/",
        "/credentials/verify",
        "/presentations/verify",
    }
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_page_loads_its_script_from_the_site(client, db):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    # The CSP allows no inline script or style.
    assert b"<script>" not in page.content
    assert b"<style" not in page.content
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in page.content
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert b"/api/schema/" in script.content


@pytest.fixture
def wsgi_app():
    # Django's own test client does the same: with the test's transaction open, closing
    # the connection at the end of a request would lose the test data.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_conforms_to_its_schema(wsgi_app, owner, share, applicant, settings, client):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"api": "100000/minute"},
    }
    # Data for the generated ids to hit now and then: rows with small primary keys.
    for _ in range(3):
        more = SharedCredentialFactory(
            application=ApplicationFactory(opening=share.application.opening)
        )
        VerificationRunFactory(credential=more.credential)
    secret = token_client(owner, ApiScope.READ_WRITE).secret
    client.force_login(applicant)
    csrf = secrets.token_hex(16)  # 32 characters: Django accepts the same value in both places
    session_cookies = {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf}

    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 13
    seen: dict[str, set[int]] = {}
    for operation in operations:
        if operation.path.startswith("/api/v1/me/"):
            auth = {"cookies": session_cookies, "headers": {"X-CSRFToken": csrf}}
        elif not operation.path.startswith("/api/"):
            auth = {}  # the public VC-API verifier: no login
        else:
            auth = {"headers": {"Authorization": f"Bearer {secret}"}}
        _fuzz(operation, auth, checks, {}, seen)
        # Invalid input (wrong types, out-of-range values, missing fields): never a 5xx.
        _fuzz(operation, auth, checks, {}, seen, mode=GenerationMode.NEGATIVE)
        if "{id}" in operation.path:
            # Generated ids almost never exist; also aim at rows that do.
            real = share.credential_id if "/me/" in operation.path else share.application_id
            _fuzz(operation, auth, checks, {"id": real}, seen)
        if operation.label == "POST /api/v1/applications/{id}/decisions/":
            # ...and at a credential that is shared in that application.
            _fuzz(operation, auth, checks, {"id": share.application_id}, seen, share.credential_id)
    print(seen)
    # The run reached the endpoints' real work, not only their refusals.
    assert 200 in seen["GET /api/v1/applications/{id}/"]
    assert 201 in seen["POST /api/v1/applications/{id}/decisions/"]
    assert {200, 400} <= seen["GET /api/v1/me/credentials/"]
    assert 204 in seen["DELETE /api/v1/me/credentials/{id}/"]


def _fuzz(
    operation,
    auth,
    checks,
    path_parameters,
    seen,
    credential_id=None,
    mode=GenerationMode.POSITIVE,
):
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode, path_parameters=path_parameters))
    def run(case):
        if credential_id is not None and isinstance(case.body, dict):
            case.body["credential"] = credential_id
            case.body.pop("supersedes", None)
        response = case.call(**auth)
        seen.setdefault(operation.label, set()).add(response.status_code)
        case.validate_response(response, checks=checks)

    run()
