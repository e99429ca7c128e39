"""Declarations: each named schema once per shape, built on demand through a worklist."""

from __future__ import annotations

from typing import Any

from ...load.document import split_pointer
from ...load.walk import resolve_pointer
from .. import naming
from ..model import (
    AliasDecl,
    Decl,
    Lit,
    ModelDecl,
    Nullable,
    Ref,
    Shape,
    TypeExpr,
    UnionOf,
)
from .base import Ctx
from .constraints import ConstraintsLayer
from .schema import (
    examples_of,
    is_object,
    text,
)


class DeclarationsLayer(ConstraintsLayer):
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
        ctx = Ctx(key, module, "", shape)
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
        self, key: str, name: str, ptr: str, schema: Any, ctx: Ctx, owner: str | None
    ) -> Decl:
        """Create the declaration for an object/union/enum schema under ``name``."""
        description = text(schema.get("description")) if isinstance(schema, dict) else None
        deprecated = bool(schema.get("deprecated")) if isinstance(schema, dict) else False
        examples = examples_of(schema)
        self.members[ctx.module].append(key)
        if is_object(schema):
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
                title=text(schema.get("title")),
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

    def _named_inline(self, schema: dict[str, Any], ptr: str, ctx: Ctx, hint: str, build: Any) -> TypeExpr:
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
            description=text(schema.get("description")),
            type=typ,
            kind=kind,  # type: ignore[arg-type]
            deprecated=bool(schema.get("deprecated")),
            examples=examples_of(schema),
            pointer=ptr,
        )
        return Ref(key)

    def _nested_model(self, schema: dict[str, Any], ptr: str, ctx: Ctx, hint: str) -> TypeExpr:
        key = self._key(ptr, ctx.shape)
        if key in self.decls:
            return Ref(key)
        if not ctx.module:
            return self._site_decl(key, self._site_name(schema, ctx, hint), ptr)
        wanted = naming.class_name(str(schema.get("x-sdk-name") or (ctx.prefix + naming.pascal(hint or "Object"))))
        name = self._claim(ctx.module, wanted, ptr)
        self._declare(key, name, ptr, schema, ctx, owner=ctx.owner)
        return Ref(key)

    def _site_decl(self, key: str, wanted: str, ptr: str) -> TypeExpr:
        """An inline schema inside an operation (parameter, body, response) that needs
        a declaration: it has no owning module, so it becomes a top-level one."""
        if key not in self.top_names:
            self.top_names[key] = self._synthetic_top(wanted, ptr)
        self._ensure(key)
        return Ref(key)

