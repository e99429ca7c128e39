"""Top-level and nested class names: decided once, sorted, collision-safe."""

from __future__ import annotations

import dataclasses
from typing import Any

from ...load.document import join_pointer
from .. import naming
from ..model import (
    ModelDecl,
)
from .base import Ctx
from .schema import as_dict
from .usage import UsageLayer


class NamesLayer(UsageLayer):
    def _assign_top_names(self) -> None:
        schemas = as_dict(as_dict(self.data.get("components")).get("schemas"))
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

    @staticmethod
    def _site_name(schema: dict[str, Any], ctx: Ctx, hint: str) -> str:
        sdk = schema.get("x-sdk-name")
        return naming.class_name(str(sdk) if sdk else ctx.prefix + (naming.pascal(hint) if hint else ""))

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

