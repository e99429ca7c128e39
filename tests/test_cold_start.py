"""Cold runs: what a first run (empty cache, fresh CI job) imports and compiles.

A run with the built-in templates never imports black (the layout is black-stable
as rendered) and parses no template source (they ship precompiled, and a compiled
module whose template changed is never used); each command imports only what it
uses. No timings are asserted: ``nox -s bench`` prints them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jinja2
import pytest
from chatkit_codegen import pipeline
from chatkit_codegen.render import precompiled
from chatkit_codegen.render.env import builtin_templates, make_env
from chatkit_codegen.render.pyfmt import lines_black_would_change
from golden import cases, config_for

ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("black", "jinja2", "yaml", "openapi_spec_validator", "jsonschema", "jsonschema_rs")

# Run one CLI command in a fresh interpreter and report which heavy modules it loaded.
# Modules the interpreter had before (a site hook's, say) are not the command's.
PROBE = """
import sys
before = {m.split(".")[0] for m in sys.modules}
import json, os
HEAVY = os.environ["PROBE_HEAVY"]
from chatkit_codegen.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
heavy = sorted(({m.split(".")[0] for m in sys.modules} - before) & set(HEAVY.split(",")))
print(json.dumps({"code": code, "heavy": heavy}))
"""


def run_cli(*args: str, cache: Path, cwd: Path = ROOT, modules: tuple[str, ...] = HEAVY) -> dict[str, Any]:
    """Run the command; ``heavy`` lists which of ``modules`` it imported. In one process:
    with two, a step's imports happen in the child (``parallel.py``), out of the probe's sight."""
    env = {
        "XDG_CACHE_HOME": str(cache), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "generator"),
        "PROBE_HEAVY": ",".join(modules), "CHATKIT_CODEGEN_JOBS": "1",
    }  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    assert proc.stdout.strip(), proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["stderr"] = proc.stderr
    return result


@pytest.fixture
def cold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty user cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the templates Jinja parses from source from now on."""
    names: list[str] = []
    original = jinja2.Environment._parse

    def spy(self: jinja2.Environment, source: str, name: str | None, filename: str | None) -> Any:
        names.append(str(name))
        return original(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", spy)
    return names


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_built_in_templates_never_need_black_and_are_not_parsed(
    case: Any, cold: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_black(*args: object) -> None:
        raise AssertionError("black was called")

    monkeypatch.setattr(pipeline, "_format_with_black", no_black)
    files = pipeline.generate(config_for(case)).files
    assert parsed == []
    assert not [p for p, text in files.items() if p.endswith(".py") and lines_black_would_change(text)]
    # and the output is exactly the committed golden tree
    assert files == pipeline.read_tree(case.out), "run: python tests/golden.py"


def test_a_cold_chatkit_generate_imports_neither_black_nor_template_compilation(tmp_path: Path) -> None:
    out = run_cli("generate", "--out", str(tmp_path / "out"), cache=tmp_path / "xdg")
    assert out["code"] == 0, out["stderr"]
    assert "black" not in out["heavy"]
    assert (tmp_path / "out" / "chatkit_api" / "__init__.py").is_file()


@pytest.fixture(scope="module")
def spec_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ChatKit spec as a JSON document (no YAML to parse)."""
    import yaml

    path = tmp_path_factory.mktemp("json") / "chatkit.json"
    path.write_text(json.dumps(yaml.safe_load((ROOT / "spec" / "chatkit.yaml").read_text("utf-8"))), "utf-8")
    return path


def test_each_command_imports_only_what_it_uses(tmp_path: Path, spec_json: Path) -> None:
    cache = tmp_path / "xdg"

    version = run_cli("--version", cache=cache)
    assert version["code"] == 0 and version["heavy"] == []
    light = run_cli("--version", cache=cache, modules=("argparse", "pathlib", "typing", "tomllib", "dataclasses"))
    assert light["heavy"] == ["argparse"]  # no config, no paths, no records: just the parser

    validate = run_cli("validate", str(spec_json), cache=cache)
    assert validate["code"] == 0, validate["stderr"]
    # the validator is the work; no templates, no black, no PyYAML for a JSON document
    assert validate["heavy"] == ["jsonschema_rs"]

    out = str(tmp_path / "out")
    no_validate = run_cli("generate", "--no-validate", "--spec", str(spec_json), "--out", out, cache=cache)
    assert no_validate["code"] == 0, no_validate["stderr"]
    assert no_validate["heavy"] == ["jinja2"]  # a JSON document needs no PyYAML

    first = run_cli("generate", "--spec", str(spec_json), "--out", out, cache=cache)  # validates, fills the cache
    assert first["code"] == 0, first["stderr"]
    assert first["heavy"] == ["jinja2", "jsonschema_rs"]  # cold: the validator, still no PyYAML
    warm = run_cli("generate", "--spec", str(spec_json), "--out", out, cache=cache)
    assert warm["code"] == 0, warm["stderr"]
    assert warm["heavy"] == []  # the result is remembered: no validator, no templates, no YAML

    check = run_cli("check", "--spec", str(spec_json), "--out", out, cache=cache)
    assert check["code"] == 0, check["stderr"]
    assert check["heavy"] == []  # check shares generate's result

    elsewhere = str(tmp_path / "other")
    other = run_cli("generate", "--spec", str(spec_json), "--out", elsewhere, "--package-name", "other_api", cache=cache)
    assert other["code"] == 0, other["stderr"]
    assert other["heavy"] == ["jinja2"]  # a new setting renders again; validation is still cached

    cold_check = run_cli("check", "--spec", str(spec_json), "--out", out, cache=tmp_path / "empty")
    assert cold_check["code"] == 0, cold_check["stderr"]
    assert cold_check["heavy"] == ["jinja2", "jsonschema_rs"]  # an empty cache validates; no YAML


def test_a_yaml_spec_whose_validation_is_cached_needs_neither_pyyaml_nor_the_validator(tmp_path: Path) -> None:
    cache, out = tmp_path / "xdg", str(tmp_path / "out")
    first = run_cli("generate", "--out", out, cache=cache)  # the ChatKit YAML spec of pyproject
    assert first["code"] == 0, first["stderr"]
    assert {"yaml", "jsonschema_rs"} <= set(first["heavy"])  # so the probe sees them when they load
    for command in ("generate", "check"):
        warm = run_cli(command, "--out", out, cache=cache)
        assert warm["code"] == 0, warm["stderr"]
        assert warm["heavy"] == [], command  # the remembered result: nothing heavy at all
    renamed = run_cli("generate", "--out", out, "--package-name", "renamed_api", cache=cache)
    assert renamed["code"] == 0, renamed["stderr"]
    assert renamed["heavy"] == ["jinja2"]  # rendered again from the cached validation and document


# Stop the process when the spec is first opened: what start-up imported before any work.
STARTUP_PROBE = """
import json, os, sys
spec = os.path.realpath(os.environ["PROBE_SPEC"])
heavy = os.environ["PROBE_HEAVY"].split(",")
def stop(event, args):
    if event == "open" and isinstance(args[0], (str, os.PathLike)) and os.path.realpath(args[0]) == spec:
        loaded = sorted({m.split(".")[0] for m in sys.modules} & set(heavy))
        print(json.dumps({"stopped": True, "heavy": loaded}))
        sys.stdout.flush()
        os._exit(0)
sys.addaudithook(stop)
from chatkit_codegen.cli import main
main(sys.argv[1:])
print(json.dumps({"stopped": False}))
"""


@pytest.mark.parametrize("command", ["validate", "generate", "check"])
@pytest.mark.parametrize("document", ["yaml", "json"])
def test_start_up_imports_nothing_heavy_before_the_first_line_of_work(
    command: str, document: str, tmp_path: Path, spec_json: Path
) -> None:
    spec = str(ROOT / "spec" / "chatkit.yaml") if document == "yaml" else str(spec_json)
    argv = [command, spec] if command == "validate" else [command, "--spec", spec, "--out", str(tmp_path / "out")]
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "xdg"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "generator"),
        "PROBE_HEAVY": ",".join(HEAVY), "PROBE_SPEC": spec,
    }  # fmt: skip
    proc = subprocess.run(
        [sys.executable, "-c", STARTUP_PROBE, *argv], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["stopped"], proc.stderr  # the spec was opened: the command reached its work
    assert result["heavy"] == []


def test_the_committed_compiled_templates_are_current(tmp_path: Path) -> None:
    fresh = precompiled.compile_all(builtin_templates(), lambda: make_env(precompiled=False))
    committed = {p.name: p.read_text(encoding="utf-8") for p in precompiled.COMPILED.glob("*.py")}
    assert committed == fresh, "run: python tests/golden.py"


def test_compiling_the_templates_is_deterministic() -> None:
    script = (
        "from chatkit_codegen.render import precompiled as p; from chatkit_codegen.render.env import "
        "builtin_templates, make_env; import hashlib, json; files = p.compile_all(builtin_templates(), "
        "lambda: make_env(precompiled=False)); print(hashlib.sha256(json.dumps(files, sort_keys=True)"
        ".encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script], env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "generator")},
            capture_output=True, text=True, check=True,
        ).stdout
        for seed in ("0", "1", "4242")
    }
    assert len(digests) == 1


def _copy_builtins(tmp_path: Path) -> tuple[Path, Path]:
    templates = tmp_path / "templates"
    shutil.copytree(builtin_templates(), templates)
    compiled = tmp_path / "compiled"
    shutil.copytree(precompiled.COMPILED, compiled, ignore=shutil.ignore_patterns("__pycache__"))
    return templates, compiled


def test_a_stale_compiled_module_is_never_used(tmp_path: Path, cold: Path, parsed: list[str]) -> None:
    templates, compiled = _copy_builtins(tmp_path)
    name = "package/py.typed.jinja"
    (templates / name).write_text((templates / name).read_text("utf-8") + "# edited\n", "utf-8")
    loader = precompiled.BuiltinLoader(templates, compiled)
    env = make_env()
    env.loader = jinja2.ChoiceLoader([loader])
    text = env.get_template(name).render()
    assert text.endswith("# edited\n")
    assert parsed == [name] and loader.compiled_hits == 0
    env.get_template("helpers.jinja")  # unchanged: taken precompiled
    assert parsed == [name] and loader.compiled_hits == 1


def test_compiled_modules_of_another_jinja_or_options_are_not_used(tmp_path: Path, cold: Path, parsed: list[str]) -> None:
    templates, compiled = _copy_builtins(tmp_path)
    manifest = compiled / precompiled.MANIFEST_MODULE
    options, _ = precompiled.read_manifest(compiled)
    manifest.write_text(manifest.read_text("utf-8").replace(options, "0" * 16), "utf-8")
    loader = precompiled.BuiltinLoader(templates, compiled)
    env = make_env()
    env.loader = jinja2.ChoiceLoader([loader])
    env.get_template("helpers.jinja")
    assert parsed == ["helpers.jinja"] and loader.compiled_hits == 0


def test_a_users_template_is_compiled_from_source_and_wins(tmp_path: Path, cold: Path, parsed: list[str]) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    (user / "_version.py.jinja").write_text('__version__ = "custom"\n', "utf-8")
    env = make_env(user)
    assert env.get_template("package/_version.py.jinja").render() == '__version__ = "custom"\n'
    assert parsed == ["package/_version.py.jinja"]
    env.get_template("helpers.jinja")  # not overridden: precompiled
    assert parsed == ["package/_version.py.jinja"]


def test_a_users_over_long_line_is_still_formatted(cold: Path) -> None:
    pytest.importorskip("black")
    long_call = "x = f(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n"
    long_doc = 'def g() -> None:\n    """' + "word " * 30 + '"""\n'
    assert lines_black_would_change(long_call) == [1]
    assert lines_black_would_change(long_doc) == []
    out = pipeline.format_long_files({"a.py": long_call, "b.py": long_doc})
    assert out["a.py"] != long_call and out["a.py"].startswith("x = f(\n")
    assert out["b.py"] == long_doc


@pytest.mark.parametrize(
    "text",
    [
        "from m import (\n    " + "A" * 45 + " as " + "A" * 45 + ",\n)\n",  # an exploded import item
        's = """\n' + "d" * 100 + '\n"""\n',  # inside a multi-line string
        "# " + "c" * 100 + "\n",  # a comment
    ],
)
def test_lines_black_leaves_alone_are_not_reported(text: str) -> None:
    black = pytest.importorskip("black")
    assert lines_black_would_change(text) == []
    assert black.format_str(text, mode=black.Mode()) == text


@pytest.mark.parametrize(
    "text",
    [
        "x = (\n    " + "a" * 50 + " + " + "b" * 50 + ",\n)\n",  # an operator inside brackets
        "x = (\n    " + "a" * 50 + " and " + "b" * 50 + ",\n)\n",  # a splitting keyword
        "y = " + "z" * 100 + "\n",  # a statement black may wrap in parentheses
    ],
)
def test_lines_black_could_split_are_reported(text: str) -> None:
    assert lines_black_would_change(text)


@pytest.mark.parametrize(
    "text",
    [
        'def g() -> None:\n    """' + "word " * 30 + '"""\n',  # a docstring
        'class C:\n    """' + "word " * 30 + '\n\n    ' + "more " * 30 + '\n    """\n',
        '"' + "a" * 60 + '" "' + "b" * 60 + '"\n',  # two strings: black may wrap them
        "x = f(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n",
        'x = 1\n"""' + "s" * 100 + '"""\ny = (\n    ' + "a" * 50 + " + " + "b" * 50 + ",\n)\n",
    ],
)
def test_the_parsed_tree_gives_the_tokenizers_verdict(text: str) -> None:
    """Docstring lines are found from the tree that check_sources parsed; the verdict is
    the one tokenizing the whole file gives."""
    import ast

    assert lines_black_would_change(text, ast.parse(text)) == lines_black_would_change(text)


def test_the_parsed_tree_gives_the_same_verdict_on_every_committed_file() -> None:
    import ast

    files = [p for p in (ROOT / "generated").rglob("*.py")] + [p for p in (ROOT / "tests" / "golden").rglob("*.py")]
    assert len(files) > 100
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert lines_black_would_change(text, ast.parse(text)) == lines_black_would_change(text), path


LONG = "w" * 90
SHORTCUT_CASES = [
    f'def g() -> None:\n    """{LONG}"""\n',  # a docstring
    f'def g() -> None:\n    r"""a \\" quote {LONG}"""\n',  # raw, with an escaped quote
    f"def g() -> None:\n    '''it's {LONG}'''\n",  # another quote inside
    f'class C:\n    """é {LONG}\n    ü"""  # a comment after it\n',  # non-ASCII: byte offsets
    f'"{LONG}" "b"\n',  # two strings on one line
    f'"""{LONG}"""\n"b"\n',  # two statements
    f'"""{LONG}""" \\\n"b"\n',  # two strings, one continued line
    f'("{LONG}")\n',  # in brackets: the tokenizer decides
    f'x = 1; "{LONG}"\n',  # after another statement
    f'"{LONG}"; x = 1\n',  # before another statement
    f'u"{LONG}"\n',
    f'"a \\\\" "{LONG}"\n',  # an escaped backslash ends the first string
    f"from .{LONG} import (\n    a,\n)\n",
    f"from . import (\n    {LONG} as {LONG},\n    {LONG} as {LONG}\n)\n",
    f"with (\n    open(x) as {LONG},\n):\n    pass\n",
    f"x = [\n    {LONG} or {LONG},\n]\n",
]


@pytest.mark.parametrize("text", SHORTCUT_CASES)
def test_the_verdicts_shortcuts_agree_with_the_tokenizer(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Import lines and docstrings are judged from their text; tokenizing says the same."""
    import ast
    import re

    from chatkit_codegen.render import pyfmt

    fast = lines_black_would_change(text, ast.parse(text))
    monkeypatch.setattr(pyfmt, "_KEPT_LINE", re.compile(r"(?!)"))
    monkeypatch.setattr(pyfmt, "_one_string_statement", lambda source, node: None)
    assert fast == lines_black_would_change(text, ast.parse(text)) == lines_black_would_change(text)


def test_the_verdicts_shortcuts_agree_with_the_tokenizer_on_every_committed_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import ast
    import re

    from chatkit_codegen.render import pyfmt

    files = [p for p in (ROOT / "generated").rglob("*.py")] + [p for p in (ROOT / "tests" / "golden").rglob("*.py")]
    texts = {path: path.read_text(encoding="utf-8") for path in files}
    fast = {path: lines_black_would_change(text, ast.parse(text)) for path, text in texts.items()}
    monkeypatch.setattr(pyfmt, "_KEPT_LINE", re.compile(r"(?!)"))
    monkeypatch.setattr(pyfmt, "_one_string_statement", lambda source, node: None)
    assert fast == {path: lines_black_would_change(text) for path, text in texts.items()}
