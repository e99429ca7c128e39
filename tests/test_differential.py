"""Differential test: our models and datamodel-code-generator's, generated from the same
spec inside the test, must accept and reject the same instances, except where listed.

Intended differences (each checked by a predicate, so nothing else may differ):

* ``format: uri`` — datamodel-code-generator types it ``AnyUrl``, which rejects strings
  that are not absolute URLs and normalises the rest (``HTTPS://X.COM`` → ``https://x.com/``).
  We keep ``str``: the API returns URLs, a client must not rewrite or reject them.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import SPEC
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from schema_tools import inline_schema, mutations
from test_property import COMPONENTS, DOCUMENT, model_for


def _non_url_string(instance: Any) -> bool:
    from pydantic import AnyUrl, TypeAdapter, ValidationError

    adapter: TypeAdapter[Any] = TypeAdapter(AnyUrl)
    stack = [instance]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("url", "preview_url") and isinstance(value, str):
                    try:
                        adapter.validate_python(value)
                    except ValidationError:
                        return True
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)
    return False


INTENDED: dict[str, Callable[[Any], bool]] = {
    "format uri kept as str": _non_url_string,
}


@pytest.fixture(scope="module")
def peer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    exe = shutil.which("datamodel-codegen") or str(Path(sys.executable).with_name("datamodel-codegen"))
    out = tmp_path_factory.mktemp("dmcg") / "peer_models.py"
    subprocess.run(
        [exe, "--input", str(SPEC), "--input-file-type", "openapi", "--output", str(out),
         "--output-model-type", "pydantic_v2.BaseModel", "--target-python-version", "3.10",
         "--use-annotated", "--field-constraints", "--disable-timestamp"],
        check=True, capture_output=True, text=True,
    )
    spec = importlib.util.spec_from_file_location("peer_models", out)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["peer_models"] = module
    spec.loader.exec_module(module)
    return module


def _accepts(fn: Callable[[Any], Any], value: Any) -> bool:
    try:
        fn(value)
    except Exception as exc:
        assert type(exc).__name__ == "ValidationError", repr(exc)
        return False
    return True


@pytest.mark.parametrize("component", COMPONENTS)
def test_same_verdicts_as_datamodel_code_generator(chatkit_api: Any, peer: Any, component: str) -> None:
    from pydantic import TypeAdapter

    schema = inline_schema(DOCUMENT, DOCUMENT["components"]["schemas"][component])
    validator = jsonschema.Draft202012Validator(schema)
    ours = model_for(component)
    theirs_cls = getattr(peer, component)
    adapter: TypeAdapter[Any] = TypeAdapter(theirs_cls)
    theirs = adapter.validate_python
    unexplained: list[str] = []

    @settings(max_examples=25, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(from_schema(schema), st.data())
    def check(instance: Any, data: st.DataObject) -> None:
        samples = [("valid", instance)]
        bad = [m for m in mutations(schema, instance) if not validator.is_valid(m[1])]
        if bad:
            samples.append(data.draw(st.sampled_from(bad)))
        for label, value in samples:
            a, b = _accepts(ours, value), _accepts(theirs, value)
            if a != b and not any(pred(value) for pred in INTENDED.values()):
                unexplained.append(f"{component} {label}: ours={a} peer={b} value={value!r}"[:400])

    check()
    assert not unexplained, "\n".join(unexplained[:10])


def test_intended_differences_are_real(chatkit_api: Any, peer: Any) -> None:
    """Each listed difference, shown on a concrete instance."""
    source = {"type": "url", "url": "not a url at all"}
    assert INTENDED["format uri kept as str"](source)
    from chatkit_api.types.chatkit_response_output_text import AnnotationURLSource

    assert _accepts(AnnotationURLSource.model_validate, source)
    peer_source = next(
        cls for name, cls in vars(peer).items()
        if isinstance(cls, type) and "url" in getattr(cls, "model_fields", {}) and name.startswith("Source")
    )
    assert not _accepts(peer_source.model_validate, source)
    shouting = "HTTPS://Example.COM"
    assert AnnotationURLSource.model_validate({"type": "url", "url": shouting}).url == shouting
    assert str(peer_source.model_validate({"type": "url", "url": shouting}).url) != shouting
