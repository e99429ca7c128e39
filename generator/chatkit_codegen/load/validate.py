"""``chatkit-codegen validate``: every problem in a document, sorted, one per line.

Errors make a document unusable (generate refuses it): structural problems (the OpenAPI
meta-schema and its rules, ``schema_check``), references that are not local or do not resolve, duplicate
operationIds, undeclared path template parameters, broken discriminators, and
examples that fail their schema. Warnings flag documents that work but are worse
than they should be.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..errors import Level, Problem
from ..ir import naming
from . import severity
from .document import Document, join_pointer, split_pointer
from .walk import (
    iter_all_schemas,
    iter_operations,
    iter_refs,
    resolve_pointer,
    schemas_memoized,
    spec_nodes,
)

RESERVED_EXTENSION_PREFIXES = ("x-oai-", "x-oas-")


def validate_document(doc: Document, *, strict: bool = False) -> list[Problem]:
    """All problems of ``doc``, the severity policy applied (``severity``): defects with a
    safe reading are warnings saying what generate does instead, unless ``strict``.

    Refs are checked first so no validator ever fetches; the rest of the document is
    checked around the broken ones (each replaced by an empty schema for the engines,
    whose findings at or below such a node are dropped: the ref's own error says it).
    """
    with schemas_memoized():  # each check walks the schemas: walk them once
        return _validate(doc, strict)


def _validate(doc: Document, strict: bool) -> list[Problem]:
    problems: list[Problem] = []
    ref_problems = list(check_refs(doc))
    problems.extend(ref_problems)
    broken = sorted({p.pointer.rsplit("/", 1)[0] for p in ref_problems if p.pointer.endswith("/$ref")})
    checked = _without(doc, broken)
    structural = [p for p in _structural(checked) if not _below(p.pointer, broken)]
    structural = list(severity.classify_structural(doc, structural))
    problems.extend(structural)
    problems.extend(check_semantics(doc))
    structural_errors = any(p.level is Level.ERROR for p in structural)
    for problem in _examples(checked):
        if _below(problem.pointer, broken):
            continue
        if problem.message.startswith("example could not be checked"):
            # A schema too broken to check an example against is reported already.
            if not structural_errors:
                problems.append(problem)
            continue
        problems.append(_value_warning(problem))
    problems.extend(_policy_notes(doc))
    problems.extend(_warnings(doc))
    found = sorted(set(problems))
    return severity.harden(found) if strict else found


def _below(pointer: str, nodes: list[str]) -> bool:
    return any(pointer == n or pointer.startswith(n + "/") for n in nodes)


def _without(doc: Document, nodes: list[str]) -> Document:
    """``doc`` with each node of ``nodes`` replaced by ``{}`` (copies along the way only)."""
    if not nodes:
        return doc
    data = doc.data
    for node in nodes:
        data = _replaced(data, split_pointer(node), {})
    return replace(doc, data=data)


def _replaced(node: Any, parts: list[str], value: Any) -> Any:
    if not parts:
        return value
    head, rest = parts[0], parts[1:]
    if isinstance(node, dict) and head in node:
        return {**node, head: _replaced(node[head], rest, value)}
    if isinstance(node, list) and head.isdigit() and int(head) < len(node):
        copy = list(node)
        copy[int(head)] = _replaced(node[int(head)], rest, value)
        return copy
    return node


def _value_warning(problem: Problem) -> Problem:
    """An example or default that fails its schema: a warning, the value not trusted."""
    if problem.pointer.endswith("/default"):
        message = re.sub(r"^example ", "default ", problem.message)
        return severity.downgrade(replace(problem, message=message), "invalid-default")
    return severity.downgrade(problem, "invalid-example")


def openapi_version(data: dict[str, Any]) -> str:
    version = data.get("openapi")
    return version if isinstance(version, str) else ""


def check_refs(doc: Document) -> Iterator[Problem]:
    ends: set[str] = set()  # refs already followed to their end (or their cycle)
    for ptr, ref in iter_refs(doc.data):
        where = join_pointer(ptr, "$ref")
        if not ref.startswith("#"):
            # refs (bundling) is imported only for a $ref that is refused
            from .refs import refusal

            yield doc.problem(Level.ERROR, where, refusal(ref))
            continue
        try:
            target = resolve_pointer(doc.data, ref)
        except KeyError:
            close = severity.suggest_ref(doc.data, ref)
            hint = f"; did you mean {close!r}?" if close else ""
            yield doc.problem(Level.ERROR, where, f"unresolvable reference {ref!r}{hint}")
            continue
        chain = [ref]
        while isinstance(target, dict) and isinstance(target.get("$ref"), str):
            nxt = target["$ref"]
            if nxt in ends:
                break
            if nxt in chain:
                cycle = " -> ".join([*chain[chain.index(nxt) :], nxt])
                yield doc.problem(Level.ERROR, where, f"reference cycle: {cycle}")
                break
            chain.append(nxt)
            try:
                target = resolve_pointer(doc.data, nxt)
            except KeyError:
                break  # reported at the site that holds it
        ends.update(chain)  # each chain is followed once (long chains stay linear)


def _structural(doc: Document) -> Iterator[Problem]:
    from .schema_check import check_structure

    version = openapi_version(doc.data)
    if version.startswith("3.0"):
        line = "3.0"
    elif version.startswith("3.1"):
        line = "3.1"
    elif version.startswith("3.2"):
        line = "3.2"
    elif "openapi" in doc.data:
        yield doc.problem(
            Level.ERROR,
            "/openapi",
            f"unsupported OpenAPI version {version!r} (3.0.x, 3.1.x and 3.2.x are supported)",
        )
        return
    elif "swagger" in doc.data:
        yield doc.problem(
            Level.ERROR,
            "/swagger",
            "Swagger 2.0 documents are not supported: convert to OpenAPI 3.0 or 3.1",
        )
        return
    else:
        yield doc.problem(Level.ERROR, "", "'openapi' is a required property")
        return
    try:
        findings = check_structure(doc.data, line)
    except RecursionError:
        yield doc.problem(Level.ERROR, "", "document is too deeply nested to validate")
        return
    for finding in findings:
        if finding.keyword == "default":
            continue  # a value against its schema: _examples checks it, under the policy
        yield doc.problem(Level.ERROR, finding.pointer, _one_line(finding.message))


def _one_line(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


def _deref(data: Any, node: Any, limit: int = 32) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and limit:
        try:
            node = resolve_pointer(data, node["$ref"])
        except KeyError:
            return None
        limit -= 1
    return node


def check_semantics(doc: Document) -> Iterator[Problem]:
    """Rules openapi-spec-validator does not enforce (or does not locate well)."""
    data = doc.data
    seen_ids: dict[str, str] = {}
    for ptr, path, _method, op in iter_operations(data):
        op_id = op.get("operationId")
        if isinstance(op_id, str):
            if op_id in seen_ids:
                yield doc.problem(
                    Level.ERROR,
                    ptr + "/operationId",
                    f"duplicate operationId {op_id!r} (first used at {seen_ids[op_id]})",
                )
            else:
                seen_ids[op_id] = ptr
        yield from _check_parameters(doc, ptr, path, op)
    for ptr, schema in iter_all_schemas(data):
        if "discriminator" in schema:
            yield from _check_discriminator(doc, ptr, schema)


def _param_lists(data: Any, path: str, op_ptr: str, op: dict[str, Any]) -> Iterator[tuple[str, list[Any]]]:
    item = data["paths"][path]
    for base, params in (
        (join_pointer("/paths", path, "parameters"), item.get("parameters")),
        (op_ptr + "/parameters", op.get("parameters")),
    ):
        if isinstance(params, list):
            yield base, params


def _check_parameters(doc: Document, op_ptr: str, path: str, op: dict[str, Any]) -> Iterator[Problem]:
    """Path template parameters match the declared ``in: path`` ones; no duplicates."""
    data = doc.data
    declared: dict[str, str] = {}  # name -> pointer of its declaration
    for base, params in _param_lists(data, path, op_ptr, op):
        seen: dict[tuple[str, str], int] = {}
        for i, raw in enumerate(params):
            param = _deref(data, raw)
            if not isinstance(param, dict):
                continue
            name, where = param.get("name"), param.get("in")
            if not isinstance(name, str) or not isinstance(where, str):
                continue
            pptr = join_pointer(base, i)
            if (name, where) in seen:
                yield doc.problem(
                    Level.ERROR,
                    pptr,
                    f"duplicate parameter {name!r} in {where} (also {base}/{seen[(name, where)]})",
                )
            seen.setdefault((name, where), i)
            if where == "path":
                declared[name] = pptr
    template = re.findall(r"\{([^}]*)\}", path)
    for name in template:
        if name not in declared:
            yield doc.problem(
                Level.ERROR,
                op_ptr,
                f"path template parameter {{{name}}} is not declared as an 'in: path' parameter",
            )
    for name, pptr in declared.items():
        if name not in template:
            yield doc.problem(
                Level.ERROR,
                pptr,
                f"path parameter {name!r} does not appear in the path template {path!r}",
            )


def discriminator_tag(data: Any, variant: Any, prop: str) -> tuple[str, Any]:
    """('ok', value) when ``variant`` fixes ``prop`` to one value, else (reason, None)."""
    variant = _deref(data, variant)
    if not isinstance(variant, dict):
        return ("missing", None)
    schemas = [variant]
    for part in _sequence(variant.get("allOf")):
        schemas.append(_deref(data, part))
    for s in schemas:
        if not isinstance(s, dict):
            continue
        props = s.get("properties")
        if isinstance(props, dict) and prop in props:
            p = _deref(data, props[prop])
            if isinstance(p, dict):
                if "const" in p:
                    return ("ok", p["const"])
                enum = p.get("enum")
                if isinstance(enum, list) and len(enum) == 1:
                    return ("ok", enum[0])
            return ("not-const", None)
    return ("missing", None)


def _check_discriminator(doc: Document, ptr: str, schema: dict[str, Any]) -> Iterator[Problem]:
    data = doc.data
    disc = schema["discriminator"]
    if not isinstance(disc, dict) or not isinstance(disc.get("propertyName"), str):
        return  # structural validation reports this
    prop = disc["propertyName"]
    variants_key = "oneOf" if "oneOf" in schema else "anyOf" if "anyOf" in schema else None
    if variants_key is None:
        if "allOf" not in schema and "properties" not in schema:
            yield severity.downgrade(
                doc.problem(Level.ERROR, ptr + "/discriminator", "discriminator without oneOf or anyOf"),
                "discriminator-unused",
            )
        return
    raw_mapping = disc.get("mapping")
    mapping: dict[Any, Any] = raw_mapping if isinstance(raw_mapping, dict) else {}
    by_ref: dict[str, list[str]] = {}
    for tag, target in mapping.items():
        by_ref.setdefault(str(target), []).append(str(tag))
    tags: dict[Any, int] = {}
    for i, variant in enumerate(_sequence(schema.get(variants_key))):
        vptr = join_pointer(ptr, variants_key, i)
        ref = variant.get("$ref") if isinstance(variant, dict) else None
        status, value = discriminator_tag(data, variant, prop)
        if status == "missing":
            yield severity.downgrade(doc.problem(
                Level.ERROR,
                vptr,
                f"discriminator property {prop!r} is missing from this variant",
            ), "discriminator")
            continue
        values = by_ref.get(ref, []) if ref else []
        if not values:
            if status != "ok":
                yield severity.downgrade(doc.problem(
                    Level.ERROR,
                    vptr,
                    f"discriminator property {prop!r} is not a single-value constant in this variant",
                ), "discriminator")
                continue
            values = [value]
        for v in values:
            if v in tags:
                yield severity.downgrade(doc.problem(
                    Level.ERROR,
                    vptr,
                    f"discriminator value {v!r} is not unique (also variant {tags[v]})",
                ), "discriminator")
            else:
                tags[v] = i


def _example_sites(data: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(pointer of the example, pointer of its schema, value) for every example."""
    for ptr, schema in iter_all_schemas(data):
        # A null default of a schema that is nullable the 3.0 way is valid as 3.0 meant it.
        if "default" in schema and not (schema["default"] is None and schema.get("nullable") is True):
            yield ptr + "/default", ptr, schema["default"]
        if "example" in schema:
            yield ptr + "/example", ptr, schema["example"]
        examples = schema.get("examples")
        if isinstance(examples, list):
            for i, value in enumerate(examples):
                yield join_pointer(ptr, "examples", i), ptr, value

    def holders() -> Iterator[tuple[str, Any]]:
        comps = _mapping(data.get("components"))
        for kind in ("parameters", "headers"):
            for name, obj in _mapping(comps.get(kind)).items():
                yield join_pointer(f"/components/{kind}", name), obj
        for ptr, _path, _m, op in iter_operations(data):
            for i, param in enumerate(_sequence(op.get("parameters"))):
                yield join_pointer(ptr, "parameters", i), param
            body = _mapping(op.get("requestBody"))
            for media, obj in _mapping(body.get("content")).items():
                yield join_pointer(ptr, "requestBody", "content", media), obj
            for code, resp in _mapping(op.get("responses")).items():
                for media, obj in _mapping(_mapping(resp).get("content")).items():
                    yield join_pointer(ptr, "responses", str(code), "content", media), obj
        for kind in ("requestBodies", "responses"):
            for name, obj in _mapping(comps.get(kind)).items():
                for media, mobj in _mapping(_mapping(obj).get("content")).items():
                    yield join_pointer(f"/components/{kind}", name, "content", media), mobj

    for ptr, obj in holders():
        if not isinstance(obj, dict) or "schema" not in obj:
            continue
        sptr = ptr + "/schema"
        if "example" in obj:
            yield ptr + "/example", sptr, obj["example"]
        examples = obj.get("examples")
        if isinstance(examples, dict):
            for name, ex in examples.items():
                ex = _deref(data, ex)
                if isinstance(ex, dict) and "value" in ex:
                    yield join_pointer(ptr, "examples", name, "value"), sptr, ex["value"]


def _mapping(value: Any) -> dict[Any, Any]:
    """``value`` if it is a mapping, else an empty one: broken documents are walked too."""
    return value if isinstance(value, dict) else {}


def _sequence(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _examples(doc: Document) -> Iterator[Problem]:
    from .schema_check import Finding, SchemaCheckError, ValueChecker

    data = doc.data
    sites = list(_example_sites(data))
    if not sites:
        return
    # readOnly properties are required in responses only, writeOnly ones in requests only;
    # a schema's own example is valid if it is valid in either direction.
    modes = [
        ["write"] if "/requestBody/" in ex_ptr or "/parameters/" in ex_ptr
        else ["read"] if "/responses/" in ex_ptr
        else ["read", "write"]
        for ex_ptr, _, _ in sites
    ]  # fmt: skip
    checker = ValueChecker(data, openapi_version(data))
    outcomes: list[list[Finding] | SchemaCheckError] = [[] for _ in sites]
    pending = list(range(len(sites)))  # the sites with a direction still to try
    for step in range(2):
        for mode in ("read", "write"):  # one batch per direction: its values checked at once
            batch = [i for i in pending if modes[i][step] == mode]
            checks = [(sites[i][1], sites[i][2]) for i in batch]
            for i, outcome in zip(batch, checker.errors_many(checks, mode), strict=True):
                outcomes[i] = outcome
        # The next direction for a value that failed (not for a schema that cannot compile).
        pending = [
            i for i in pending
            if isinstance(outcomes[i], list) and outcomes[i] and step + 1 < len(modes[i])
        ]  # fmt: skip
    for (ex_ptr, _, _), findings in zip(sites, outcomes, strict=True):
        if isinstance(findings, SchemaCheckError):  # a broken schema: structural validation reports it
            yield doc.problem(
                Level.ERROR, ex_ptr, f"example could not be checked: {_one_line(str(findings))}"
            )
            continue
        if findings:
            first = findings[0]
            where = "".join(f"[{p!r}]" for p in first.path) or "(root)"
            yield doc.problem(
                Level.ERROR,
                ex_ptr,
                f"example is not valid against its schema: at {where}: {_one_line(first.message)}",
            )


# Keywords a schema object may hold: JSON Schema 2020-12 (and the 2019-09 and draft
# 4-7 ones documents still carry), OpenAPI's own, and OpenAPI 3.0's nullable.
SCHEMA_KEYWORDS = frozenset(
    "$schema $id $ref $anchor $dynamicRef $dynamicAnchor $vocabulary $comment $defs "
    "$recursiveAnchor $recursiveRef definitions dependencies "
    "allOf anyOf oneOf not if then else dependentSchemas prefixItems items contains "
    "properties patternProperties additionalProperties propertyNames unevaluatedItems "
    "unevaluatedProperties additionalItems type enum const multipleOf maximum exclusiveMaximum "
    "minimum exclusiveMinimum maxLength minLength pattern maxItems minItems uniqueItems "
    "maxContains minContains maxProperties minProperties required dependentRequired format "
    "contentEncoding contentMediaType contentSchema title description default deprecated "
    "readOnly writeOnly examples discriminator xml externalDocs example nullable".split()
)


def _policy_notes(doc: Document) -> Iterator[Problem]:
    """Keywords generate reads in a way of its own, each said where it stands: 3.0's
    ``nullable`` in a 3.1 document, and keywords no schema vocabulary defines."""
    data = doc.data
    is_31 = openapi_version(data).startswith(("3.1", "3.2"))  # 3.2's schemas are 3.1's
    for ptr, schema in iter_all_schemas(data):
        for key in schema:
            if not isinstance(key, str) or key.startswith("x-"):
                continue
            if key in ("$recursiveAnchor", "$recursiveRef") and is_31:
                yield severity.recursive_anchor(doc.problem(Level.ERROR, join_pointer(ptr, key), ""))
            elif key == "nullable" and is_31:
                yield severity.downgrade(
                    doc.problem(
                        Level.ERROR,
                        join_pointer(ptr, key),
                        "nullable is OpenAPI 3.0 (3.1 writes type: [..., 'null'])",
                    ),
                    "oas30-keyword",
                )
            elif key not in SCHEMA_KEYWORDS and is_31:  # 3.0 schemas are closed: an error there
                close = severity.did_you_mean(key, SCHEMA_KEYWORDS)
                hint = f" (did you mean {close!r}?)" if close else ""
                yield severity.downgrade(
                    doc.problem(Level.ERROR, join_pointer(ptr, key), f"unknown schema keyword {key!r}{hint}"),
                    "unknown-keyword",
                )


def _warnings(doc: Document) -> Iterator[Problem]:
    data = doc.data
    comps = _mapping(data.get("components"))
    for name in _mapping(comps.get("schemas")):
        if naming.class_name(name) != name:
            yield doc.problem(
                Level.WARNING,
                join_pointer("/components/schemas", name),
                f"schema name {name!r} is not a Python class name; it becomes {naming.class_name(name)!r}",
            )
    for ptr, schema in iter_all_schemas(data):
        described = "description" in schema or "$ref" in schema
        if _becomes_class(ptr, schema) and not described and not _is_property(ptr):
            yield doc.problem(Level.WARNING, ptr, "schema has no description")
        props = schema.get("properties")
        if isinstance(props, dict):
            for prop, sub in props.items():
                pptr = join_pointer(ptr, "properties", prop)
                if not _has_description(data, sub):
                    yield doc.problem(Level.WARNING, pptr, "property has no description")
                if naming.needs_sanitising(prop):
                    yield doc.problem(
                        Level.WARNING,
                        pptr,
                        f"property name {prop!r} needs sanitising; it becomes {naming.field_name(prop)!r}",
                    )
    for ptr, key in _iter_keys(data):
        if key.lower().startswith(RESERVED_EXTENSION_PREFIXES):
            yield doc.problem(
                Level.WARNING,
                ptr,
                f"extension {key!r} uses a reserved prefix ({', '.join(RESERVED_EXTENSION_PREFIXES)})",
            )


def _becomes_class(ptr: str, schema: dict[str, Any]) -> bool:
    """Schemas that turn into a named class or alias and so need a docstring."""
    if ptr.count("/") == 3 and ptr.startswith("/components/schemas/"):
        return True
    if "properties" in schema:
        return True
    for key in ("oneOf", "anyOf"):
        variants = [v for v in _sequence(schema.get(key)) if isinstance(v, dict)]
        real = [v for v in variants if v.get("type") != "null"]
        if len(real) > 1 and any("$ref" in v or "properties" in v for v in real):
            return True
    return False


def _is_property(ptr: str) -> bool:
    parts = ptr.rsplit("/", 2)
    return len(parts) == 3 and parts[1] == "properties"


def _has_description(data: Any, sub: Any) -> bool:
    if not isinstance(sub, dict):
        return True
    if "description" in sub:
        return True
    target = _deref(data, sub)
    if target is not sub and isinstance(target, dict) and "description" in target:
        return True
    for key in ("anyOf", "oneOf"):
        for part in _sequence(sub.get(key)):
            if isinstance(part, dict) and "description" in part:
                return True
    return False


def _iter_keys(node: Any) -> Iterator[tuple[str, str]]:
    """Every extension key (``x-...``) of the document's structure, with its pointer."""
    for p, n in spec_nodes(node):
        for key in n:
            if isinstance(key, str) and key.startswith("x-"):
                yield join_pointer(p, key), key
