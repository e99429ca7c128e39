"""Public OpenAPI documents written by other teams (``../shared/realworld/``), end to end.

For each document, with default flags (the severity policy that serves real documents):
nothing is dropped (every component schema is a declaration, every operation a
method), every module imports, ruff and ``mypy --strict`` pass on the generated
package, the document's valid schema examples round-trip through the models, and a
fixed sample of operations is called through the generated client against Prism
serving the document, which must accept every request.

``nox -s realworld`` runs this file (CI does); ``REALWORLD_DOCS=a.yaml:b.json`` picks
other documents. Locally the tests skip when ../shared is missing; in CI they fail.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import ROOT
from realworld_values import Unbuildable, Values
from test_prism import Prism, _serve

pytestmark = [pytest.mark.realworld, pytest.mark.slow]

REALWORLD = ROOT.parent / "shared" / "realworld"
SAMPLE_SIZE = 24  # operations called through the client per document (at least 20)
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _documents() -> list[Path]:
    chosen = os.environ.get("REALWORLD_DOCS")
    if chosen:
        return [Path(p).resolve() for p in chosen.split(":") if p]
    if not REALWORLD.is_dir():
        return []
    return sorted(p for p in REALWORLD.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


DOCUMENTS = _documents()
if not DOCUMENTS:  # a checkout without the shared folder beside it: nothing to run, said loudly
    pytest.skip(f"no real-world documents in {REALWORLD} (or REALWORLD_DOCS)", allow_module_level=True)


def _package(spec: Path) -> str:
    return "rw_" + re.sub(r"[^a-z0-9]+", "_", spec.stem.lower()).strip("_")


@dataclass
class Generated:
    spec: Path
    data: dict[str, Any]
    api: Any
    out: Path
    package: str
    seconds: float


@pytest.fixture(scope="module", params=DOCUMENTS, ids=lambda p: p.stem)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Generated]:
    from chatkit_codegen.config import load_config
    from chatkit_codegen.load.document import load_document
    from chatkit_codegen.pipeline import generate, write_tree

    spec: Path = request.param
    package = _package(spec)
    out = tmp_path_factory.mktemp(package)
    # As a new user runs it: no configuration of ours (names from the document, default policy)
    cfg = load_config(out).with_overrides(spec=spec, out=out, package_name=package)
    start = time.perf_counter()
    result = generate(cfg)
    seconds = time.perf_counter() - start
    write_tree(out, result.files)
    data = load_document(spec).data
    sys.path.insert(0, str(out))
    try:
        yield Generated(spec, data, result.api, out, package, seconds)
    finally:
        sys.path.remove(str(out))
        for name in list(sys.modules):
            if name.split(".")[0] == package:
                sys.modules.pop(name, None)


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def test_every_component_schema_and_operation_is_kept(generated: Generated) -> None:
    schemas = (generated.data.get("components") or {}).get("schemas") or {}
    declared = {d.pointer for d in generated.api.decls.values()}
    missing = sorted(n for n in schemas if f"/components/schemas/{_escape(n)}" not in declared)
    assert not missing, f"{len(missing)} component schemas dropped: {missing[:10]}"
    operations = {
        (method.upper(), path)
        for path, item in (generated.data.get("paths") or {}).items()
        if isinstance(item, dict)
        for method in METHODS
        if isinstance(item.get(method), dict)
    }
    kept = {(op.method, op.path) for op in generated.api.operations}
    assert kept == operations, sorted(operations ^ kept)[:10]


def test_every_module_imports(generated: Generated) -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        f"pkg = importlib.import_module({generated.package!r})\n"
        "names = [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.')]\n"
        "for name in names: importlib.import_module(name)\n"
        "print(len(names))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=generated.out, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert int(result.stdout.strip()) > 0


def test_ruff_is_clean(generated: Generated) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--config", str(generated.out / "pyproject.toml"), str(generated.out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_mypy_strict(generated: Generated) -> None:
    """The whole generated package under ``mypy --strict``."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file",
         str(generated.out / "pyproject.toml"), "-p", generated.package],
        cwd=generated.out, capture_output=True, text=True, check=False,
        env={**os.environ, "MYPYPATH": str(generated.out)},
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def _schema_examples(data: dict[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    for name, schema in sorted(((data.get("components") or {}).get("schemas") or {}).items()):
        if not isinstance(schema, dict):
            continue
        found = list(schema.get("examples") or []) if isinstance(schema.get("examples"), list) else []
        if "example" in schema:
            found.append(schema["example"])
        for example in found:
            yield f"/components/schemas/{_escape(name)}", schema, example


def test_valid_examples_round_trip(generated: Generated) -> None:
    from pydantic import TypeAdapter

    values = Values(generated.data)
    by_pointer: dict[str, list[Any]] = {}
    for decl in generated.api.decls.values():
        if decl.owner is None:
            by_pointer.setdefault(decl.pointer, []).append(decl)
    checked, failures = 0, []
    for pointer, schema, example in _schema_examples(generated.data):
        if not values.valid(schema, example) or pointer not in by_pointer:
            continue  # an invalid example is reported by validate and not trusted
        errors = []
        for decl in by_pointer[pointer]:
            module = importlib.import_module(f"{generated.package}.types.{decl.module}")
            cls = getattr(module, decl.name)
            try:
                if getattr(decl, "shape", None) == "response" and hasattr(cls, "model_validate"):
                    model = cls.model_validate(example)
                    dumped = model.model_dump(mode="json", exclude_unset=True)
                    assert dumped == example, (dumped, example)
                else:
                    adapter: TypeAdapter[Any] = TypeAdapter(cls)
                    assert adapter.dump_python(adapter.validate_python(example), mode="json") == example
            except Exception as exc:
                errors.append(f"{decl.name}: {str(exc)[:300]}")
        if len(errors) == len(by_pointer[pointer]):
            failures.append(f"{pointer}: " + " | ".join(errors))
        checked += 1
    assert not failures, f"{len(failures)} of {checked} examples:\n" + "\n".join(failures[:15])


# ------------------------------------------------------------------------ Prism


def _probe(data: dict[str, Any]) -> str:
    for path, item in sorted((data.get("paths") or {}).items()):
        if "{" not in path and isinstance(item, dict) and "get" in item:
            return path
    return "/"


def _call_arguments(values: Values, op: Any, method: Any, data: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """Positional and keyword arguments for ``op``: required parameters and body only."""
    signature = inspect.signature(method)
    names = list(signature.parameters)
    raw_op = data["paths"][op.path][op.method.lower()]
    raw_params = {
        (p.get("in"), p.get("name")): p
        for p in [*(data["paths"][op.path].get("parameters") or []), *(raw_op.get("parameters") or [])]
        for p in [values.resolve(p)]
        if isinstance(p, dict)
    }
    args: list[Any] = []
    kwargs: dict[str, Any] = {}

    def claim(name: str) -> str:
        for candidate in (name, name + "_"):
            if candidate in names:
                return candidate
        raise Unbuildable(f"no argument for {name}")

    for param in op.params:
        if not param.required or param.const is not _missing():
            continue
        raw = raw_params.get((param.location, param.wire_name), {})
        value = values.instance(raw.get("schema", {}))
        if not values.valid(raw.get("schema", {}), value):
            raise Unbuildable(param.wire_name)
        if param.location == "path":
            value = str(value) if not isinstance(value, int | str) else value
            args.append(value)
        else:
            kwargs[claim(param.name)] = value
    body = op.body
    if body is not None and body.required:
        if body.kind != "json":
            raise Unbuildable(f"{body.kind} body")
        media = values.resolve(raw_op["requestBody"])["content"][body.media_type]
        value = values.instance(media.get("schema", {}))
        if not values.valid(media.get("schema", {}), value):
            raise Unbuildable("body")
        if body.fields:
            by_wire = {f.wire_name: f for f in body.fields}
            for key, item in value.items():
                if key not in by_wire:
                    raise Unbuildable(f"body key {key}")
                kwargs[claim(by_wire[key].name)] = item
        else:
            kwargs[claim("body")] = value
    return args, kwargs


def _missing() -> Any:
    from chatkit_codegen.ir.model import MISSING

    return MISSING


def _sample(generated: Generated, client: Any, values: Values) -> list[tuple[Any, Any, list[Any], dict[str, Any]]]:
    """A fixed sample: operations in (path, method) order whose arguments can be
    synthesised and whose response is JSON or empty, spread evenly over the document."""
    usable = []
    for op in sorted(generated.api.operations, key=lambda o: (o.path, o.method)):
        if op.success is not None and op.success.kind not in (None, "json"):
            continue
        if op.path != op.wire_path:
            # Box's /files/{id}#remove_shared_link: Prism cannot route a path with a
            # fragment (tests/test_wire.py shows the fragment is not sent)
            continue
        target: Any = client
        try:
            for part in (*op.resource, op.method_name):
                target = getattr(target, part)
            args, kwargs = _call_arguments(values, op, target, generated.data)
        except (Unbuildable, AttributeError, KeyError, TypeError, ValueError):
            continue
        usable.append((op, target, args, kwargs))
    if len(usable) <= SAMPLE_SIZE:
        return usable
    step = len(usable) / SAMPLE_SIZE
    return [usable[int(i * step)] for i in range(SAMPLE_SIZE)]


@pytest.fixture(scope="module")
def prism_for(generated: Generated, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prism]:
    yield from _serve(generated.spec, _probe(generated.data), tmp_path_factory)


def _request_violations(response: httpx.Response) -> list[str]:
    raw = response.headers.get("sl-violations")
    if not raw:
        return []
    try:
        found = json.loads(raw)
    except ValueError:
        return [raw]
    return [json.dumps(v) for v in found if isinstance(v, dict) and (v.get("location") or [""])[0] == "request"]


def test_a_sample_of_operations_is_accepted_by_prism(generated: Generated, prism_for: Prism) -> None:
    package = importlib.import_module(generated.package)
    client_name = next(n for n in package.__all__ if n.endswith("Client") and not n.startswith("Async"))
    seen: list[httpx.Response] = []

    def record(response: httpx.Response) -> None:
        response.read()
        seen.append(response)

    http_client = httpx.Client(event_hooks={"response": [record]})
    client = getattr(package, client_name)(
        api_key="sk-test", base_url=prism_for.base_url, max_retries=0, http_client=http_client
    )
    sample = _sample(generated, client, Values(generated.data))
    assert len(sample) >= 20, f"only {len(sample)} operations could be sampled"
    refused = []
    for op, method, args, kwargs in sample:
        before = len(seen)
        try:
            method(*args, **kwargs)
        except Exception:  # the response may not fit (invalid examples): the request is what counts
            pass
        if len(seen) == before:
            refused.append(f"{op.method} {op.path}: no request was sent")
            continue
        response = seen[-1]
        violations = _request_violations(response)
        if response.status_code in (400, 415, 422) or violations:
            refused.append(f"{op.method} {op.path} -> {response.status_code} {violations or response.text[:300]}")
    log = prism_for.new_log()
    request_lines = [line for line in log.splitlines() if "violation" in line.lower() and "request" in line.lower()]
    assert not refused, "\n".join(refused)
    assert not request_lines, "\n".join(request_lines[:20])
    print(f"{generated.spec.name}: {len(sample)} operations accepted by Prism; generate took {generated.seconds:.1f} s")


def test_modules_walk(generated: Generated) -> None:
    """Nothing but the package itself lands in the output tree's top level."""
    top = {p.name for p in generated.out.iterdir()}
    assert generated.package in top
    package = importlib.import_module(generated.package)
    assert list(pkgutil.iter_modules(package.__path__))
