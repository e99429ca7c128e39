"""Which curated item corresponds to which upstream one, and how they differ.

Operations correspond by HTTP method and path template (parameter names blanked);
everything else by structure from there: parameters by location and name (path
parameters by position), request bodies by media type, responses by status, and
then schemas pairwise through ``$ref``s, unions and properties, whatever the names
on either side. Only what corresponding operations reach is ever resolved, so a
whole published document costs little more than its ChatKit part.

Every difference becomes a ``Finding`` with a level:

- ``upstream-more``: upstream has something the curated document lacks (a property,
  a value, null, an operation, a constraint, a requirement);
- ``curated-more``: the curated document claims something upstream does not;
- ``info``: worth a look, never drift by itself (defaults, descriptions).

Curated names, ``x-`` annotations, titles, descriptions and examples are curation.
A finding carries the ``Fix`` that would bring the curated document in line
(``upstream_patch`` turns fixes into JSON Patch operations).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from ..load.document import Document, join_pointer
from ..load.walk import HTTP_METHODS, resolve_pointer
from .diff import Msg
from .upstream_shape import (
    CONSTRAINT_KEYS,
    Shape,
    Variant,
    json_text,
    resolve,
    shape,
    type_text,
    value_key,
)

FindingLevel = Literal["upstream-more", "curated-more", "info", "accepted"]
LEVELS: tuple[FindingLevel, ...] = ("upstream-more", "curated-more", "info", "accepted")
MISSING: Any = object()


@dataclass(frozen=True)
class Fix:
    """One edit of the curated document, in terms of pointers of both documents."""

    action: str
    target: str  # curated pointer the edit applies to
    upstream: str = ""  # upstream pointer of what to copy, if anything
    name: str = ""
    value: str = ""  # JSON text


@dataclass(frozen=True)
class Finding:
    level: FindingLevel
    kind: str  # stable code, e.g. "property-added"
    subject: str  # curated name: ChatKitWorkflow.state_variables{}, beta.chatkit.threads.list(limit)
    message: Msg
    curated: str  # JSON pointer in the curated document ("" when it has no counterpart)
    upstream: str  # JSON pointer in the upstream document ("" when it has none)
    fixes: tuple[Fix, ...] = ()
    anchors: tuple[str, ...] = ()  # curated pointers an x-upstream-note may sit on
    note: str | None = None  # why an accepted difference stays

    def sort_key(self) -> tuple[int, str, str, str, str]:
        return (LEVELS.index(self.level), self.subject, self.kind, self.message.text(), self.curated)


def norm_path(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def path_params(path: str) -> list[str]:
    return re.findall(r"\{([^}]*)\}", path)


def prefixes(paths: Iterator[str]) -> set[str]:
    """The first segment of every curated path: ``/chatkit``."""
    return {"/" + p.strip("/").split("/", 1)[0] for p in paths}


def _under(path: str, roots: set[str]) -> bool:
    return any(path == r or path.startswith(r + "/") for r in roots)


@dataclass(frozen=True)
class Op:
    ptr: str
    path: str
    method: str
    op: dict[str, Any]
    item: dict[str, Any]

    @property
    def route(self) -> str:
        return f"{self.method.upper()} {self.path}"


def operations(data: dict[str, Any], roots: set[str] | None = None) -> list[Op]:
    out: list[Op] = []
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return out
    for path, item in paths.items():
        if not isinstance(item, dict) or (roots is not None and not _under(str(path), roots)):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                out.append(Op(join_pointer("/paths", path, method), str(path), method, op, item))
    return out


def _desc(text: Any) -> str:
    return " ".join(str(text or "").replace("`", "").split())


@dataclass
class Matcher:
    cur: dict[str, Any]
    up: dict[str, Any]
    descriptions: bool = False
    findings: list[Finding] = field(default_factory=list)
    pairs: dict[str, set[str]] = field(default_factory=dict)  # curated component -> upstream ones
    seen: set[tuple[str, str]] = field(default_factory=set)
    touched: set[str] = field(default_factory=set)  # upstream pointers resolved (schemas)
    reached: set[str] = field(default_factory=set)  # curated component names compared
    kept: set[str] = field(default_factory=set)  # curated schemas matched operations refer to
    orphaned: set[str] = field(default_factory=set)  # ... that unmatched operations refer to

    def reach(self, node: Any) -> set[str]:
        """Curated component schemas ``node`` leads to, through references."""
        from ..load.walk import ref_strings

        out: set[str] = set()
        stack = [node]
        while stack:
            for ref in ref_strings(stack.pop()):
                if ref.startswith("#/components/") and ref[1:] not in out:
                    out.add(ref[1:])
                    try:
                        stack.append(resolve_pointer(self.cur, ref))
                    except KeyError:
                        pass
        return {p for p in out if p.startswith("/components/schemas/")}

    # ----------------------------------------------------------------- record
    def add(
        self,
        level: FindingLevel,
        kind: str,
        subject: str,
        curated: str,
        upstream: str,
        template: str,
        *args: str,
        fixes: tuple[Fix, ...] = (),
        anchors: tuple[str, ...] = (),
    ) -> None:
        self.findings.append(
            Finding(level, kind, subject, Msg(template, tuple(args)), curated, upstream, fixes, (curated, *anchors))
        )

    # ------------------------------------------------------------- operations
    def run(self) -> list[Finding]:
        cur_ops = operations(self.cur)
        roots = prefixes(o.path for o in cur_ops)
        up_ops = operations(self.up, roots)
        by_route = {(o.method, norm_path(o.path)): o for o in up_ops}
        by_id = {str(o.op.get("operationId")): o for o in up_ops if "operationId" in o.op}
        matched: set[str] = set()
        for c in sorted(cur_ops, key=lambda o: (o.path, HTTP_METHODS.index(o.method))):
            pin = c.op.get("x-upstream-name")
            u = by_id.get(str(pin)) if isinstance(pin, str) else by_route.get((c.method, norm_path(c.path)))
            subject = str(c.op.get("x-sdk-method") or c.route)
            if u is None or u.ptr in matched:
                reach = self.reach(c.op)
                self.orphaned |= reach
                self.add("curated-more", "operation-removed", subject, c.ptr, "",
                         "upstream has no operation {}", c.route,
                         fixes=(Fix("remove", c.ptr), *(Fix("remove-unreferenced", p) for p in sorted(reach))))
                continue
            matched.add(u.ptr)
            self.kept |= self.reach(c.op)
            self.operation(subject, c, u)
        for u in up_ops:
            if u.ptr not in matched:
                subject = u.route
                self.add("upstream-more", "operation-added", subject, "", u.ptr,
                         "upstream has operation {} ({}) under the curated paths", u.route, str(u.op.get("operationId", "")),
                         fixes=(Fix("add-operation", join_pointer("/paths", u.path, u.method), u.ptr),))
        self.unreached_components()
        return self.findings

    def operation(self, subject: str, c: Op, u: Op) -> None:
        self.parameters(subject, c, u)
        self.body(subject, c, u)
        self.responses(subject, c, u)
        if self.descriptions:
            for key in ("summary", "description"):
                if _desc(c.op.get(key)) != _desc(u.op.get(key)) and key in u.op:
                    self.add("info", "description-changed", subject, c.ptr, u.ptr, "operation " + key + " differs upstream: {}", _desc(u.op.get(key)))

    def _params(self, data: dict[str, Any], o: Op) -> dict[tuple[str, str], tuple[str, str, dict[str, Any]]]:
        """(in, name) -> (site pointer, resolved pointer, parameter); path params by position."""
        out: dict[tuple[str, str], tuple[str, str, dict[str, Any]]] = {}
        positions = {name: str(i) for i, name in enumerate(path_params(o.path))}
        item_ptr = o.ptr.rsplit("/", 1)[0]
        for base, node in ((item_ptr, o.item), (o.ptr, o.op)):
            params = node.get("parameters")
            for i, raw in enumerate(params if isinstance(params, list) else []):
                site = join_pointer(base, "parameters", i)
                ptr, p, _ = resolve(data, site, raw)
                if not isinstance(p.get("name"), str):
                    continue
                where = str(p.get("in"))
                name = positions.get(p["name"], p["name"]) if where == "path" else p["name"]
                out[(where, str(name))] = (site, ptr, p)
        return out

    def parameters(self, subject: str, c: Op, u: Op) -> None:
        cps, ups = self._params(self.cur, c), self._params(self.up, u)
        for key in sorted(set(cps) - set(ups)):
            site, ptr, p = cps[key]
            self.add("curated-more", "param-removed", subject, site, "", "upstream has no " + key[0] + " parameter {}", p["name"],
                     fixes=(Fix("remove", site),), anchors=(ptr,))
        for key in sorted(set(ups) - set(cps)):
            site, ptr, p = ups[key]
            req = "required" if p.get("required") else "optional"
            self.add("upstream-more", "param-added", subject, c.ptr, site, "upstream has " + req + " " + key[0] + " parameter {}", p["name"],
                     fixes=(Fix("add-param", c.ptr, site),))
        for key in sorted(set(cps) & set(ups)):
            (csite, cptr, cp), (usite, uptr, up) = cps[key], ups[key]
            label = f"{subject}({cp['name']})"
            self.required_flag(label, csite, usite, bool(cp.get("required")), bool(up.get("required")), key[0] + " parameter", cptr)
            if isinstance(cp.get("schema"), dict) and isinstance(up.get("schema"), dict):
                self.compare(label, cptr + "/schema", cp["schema"], uptr + "/schema", up["schema"])
            if self.descriptions and "description" in up and _desc(cp.get("description")) != _desc(up.get("description")):
                self.add("info", "description-changed", label, cptr, uptr, "description differs upstream: {}", _desc(up.get("description")))

    def required_flag(self, label: str, csite: str, usite: str, creq: bool, ureq: bool, what: str, cptr: str) -> None:
        if creq == ureq:
            return
        if ureq:
            self.add("upstream-more", "required-added", label, csite, usite, "upstream requires the " + what,
                     fixes=(Fix("set", cptr, name="required", value="true"),), anchors=(cptr,))
        else:
            self.add("curated-more", "required-removed", label, csite, usite, "upstream does not require the " + what,
                     fixes=(Fix("unset", cptr, name="required"),), anchors=(cptr,))

    def body(self, subject: str, c: Op, u: Op) -> None:
        csite, usite = c.ptr + "/requestBody", u.ptr + "/requestBody"
        cptr, cb, _ = resolve(self.cur, csite, c.op.get("requestBody"))
        uptr, ub, _ = resolve(self.up, usite, u.op.get("requestBody"))
        if not cb and not ub:
            return
        if not ub:
            self.add("curated-more", "body-removed", subject, csite, "", "upstream has no request body", fixes=(Fix("remove", csite),), anchors=(cptr,))
            return
        if not cb:
            self.add("upstream-more", "body-added", subject, c.ptr, usite, "upstream has a request body", fixes=(Fix("copy", csite, usite),))
            return
        label = f"{subject}(body)"
        self.required_flag(label, csite, usite, bool(cb.get("required")), bool(ub.get("required")), "request body", cptr)
        self.content(label, cptr, cb, uptr, ub)

    def content(self, label: str, cptr: str, c: dict[str, Any], uptr: str, u: dict[str, Any]) -> None:
        cc = _mapping(c.get("content"))
        uc = _mapping(u.get("content"))
        for media in sorted(set(cc) - set(uc)):
            self.add("curated-more", "media-type-removed", label, join_pointer(cptr, "content", media), "", "upstream does not send {}", media)
        for media in sorted(set(uc) - set(cc)):
            self.add("upstream-more", "media-type-added", label, cptr, join_pointer(uptr, "content", media), "upstream also sends {}", media,
                     fixes=(Fix("copy", join_pointer(cptr, "content", media), join_pointer(uptr, "content", media)),))
        for media in sorted(set(cc) & set(uc)):
            cm, um = cc[media], uc[media]
            if isinstance(cm, dict) and isinstance(um, dict) and isinstance(cm.get("schema"), dict) and isinstance(um.get("schema"), dict):
                self.compare(label, join_pointer(cptr, "content", media, "schema"), cm["schema"], join_pointer(uptr, "content", media, "schema"), um["schema"])

    def responses(self, subject: str, c: Op, u: Op) -> None:
        cr = _mapping(c.op.get("responses"))
        ur = _mapping(u.op.get("responses"))
        for code in sorted(set(map(str, cr)) - set(map(str, ur))):
            site = join_pointer(c.ptr, "responses", code)
            ptr, _r, _ = resolve(self.cur, site, cr[code])
            self.add("curated-more", "response-removed", subject, site, "", "upstream documents no {} response", code,
                     fixes=(Fix("remove", site),), anchors=(ptr,))
        for code in sorted(set(map(str, ur)) - set(map(str, cr))):
            site = join_pointer(u.ptr, "responses", code)
            self.add("upstream-more", "response-added", subject, c.ptr, site, "upstream documents a {} response", code,
                     fixes=(Fix("copy", join_pointer(c.ptr, "responses", code), site),))
        for code in sorted(set(map(str, cr)) & set(map(str, ur))):
            cptr, cresp, _ = resolve(self.cur, join_pointer(c.ptr, "responses", code), cr[code])
            uptr, uresp, _ = resolve(self.up, join_pointer(u.ptr, "responses", code), ur[code])
            self.content(f"{subject}->{code}", cptr, cresp, uptr, uresp)

    # ---------------------------------------------------------------- schemas
    def compare(self, label: str, csite: str, cnode: Any, usite: str, unode: Any) -> None:
        cs, us = shape(self.cur, csite, cnode), shape(self.up, usite, unode)
        self.touched.add(us.ptr)
        if cs.ref_name:
            label = cs.ref_name
            self.reached.add(cs.ref_name)
            if us.ref_name:
                self.pairs.setdefault(cs.ref_name, set()).add(us.ref_name)
        self.nullability(label, csite, cs, usite, us)
        if (cs.ptr, us.ptr) in self.seen:
            return
        self.seen.add((cs.ptr, us.ptr))
        if self.descriptions:
            cd = _desc(_site_desc(self.cur, csite, cnode) or cs.schema.get("description"))
            ud = _desc(_site_desc(self.up, usite, unode) or us.schema.get("description"))
            if ud and cd != ud:
                self.add("info", "description-changed", label, csite, usite, "description differs upstream: {}", ud)
        self.default(label, cs, us)
        cflat, uflat = _flat(self.cur, cs), _flat(self.up, us)
        if cflat is not None and uflat is not None and (cs.kind == "union" or us.kind == "union"):
            self.type_sets(label, cs, us, cflat, uflat)
            if cs.kind == "union" and us.kind == "union":
                self.union(label, cs, us, primitives_done=True)
            return
        if cs.kind == "any" or us.kind == "any":
            if cs.kind != us.kind:
                wider = us.kind == "any"
                self.type_change(label, cs, us, "type-widened" if wider else "type-narrowed")
            return
        if cs.kind != us.kind:
            self.type_change(label, cs, us, "type-changed")
            return
        if cs.kind == "union":
            self.union(label, cs, us)
        elif cs.kind == "object":
            self.object(label, cs, us)
        elif cs.kind == "array":
            self.constraints(label, cs, us)
            ci, ui = cs.schema.get("items"), us.schema.get("items")
            if isinstance(ci, dict) and isinstance(ui, dict):
                self.compare(label + "[]", cs.ptr + "/items", ci, us.ptr + "/items", ui)
        else:
            self.primitive(label, cs, us)

    def nullability(self, label: str, csite: str, cs: Shape, usite: str, us: Shape) -> None:
        if cs.nullable == us.nullable:
            return
        if us.nullable:
            self.add("upstream-more", "nullable-added", label, csite, usite, "upstream allows null",
                     fixes=(Fix("nullable", csite, value="true"),), anchors=(cs.ptr,))
        else:
            self.add("curated-more", "nullable-removed", label, csite, usite, "upstream does not allow null",
                     fixes=(Fix("nullable", csite, value="false"),), anchors=(cs.ptr,))

    def type_change(self, label: str, cs: Shape, us: Shape, kind: str) -> None:
        level: FindingLevel = "upstream-more" if kind == "type-widened" else "curated-more"
        verb = {"type-widened": "widened", "type-narrowed": "narrowed", "type-changed": "changed"}[kind]
        self.add(level, kind, label, cs.ptr, us.ptr, "type " + verb + " upstream from {} to {}",
                 type_text(self.cur, cs), type_text(self.up, us), fixes=(Fix("replace-type", cs.ptr, us.ptr),))

    def type_sets(self, label: str, cs: Shape, us: Shape, cflat: list[tuple[str, str]], uflat: list[tuple[str, str]]) -> None:
        """Unions of primitives (``str | bool | float``) compared as sets of types."""
        ct, ut = {t for t, _ in cflat}, {t for t, _ in uflat}
        if ct == ut:
            return
        added = [(t, p) for t, p in uflat if t not in ct]
        removed = [(t, p) for t, p in cflat if t not in ut]
        fixes: list[Fix] = []
        for t, p in added:
            fixes.append(Fix("add-variant", cs.union_ptr or cs.ptr, p, name=t))
        for t, p in removed:
            fixes.append(Fix("remove-variant", cs.union_ptr or cs.ptr, p, name=t))
        if ut > ct:
            kind, level = "type-widened", "upstream-more"
        elif ut < ct:
            kind, level = "type-narrowed", "curated-more"
        else:
            kind, level = "type-changed", "curated-more"
        verb = kind.split("-")[1]
        self.add(level, kind, label, cs.ptr, us.ptr, "type " + verb + " upstream from {} to {}",  # type: ignore[arg-type]
                 type_text(self.cur, cs), type_text(self.up, us), fixes=tuple(fixes))

    def union(self, label: str, cs: Shape, us: Shape, primitives_done: bool = False) -> None:
        disc = _disc(cs) or _disc(us)
        ukeys: dict[str, tuple[int, Variant]] = {}
        for i, v in enumerate(us.variants):
            ukeys.setdefault(self._vkey(self.up, v, disc), (i, v))
        byname = {v.name: (i, v) for i, v in enumerate(us.variants) if v.name}
        matched: set[int] = set()
        pairs: list[tuple[int, Variant, int, Variant]] = []
        left: list[tuple[int, Variant]] = []
        for i, v in enumerate(cs.variants):
            pin = v.schema.get("x-upstream-name")
            hit = byname.get(pin) if isinstance(pin, str) else ukeys.get(self._vkey(self.cur, v, disc))
            if hit is None or hit[0] in matched:
                left.append((i, v))
                continue
            matched.add(hit[0])
            pairs.append((i, v, *hit))
        rest = [(j, w) for j, w in enumerate(us.variants) if j not in matched]
        objects_c = [(i, v) for i, v in left if shape(self.cur, v.ptr, v.schema).kind == "object"]
        objects_u = [(j, w) for j, w in rest if shape(self.up, w.ptr, w.schema).kind == "object"]
        if len(objects_c) == 1 and len(objects_u) == 1:  # one each: they must be the same thing
            (i, v), (j, w) = objects_c[0], objects_u[0]
            left.remove((i, v))
            rest.remove((j, w))
            pairs.append((i, v, j, w))
        for i, v, j, _w in sorted(pairs, key=lambda p: p[0]):
            name = v.name or (v.schema.get("x-sdk-name") if isinstance(v.schema.get("x-sdk-name"), str) else None)
            self.compare(str(name or f"{label}|{i}"), f"{cs.union_ptr}/{i}", _raw(self.cur, cs, i), f"{us.union_ptr}/{j}", _raw(self.up, us, j))
        for i, v in left:
            if primitives_done and shape(self.cur, v.ptr, v.schema).kind == "primitive":
                continue
            self.add("curated-more", "variant-removed", label, f"{cs.union_ptr}/{i}", "", "upstream has no union member {}",
                     _vname(self.cur, v), fixes=(Fix("remove", f"{cs.union_ptr}/{i}"),), anchors=(v.ptr,))
        for j, w in rest:
            if primitives_done and shape(self.up, w.ptr, w.schema).kind == "primitive":
                continue
            self.add("upstream-more", "variant-added", label, cs.union_ptr, f"{us.union_ptr}/{j}", "upstream has union member {}",
                     _vname(self.up, w), fixes=(Fix("add-variant", cs.union_ptr, f"{us.union_ptr}/{j}"),))

    def _vkey(self, root: Any, v: Variant, disc: str | None) -> str:
        s = shape(root, v.ptr, v.schema)
        if disc and s.kind == "object":
            props = s.schema.get("properties")
            if isinstance(props, dict) and disc in props:
                ps = shape(root, s.ptr + "/properties/" + disc, props[disc])
                if ps.values:
                    return "disc:" + ",".join(sorted(value_key(x) for x in ps.values))
        if s.kind == "primitive":
            vals = ",".join(sorted(value_key(x) for x in s.values)) if s.values is not None else ""
            return "prim:" + ",".join(sorted(s.types)) + ":" + vals
        return s.kind

    def object(self, label: str, cs: Shape, us: Shape) -> None:
        cp = _mapping(cs.schema.get("properties"))
        up = _mapping(us.schema.get("properties"))
        creq = {str(x) for x in cs.schema.get("required", []) if isinstance(cs.schema.get("required"), list)}
        ureq = {str(x) for x in us.schema.get("required", []) if isinstance(us.schema.get("required"), list)}
        for name in sorted(set(up) - set(cp)):
            usite = join_pointer(us.ptr, "properties", name)
            req = "required" if name in ureq else "optional"
            self.add("upstream-more", "property-added", label, cs.ptr, usite, "upstream has " + req + " property {}", name,
                     fixes=(Fix("add-property", cs.ptr, usite, name=name, value="true" if name in ureq else "false"),))
        for name in sorted(set(cp) - set(up)):
            csite = join_pointer(cs.ptr, "properties", name)
            self.add("curated-more", "property-removed", label, csite, "", "upstream has no property {}", name,
                     fixes=(Fix("remove-property", cs.ptr, name=name),))
        for name in sorted(set(cp) & set(up)):
            csite, usite = join_pointer(cs.ptr, "properties", name), join_pointer(us.ptr, "properties", name)
            sub = f"{label}.{name}"
            if (name in creq) != (name in ureq):
                if name in ureq:
                    self.add("upstream-more", "required-added", sub, csite, usite, "upstream requires the property",
                             fixes=(Fix("require", cs.ptr, name=name, value="true"),))
                else:
                    self.add("curated-more", "required-removed", sub, csite, usite, "upstream does not require the property",
                             fixes=(Fix("require", cs.ptr, name=name, value="false"),))
            self.compare(sub, csite, cp[name], usite, up[name])
        self.constraints(label, cs, us)
        for key, mark in (("additionalProperties", "{}"), ("propertyNames", "{key}")):
            ca, ua = cs.schema.get(key), us.schema.get(key)
            if isinstance(ca, dict) and isinstance(ua, dict):
                self.compare(label + mark, cs.ptr + "/" + key, ca, us.ptr + "/" + key, ua)
            elif ca != ua and (ca is not None or ua is not None):
                self.constraint(label, cs, us, key, ca, ua)

    def primitive(self, label: str, cs: Shape, us: Shape) -> None:
        ct, ut = set(cs.types), set(us.types)
        if ct != ut:
            if ut > ct or (ct == {"integer"} and ut == {"number"}):
                kind = "type-widened"
            elif ut < ct or (ut == {"integer"} and ct == {"number"}):
                kind = "type-narrowed"
            else:
                kind = "type-changed"
            if kind == "type-changed":  # constraints of another type do not compare
                self.type_change(label, cs, us, kind)
                return
            self.add("upstream-more" if kind == "type-widened" else "curated-more", kind, label, cs.ptr, us.ptr,
                     "type " + kind.split("-")[1] + " upstream from {} to {}", type_text(self.cur, cs), type_text(self.up, us),
                     fixes=(Fix("retype", cs.ptr, value=json_text(list(us.types))),))
        cv, uv = cs.values, us.values
        if cv is not None and uv is not None:
            ckeys, ukeys = {value_key(v) for v in cv}, {value_key(v) for v in uv}
            for v in uv:
                if value_key(v) not in ckeys:
                    self.add("upstream-more", "enum-value-added", label, cs.ptr, us.ptr, "upstream has value {}", json_text(v),
                             fixes=(Fix("add-value", cs.ptr, value=json_text(v)),))
            for v in cv:
                if value_key(v) not in ukeys:
                    self.add("curated-more", "enum-value-removed", label, cs.ptr, us.ptr, "upstream has no value {}", json_text(v),
                             fixes=(Fix("remove-value", cs.ptr, value=json_text(v)),))
        elif cv is not None and ct == ut:
            self.add("upstream-more", "type-widened", label, cs.ptr, us.ptr, "upstream accepts any {}, not only {}",
                     type_text(self.up, us), type_text(self.cur, cs), fixes=(Fix("replace-type", cs.ptr, us.ptr),))
        elif uv is not None and ct == ut:
            self.add("curated-more", "type-narrowed", label, cs.ptr, us.ptr, "upstream accepts only {}, not any {}",
                     type_text(self.up, us), type_text(self.cur, cs), fixes=(Fix("replace-type", cs.ptr, us.ptr),))
        self.constraints(label, cs, us)

    def constraints(self, label: str, cs: Shape, us: Shape) -> None:
        for key in CONSTRAINT_KEYS:
            c, u = cs.schema.get(key, MISSING), us.schema.get(key, MISSING)
            if c is MISSING and u is MISSING:
                continue
            if c is not MISSING and u is not MISSING and value_key(c) == value_key(u):
                continue
            self.constraint(label, cs, us, key, None if c is MISSING else c, None if u is MISSING else u)

    def constraint(self, label: str, cs: Shape, us: Shape, key: str, c: Any, u: Any) -> None:
        c, u = _bare(c), _bare(u)
        if c is None:
            self.add("upstream-more", "constraint-added", label, cs.ptr, us.ptr, "upstream has {}", f"{key}: {json_text(u)}",
                     fixes=(Fix("set", cs.ptr, name=key, value=json_text(u)),))
        elif u is None:
            self.add("curated-more", "constraint-removed", label, cs.ptr, us.ptr, "upstream has no {}", f"{key}: {json_text(c)}",
                     fixes=(Fix("unset", cs.ptr, name=key),))
        else:
            self.add("curated-more", "constraint-changed", label, cs.ptr, us.ptr, "upstream has {} instead of {}",
                     f"{key}: {json_text(u)}", f"{key}: {json_text(c)}", fixes=(Fix("set", cs.ptr, name=key, value=json_text(u)),))

    def default(self, label: str, cs: Shape, us: Shape) -> None:
        c, u = _default(cs), _default(us)
        if (c is MISSING and u is MISSING) or (c is not MISSING and u is not MISSING and value_key(c) == value_key(u)):
            return
        if u is MISSING:
            self.add("info", "default-removed", label, cs.ptr, us.ptr, "upstream declares no default (curated {})", json_text(c),
                     fixes=(Fix("unset", cs.ptr, name="default"),))
        else:
            was = "none" if c is MISSING else json_text(c)
            self.add("info", "default-changed", label, cs.ptr, us.ptr, "upstream default is {} (curated {})", json_text(u), was,
                     fixes=(Fix("set", cs.ptr, name="default", value=json_text(u)),))

    # -------------------------------------------------------------- leftovers
    def unreached_components(self) -> None:
        """Curated schemas no operation led to: compared by pin, else reported."""
        comps = self.cur.get("components")
        schemas = comps.get("schemas") if isinstance(comps, dict) else None
        if not isinstance(schemas, dict):
            return
        up_schemas = (self.up.get("components") or {}).get("schemas") or {}
        for name in sorted(set(schemas) - self.reached):
            pin = schemas[name].get("x-upstream-name") if isinstance(schemas[name], dict) else None
            ptr = join_pointer("/components/schemas", name)
            if ptr in self.orphaned - self.kept and not isinstance(pin, str):
                continue  # the operation-removed finding covers it
            if isinstance(pin, str) and pin in up_schemas:
                self.reached.add(name)
                self.pairs.setdefault(name, set()).add(pin)
                self.compare(name, ptr, {"$ref": "#" + ptr}, join_pointer("/components/schemas", pin), {"$ref": "#" + join_pointer("/components/schemas", pin)})
                continue
            self.add("curated-more", "schema-unmatched", name, ptr, "", "no upstream schema corresponds (no operation reaches it; pin one with {})", "x-upstream-name",
                     fixes=(Fix("remove-unreferenced", ptr),))


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _bare(value: Any) -> Any:
    """A schema-valued constraint (``propertyNames``) without its curation."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k not in ("description", "title") and not str(k).startswith("x-")}
    return value


def _raw(root: Any, s: Shape, i: int) -> Any:
    members = s.schema.get(s.union_key)
    return members[i] if isinstance(members, list) else {}


def _disc(s: Shape) -> str | None:
    d = s.schema.get("discriminator")
    if isinstance(d, dict) and isinstance(d.get("propertyName"), str):
        return str(d["propertyName"])
    return None


def _vname(root: Any, v: Variant) -> str:
    if v.name:
        return v.name
    name = v.schema.get("x-sdk-name")
    return name if isinstance(name, str) else type_text(root, shape(root, v.ptr, v.schema))


def _flat(root: Any, s: Shape) -> list[tuple[str, str]] | None:
    """(type, variant pointer) of a primitive or a union of open primitives, else None."""
    if s.kind == "primitive" and s.values is None:
        return [(t, s.ptr) for t in s.types]
    if s.kind != "union":
        return None
    out: list[tuple[str, str]] = []
    for v in s.variants:
        vs = shape(root, v.ptr, v.schema)
        if vs.kind != "primitive" or vs.values is not None:
            return None
        out.extend((t, v.ptr) for t in vs.types)
    return out


def _default(s: Shape) -> Any:
    if "default" not in s.schema:
        return MISSING
    value = s.schema["default"]
    if s.values is not None and len(s.values) == 1 and value_key(s.values[0]) == value_key(value):
        return MISSING  # the default of a constant is the constant
    return value


def _site_desc(root: Any, site: str, node: Any) -> Any:
    return node.get("description") if isinstance(node, dict) else None


@dataclass(frozen=True)
class UpstreamReport:
    curated: Document
    upstream: Document
    findings: tuple[Finding, ...]
    pairs: dict[str, tuple[str, ...]]  # curated component -> upstream components
    touched: int  # upstream schema nodes resolved (not the document's size)
    locations: dict[str, tuple[int, int]]  # curated pointer -> line, column

    def count(self, level: str) -> int:
        return sum(1 for f in self.findings if f.level == level)

    @property
    def drift(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level in ("upstream-more", "curated-more"))
