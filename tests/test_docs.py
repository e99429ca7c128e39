"""The Markdown reference: page layout, the page's notation, links, and escaping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.ir.model import API, ModelDecl
from chatkit_codegen.load.document import load_document
from chatkit_codegen.render.pytypes import doc_type
from docs_support import ROOT, generate_docs, read_html, to_html, visible_lines

SPEC = ROOT / "spec" / "chatkit.yaml"


@pytest.fixture(scope="module")
def docs() -> dict[str, str]:
    return generate_docs()


@pytest.fixture(scope="module")
def api() -> API:
    return build_api(load_document(SPEC))


def test_one_page_per_resource_and_per_model_and_an_index(
    docs: dict[str, str], api: API
) -> None:
    expected = {"index.md"}
    expected |= {f"methods/{'.'.join(op.resource)}.md" for op in api.operations}
    expected |= {f"models/{m.name}.md" for m in api.modules}
    assert set(docs) == expected


# The reference page's notation for every method (the page glues `str session_id`).
SIGNATURES = {
    "beta.chatkit.sessions": [
        "beta.chatkit.sessions.create(SessionCreateParams **kwargs) -> ChatSession",
        "beta.chatkit.sessions.cancel(str session_id) -> ChatSession",
    ],
    "beta.chatkit.threads": [
        "beta.chatkit.threads.list(ThreadListParams **kwargs) -> SyncConversationCursorPage[ChatKitThread]",
        "beta.chatkit.threads.retrieve(str thread_id) -> ChatKitThread",
        "beta.chatkit.threads.delete(str thread_id) -> ThreadDeleteResponse",
        "beta.chatkit.threads.list_items(str thread_id, ThreadListItemsParams **kwargs)"
        " -> SyncConversationCursorPage[Data]",
    ],
}


def _joined(block: str) -> str:
    """A signature printed one argument a line, back on one line."""
    block = re.sub(r",\n\)", ")", block)
    block = re.sub(r"\(\n\s*", "(", block)
    return re.sub(r",\n\s*", ", ", block)


def test_method_signatures_and_http_lines(docs: dict[str, str], api: API) -> None:
    for resource, signatures in SIGNATURES.items():
        page = docs[f"methods/{resource}.md"]
        blocks = [b for b in re.findall(r"```python\n(.*?)\n```", page, re.S) if b.startswith(resource)]
        assert [_joined(b) for b in blocks] == signatures
        # a signature wider than black's 88 columns is printed one argument a line
        for block in blocks:
            assert all(len(line) <= 88 for line in block.splitlines()), block
        lines = visible_lines(page)
        for op in api.operations:
            if ".".join(op.resource) == resource:
                assert f"{op.method} {op.path}" in lines
                assert op.summary in lines
    page = docs["methods/beta.chatkit.threads.md"]
    assert (
        "```python\nbeta.chatkit.threads.list_items(\n    str thread_id,\n"
        "    ThreadListItemsParams **kwargs,\n) -> SyncConversationCursorPage[Data]\n```"
    ) in page


def test_method_sections_have_parameters_returns_and_examples(
    docs: dict[str, str],
) -> None:
    page = docs["methods/beta.chatkit.threads.md"]
    section = page.split("## List ChatKit thread items")[1]
    lines = visible_lines(section)
    # a list, not a seven-column table wider than the page: `name: Type`, the
    # description, then the facts (where it goes, required or not, default, limits)
    params = section.split("### Parameters")[1].split("###")[0]
    assert "|" not in params
    rows = re.findall(r"^- `(\w+)`: .*\n\n(?:    .*\n\n)*?    (\w+) · ", params, re.M)
    # path parameter first, then the query parameters of ThreadListItemsParams
    assert rows == [
        ("thread_id", "path"),
        ("after", "query"),
        ("before", "query"),
        ("limit", "query"),
        ("order", "query"),
    ]
    limit = lines[lines.index("limit: Optional[int]") :]
    assert limit[1] == "Maximum number of thread items to return. Defaults to 20."
    assert limit[2] == "query · optional · default 20 · minimum 0 · maximum 100"
    # the beta header is not a parameter the caller passes, but the page says it is sent
    assert "OpenAI-Beta" not in " ".join(r[0] for r in rows)
    assert (
        "Every call sends the header OpenAI-Beta: chatkit_beta=v1; the client sets it."
        in " ".join(lines)
    )
    # the example request uses the spec's example path value; the response example is the spec's
    assert (
        'for item in client.beta.chatkit.threads.list_items(\n        "cthr_68e4f3b7c8d9e0f1a2b3c4d5e6f7a8b9"\n    ):'
        in section
    )
    assert (
        "GET https://api.openai.com/v1/chatkit/threads/cthr_68e4f3b7c8d9e0f1a2b3c4d5e6f7a8b9/items"
        in section
    )
    assert '"widget": "{\\"type\\":\\"Card\\",' in section
    assert (
        "SyncConversationCursorPage[Data]: iterating it yields every Data across pages"
        in " ".join(lines)
    )


def test_request_body_fields_are_parameters_and_example(docs: dict[str, str]) -> None:
    page = docs["methods/beta.chatkit.sessions.md"]
    create = page.split("## Create ChatKit session")[1].split("## Cancel chat session")[
        0
    ]
    rows = re.findall(r"^- `(\w+)`: .*\n\n(?:    .*\n\n)*?    body · ", create, re.M)
    assert rows == [
        "chatkit_configuration",
        "expires_after",
        "rate_limits",
        "user",
        "workflow",
    ]
    assert (
        'user="user_8f2a1c9d", workflow={"id": "wf_68e4f0c1d2e3a4b5c6d7e8f9a0b1c2d3"}'
        in create
    )
    assert '"max_requests_per_1_minute": 30' in create


def _top_level_fields(page: str) -> list[str]:
    return re.findall(r"^- `(\w+)`: ", page, re.M)


def test_model_pages_list_fields_in_spec_order_with_the_page_types(
    docs: dict[str, str], api: API
) -> None:
    for module in api.modules:
        decl = api.decls[module.top]
        page = docs[f"models/{module.name}.md"]
        if not isinstance(decl, ModelDecl):
            assert doc_type(api, decl.type) in visible_lines(page)
            continue
        names = [
            f.name if decl.shape == "response" else f.wire_name for f in decl.fields
        ]
        assert _top_level_fields(page) == names, module.name
        lines = visible_lines(page)
        assert f"class {decl.name}:" in lines
        for f in decl.fields:
            t = doc_type(api, f.type)
            if not f.required and not t.startswith("Optional["):
                t = f"Optional[{t}]"
            assert f"{f.name}: {t}" in lines, (module.name, f.name)


def test_field_facts_required_default_and_constraints(docs: dict[str, str]) -> None:
    lines = visible_lines(docs["models/chat_session_chatkit_configuration_param.md"])
    i = lines.index("max_file_size: Optional[int]")
    assert lines[i + 1].startswith("Maximum size in megabytes")
    assert lines[i + 2] == "optional · default 512 · minimum 1 · maximum 512"
    lines = visible_lines(docs["models/chat_session_workflow_param.md"])
    i = lines.index("state_variables: Optional[Dict[str, Union[str, int, bool, float]]]")
    assert lines[i + 2] == "optional · default {} · keys: max length 64"
    assert lines[i + 3 : i + 8] == ["One of the following:", "str", "int", "bool", "float"]
    lines = visible_lines(docs["models/chat_session.md"])
    assert lines[lines.index("id: str") + 2] == "required"


def test_unions_and_enums_list_their_choices_and_nested_classes_in_full(
    docs: dict[str, str],
) -> None:
    lines = visible_lines(docs["models/chatkit_thread.md"])
    i = lines.index("status: Status")
    assert lines[i + 3] == "One of the following:"
    assert lines[i + 4 : i + 6] == [
        "class StatusActive:",
        "Indicates that a thread is active.",
    ]
    lines = visible_lines(docs["models/chat_session_status.md"])
    i = lines.index('Literal["active", "expired", "cancelled"]')
    assert lines[i + 1].startswith("Lifecycle state")  # the alias's own description
    assert lines[i + 2 :] == [
        "One of the following:",
        '"active"',
        '"expired"',
        '"cancelled"',
    ]
    # a union of top-level classes shows each of them, nested classes included
    lines = visible_lines(docs["models/chatkit_thread_item_list.md"])
    for cls in [
        "ChatKitThreadUserMessageItem",
        "ChatKitThreadAssistantMessageItem",
        "ChatKitWidgetItem",
        "DataChatKitClientToolCall",
        "DataChatKitTask",
        "DataChatKitTaskGroup",
        "AnnotationFile",
    ]:
        assert f"class {cls}:" in lines


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_every_link_resolves_to_a_page_and_anchor(
    docs: dict[str, str], api: API
) -> None:
    ids = {path: read_html(to_html(text)).ids for path, text in docs.items()}
    checked = 0
    for path, text in docs.items():
        for link in _links(text):
            target, _, anchor = link.partition("#")
            page = _norm(f"{Path(path).parent}/{target}") if target else path
            assert page in docs, f"{path}: broken link {link}"
            if anchor:
                assert anchor in ids[page], f"{path}: no anchor #{anchor} on {page}"
            checked += 1
    assert checked > 100
    # every declaration has an anchor on its module's page
    for module in api.modules:
        for key in module.decls:
            assert api.decls[key].name in ids[f"models/{module.name}.md"], (
                module.name,
                key,
            )


FIXTURES = sorted(
    p
    for p in (ROOT / "tests" / "fixtures").glob("*/spec.*")
    if p.suffix in (".yaml", ".json")
)


@pytest.mark.parametrize("spec", FIXTURES, ids=lambda p: p.parent.name)
def test_fixture_specs_give_docs_whose_links_all_resolve(spec: Path) -> None:
    docs = generate_docs(spec=spec, package=f"{spec.parent.name}_api", allow_refs=(spec.parent,))
    api = build_api(load_document(spec, allow_refs=(spec.parent,)))
    ids = {path: read_html(to_html(text)).ids for path, text in docs.items()}
    for path, text in docs.items():
        assert (
            "\n\n\n" not in text and text.endswith("\n") and not text.endswith("\n\n")
        ), path
        for link in _links(text):
            target, _, anchor = link.partition("#")
            page = _norm(f"{Path(path).parent}/{target}") if target else path
            assert page in docs and (not anchor or anchor in ids[page]), (
                f"{path}: broken link {link}"
            )
    for module in api.modules:
        for key in module.decls:
            assert api.decls[key].name in ids[f"models/{module.name}.md"], (spec, key)


def _norm(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def test_docs_come_with_the_bindings_in_one_generation(api: API) -> None:
    from chatkit_codegen.config import load_config
    from chatkit_codegen.pipeline import generate

    files = generate(load_config(ROOT)).files
    assert "chatkit_api/types/chat_session.py" in files
    assert "docs/models/chat_session.md" in files
    assert "docs/index.md" in files


# ------------------------------------------------------------------------ escaping

EVIL = (
    "<script>alert(1)</script> a | b `tick` *star* _under_ [x](javascript:alert(2)) # h"
)

EVIL_SPEC = """\
openapi: 3.1.0
info:
  title: "<img src=x onerror=alert(3)> API"
  version: "1.0"
  description: "EVIL\\n\\n1. not a list\\n\\n- not a bullet either"
tags:
  - name: Things
    description: "EVIL"
paths:
  /things/{thing_id}:
    get:
      operationId: GetThing
      summary: "Get <b>thing</b> | now"
      description: "EVIL\\nsecond line"
      tags: [Things]
      x-sdk-method: things.retrieve
      parameters:
        - name: thing_id
          in: path
          required: true
          description: "EVIL"
          schema: {type: string}
          example: "a/b ```"
      responses:
        '200':
          description: "EVIL"
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                evil:
                  value: {name: "```\\n</code></pre><script>alert(4)</script>", kind: "a|b"}
components:
  schemas:
    Thing:
      type: object
      description: "EVIL"
      required: [name]
      properties:
        name:
          type: string
          description: "EVIL"
          pattern: "^(a|`b`|```)"
        kind:
          type: string
          description: "EVIL"
          enum: ["a|b", "`c`", "<script>"]
""".replace("EVIL", EVIL.replace('"', '\\"'))


@pytest.fixture(scope="module")
def evil_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    folder = tmp_path_factory.mktemp("evil")
    spec = folder / "spec.yaml"
    spec.write_text(EVIL_SPEC, encoding="utf-8")
    return generate_docs(spec=spec, out=folder / "out", package="evil_api")


def test_spec_text_is_escaped_for_markdown_and_html(evil_docs: dict[str, str]) -> None:
    assert set(evil_docs) == {"index.md", "methods/things.md", "models/thing.md"}
    for path, text in evil_docs.items():
        prose = re.sub(
            r"^( *)(`{3,}).*?^\1\2$", "", text, flags=re.M | re.S
        )  # code blocks removed
        prose = re.sub(
            r"(`+).+?\1", "", prose
        )  # and code spans: both are printed as text
        assert "&lt;script&gt;" in prose, path
        assert "<script>" not in prose and "<img" not in prose and "<b>" not in prose, (
            path
        )
        reader = read_html(to_html(text))
        assert "script" not in reader.elements and "img" not in reader.elements, path
        assert "b" not in reader.elements, path  # <b> in a summary stays text
        assert "javascript:" not in to_html(text).replace("javascript:alert(2))", ""), (
            path
        )
        # descriptions are CommonMark: the reader sees the spec's text with its
        # Markdown applied (code, emphasis) and its raw HTML as text
        if path != "index.md":
            assert EVIL_SHOWN in reader.lines, path
            html = to_html(text)
            assert "<code>tick</code>" in html and "<em>star</em>" in html, path
    index = read_html(to_html(evil_docs["index.md"]))
    assert "<img src=x onerror=alert(3)> API" in index.lines  # a title is plain text
    # the description's lists are lists
    assert "not a list" in index.lines and "not a bullet either" in index.lines
    assert index.elements.count("li") == 2


EVIL_SHOWN = "<script>alert(1)</script> a | b tick star under [x](javascript:alert(2)) # h"

MARKDOWN_DESCRIPTION = """\
Send the `OpenAI-Beta: chatkit_beta=v1` header; **bold**, *em*, [docs](https://example.com/a_(b)).

- first `item`
- second, [bad](javascript:alert(1)) and [relative](/elsewhere)
    - nested

1. one
2. two

```json
{"a": "</code></pre><script>alert(5)</script>"}
```

<div onclick="alert(6)">raw <b>html</b></div> &lt;i&gt;entity&lt;/i&gt;

# Not a page heading
"""


@pytest.fixture(scope="module")
def markdown_docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    import yaml

    folder = tmp_path_factory.mktemp("markdown")
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "Markdown API", "version": "1", "description": MARKDOWN_DESCRIPTION},
        "paths": {
            "/things": {
                "get": {
                    "operationId": "listThings",
                    "description": MARKDOWN_DESCRIPTION,
                    "parameters": [
                        {"name": "q", "in": "query", "description": MARKDOWN_DESCRIPTION, "schema": {"type": "string"}}
                    ],
                    "responses": {
                        "200": {
                            "description": MARKDOWN_DESCRIPTION,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}},
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": MARKDOWN_DESCRIPTION,
                    "properties": {"name": {"type": "string", "description": MARKDOWN_DESCRIPTION}},
                }
            }
        },
    }
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    return generate_docs(spec=path, out=folder / "out", package="markdown_api")


def test_descriptions_render_as_markdown_and_raw_html_stays_text(
    markdown_docs: dict[str, str],
) -> None:
    for path, text in markdown_docs.items():
        html = to_html(text)
        reader = read_html(html)
        assert "<code>OpenAI-Beta: chatkit_beta=v1</code>" in html, path
        assert "<strong>bold</strong>" in html and "<em>em</em>" in html, path
        assert '<a href="https://example.com/a_%28b%29">docs</a>' in html, path
        # unsafe and relative links keep their text, not their target
        assert "javascript:" not in html.replace("[bad](javascript:alert(1))", ""), path
        assert 'href="/elsewhere"' not in html and "relative" in html, path
        # raw HTML (and entities) show as text; code blocks hold their text
        assert "script" not in reader.elements, path
        assert "onclick" not in html.replace('&lt;div onclick="alert(6)"&gt;', "").replace(
            "&lt;div onclick=&quot;alert(6)&quot;&gt;", ""
        ), path
        assert "b" not in reader.elements and "i" not in reader.elements, path
        assert '<div onclick="alert(6)">raw <b>html</b></div> <i>entity</i>' in " ".join(
            reader.lines
        ), path
        if path == "index.md" or path.startswith("methods/"):
            # block context: lists, code blocks; a heading in a description is no page heading
            assert "first item" in reader.lines, path
            assert "nested" in reader.lines, path
            assert '{"a": "</code></pre><script>alert(5)</script>"}' in reader.lines, path
            assert "Not a page heading" in reader.lines, path
        assert "<h1>Not a page heading" not in html, path
    # in a table cell the description stays on one line: the row keeps its 3 cells
    page = to_html(markdown_docs["methods/things.md"])
    for row in re.findall(r"<tr>(.*?)</tr>", page, re.S):
        assert len(re.findall(r"<t[dh][ >]", row)) in (2, 3), row


def test_tables_survive_pipes_and_code_survives_backticks(
    evil_docs: dict[str, str],
) -> None:
    page = evil_docs["methods/things.md"]
    html = to_html(page)
    reader = read_html(html)
    assert "Get <b>thing</b> | now" in reader.lines
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[dh][ >]", row)
        assert len(cells) in (2, 3), row  # method index, responses
    # example values with backticks and closing tags stay inside their code blocks
    assert 'result = client.things.retrieve("a/b ```")' in reader.lines
    assert '"name": "```\\n</code></pre><script>alert(4)</script>",' in reader.lines
    model = read_html(to_html(evil_docs["models/thing.md"])).lines
    assert ['"a|b"', '"`c`"', '"<script>"'] == model[
        model.index("One of the following:") + 1 :
    ][:3]
    assert "required · pattern ^(a|`b`|```)" in model


def test_huge_examples_are_shortened_and_small_ones_kept() -> None:
    from chatkit_codegen.render.docs_methods import EXAMPLE_CHARS, shorten

    small = {"data": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    assert shorten(small) == (small, "")
    leaf = {"id": "x" * 40, "tags": ["t"] * 50}
    huge = {"data": [{"nested": [leaf] * 20}] * 60, "has_more": True}
    shown, note = shorten(huge)
    assert "shortened" in note
    import json

    text = json.dumps(shown, ensure_ascii=False)
    assert len(text) < EXAMPLE_CHARS and "…" in text
    assert shown["has_more"] is True and len(shown["data"]) == 3  # two items and the mark


def test_model_pages_link_models_beyond_a_few_hops(tmp_path: Path) -> None:
    """A chain of models is shown in full a few levels deep, then linked: pages of a
    large spec stay proportional to the model, not to everything reachable from it."""
    from chatkit_codegen.render.docs_types import MAX_MODEL_HOPS

    depth = MAX_MODEL_HOPS + 3
    schemas = {
        f"M{i}": {
            "type": "object",
            "description": f"Level {i}.",
            "properties": {"name": {"type": "string", "description": f"name{i}"}}
            | ({"next": {"$ref": f"#/components/schemas/M{i + 1}"}} if i < depth else {}),
        }
        for i in range(depth + 1)
    }
    import yaml

    spec = tmp_path / "spec.yaml"
    spec.write_text(
        yaml.safe_dump({"openapi": "3.1.0", "info": {"title": "Chain", "version": "1"}, "paths": {},
                        "components": {"schemas": schemas}}),
        encoding="utf-8",
    )
    page = generate_docs(spec)["models/m_0.md"]
    shown = [i for i in range(depth + 1) if f"name{i}" in page]
    assert shown == list(range(MAX_MODEL_HOPS))  # the page's own model counts as one
    assert f"See [M{MAX_MODEL_HOPS}](m_{MAX_MODEL_HOPS}.md#M{MAX_MODEL_HOPS})." in page


def _descriptions(value: object) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if k == "description" and isinstance(v, str):
                found.add(v)
            else:
                found |= _descriptions(v)
    elif isinstance(value, list):
        for v in value:
            found |= _descriptions(v)
    return found


def test_plain_text_shortcut_prints_what_the_parser_prints() -> None:
    """Prose without Markdown skips the parser; it must come out the same either way."""
    import yaml
    from chatkit_codegen.render.markdown import (
        _NOT_PLAIN,
        _flat_blocks,
        _parsed,
        _parsed_blocks,
        md_blocks,
    )

    specs = [SPEC, *sorted((ROOT / "tests" / "fixtures").glob("*/spec.*"))]
    specs += [p for p in (ROOT.parent / "shared" / "realworld").glob("*openapi.*") if p.is_file()]
    texts: set[str] = set()
    for path in specs:
        texts |= _descriptions(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    texts |= {"a\n\nb", "line one\nline two", "1 apple", "x - y", "-1 or 2", "a\n  indented"}
    texts |= {"max_files and snake_case_name", "a_b_c", "chatkit_beta=v1", "x_1 y_2\n\nz_3"}
    plain = [t for t in texts if t.strip() and not _NOT_PLAIN.search(t)]
    assert len(plain) > 20
    assert "a_b_c" in plain  # an underscore inside a word opens no emphasis
    assert [t for t in plain if md_blocks(t) != _parsed_blocks(t)] == []
    # table cells and summaries take the same shortcut
    assert [t for t in plain if _flat_blocks(t) != _parsed(t, flat=True)] == []
    # and what looks like Markdown goes to the parser
    for text in ("1. a", "- a", "a\n===", "    code", "> quote", "a `b`", "&amp;", "_a_", "a _b", "b_ c", "_"):
        assert _NOT_PLAIN.search(text), text
