"""``chatkit-codegen upstream``: every row of tests/upstream_cases/cases.yaml, the golden
report of spec/chatkit.yaml against the ChatKit subset, the whole OpenAI document, the
JSON Patch, the formats and exit codes, and the integer that issue 15 was about."""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from functools import cache
from pathlib import Path
from typing import Any

import jsonpatch
import pytest
import yaml
from chatkit_codegen.errors import Level
from chatkit_codegen.load.document import Document, load_document
from chatkit_codegen.load.validate import validate_document
from chatkit_codegen.workflow.upstream import compare_documents, select
from chatkit_codegen.workflow.upstream_match import Matcher
from chatkit_codegen.workflow.upstream_patch import build_patch
from conftest import ROOT, SPEC, run_cli
from upstream_golden import GOLDEN, render_golden

# ../shared beside the repository (CI has a read-only copy there). A worktree kept
# elsewhere may point at it with CHATKIT_SHARED_DIR.
SHARED = ROOT.parent / "shared"
if not SHARED.is_dir() and os.environ.get("CHATKIT_SHARED_DIR"):
    SHARED = Path(os.environ["CHATKIT_SHARED_DIR"])
SUBSET = SHARED / "reference" / "openai-chatkit-subset.yaml"
WHOLE = SHARED / "realworld" / "openai-openapi.yaml"
CASES = yaml.safe_load((ROOT / "tests" / "upstream_cases" / "cases.yaml").read_text(encoding="utf-8"))

needs_shared = pytest.mark.skipif(
    not SUBSET.is_file() and not os.environ.get("CI"), reason=f"{SUBSET} not found (shared/ is not beside the repo)"
)


@cache
def _base(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _doc(tmp: Path, name: str, source: Path, ops: list[dict[str, Any]] | None) -> Document:
    if not ops:
        return load_document(source, name)
    data = jsonpatch.apply_patch(copy.deepcopy(_base(source)), ops)
    out = tmp / f"{name}.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    return load_document(out, name)


def _line(f: Any) -> str:
    return f"{f.level} {f.kind} {f.subject}"


def _baseline_accepted() -> int:
    return sum(1 for f in compare_documents(load_document(SPEC), load_document(SUBSET)).findings if f.level == "accepted")


def test_table_rows_are_well_formed() -> None:
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
    levels = {line.split()[0] for c in CASES for line in c["findings"]}
    assert levels == {"upstream-more", "curated-more"}
    for case in CASES:
        assert set(case) <= {"name", "upstream", "curated", "findings", "accepted", "patch"}


@needs_shared
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_upstream_table(case: dict[str, Any], tmp_path: Path) -> None:
    curated = _doc(tmp_path, "curated", SPEC, case.get("curated"))
    upstream = _doc(tmp_path, "upstream", SUBSET, case.get("upstream"))
    report = compare_documents(curated, upstream)
    got = Counter(_line(f) for f in report.findings if f.level != "accepted")
    detail = "\n".join(f"{_line(f)}: {f.message.text()}" for f in report.findings if f.level != "accepted")
    assert got == Counter(case["findings"]), detail
    assert report.count("accepted") == case.get("accepted", _baseline_accepted())
    for f in report.findings:  # pointers on both sides resolve where they are given
        if f.curated:
            curated.locate(f.curated)
        assert f.curated or f.upstream
    if not case.get("patch", True) or not case["findings"]:
        return
    ops = build_patch(curated.data, upstream.data, select(report.findings, ()), report.pairs)
    assert ops, "a finding without a fix"
    patched = jsonpatch.apply_patch(copy.deepcopy(curated.data), ops)
    out = tmp_path / "patched.yaml"
    out.write_text(yaml.safe_dump(patched, sort_keys=False, allow_unicode=True), encoding="utf-8")
    errors = [p.format() for p in validate_document(load_document(out), strict=True) if p.level is Level.ERROR]
    if case.get("patch") == "examples":
        assert errors, "the row says examples break: they should"
        errors = [e for e in errors if "example is not valid against its schema" not in e]
    assert not errors, "\n".join(errors)
    again = compare_documents(load_document(out), upstream)
    assert not again.drift, "\n".join(f"{_line(f)}: {f.message.text()}" for f in again.drift)


@needs_shared
def test_golden_report_of_the_curated_spec_against_the_subset() -> None:
    """Refresh with ``python tests/upstream_golden.py``."""
    for name, text in render_golden(SPEC, SUBSET).items():
        assert (GOLDEN / name).read_text(encoding="utf-8") == text, f"{name} is stale: python tests/upstream_golden.py"


@needs_shared
def test_the_curated_spec_has_no_unrecorded_drift() -> None:
    report = compare_documents(load_document(SPEC), load_document(SUBSET))
    assert not report.drift
    assert all(f.note for f in report.findings if f.level == "accepted")
    assert report.pairs["ChatSession"] == ("ChatSessionResource",)  # by structure, not by name
    assert report.pairs["SessionCreateParams"] == ("CreateChatSessionBody",)


@pytest.mark.skipif(not WHOLE.is_file(), reason=f"{WHOLE} not found")
def test_the_whole_openai_document_gives_the_subsets_findings() -> None:
    curated = load_document(SPEC)
    whole, subset = load_document(WHOLE), load_document(SUBSET)

    def rows(doc: Document) -> list[tuple[str, ...]]:
        return [(f.level, f.kind, f.subject, f.message.text(), f.curated, f.upstream) for f in compare_documents(curated, doc).findings]

    assert rows(whole) == rows(subset)
    matcher = Matcher(curated.data, whole.data)
    matcher.run()
    components = {p.split("/")[3] for p in matcher.touched if p.startswith("/components/schemas/")}
    assert len(whole.data["components"]["schemas"]) > 1000
    assert components <= set(subset.data["components"]["schemas"])  # only what ChatKit reaches
    on_subset = Matcher(curated.data, subset.data)
    on_subset.run()
    assert matcher.touched == on_subset.touched


@needs_shared
def test_patch_for_the_issue_15_integer_regenerates(tmp_path: Path, import_from: Any) -> None:
    """The spec before the fix, patched from upstream, validates, generates and keeps 12 an int."""
    from conftest import generate_package

    case = next(c for c in CASES if c["name"].startswith("curated spec before the state_variables fix"))
    values = ["/components/schemas/ChatKitWorkflow/properties/state_variables/anyOf/0/additionalProperties",
              "/components/schemas/ChatSessionWorkflowParam/properties/state_variables/additionalProperties"]
    as_before = [{"op": "move", "from": v + "/anyOf", "path": v + "/oneOf"} for v in values]  # the spec's oneOf then
    curated = _doc(tmp_path, "curated", SPEC, case["curated"] + as_before)
    upstream = load_document(SUBSET)
    report = compare_documents(curated, upstream)
    ops = build_patch(curated.data, upstream.data, select(report.findings, ["type-widened"]), report.pairs)
    assert ops == [
        op
        for v in values
        for op in ({"op": "add", "path": v + "/oneOf/-", "value": {"type": "integer"}},
                   {"op": "move", "from": v + "/oneOf", "path": v + "/anyOf"})
    ]
    patched = tmp_path / "patched.yaml"
    patched.write_text(yaml.safe_dump(jsonpatch.apply_patch(copy.deepcopy(curated.data), ops), sort_keys=False), encoding="utf-8")
    assert not [p for p in validate_document(load_document(patched)) if p.level is Level.ERROR]
    generate_package(patched, tmp_path / "out", "patched_api")
    mod = import_from(tmp_path / "out", "patched_api.types")
    wf = mod.ChatKitWorkflow.model_validate({"id": "wf", "state_variables": {"seats": 12}, "tracing": {"enabled": True}, "version": None})
    assert wf.state_variables == {"seats": 12} and type(wf.state_variables["seats"]) is int


def test_state_variables_keep_an_integer_an_integer(chatkit_api: Any) -> None:
    types = __import__("chatkit_api.types", fromlist=["ChatKitWorkflow"])
    wf = types.ChatKitWorkflow.model_validate(
        {"id": "wf", "state_variables": {"seats": 12, "plan": "pro", "beta": True, "discount": 0.15},
         "tracing": {"enabled": True}, "version": None}
    )
    assert wf.state_variables is not None
    assert type(wf.state_variables["seats"]) is int and wf.state_variables["seats"] == 12
    assert type(wf.state_variables["beta"]) is bool and type(wf.state_variables["discount"]) is float
    assert wf.model_dump(mode="json")["state_variables"]["seats"] == 12
    assert '"seats":12,' in wf.model_dump_json()


@needs_shared
def test_select_and_patch_from_the_command_line(tmp_path: Path) -> None:
    case = next(c for c in CASES if c["name"] == "property added upstream")
    upstream = _doc(tmp_path, "upstream", SUBSET, case["upstream"])
    out = tmp_path / "fix.json"
    proc = run_cli("upstream", str(upstream.path), "--patch", str(out), "--select", "ChatKitThread", "--fail-on", "upstream-more")
    assert proc.returncode == 1 and proc.stderr == ""
    ops = json.loads(out.read_text(encoding="utf-8"))
    assert ops == [{"op": "add", "path": "/components/schemas/ChatKitThread/properties/metadata",
                    "value": {"type": "object", "description": "Key-value pairs attached to the thread.",
                              "additionalProperties": {"type": "string"}}}]
    none = run_cli("upstream", str(upstream.path), "--patch", str(out), "--select", "no-such-kind")
    assert none.returncode == 0 and json.loads(out.read_text(encoding="utf-8")) == []


@needs_shared
@pytest.mark.parametrize(
    ("row", "fail_on", "code"),
    [
        ("identical documents", "any", 0),
        ("property added upstream", "any", 1),
        ("property added upstream", "upstream-more", 1),
        ("property added upstream", "curated-more", 0),
        ("property removed upstream", "curated-more", 1),
        ("property removed upstream", "never", 0),
        ("a difference recorded with x-upstream-note is accepted", "any", 0),
    ],
)
def test_fail_on(row: str, fail_on: str, code: int, tmp_path: Path) -> None:
    case = next(c for c in CASES if c["name"] == row)
    upstream = _doc(tmp_path, "upstream", SUBSET, case.get("upstream"))
    curated = _doc(tmp_path, "curated", SPEC, case.get("curated"))
    proc = run_cli("upstream", str(upstream.path), "--spec", str(curated.path), "--fail-on", fail_on)
    assert proc.returncode == code, proc.stdout + proc.stderr


@needs_shared
def test_formats_are_deterministic_and_agree(tmp_path: Path) -> None:
    case = next(c for c in CASES if c["name"] == "enum value removed upstream (both list operations share the enum)")
    upstream = _doc(tmp_path, "upstream", SUBSET, case["upstream"])
    out = {fmt: [run_cli("upstream", str(upstream.path), "--format", fmt).stdout for _ in range(2)] for fmt in ("text", "json", "markdown")}
    for first, second in out.values():
        assert first == second
    data = json.loads(out["json"][0])
    assert data["summary"]["curated-more"] == 2 and data["summary"]["upstream-more"] == 0
    row = next(f for f in data["findings"] if f["level"] == "curated-more")
    assert row["curated"] == "/paths/~1chatkit~1threads/get/parameters/4/schema" and row["upstream"] == "/components/schemas/OrderEnum"
    assert isinstance(row["curated_line"], int)
    assert "beta.chatkit.threads.list(order): upstream has no value `\"asc\"` [enum-value-removed]" in out["text"][0]
    md = out["markdown"][0]
    assert md.startswith("## Upstream drift:") and "2 differences to act on" in md
    assert "| `beta.chatkit.threads.list(order)` | upstream has no value `\"asc\"` `enum-value-removed` | `/paths/~1chatkit~1threads/get/parameters/4/schema` | `/components/schemas/OrderEnum` |" in md


def test_missing_upstream_file_is_one_located_line(tmp_path: Path) -> None:
    proc = run_cli("upstream", str(tmp_path / "nope.yaml"))
    assert proc.returncode == 1
    assert proc.stderr.strip().endswith("error: /: no such file") and "Traceback" not in proc.stderr


@needs_shared
def test_descriptions_are_compared_only_on_request() -> None:
    curated, subset = load_document(SPEC), load_document(SUBSET)
    plain = compare_documents(curated, subset)
    described = compare_documents(curated, subset, descriptions=True)
    extra = set(described.findings) - set(plain.findings)
    assert extra and {f.kind for f in extra} == {"description-changed"} and {f.level for f in extra} == {"info"}
    # Backticks and line breaks are spelling, not a different description.
    assert not any(f.subject == "ChatKitThread.object" for f in extra)


def test_the_curated_spec_against_itself_has_no_findings() -> None:
    doc = load_document(SPEC)
    report = compare_documents(doc, load_document(SPEC))
    assert report.findings == ()
    assert all(c == u for c, us in report.pairs.items() for u in us) and "ChatSession" in report.pairs


def test_odd_upstream_documents_are_compared_without_crashing(tmp_path: Path) -> None:
    """Broken or recursive upstream schemas give findings, never a traceback."""
    path = "/chatkit/threads/{thread_id}"
    loop = {"$ref": "#/components/schemas/Loop"}
    odd = {
        "openapi": "3.1.0",
        "info": {"title": "odd", "version": "1"},
        "paths": {
            path: {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}}}}},
                   "delete": {"parameters": "nope", "responses": {"200": {"content": {"application/json": {"schema": loop}}}}}},
            "/chatkit/threads": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"data": {"type": "array", "items": [1, 2]}, "has_more": "yes"}}}}}}}},
        },
        "components": {"schemas": {"Loop": {"type": "object", "properties": {"next": loop, "self": {"$ref": "#/components/schemas/Self"}}},
                                   "Self": {"$ref": "#/components/schemas/Self"}}},
    }
    out = tmp_path / "odd.json"
    out.write_text(json.dumps(odd), encoding="utf-8")
    for fmt in ("text", "json", "markdown"):
        proc = run_cli("upstream", str(out), "--format", fmt, "--patch", str(tmp_path / "p.json"))
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    report = compare_documents(load_document(SPEC), load_document(out))
    kinds = {f.kind for f in report.findings}
    assert {"operation-removed", "property-removed", "type-widened"} <= kinds  # a dangling $ref is any schema
