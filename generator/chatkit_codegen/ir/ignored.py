"""Parts of a document that nothing generated from it uses, each reported once as a located note.

Everything else is read by the IR builder (schemas, operations, parameters, bodies,
responses, security, servers, webhooks, callbacks, links) or is documentation only
(``externalDocs``, ``tags``, examples); a construct listed here would otherwise be
dropped without a word.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..load.document import join_pointer
from ..load.walk import iter_operations

# (key, where it sits, what the generated code does instead)
_PATH_ITEM = {"servers": "per-path servers are not used: every call goes to the client's base URL"}
_OPERATION = {"servers": "per-operation servers are not used: every call goes to the client's base URL"}
_RESPONSE = {"headers": "response headers are not typed: read them from the raw response (with_raw_response)"}
_MEDIA = {"encoding": "per-part encodings are not applied: parts are sent with their default content types"}
_PARAMETER = {
    "allowReserved": "reserved characters are percent-encoded anyway (allowReserved is not applied)",
    "allowEmptyValue": "an empty value is sent like any other (allowEmptyValue is not applied)",
}
_TOP = {"jsonSchemaDialect": "schemas are read with the OpenAPI dialect whatever jsonSchemaDialect names"}


def ignored_constructs(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(pointer, note) for every construct of ``data`` the generated code does not use."""
    for key, note in _TOP.items():
        if key in data:
            yield join_pointer("", key), note
    paths = data.get("paths")
    for path, item in (paths.items() if isinstance(paths, dict) else ()):
        if isinstance(item, dict):
            yield from _keys(item, join_pointer("/paths", str(path)), _PATH_ITEM)
            yield from _parameters(item.get("parameters"), join_pointer("/paths", str(path), "parameters"))
    for ptr, _path, _method, op in iter_operations(data):
        yield from _keys(op, ptr, _OPERATION)
        yield from _parameters(op.get("parameters"), join_pointer(ptr, "parameters"))
        body = op.get("requestBody")
        if isinstance(body, dict):
            yield from _media(body.get("content"), join_pointer(ptr, "requestBody", "content"))
        responses = op.get("responses")
        for code, resp in (responses.items() if isinstance(responses, dict) else ()):
            if isinstance(resp, dict):
                rptr = join_pointer(ptr, "responses", str(code))
                yield from _keys(resp, rptr, _RESPONSE)
    components = data.get("components")
    if isinstance(components, dict):
        for name, resp in (components.get("responses") or {}).items() if isinstance(components.get("responses"), dict) else ():
            if isinstance(resp, dict):
                yield from _keys(resp, join_pointer("/components/responses", str(name)), _RESPONSE)
        bodies = components.get("requestBodies")
        for name, body in (bodies.items() if isinstance(bodies, dict) else ()):
            if isinstance(body, dict):
                yield from _media(body.get("content"), join_pointer("/components/requestBodies", str(name), "content"))
        params = components.get("parameters")
        for name, param in (params.items() if isinstance(params, dict) else ()):
            yield from _keys(param, join_pointer("/components/parameters", str(name)), _PARAMETER)


def _keys(node: Any, ptr: str, table: dict[str, str]) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, note in table.items():
            if node.get(key) not in (None, [], {}, False):
                yield join_pointer(ptr, key), note


def _parameters(params: Any, ptr: str) -> Iterator[tuple[str, str]]:
    for i, param in enumerate(params if isinstance(params, list) else []):
        yield from _keys(param, join_pointer(ptr, i), _PARAMETER)


def _media(content: Any, ptr: str) -> Iterator[tuple[str, str]]:
    for media, mobj in (content.items() if isinstance(content, dict) else ()):
        if str(media).lower().startswith("multipart/"):  # url-encoded forms apply their encoding
            yield from _keys(mobj, join_pointer(ptr, str(media)), _MEDIA)
