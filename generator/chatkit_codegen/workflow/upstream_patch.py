"""The JSON Patch (RFC 6902) that brings the curated document in line with upstream.

Fixes (``upstream_match.Fix``) name pointers of both documents; here they become
``add``/``remove``/``replace`` operations on the curated document, applied to a working
copy one by one so each pointer is valid when its operation runs. Copied upstream
schemas keep curated names: a ``$ref`` to an upstream component that corresponds to a
curated one points at the curated one; any other is copied into the curated
components under its upstream name. Upstream-only annotations (``title``,
``x-stainless-*``, ``x-oai*``) are dropped and ``enum: [x]`` constants become ``const``.
Curated names, descriptions and ``x-`` annotations of edited nodes stay.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

from ..load.document import join_pointer, split_pointer
from ..load.walk import resolve_pointer
from .upstream_match import Finding, Fix

_DROP_PREFIXES = ("x-stainless", "x-oai")
_DROP = {"title", "example", "examples"}
_TYPE_KEYS = ("type", "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "properties", "items",
              "additionalProperties", "required", "nullable", "format")


class _Patcher:
    def __init__(self, cur: Any, up: Any, pairs: dict[str, tuple[str, ...]]) -> None:
        self.doc = copy.deepcopy(cur)
        self.up = up
        self.ops: list[dict[str, Any]] = []
        self.names = {u: c for c, us in pairs.items() for u in us}  # upstream -> curated name

    # ------------------------------------------------------------- primitives
    def get(self, ptr: str) -> Any:
        return resolve_pointer(self.doc, "#" + ptr)

    def exists(self, ptr: str) -> bool:
        try:
            self.get(ptr)
            return True
        except KeyError:
            return False

    def op(self, op: str, path: str, value: Any = None) -> None:
        parts = split_pointer(path)
        parent = resolve_pointer(self.doc, "#" + join_pointer("", *parts[:-1]))
        last = parts[-1]
        entry: dict[str, Any] = {"op": op, "path": path}
        if op == "move":
            source = split_pointer(value)
            holder = resolve_pointer(self.doc, "#" + join_pointer("", *source[:-1]))
            parent[last] = holder.pop(source[-1])
            self.ops.append({"op": "move", "from": value, "path": path})
            return
        if op == "remove":
            if isinstance(parent, list):
                parent.pop(int(last))
            else:
                del parent[last]
        else:
            entry["value"] = copy.deepcopy(value)
            if isinstance(parent, list):
                if last == "-":
                    parent.append(copy.deepcopy(value))
                elif op == "add":
                    parent.insert(int(last), copy.deepcopy(value))
                else:
                    parent[int(last)] = copy.deepcopy(value)
            else:
                parent[last] = copy.deepcopy(value)
        self.ops.append(entry)

    def put(self, ptr: str, value: Any) -> None:
        self.op("replace" if self.exists(ptr) else "add", ptr, value)

    # --------------------------------------------------------------- copying
    def convert(self, node: Any, depth: int = 0) -> Any:
        """An upstream subtree in curated terms (see the module docstring)."""
        if isinstance(node, list):
            return [self.convert(v, depth + 1) for v in node]
        if not isinstance(node, dict):
            return node
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[1]
            return {"$ref": "#/components/schemas/" + self.component(name, depth), **{
                k: v for k, v in node.items() if k == "description"}}
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _DROP or key.startswith(_DROP_PREFIXES):
                continue
            out[key] = self.convert(value, depth + 1) if key not in ("enum", "const", "default", "required") else copy.deepcopy(value)
        if isinstance(out.get("enum"), list) and len(out["enum"]) == 1 and node.get("x-stainless-const"):
            out["const"] = out.pop("enum")[0]
        return out

    def component(self, name: str, depth: int) -> str:
        if name in self.names:
            return self.names[name]
        schemas = self.doc.setdefault("components", {}).setdefault("schemas", {})
        if name not in schemas:
            self.names[name] = name
            target = resolve_pointer(self.up, "#/components/schemas/" + name)
            self.op("add", join_pointer("/components/schemas", name), {})
            self.op("replace", join_pointer("/components/schemas", name), self.convert(target, depth + 1))
        return name

    def upstream(self, ptr: str) -> Any:
        return self.convert(resolve_pointer(self.up, "#" + ptr))

    # ----------------------------------------------------------------- fixes
    def apply(self, fix: Fix) -> None:
        getattr(self, "fix_" + fix.action.replace("-", "_"))(fix)

    def fix_remove(self, fix: Fix) -> None:
        if self.exists(fix.target):
            self.op("remove", fix.target)

    def fix_copy(self, fix: Fix) -> None:
        self.put(fix.target, self.upstream(fix.upstream))

    def fix_add_operation(self, fix: Fix) -> None:
        path_ptr = fix.target.rsplit("/", 1)[0]
        if not self.exists(path_ptr):
            self.op("add", path_ptr, {})
        op = self.upstream(fix.upstream)
        op.setdefault("responses", {"200": {"description": "Success"}})
        self.put(fix.target, op)

    def fix_add_param(self, fix: Fix) -> None:
        params = fix.target + "/parameters"
        if not self.exists(params):
            self.op("add", params, [])
        self.op("add", params + "/-", self.upstream(fix.upstream))

    def fix_set(self, fix: Fix) -> None:
        self.put(join_pointer(fix.target, fix.name), json.loads(fix.value))

    def fix_unset(self, fix: Fix) -> None:
        ptr = join_pointer(fix.target, fix.name)
        if self.exists(ptr):
            self.op("remove", ptr)

    def fix_add_property(self, fix: Fix) -> None:
        props = fix.target + "/properties"
        if not self.exists(props):
            self.op("add", props, {})
        self.op("add", join_pointer(props, fix.name), self.upstream(fix.upstream))
        if fix.value == "true":
            self.fix_require(Fix("require", fix.target, name=fix.name, value="true"))

    def fix_remove_property(self, fix: Fix) -> None:
        ptr = join_pointer(fix.target, "properties", fix.name)
        if self.exists(ptr):
            self.op("remove", ptr)
        self.fix_require(Fix("require", fix.target, name=fix.name, value="false"))

    def fix_require(self, fix: Fix) -> None:
        node = self.get(fix.target)
        req = list(node.get("required", [])) if isinstance(node.get("required"), list) else []
        want = fix.value == "true"
        if want and fix.name not in req:
            self.put(fix.target + "/required", [*req, fix.name])
        elif not want and fix.name in req:
            self.op("remove", join_pointer(fix.target, "required", req.index(fix.name)))

    def fix_add_value(self, fix: Fix) -> None:
        node = self.get(fix.target)
        value = json.loads(fix.value)
        if "const" in node:
            const = node["const"]
            self.op("remove", fix.target + "/const")
            self.put(fix.target + "/enum", [const, value])
        elif isinstance(node.get("enum"), list):
            self.op("add", fix.target + "/enum/-", value)

    def fix_remove_value(self, fix: Fix) -> None:
        node = self.get(fix.target)
        value = json.loads(fix.value)
        values = node.get("enum")
        if isinstance(values, list) and value in values:
            self.op("remove", join_pointer(fix.target, "enum", values.index(value)))

    def fix_add_variant(self, fix: Fix) -> None:
        node = self.get(fix.target)
        value = self.upstream(fix.upstream)
        if isinstance(node, list):
            self.op("add", fix.target + "/-", value)
            kinds = {m.get("type") for m in node if isinstance(m, dict)}
            if fix.target.endswith("/oneOf") and {"integer", "number"} <= kinds:
                # An integer is valid under both: oneOf would refuse every integer.
                self.op("move", fix.target[: -len("oneOf")] + "anyOf", fix.target)
        elif isinstance(node, dict) and isinstance(node.get("type"), str | list):
            types = [node["type"]] if isinstance(node["type"], str) else list(node["type"])
            new = value.get("type") if isinstance(value, dict) else None
            if isinstance(new, str) and new not in types:
                self.put(fix.target + "/type", [*types, new])

    def fix_remove_variant(self, fix: Fix) -> None:
        node = self.get(fix.target)
        if isinstance(node, list):
            for i, member in enumerate(node):
                if isinstance(member, dict) and member.get("type") == fix.name:
                    self.op("remove", join_pointer(fix.target, i))
                    return
        elif isinstance(node, dict) and isinstance(node.get("type"), list) and fix.name in node["type"]:
            types = [t for t in node["type"] if t != fix.name]
            self.put(fix.target + "/type", types[0] if len(types) == 1 else types)

    def fix_retype(self, fix: Fix) -> None:
        node = self.get(fix.target)
        types = json.loads(fix.value)
        old = node.get("type")
        if isinstance(old, list) and "null" in old:
            types = [*types, "null"]
        self.put(fix.target + "/type", types[0] if len(types) == 1 else types)

    def fix_remove_unreferenced(self, fix: Fix) -> None:
        """A curated schema nothing leads to once the other fixes are in (runs last)."""
        from ..load.walk import ref_strings

        if self.exists(fix.target) and "#" + fix.target not in set(ref_strings(self.doc)):
            self.op("remove", fix.target)

    def fix_nullable(self, fix: Fix) -> None:
        want = fix.value == "true"
        node = self.get(fix.target)
        if not isinstance(node, dict):
            return
        for key in ("anyOf", "oneOf"):
            members = node.get(key)
            if isinstance(members, list):
                nulls = [i for i, m in enumerate(members) if isinstance(m, dict) and m.get("type") == "null"]
                if want and not nulls:
                    self.op("add", fix.target + f"/{key}/-", {"type": "null"})
                for i in reversed(nulls if not want else []):
                    self.op("remove", join_pointer(fix.target, key, i))
                return
        t = node.get("type")
        if isinstance(t, str | list):
            types = [t] if isinstance(t, str) else list(t)
            if want and "null" not in types:
                self.put(fix.target + "/type", [*types, "null"])
            elif not want and "null" in types:
                rest = [x for x in types if x != "null"]
                self.put(fix.target + "/type", rest[0] if len(rest) == 1 else rest)
        elif want and "$ref" in node:
            keep = {k: v for k, v in node.items() if k != "$ref"}
            self.op("replace", fix.target, {**keep, "anyOf": [{"$ref": node["$ref"]}, {"type": "null"}]})

    def fix_replace_type(self, fix: Fix) -> None:
        node = self.get(fix.target)
        keep = {k: v for k, v in node.items() if k not in _TYPE_KEYS and k not in _CONSTRAINTS} if isinstance(node, dict) else {}
        new = self.upstream(fix.upstream)
        if isinstance(new, dict):
            new = {**{k: v for k, v in new.items() if k != "description"}, **keep}
        self.op("replace", fix.target, new)


_CONSTRAINTS = ("minimum", "maximum", "minLength", "maxLength", "pattern", "default")


def build_patch(cur: Any, up: Any, findings: Sequence[Finding], pairs: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    """JSON Patch operations for ``findings`` (removals of list members last, from the end)."""
    patcher = _Patcher(cur, up, pairs)
    fixes = [fx for f in findings for fx in f.fixes]
    late = [fx for fx in fixes if fx.action in ("remove", "remove-variant") and split_pointer(fx.target)[-1:] and split_pointer(fx.target)[-1].isdigit()]
    last = [fx for fx in fixes if fx.action == "remove-unreferenced"]
    early = [fx for fx in fixes if fx not in late and fx not in last]
    seen: set[Fix] = set()
    ordered = early + sorted(late, key=lambda x: (x.target.rsplit("/", 1)[0], -int(x.target.rsplit("/", 1)[1]))) + last
    for fx in ordered:
        if fx in seen:
            continue
        seen.add(fx)
        try:
            patcher.apply(fx)
        except (KeyError, IndexError, ValueError, TypeError):
            continue  # a fix another fix made moot (its node was removed or replaced)
    return patcher.ops
