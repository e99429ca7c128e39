"""Property tests: instances valid under a schema's JSON Schema validate in its model,
and invalid ones (mutations the JSON Schema rejects) are rejected by the model."""

from __future__ import annotations

import importlib
from typing import Any

import jsonschema
import pytest
import yaml
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.ir.model import ModelDecl
from chatkit_codegen.load.document import load_document
from conftest import SPEC
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from schema_tools import inline_schema, mutations

DOCUMENT = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
API = build_api(load_document(SPEC))
COMPONENTS = sorted(DOCUMENT["components"]["schemas"])


def model_for(component: str) -> Any:
    from pydantic import TypeAdapter

    decl = next(d for d in API.decls.values() if d.pointer == f"/components/schemas/{component}")
    cls = getattr(importlib.import_module(f"chatkit_api.types.{decl.module}"), decl.name)
    if isinstance(decl, ModelDecl) and decl.shape == "response":
        return cls.model_validate
    adapter: TypeAdapter[Any] = TypeAdapter(cls)
    return adapter.validate_python


@pytest.mark.parametrize("component", COMPONENTS)
def test_valid_instances_accepted_invalid_rejected(chatkit_api: Any, component: str) -> None:
    schema = inline_schema(DOCUMENT, DOCUMENT["components"]["schemas"][component])
    validator = jsonschema.Draft202012Validator(schema)
    validate = model_for(component)

    @settings(max_examples=25, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large])
    @given(from_schema(schema), st.data())
    def check(instance: Any, data: st.DataObject) -> None:
        validate(instance)
        candidates = [m for m in mutations(schema, instance) if not validator.is_valid(m[1])]
        if candidates:
            label, broken = data.draw(st.sampled_from(candidates))
            with pytest.raises(Exception) as info:
                validate(broken)
            assert type(info.value).__name__ == "ValidationError", label

    check()
