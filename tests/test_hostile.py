"""Hostile specs: injected code never runs, hostile names become safe identifiers,
nothing is written outside the output folder, and output is replaced atomically.

Each injection payload carries code that would create a canary file. Every payload
goes into every kind of spec string that reaches Python source; the package is
generated, imported module by module in a fresh interpreter, and its runtime
values are compared with the spec's. The canary must never appear, and the
values must come back exactly: escaping must neither let text out nor change it.
"""

from __future__ import annotations

import ast
import itertools
import json
import keyword
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest
from chatkit_codegen import pipeline
from chatkit_codegen.errors import CodegenError
from chatkit_codegen.ir import naming
from chatkit_codegen.render import package as package_render
from sandbox import (
    assert_every_python_file_parses,
    config,
    generate_into,
    import_all,
    run_python,
    write_spec,
)

CODE = "__import__('pathlib').Path({canary!r}).write_text('pwned')"
DCODE = '__import__("pathlib").Path({canary_json}).write_text("pwned")'

# Each breaks out of some construct if pasted in raw: docstrings (both quote styles),
# string literals, comments (newlines, CR, Unicode line breaks), escapes (a trailing
# backslash, \N{...}), Jinja (if spec text were ever rendered as a template), and NUL.
PAYLOADS = [
    '"""\n{code}\n"""',
    "'''\n{code}\n'''",
    '\\"""; {code}; """',
    "\\'''; {code}; '''",
    '"; {code}; "',
    "'; {code}; '",
    "x\"\n{code}\n#",
    "\n{code}\n",
    "\r{code}\r",
    "\\\n{code}\\",
    "# \n{code}  # \r\n{code}",
    "{{{{ lipsum.__globals__['os'].popen('touch {canary}').read() }}}}{{% raw %}}{{# x",
    "{{% for x in range(1) %}}{{{{ cycler.__init__.__globals__.os.system('touch {canary}') }}}}{{% endfor %}}",
    "\\N{{LATIN SMALL LETTER A}}\\x41\\u0041 \u2028{code}\u2029\x0c\x0b\x00\x1b[2J",
    '{dcode} #"""',
    "\u202e{code}\u202c\u2066 # \u2069",
    '\\" + {code} + \\"',
    "\\",
    '"',
    "'",
    '"""',
    "''",
    "`{code}`",
]


def payloads(canary: Path) -> list[str]:
    code = CODE.format(canary=str(canary))
    dcode = DCODE.format(canary_json=json.dumps(str(canary)))
    return [p.format(code=code, dcode=dcode, canary=str(canary)) for p in PAYLOADS]


def test_payloads_are_live(tmp_path: Path) -> None:
    """Positive control: pasted raw into a docstring or literal, the payloads run."""
    canary = tmp_path / "canary"
    ran = 0
    for payload in payloads(canary):
        for template in ('"""{}"""', "'''{}'''", '"{}"', "'{}'", "# {}"):
            source = template.format(payload)
            try:
                exec(compile(source, "<raw>", "exec"), {})
            except Exception:
                continue
            if canary.exists():
                ran += 1
                canary.unlink()
    assert ran >= 8


def _regex_char(c: str) -> str:
    """``c`` in a regular expression Python, ECMA and Rust regex all read alike."""
    if c.isascii() and c.isalnum():
        return c
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def injection_spec(texts: list[str]) -> dict[str, Any]:
    """Every text in every string field that lands in generated Python."""
    props: dict[str, Any] = {}
    for i, text in enumerate(texts):
        props[f"p{i}"] = {
            "type": "string",
            "title": text,
            "description": text,
            "default": text,
            "enum": [text, "ok"],
            "examples": [text],
        }
        props[f"r{i}"] = {
            "type": "string",
            "description": f"Pattern {i}.",
            "pattern": "^(?:" + "".join(_regex_char(c) for c in text) + ")$|^.*$",
        }
        props[f"c{i}"] = {"const": text, "description": text}
        props[text] = {"type": "integer", "description": text}  # a hostile wire name
    variants = {
        f"V{i}": {
            "type": "object",
            "description": text,
            "required": ["kind"],
            "properties": {"kind": {"const": text, "description": "The tag."}},
        }
        for i, text in enumerate(texts)
    }
    first = texts[0]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": first,
            "version": texts[1],
            "description": texts[2],
            "summary": texts[20],
            "contact": {"name": texts[21]},
            "license": {"name": texts[22], "identifier": "MIT"},
        },
        "servers": [
            {"url": "https://api.example.com/v1", "description": texts[3]},
            {"url": "https://api.example.com/" + texts[19], "description": texts[4]},
        ],
        "tags": [{"name": text, "description": text} for text in texts[:3]],
        "paths": {
            "/things/{thing_id}": {
                "post": {
                    "operationId": texts[4],
                    "summary": texts[5],
                    "description": texts[6],
                    "tags": [texts[0]],
                    "x-sdk-params": texts[7],
                    "parameters": [
                        {"name": "thing_id", "in": "path", "required": True, "schema": {"type": "string"},
                         "description": texts[8]},
                        *[
                            {"name": text, "in": "query", "description": text,
                             "schema": {"type": "string", "enum": [text, "ok"], "default": text}, "example": text}
                            for text in texts
                        ],
                        {"name": texts[9], "in": "header", "description": texts[9], "schema": {"type": "string"}},
                    ],
                    "requestBody": {
                        "description": texts[10],
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    },
                    "responses": {
                        "200": {
                            "description": texts[11],
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        },
                        "default": {
                            "description": texts[12],
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tagged"}}},
                        },
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "title": texts[13],
                    "description": texts[14],
                    "properties": {
                        **props,
                        "inline": {
                            "type": "object",
                            "x-sdk-name": texts[15],
                            "description": texts[16],
                            "properties": {"x": {"type": "integer", "description": texts[17]}},
                        },
                    },
                    "examples": [{"p0": texts[0]}],
                },
                "Hostile": {"type": "string", "enum": texts, "description": texts[18]},
                "Tagged": {
                    "description": texts[19],
                    "oneOf": [{"$ref": f"#/components/schemas/V{i}"} for i in range(len(texts))],
                    "discriminator": {"propertyName": "kind"},
                },
                **variants,
            }
        },
    }


FACTS = r"""
import ast, importlib, inspect, json, sys, typing
pkg = sys.argv[1]
def args(t):
    out = []
    for a in typing.get_args(t):
        out.extend(args(a) if typing.get_args(a) else [a])
    return out
thing = importlib.import_module(pkg + ".types.thing").Thing
hostile = importlib.import_module(pkg + ".types.hostile").Hostile
facts = {"doc": thing.__doc__, "fields": {}, "hostile": list(typing.get_args(hostile))}
for name, field in thing.model_fields.items():
    facts["fields"][field.alias or name] = {
        "name": name,
        "default": field.default if isinstance(field.default, (str, int, type(None))) else repr(field.default),
        "values": [a for a in args(field.annotation) if isinstance(a, str)],
        "pattern": [getattr(m, "pattern", None) for m in field.metadata if getattr(m, "pattern", None)],
    }
print(json.dumps(facts))
"""


def _field_docstrings(source: str, cls: str) -> dict[str, str]:
    """The docstring under each field of class ``cls``, read back with ast."""
    tree = ast.parse(source)
    body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls).body
    out = {}
    for node, nxt in itertools.pairwise(body):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant):
                out[node.target.id] = str(nxt.value.value)
    return out


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_injected_text_never_runs_and_comes_back_exactly(tmp_path: Path, suffix: str) -> None:
    canary = tmp_path / "canary"
    texts = payloads(canary)
    package = f"inject_{suffix[1:]}_pkg"
    spec = write_spec(injection_spec(texts), tmp_path / f"spec{suffix}")
    out = tmp_path / "out"
    files = generate_into(spec, out, package)
    assert not canary.exists(), "generation ran injected code"
    assert_every_python_file_parses(files)
    modules = import_all(out, package)
    assert len(modules) >= 8
    assert not canary.exists(), "importing the generated package ran injected code"

    result = run_python(out, FACTS, package)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not canary.exists()
    facts = json.loads(result.stdout)
    assert _norm(facts["doc"]) == _norm(texts[14])
    assert facts["hostile"] == texts
    fields = facts["fields"]
    docs = _field_docstrings(files[f"{package}/types/thing.py"], "Thing")
    for i, text in enumerate(texts):
        p = fields[f"p{i}"]
        assert p["default"] == text
        assert p["values"] == [text, "ok"]
        assert _norm(docs[p["name"]]) == _norm(text)
        assert fields[f"c{i}"]["values"] == [text]
        assert fields[text]["name"].isidentifier()  # the wire name is the alias
        pattern = fields[f"r{i}"]["pattern"]
        assert pattern == [injection_spec(texts)["components"]["schemas"]["Thing"]["properties"][f"r{i}"]["pattern"]]

    # Jinja syntax in spec text is printed, never evaluated.
    assert any("lipsum.__globals__" in text for path, text in files.items() if path.endswith(".py"))
    # The generated pyproject.toml is still TOML, with the title as data.
    project = tomllib.loads(files["pyproject.toml"])["project"]
    assert project["name"] == package.replace("_", "-")
    assert set(project) <= {
        "name", "version", "description", "readme", "requires-python", "license", "dependencies", "classifiers",
    }
    assert "build-system" in tomllib.loads(files["pyproject.toml"])


def test_comments_cannot_be_escaped() -> None:
    from chatkit_codegen.render.pyfmt import safe_comment

    for text in payloads(Path("/nonexistent/canary")):
        line = "# " + safe_comment(text)
        tree = ast.parse(line + "\nx = 1\n")
        assert [type(n).__name__ for n in tree.body] == ["Assign"], repr(text)
        assert "\n" not in line and "\r" not in line


def test_header_cannot_be_escaped_by_the_spec_file_name(tmp_path: Path) -> None:
    name = 'x\n__import__("os").system("false")\r\u2028.yaml'
    folder = tmp_path / "specs"
    folder.mkdir()
    spec = write_spec(
        {"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}},
        folder / name,
    )
    files = pipeline.generate(config(spec, tmp_path / "out", "header_pkg")).files
    python = [text for path, text in files.items() if path.endswith(".py") and text]
    assert python
    for text in python:
        first = text.splitlines()[0]
        assert first.startswith("# Generated by chatkit-codegen") and "import" in first
        assert ast.parse(first + "\n").body == [], first  # one comment, nothing else


# ------------------------------------------------------------------------ names

HOSTILE_NAMES = [
    "class", "None", "True", "def", "import", "lambda", "match", "case", "type", "self", "cls",
    "str", "int", "float", "bool", "bytes", "list", "dict", "object", "print", "id", "Any",
    "model_config", "model_fields", "model_dump", "model_validate", "model_extra", "schema", "json",
    "copy", "construct", "validate", "fields", "parse_obj", "__fields__", "__root__",
    "BaseModel", "Field", "Literal", "Optional", "Union", "List", "Dict", "TypeAlias", "TypedDict",
    "Annotated", "Required", "Discriminator", "Tag", "mapping_discriminator", "ConfigDict",
    "datetime", "date", "UUID", "annotations", "__all__", "__init__", "__class__", "__dict__",
    "_private", "__dunder__", "_", "__", "1st", "123", "0", "a b", " lead", "trail ", "a-b", "a.b",
    "a_b", "aB", "A_B", "AB", "ab", "Ab", "a/b", "../../evil", "..", ".", "/etc/passwd", "C:\\x",
    "ünïcödé", "Ünïcödé", "日本語", "emoji😀", "\uff46\uff55\uff4c\uff4c", "", " ", "-", "x\ny", "tab\tname",
    "nul\x00byte", 'quote"s', "apos's", "back\\slash", "{{ x }}", "Thing", "ThingParam",
]  # fmt: skip
VALID_COMPONENT = [n for n in HOSTILE_NAMES if n and all(c.isascii() and (c.isalnum() or c in "._-") for c in n)]


def names_spec(schema_names: list[str]) -> dict[str, Any]:
    """Hostile names as property names (of Thing), schema names, operationIds and
    parameter names; every schema is used by an operation."""
    props = {name: {"type": "string", "description": f"Property {name!r}."} for name in HOSTILE_NAMES}
    schemas: dict[str, Any] = {
        "Thing": {
            "type": "object",
            "description": "Every hostile property name.",
            "required": ["class", "model_config", "a b"],
            "properties": props,
        }
    }
    for name in schema_names:
        if name == "Thing":
            continue
        schemas[name] = {
            "type": "object",
            "description": f"Schema {name!r}.",
            "properties": {
                "value": {"type": "integer", "description": "A value."},
                "thing": {"$ref": "#/components/schemas/Thing"},
                name: {"type": "string", "description": "The schema's own name as a property."},
            },
        }
    paths: dict[str, Any] = {
        "/thing": {
            "post": {
                "operationId": "postThing",
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                "responses": {
                    "200": {
                        "description": "The thing.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                    }
                },
            }
        }
    }
    for i, name in enumerate(schema_names):
        ref = "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")
        paths[f"/op{i}"] = {
            "get": {
                "operationId": name or f"empty{i}",
                "parameters": [
                    {"name": p, "in": "query", "description": "A parameter.", "schema": {"type": "string"}}
                    for p in dict.fromkeys([*HOSTILE_NAMES[i : i + 3], name])
                ],
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": ref}}}}
                },
            }
        }
    return {"openapi": "3.1.0", "info": {"title": "Hostile names", "version": "1"}, "paths": paths,
            "components": {"schemas": schemas}}  # fmt: skip


NAMES_CHECK = r"""
import importlib, json, keyword, pkgutil, sys
from pydantic import BaseModel, TypeAdapter
pkg = sys.argv[1]
names = json.loads(sys.argv[2])
from importlib import import_module
Thing = import_module(pkg + ".types.thing").Thing
data = {name: f"v{i}" for i, name in enumerate(names)}
model = Thing.model_validate(data)
assert model.model_dump(mode="json", exclude_unset=True, by_alias=True) == data, "round trip by alias"
assert model.model_extra == {}, model.model_extra
attrs = list(Thing.model_fields)
assert len(set(attrs)) == len(names), "one attribute per property"
for attr in attrs:
    assert attr.isidentifier() and not keyword.iskeyword(attr), attr
    assert not attr.startswith("_"), attr
    assert not hasattr(BaseModel, attr), attr
package = import_module(pkg)
typeddicts = []
for info in pkgutil.walk_packages(package.__path__, pkg + "."):
    module = import_module(info.name)
    for name in getattr(module, "__all__", []):
        assert name.isidentifier() and not keyword.iskeyword(name), name
        obj = getattr(module, name)
        keys = getattr(obj, "__required_keys__", set()) | getattr(obj, "__optional_keys__", set())
        if keys == set(names):
            typeddicts.append(obj)
    if info.name.startswith(pkg + ".types."):
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__:
                for field in obj.model_fields.values():
                    # An annotation a field name shadowed would have collapsed to None.
                    assert field.annotation is not type(None), (obj, field)
# The same data through the request TypedDict.
(ThingParam,) = typeddicts
assert TypeAdapter(ThingParam).validate_python(data) == data
"""


@pytest.mark.parametrize("validate", [True, False], ids=["validated", "unvalidated"])
def test_hostile_names_become_safe_distinct_identifiers(tmp_path: Path, validate: bool) -> None:
    schema_names = VALID_COMPONENT if validate else [n for n in HOSTILE_NAMES if n != ""]
    package = f"names_{'v' if validate else 'u'}_pkg"
    out = tmp_path / "out"
    files = generate_into(names_spec(schema_names), out, package, validate=validate)
    assert_every_python_file_parses(files)
    for path in files:
        assert not Path(path).is_absolute() and ".." not in Path(path).parts
        assert all(part.isascii() and part.isprintable() and part.strip() == part for part in Path(path).parts)
        assert (out / path).resolve().is_relative_to(out.resolve())
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(files)
    assert not (tmp_path / "evil").exists() and not (tmp_path / "etc").exists()
    import_all(out, package)
    result = run_python(out, NAMES_CHECK, package, json.dumps(HOSTILE_NAMES))
    assert result.returncode == 0, result.stderr[-4000:]
    # One module per schema, each re-exported under a distinct class name.
    init = ast.parse(files[f"{package}/types/__init__.py"])
    exported = [a.asname for n in init.body if isinstance(n, ast.ImportFrom) for a in n.names]
    modules = [p for p in files if p.startswith(f"{package}/types/") and not p.endswith("__init__.py")]
    assert len(set(exported)) == len(exported) == len(modules) >= len(schema_names)


def test_field_names_that_shadow_class_names() -> None:
    """A field named like a class used in the same class body would replace it there."""
    for name in ("Field", "Literal", "Optional", "Discriminator", "Tag", "mapping_discriminator", "BaseModel"):
        assert naming.field_name(name) != name


def test_sanitised_names_are_deterministic_and_identifiers() -> None:
    seen: dict[str, str] = {}
    for name in HOSTILE_NAMES:
        for fn in (naming.field_name, naming.param_name):
            result = fn(name)
            assert result == fn(name)
            assert result.isidentifier() and result.isascii() and not keyword.iskeyword(result), (name, result)
        for fn in (naming.class_name, naming.module_name):
            result = fn(name)
            assert result.isidentifier() and result.isascii() and not keyword.iskeyword(result), (name, result)
        module = naming.module_name(name)
        assert module == module.lower() and module not in {"types", "typing", "pydantic", "__init__"}
        seen.setdefault(module, name)


def test_property_named_like_a_referenced_class(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Shadowing", "version": "1"},
        "paths": {
            "/o": {
                "get": {
                    "operationId": "getOwner",
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Owner"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Pet": {"type": "object", "description": "A pet.", "properties": {"a": {"type": "string", "description": "A."}}},
                "Owner": {
                    "type": "object",
                    "description": "An owner.",
                    "properties": {
                        "Pet": {"type": "string", "description": "A string named like the class."},
                        "pet": {"$ref": "#/components/schemas/Pet"},
                        "Inner": {"type": "string", "description": "A string named like the nested class."},
                        "inner": {"type": "object", "description": "Nested.", "properties": {"x": {"type": "integer", "description": "X."}}},
                    },
                },
            }
        },
    }  # fmt: skip
    out = tmp_path / "out"
    generate_into(spec, out, "shadow_pkg")
    check = (
        "from shadow_pkg.types.owner import Owner\n"
        "o = Owner.model_validate({'Pet': 's', 'pet': {'a': 'b'}, 'Inner': 'i', 'inner': {'x': 1}})\n"
        "assert o.inner is not None and o.inner.x == 1, o\n"
        "assert o.model_dump(by_alias=True)['pet'] == {'a': 'b'}, o\n"
    )
    result = run_python(out, check)
    assert result.returncode == 0, result.stderr[-2000:]


# ------------------------------------------------------------ paths and output


@pytest.mark.parametrize(
    "path",
    ["../escape.py", "pkg/../../escape.py", "/tmp/escape.py", "a\\..\\escape.py", "nul\x00.py", "", ".", "pkg/./x/../../../e"],
)
def test_paths_outside_the_output_folder_are_refused(path: str) -> None:
    with pytest.raises(CodegenError, match="refusing to write outside the output folder"):
        pipeline._check_relative(path)


def _sentinel_tree(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "sentinel.txt").write_text("previous output\n", encoding="utf-8")
    (out / "keep").mkdir()
    (out / "keep" / "module.py").write_text("x = 1\n", encoding="utf-8")
    return out


def _assert_untouched(out: Path) -> None:
    assert (out / "sentinel.txt").read_text(encoding="utf-8") == "previous output\n"
    assert (out / "keep" / "module.py").read_text(encoding="utf-8") == "x = 1\n"
    assert sorted(p.name for p in out.parent.iterdir() if p.name.startswith(".")) == [], "temporary folders left"


SMALL = {
    "openapi": "3.1.0",
    "info": {"title": "Small", "version": "1"},
    "paths": {},
    "components": {"schemas": {"Pet": {"type": "object", "description": "A pet.",
                                       "properties": {"name": {"type": "string", "description": "Name."}}}}},
}  # fmt: skip


def test_escaping_renderer_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _sentinel_tree(tmp_path)
    original = package_render.renderers

    def evil_renderers() -> list[Any]:
        return [*original(), lambda ctx: {"../escape.py": "x = 1\n", "pkg/../../escape2.py": "x = 1\n"}]

    monkeypatch.setattr(package_render, "renderers", evil_renderers)
    spec = write_spec(SMALL, tmp_path / "spec.yaml")
    with pytest.raises(CodegenError, match="refusing to write outside the output folder"):
        pipeline.generate_to_disk(config(spec, out, "escape_pkg"))
    assert not (tmp_path / "escape.py").exists() and not (tmp_path.parent / "escape2.py").exists()
    _assert_untouched(out)
    # write_tree checks on its own too, whoever calls it.
    with pytest.raises(CodegenError):
        pipeline.write_tree(out, {"ok.py": "", "../escape.py": ""})
    assert not (tmp_path / "escape.py").exists()
    _assert_untouched(out)


def test_broken_spec_leaves_previous_output_untouched(tmp_path: Path) -> None:
    out = _sentinel_tree(tmp_path)
    broken = dict(SMALL, paths={"/x/{id}": {"get": {"operationId": "x", "responses": {"204": {"description": "no"}}}}})
    spec = write_spec(broken, tmp_path / "spec.yaml")
    with pytest.raises(CodegenError, match="is not declared"):
        pipeline.generate_to_disk(config(spec, out, "broken_pkg"))
    _assert_untouched(out)


def test_unparsable_output_aborts_and_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _sentinel_tree(tmp_path)
    original = package_render.renderers
    bad = {"broken_pkg/bad.py": "def broken(:\n    pass\n" + "x = 1  # " + "y" * 100 + "\n"}
    monkeypatch.setattr(package_render, "renderers", lambda: [*original(), lambda ctx: bad])
    spec = write_spec(SMALL, tmp_path / "spec.yaml")
    with pytest.raises(CodegenError) as info:
        pipeline.generate_to_disk(config(spec, out, "broken_pkg"))
    assert [p.format() for p in info.value.problems] == [
        "broken_pkg/bad.py:1:12: error: /: generated file does not parse: invalid syntax"
    ]
    _assert_untouched(out)


def test_failure_while_writing_leaves_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _sentinel_tree(tmp_path)
    spec = write_spec(SMALL, tmp_path / "spec.yaml")
    written: list[Path] = []
    real_write = Path.write_bytes

    def flaky(self: Path, data: bytes) -> int:
        if len(written) == 3:
            raise OSError(28, "No space left on device")
        written.append(self)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", flaky)
    with pytest.raises(OSError, match="No space left"):
        pipeline.generate_to_disk(config(spec, out, "flaky_pkg"))
    assert len(written) == 3 and all(not p.is_relative_to(out) for p in written)
    _assert_untouched(out)


def test_success_replaces_the_whole_output(tmp_path: Path) -> None:
    out = _sentinel_tree(tmp_path)
    spec = write_spec(SMALL, tmp_path / "spec.yaml")
    pipeline.generate_to_disk(config(spec, out, "ok_pkg"))
    assert not (out / "sentinel.txt").exists() and not (out / "keep").exists()
    assert (out / "ok_pkg" / "types" / "pet.py").is_file()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("where", ["cwd", "parent_of_cwd", "spec_folder"])
def test_output_folder_that_holds_the_project_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    spec = write_spec(SMALL, project / "spec.yaml")
    (project / "precious.txt").write_text("do not delete\n", encoding="utf-8")
    monkeypatch.chdir(project / "sub" if where == "parent_of_cwd" else project)
    out = {"cwd": Path("."), "parent_of_cwd": Path(".."), "spec_folder": project}[where]
    if where == "spec_folder":
        monkeypatch.chdir(tmp_path)
    with pytest.raises(CodegenError, match="refusing to replace"):
        pipeline.generate_to_disk(config(spec, out, "ok_pkg"))
    assert (project / "precious.txt").read_text(encoding="utf-8") == "do not delete\n"
    assert spec.is_file()


def test_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("a file\n", encoding="utf-8")
    spec = write_spec(SMALL, tmp_path / "spec.yaml")
    with pytest.raises(CodegenError, match="not a folder"):
        pipeline.generate_to_disk(config(spec, out, "ok_pkg"))
    assert out.read_text(encoding="utf-8") == "a file\n"


def test_generated_tree_imports_after_a_second_generation(tmp_path: Path) -> None:
    """Regenerating over an existing tree gives the same files, nothing stale left."""
    out = tmp_path / "out"
    spec = write_spec(SMALL, tmp_path / "spec.yaml")
    first = generate_into(spec, out, "again_pkg")
    (out / "again_pkg" / "stale.py").write_text("raise SystemExit('stale')\n", encoding="utf-8")
    pipeline.generate_to_disk(config(spec, out, "again_pkg"))
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == sorted(first)
    import_all(out, "again_pkg")
    shutil.rmtree(out)


def test_request_typeddict_keys_are_the_wire_names(tmp_path: Path) -> None:
    """A TypedDict key is the wire name even when the attribute name would differ
    (``Optional`` and ``json`` are identifiers, but fields rename them)."""
    names = ["Optional", "json", "schema", "model_config", "List", "ok"]
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Keys", "version": "1"},
        "paths": {
            "/x": {
                "post": {
                    "operationId": "postX",
                    "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Req"}}}},
                    "responses": {"204": {"description": "No content."}},
                }
            }
        },
        "components": {
            "schemas": {
                "Req": {
                    "type": "object",
                    "description": "A request.",
                    "properties": {n: {"type": "integer", "description": n} for n in names},
                }
            }
        },
    }
    out = tmp_path / "out"
    generate_into(spec, out, "keys_pkg")
    check = (
        "import json, sys\n"
        "from pydantic import TypeAdapter\n"
        "from keys_pkg.types.req import Req\n"
        "data = {n: i for i, n in enumerate(json.loads(sys.argv[1]))}\n"
        "assert Req.__optional_keys__ == set(data), Req.__optional_keys__\n"
        "adapter = TypeAdapter(Req)\n"
        "assert adapter.dump_python(adapter.validate_python(data), mode='json') == data\n"
    )
    result = run_python(out, check, json.dumps(names))
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.parametrize("name", ["a b", "../evil", "class", "x-y", "a.b", "ünï", ""])
def test_package_names_that_cannot_be_imported_are_usage_errors(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from chatkit_codegen.cli import main

    spec = write_spec(SMALL, tmp_path / "spec.yaml")
    with pytest.raises(SystemExit) as info:
        main(["generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--package-name", name])
    assert info.value.code == 2
    assert "is not a Python package name" in capsys.readouterr().err
    assert not (tmp_path / "out").exists() and not (tmp_path.parent / "evil").exists()
