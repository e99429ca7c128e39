"""The client renderer on a small inline spec full of awkward cases, end to end.

Generates a package, checks it with mypy --strict, ruff and black, imports it and
sends every call through httpx.MockTransport: integer path parameters, array and
boolean query parameters, typed and constant headers, body properties named like
the method's own keywords or a path parameter, an optional body, a 204 response,
an array response (parsed with a TypeAdapter), nested resources with their own
methods, a resource named like a client attribute and one named like a schema.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import json
import re
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.load.document import load_document
from conftest import generate_package
from golden import cases, config_for

SPEC = textwrap.dedent(
    """
    openapi: 3.1.0
    info: {title: Edge API, version: "2.0"}
    servers: [{url: "https://edge.test/api"}]
    paths:
      /widgets/{widget_id}/parts/{n}:
        put:
          operationId: replaceWidgetPart
          summary: Replace a part.
          tags: [widgets]
          parameters:
            - {name: widget_id, in: path, required: true, schema: {type: string}}
            - {name: n, in: path, required: true, schema: {type: integer}}
            - {name: X-Trace-Id, in: header, schema: {type: string}}
            - {name: X-Count, in: header, required: true, schema: {type: integer}}
            - {name: Api-Version, in: header, required: true, schema: {type: string, const: "2"}}
            - {name: tags, in: query, schema: {type: array, items: {type: string}}}
            - {name: dry_run, in: query, schema: {type: boolean}}
            - {name: self, in: query, schema: {type: string}}
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [timeout]
                  properties:
                    timeout: {type: integer}
                    extra_headers: {type: string}
                    widget_id: {type: string}
                    when: {type: string, format: date-time}
          responses:
            "200":
              description: The widget.
              content: {application/json: {schema: {$ref: "#/components/schemas/Widget"}}}
      /widgets:
        get:
          operationId: listWidgets
          tags: [widgets]
          responses:
            "200":
              description: All widgets.
              content:
                application/json:
                  schema: {type: array, items: {$ref: "#/components/schemas/Widget"}}
        post:
          operationId: createWidget
          tags: [widgets]
          requestBody:
            required: false
            content: {application/json: {schema: {$ref: "#/components/schemas/WidgetCreate"}}}
          responses:
            "200":
              description: The widget.
              content: {application/json: {schema: {$ref: "#/components/schemas/Widget"}}}
      /widgets/{widget_id}:
        delete:
          operationId: deleteWidget
          tags: [widgets]
          parameters:
            - {name: widget_id, in: path, required: true, schema: {type: string}}
          responses:
            "204": {description: Deleted.}
      /admin:
        get:
          operationId: adminInfo
          x-sdk-method: admin.info
          responses:
            "200":
              description: Info.
              content: {application/json: {schema: {$ref: "#/components/schemas/Info"}}}
      /admin/ping:
        get:
          operationId: ping
          x-sdk-method: admin.health.ping
          responses:
            "200":
              description: Pong.
              content: {application/json: {schema: {$ref: "#/components/schemas/Info"}}}
      /requests:
        get:
          operationId: getRequest
          tags: [request]
          responses:
            "200":
              description: Info.
              content: {application/json: {schema: {$ref: "#/components/schemas/Info"}}}
    components:
      schemas:
        Widget:
          type: object
          required: [id]
          properties:
            id: {type: string}
            parts: {type: array, items: {type: object, properties: {n: {type: integer}}}}
        WidgetCreate:
          type: object
          properties:
            name: {type: string}
        Widgets:
          type: object
          properties:
            count: {type: integer}
        Info:
          type: object
          properties:
            ok: {type: boolean}
    """
)
BASE = "https://edge.test/api"
WIDGET = {"id": "w1", "parts": [{"n": 1}]}


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    root = tmp_path_factory.mktemp("edge")
    spec = root / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    files = generate_package(spec, root / "out", "edge_api")
    return root / "out", files


def _client_with(module: Any, handler: Any, *, is_async: bool = False) -> Any:
    if is_async:
        transport: Any = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        return module.AsyncChatKitClient(api_key="k", http_client=transport)
    return module.ChatKitClient(api_key="k", http_client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_awkward_operations_work_end_to_end(edge: tuple[Path, dict[str, str]], import_from: Any) -> None:
    out, files = edge
    assert "edge_api/resources/admin/admin.py" in files and "edge_api/resources/admin/health.py" in files
    module = import_from(out, "edge_api")
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        path = request.url.path
        if request.method == "DELETE":
            return httpx.Response(204)
        if path == "/api/widgets" and request.method == "GET":
            return httpx.Response(200, json=[WIDGET, {"id": "w2"}])
        if path.startswith("/api/widgets"):
            return httpx.Response(200, json=WIDGET)
        return httpx.Response(200, json={"ok": True})

    client = _client_with(module, handler)
    widgets = client.widgets
    assert type(widgets).__name__ == "WidgetsResource"  # "Widgets" is a schema
    signature = inspect.signature(widgets.replace_widget_part)
    positional = [n for n, p in signature.parameters.items() if p.kind is p.POSITIONAL_OR_KEYWORD]
    assert positional == ["widget_id", "n"]
    assert {"timeout_", "extra_headers_", "widget_id2", "self_", "timeout", "extra_headers"} <= set(signature.parameters)
    assert "api_version" not in signature.parameters  # a constant header is not a parameter
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone.utc)  # noqa: UP017
    widget = widgets.replace_widget_part(
        "a/b",
        7,
        timeout_=30,
        extra_headers_="not a header",
        widget_id2="in-body",
        when=when,
        x_count=2,
        tags=["x", "y z"],
        dry_run=True,
        self_="me",
        timeout=4.0,
    )
    assert widget.id == "w1" and widget.parts[0].n == 1
    request = sent[-1]
    assert request.method == "PUT"
    assert request.url.raw_path == b"/api/widgets/a%2Fb/parts/7?tags=x&tags=y%20z&dry_run=true&self=me"
    assert request.headers["X-Count"] == "2" and request.headers["Api-Version"] == "2"
    assert "X-Trace-Id" not in request.headers
    assert json.loads(request.content) == {
        "timeout": 30,
        "extra_headers": "not a header",
        "widget_id": "in-body",
        "when": "2024-05-06T07:08:09+00:00",
    }
    assert request.extensions["timeout"]["read"] == 4.0
    listed = widgets.list_widgets()
    assert [w.id for w in listed] == ["w1", "w2"] and type(listed[0]).__name__ == "Widget"
    widgets.create_widget()
    assert sent[-1].content == b""  # optional body with nothing in it is not sent
    widgets.create_widget(name="n")
    assert json.loads(sent[-1].content) == {"name": "n"}
    assert widgets.delete_widget("w1") is None
    assert widgets.with_raw_response.delete_widget("w1").status_code == 204
    assert client.admin.info().ok is True and client.admin.health.ping().ok is True
    assert sent[-1].url.path == "/api/admin/ping"
    assert client.request_.get_request().ok is True  # `request` is a client method
    assert callable(client.request)

    async def run_async() -> Any:
        async with _client_with(module, handler, is_async=True) as aclient:
            return await aclient.admin.health.with_raw_response.ping()

    assert asyncio.run(run_async()).parse().ok is True


def test_generated_edge_package_passes_mypy_ruff_and_black(edge: tuple[Path, dict[str, str]]) -> None:
    out, _ = edge
    for tool, args in (
        ("mypy", ["--strict", "--no-incremental", "-p", "edge_api"]),
        ("ruff", ["check", "--no-cache", "--config", "pyproject.toml", "edge_api"]),
        ("black", ["--check", "edge_api"]),
    ):
        if importlib.util.find_spec(tool) is None:
            pytest.skip(f"{tool} is not installed")
        result = subprocess.run([sys.executable, "-m", tool, *args], cwd=out, capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"{tool}: {result.stdout}{result.stderr}"


OPS_SPEC = Path(__file__).parent / "fixtures" / "operations" / "spec.yaml"
UNSUPPORTED = [
    # (replace in the operations fixture, with, expected message, line of the construct)
    ("style: pipeDelimited", "style: matrix", "query parameter 'kinds': style 'matrix' is not supported", "- name: kinds"),
    ("      explode: false\n      responses", "      explode: true\n      responses", "parameter 'prefs': an exploded array cannot be sent as one cookie", "- name: prefs"),
    ("- {name: file_id, in: path, required: true, schema: {type: string}, description: File.}\n      responses:\n        \"204\"",
     "- {name: file_id, in: path, required: true, style: form, schema: {type: string}, description: File.}\n      responses:\n        \"204\"",
     "path parameter 'file_id': style 'form' is not supported", "required: true, style: form"),
    ("scope: {type: string, description: Scope.}", "scope: {type: string, format: binary, description: Scope.}", "form field 'scope': binary values need multipart/form-data", "scope: {type: string, format"),
    # (an XML body is sent as the caller's content: tests/test_wire.py)
    ("application/x-www-form-urlencoded:", "text/event-stream:  # as a request body", "request body 'text/event-stream': only JSON,", "# as a request body"),
    ("schema: {$ref: \"#/components/schemas/Event\"}", "example: x", "a text/event-stream response needs a schema", "text/event-stream:"),
]


@pytest.mark.parametrize("old,new,message,anchor", UNSUPPORTED, ids=[u[2].split(":")[0] for u in UNSUPPORTED])
def test_unsupported_constructs_are_located_errors(tmp_path: Path, old: str, new: str, message: str, anchor: str) -> None:
    """Through the CLI: one line with file, line, column and pointer; nothing written."""
    text = OPS_SPEC.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    text = text.replace(old, new)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "chatkit_codegen", "generate", "--spec", str(spec), "--out", str(out), "--no-validate"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    line = next(i for i, row in enumerate(text.splitlines(), 1) if anchor in row)
    location = re.match(r"(.+):(\d+):(\d+): error: (/paths/\S+): ", lines[0])
    assert location and location.group(1) == str(spec), lines[0]
    assert abs(int(location.group(2)) - line) <= 4, (lines[0], line)


CLIENT_FILES = re.compile(r"/(_request|_exceptions|_base_client|_streaming|pagination|operations|_client)\.py$|/resources/")


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_client_files_are_black_stable_as_rendered(case: Any) -> None:
    """Before the pipeline's black pass: the client layout needs no formatter."""
    black = pytest.importorskip("black")
    from chatkit_codegen.pipeline import load_and_build, render_files

    cfg = config_for(case)
    files = render_files(load_and_build(cfg, validate=False)[0], cfg)
    client_files = [p for p in files if CLIENT_FILES.search(p)]
    assert bool(client_files) == bool(build_api(case.document()).operations)
    unstable = [p for p in client_files if black.format_str(files[p], mode=black.Mode()) != files[p]]
    assert not unstable


def test_an_operation_without_resource_goes_under_api(tmp_path: Path) -> None:
    """The client class is the root of the tree and holds no methods of its own."""
    import dataclasses

    from chatkit_codegen.render.env import make_env
    from chatkit_codegen.render.package import render_package

    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    api = build_api(load_document(spec))
    first = dataclasses.replace(api.operations[0], resource=())
    api = dataclasses.replace(api, operations=(first, *api.operations[1:]))
    cfg = config_for(cases()[0], tmp_path / "out")
    files = render_package(api, cfg, make_env())
    assert f"def {first.method_name}(" in files["chatkit_api/resources/api.py"]
    assert "operations" not in files["chatkit_api/_client.py"]
