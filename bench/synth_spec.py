"""Deterministic synthetic OpenAPI 3.1 specs for the scale benchmark.

``synthesize(n_schemas, seed)`` returns a spec with exactly ``n_schemas`` component
schemas and ``n_schemas // 5`` operations (300 at 1,500 schemas), built from the
constructs real API specs are made of:

* objects with required and optional, nullable and constrained properties, formats,
  maps (``additionalProperties``), arrays of references and inline nested objects;
* references between schemas (to earlier ones, so the graph is acyclic) and a few
  self-referencing trees;
* string enums, top-level and inline;
* discriminated unions (``oneOf`` + ``discriminator`` over objects with a ``const``
  tag) and plain ``anyOf`` unions of a scalar and a reference;
* ``allOf`` composition of a shared base and extra properties;
* title collisions: several schemas share a ``title``, inline objects reuse the
  property names ``settings``/``metadata``/``limits`` that are also top-level schema
  names, so every generator has to de-duplicate class names;
* resources with list (cursor page), create (request body), retrieve and delete
  operations, path and query parameters, a shared error response, and examples
  that are valid against their schemas (so full validation has work to do).

The same seed always gives the same bytes. Specs are written to a temporary folder
by the caller and never committed.

    python bench/synth_spec.py 1500 --out /tmp/spec-1500.yaml [--seed 8]
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

PREFIXES = (
    "Account", "Audit", "Batch", "Billing", "Catalog", "Chat", "Cluster", "Customer",
    "Dataset", "Deployment", "Document", "Eval", "File", "Invoice", "Job", "Ledger",
    "Message", "Model", "Order", "Payment", "Pipeline", "Project", "Quota", "Run",
    "Session", "Shipment", "Thread", "Tool", "Usage", "Vector",
)  # fmt: skip
NOUNS = (
    "Item", "Config", "Status", "Event", "Summary", "Detail", "Record", "Option",
    "Rule", "Policy", "Result", "Reference", "Entry", "Filter", "Stats", "Window",
    "Snapshot", "Target", "Source", "Schedule", "Grant", "Quote", "Step", "Trace",
    "Version",
)  # fmt: skip
QUALIFIERS = ("Archived", "Draft", "Global", "Internal", "Legacy", "Partner", "Public", "Regional", "Shared", "Team")
# Top-level schemas whose names inline objects also want (``settings`` -> Settings).
COLLIDING = ("Settings", "Metadata", "Limits")
SHARED_TITLES = ("Item reference", "Status detail", "Resource summary")
WORDS = ("alpha", "beta", "gamma", "delta", "north", "south", "amber", "cobalt", "linen", "quartz")


def _names(count: int, rng: random.Random) -> list[str]:
    pairs = [p + n for p in PREFIXES for n in NOUNS]
    rng.shuffle(pairs)
    triples = [p + q + n for q in QUALIFIERS for p in PREFIXES for n in NOUNS]
    rng.shuffle(triples)
    pool = pairs + triples
    if count > len(pool):
        raise ValueError(f"at most {len(pool)} schemas")
    return pool[:count]


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i:
            out.append("_")
        out.append(ch.lower())
    return "".join(out)


class Synth:
    """Builds one spec; ``examples`` holds a valid value for every object and enum built."""

    def __init__(self, n_schemas: int, seed: int) -> None:
        if n_schemas < 30:
            raise ValueError("at least 30 schemas")
        self.n = n_schemas
        self.rng = random.Random(seed)
        self.schemas: dict[str, Any] = {}
        self.examples: dict[str, Any] = {}
        self.objects: list[str] = []  # plain object schemas, usable as references
        self.names = iter(_names(n_schemas, self.rng))

    # ------------------------------------------------------------------ values
    def _word(self) -> str:
        return self.rng.choice(WORDS)

    def _scalar(self, kind: str) -> tuple[dict[str, Any], Any]:
        r = self.rng
        if kind == "string":
            schema: dict[str, Any] = {"type": "string", "description": f"A {self._word()} label."}
            if r.random() < 0.3:
                schema["maxLength"] = 64
            if r.random() < 0.15:
                schema["pattern"] = "^[a-z_]+$"
                return schema, f"{self._word()}_{self._word()}"
            return schema, f"{self._word()} {self._word()}"
        if kind == "datetime":
            return {"type": "string", "format": "date-time", "description": "When it happened (RFC 3339)."}, "2025-10-08T12:00:00Z"
        if kind == "integer":
            return {"type": "integer", "minimum": 0, "description": "A count."}, r.randint(0, 500)
        if kind == "number":
            return {"type": "number", "minimum": 0, "maximum": 1, "description": "A ratio between 0 and 1."}, 0.5
        if kind == "boolean":
            return {"type": "boolean", "description": "Whether it is enabled."}, r.random() < 0.5
        if kind == "nullable":
            return {"type": ["string", "null"], "description": "An optional note; null when unset."}, None
        if kind == "map":
            return {
                "type": "object",
                "description": "Free-form string labels.",
                "additionalProperties": {"type": "string"},
                "maxProperties": 16,
            }, {"team": self._word()}
        if kind == "enum":
            values = sorted(self.rng.sample(WORDS, 3))
            return {"type": "string", "enum": values, "description": "One of a few fixed values."}, values[0]
        raise ValueError(kind)

    def _ref_to(self, name: str, description: str) -> tuple[dict[str, Any], Any]:
        # OpenAPI 3.1 allows siblings next to $ref; a description there is common.
        return {"$ref": f"#/components/schemas/{name}", "description": description}, self.examples[name]

    # ----------------------------------------------------------------- schemas
    def _properties(self, count: int, *, depth: int = 0) -> tuple[dict[str, Any], list[str], dict[str, Any]]:
        r = self.rng
        props: dict[str, Any] = {"id": {"type": "string", "description": "Unique identifier."}}
        example: dict[str, Any] = {"id": f"obj_{r.randrange(10**8):08d}"}
        required = ["id"]
        kinds = ["string", "datetime", "integer", "number", "boolean", "nullable", "map", "enum", "ref", "refs", "nested"]
        weights = [5, 1, 2, 1, 2, 2, 1, 2, 3, 2, 1 if depth < 2 else 0]
        for i in range(count):
            kind = r.choices(kinds, weights)[0]
            if kind in ("ref", "refs") and not self.objects:
                kind = "string"
            if kind == "ref":
                target = r.choice(self.objects[-60:])
                name = _snake(target)
                schema, value = self._ref_to(target, f"The related {target}.")
            elif kind == "refs":
                target = r.choice(self.objects[-60:])
                name = _snake(target) + "_list"
                schema = {"type": "array", "items": {"$ref": f"#/components/schemas/{target}"}, "description": "Related records."}
                value = [self.examples[target]]
            elif kind == "nested":
                name = r.choice(("settings", "metadata", "limits", "options", "owner"))
                inner, inner_req, inner_ex = self._properties(r.randint(2, 4), depth=depth + 1)
                schema = {"type": "object", "description": f"Nested {name}.", "properties": inner, "required": inner_req}
                value = inner_ex
            else:
                name = f"{kind}_{self._word()}_{i}"
                schema, value = self._scalar(kind)
            if name in props:
                name = f"{name}_{i}"
            props[name] = schema
            if r.random() < 0.6:
                required.append(name)
                example[name] = value
            elif r.random() < 0.5:
                example[name] = value
        return props, required, example

    def _object(self, name: str, *, extra: dict[str, Any] | None = None) -> None:
        props, required, example = self._properties(self.rng.randint(4, 10))
        schema: dict[str, Any] = {"type": "object", "description": f"A {_snake(name).replace('_', ' ')}."}
        if self.rng.random() < 0.05:
            schema["title"] = self.rng.choice(SHARED_TITLES)
        schema["properties"] = props
        schema["required"] = required
        if extra:
            schema.update(extra)
        if self.rng.random() < 0.1:
            schema["examples"] = [example]
        self.schemas[name] = schema
        self.examples[name] = example
        self.objects.append(name)

    def _enum(self, name: str) -> None:
        values = [f"{self._word()}_{i}" for i in range(self.rng.randint(2, 6))]
        self.schemas[name] = {"type": "string", "enum": values, "description": f"The {_snake(name).replace('_', ' ')}."}
        self.examples[name] = values[0]

    def _union(self, name: str, variants: list[str]) -> None:
        mapping = {}
        for variant in variants:
            tag = _snake(variant)
            props, required, example = self._properties(self.rng.randint(3, 6))
            props["type"] = {"type": "string", "const": tag, "description": f"Always {tag}."}
            required.append("type")
            example["type"] = tag
            self.schemas[variant] = {
                "type": "object",
                "description": f"The {tag.replace('_', ' ')} variant of {name}.",
                "properties": props,
                "required": required,
            }
            self.examples[variant] = example
            mapping[tag] = f"#/components/schemas/{variant}"
        self.schemas[name] = {
            "description": f"One of {len(variants)} kinds, chosen by type.",
            "oneOf": [{"$ref": f"#/components/schemas/{v}"} for v in variants],
            "discriminator": {"propertyName": "type", "mapping": mapping},
        }
        self.examples[name] = self.examples[variants[0]]

    def _any_of(self, name: str) -> None:
        target = self.rng.choice(self.objects[-60:])
        self.schemas[name] = {
            "description": f"Either an id or an expanded {target}.",
            "anyOf": [{"type": "string", "description": "The id only."}, {"$ref": f"#/components/schemas/{target}"}],
        }
        self.examples[name] = "obj_00000001"

    def _all_of(self, name: str, base: str) -> None:
        props, required, example = self._properties(self.rng.randint(2, 4))
        self.schemas[name] = {
            "description": f"{base} with extra fields.",
            "allOf": [
                {"$ref": f"#/components/schemas/{base}"},
                {"type": "object", "description": "The extra fields.", "properties": props, "required": required},
            ],
        }
        self.examples[name] = {**self.examples[base], **example}
        self.objects.append(name)

    def _tree(self, name: str) -> None:
        self.schemas[name] = {
            "type": "object",
            "description": "A node in a tree of nodes.",
            "properties": {
                "label": {"type": "string", "description": "The node's label."},
                "children": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}, "description": "Child nodes."},
            },
            "required": ["label", "children"],
        }
        self.examples[name] = {"label": "root", "children": [{"label": "leaf", "children": []}]}

    # -------------------------------------------------------------- operations
    def _page(self, item: str) -> str:
        name = f"{item}Page"
        self.schemas[name] = {
            "type": "object",
            "description": f"A page of {item} records.",
            "properties": {
                "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}, "description": "The records."},
                "first_id": {"type": ["string", "null"], "description": "Id of the first record."},
                "last_id": {"type": ["string", "null"], "description": "Id of the last record."},
                "has_more": {"type": "boolean", "description": "Whether more records follow."},
                "object": {"type": "string", "const": "list", "description": "Always list."},
            },
            "required": ["data", "first_id", "last_id", "has_more", "object"],
        }
        return name

    def _create_body(self, item: str) -> str:
        name = f"{item}CreateRequest"
        props, required, _ = self._properties(self.rng.randint(2, 5))
        props.pop("id")
        required.remove("id")
        props["name"] = {"type": "string", "maxLength": 120, "description": "Display name."}
        required.append("name")
        self.schemas[name] = {"type": "object", "description": f"Parameters to create a {item}.", "properties": props, "required": required}
        return name

    def _operations(self, resources: list[str], n_ops: int) -> dict[str, Any]:
        paths: dict[str, Any] = {}
        made = 0
        error = {"$ref": "#/components/responses/Error"}
        for item in resources:
            if made >= n_ops:
                break
            res = _snake(item) + "s"
            tag = item
            collection: dict[str, Any] = {}
            page = f"{item}Page"
            collection["get"] = {
                "operationId": f"List{item}s",
                "summary": f"List {res}",
                "description": f"List {res}, newest first.",
                "tags": [tag],
                "x-sdk-method": f"{res}.list",
                "parameters": [
                    {"name": "limit", "in": "query", "required": False, "description": "Page size.",
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
                    {"name": "order", "in": "query", "required": False, "description": "Sort order.",
                     "schema": {"type": "string", "enum": ["asc", "desc"], "default": "desc"}},
                    {"name": "after", "in": "query", "required": False, "description": "Cursor: list after this id.",
                     "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": {"description": "A page.", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{page}"}}}},
                    "default": error,
                },
            }  # fmt: skip
            made += 1
            if made < n_ops and f"{item}CreateRequest" in self.schemas:
                collection["post"] = {
                    "operationId": f"Create{item}",
                    "summary": f"Create a {item}",
                    "description": f"Create a {item}.",
                    "tags": [tag],
                    "x-sdk-method": f"{res}.create",
                    "requestBody": {
                        "required": True,
                        "description": "What to create.",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{item}CreateRequest"}}},
                    },
                    "responses": {
                        "200": {
                            "description": "The created record.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": f"#/components/schemas/{item}"},
                                    "examples": {"created": {"summary": "Created", "value": self.examples[item]}},
                                }
                            },
                        },
                        "default": error,
                    },
                }
                made += 1
            paths[f"/{res}"] = collection
            one: dict[str, Any] = {}
            id_param = {"name": "item_id", "in": "path", "required": True, "description": "The record's id.", "schema": {"type": "string"}}
            for method, verb in (("get", "Retrieve"), ("delete", "Delete")):
                if made >= n_ops:
                    break
                ok = (
                    {"description": "The record.", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{item}"}}}}
                    if method == "get"
                    else {"description": "Deleted; no content."}
                )
                one[method] = {
                    "operationId": f"{verb}{item}",
                    "summary": f"{verb} a {item}",
                    "description": f"{verb} one {item} by id.",
                    "tags": [tag],
                    "x-sdk-method": f"{res}.{verb.lower()}",
                    "parameters": [id_param],
                    "responses": {"200" if method == "get" else "204": ok, "default": error},
                }
                made += 1
            if one:
                paths[f"/{res}/{{item_id}}"] = one
        return paths

    # ---------------------------------------------------------------- assemble
    def build(self) -> dict[str, Any]:
        r = self.rng
        n_ops = self.n // 5
        # Operations need, per resource of 4 operations: the item, its page and its create body.
        n_resources = -(-n_ops // 4)
        reserved = 2 * n_resources + len(COLLIDING) + 1  # pages, create bodies, colliding names, error
        budget = self.n - reserved
        if budget < 16 + n_resources:
            raise ValueError(f"{self.n} schemas are too few for {n_ops} operations")
        self.schemas["ErrorResponse"] = {
            "type": "object",
            "description": "An error.",
            "properties": {"message": {"type": "string", "description": "What went wrong."}, "code": {"type": ["string", "null"], "description": "A machine-readable code."}},
            "required": ["message", "code"],
        }  # fmt: skip
        self.examples["ErrorResponse"] = {"message": "not found", "code": None}
        for name in COLLIDING:
            self._object(name)
        # Every construct at least once, then a seeded mix.
        for _ in range(8):
            self._object(next(self.names))
        self._enum(next(self.names))
        self._union(next(self.names), [next(self.names) for _ in range(3)])
        self._any_of(next(self.names))
        self._all_of(next(self.names), self.objects[-1])
        self._tree(next(self.names))
        made = 16
        trees = 1
        while made < budget:
            left = budget - made
            roll = r.random()
            if roll < 0.12 or len(self.objects) < 8:
                self._object(next(self.names))
                made += 1
            elif roll < 0.27:
                self._enum(next(self.names))
                made += 1
            elif roll < 0.37 and left >= 4:
                count = r.randint(2, 3)
                union = next(self.names)
                self._union(union, [next(self.names) for _ in range(count)])
                made += count + 1
            elif roll < 0.42:
                self._any_of(next(self.names))
                made += 1
            elif roll < 0.47:
                self._all_of(next(self.names), r.choice(self.objects[-40:]))
                made += 1
            elif roll < 0.48 and trees < 5:
                self._tree(next(self.names))
                trees += 1
                made += 1
            else:
                self._object(next(self.names))
                made += 1
        plain = [o for o in self.objects if o not in COLLIDING and "allOf" not in self.schemas[o]]
        resources = sorted(r.sample(plain, min(n_resources, len(plain))))
        for item in resources:
            self._page(item)
            self._create_body(item)
        while len(self.schemas) < self.n:  # top up when the union sizes left a gap
            self._enum(next(self.names))
        paths = self._operations(resources, n_ops)
        assert len(self.schemas) == self.n, (len(self.schemas), self.n)
        return {
            "openapi": "3.1.0",
            "info": {"title": f"Synthetic API ({self.n} schemas)", "version": "1.0.0", "description": "Generated for benchmarks."},
            "servers": [{"url": "https://api.example.com/v1", "description": "Production."}],
            "security": [{"ApiKeyAuth": []}],
            "paths": paths,
            "components": {
                "securitySchemes": {"ApiKeyAuth": {"type": "http", "scheme": "bearer", "description": "API key as a bearer token."}},
                "responses": {
                    "Error": {
                        "description": "The request failed.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
                    }
                },
                "schemas": self.schemas,
            },
        }


def synthesize(n_schemas: int, seed: int = 8) -> dict[str, Any]:
    return Synth(n_schemas, seed).build()


def write_spec(n_schemas: int, path: Path, seed: int = 8) -> Path:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text = yaml.dump(synthesize(n_schemas, seed), Dumper=dumper, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a deterministic synthetic OpenAPI 3.1 spec.")
    parser.add_argument("schemas", type=int)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    write_spec(args.schemas, args.out, args.seed)
    spec = yaml.safe_load(args.out.read_text(encoding="utf-8"))
    ops = sum(len(v) for v in spec["paths"].values())
    print(f"{args.out}: {len(spec['components']['schemas'])} schemas, {ops} operations")


if __name__ == "__main__":
    main(sys.argv[1:])
