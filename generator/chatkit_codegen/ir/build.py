"""Build the IR from a loaded document: names, shapes, types, modules, operations.

One pass over components decides every top-level name (sorted, so reordering the
document never renames anything); declarations are then built on demand through a
worklist, each ``$ref`` target once per shape. Inline object schemas become nested
classes named from their owner and property (or their ``x-sdk-name``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Any

from ..errors import CodegenError, Level, Problem
from ..load.document import Document, join_pointer, split_pointer
from ..load.walk import iter_operations, ref_strings, resolve_pointer
from . import naming
from .model import (
    API,
    MISSING,
    NO_CONSTRAINTS,
    AliasDecl,
    AuthDecl,
    BodyDecl,
    Constrained,
    Constraints,
    Decl,
    FieldDecl,
    JsonValue,
    ListOf,
    Lit,
    MapOf,
    ModelDecl,
    Module,
    Note,
    Nullable,
    OperationDecl,
    PageDecl,
    Pagination,
    ParamDecl,
    Prim,
    Ref,
    ResponseDecl,
    Server,
    Shape,
    TupleOf,
    TypeExpr,
    UnionOf,
    media_kind,
)

COMPONENT_PREFIX = "/components/schemas/"
TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110: header and cookie names
FORMATS: dict[str, str] = {
    "date-time": "datetime",
    "date": "date",
    "uuid": "UUID",
    "binary": "bytes",
}
# JSON Schema keywords the generated models do not enforce; each use is reported.
IGNORED_KEYWORDS = frozenset(
    {
        "if",
        "then",
        "else",
        "not",
        "dependentSchemas",
        "dependentRequired",
        "unevaluatedProperties",
        "unevaluatedItems",
        "contains",
        "minContains",
        "maxContains",
        "uniqueItems",
        "minProperties",
        "maxProperties",
        "patternProperties",
    }
)


class _Ctx:
    """Where an inline schema is being built: its owner, module and name prefix."""

    __slots__ = ("module", "owner", "prefix", "shape")

    def __init__(self, owner: str, module: str, prefix: str, shape: Shape) -> None:
        self.owner = owner
        self.module = module
        self.prefix = prefix
        self.shape = shape

    def nested(self, prefix: str) -> _Ctx:
        return _Ctx(self.owner, self.module, prefix, self.shape)


class Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.data: dict[str, Any] = doc.data
        self.version = str(self.data.get("openapi", ""))
        self.is30 = self.version.startswith("3.0")
        self.decls: dict[str, Decl] = {}
        self.members: dict[str, list[str]] = {}  # module -> decl keys in creation order
        self.module_top: dict[str, str] = {}
        self.taken: dict[str, set[str]] = {}  # module -> names used
        self.top_names: dict[str, tuple[str, str]] = {}  # key -> (name, module)
        self.usage: dict[str, set[Shape]] = {}
        self.pure: dict[str, bool] = {}
        self.notes: list[Note] = []
        self.errors: list[Problem] = []
        self.pending: list[str] = []
        self.building: set[str] = set()
        self.pages: dict[str, PageDecl] = {}

    # ----------------------------------------------------------------- entry point
    def build(self) -> API:
        self._analyse_usage()
        self._assign_top_names()
        for key in sorted(self.top_names):
            if self._ptr_of(key).startswith(COMPONENT_PREFIX):
                self._ensure(key)
        operations = self._operations()
        auth = self._auth()
        while self.pending:
            self._ensure(self.pending.pop())
        self._unshadow()
        if self.errors:
            raise CodegenError(self.errors)
        info = self.data.get("info") or {}
        servers = tuple(
            Server(str(s.get("url", "")), s.get("description"))
            for s in self.data.get("servers") or []
            if isinstance(s, dict)
        )
        tags = tuple(
            (str(t.get("name")), t.get("description"))
            for t in self.data.get("tags") or []
            if isinstance(t, dict) and "name" in t
        )
        return API(
            title=str(info.get("title", "API")),
            version=str(info.get("version", "0.0.0")),
            description=info.get("description"),
            openapi=self.version,
            servers=servers,
            decls=dict(sorted(self.decls.items())),
            modules=self._modules(),
            operations=tuple(operations),
            pages=tuple(self.pages[name] for name in sorted(self.pages)),
            tags=tags,
            spec_name=self.doc.display_name,
            spec_sha256=self.doc.sha256,
            notes=self._located_notes(),
            license=_license(info),
            auth=auth,
        )

    def _unshadow(self) -> None:
        """Rename model fields named like a declared class: in a class body the field's
        default would replace the class for every annotation after it."""
        classes = {d.name for d in self.decls.values()}
        for key, decl in list(self.decls.items()):
            if not isinstance(decl, ModelDecl) or not any(f.name in classes for f in decl.fields):
                continue
            taken = {f.name for f in decl.fields} | classes
            fields = []
            for f in decl.fields:
                if f.name in classes:
                    new = naming.dedupe([f.name + "_"], taken)[0]
                    self._note(f.pointer, f"field {f.name!r} is generated as {new!r}: a class has that name")
                    f = dataclasses.replace(f, name=new)
                fields.append(f)
            self.decls[key] = dataclasses.replace(decl, fields=tuple(fields))

    # --------------------------------------------------------------------- helpers
    def _note(self, pointer: str, message: str) -> None:
        self.notes.append(Note(pointer, message))

    def _located_notes(self) -> tuple[Note, ...]:
        unique = sorted(set(self.notes), key=lambda n: (n.pointer, n.message))
        where = self.doc.locate_many(n.pointer for n in unique)
        return tuple(Note(n.pointer, n.message, *where[n.pointer]) for n in unique)

    def _error(self, pointer: str, message: str) -> None:
        self.errors.append(self.doc.problem(Level.ERROR, pointer, message))

    @staticmethod
    def _key(ptr: str, shape: Shape) -> str:
        return f"{ptr}@{shape}"

    @staticmethod
    def _ptr_of(key: str) -> str:
        return key.rsplit("@", 1)[0]

    @staticmethod
    def _shape_of(key: str) -> Shape:
        return "request" if key.endswith("@request") else "response"

    def _resolve(self, ref: str, at: str) -> tuple[str, Any]:
        if not ref.startswith("#/"):
            self._error(at, f"reference {ref!r} refused: only local '#/' references are allowed")
            return at, {}
        try:
            return ref[1:], resolve_pointer(self.data, ref)
        except KeyError:
            self._error(at, f"unresolvable reference {ref!r}")
            return at, {}

    def _deref(self, schema: Any, ptr: str) -> tuple[str, Any]:
        seen = set()
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
            ref = schema["$ref"]
            if ref in seen:
                self._error(ptr, f"reference cycle through {ref!r}")
                return ptr, {}
            seen.add(ref)
            ptr, schema = self._resolve(ref, ptr)
        return ptr, schema

    # ---------------------------------------------------------------------- usage
    def _refs_from(self, node: Any) -> set[str]:
        return {ref[1:] for ref in ref_strings(node) if ref.startswith("#/")}

    def _analyse_usage(self) -> None:
        """Which components are reachable from requests, which from responses."""
        roots: dict[Shape, set[str]] = {"request": set(), "response": set()}
        for _ptr, _path, _method, op in iter_operations(self.data):
            body = op.get("requestBody")
            if isinstance(body, dict) and "$ref" in body:
                body = self._deref(body, "")[1]
            if isinstance(body, dict):
                roots["request"] |= self._refs_from(body.get("content"))
            roots["request"] |= self._refs_from(op.get("parameters"))
            for resp in (op.get("responses") or {}).values():
                roots["response"] |= self._refs_from(resp)
        for shape, start in roots.items():
            stack = list(start)
            seen: set[str] = set()
            while stack:
                ptr = stack.pop()
                if ptr in seen:
                    continue
                seen.add(ptr)
                try:
                    node = resolve_pointer(self.data, "#" + ptr)
                except KeyError:
                    continue
                comp = self._component_of(ptr)
                if comp:
                    self.usage.setdefault(comp, set()).add(shape)
                stack.extend(self._refs_from(node))

    @staticmethod
    def _component_of(ptr: str) -> str | None:
        if ptr.startswith(COMPONENT_PREFIX):
            rest = ptr[len(COMPONENT_PREFIX) :]
            return COMPONENT_PREFIX + rest.split("/", 1)[0]
        return None

    def _is_pure(self, ptr: str, stack: frozenset[str] = frozenset()) -> bool:
        """A schema whose Python type is the same in requests and responses."""
        if ptr in self.pure:
            return self.pure[ptr]
        if ptr in stack:
            return False
        try:
            node = resolve_pointer(self.data, "#" + ptr)
        except KeyError:
            return True
        result = True
        stack2 = stack | {ptr}
        nodes = [node]
        while nodes and result:
            n = nodes.pop()
            if isinstance(n, dict):
                if "properties" in n or (n.get("type") == "object" and "additionalProperties" not in n):
                    result = False
                    break
                ref = n.get("$ref")
                if isinstance(ref, str) and ref.startswith("#/"):
                    if not self._is_pure(ref[1:], stack2):
                        result = False
                        break
                nodes.extend(v for v in n.values() if isinstance(v, dict | list))
            elif isinstance(n, list):
                nodes.extend(v for v in n if isinstance(v, dict | list))
        self.pure[ptr] = result
        return result

    def _top_key(self, ptr: str, shape: Shape) -> str:
        if self._is_pure(ptr):
            shape = "response"
        return self._key(ptr, shape)

    # ---------------------------------------------------------------------- names
    def _assign_top_names(self) -> None:
        schemas = (self.data.get("components") or {}).get("schemas") or {}
        taken_names: set[str] = set()
        taken_modules: set[str] = set()
        # Names that are already class names claim them first; sanitised ones follow.
        order = sorted(schemas, key=lambda n: (naming.class_name(str(n)) != str(n), str(n)))
        for comp_name in order:
            ptr = join_pointer("/components/schemas", str(comp_name))
            schema = schemas[comp_name]
            shapes = self.usage.get(ptr) or {"response"}
            base = naming.class_name(
                str(schema.get("x-sdk-name", comp_name)) if isinstance(schema, dict) else comp_name
            )
            if base != comp_name:
                self._note(ptr, f"schema {comp_name!r} is generated as class {base!r}")
            for shape in ("response", "request"):
                if shape not in shapes:
                    continue
                key = self._top_key(ptr, shape)
                if key in self.top_names:
                    continue
                name = base
                if shape == "request" and "response" in shapes and not self._is_pure(ptr):
                    name = base + "Param"
                unique = naming.dedupe([name], taken_names)[0]
                if unique != name:
                    self._note(ptr, f"class name {name!r} collides; renamed to {unique!r}")
                module = naming.dedupe([naming.module_name(unique)], taken_modules)[0]
                self.top_names[key] = (unique, module)
        self._taken_top = taken_names
        self._taken_modules = taken_modules

    def _synthetic_top(self, wanted: str, ptr: str) -> tuple[str, str]:
        name = naming.dedupe([naming.class_name(wanted)], self._taken_top)[0]
        if name != wanted:
            self._note(ptr, f"class name {wanted!r} collides; renamed to {name!r}")
        module = naming.dedupe([naming.module_name(name)], self._taken_modules)[0]
        return name, module

    def _claim(self, module: str, wanted: str, ptr: str) -> str:
        """A nested name, unique in its module and distinct from every top-level name
        (a top-level class may be imported into this module)."""
        taken = self.taken.setdefault(module, set())
        name = naming.dedupe([wanted], taken | self._taken_top)[0]
        taken.add(name)
        if name != wanted:
            self._note(ptr, f"nested class name {wanted!r} collides in module {module!r}; renamed to {name!r}")
        return name

    # --------------------------------------------------------------- declarations
    def _ensure(self, key: str) -> None:
        if key in self.decls or key in self.building:
            return
        if key not in self.top_names:
            return
        self.building.add(key)
        name, module = self.top_names[key]
        ptr = self._ptr_of(key)
        shape = self._shape_of(key)
        schema = resolve_pointer(self.data, "#" + ptr)
        self.module_top[module] = key
        self.members.setdefault(module, [])
        self.taken.setdefault(module, set()).add(name)
        ctx = _Ctx(key, module, "", shape)
        self._declare(key, name, ptr, schema, ctx, owner=None)
        self.building.discard(key)

    def _ref_type(self, target_ptr: str, shape: Shape, at: str) -> TypeExpr:
        """The type for a ``$ref``: a named component, or an inline re-use."""
        comp = self._component_of(target_ptr)
        if comp != target_ptr:
            # A reference into the middle of a schema: give the target its own top name.
            key = self._top_key(target_ptr, shape)
            if key not in self.top_names:
                wanted = naming.pascal(split_pointer(target_ptr)[-1])
                self.top_names[key] = self._synthetic_top(wanted, target_ptr)
                self._note(at, f"reference into {target_ptr!r} generated as {self.top_names[key][0]!r}")
        else:
            key = self._top_key(target_ptr, shape)
            if key not in self.top_names:
                self.top_names[key] = self._synthetic_top(
                    naming.pascal(split_pointer(target_ptr)[-1]) + ("Param" if shape == "request" else ""),
                    target_ptr,
                )
        if key not in self.decls:
            self.pending.append(key)
        return Ref(key)

    def _declare(
        self, key: str, name: str, ptr: str, schema: Any, ctx: _Ctx, owner: str | None
    ) -> Decl:
        """Create the declaration for an object/union/enum schema under ``name``."""
        description = _text(schema.get("description")) if isinstance(schema, dict) else None
        deprecated = bool(schema.get("deprecated")) if isinstance(schema, dict) else False
        examples = _examples(schema)
        self.members[ctx.module].append(key)
        if _is_object(schema):
            fields, bases, extra, extra_type = self._object_parts(schema, ptr, ctx.nested(name if owner else ""))
            decl: Decl = ModelDecl(
                key=key,
                name=name,
                module=ctx.module,
                owner=owner,
                shape=ctx.shape,
                description=description,
                fields=tuple(fields),
                bases=tuple(bases),
                extra=extra,
                extra_type=extra_type,
                deprecated=deprecated,
                examples=examples,
                pointer=ptr,
                title=_text(schema.get("title")),
            )
        else:
            inner_ctx = ctx.nested(name if owner else "")
            # A union or enum component is itself the alias: _named_inline must not
            # declare it a second time, only build its type under this name.
            saved = self._declaring
            self._declaring = (key, name)
            typ = self._type(schema, ptr, inner_ctx, hint="", named=False)
            self._declaring = saved
            kind = "alias"
            core = typ.inner if isinstance(typ, Nullable) else typ
            if isinstance(core, Lit):
                kind = "enum"
            elif isinstance(core, UnionOf):
                kind = "union"
            decl = AliasDecl(
                key=key,
                name=name,
                module=ctx.module,
                owner=owner,
                shape=ctx.shape,
                description=description,
                type=typ,
                kind=kind,  # type: ignore[arg-type]
                deprecated=deprecated,
                examples=examples,
                pointer=ptr,
            )
        self.decls[key] = decl
        return decl

    def _object_parts(
        self, schema: dict[str, Any], ptr: str, ctx: _Ctx
    ) -> tuple[list[FieldDecl], list[str], Any, TypeExpr | None]:
        props: dict[str, tuple[str, Any]] = {}
        required: set[str] = set()
        bases: list[str] = []
        extra: Any = "allow"
        extra_type: TypeExpr | None = None
        parts: list[tuple[str, Any]] = [(ptr, schema)]
        for i, part in enumerate(schema.get("allOf") or []):
            pptr = join_pointer(ptr, "allOf", i)
            if isinstance(part, dict) and "$ref" in part and len(part) == 1:
                tptr, target = self._deref(part, pptr)
                if _is_object(target) and tptr.startswith(COMPONENT_PREFIX):
                    ref = self._ref_type(tptr, ctx.shape, pptr)
                    if isinstance(ref, Ref):
                        bases.append(ref.key)
                        # inherited fields are declared by the base; only note requiredness
                        continue
                parts.append((tptr, target))
            else:
                parts.append(_deref_parts(self, part, pptr))
        for pptr, part in parts:
            if not isinstance(part, dict):
                continue
            for pname, pschema in (part.get("properties") or {}).items():
                props[str(pname)] = (join_pointer(pptr, "properties", str(pname)), pschema)
            required |= {str(r) for r in part.get("required") or []}
            add = part.get("additionalProperties")
            if add is False:
                extra = "forbid"
            elif isinstance(add, dict) and add:
                extra_type = self._type(add, join_pointer(pptr, "additionalProperties"), ctx, "Extra", named=False)
            self._note_ignored(part, pptr)
            if any(k in part for k in ("oneOf", "anyOf")) and pptr == ptr:
                self._note(pptr, "oneOf/anyOf beside properties is not enforced; the properties are generated")
        fields: list[FieldDecl] = []
        taken: set[str] = set()
        for wire, (fptr, fschema) in props.items():
            _, resolved = self._deref(fschema, fptr)
            read_only = bool(isinstance(resolved, dict) and resolved.get("readOnly")) or bool(
                isinstance(fschema, dict) and fschema.get("readOnly")
            )
            write_only = bool(isinstance(resolved, dict) and resolved.get("writeOnly")) or bool(
                isinstance(fschema, dict) and fschema.get("writeOnly")
            )
            if (ctx.shape == "request" and read_only) or (ctx.shape == "response" and write_only):
                continue
            fname = naming.dedupe([naming.field_name(wire)], taken)[0]
            fields.append(self._field(wire, fname, fptr, fschema, wire in required, ctx))
        return fields, bases, extra, extra_type

    def _field(
        self, wire: str, name: str, ptr: str, schema: Any, required: bool, ctx: _Ctx
    ) -> FieldDecl:
        schema = schema if isinstance(schema, dict) else {}
        typ = self._type(schema, ptr, ctx, hint=wire, named=True)
        description = _text(schema.get("description")) or _union_description(schema)
        if description is None and "$ref" in schema:
            _, target = self._deref(schema, ptr)
            if isinstance(target, dict) and not _is_object(target) and "oneOf" not in target:
                description = _text(target.get("description"))
        default = schema.get("default", MISSING)
        if default is MISSING and "$ref" in schema:
            _, target = self._deref(schema, ptr)
            if isinstance(target, dict):
                default = target.get("default", MISSING)
        return FieldDecl(
            wire_name=wire,
            name=name,
            type=typ,
            required=required,
            description=description,
            default=default,
            constraints=self._constraints(schema),
            deprecated=bool(schema.get("deprecated")),
            read_only=bool(schema.get("readOnly")),
            write_only=bool(schema.get("writeOnly")),
            pointer=ptr,
        )

    def _constraints(self, schema: dict[str, Any]) -> Constraints:
        s = schema
        for key in ("anyOf", "oneOf"):
            variants = [v for v in s.get(key) or [] if isinstance(v, dict) and v.get("type") != "null"]
            if len(variants) == 1 and "$ref" not in variants[0]:
                s = {**variants[0], **{k: v for k, v in s.items() if k not in (key,)}}
        ge = s.get("minimum")
        le = s.get("maximum")
        gt = s.get("exclusiveMinimum")
        lt = s.get("exclusiveMaximum")
        if isinstance(gt, bool):  # OpenAPI 3.0: a flag on minimum
            gt, ge = (ge, None) if gt else (None, ge)
        if isinstance(lt, bool):
            lt, le = (le, None) if lt else (None, le)
        types = _types(s)
        is_str = "string" in types
        is_arr = "array" in types
        min_len = s.get("minLength") if is_str else s.get("minItems") if is_arr else None
        max_len = s.get("maxLength") if is_str else s.get("maxItems") if is_arr else None
        pattern = s.get("pattern") if is_str else None
        if "const" in s or "enum" in s:
            return NO_CONSTRAINTS
        return Constraints(
            ge=_num(ge),
            gt=_num(gt),
            le=_num(le),
            lt=_num(lt),
            multiple_of=_num(s.get("multipleOf")),
            min_length=min_len if isinstance(min_len, int) and not isinstance(min_len, bool) else None,
            max_length=max_len if isinstance(max_len, int) and not isinstance(max_len, bool) else None,
            pattern=pattern if isinstance(pattern, str) else None,
        )

    # ----------------------------------------------------------------------- types
    def _note_ignored(self, schema: dict[str, Any], ptr: str) -> None:
        for kw in sorted(IGNORED_KEYWORDS.intersection(schema)):
            self._note(ptr, f"keyword {kw!r} is not enforced by the generated models")

    def _type(self, schema: Any, ptr: str, ctx: _Ctx, hint: str, named: bool) -> TypeExpr:
        """The type of ``schema``. Inline objects and model unions become nested declarations."""
        if isinstance(schema, dict) and not _is_object(schema):
            self._note_ignored(schema, ptr)
        if schema is True or schema == {}:
            return Prim("Any")
        if schema is False:
            self._note(ptr, "schema 'false' accepts nothing; generated as Any")
            return Prim("Any")
        if not isinstance(schema, dict):
            self._error(ptr, "schema must be an object or a boolean")
            return Prim("Any")
        nullable = bool(schema.get("nullable")) if self.is30 else False
        typ = self._type_inner(schema, ptr, ctx, hint, named)
        if isinstance(typ, Nullable):
            return typ
        if nullable and typ != Prim("None"):
            return Nullable(typ)
        return typ

    def _type_inner(self, schema: dict[str, Any], ptr: str, ctx: _Ctx, hint: str, named: bool) -> TypeExpr:
        if "$ref" in schema:
            tptr, target = self._deref({"$ref": schema["$ref"]}, ptr)
            if not target and tptr == ptr:
                return Prim("Any")
            return self._ref_type(tptr, ctx.shape, ptr)
        if "const" in schema:
            return Lit((_literal(schema["const"]),))
        if "enum" in schema and isinstance(schema["enum"], list):
            values = [v for v in schema["enum"] if v is not None]
            lit: TypeExpr = Lit(tuple(_literal(v) for v in values)) if values else Prim("None")
            if _is_named_enum(schema, named):
                plain = lit
                lit = self._named_inline(schema, ptr, ctx, hint, lambda: plain)
            return Nullable(lit) if None in schema["enum"] or self._nullable_type(schema) else lit
        for key in ("oneOf", "anyOf"):
            if key in schema and isinstance(schema[key], list):
                return self._union(schema, key, ptr, ctx, hint)
        if "allOf" in schema and isinstance(schema["allOf"], list):
            parts = schema["allOf"]
            if len(parts) == 1 and not _is_object({k: v for k, v in schema.items() if k != "allOf"}):
                return self._type(parts[0], join_pointer(ptr, "allOf", 0), ctx, hint, named)
        if _is_object(schema):
            return self._nested_model(schema, ptr, ctx, hint)
        types = _types(schema)
        nullable = "null" in types
        types = [t for t in types if t != "null"]
        if not types:
            typ: TypeExpr = Prim("None") if nullable and not types else Prim("Any")
            return typ
        variants = [self._simple(t, schema, ptr, ctx, hint) for t in types]
        typ = variants[0] if len(variants) == 1 else UnionOf(tuple(variants))
        return Nullable(typ) if nullable else typ

    def _nullable_type(self, schema: dict[str, Any]) -> bool:
        t = schema.get("type")
        return isinstance(t, list) and "null" in t

    def _simple(self, t: str, schema: dict[str, Any], ptr: str, ctx: _Ctx, hint: str) -> TypeExpr:
        if t == "string":
            fmt = schema.get("format")
            if fmt == "byte":
                return Prim("str")
            return Prim(FORMATS.get(str(fmt), "str"))
        if t == "integer":
            return Prim("int")
        if t == "number":
            return Prim("float")
        if t == "boolean":
            return Prim("bool")
        if t == "array":
            prefix = schema.get("prefixItems")
            if isinstance(prefix, list):
                items = tuple(
                    self._type(p, join_pointer(ptr, "prefixItems", i), ctx, naming.singular(hint) + str(i), False)
                    for i, p in enumerate(prefix)
                )
                if schema.get("items") not in (None, False):
                    self._note(ptr, "items after prefixItems are not enforced (tuple of the prefix)")
                return TupleOf(items)
            items_schema = schema.get("items", {})
            item = self._type(items_schema, join_pointer(ptr, "items"), ctx, naming.singular(hint) or "Item", False)
            item_c = self._constraints(items_schema) if isinstance(items_schema, dict) else NO_CONSTRAINTS
            if item_c and not isinstance(item, Ref):
                item = Constrained(item, item_c)
            return ListOf(item)
        if t == "object":
            add = schema.get("additionalProperties", True)
            value: TypeExpr = Prim("Any")
            if isinstance(add, dict) and add:
                value = self._type(add, join_pointer(ptr, "additionalProperties"), ctx, hint + "Value", False)
                vc = self._constraints(add)
                if vc and not isinstance(value, Ref):
                    value = Constrained(value, vc)
            key: TypeExpr = Prim("str")
            names = schema.get("propertyNames")
            if isinstance(names, dict):
                kc = self._constraints({**names, "type": "string"})
                if kc:
                    key = Constrained(Prim("str"), kc)
            return MapOf(value, key)
        if t == "null":
            return Prim("None")
        self._error(ptr, f"unknown type {t!r}")
        return Prim("Any")

    def _union(self, schema: dict[str, Any], key: str, ptr: str, ctx: _Ctx, hint: str) -> TypeExpr:
        raw = schema[key]
        nullable = False
        variants: list[tuple[str, Any]] = []
        for i, v in enumerate(raw):
            vptr = join_pointer(ptr, key, i)
            if isinstance(v, dict) and (v.get("type") == "null" or v.get("enum") == [None]):
                nullable = True
                continue
            variants.append((vptr, v))
        if self._nullable_type(schema):
            nullable = True
        if not variants:
            return Prim("None")
        if len(variants) == 1:
            vptr, v = variants[0]
            merged = v
            if isinstance(v, dict) and "$ref" not in v:
                merged = {**v}
                if "x-sdk-name" in schema and "x-sdk-name" not in merged:
                    merged["x-sdk-name"] = schema["x-sdk-name"]
            typ = self._type(merged, vptr, ctx, hint, True)
            return Nullable(typ) if nullable and not isinstance(typ, Nullable) else typ
        modelish = any(_is_modelish(self, v, vptr) for vptr, v in variants)
        disc = schema.get("discriminator")
        prop = disc.get("propertyName") if isinstance(disc, dict) else None
        raw_mapping = disc.get("mapping") if isinstance(disc, dict) else None
        mapping: dict[str, str] = (
            {str(k): str(v) for k, v in raw_mapping.items()} if isinstance(raw_mapping, dict) else {}
        )

        def build() -> TypeExpr:
            alias_name = self._current_alias
            inner = ctx.nested(alias_name) if alias_name else ctx
            types: list[TypeExpr] = []
            tags: list[tuple[str, ...]] = []
            for idx, (vptr, v) in enumerate(variants):
                tag = ""
                explicit = _mapped_tags(mapping, v) if mapping else ()
                if explicit:
                    tag = explicit[0]
                elif prop:
                    status, value = _variant_tag(self, v, prop)
                    tag = str(value) if status == "ok" else ""
                tags.append(explicit or ((tag,) if tag else ()))
                vhint = naming.pascal(tag) if tag else f"Variant{idx}"
                types.append(self._type(v, vptr, inner, vhint, True))
            if mapping and prop and all(tags):
                return UnionOf(tuple(types), prop, tuple(tags))
            if mapping and prop:
                self._note(ptr, "discriminator mapping does not cover every variant; generated as a plain union")
                return UnionOf(tuple(types), None)
            return UnionOf(tuple(types), prop if prop else None)

        if modelish:
            typ = self._named_inline(schema, ptr, ctx, hint, build)
        else:
            self._current_alias = ""
            typ = build()
        return Nullable(typ) if nullable else typ

    _current_alias = ""
    _declaring: tuple[str, str] = ("", "")

    def _named_inline(self, schema: dict[str, Any], ptr: str, ctx: _Ctx, hint: str, build: Any) -> TypeExpr:
        """Declare an inline union or enum as a named alias in the owner's module."""
        key = self._key(ptr, ctx.shape)
        if key in self.decls:
            return Ref(key)
        if key == self._declaring[0]:
            saved = self._current_alias
            self._current_alias = self._declaring[1]
            self._declaring = ("", "")
            typ: TypeExpr = build()
            self._current_alias = saved
            return typ
        if not ctx.module:
            return self._site_decl(key, self._site_name(schema, ctx, hint), ptr)
        wanted = naming.class_name(str(schema.get("x-sdk-name") or (ctx.prefix + naming.pascal(hint or "Type"))))
        name = self._claim(ctx.module, wanted, ptr)
        saved = self._current_alias
        self._current_alias = name
        self.members[ctx.module].append(key)
        placeholder_index = len(self.members[ctx.module]) - 1
        typ = build()
        self._current_alias = saved
        core = typ
        kind = "enum" if isinstance(core, Lit) else "union" if isinstance(core, UnionOf) else "alias"
        # keep creation order: the alias comes after the classes it names
        self.members[ctx.module].pop(placeholder_index)
        self.members[ctx.module].append(key)
        self.decls[key] = AliasDecl(
            key=key,
            name=name,
            module=ctx.module,
            owner=ctx.owner,
            shape=ctx.shape,
            description=_text(schema.get("description")),
            type=typ,
            kind=kind,  # type: ignore[arg-type]
            deprecated=bool(schema.get("deprecated")),
            examples=_examples(schema),
            pointer=ptr,
        )
        return Ref(key)

    def _nested_model(self, schema: dict[str, Any], ptr: str, ctx: _Ctx, hint: str) -> TypeExpr:
        key = self._key(ptr, ctx.shape)
        if key in self.decls:
            return Ref(key)
        if not ctx.module:
            return self._site_decl(key, self._site_name(schema, ctx, hint), ptr)
        wanted = naming.class_name(str(schema.get("x-sdk-name") or (ctx.prefix + naming.pascal(hint or "Object"))))
        name = self._claim(ctx.module, wanted, ptr)
        self._declare(key, name, ptr, schema, ctx, owner=ctx.owner)
        return Ref(key)

    @staticmethod
    def _site_name(schema: dict[str, Any], ctx: _Ctx, hint: str) -> str:
        sdk = schema.get("x-sdk-name")
        return naming.class_name(str(sdk) if sdk else ctx.prefix + (naming.pascal(hint) if hint else ""))

    def _site_decl(self, key: str, wanted: str, ptr: str) -> TypeExpr:
        """An inline schema inside an operation (parameter, body, response) that needs
        a declaration: it has no owning module, so it becomes a top-level one."""
        if key not in self.top_names:
            self.top_names[key] = self._synthetic_top(wanted, ptr)
        self._ensure(key)
        return Ref(key)

    # ------------------------------------------------------------------ operations
    def _operations(self) -> list[OperationDecl]:
        ops = []
        used: set[str] = set()
        for ptr, path, method, op in iter_operations(self.data):
            ops.append(self._operation(ptr, path, method, op, used))
        return ops

    def _operation(self, ptr: str, path: str, method: str, op: dict[str, Any], used: set[str]) -> OperationDecl:
        op_id = str(op.get("operationId") or f"{method}_{path}")
        sdk = op.get("x-sdk-method")
        if isinstance(sdk, str) and sdk.strip():
            parts = [naming.field_name(p) for p in sdk.split(".") if p]
            resource, method_name = tuple(parts[:-1]) or ("api",), parts[-1]
        else:
            tags = op.get("tags") or []
            seg = next((s for s in path.split("/") if s and not s.startswith("{")), "api")
            resource = (naming.param_name(naming.snake(str(tags[0]) if tags else seg)),)
            method_name = naming.param_name(naming.snake(op_id))
        func = naming.dedupe([naming.param_name(naming.snake(op_id))], used)[0]
        params = self._params(ptr, path, op)
        body = self._body(ptr, op, resource, method_name)
        responses, success = self._responses(ptr, op)
        pagination = self._pagination(ptr, op, success)
        params_key = None
        query = [p for p in params if p.location == "query"]
        if query:
            wanted = op.get("x-sdk-params") or (
                naming.pascal(naming.singular(resource[-1])) + naming.pascal(method_name) + "Params"
            )
            params_key = self._params_typeddict(ptr, str(wanted), query)
        return OperationDecl(
            operation_id=op_id,
            name=func,
            method=method.upper(),
            path=path,
            summary=_text(op.get("summary")),
            description=_text(op.get("description")),
            tags=tuple(str(t) for t in op.get("tags") or []),
            resource=resource,
            method_name=method_name,
            params=tuple(params),
            body=body,
            responses=tuple(responses),
            success=success,
            pagination=pagination,
            params_key=params_key,
            deprecated=bool(op.get("deprecated")),
            pointer=ptr,
            authenticated=op.get("security") != [],
        )

    def _auth(self) -> AuthDecl | None:
        """The scheme of the document's first security requirement (else of the first
        operation that has one), as the client will send it."""
        requirements: list[tuple[str, Any]] = [("/security", self.data.get("security"))]
        requirements += [(p + "/security", op.get("security")) for p, _, _, op in iter_operations(self.data)]
        for ptr, req in requirements:
            for entry in req if isinstance(req, list) else []:
                if isinstance(entry, dict) and entry:
                    return self._auth_scheme(str(next(iter(entry))), ptr)
        return None

    def _auth_scheme(self, name: str, at: str) -> AuthDecl | None:
        ptr = join_pointer("/components/securitySchemes", name)
        schemes = (self.data.get("components") or {}).get("securitySchemes") or {}
        raw = schemes.get(name)
        if isinstance(raw, dict) and "$ref" in raw:
            ptr, raw = self._deref(raw, ptr)
        if not isinstance(raw, dict):
            self._error(at, f"security scheme {name!r} is not declared in components.securitySchemes")
            return None
        kind = str(raw.get("type", ""))
        if kind == "http":
            scheme = str(raw.get("scheme", "")).lower()
            if scheme in ("bearer", "basic"):
                return AuthDecl("bearer" if scheme == "bearer" else "basic", "Authorization", name, ptr)
            self._note(ptr, f"HTTP auth scheme {scheme!r} is sent as a bearer token")
            return AuthDecl("bearer", "Authorization", name, ptr)
        if kind == "apiKey" and raw.get("in") in ("header", "query", "cookie") and raw.get("name"):
            key_name = str(raw["name"])
            if raw["in"] != "query" and not TOKEN.fullmatch(key_name):
                self._error(ptr + "/name", f"{raw['in']} name {key_name!r} is not a valid HTTP token")
                return None
            return AuthDecl(raw["in"], key_name, name, ptr)
        if kind in ("oauth2", "openIdConnect"):
            self._note(ptr, f"{kind} is approximated: the client sends api_key as a bearer token and runs no OAuth flow")
            return AuthDecl("bearer", "Authorization", name, ptr)
        self._note(ptr, f"security scheme type {kind!r} is not supported: the client sends no credentials")
        return None

    def _params(self, ptr: str, path: str, op: dict[str, Any]) -> list[ParamDecl]:
        merged: dict[tuple[str, str], tuple[str, dict[str, Any]]] = {}
        item = self.data["paths"][path]
        sources = [(join_pointer("/paths", path, "parameters"), item.get("parameters") or [])]
        sources.append((ptr + "/parameters", op.get("parameters") or []))
        for base, plist in sources:
            for i, p in enumerate(plist):
                pptr, param = self._deref(p, join_pointer(base, i))
                if isinstance(param, dict) and "name" in param and "in" in param:
                    merged[(str(param["in"]), str(param["name"]))] = (pptr, param)
        out: list[ParamDecl] = []
        taken: set[str] = set()
        order = {"path": 0, "query": 1, "header": 2, "cookie": 3}
        op_prefix = naming.pascal(str(op.get("operationId") or "Operation"))
        for (loc, wire), (pptr, param) in sorted(merged.items(), key=lambda kv: order.get(kv[0][0], 9)):
            if loc not in order:
                continue
            schema = param.get("schema") or {}
            sptr = pptr + "/schema"
            if _is_object(schema) or any(_is_object(v) for v in schema.get("oneOf", []) if isinstance(v, dict)):
                self._note(sptr, "object-valued parameters are sent as JSON text")
                typ: TypeExpr = Prim("str")
            else:
                typ = self._type_noninline(schema, sptr, _Ctx("", "", op_prefix + naming.pascal(wire), "request"))
            const: JsonValue = MISSING
            if isinstance(typ, Lit) and len(typ.values) == 1 and loc == "header" and param.get("required"):
                const = typ.values[0]
            name = naming.dedupe([naming.param_name(wire)], taken)[0] if const is MISSING else naming.param_name(wire)
            ex = param.get("examples")
            examples = tuple(
                e.get("value") for e in (ex.values() if isinstance(ex, dict) else []) if isinstance(e, dict)
            )
            if "example" in param:
                examples = (param["example"], *examples)
            elif isinstance(schema, dict) and "example" in schema:
                examples = (schema["example"], *examples)
            style = str(param.get("style", "simple" if loc in ("path", "header") else "form"))
            out.append(
                ParamDecl(
                    wire_name=wire,
                    name=name,
                    location=loc,  # type: ignore[arg-type]
                    type=typ,
                    required=bool(param.get("required")) or loc == "path",
                    description=_text(param.get("description")) or _text(schema.get("description")),
                    default=schema.get("default", MISSING) if isinstance(schema, dict) else MISSING,
                    constraints=self._constraints(schema) if isinstance(schema, dict) else NO_CONSTRAINTS,
                    const=const,
                    explode=bool(param.get("explode", style == "form")),
                    style=style,
                    deprecated=bool(param.get("deprecated")),
                    examples=examples,
                    pointer=pptr,
                )
            )
        return out

    def _type_noninline(self, schema: Any, ptr: str, ctx: _Ctx) -> TypeExpr:
        """Parameter types: refs become named types; inline enums stay Literal."""
        if isinstance(schema, dict) and "$ref" in schema:
            tptr, target = self._deref(schema, ptr)
            if isinstance(target, dict) and not _is_object(target) and self._is_pure(tptr):
                return self._ref_type(tptr, "response", ptr)
            return self._ref_type(tptr, "request", ptr)
        if isinstance(schema, dict) and "enum" in schema:
            return Lit(tuple(_literal(v) for v in schema["enum"] if v is not None))
        if isinstance(schema, dict) and "const" in schema:
            return Lit((_literal(schema["const"]),))
        types = [t for t in _types(schema) if t != "null"] if isinstance(schema, dict) else []
        if isinstance(schema, dict) and types and all(t in ("string", "integer", "number", "boolean", "array") for t in types):
            variants = [self._simple(t, schema, ptr, ctx, "") for t in types]
            typ: TypeExpr = variants[0] if len(variants) == 1 else UnionOf(tuple(variants))
            return typ
        return Prim("str")

    def _params_typeddict(self, ptr: str, wanted: str, params: list[ParamDecl]) -> str:
        key = self._key(ptr + "/parameters", "request")
        name, module = self._synthetic_top(wanted, ptr)
        self.top_names[key] = (name, module)
        self.members[module] = [key]
        self.module_top[module] = key
        self.taken.setdefault(module, set()).add(name)
        fields = tuple(
            FieldDecl(
                wire_name=p.wire_name,
                name=p.name,
                type=p.type,
                required=p.required,
                description=p.description,
                default=p.default,
                constraints=p.constraints,
                deprecated=p.deprecated,
                pointer=ptr,
            )
            for p in params
        )
        self.decls[key] = ModelDecl(
            key=key,
            name=name,
            module=module,
            owner=None,
            shape="request",
            description=f"Query parameters of {wanted.removesuffix('Params') or wanted}.",
            fields=fields,
            pointer=ptr + "/parameters",
        )
        return key

    def _body(self, ptr: str, op: dict[str, Any], resource: tuple[str, ...], method_name: str) -> BodyDecl | None:
        raw = op.get("requestBody")
        if raw is None:
            return None
        bptr, body = self._deref(raw, ptr + "/requestBody")
        content = body.get("content") if isinstance(body, dict) else None
        if not isinstance(content, dict) or not content:
            return None
        media = _pick_media(content)
        mobj = content[media] if isinstance(content[media], dict) else {}
        schema = mobj.get("schema", {})
        sptr = join_pointer(bptr, "content", media, "schema")
        params_key: str | None = None
        fields: tuple[FieldDecl, ...] = ()
        if isinstance(schema, dict) and "$ref" in schema:
            typ = self._type(schema, sptr, _Ctx("", "", "", "request"), "", True)  # a $ref: no inline declaration
            if isinstance(typ, Ref):
                tptr = self._ptr_of(typ.key)
                target = resolve_pointer(self.data, "#" + tptr)
                if _is_object(target):
                    params_key = typ.key
                    self._ensure(typ.key)
                    decl = self.decls.get(typ.key)
                    if isinstance(decl, ModelDecl):
                        fields = decl.fields
        elif _is_object(schema):
            wanted = naming.pascal(naming.singular(resource[-1])) + naming.pascal(method_name) + "Params"
            key = self._key(sptr, "request")
            name, module = self._synthetic_top(wanted, sptr)
            self.top_names[key] = (name, module)
            self._ensure(key)
            typ = Ref(key)
            params_key = key
            decl = self.decls[key]
            fields = decl.fields if isinstance(decl, ModelDecl) else ()
        else:
            prefix = naming.pascal(str(op.get("operationId") or "Operation")) + "Body"
            typ = self._type(schema, sptr, _Ctx("", "", prefix, "request"), "", False)
        examples = _named_examples(self, mobj)
        return BodyDecl(
            media_type=media,
            type=typ,
            required=bool(body.get("required")),
            description=_text(body.get("description")),
            fields=fields,
            params_key=params_key,
            examples=examples,
            pointer=join_pointer(bptr, "content", media),
        )

    def _responses(self, ptr: str, op: dict[str, Any]) -> tuple[list[ResponseDecl], ResponseDecl | None]:
        out = []
        for code, raw in (op.get("responses") or {}).items():
            rptr, resp = self._deref(raw, join_pointer(ptr, "responses", str(code)))
            if not isinstance(resp, dict):
                continue
            content = resp.get("content") or {}
            media = _pick_media(content) if content else None
            typ: TypeExpr | None = None
            examples: tuple[tuple[str, JsonValue], ...] = ()
            if media is not None:
                mobj = content[media] if isinstance(content[media], dict) else {}
                kind = media_kind(media)
                raw = Prim("str") if kind == "text" else Prim("bytes")  # what a non-JSON body is read as
                schema = mobj.get("schema")
                if schema is not None:
                    sptr = join_pointer(rptr, "content", media, "schema")
                    wanted = naming.pascal(str(op.get("operationId") or "Operation")) + "Response" + _status_suffix(str(code))
                    if isinstance(schema, dict) and "$ref" in schema:
                        typ = self._type(schema, sptr, _Ctx("", "", wanted, "response"), "", True)
                    elif _needs_module(schema):
                        typ = self._site_decl(self._key(sptr, "response"), wanted, sptr)
                    else:
                        typ = self._type(schema, sptr, _Ctx("", "", wanted, "response"), "", False)
                    if kind not in ("json", "event-stream") and typ is not None:
                        typ = raw
                elif kind not in ("json", "event-stream"):
                    typ = raw
                examples = _named_examples(self, mobj)
            out.append(
                ResponseDecl(
                    status=str(code),
                    description=_text(resp.get("description")),
                    media_type=media,
                    type=typ,
                    examples=examples,
                    pointer=rptr if media is None else join_pointer(rptr, "content", media),
                )
            )
        success = next((r for r in out if r.status.startswith("2")), None)
        if success is None:
            success = next((r for r in out if r.status == "default"), None)
        return out, success

    def _pagination(self, ptr: str, op: dict[str, Any], success: ResponseDecl | None) -> Pagination | None:
        spec = op.get("x-sdk-pagination")
        if not isinstance(spec, dict):
            return None
        page = PageDecl(
            name=naming.class_name(str(spec.get("page", "CursorPage"))),
            items_field=str(spec.get("items", "data")),
            cursor_param=str(spec.get("cursor_param", "after")),
            next_cursor_field=str(spec.get("next_cursor", "last_id")),
            has_more_field=str(spec.get("has_more", "has_more")),
        )
        if success is None or not isinstance(success.type, Ref):
            self._error(ptr + "/x-sdk-pagination", "pagination needs a success response that is a named model")
            return None
        self._ensure(success.type.key)
        decl = self.decls.get(success.type.key)
        item: TypeExpr | None = None
        if isinstance(decl, ModelDecl):
            for f in decl.fields:
                if f.wire_name == page.items_field and isinstance(f.type, ListOf):
                    item = f.type.item
        if item is None:
            self._error(ptr + "/x-sdk-pagination", f"response model has no array field {page.items_field!r}")
            return None
        self.pages[page.name] = page
        return Pagination(page, item)

    # ---------------------------------------------------------------------- modules
    def _modules(self) -> tuple[Module, ...]:
        modules = []
        for module in sorted(self.members):
            keys = [k for k in self.members[module] if k in self.decls]
            if not keys:
                continue
            order = _dependency_order(self.decls, keys)
            modules.append(Module(name=module, top=self.module_top.get(module, keys[0]), decls=tuple(order)))
        return tuple(_mark_cycles(self.decls, modules))


# ------------------------------------------------------------------------- functions


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _num(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _literal(value: Any) -> str | int | float | bool | None:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _types(schema: dict[str, Any]) -> list[str]:
    t = schema.get("type")
    if isinstance(t, str):
        return [t]
    if isinstance(t, list):
        return [str(x) for x in t]
    if "items" in schema or "prefixItems" in schema:
        return ["array"]
    if any(k in schema for k in ("minLength", "maxLength", "pattern")):
        return ["string"]
    if any(k in schema for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")):
        return ["number"]
    if "additionalProperties" in schema or "propertyNames" in schema:
        return ["object"]
    return []


def _is_object(schema: Any) -> bool:
    """Schemas that become a model class: objects with declared properties (or allOf of them)."""
    if not isinstance(schema, dict):
        return False
    if "properties" in schema:
        return True
    if "allOf" in schema and len(schema.get("allOf") or []) > 1:
        return True
    if "allOf" in schema and any(k in schema for k in ("properties", "required")):
        return True
    t = schema.get("type")
    if (t == "object" or (isinstance(t, list) and "object" in t)) and "additionalProperties" not in schema and "oneOf" not in schema and "anyOf" not in schema and "propertyNames" not in schema:
        return bool(schema.get("required")) or "properties" in schema
    return False


def _needs_module(schema: Any) -> bool:
    return isinstance(schema, dict) and (
        _is_object(schema)
        or any(isinstance(schema.get(k), list) and len(schema[k]) > 1 for k in ("oneOf", "anyOf"))
    )


def _is_named_enum(schema: dict[str, Any], named: bool) -> bool:
    return "x-sdk-name" in schema


def _is_modelish(builder: Builder, schema: Any, ptr: str) -> bool:
    if not isinstance(schema, dict):
        return False
    if "$ref" in schema:
        _, target = builder._deref(schema, ptr)
        return _is_object(target) or _needs_module(target)
    return _is_object(schema)


def _variant_tag(builder: Builder, variant: Any, prop: str) -> tuple[str, Any]:
    from ..load.validate import discriminator_tag

    return discriminator_tag(builder.data, variant, prop)


def _mapped_tags(mapping: dict[str, str], variant: Any) -> tuple[str, ...]:
    """Tag values a discriminator mapping gives a ``$ref`` variant; with no explicit
    entry, OpenAPI's implicit tag is the component name."""
    if not isinstance(variant, dict) or not isinstance(variant.get("$ref"), str):
        return ()
    ref = variant["$ref"]
    name = ref.rsplit("/", 1)[-1]
    explicit = tuple(tag for tag, target in mapping.items() if target in (ref, name))
    return explicit or (name,)


def _union_description(schema: dict[str, Any]) -> str | None:
    for key in ("anyOf", "oneOf"):
        variants = schema.get(key) or []
        real = [v for v in variants if isinstance(v, dict) and v.get("type") != "null"]
        if len(real) == 1 and "description" in real[0]:
            return _text(real[0]["description"])
    return None


def _examples(schema: Any) -> tuple[JsonValue, ...]:
    if not isinstance(schema, dict):
        return ()
    out: list[JsonValue] = []
    if isinstance(schema.get("examples"), list):
        out.extend(schema["examples"])
    if "example" in schema:
        out.append(schema["example"])
    return tuple(out)


def _named_examples(builder: Builder, mobj: dict[str, Any]) -> tuple[tuple[str, JsonValue], ...]:
    out: list[tuple[str, JsonValue]] = []
    examples = mobj.get("examples")
    if isinstance(examples, dict):
        for name, ex in examples.items():
            _, ex = builder._deref(ex, "")
            if isinstance(ex, dict) and "value" in ex:
                out.append((str(name), ex["value"]))
    if "example" in mobj:
        out.append(("example", mobj["example"]))
    return tuple(out)


def _deref_parts(builder: Builder, part: Any, ptr: str) -> tuple[str, Any]:
    return builder._deref(part, ptr)


def _status_suffix(code: str) -> str:
    """How a response's status names its inline declaration: nothing for 2xx, else
    ``400``, ``4XX``, ``Default``."""
    if code.startswith("2"):
        return ""
    if re.fullmatch(r"[0-9xX]+", code):
        return code.upper()
    return naming.pascal(code)


def _license(info: dict[str, Any]) -> str | None:
    """The SPDX identifier of ``info.license``, if the document gives one."""
    lic = info.get("license")
    ident = lic.get("identifier") if isinstance(lic, dict) else None
    return ident.strip() if isinstance(ident, str) and ident.strip() else None


def _pick_media(content: dict[str, Any]) -> str:
    """The media type the client uses: JSON, then multipart, form, event stream."""
    keys = [str(k) for k in content]
    for wanted in ("json", "multipart", "form", "event-stream"):
        for k in keys:
            if media_kind(k) == wanted:
                return k
    return keys[0]


def refs_in(typ: TypeExpr | None) -> list[str]:
    """Keys of the declarations a type names, in order of appearance."""
    out: list[str] = []
    stack: list[Any] = [typ]
    while stack:
        t = stack.pop()
        if t is None:
            continue
        if isinstance(t, Ref):
            out.append(t.key)
        elif isinstance(t, ListOf | Nullable):
            stack.append(t.item if isinstance(t, ListOf) else t.inner)
        elif isinstance(t, Constrained):
            stack.append(t.inner)
        elif isinstance(t, MapOf):
            stack.extend([t.value, t.key])
        elif isinstance(t, UnionOf | TupleOf):
            stack.extend(reversed(t.variants if isinstance(t, UnionOf) else t.items))
    return out


def decl_refs(decl: Decl) -> list[str]:
    if isinstance(decl, ModelDecl):
        out = list(decl.bases)
        for f in decl.fields:
            out.extend(refs_in(f.type))
        out.extend(refs_in(decl.extra_type))
        return out
    return refs_in(decl.type)


def _dependency_order(decls: dict[str, Decl], keys: list[str]) -> list[str]:
    """Post-order DFS from creation order: what a declaration names comes first."""
    members = set(keys)
    done: list[str] = []
    state: dict[str, int] = {}

    def visit(k: str) -> None:
        if state.get(k):
            return
        state[k] = 1
        for dep in decl_refs(decls[k]):
            if dep in members:
                visit(dep)
        state[k] = 2
        done.append(k)

    for k in keys:
        visit(k)
    return done


def _mark_cycles(decls: dict[str, Decl], modules: Iterable[Module]) -> list[Module]:
    """Find import cycles between modules; those imports go to the bottom of the file."""
    mods = list(modules)
    graph: dict[str, set[str]] = {}
    for m in mods:
        deps = set()
        for k in m.decls:
            for dep in decl_refs(decls[k]):
                dm = decls[dep].module if dep in decls else None
                if dm and dm != m.name:
                    deps.add(dm)
        graph[m.name] = deps
    # Tarjan's SCC, iterative-safe for our sizes via recursion limit guard
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on: set[str] = set()
    stack: list[str] = []
    comp_of: dict[str, int] = {}
    counter = [0, 0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            while True:
                w = stack.pop()
                on.discard(w)
                comp_of[w] = counter[1]
                if w == v:
                    break
            counter[1] += 1

    for v in sorted(graph):
        if v not in index:
            strong(v)
    out = []
    for m in mods:
        cyc = frozenset(d for d in graph[m.name] if comp_of.get(d) == comp_of.get(m.name))
        out.append(Module(m.name, m.top, m.decls, cyc))
    return out


def build_api(doc: Document) -> API:
    return Builder(doc).build()
