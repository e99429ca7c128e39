"""Loading hostile documents: safe YAML only, limits, JSON and YAML alike, duplicate
keys, $ref allow-list, and no network access during validate or generate."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from chatkit_codegen.cli import main
from chatkit_codegen.config import load_config
from chatkit_codegen.errors import CodegenError
from chatkit_codegen.load.document import MAX_DEPTH, MAX_NODES, load_document, load_text
from chatkit_codegen.load.refs import ref_kind
from chatkit_codegen.load.validate import validate_document
from chatkit_codegen.pipeline import generate
from conftest import ROOT, SPEC

HEAD = 'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n'


def load_error(text: str, name: str = "spec.yaml") -> list[str]:
    with pytest.raises(CodegenError) as info:
        load_text(text, Path(name))
    return [p.format() for p in info.value.problems]


# ----------------------------------------------------------------- safe loading


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {canary}']",
        "!!python/object/new:os.system ['touch {canary}']",
        "!!python/name:os.system",
        "!!python/module:os",
        "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {canary}']",
    ],
)
def test_python_tags_are_refused_and_never_run(tmp_path: Path, tag: str) -> None:
    canary = tmp_path / "canary"
    text = HEAD + "x-evil: " + tag.format(canary=canary) + "\n"
    (message,) = load_error(text)
    assert message.startswith("spec.yaml:4:9: error: /: refused YAML tag 'tag:yaml.org,2002:python/")
    assert message.endswith("': only plain JSON data is allowed")
    assert not canary.exists()
    # Positive control: the unsafe loader really would have run it.
    if "apply" in tag and tag.startswith("!!"):
        yaml.unsafe_load(text)
        assert canary.exists()


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        ("!!set {a, b}", "tag:yaml.org,2002:set"),
        ("!!omap [a: 1]", "tag:yaml.org,2002:omap"),
        ("!!pairs [a: 1]", "tag:yaml.org,2002:pairs"),
        ("!custom x", "!custom"),
    ],
)
def test_non_json_tags_are_refused(value: str, tag: str) -> None:
    assert load_error(HEAD + f"x-data: {value}\n") == [
        f"spec.yaml:4:9: error: /: refused YAML tag {tag!r}: only plain JSON data is allowed"
    ]


def test_yaml_is_read_as_json_data_with_the_core_schema() -> None:
    """YAML 1.2 core scalars as OpenAPI asks: no 1.1 booleans, octals or timestamps,
    and every key a string (a plain ``200:`` is the string "200")."""
    doc = load_text(
        HEAD
        + "x-v: [on, off, yes, no, y, n, true, False, 012, 0o12, 0x1F, 1e3, 1_000, 1:30, 2024-01-02, ~, null, '', =]\n"
        + "x-k: {200: a, on: b, true: c, null: d, 1.5: e}\n",
        Path("spec.yaml"),
    )
    assert doc.data["x-v"] == [
        "on", "off", "yes", "no", "y", "n", True, False, 12, 10, 31, 1000.0,
        "1_000", "1:30", "2024-01-02", None, None, "", "=",
    ]  # fmt: skip
    assert list(doc.data["x-k"]) == ["200", "on", "true", "null", "1.5"]


def test_non_string_keys_are_refused() -> None:
    assert load_error(HEAD + "x-k:\n  ? [a, b]\n  : 1\n") == [
        "spec.yaml:5:5: error: /: invalid YAML: mapping keys must be plain strings"
    ]


def test_alias_bomb_is_stopped_quickly() -> None:
    lines = [HEAD.rstrip("\n"), "x-bomb:", '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"  {name}: &{name} [{', '.join(['*' + prev] * 9)}]")
        prev = name
    text = "\n".join(lines) + "\n"
    assert len(text) < 2000  # 9**9 (387 million) strings from under 2 KB
    start = time.perf_counter()
    assert load_error(text) == [
        f"spec.yaml:1:1: error: /: document expands to more than {MAX_NODES} nodes (alias bomb?)"
    ]
    assert time.perf_counter() - start < 10


def test_aliases_within_limits_still_work() -> None:
    doc = load_text(HEAD + "x-a: &a {k: v}\nx-b: *a\nx-c:\n  <<: *a\n  k: w\n", Path("spec.yaml"))
    assert doc.data["x-b"] == {"k": "v"}
    assert doc.data["x-c"] == {"k": "w"}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 100_000])
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_absurd_nesting_is_a_clear_error(depth: int, suffix: str) -> None:
    nested = "[" * depth + "]" * depth
    if suffix == ".json":
        text = '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {}, "x": ' + nested + "}"
    else:
        text = HEAD + "x-deep: " + nested + "\n"
    (message,) = load_error(text, "spec" + suffix)
    assert message.startswith(f"spec{suffix}:")
    assert any(
        s in message
        for s in (f"document nests deeper than {MAX_DEPTH} levels", "invalid YAML: exceeded maximum nesting depth")
    ), message


def test_nesting_limit_is_enforced_exactly() -> None:
    def doc(depth: int) -> str:
        return HEAD + "x-deep: " + "[" * depth + "]" * depth + "\n"

    load_text(doc(MAX_DEPTH - 1), Path("spec.yaml"))  # the root mapping is level 0
    assert load_error(doc(MAX_DEPTH + 1)) == [f"spec.yaml:1:1: error: /: document nests deeper than {MAX_DEPTH} levels"]


def test_json_and_yaml_load_to_the_same_data(tmp_path: Path) -> None:
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    as_json = tmp_path / "chatkit.json"
    as_json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    as_yaml_json = tmp_path / "chatkit-json.yaml"  # JSON text in a .yaml file
    as_yaml_json.write_text(json.dumps(data), encoding="utf-8")
    assert load_document(as_json).data == load_document(SPEC).data == load_document(as_yaml_json).data
    assert [p for p in validate_document(load_document(as_json)) if p.level.value == "error"] == []


def test_yaml_flow_mapping_is_not_mistaken_for_json() -> None:
    doc = load_text('{openapi: 3.1.0, info: {title: t, version: "1"}, paths: {}}', Path("spec.yaml"))
    assert doc.data["info"]["title"] == "t"


def test_duplicate_keys_are_reported_where_they_are() -> None:
    text = HEAD + "components:\n  schemas:\n    A: {type: string}\n    B: {type: string}\n    A: {type: integer}\n"
    assert load_error(text) == ["spec.yaml:8:5: error: /: duplicate key 'A'"]


def test_duplicate_json_keys_are_reported_where_they_are() -> None:
    # "type" appears earlier too: the location must be the duplicate, not any "type".
    text = (
        '{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "paths": {},\n'
        ' "components": {"schemas": {"A": {"type": "string"},\n'
        '                            "B": {"type": "string", "type": "integer"}}}}\n'
    )
    assert load_error(text, "spec.json") == ["spec.json:3:53: error: /: duplicate key 'type'"]


def test_merge_keys_are_not_duplicates() -> None:
    load_text(HEAD + "x-a: &a {k: v, j: 1}\nx-b:\n  <<: *a\n  k: w\n", Path("spec.yaml"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2]\n", "spec.yaml:1:1: error: /: document is not a mapping (object)"),
        ("", "spec.yaml:1:1: error: /: document is empty"),
        ('{"a": NaN}', "spec.json:1:1: error: /: invalid JSON: NaN is not JSON"),
    ],
)
def test_other_documents_that_are_not_openapi_objects(text: str, expected: str) -> None:
    name = "spec.json" if "NaN" in text else "spec.yaml"
    assert load_error(text, name) == [expected]


def test_files_that_are_not_text_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_bytes(b"openapi: 3.1.0\ninfo: \xff\xfe\n")
    with pytest.raises(CodegenError) as info:
        load_document(path)
    assert [p.format() for p in info.value.problems] == [
        "spec.yaml:1:1: error: /: file is not UTF-8: invalid start byte"
    ]


# ------------------------------------------------------------------- references


@pytest.mark.parametrize(
    ("ref", "kind"),
    [
        ("#/components/schemas/A", "local"),
        ("https://example.com/a.yaml#/A", "remote"),
        ("http://169.254.169.254/latest/meta-data", "remote"),
        ("file:///etc/passwd", "remote"),
        ("ftp://x/y", "remote"),
        ("urn:x:y", "remote"),
        ("//evil.example/a.yaml", "remote"),
        ("\\\\server\\share\\a.yaml", "remote"),
        ("C:/x.yaml", "remote"),
        ("a.yaml", "file"),
        ("../a.yaml#/A", "file"),
        ("/etc/passwd", "file"),
    ],
)
def test_reference_kinds(ref: str, kind: str) -> None:
    assert ref_kind(ref) == kind


def _tree(tmp_path: Path) -> Path:
    """main.yaml referencing shared/models.yaml, which references shared/tags.yaml."""
    (tmp_path / "shared").mkdir()
    (tmp_path / "main.yaml").write_text(
        HEAD.replace("paths: {}\n", "")
        + """paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: The pets.
          content:
            application/json:
              schema: {$ref: "shared/models.yaml#/Pet"}
components:
  schemas:
    Owner:
      $ref: "shared/models.yaml#/Owner"
      description: The owner, described here.
""",
        encoding="utf-8",
    )
    (tmp_path / "shared" / "models.yaml").write_text(
        """Pet:
  type: object
  description: A pet.
  required: [name]
  properties:
    name: {type: string, description: Name.}
    owner: {$ref: "#/Owner"}
    tag: {$ref: "tags.yaml#/Tag"}
Owner:
  type: object
  description: An owner.
  properties:
    id: {type: integer, description: Id.}
""",
        encoding="utf-8",
    )
    (tmp_path / "shared" / "tags.yaml").write_text(
        "Tag: {type: string, enum: [a, b], description: A tag.}\n", encoding="utf-8"
    )
    return tmp_path / "main.yaml"


def test_file_refs_are_refused_without_allow_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main_yaml = _tree(tmp_path)
    assert main(["validate", str(main_yaml)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(": error: ", 1)[1] for line in out if ": error: " in line] == [
        "/paths/~1pets/get/responses/200/content/application~1json/schema/$ref: file reference "
        "'shared/models.yaml#/Pet' refused: only local '#/' references are allowed unless --allow-ref "
        "names the file or its folder",
        "/components/schemas/Owner/$ref: file reference 'shared/models.yaml#/Owner' refused: only local "
        "'#/' references are allowed unless --allow-ref names the file or its folder",
    ]


def test_allowed_folder_is_inlined(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main_yaml = _tree(tmp_path)
    assert main(["validate", str(main_yaml), "--allow-ref", str(tmp_path / "shared")]) == 0
    assert ": error: " not in capsys.readouterr().out
    doc = load_document(main_yaml, allow_refs=[tmp_path / "shared"])
    pet = doc.data["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert pet["properties"]["owner"]["description"] == "An owner."
    assert pet["properties"]["tag"] == {"type": "string", "enum": ["a", "b"], "description": "A tag."}
    # Siblings of $ref override the inlined content (OpenAPI 3.1 description/summary).
    assert doc.data["components"]["schemas"]["Owner"]["description"] == "The owner, described here."
    # The content hash covers the inlined files, so caches and headers see their changes.
    before = doc.sha256
    (tmp_path / "shared" / "tags.yaml").write_text("Tag: {type: string, description: Changed.}\n", encoding="utf-8")
    assert load_document(main_yaml, allow_refs=[tmp_path / "shared"]).sha256 != before
    assert load_document(main_yaml).sha256 == load_document(main_yaml).sha256


def test_allowed_file_only_covers_that_file(tmp_path: Path) -> None:
    main_yaml = _tree(tmp_path)
    with pytest.raises(CodegenError) as info:
        load_document(main_yaml, "main.yaml", allow_refs=[tmp_path / "shared" / "models.yaml"])
    assert [p.format() for p in info.value.problems] == [
        "shared/models.yaml:8:17: error: /Pet/properties/tag/$ref: file reference 'tags.yaml#/Tag' "
        "refused: only local '#/' references are allowed unless --allow-ref names the file or its folder"
    ]


def test_generate_with_allowed_refs(tmp_path: Path) -> None:
    main_yaml = _tree(tmp_path)
    cfg = load_config(ROOT).with_overrides(
        spec=main_yaml, out=tmp_path / "out", package_name="bundled_pkg", allow_refs=(tmp_path / "shared",)
    )
    files = generate(cfg).files
    owner = next(text for path, text in files.items() if path.endswith("types/owner.py"))
    assert '"""The owner, described here."""' in owner
    with pytest.raises(CodegenError):
        generate(cfg.with_overrides(allow_refs=()))


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("../outside.yaml#/X", "file reference '../outside.yaml#/X' refused"),
        ("link.yaml#/X", "file reference 'link.yaml#/X' refused"),  # symlink out of the folder
        ("/etc/hostname", "file reference '/etc/hostname' refused"),
        ("https://example.com/x.yaml#/X", "remote reference 'https://example.com/x.yaml#/X' refused: remote references are never fetched"),
        ("file:///etc/passwd", "remote reference 'file:///etc/passwd' refused: remote references are never fetched"),
    ],
)
def test_allow_list_cannot_be_escaped(tmp_path: Path, ref: str, message: str) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (tmp_path / "outside.yaml").write_text("X: {type: string, description: secret}\n", encoding="utf-8")
    (shared / "link.yaml").symlink_to(tmp_path / "outside.yaml")
    (shared / "spec.yaml").write_text(
        HEAD + f"components:\n  schemas:\n    A:\n      $ref: {json.dumps(ref)}\n", encoding="utf-8"
    )
    # A remote ref is listed too: listing never makes a remote reference fetchable.
    listed = [Path(ref)] if ref_kind(ref) == "remote" else []
    doc = load_document(shared / "spec.yaml", "spec.yaml", allow_refs=[shared, *listed])
    assert doc.data["components"]["schemas"]["A"] == {"$ref": ref}
    problems = [p.format() for p in validate_document(doc) if p.level.value == "error"]
    assert len(problems) == 1
    assert problems[0].startswith(f"spec.yaml:7:13: error: /components/schemas/A/$ref: {message}")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("X: {$ref: '#/Y'}\n", "x.yaml:1:11: error: /X/$ref: unresolvable reference '#/Y'"),
        ("X: {$ref: 'https://e.example/y'}\n", "x.yaml:1:11: error: /X/$ref: remote reference 'https://e.example/y' refused: remote references are never fetched"),
        ("X: !!python/name:os.system\n", "x.yaml:1:4: error: /: refused YAML tag 'tag:yaml.org,2002:python/name:os.system': only plain JSON data is allowed"),
    ],
)
def test_broken_allowed_files_are_errors_located_in_them(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "x.yaml").write_text(content, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(HEAD + "components:\n  schemas:\n    A: {$ref: 'x.yaml#/X'}\n", encoding="utf-8")
    with pytest.raises(CodegenError) as info:
        load_document(tmp_path / "spec.yaml", "spec.yaml", allow_refs=[tmp_path])
    assert expected in [p.format() for p in info.value.problems]


def test_a_file_that_is_only_a_reference_to_itself_is_a_reference_cycle(tmp_path: Path) -> None:
    """Hoisted like any recursion through files, where validate finds the cycle."""
    (tmp_path / "x.yaml").write_text("X: {$ref: '#/X'}\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(HEAD + "components:\n  schemas:\n    A: {$ref: 'x.yaml#/X'}\n", encoding="utf-8")
    doc = load_document(tmp_path / "spec.yaml", "spec.yaml", allow_refs=[tmp_path])
    assert doc.data["components"]["schemas"]["A"] == {"$ref": "#/components/schemas/A"}
    assert [p.format() for p in validate_document(doc) if p.level.value == "error"] == [
        "spec.yaml:6:15: error: /components/schemas/A/$ref: reference cycle: "
        "#/components/schemas/A -> #/components/schemas/A"
    ]


def _forest(tmp_path: Path) -> Path:
    """Schemas that refer to each other in circles across three files."""
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "node.yaml").write_text(
        "Node:\n  type: object\n  properties:\n    children: {type: array, items: {$ref: '#/Node'}}\n"
        "    tree: {$ref: 'tree.yaml#/Tree'}\n",
        encoding="utf-8",
    )
    (tmp_path / "models" / "tree.yaml").write_text(
        "Tree:\n  type: object\n  properties:\n    root: {$ref: 'node.yaml#/Node'}\n"
        "    label: {$ref: 'label.yaml#/Label'}\n",
        encoding="utf-8",
    )
    (tmp_path / "models" / "label.yaml").write_text("Label: {type: string}\n", encoding="utf-8")
    (tmp_path / "models" / "pet-category.yaml").write_text(
        "type: object\nproperties:\n  parent: {$ref: '#'}\n", encoding="utf-8"
    )
    (tmp_path / "spec.yaml").write_text(
        HEAD
        + "components:\n  schemas:\n"
        + "    Tree: {type: string}\n"  # takes the name a hoisted schema would get
        + "    Forest: {type: array, items: {$ref: 'models/tree.yaml#/Tree'}}\n"
        + "    Root: {$ref: 'models/node.yaml#/Node', description: The root.}\n"
        + "    Kind: {$ref: 'models/pet-category.yaml'}\n"
        + "    Other: {$ref: 'models/pet-category.yaml'}\n",
        encoding="utf-8",
    )
    return tmp_path / "spec.yaml"


def test_recursion_across_files_is_hoisted_to_components(tmp_path: Path) -> None:
    doc = load_document(_forest(tmp_path), "spec.yaml", allow_refs=[tmp_path])
    schemas = doc.data["components"]["schemas"]
    assert sorted(schemas) == ["Forest", "Kind", "Other", "Root", "Tree", "Tree_2"]
    # A component that is just the reference adopts the hoisted schema, siblings win.
    assert schemas["Root"]["description"] == "The root."
    assert schemas["Root"]["properties"]["children"] == {"type": "array", "items": {"$ref": "#/components/schemas/Root"}}
    assert schemas["Root"]["properties"]["tree"] == {"$ref": "#/components/schemas/Tree_2"}
    # Named after the pointer's last part, numbered past a name the document already has.
    assert schemas["Tree_2"]["properties"]["root"] == {"$ref": "#/components/schemas/Root"}
    assert schemas["Tree_2"]["properties"]["label"] == {"type": "string"}  # not on a cycle: inlined
    assert schemas["Forest"]["items"] == {"$ref": "#/components/schemas/Tree_2"}
    assert schemas["Tree"] == {"type": "string"}
    # A whole file refers to itself with '#': the first component naming it adopts it.
    assert schemas["Kind"]["properties"]["parent"] == {"$ref": "#/components/schemas/Kind"}
    assert schemas["Other"] == {"$ref": "#/components/schemas/Kind"}
    assert not [p for p in validate_document(doc) if p.level.value == "error"]


def test_hoisted_names_follow_the_files_not_the_walk(tmp_path: Path) -> None:
    """Hoisting is deterministic: the same files give the same document whatever the order."""
    first = load_document(_forest(tmp_path), "spec.yaml", allow_refs=[tmp_path]).data
    text = (tmp_path / "spec.yaml").read_text(encoding="utf-8").splitlines()
    head, body = text[: text.index("  schemas:") + 1], text[text.index("  schemas:") + 1 :]
    (tmp_path / "spec.yaml").write_text("\n".join([*head, *reversed(body)]) + "\n", encoding="utf-8")
    second = load_document(tmp_path / "spec.yaml", "spec.yaml", allow_refs=[tmp_path]).data
    assert first == second


def test_generate_recursion_across_files(tmp_path: Path) -> None:
    cfg = load_config(ROOT).with_overrides(
        spec=_forest(tmp_path), out=tmp_path / "out", package_name="forest_api", allow_refs=(tmp_path,)
    )
    files = generate(cfg).files
    root = next(text for path, text in files.items() if path.endswith("types/root.py"))
    assert "children: Optional[List[Root]] = None" in root
    assert "tree: Optional[Tree2] = None" in root


def test_missing_allowed_file(tmp_path: Path) -> None:
    (tmp_path / "spec.yaml").write_text(HEAD + "components:\n  schemas:\n    A: {$ref: 'nope.yaml#/X'}\n", encoding="utf-8")
    with pytest.raises(CodegenError) as info:
        load_document(tmp_path / "spec.yaml", "spec.yaml", allow_refs=[tmp_path])
    assert [p.format() for p in info.value.problems] == [
        "nope.yaml:1:1: error: /: cannot read file: No such file or directory",
        "spec.yaml:6:15: error: /components/schemas/A/$ref: referenced file 'nope.yaml#/X' could not be loaded",
    ]


def test_ref_bomb_across_files_is_stopped(tmp_path: Path) -> None:
    """Each level refers to the next ten times: inlining would copy 10**9 nodes."""
    for level in range(9):
        refs = ", ".join(f"{{$ref: 'l{level + 1}.yaml#/X'}}" for _ in range(10))
        (tmp_path / f"l{level}.yaml").write_text(f"X: [{refs}]\n", encoding="utf-8")
    (tmp_path / "l9.yaml").write_text("X: {type: string}\n", encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(HEAD + "x-bomb: {$ref: 'l0.yaml#/X'}\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(CodegenError) as info:
        load_document(tmp_path / "spec.yaml", "spec.yaml", allow_refs=[tmp_path])
    assert f"expands to more than {MAX_NODES} nodes" in info.value.problems[0].message
    assert time.perf_counter() - start < 60


# ------------------------------------------------------------------ no network


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise OSError("network access during a test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


NETWORK_BAIT = """openapi: 3.1.0
info: {title: Bait, version: "1", termsOfService: "http://127.0.0.1:9/tos"}
externalDocs: {url: "http://127.0.0.1:9/docs"}
servers: [{url: "http://127.0.0.1:9/api"}]
paths:
  /x:
    get:
      operationId: getX
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/A"}
              examples:
                remote: {externalValue: "http://127.0.0.1:9/example.json"}
                local: {value: {b: {c: 1}}}
components:
  schemas:
    A:
      $id: "http://127.0.0.1:9/schemas/a"
      type: object
      description: A schema with an absolute $id, so relative refs would resolve remotely.
      properties:
        b: {$ref: "#/components/schemas/B", description: B.}
        d: {$dynamicRef: "http://127.0.0.1:9/dyn", description: Dynamic.}
      example: {b: {c: 1}}
    B:
      type: object
      description: B.
      properties:
        c: {type: integer, description: C.}
"""


def test_validate_and_generate_never_touch_the_network(tmp_path: Path, no_network: list[Any]) -> None:
    spec = tmp_path / "bait.yaml"
    spec.write_text(NETWORK_BAIT, encoding="utf-8")
    validate_document(load_document(spec))
    cfg = load_config(ROOT).with_overrides(spec=spec, out=tmp_path / "out", package_name="bait_pkg")
    generate(cfg)
    # A remote $ref and a remote ref inside an allowed file: refused, never fetched.
    remote = spec.with_name("remote.yaml")
    remote.write_text(
        NETWORK_BAIT.replace('{$ref: "#/components/schemas/B", description: B.}', '{$ref: "http://127.0.0.1:9/b.yaml#/B"}'),
        encoding="utf-8",
    )
    assert main(["validate", str(remote), "--allow-ref", "http://127.0.0.1:9/"]) == 1
    with pytest.raises(CodegenError):
        generate(cfg.with_overrides(spec=remote, allow_refs=(tmp_path,)))
    assert no_network == []


def test_the_network_guard_works(no_network: list[Any]) -> None:
    """Positive control: the guard really sees an attempt."""
    with pytest.raises(OSError, match="network access during a test"):
        socket.create_connection(("127.0.0.1", 9), timeout=1)
    assert len(no_network) == 1


def test_allow_ref_on_generate_and_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main_yaml = _tree(tmp_path)
    out = tmp_path / "out"
    common = ["--spec", str(main_yaml), "--out", str(out), "--package-name", "cli_bundled"]
    allow = ["--allow-ref", str(tmp_path / "shared")]
    assert main(["generate", *common]) == 1
    assert "file reference 'shared/models.yaml#/Pet' refused" in capsys.readouterr().err
    assert not out.exists()
    assert main(["generate", *common, *allow]) == 0
    assert main(["check", *common, *allow]) == 0
    assert main(["check", *common]) == 1
    # An inlined file changing makes the output stale, like the spec itself would.
    (tmp_path / "shared" / "tags.yaml").write_text("Tag: {type: string, description: Changed.}\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["check", *common, *allow]) == 1
    assert "is stale" in capsys.readouterr().out


def test_reference_walk_skips_example_data_but_not_properties_named_example() -> None:
    from chatkit_codegen.load.walk import ref_strings

    schema = {
        "properties": {
            "example": {"$ref": "#/components/schemas/Kept"},
            "$ref": {"type": "string"},  # a property called "$ref" is not a reference
        },
        "examples": [{"$ref": "#/data/only"}],
        "example": {"$ref": "#/data/too"},
        "items": [{"$ref": "#/components/schemas/Item"}],
    }
    assert sorted(ref_strings(schema)) == ["#/components/schemas/Item", "#/components/schemas/Kept"]


def test_validation_reads_references_and_extensions_only_in_the_structure(tmp_path: Path) -> None:
    """A "$ref" or an "x-" key inside example data is part of the data: not followed, not
    warned about. Example Objects are still structure (their own $ref is checked), and a
    response called "default" or a property called "enum" is walked like any other."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        HEAD.replace("paths: {}\n", "")
        + """paths:
  /things:
    get:
      operationId: listThings
      responses:
        default:
          description: anything
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Missing'}
              example: {$ref: '#/nowhere', x-oai-data: 1}
              examples:
                one: {value: {$ref: '#/nowhere/either'}}
                two: {$ref: '#/components/examples/Absent'}
components:
  x-oai-components: true
  schemas:
    default:
      description: A schema called default is a schema, not a default value.
      properties:
        of: {$ref: '#/components/schemas/NamedDefaultMissing'}
    Thing:
      type: object
      description: A thing.
      properties:
        enum: {$ref: '#/components/schemas/AlsoMissing', description: A property called enum.}
      default: {$ref: '#/not/a/ref', x-oai-not-an-extension: true}
      examples: [{$ref: '#/data'}]
      x-oai-real: true
"""
    )
    problems = [p.format() for p in validate_document(load_document(spec))]
    unresolved = sorted(p.split("unresolvable reference ")[1].split(";")[0] for p in problems if "unresolvable" in p)
    assert unresolved == [
        "'#/components/examples/Absent'",
        "'#/components/schemas/AlsoMissing'",
        "'#/components/schemas/Missing'",
        "'#/components/schemas/NamedDefaultMissing'",
    ]
    reserved = [p.split(": warning: ")[1].split(":")[0] for p in problems if "reserved prefix" in p]
    assert reserved == ["/components/x-oai-components", "/components/schemas/Thing/x-oai-real"]


def _naive_shape(data: Any, max_nodes: int) -> str | None:
    """The expanded walk that ``_check_shape`` must agree with (without walking it)."""
    count, stack = 0, [(data, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > max_nodes:
            return "nodes"
        if depth > MAX_DEPTH:
            return "depth"
        if isinstance(node, dict):
            stack.extend((v, depth + 1) for v in node.values())
        elif isinstance(node, list):
            stack.extend((v, depth + 1) for v in node)
    return None


@pytest.mark.parametrize("seed", range(12))
def test_shape_check_measures_shared_values_once_and_agrees_with_the_expanded_walk(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """YAML aliases make one object appear in many places. The shape check measures each
    object once, and refuses exactly what walking the expanded tree would refuse."""
    import random

    from chatkit_codegen.load import parse
    from chatkit_codegen.load.pointers import LoadError

    monkeypatch.setattr(parse, "MAX_NODES", 20_000)  # the expanded walk stays quick

    rng = random.Random(seed)
    pool: list[Any] = ["leaf", 1, None]
    for _ in range(rng.randint(5, 60)):
        kids = [rng.choice(pool) for _ in range(rng.randint(0, 9))]
        node: Any = kids if rng.random() < 0.5 else {f"k{i}": v for i, v in enumerate(kids)}
        if rng.random() < 0.1:  # a long chain, to reach the depth limit
            for _ in range(rng.randint(1, 130)):
                node = [node]
        pool.append(node)
    data = {"openapi": "3.1.0", "x": pool[-rng.randint(1, 5) :]}
    expected = _naive_shape(data, 20_000)
    try:
        parse._check_shape(data, "spec.yaml")
        got = None
    except LoadError as exc:
        got = "nodes" if "nodes" in exc.message else "depth"
    if expected is None or got is None:
        assert got == expected
    else:  # both refuse; which limit is met first depends on the walk's order
        assert got in ("nodes", "depth")


def test_shape_check_refuses_a_value_that_contains_itself() -> None:
    (message,) = load_error(HEAD + "x-loop: &a [1, *a]\n")
    assert message == f"spec.yaml:1:1: error: /: document nests deeper than {MAX_DEPTH} levels"
