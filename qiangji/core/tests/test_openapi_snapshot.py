"""The committed OpenAPI document (docs/openapi.yaml) must match what the code generates.

An API change therefore shows up in review as a diff of the schema. To accept a change, run:

    qiangji spectacular --file docs/openapi.yaml --validate
"""

import io
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

SNAPSHOT = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"
REGENERATE = "qiangji spectacular --file docs/openapi.yaml --validate"


def generate(*args) -> str:
    out = io.StringIO()
    call_command("spectacular", "--validate", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_schema_matches_the_committed_snapshot():
    assert SNAPSHOT.exists(), f"docs/openapi.yaml is missing; create it with: {REGENERATE}"
    current = generate()
    committed = SNAPSHOT.read_text(encoding="utf-8")
    if current != committed:
        new, old = yaml.safe_load(current), yaml.safe_load(committed)
        added = sorted(set(new.get("paths", {})) - set(old.get("paths", {})))
        removed = sorted(set(old.get("paths", {})) - set(new.get("paths", {})))
        pytest.fail(
            f"The API schema drifted from docs/openapi.yaml (paths added: {added}, removed: {removed}). "
            f"Review the change, then run: {REGENERATE}"
        )


def test_schema_generates_without_warnings():
    generate("--fail-on-warn")


def test_every_operation_documents_its_errors():
    schema = yaml.safe_load(generate())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if operation.get("security") != [{}] and path != "/api/v1/auth/token/":
                assert {"401", "403"} <= codes, f"{method.upper()} {path} does not document 401/403"
            if "{" in path:
                assert "404" in codes, f"{method.upper()} {path} does not document 404"
            if method in ("post", "put", "patch"):
                assert "400" in codes, f"{method.upper()} {path} does not document 400"


def test_token_endpoint_is_documented():
    operation = yaml.safe_load(generate())["paths"]["/api/v1/auth/token/"]["post"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "CredentialsRequest"
    )
