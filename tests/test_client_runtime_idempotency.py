"""Retries decided from the spec: an ``Idempotency-Key`` header parameter, ``x-idempotent``.

A package is generated from an inline spec (an API key sent as a query parameter,
one POST declaring the header, one not, a POST marked ``x-idempotent: true`` and a
PUT marked ``x-idempotent: false``), checked with mypy --strict, and driven through
httpx.MockTransport.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.load.document import load_document
from chatkit_codegen.render.client_retries import idempotency_header, retried_by_default
from conftest import generate_package

SPEC = textwrap.dedent(
    """
    openapi: 3.1.0
    info: {title: Pay API, version: "1.0"}
    servers: [{url: "https://pay.test/v1"}]
    security: [{key: []}]
    paths:
      /charges:
        post:
          operationId: createCharge
          tags: [charges]
          parameters:
            - {name: idempotency-key, in: header, schema: {type: string}}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [amount]
                  properties: {amount: {type: integer}}
          responses:
            "200":
              description: The charge.
              content: {application/json: {schema: {$ref: "#/components/schemas/Charge"}}}
      /charges/{charge_id}/notes:
        post:
          operationId: addNote
          tags: [charges]
          parameters:
            - {name: charge_id, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The charge.
              content: {application/json: {schema: {$ref: "#/components/schemas/Charge"}}}
      /charges/{charge_id}/capture:
        post:
          operationId: captureCharge
          tags: [charges]
          x-idempotent: true
          parameters:
            - {name: charge_id, in: path, required: true, schema: {type: string}}
          responses:
            "200":
              description: The charge.
              content: {application/json: {schema: {$ref: "#/components/schemas/Charge"}}}
      /charges/{charge_id}:
        put:
          operationId: replaceCharge
          tags: [charges]
          x-idempotent: false
          parameters:
            - {name: charge_id, in: path, required: true, schema: {type: string}}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [amount]
                  properties: {amount: {type: integer}}
          responses:
            "200":
              description: The charge.
              content: {application/json: {schema: {$ref: "#/components/schemas/Charge"}}}
    components:
      securitySchemes:
        key: {type: apiKey, in: query, name: api_key}
      schemas:
        Charge:
          type: object
          required: [id, amount]
          properties:
            id: {type: string}
            amount: {type: integer}
    """
)
CHARGE = {"id": "ch_1", "amount": 5}
KEY = "qk-secret-987"


@pytest.fixture(scope="module")
def pay(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pay")
    spec = root / "pay.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    generate_package(spec, root / "out", "pay_api")
    return root


def _client(module: Any, *responses: httpx.Response) -> tuple[Any, list[httpx.Request]]:
    sent: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return queue.pop(0)

    ck = module.PayClient if hasattr(module, "PayClient") else module.ChatKitClient
    client = ck(
        api_key=KEY, transport=httpx.MockTransport(handler), sleep=lambda _: None
    )
    return client, sent


def test_the_decision_comes_from_the_spec(pay: Path) -> None:
    api = build_api(load_document(pay / "pay.yaml"))
    ops = {op.operation_id: op for op in api.operations}
    assert idempotency_header(ops["createCharge"]) == "idempotency-key"
    assert retried_by_default(ops["createCharge"]) and not retried_by_default(
        ops["addNote"]
    )
    assert idempotency_header(ops["addNote"]) is None
    # x-idempotent overrides the method's rule, both ways
    assert retried_by_default(ops["captureCharge"]) and ops["captureCharge"].retry_rule == "x-idempotent"
    assert not retried_by_default(ops["replaceCharge"]) and ops["replaceCharge"].retry_rule == "x-idempotent"
    assert ops["createCharge"].retry_rule == "idempotency-key" and ops["addNote"].retry_rule == "method"


def test_an_x_idempotent_post_is_retried(pay: Path, import_from: Any) -> None:
    module = import_from(pay / "out", "pay_api")
    client, sent = _client(module, httpx.Response(503), httpx.Response(200, json=CHARGE))
    assert client.charges.capture_charge("ch_1").id == "ch_1"
    assert len(sent) == 2 and all(r.method == "POST" for r in sent)
    assert "idempotency-key" not in sent[0].headers
    assert module.operations.capture_charge("ch_1").idempotent is True
    # the caller can still turn retries off for one call
    client2, sent2 = _client(module, httpx.Response(503))
    with pytest.raises(module.APIStatusError):
        client2.charges.capture_charge("ch_1", idempotent=False)
    assert len(sent2) == 1


def test_an_x_idempotent_false_put_is_not_retried(pay: Path, import_from: Any) -> None:
    module = import_from(pay / "out", "pay_api")
    client, sent = _client(module, httpx.Response(503))
    with pytest.raises(module.APIStatusError):
        client.charges.replace_charge("ch_1", amount=7)
    assert len(sent) == 1 and sent[0].method == "PUT"
    assert module.operations.replace_charge("ch_1", amount=7).idempotent is False
    # ... unless the caller opts in
    client2, sent2 = _client(module, httpx.Response(503), httpx.Response(200, json=CHARGE))
    assert client2.charges.replace_charge("ch_1", amount=7, idempotent=True).id == "ch_1"
    assert len(sent2) == 2


def test_an_x_idempotent_that_is_not_a_boolean_is_a_located_warning(tmp_path: Path) -> None:
    spec = tmp_path / "odd.yaml"
    spec.write_text(SPEC.replace("x-idempotent: true", 'x-idempotent: "yes"'), encoding="utf-8")
    api = build_api(load_document(spec))
    ops = {op.operation_id: op for op in api.operations}
    assert not retried_by_default(ops["captureCharge"]) and ops["captureCharge"].retry_rule == "method"
    notes = [n for n in api.notes if n.pointer.endswith("/x-idempotent")]
    assert [(n.level, n.pointer) for n in notes] == [("warning", "/paths/~1charges~1{charge_id}~1capture/post/x-idempotent")]
    assert "must be true or false" in notes[0].message


def test_a_post_with_an_idempotency_key_is_retried_with_the_same_key(
    pay: Path, import_from: Any
) -> None:
    module = import_from(pay / "out", "pay_api")
    client, sent = _client(
        module,
        httpx.Response(500),
        httpx.Response(503),
        httpx.Response(200, json=CHARGE),
    )
    assert client.charges.create_charge(amount=5).id == "ch_1"
    keys = [r.headers["idempotency-key"] for r in sent]
    assert len(sent) == 3 and len(set(keys)) == 1
    assert uuid.UUID(keys[0]).version == 4
    # a new call, a new key; a key the caller gives is used as it is
    client2, sent2 = _client(
        module,
        httpx.Response(200, json=CHARGE),
        httpx.Response(500),
        httpx.Response(200, json=CHARGE),
    )
    client2.charges.create_charge(amount=5)
    client2.charges.create_charge(amount=5, idempotency_key="mine-1")
    assert sent2[0].headers["idempotency-key"] not in keys
    assert [r.headers["idempotency-key"] for r in sent2[1:]] == ["mine-1", "mine-1"]
    # retries can still be turned off for one call; the key is sent anyway
    client3, sent3 = _client(module, httpx.Response(500))
    with pytest.raises(module.InternalServerError):
        client3.charges.create_charge(amount=5, idempotent=False)
    assert len(sent3) == 1 and "idempotency-key" in sent3[0].headers


def test_a_post_without_one_is_not_retried_and_sends_no_key(
    pay: Path, import_from: Any
) -> None:
    module = import_from(pay / "out", "pay_api")
    client, sent = _client(module, httpx.Response(500))
    with pytest.raises(module.InternalServerError):
        client.charges.add_note("ch_1")
    assert len(sent) == 1 and "idempotency-key" not in sent[0].headers
    assert module.operations.create_charge(amount=1).idempotent is True
    assert module.operations.add_note("ch_1").idempotent is False


def test_a_key_sent_in_the_query_is_redacted_in_the_log(
    pay: Path, import_from: Any, caplog: pytest.LogCaptureFixture
) -> None:
    module = import_from(pay / "out", "pay_api")
    caplog.set_level(logging.DEBUG, logger="pay_api")
    client, sent = _client(module, httpx.Response(200, json=CHARGE))
    client.charges.create_charge(amount=5)
    assert sent[0].url.params["api_key"] == KEY
    messages = [r.getMessage() for r in caplog.records if r.name == "pay_api"]
    assert messages and all(KEY not in m for m in messages)
    assert (
        "api_key=%3Credacted%3E" in messages[0] or "api_key=<redacted>" in messages[0]
    )


def test_the_generated_package_passes_mypy_strict(pay: Path) -> None:
    pytest.importorskip("mypy")
    out = pay / "out"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            "pyproject.toml",
            "pay_api",
        ],
        cwd=out,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
