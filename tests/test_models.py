"""The generated ChatKit models against the reference page and the spec's own examples."""

from __future__ import annotations

import importlib
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.ir.model import API, ModelDecl, Nullable
from chatkit_codegen.load.document import load_document
from chatkit_codegen.load.walk import iter_operations
from chatkit_codegen.render.pytypes import doc_type
from conftest import SEED, SPEC


@pytest.fixture(scope="module")
def api() -> API:
    return build_api(load_document(SPEC))


def _page_fields(known: set[str]) -> list[tuple[list[str], bool, str, str]]:
    """Every ``field: Type`` line of the reference page with the classes it may belong to.

    The scraped page is flat text: a nested class's fields are followed by its owner's
    remaining fields with no marker. So each field line carries the chain of classes
    opened since the last section header (most recent first); the first field after a
    ``class X:`` header belongs to X for certain.
    """
    out: list[tuple[list[str], bool, str, str]] = []
    chain: list[str] = []
    first = False
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("Models") or (line.startswith("ChatKit") and " " not in line):
            chain = []
            continue
        m = re.fullmatch(r"class (\w+):", line)
        if m:
            chain.insert(0, m.group(1))
            first = True
            continue
        m = re.fullmatch(r"(\w+): (.+)", line)
        if m and chain:
            out.append((list(chain), first, m.group(1), m.group(2)))
            first = False
            # A field typed with a class opens it: its fields may follow (``tracing: Tracing``).
            for word in re.findall(r"\w+", m.group(2)):
                if word in known and word not in chain[:1]:
                    chain.insert(0, word)
    return out


def _page_notation(api: API, decl: ModelDecl, field_name: str) -> str | None:
    for f in decl.fields:
        if f.wire_name == field_name:
            t = doc_type(api, f.type)
            if not f.required and not isinstance(f.type, Nullable):
                t = f"Optional[{t}]"
            return t
    return None


# Where the page is lossy and the spec follows upstream (README "Upstream drift"):
# (field, the page's type) -> the generated type.
PAGE_LOSSY = {
    ("state_variables", "Optional[Dict[str, Union[str, bool, float]]]"): "Optional[Dict[str, Union[str, int, bool, float]]]",
}


def test_every_page_class_has_the_page_fields_and_types(api: API) -> None:
    by_name: dict[str, list[ModelDecl]] = {}
    for decl in api.decls.values():
        if isinstance(decl, ModelDecl):
            by_name.setdefault(decl.name, []).append(decl)
    rows = _page_fields(set(by_name))
    assert len(rows) >= 150
    mismatches = []
    for chain, exact, name, page_type in rows:
        for cls in chain:
            assert cls in by_name, f"class {cls} from the reference page is not generated"
        candidates = chain[:1] if exact else chain
        found = {_page_notation(api, d, name) for cls in candidates for d in by_name[cls]}
        if page_type not in found and PAGE_LOSSY.get((name, page_type)) not in found:
            mismatches.append(f"{chain[0]}.{name}: page {page_type!r}, generated {sorted(map(str, found))}")
    assert not mismatches, "\n".join(mismatches)


def test_page_names_import_from_the_documented_places(chatkit_api: Any) -> None:
    types = importlib.import_module("chatkit_api.types")
    for name in ["ChatSession", "ChatKitThreadItemList", "ChatSessionStatus", "SessionCreateParams",
                 "ThreadListParams", "ThreadListItemsParams", "ThreadDeleteResponse"]:
        assert hasattr(types, name), name
    nested = {
        "chatkit_thread": ["StatusActive", "StatusLocked", "StatusClosed", "Status"],
        "chatkit_response_output_text": ["AnnotationFile", "AnnotationFileSource", "AnnotationURL", "AnnotationURLSource"],
        "chatkit_thread_user_message_item": ["ContentInputText", "ContentQuotedText", "InferenceOptions", "InferenceOptionsToolChoice"],
        "chatkit_thread_item_list": ["DataChatKitClientToolCall", "DataChatKitTask", "DataChatKitTaskGroup", "DataChatKitTaskGroupTask", "Data"],
        "chatkit_workflow": ["Tracing"],
        "chat_session_workflow_param": ["Tracing"],
        "chat_session_chatkit_configuration_param": ["AutomaticThreadTitling", "FileUpload", "History"],
    }
    for module, names in nested.items():
        mod = importlib.import_module(f"chatkit_api.types.{module}")
        for name in names:
            assert name in mod.__all__ and hasattr(mod, name), f"{module}.{name}"
    from chatkit_api.types import chat_session_workflow_param, chatkit_workflow

    assert chatkit_workflow.Tracing is not chat_session_workflow_param.Tracing


def _examples_by_schema() -> list[tuple[str, str, Any]]:
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    out = []
    for name, schema in data["components"]["schemas"].items():
        for i, ex in enumerate(schema.get("examples", [])):
            out.append((f"{name}[{i}]", name, ex))
    for _ptr, _path, _method, op in iter_operations(data):
        for code, resp in op["responses"].items():
            for media in resp.get("content", {}).values():
                ref = media["schema"].get("$ref", "")
                for ex_name, ex in media.get("examples", {}).items():
                    out.append((f"{op['operationId']}:{code}:{ex_name}", ref.rsplit("/", 1)[-1], ex["value"]))
        body = op.get("requestBody")
        if body:
            for media in body["content"].values():
                ref = media["schema"].get("$ref", "")
                for ex_name, ex in media.get("examples", {}).items():
                    out.append((f"{op['operationId']}:body:{ex_name}", ref.rsplit("/", 1)[-1], ex["value"]))
    return out


@pytest.mark.parametrize("label,schema,example", _examples_by_schema(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_spec_example_round_trips(chatkit_api: Any, api: API, label: str, schema: str, example: Any) -> None:
    from pydantic import TypeAdapter

    decl = next(d for d in api.decls.values() if d.pointer == f"/components/schemas/{schema}")
    module = importlib.import_module(f"chatkit_api.types.{decl.module}")
    cls = getattr(module, decl.name)
    if isinstance(decl, ModelDecl) and decl.shape == "response":
        model = cls.model_validate(example)
        assert model.model_dump(mode="json", exclude_unset=True) == example
        assert type(model).model_validate_json(model.model_dump_json(exclude_unset=True)) == model
    else:
        adapter: TypeAdapter[Any] = TypeAdapter(cls)
        assert adapter.dump_python(adapter.validate_python(example), mode="json") == example


def test_a_page_of_all_six_item_kinds_parses(chatkit_api: Any) -> None:
    from chatkit_api.types import ChatKitThreadItemList

    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    op = data["paths"]["/chatkit/threads/{thread_id}/items"]["get"]
    value = next(iter(op["responses"]["200"]["content"]["application/json"]["examples"].values()))["value"]
    page = ChatKitThreadItemList.model_validate(value)
    kinds = {type(item).__name__ for item in page.data}
    assert kinds == {
        "ChatKitThreadUserMessageItem", "ChatKitThreadAssistantMessageItem", "ChatKitWidgetItem",
        "DataChatKitClientToolCall", "DataChatKitTask", "DataChatKitTaskGroup",
    }


def test_one_bad_item_gives_errors_for_its_own_variant_only(chatkit_api: Any) -> None:
    from chatkit_api.types import ChatKitThreadItemList
    from pydantic import ValidationError

    bad = {"object": "list", "data": [{"type": "chatkit.widget", "id": "x", "object": "chatkit.thread_item",
           "created_at": 1, "thread_id": "t"}], "first_id": None, "last_id": None, "has_more": False}
    with pytest.raises(ValidationError) as info:
        ChatKitThreadItemList.model_validate(bad)
    errors = info.value.errors()
    assert len(errors) == 1
    assert errors[0]["loc"] == ("data", 0, "chatkit.widget", "widget")


def test_forward_compatibility_unknown_fields_kept_unknown_tags_rejected(chatkit_api: Any) -> None:
    """Documented policy: extra fields are kept; an unknown item type is one clear error."""
    from chatkit_api.types import ChatKitThread, ChatKitThreadItemList
    from pydantic import ValidationError

    thread = ChatKitThread.model_validate({"id": "cthr_1", "object": "chatkit.thread", "created_at": 1,
                                           "status": {"type": "active"}, "title": None, "user": "u",
                                           "new_server_field": {"x": 1}})
    assert thread.model_extra == {"new_server_field": {"x": 1}}
    assert thread.model_dump(mode="json")["new_server_field"] == {"x": 1}
    with pytest.raises(ValidationError) as info:
        ChatKitThreadItemList.model_validate({"object": "list", "data": [{"type": "chatkit.hologram"}],
                                              "first_id": None, "last_id": None, "has_more": False})
    errors = info.value.errors()
    assert len(errors) == 1 and errors[0]["type"] == "union_tag_invalid"
    assert "chatkit.hologram" in str(info.value)


def test_nullable_and_optional_follow_the_spec(chatkit_api: Any) -> None:
    from chatkit_api.types import ChatKitThread
    from chatkit_api.types.session_create_params import SessionCreateParams
    from pydantic import ValidationError

    base = {"id": "c", "object": "chatkit.thread", "created_at": 1, "status": {"type": "active"}, "user": "u"}
    with pytest.raises(ValidationError):  # title is required (nullable, but must be present)
        ChatKitThread.model_validate(base)
    assert ChatKitThread.model_validate({**base, "title": None}).title is None
    assert SessionCreateParams.__required_keys__ == frozenset({"user", "workflow"})


def test_constraints_are_enforced(chatkit_api: Any) -> None:
    from chatkit_api.types.chat_session_chatkit_configuration_param import FileUpload
    from chatkit_api.types.chat_session_workflow_param import ChatSessionWorkflowParam
    from pydantic import TypeAdapter, ValidationError

    adapter: TypeAdapter[Any] = TypeAdapter(ChatSessionWorkflowParam)
    with pytest.raises(ValidationError):
        adapter.validate_python({"id": "w", "state_variables": {"k" * 65: "v"}})
    adapter.validate_python({"id": "w", "state_variables": {"k" * 64: "v"}})
    assert FileUpload.__optional_keys__ == frozenset({"enabled", "max_file_size", "max_files"})


def test_formats_are_not_normalised(chatkit_api: Any) -> None:
    from chatkit_api.types.chatkit_response_output_text import AnnotationURLSource

    url = "HTTPS://Example.COM:443/a/../b?q=1#frag"
    assert AnnotationURLSource.model_validate({"type": "url", "url": url}).url == url


def test_template_override_by_file_name(tmp_path: Path) -> None:
    from chatkit_codegen.config import load_config
    from chatkit_codegen.pipeline import generate

    override = tmp_path / "templates"
    override.mkdir()
    (override / "_models.py.jinja").write_text(
        "{{ header }}\n\nfrom pydantic import BaseModel as _B\n\n__all__ = [\"BaseModel\"]\n\n\n"
        "class BaseModel(_B):\n    \"\"\"Overridden.\"\"\"\n", encoding="utf-8"
    )
    cfg = load_config(SPEC.parent.parent).with_overrides(templates=override, out=tmp_path / "out")
    files = generate(cfg).files
    assert '"""Overridden."""' in files["chatkit_api/_models.py"]
    assert files["chatkit_api/_models.py"].startswith("# Generated by chatkit-codegen")
