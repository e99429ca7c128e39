"""The validation engine: a document against the OpenAPI meta-schema, values against schemas.

jsonschema-rs (compiled, Rust) does the JSON Schema work; this module decides what to
validate against what and turns its errors into ``Finding``s located at the offending
node. It is imported only when validation runs (never for a spec whose validation is
cached), and it imports jsonschema-rs only inside its functions.

What openapi-spec-validator checks, and where each check lives here:

* the document against the OpenAPI 3.0 / 3.1 meta-schema (``metaschemas/``), and in 3.1
  every schema object against the 3.1 schema dialect (or ``jsonSchemaDialect``), in one
  pass: the dialect is plugged in where the meta-schema says "a schema goes here", so an
  error inside a schema comes back with the schema's own pointer;
* ``default`` values against the schema that holds them (``check_defaults``);
* ``required`` names that no property of an ``allOf`` defines (``check_allof_required``);
* duplicate tag names (``check_tags``);
* duplicate operationIds, parameters and undeclared path parameters: ``validate.check_semantics``.

``Finding.keyword`` is the JSON Schema keyword that failed (``required``, ``type``,
``enum``...) or, for the rules above, ``default``, ``allOf-required``, ``tags-unique``.
"""

from __future__ import annotations

import json
import marshal
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any
from urllib.parse import quote

from .document import join_pointer
from .walk import iter_all_schemas, resolve_pointer, root_schemas, spec_nodes

OAS30_ID = "https://spec.openapis.org/oas/3.0/schema/2021-09-28"
OAS31_ID = "https://spec.openapis.org/oas/3.1/schema/2022-10-07"
OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"
OAS31_META = "https://spec.openapis.org/oas/3.1/meta/base"
DRAFT202012 = "https://json-schema.org/draft/2020-12/schema"
OAS32_DIALECT = "https://spec.openapis.org/oas/3.2/dialect/2025-09-17"  # checked as OAS31_DIALECT
DOCUMENT_URI = "urn:chatkit-codegen:document"
# Only "regex" is a format the reference validator checks in a document's schemas (the
# 'pattern' keyword); every other format the meta-schemas name is an annotation to it.
_ANNOTATION_FORMATS = ("uri", "uri-reference", "iri", "iri-reference", "email", "media-range", "uri-template")
_WEAK = ("anyOf", "oneOf")
_TYPES = {"array", "boolean", "integer", "number", "object", "string"}


@dataclass(frozen=True, order=True)
class Finding:
    """One failed check: where (a JSON pointer), which keyword or rule, and what."""

    pointer: str
    keyword: str
    message: str
    value: Any = field(default=None, compare=False, hash=False, repr=False)
    # Within a checked value (examples, defaults): the path of the failing part.
    path: tuple[str | int, ...] = field(default=(), compare=False)


class SchemaCheckError(Exception):
    """A schema that cannot be compiled (bad regex, unresolvable $ref...)."""


def _meta(name: str) -> dict[str, Any]:
    text = files("chatkit_codegen.load").joinpath("metaschemas", name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _no_fetch(uri: str) -> Any:
    raise ValueError(f"refusing to fetch {uri!r}: validation never uses the network")


def _always(_value: Any) -> bool:
    return True


@cache
def _document_validator(version: str, dialect: str) -> Any:
    """The compiled meta-schema for ``version`` ('3.0', '3.1' or '3.2')."""
    import jsonschema_rs

    formats = {name: _always for name in _ANNOTATION_FORMATS}
    if version == "3.0":
        return jsonschema_rs.Draft4Validator(
            _meta("oas-3.0-schema.json"),
            formats=formats,
            validate_formats=True,
            retriever=_no_fetch,
        )
    schema = _meta("oas-3.2-schema.json" if version == "3.2" else "oas-3.1-schema.json")
    # "A schema goes here" becomes "a schema of the document's dialect goes here".
    schema["$defs"]["schema"] = {"$dynamicAnchor": "meta", "$ref": dialect}
    registry = jsonschema_rs.Registry(
        [(OAS31_DIALECT, _meta("oas-3.1-dialect-base.json")), (OAS31_META, _meta("oas-3.1-meta-base.json"))],
        retriever=_no_fetch,
    )
    return jsonschema_rs.Draft202012Validator(
        schema, formats=formats, validate_formats=True, registry=registry, retriever=_no_fetch
    )


def supported_dialect(data: dict[str, Any]) -> str | None:
    """The JSON Schema dialect of a 3.1 document's schemas, None when it is not one we know."""
    dialect = data.get("jsonSchemaDialect", OAS31_DIALECT)
    if dialect == OAS32_DIALECT:
        return OAS31_DIALECT
    return dialect if dialect in (OAS31_DIALECT, DRAFT202012) else None


def check_document(data: dict[str, Any], version: str) -> list[Finding]:
    """Every finding of the meta-schema (and, in 3.1, the schema dialect) on ``data``."""
    dialect = OAS31_DIALECT
    findings: list[Finding] = []
    if version in ("3.1", "3.2"):
        found = supported_dialect(data)
        if found is None:
            raw = data.get("jsonSchemaDialect")
            findings.append(
                Finding("/jsonSchemaDialect", "jsonSchemaDialect", f"Unknown JSON Schema dialect: {raw!r}", raw)
            )
        else:
            dialect = found
    validator = _document_validator(version, dialect)
    for err in validator.iter_errors(data):
        findings.append(to_finding(best(err), data))
    return findings


def check_structure(data: dict[str, Any], version: str) -> list[Finding]:
    """``check_document`` plus the rules openapi-spec-validator adds to the meta-schema."""
    findings = check_document(data, version)
    findings.extend(check_tags(data))
    findings.extend(check_allof_required(data))
    # A default whose schema does not compile is not checked (its schema is reported).
    findings.extend(check_defaults(data, version))
    return sorted(set(findings))


# --- errors: the most relevant one, as a Finding -------------------------------------


def best(err: Any) -> Any:
    """The error that says what is wrong: for a failed anyOf/oneOf, the deepest error of
    the branch that got furthest (a branch failing only on the type of the value itself
    is the least relevant), recursively; like jsonschema's ``best_match``."""
    while err.kind.name in _WEAK and getattr(err.kind, "context", None):
        depth = len(err.instance_path)
        branches = [b for b in err.kind.context if b]
        if not branches:
            break

        def score(branch: list[Any], depth: int = depth) -> tuple[bool, bool, int, int]:
            deepest = max(len(e.instance_path) for e in branch)
            only_type = all(e.kind.name == "type" and len(e.instance_path) == depth for e in branch)
            only_ref = all(_is_ref_required(e) for e in branch)
            return (not only_type, not only_ref, deepest, -len(branch))

        chosen = max(branches, key=score)
        if score(chosen)[2] == depth and len(branches) > 1 and len(chosen) > 1:
            break  # no branch got past the value itself: the anyOf/oneOf error says most
        err = max(chosen, key=lambda e: (len(e.instance_path), e.kind.name not in _WEAK))
    return err


def _is_ref_required(err: Any) -> bool:
    return err.kind.name == "required" and getattr(err.kind, "property", None) == "$ref"


def pointer_of(path: Any) -> str:
    return join_pointer("", *(str(p) for p in path))


def typed_path(root: Any, path: Any) -> tuple[str | int, ...]:
    """jsonschema-rs's instance path with keys as strings and indices as ints (it gives
    a numeric-looking key such as a status code as an int)."""
    out: list[str | int] = []
    node = root
    for part in path:
        if isinstance(node, list):
            index = int(part)
            out.append(index)
            node = node[index] if 0 <= index < len(node) else None
        else:
            key = str(part)
            out.append(key)
            node = node.get(key) if isinstance(node, dict) else None
    return tuple(out)


def to_finding(err: Any, root: Any, skip: int = 0) -> Finding:
    """``err`` as a Finding; ``skip`` leading parts of its path are the caller's wrapping."""
    path = typed_path(root, err.instance_path)[skip:]
    if err.kind.name == "propertyNames":  # a bad key: the keyword its name failed
        inner = err.kind.error
        return Finding(pointer_of(path), inner.kind.name, message(inner), inner.instance, path)
    return Finding(pointer_of(path), err.kind.name, message(err), err.instance, path)


def _names(items: Any) -> str:
    return ", ".join(repr(i) for i in items)


def message(err: Any) -> str:
    """jsonschema-rs's error in the words of Python's jsonschema (Python reprs)."""
    kind = err.kind
    name = kind.name
    inst = err.instance
    if name == "required":
        return f"{kind.property!r} is a required property"
    if name == "type":
        return f"{inst!r} is not of type {_names(kind.types)}"
    if name == "enum":
        if err.instance_path and str(err.instance_path[-1]) == "type" and set(map(str, kind.options)) >= _TYPES:
            return f"{inst!r} is not a valid type; expected one of {_names(kind.options)}"
        return f"{inst!r} is not one of {kind.options!r}"
    if name == "const":
        return f"{kind.expected_value!r} was expected"
    limits = {
        "minimum": "is less than the minimum of",
        "maximum": "is greater than the maximum of",
        "exclusiveMinimum": "is less than or equal to the minimum of",
        "exclusiveMaximum": "is greater than or equal to the maximum of",
    }
    if name in limits:
        return f"{inst!r} {limits[name]} {kind.limit!r}"
    if name in ("minLength", "minItems"):
        return f"{inst!r} is too short"
    if name in ("maxLength", "maxItems"):
        return f"{inst!r} is too long"
    if name == "minProperties":
        return f"{inst!r} does not have enough properties"
    if name == "maxProperties":
        return f"{inst!r} has too many properties"
    if name == "pattern":
        return f"{inst!r} does not match {kind.pattern!r}"
    if name == "format":
        return f"{inst!r} is not a {kind.format!r}"
    if name in ("additionalProperties", "unevaluatedProperties"):
        extra = list(kind.unexpected)
        verb = "was" if len(extra) == 1 else "were"
        what = "Additional" if name == "additionalProperties" else "Unevaluated"
        return f"{what} properties are not allowed ({_names(extra)} {verb} unexpected)"
    if name == "uniqueItems":
        return f"{inst!r} has non-unique elements"
    if name == "multipleOf":
        return f"{inst!r} is not a multiple of {kind.multiple_of!r}"
    if name == "not":
        return f"{inst!r} should not be valid under {kind.schema!r}"
    if name == "falseSchema":
        return f"False schema does not allow {inst!r}"
    if name == "anyOf" or (name == "oneOf" and type(kind).__name__ == "OneOfNotValid"):
        return f"{inst!r} is not valid under any of the given schemas"
    if name == "oneOf":
        return f"{inst!r} is valid under each of the given schemas"
    if name == "propertyNames":
        return message(kind.error)
    text: str = err.message
    return text


# --- rules beyond the meta-schema -----------------------------------------------------


def check_tags(data: dict[str, Any]) -> Iterator[Finding]:
    tags = data.get("tags")
    if not isinstance(tags, list):
        return
    seen: set[str] = set()
    for i, tag in enumerate(tags):
        name = tag.get("name") if isinstance(tag, dict) else None
        if not isinstance(name, str):
            continue
        if name in seen:
            yield Finding(join_pointer("/tags", i, "name"), "tags-unique", f"Duplicate tag name {name!r}", name)
        seen.add(name)


def _collect_properties(schema: Any) -> set[str]:
    props: set[str] = set()
    if not isinstance(schema, dict):
        return props
    if isinstance(schema.get("properties"), dict):
        props.update(schema["properties"])
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key) or ():
            props |= _collect_properties(sub)
    for key in ("items", "not"):
        props |= _collect_properties(schema.get(key))
    return props


def check_allof_required(data: dict[str, Any]) -> Iterator[Finding]:
    """A schema with allOf whose ``required`` names a property nothing defines."""
    for ptr, schema in root_schemas(data):
        if not isinstance(schema, dict) or not isinstance(schema.get("allOf"), list):
            continue
        required = schema.get("required")
        if not isinstance(required, list):
            continue
        known = _collect_properties(_resolve_refs(data, schema))
        extra = sorted(str(r) for r in required if r not in known)
        if extra:
            yield Finding(
                ptr + "/required",
                "allOf-required",
                f"Required list has not defined properties: {extra}",
                required,
            )


def _resolve_refs(data: Any, node: Any, depth: int = 0) -> Any:
    """``node`` with the $refs of its allOf/anyOf/oneOf/items/not followed (for property names)."""
    from .walk import resolve_pointer

    if depth > 16 or not isinstance(node, dict):
        return node
    if isinstance(node.get("$ref"), str):
        try:
            node = resolve_pointer(data, node["$ref"])
        except KeyError:
            return {}
    if not isinstance(node, dict):
        return node
    out = dict(node)
    for key in ("allOf", "anyOf", "oneOf"):
        if isinstance(node.get(key), list):
            out[key] = [_resolve_refs(data, s, depth + 1) for s in node[key]]
    for key in ("items", "not"):
        if key in node:
            out[key] = _resolve_refs(data, node[key], depth + 1)
    return out


def check_defaults(data: dict[str, Any], version: str) -> Iterator[Finding]:
    """Every ``default`` against the schema that holds it (``null`` is fine when nullable)."""
    checks = [
        (ptr, schema["default"])
        for ptr, schema in iter_all_schemas(data)
        if "default" in schema and not (schema["default"] is None and schema.get("nullable") is True)
    ]
    if not checks:
        return
    outcomes = ValueChecker(data, version).errors_many(checks, mode=None)
    for (ptr, value), errors in zip(checks, outcomes, strict=True):
        if isinstance(errors, SchemaCheckError):
            continue  # a schema too broken to check against is reported by check_document
        for found in errors[:1]:
            yield Finding(ptr + "/default", "default", found.message, value, found.path)


# --- values against the document's schemas --------------------------------------------


def _without(required: list[Any], props: Any, flag: str) -> list[Any]:
    if not isinstance(props, dict):
        return required
    return [n for n in required if not (isinstance(props.get(n), dict) and props[n].get(flag) is True)]


def without_examples(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``data`` without its examples (annotations: a registry does without them,
    and with YAML aliases they can expand to most of a document)."""
    copy: dict[str, Any] = marshal.loads(marshal.dumps(data))
    for _, node in spec_nodes(copy):
        node.pop("example", None)
        node.pop("examples", None)
    return copy


def _prepare(data: dict[str, Any], bare: dict[str, Any], oas30: bool, skip_flag: str | None) -> dict[str, Any]:
    """A copy of ``data`` whose schemas mean for jsonschema-rs what they mean in OpenAPI:
    every reference is to this document (an ``$id`` or ``$schema`` in a schema changes
    no base URI or dialect; a non-local ``$dynamicRef`` is dropped, never fetched),
    ``nullable`` becomes a "null" type, and properties flagged ``skip_flag`` (readOnly in
    requests, writeOnly in responses) are no longer required. ``nullable`` and boolean
    exclusive bounds in a 3.1 document are read as 3.0 meant them, as generate does."""
    copy: dict[str, Any] = marshal.loads(marshal.dumps(bare))  # bare: without_examples(data)
    # The copy has the original's shape: walk the original (once per validation, see
    # walk.schemas_memoized) and change, in the copy, only the schemas that need it.
    for ptr, original in iter_all_schemas(data):
        if not _needs_preparing(original, skip_flag):
            continue
        schema = resolve_pointer(copy, "#" + ptr)
        for key in ("$id", "$schema"):
            schema.pop(key, None)
        dynamic = schema.get("$dynamicRef")
        if dynamic is not None and not (isinstance(dynamic, str) and dynamic.startswith("#")):
            del schema["$dynamicRef"]
        required = schema.get("required")
        if skip_flag and isinstance(required, list):
            schema["required"] = _without(required, schema.get("properties"), skip_flag)
        if schema.get("nullable") is True and isinstance(schema.get("type"), str):
            schema["type"] = [schema["type"], "null"]  # in 3.1 too: the policy's reading
        if not oas30:
            _bounds_as_30(schema)
    return copy


def _needs_preparing(schema: dict[str, Any], skip_flag: str | None) -> bool:
    """Whether ``_prepare`` changes anything in ``schema``."""
    return (
        any(key in schema for key in ("$id", "$schema", "$dynamicRef", "nullable"))
        or (skip_flag is not None and isinstance(schema.get("required"), list))
        or isinstance(schema.get("exclusiveMinimum"), bool)
        or isinstance(schema.get("exclusiveMaximum"), bool)
    )


def _bounds_as_30(schema: dict[str, Any]) -> None:
    """A 3.1 schema's boolean exclusive bounds read as 3.0 meant them (the severity
    policy's safe reading), so values are checked the way generate reads the schema."""
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(exclusive)
        if not isinstance(flag, bool):
            continue
        del schema[exclusive]
        if flag and isinstance(schema.get(bound), (int, float)):
            schema[exclusive] = schema.pop(bound)


_KEPT_VALIDATORS = 8
# The flagged properties a direction excuses: a response needs no writeOnly ones.
_FLAGS = {"read": "writeOnly", "write": "readOnly"}


class ValueChecker:
    """Checks values (examples, defaults) against the schemas of one document."""

    def __init__(self, data: dict[str, Any], version: str) -> None:
        self._data = data
        self._oas30 = version.startswith("3.0")
        self._registries: dict[str | None, Any] = {}
        self._bare: dict[str, Any] | None = None  # the document without its examples
        self._validators: dict[tuple[str | None, str], Any] = {}

    def _registry(self, flag: str | None) -> Any:
        import jsonschema_rs

        if flag not in self._registries:
            draft = jsonschema_rs.Draft4 if self._oas30 else jsonschema_rs.Draft202012
            if self._bare is None:
                self._bare = without_examples(self._data)
            prepared = _prepare(self._data, self._bare, self._oas30, flag)
            self._registries[flag] = jsonschema_rs.Registry(
                [(DOCUMENT_URI, prepared)], draft=draft, retriever=_no_fetch
            )
        return self._registries[flag]

    def errors(self, schema_ptr: str, value: Any, mode: str | None) -> list[Finding]:
        """Findings (pointer relative to ``value``, most relevant first) of ``value``
        against the schema at ``schema_ptr``. ``mode`` is "read" (a response: writeOnly
        properties need not be there), "write" (a request: readOnly ones need not) or
        None (neither is excused). Raises SchemaCheckError for a schema that does not compile."""
        key = (_FLAGS.get(mode or ""), schema_ptr)
        validator = self._validators.get(key)
        if validator is None:
            validator = self._compile({"$ref": _ref(schema_ptr)}, key[0])
            # A compiled validator holds the whole graph it reaches: keep only the
            # recent ones (the values of one schema are checked one after another).
            if len(self._validators) >= _KEPT_VALIDATORS:
                self._validators.pop(next(iter(self._validators)))
            self._validators[key] = validator
        return self._findings(_run(validator, value), value, 0)

    def errors_many(
        self, checks: Sequence[tuple[str, Any]], mode: str | None
    ) -> list[list[Finding] | SchemaCheckError]:
        """``errors`` of each (schema pointer, value) in ``checks``, or the SchemaCheckError
        it raises, from one validator: the schemas the values reach are compiled once, where
        a validator per value compiles again every schema it reaches (in a graph of schemas
        that refer to one another, most of the document each time)."""
        if len(checks) < 2:
            return [self._outcome(ptr, value, mode) for ptr, value in checks]
        # The values as the properties "0", "1"... of one object, each checked by a $ref.
        properties = {str(i): {"$ref": _ref(ptr)} for i, (ptr, _) in enumerate(checks)}
        instance = {str(i): value for i, (_, value) in enumerate(checks)}
        try:
            validator = self._compile({"type": "object", "properties": properties}, _FLAGS.get(mode or ""))
            raw = _run(validator, instance)
        except SchemaCheckError:  # a broken schema: find which, and check the others
            return [self._outcome(ptr, value, mode) for ptr, value in checks]
        by_check: list[list[Any]] = [[] for _ in checks]
        for err in raw:
            by_check[int(err.instance_path[0])].append(err)
        return [self._findings(errors, instance, 1) for errors in by_check]

    def _outcome(self, schema_ptr: str, value: Any, mode: str | None) -> list[Finding] | SchemaCheckError:
        try:
            return self.errors(schema_ptr, value, mode)
        except SchemaCheckError as exc:
            return exc

    def _compile(self, schema: dict[str, Any], flag: str | None) -> Any:
        import jsonschema_rs

        cls = jsonschema_rs.Draft4Validator if self._oas30 else jsonschema_rs.Draft202012Validator
        try:
            return cls(schema, registry=self._registry(flag), retriever=_no_fetch, validate_formats=False)
        except (ValueError, jsonschema_rs.ReferencingError) as exc:
            raise SchemaCheckError(" ".join(str(exc).split())) from None

    def _findings(self, errors: list[Any], root: Any, skip: int) -> list[Finding]:
        """Findings of ``errors`` (on the value ``skip`` levels down ``root``), most relevant first."""
        findings = []
        for err in _relevance_order(errors):
            found = to_finding(err, root, skip)
            if self._oas30 and err.kind.name == "type" and err.instance is None:
                found = Finding(found.pointer, "type", "None for not nullable", None, found.path)
            findings.append(found)
        return findings


def _ref(schema_ptr: str) -> str:
    return DOCUMENT_URI + "#" + quote(schema_ptr, safe="/~!$&'()*+,;=:@?")


def _run(validator: Any, value: Any) -> list[Any]:
    """The errors of ``value``, each narrowed to the one that says what is wrong."""
    try:
        return [best(e) for e in validator.iter_errors(value)]
    except ValueError as exc:  # a regex too large to run, a custom failure
        raise SchemaCheckError(" ".join(str(exc).split())) from None


def _relevance_order(errors: list[Any]) -> list[Any]:
    """Most relevant first, as jsonschema's best_match: shallow errors (the value as a
    whole is wrong) before deep ones, strong keywords before anyOf/oneOf."""
    return sorted(errors, key=lambda e: (len(e.instance_path), e.kind.name in _WEAK))

