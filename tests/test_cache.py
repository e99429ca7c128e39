"""The user cache: formatting, validation, parse checks and compiled templates."""

from __future__ import annotations

from pathlib import Path

import pytest
from chatkit_codegen import pipeline
from chatkit_codegen.cache import FormatCache, black_identity, cache_dir
from chatkit_codegen.config import Config, load_config
from chatkit_codegen.errors import CodegenError, Level, Problem
from chatkit_codegen.ir.model import API
from chatkit_codegen.load.document import load_text
from chatkit_codegen.render.env import make_env

ROOT = Path(__file__).resolve().parent.parent
LONG = "x = [" + ", ".join(f'"item{i}"' for i in range(20)) + "]\n"  # > 88 columns


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


def test_black_output_is_remembered_and_reused() -> None:
    black = pytest.importorskip("black")
    first = pipeline.format_long_files({"m.py": LONG, "short.py": "y = 1\n"})
    assert first["m.py"] == black.format_str(LONG, mode=black.Mode())
    assert first["short.py"] == "y = 1\n"
    identity = black_identity()
    assert identity is not None
    cache = FormatCache(f"black-{identity}-default-mode")
    assert cache.get(LONG) == first["m.py"]
    # The second run takes the remembered output instead of calling black.
    cache.put(LONG, "REMEMBERED\n")
    assert pipeline.format_long_files({"m.py": LONG})["m.py"] == "REMEMBERED\n"


def test_validation_warnings_are_reported_again_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = load_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", Path("spec.yaml"))
    warning = Problem("spec.yaml", 2, 1, Level.WARNING, "/info", "a warning")
    calls: list[int] = []

    def fake_validate(d: object) -> list[Problem]:
        calls.append(1)
        return [warning]

    monkeypatch.setattr("chatkit_codegen.load.validate.validate_document", fake_validate)
    assert pipeline.validate_cached(doc) == [warning]
    assert pipeline.validate_cached(doc) == [warning]
    assert pipeline.validate_cached(doc)[0].level is Level.WARNING
    assert len(calls) == 1


def test_specs_with_errors_are_validated_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = load_text("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n", Path("spec.yaml"))
    error = Problem("spec.yaml", 1, 1, Level.ERROR, "", "broken")
    calls: list[int] = []

    def fake_validate(d: object) -> list[Problem]:
        calls.append(1)
        return [error]

    monkeypatch.setattr("chatkit_codegen.load.validate.validate_document", fake_validate)
    assert pipeline.validate_cached(doc) == [error]
    assert pipeline.validate_cached(doc) == [error]
    assert len(calls) == 2


def test_a_tree_that_parsed_is_remembered_but_a_changed_one_is_checked() -> None:
    good = {"pkg/a.py": "x = 1\n", "README.md": "not python ("}
    pipeline.check_sources(good)
    assert list(cache_dir().glob("parsed-*"))
    pipeline.check_sources(good)
    with pytest.raises(CodegenError, match="does not parse"):
        pipeline.check_sources({**good, "pkg/a.py": "x = (\n"})


def test_compiled_templates_are_cached_and_render_the_same(tmp_path: Path) -> None:
    """A user's template is compiled from source once, then read from the cache (the
    built-in ones come precompiled: tests/test_cold_start.py)."""
    from chatkit_codegen.render.env import builtin_templates

    user = tmp_path / "tpl"
    user.mkdir()
    (user / "index.md.jinja").write_bytes((builtin_templates() / "docs" / "index.md.jinja").read_bytes())
    api, cfg = _api_and_cfg()
    cfg = cfg.with_overrides(templates=user)
    files = pipeline.render_files(api, cfg)
    assert list(cache_dir().glob("jinja-*/__jinja2_*.cache"))
    assert pipeline.render_files(api, cfg) == files


def test_an_unwritable_cache_changes_nothing_but_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    env = make_env()
    assert env.bytecode_cache is None
    pipeline.check_sources({"a.py": "x = 1\n"})
    assert pipeline.format_long_files({"m.py": "y = 1\n"}) == {"m.py": "y = 1\n"}


def _api_and_cfg() -> tuple[API, Config]:
    from chatkit_codegen.ir.build import build_api
    from chatkit_codegen.load.document import load_document

    cfg = load_config(ROOT)
    return build_api(load_document(cfg.spec)), cfg


YAML_SPEC = """\
openapi: 3.1.0
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    A:
      type: object
      properties:
        b: {$ref: "#/components/schemas/B"}
    B: {type: string}
"""


def test_a_yaml_document_is_parsed_once_then_read_from_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from chatkit_codegen.load import yaml_loader

    first = load_text(YAML_SPEC, Path("spec.yaml"))

    def no_yaml(*args: object) -> None:
        raise AssertionError("parsed YAML again")

    monkeypatch.setattr(yaml_loader, "load_yaml", no_yaml)
    again = load_text(YAML_SPEC, Path("spec.yaml"))
    assert again.data == first.data
    with pytest.raises(AssertionError):  # another text is parsed
        load_text(YAML_SPEC + "x-other: 1\n", Path("spec.yaml"))


def test_problem_locations_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    from chatkit_codegen.load import document

    doc = load_text(YAML_SPEC, Path("spec.yaml"))
    pointers = ["/components/schemas/A/properties/b", "/components/schemas/B"]
    where = doc.locate_many(pointers)
    assert where == {pointers[0]: (9, 12), pointers[1]: (10, 8)}

    def no_compose(self: object, pointer: str) -> tuple[int, int]:
        raise AssertionError("composed the YAML again")

    monkeypatch.setattr(document.Document, "locate", no_compose)
    assert load_text(YAML_SPEC, Path("spec.yaml")).locate_many(reversed(pointers)) == where


def test_an_unchanged_generate_or_check_reuses_its_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second run of the same spec, settings and toolkit neither validates, builds
    nor renders (generate and check share it); a changed spec is generated again."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(YAML_SPEC, encoding="utf-8")
    cfg = load_config(tmp_path).with_overrides(spec=spec, out=tmp_path / "out", package_name="cached_api")
    first = pipeline.generate_cached(cfg)

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("generated again")

    monkeypatch.setattr(pipeline, "generate", no_build)
    again = pipeline.generate_cached(cfg.with_overrides(out=tmp_path / "elsewhere"))
    assert again.files == first.files and again.warnings == first.warnings
    assert again.api.decls.keys() == first.api.decls.keys()
    from chatkit_codegen.ir.model import MISSING

    field = next(f for d in again.api.decls.values() if hasattr(d, "fields") for f in d.fields)
    assert field.default is MISSING  # the sentinel survives the cache as itself
    for changed in (
        cfg.with_overrides(package_name="other_api"),  # a setting
        cfg.with_overrides(strict=True),
    ):
        with pytest.raises(AssertionError, match="generated again"):
            pipeline.generate_cached(changed)
    spec.write_text(YAML_SPEC.replace("type: string", "type: integer"), encoding="utf-8")
    with pytest.raises(AssertionError, match="generated again"):
        pipeline.generate_cached(cfg)  # the spec
