"""``chatkit-codegen diff OLD NEW``: what a spec change means for the generated package.

Both documents are loaded and built into the IR (no example validation: an old
version must stay comparable), then compared the way a user of the package sees
them: operations by HTTP method and path (falling back to the SDK method), parameters
by location and wire name, models and aliases by import path (``module.Name``),
fields by wire name, enum values by value, types by what they accept.

Every change gets one of three levels (the rules are in README's "Breaking-change
rules" table and in the docstrings below):

- ``breaking``: code written against the previous package may stop working or
  type-checking;
- ``additive``: new capability or behaviour, nothing existing breaks;
- ``patch``: documentation, examples or spec text only.

The suggested bump is the highest level mapped to semver: breaking → major, additive →
minor, patch → patch; while the package is below 1.0.0 everything moves one place
down (breaking → minor, additive and patch → patch), as Cargo and npm's caret do.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ..errors import CodegenError, Level, Problem
from ..ir.model import (
    API,
    MISSING,
    NO_CONSTRAINTS,
    AliasDecl,
    Constrained,
    Constraints,
    Decl,
    FieldDecl,
    JsonValue,
    Lit,
    ModelDecl,
    Nullable,
    OperationDecl,
    ParamDecl,
    Prim,
    ResponseDecl,
    TypeExpr,
    UnionOf,
)
from ..render.pytypes import doc_type
from .compat import ANY, Compat, constraints_sub, lit_key, lit_values, qualname
from .diff_records import LEVELS, SUBJECTS, Bump, Change, ChangeLevel, Msg, Report, Side

__all__ = [
    "LEVELS",
    "SUBJECTS",
    "Bump",
    "Change",
    "ChangeLevel",
    "Msg",
    "Report",
    "Side",
    "diff_apis",
    "load_api",
    "next_version",
    "run_diff",
    "suggest_bump",
]

Context = Literal["request", "response"]


# --------------------------------------------------------------------- comparing


def _str(value: JsonValue) -> str:
    import json

    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _unchanged(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _norm_path(path: str) -> str:
    import re

    return re.sub(r"\{[^}]*\}", "{}", path)


def decl_label(api: API, decl: Decl) -> str:
    """``ChatSession`` for a top-level declaration, ``ChatKitWorkflow.Tracing`` for a nested one."""
    if decl.owner is None or decl.owner not in api.decls:
        return decl.name
    return f"{api.decls[decl.owner].name}.{decl.name}"


@dataclass
class Differ:
    old: API
    new: API
    changes: list[Change] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.compat = Compat(self.old, self.new)

    # ---------------------------------------------------------------- recording
    def add(self, level: ChangeLevel, kind: str, subject: tuple[str, str], template: str, *args: str) -> None:
        self.changes.append(Change(level, kind, subject[0], subject[1], Msg(template, tuple(args))))

    def run(self) -> list[Change]:
        self.compare_api()
        self.compare_operations()
        self.compare_decls()
        if not self.changes and self.old.spec_sha256 != self.new.spec_sha256:
            self.add(
                "patch",
                "spec-text-changed",
                ("api", self.new.title),
                "the document changed without changing the package (formatting, ordering or unused parts); regenerated files differ in their header hash",
            )
        return sorted(set(self.changes), key=Change.sort_key)

    # -------------------------------------------------------------------- types
    def tstr(self, api: API, t: TypeExpr | None) -> str:
        return type_text(api, t)

    def compare_type(
        self,
        subject: tuple[str, str],
        what: str,
        name: str,
        old: TypeExpr,
        new: TypeExpr,
        ctx: Context,
    ) -> None:
        """A type at an input (request) or output (response) position.

        Inputs may widen, outputs may narrow; anything else is breaking. A removed enum
        value is breaking in both directions (code naming it stops type-checking); an
        added one widens, so it is breaking in responses (exhaustive matches).
        """
        pre, names = _prefix(what, name)
        ot, nt = self.tstr(self.old, old), self.tstr(self.new, new)
        old_to_new = self.compat.sub(old, new)
        new_to_old = self.compat.sub(new, old, flip=True)
        if old_to_new and new_to_old:
            if ot != nt:
                self.add("patch", "type-respelled", subject, pre + "type spelled {} instead of {} (same values)", *names, nt, ot)
            return
        ov, nv = lit_values(old), lit_values(new)
        if ov is not None and nv is not None:
            removed = [v for v in ov if lit_key(v) not in {lit_key(x) for x in nv}]
            added = [v for v in nv if lit_key(v) not in {lit_key(x) for x in ov}]
            for v in removed:
                self.add("breaking", "enum-value-removed", subject, pre + "enum value {} removed", *names, _str(v))
            for v in added:
                level: ChangeLevel = "additive" if ctx == "request" else "breaking"
                self.add(level, "enum-value-added", subject, pre + "enum value {} added (" + ctx + ")", *names, _str(v))
            if removed or added:
                old, new = _strip_lit(old), _strip_lit(new)
                ot, nt = self.tstr(self.old, old), self.tstr(self.new, new)
                old_to_new = self.compat.sub(old, new)
                new_to_old = self.compat.sub(new, old, flip=True)
                if old_to_new and new_to_old:
                    return
        ok = old_to_new if ctx == "request" else new_to_old
        if ok:
            verb = "widened" if ctx == "request" else "narrowed"
            self.add("additive", f"type-{verb}", subject, pre + "type " + verb + " from {} to {}", *names, ot, nt)
        elif ctx == "response" and old_to_new and nt == f"Optional[{ot}]":
            self.add("breaking", "made-nullable", subject, pre + "made nullable in a response", *names)
        else:
            self.add("breaking", "type-changed", subject, pre + "type changed from {} to {} (" + ctx + ")", *names, ot, nt)

    def compare_typed(
        self,
        subject: tuple[str, str],
        what: str,
        name: str,
        old: tuple[TypeExpr, Constraints],
        new: tuple[TypeExpr, Constraints],
        ctx: Context,
    ) -> None:
        """A type with its field-level constraints: the constraints alone when the type
        stayed the same, otherwise both together (a union may carry the old constraints
        inside one variant)."""
        if self.tstr(self.old, old[0]) == self.tstr(self.new, new[0]) and self.compat.equivalent(old[0], new[0]):
            self.compare_constraints(subject, what, name, old[1], new[1], ctx)
        else:
            self.compare_type(subject, what, name, _constrain(*old), _constrain(*new), ctx)

    def compare_constraints(
        self, subject: tuple[str, str], what: str, name: str, old: Constraints, new: Constraints, ctx: Context
    ) -> None:
        """Inputs may loosen their constraints, outputs may tighten them."""
        if old == new:
            return
        ok = constraints_sub(old, new) if ctx == "request" else constraints_sub(new, old)
        pre, names = _prefix(what, name)
        args = (*names, _constraints(old), _constraints(new))
        if ok:
            kind = "constraints-relaxed" if ctx == "request" else "constraints-tightened"
            self.add("additive", kind, subject, pre + "constraints {} → {}", *args)
        else:
            self.add("breaking", "constraints-changed", subject, pre + "constraints {} → {} (" + ctx + ")", *args)

    def compare_docs(self, subject: tuple[str, str], what: str, old: str | None, new: str | None, *name: str) -> None:
        """``what`` is our text, with a ``{}`` slot for each spec ``name``."""
        if not _unchanged(old, new):
            self.add("patch", "description-changed", subject, (what + " " if what else "") + "description changed", *name)

    def compare_deprecated(self, subject: tuple[str, str], what: str, old: bool, new: bool, *name: str) -> None:
        if old and not new:
            self.add("patch", "undeprecated", subject, (what + " " if what else "") + "no longer deprecated", *name)
        elif new and not old:
            self.add("additive", "deprecated", subject, (what + " " if what else "") + "deprecated", *name)

    # ---------------------------------------------------------------- fields
    def compare_fields(
        self, subject: tuple[str, str], old: Sequence[FieldDecl], new: Sequence[FieldDecl], ctx: Context
    ) -> None:
        """Fields by wire name. Requests: a field removed, made required or added as
        required is breaking. Responses: a field removed or made optional is breaking;
        new fields, required or not, are additive."""
        olds = {f.wire_name: f for f in old}
        news = {f.wire_name: f for f in new}
        for wire in sorted(set(olds) - set(news)):
            self.add("breaking", "field-removed", subject, "field {} removed", wire)
        for wire in sorted(set(news) - set(olds)):
            f = news[wire]
            if ctx == "request" and f.required and not f.has_default:
                self.add("breaking", "required-field-added", subject, "required field {} added to a request", wire)
            else:
                kind = "required" if f.required else "optional"
                self.add("additive", "field-added", subject, kind + " field {} added", wire)
        for wire in sorted(set(olds) & set(news)):
            self.compare_field(subject, olds[wire], news[wire], ctx)

    def compare_field(self, subject: tuple[str, str], o: FieldDecl, n: FieldDecl, ctx: Context) -> None:
        wire = o.wire_name
        if o.name != n.name:
            self.add("breaking", "field-renamed", subject, "field {} renamed in Python: {} → {}", wire, o.name, n.name)
        if o.required != n.required:
            if n.required and ctx == "request":
                self.add("breaking", "made-required", subject, "field {} made required in a request", wire)
            elif not n.required and ctx == "response":
                self.add("breaking", "made-optional", subject, "field {} made optional in a response", wire)
            else:
                now = "required" if n.required else "optional"
                self.add("additive", "requiredness-changed", subject, "field {} made " + now + " in a " + ctx, wire)
        self.compare_typed(subject, "field", wire, (o.type, o.constraints), (n.type, n.constraints), ctx)
        if o.has_default != n.has_default or (o.has_default and _str(o.default) != _str(n.default)):
            self.add("additive", "default-changed", subject, "field {}: default {} → {}", wire, _default(o.default), _default(n.default))
        self.compare_deprecated(subject, "field {}", o.deprecated, n.deprecated, wire)
        self.compare_docs(subject, "field {}", o.description, n.description, wire)

    # ----------------------------------------------------------------- decls
    def compare_decls(self) -> None:
        """Models and aliases by import path; a declaration built from the same schema
        under another name is reported as renamed (breaking)."""
        olds = {qualname(d): d for d in self.old.decls.values()}
        news = {qualname(d): d for d in self.new.decls.values()}
        gone = sorted(set(olds) - set(news))
        fresh = sorted(set(news) - set(olds))
        new_by_key = {news[q].key: news[q] for q in fresh}
        for q in gone:
            d = olds[q]
            subject = (_subject_kind(d), decl_label(self.old, d))
            renamed = new_by_key.pop(d.key, None)
            if renamed is not None:
                label = decl_label(self.new, renamed)
                self.add("breaking", "renamed", subject, "renamed to {} (module {})", label, renamed.module)
                self.compare_decl(d, renamed)
            else:
                self.add("breaking", "removed", subject, "removed (" + _what(d) + " in module {})", d.module)
        for d in sorted(new_by_key.values(), key=qualname):
            subject = (_subject_kind(d), decl_label(self.new, d))
            self.add("additive", "added", subject, "added (" + _what(d) + " in module {})", d.module)
        for q in sorted(set(olds) & set(news)):
            self.compare_decl(olds[q], news[q])

    def compare_decl(self, o: Decl, n: Decl) -> None:
        subject = (_subject_kind(n), decl_label(self.new, n))
        if type(o) is not type(n) or o.shape != n.shape:
            self.add("breaking", "kind-changed", subject, "changed from a " + _what(o) + " to a " + _what(n))
            return
        ctx: Context = n.shape
        self.compare_deprecated(subject, "", o.deprecated, n.deprecated)
        self.compare_docs(subject, "", o.description, n.description)
        if _str(o.examples) != _str(n.examples):
            self.add("patch", "examples-changed", subject, "examples changed")
        if isinstance(o, ModelDecl) and isinstance(n, ModelDecl):
            self.compare_fields(subject, o.fields, n.fields, ctx)
            old_bases = {qualname(self.old.decls[b]) for b in o.bases}
            new_bases = {qualname(self.new.decls[b]) for b in n.bases}
            for b in sorted(old_bases - new_bases):
                self.add("breaking", "base-removed", subject, "no longer inherits {}", b)
            for b in sorted(new_bases - old_bases):
                self.add("additive", "base-added", subject, "now inherits {}", b)
            if o.extra != n.extra:
                level: ChangeLevel = "breaking" if n.extra == "forbid" else "additive"
                self.add(level, "extra-changed", subject, "unknown fields now " + ("rejected" if n.extra == "forbid" else "allowed"))
            elif n.extra == "allow":
                self.compare_type(subject, "additional properties", "", o.extra_type or ANY, n.extra_type or ANY, ctx)
        elif isinstance(o, AliasDecl) and isinstance(n, AliasDecl):
            if o.kind != n.kind:
                self.add("breaking", "kind-changed", subject, "changed from a " + _what(o) + " to a " + _what(n))
            ou, nu = _discriminator(o.type), _discriminator(n.type)
            if ou != nu:
                self.add("breaking", "discriminator-changed", subject, "discriminator {} → {}", ou or "none", nu or "none")
            self.compare_type(subject, "", "", o.type, n.type, ctx)

    # ------------------------------------------------------------ operations
    def compare_operations(self) -> None:
        """Operations by (method, path with parameter names blanked), then by SDK method.
        A removed operation, a renamed SDK method and a moved endpoint are breaking."""
        olds = list(self.old.operations)
        news = list(self.new.operations)
        by_route = {(op.method, _norm_path(op.path)): op for op in news}
        by_sdk = {op.sdk_path: op for op in news}
        pairs: list[tuple[OperationDecl, OperationDecl]] = []
        matched: set[int] = set()
        unmatched: list[OperationDecl] = []
        for op in olds:
            n = by_route.get((op.method, _norm_path(op.path)))
            if n is None or id(n) in matched:
                n = by_sdk.get(op.sdk_path)
            if n is None or id(n) in matched:
                unmatched.append(op)
                continue
            matched.add(id(n))
            pairs.append((op, n))
        for op in unmatched:
            self.add("breaking", "removed", ("operation", op.sdk_path), "removed ({})", f"{op.method} {op.path}")
        for n in news:
            if id(n) not in matched:
                self.add("additive", "added", ("operation", n.sdk_path), "added ({})", f"{n.method} {n.path}")
        for o, n in pairs:
            self.compare_operation(o, n)

    def compare_operation(self, o: OperationDecl, n: OperationDecl) -> None:
        subject = ("operation", n.sdk_path)
        if o.sdk_path != n.sdk_path:
            self.add("breaking", "renamed", subject, "renamed from {}", o.sdk_path)
        if o.name != n.name:
            self.add("breaking", "builder-renamed", subject, "request builder renamed {} → {}", o.name, n.name)
        if (o.method, _norm_path(o.path)) != (n.method, _norm_path(n.path)):
            self.add("breaking", "moved", subject, "endpoint moved from {} to {}", f"{o.method} {o.path}", f"{n.method} {n.path}")
        self.compare_params(subject, o.params, n.params)
        self.compare_body(subject, o, n)
        self.compare_success(subject, o.success, n.success)
        op_, np_ = o.pagination, n.pagination
        if (op_ is None) != (np_ is None):
            self.add("breaking", "pagination-changed", subject, "now returns " + ("a page" if np_ else "a single response") + " instead of " + ("a page" if op_ else "a single response"))
        elif op_ is not None and np_ is not None:
            if op_.page.name != np_.page.name:
                self.add("breaking", "pagination-changed", subject, "page class {} → {}", op_.page.name, np_.page.name)
            elif op_.page != np_.page:
                self.add("patch", "pagination-fields-changed", subject, "pagination fields changed")
        errors_o = sorted(f"{r.status} {self.tstr(self.old, r.type)}" for r in o.responses if r is not o.success)
        errors_n = sorted(f"{r.status} {self.tstr(self.new, r.type)}" for r in n.responses if r is not n.success)
        if errors_o != errors_n:
            self.add("patch", "error-responses-changed", subject, "error responses changed: {} → {}", ", ".join(errors_o) or "none", ", ".join(errors_n) or "none")
        self.compare_deprecated(subject, "", o.deprecated, n.deprecated)
        if not (_unchanged(o.summary, n.summary) and _unchanged(o.description, n.description)):
            self.add("patch", "description-changed", subject, "summary or description changed")

    def compare_params(self, subject: tuple[str, str], old: Sequence[ParamDecl], new: Sequence[ParamDecl]) -> None:
        """Parameters by location and wire name, as request inputs. Parameters with a
        ``const`` value are sent by the client itself, so their changes are patch-level."""
        olds = {(p.location, p.wire_name): p for p in old}
        news = {(p.location, p.wire_name): p for p in new}
        for key in sorted(set(olds) | set(news)):
            o, n = olds.get(key), news.get(key)
            label = f"{key[0]} parameter"
            if (o is None or o.const is not MISSING) and (n is None or n.const is not MISSING):
                if o is None or n is None or _str(o.const) != _str(n.const):
                    if n is None:
                        self.add("patch", "fixed-param-changed", subject, "fixed " + label + " {} no longer sent", key[1])
                    else:
                        self.add("patch", "fixed-param-changed", subject, "fixed " + label + " {} now sent as {}", key[1], _str(n.const))
                continue
            if o is None or o.const is not MISSING:
                assert n is not None
                if n.required and n.default is MISSING:
                    self.add("breaking", "required-param-added", subject, "new required " + label + " {}", key[1])
                else:
                    self.add("additive", "param-added", subject, "new optional " + label + " {}", key[1])
                continue
            if n is None or n.const is not MISSING:
                self.add("breaking", "param-removed", subject, label + " {} removed", key[1])
                continue
            self.compare_param(subject, label, o, n)

    def compare_param(self, subject: tuple[str, str], label: str, o: ParamDecl, n: ParamDecl) -> None:
        wire = o.wire_name
        if o.name != n.name:
            self.add("breaking", "param-renamed", subject, label + " {} renamed in Python: {} → {}", wire, o.name, n.name)
        if o.required != n.required:
            if n.required:
                self.add("breaking", "made-required", subject, label + " {} made required", wire)
            else:
                self.add("additive", "requiredness-changed", subject, label + " {} made optional", wire)
        self.compare_typed(subject, label, wire, (o.type, o.constraints), (n.type, n.constraints), "request")
        if _str(o.default) != _str(n.default):
            self.add("additive", "default-changed", subject, label + " {}: default {} → {}", wire, _default(o.default), _default(n.default))
        if (o.style, o.explode) != (n.style, n.explode):
            self.add("additive", "serialization-changed", subject, label + " {}: serialised differently", wire)
        self.compare_deprecated(subject, label + " {}", o.deprecated, n.deprecated, wire)
        self.compare_docs(subject, label + " {}", o.description, n.description, wire)

    def compare_body(self, subject: tuple[str, str], o: OperationDecl, n: OperationDecl) -> None:
        """The request body is an input: removing it, adding a required one or making it
        required is breaking. A body with a params TypedDict is compared as that model."""
        ob, nb = o.body, n.body
        if ob is None and nb is None:
            return
        if ob is None:
            assert nb is not None
            level: ChangeLevel = "breaking" if nb.required else "additive"
            self.add(level, "body-added", subject, ("required" if nb.required else "optional") + " request body added")
            return
        if nb is None:
            self.add("breaking", "body-removed", subject, "request body removed")
            return
        if nb.required and not ob.required:
            self.add("breaking", "made-required", subject, "request body made required")
        elif ob.required and not nb.required:
            self.add("additive", "requiredness-changed", subject, "request body made optional")
        if ob.media_type != nb.media_type:
            self.add("additive", "media-type-changed", subject, "request body sent as {} instead of {}", nb.media_type, ob.media_type)
        if ob.params_key and nb.params_key:
            on, nn = self.old.decls[ob.params_key], self.new.decls[nb.params_key]
            if qualname(on) != qualname(nn):
                self.add("breaking", "body-type-changed", subject, "request body type {} → {}", on.name, nn.name)
        elif ob.params_key is None and nb.params_key is None and ob.fields and nb.fields:
            self.compare_fields(subject, ob.fields, nb.fields, "request")
        else:
            self.compare_type(subject, "request body", "", ob.type, nb.type, "request")
        self.compare_docs(subject, "request body", ob.description, nb.description)

    def compare_success(self, subject: tuple[str, str], o: ResponseDecl | None, n: ResponseDecl | None) -> None:
        """The return type is an output: it may narrow, never widen."""
        ot = o.type if o is not None and o.type is not None else Prim("None")
        nt = n.type if n is not None and n.type is not None else Prim("None")
        if ot == Prim("None") and nt != Prim("None"):
            self.add("additive", "returns-value", subject, "now returns {}", self.tstr(self.new, nt))
        elif nt == Prim("None") and ot != Prim("None"):
            self.add("breaking", "returns-nothing", subject, "no longer returns {}", self.tstr(self.old, ot))
        else:
            self.compare_type(subject, "response body", "", ot, nt, "response")
        if o is not None and n is not None:
            if o.streaming != n.streaming:
                self.add("breaking", "streaming-changed", subject, "response " + ("now" if n.streaming else "no longer") + " streamed")
            if o.status != n.status:
                self.add("patch", "status-changed", subject, "success status {} → {}", o.status, n.status)

    # ------------------------------------------------------------------- api
    def compare_api(self) -> None:
        subject = ("api", self.new.title)
        o, n = self.old, self.new
        if o.title != n.title:
            self.add("patch", "title-changed", subject, "title changed from {}", o.title)
        self.compare_docs(subject, "the API", o.description, n.description)
        old_urls = [s.url for s in o.servers]
        new_urls = [s.url for s in n.servers]
        if old_urls[:1] != new_urls[:1]:
            self.add("additive", "server-changed", subject, "default base URL {} → {}", (old_urls or ["none"])[0], (new_urls or ["none"])[0])
        elif old_urls != new_urls:
            self.add("patch", "servers-changed", subject, "server list changed")


def _strip_lit(t: TypeExpr) -> TypeExpr:
    """The type with its Literal values replaced by their primitive (for a second look)."""
    if isinstance(t, Nullable):
        return Nullable(_strip_lit(t.inner))
    if isinstance(t, Lit):
        return Prim("Literal[...]")
    return t


def type_text(api: API, t: TypeExpr | None) -> str:
    """The reference docs' notation (``render.pytypes.doc_type``), with the constraints
    nested types carry shown as ``Annotated[str, max_length=64]``."""
    return doc_type(api, t, _constraints)


def _prefix(what: str, name: str) -> tuple[str, tuple[str, ...]]:
    """``field `user`: `` (a slot for the spec name), ``request body: `` or nothing."""
    if name:
        return f"{what} {{}}: ", (name,)
    return (f"{what}: " if what else ""), ()


def _constrain(t: TypeExpr, c: Constraints) -> TypeExpr:
    return Constrained(t, c) if c else t


def _subject_kind(decl: Decl) -> str:
    return "model" if isinstance(decl, ModelDecl) else "alias"


def _what(decl: Decl) -> str:
    if isinstance(decl, ModelDecl):
        return "TypedDict" if decl.shape == "request" else "model"
    return decl.kind


def _discriminator(t: TypeExpr) -> str | None:
    return t.discriminator if isinstance(t, UnionOf) else None


def _default(value: JsonValue) -> str:
    return "none" if value is MISSING else _str(value)


def _constraints(c: Constraints) -> str:
    if c == NO_CONSTRAINTS:
        return "none"
    return ", ".join(f"{k}={v!r}" for k, v in c.items())


# ---------------------------------------------------------------------- versions


def suggest_bump(changes: Iterable[Change], old_version: str, spec_changed: bool) -> Bump:
    """Breaking → major, additive → minor, patch → patch; below 1.0.0 one place down."""
    levels = {c.level for c in changes}
    zero = _release(old_version)[0] == 0 if _release(old_version) else False
    if "breaking" in levels:
        return "minor" if zero else "major"
    if "additive" in levels:
        return "patch" if zero else "minor"
    if levels or spec_changed:
        return "patch"
    return "none"


def _release(version: str) -> tuple[int, ...]:
    from packaging.version import InvalidVersion, Version

    try:
        v = Version(version)
    except InvalidVersion:
        return ()
    if v.local is not None:  # a non-PEP 440 info.version (see render.package._pep440)
        return ()
    return (*v.release, 0, 0)[:3]


def next_version(version: str, bump: Bump) -> str | None:
    """The smallest release that satisfies ``bump`` after ``version`` (None if unparsable)."""
    rel = _release(version)
    if not rel:
        return None
    major, minor, patch = rel
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def version_reaches(new_version: str, suggested: str | None) -> bool | None:
    from packaging.version import InvalidVersion, Version

    if suggested is None:
        return None
    try:
        return Version(new_version) >= Version(suggested)
    except InvalidVersion:
        return None


# ------------------------------------------------------------------- the command


def load_api(spec: str | Path) -> API:
    """Build the IR of ``spec``: a file, or ``REV:PATH`` for a file in git (``HEAD:spec/chatkit.yaml``)."""
    from ..ir.build import build_api
    from ..load.document import load_document, load_text

    path = Path(spec)
    if path.is_file():
        return build_api(load_document(path, str(spec)))
    rev, sep, rel = str(spec).partition(":")
    if sep and rev and rel:
        proc = subprocess.run(
            ["git", "show", f"{rev}:{rel}"],
            capture_output=True,
            check=False,
        )
        if proc.returncode == 0:
            text = proc.stdout.decode("utf-8")
            return build_api(load_text(text, Path(rel), str(spec)))
        reason = " ".join(proc.stderr.decode("utf-8", "replace").split()) or "git show failed"
        raise CodegenError([Problem(str(spec), 1, 1, Level.ERROR, "", f"cannot read from git: {reason}")])
    raise CodegenError([Problem(str(spec), 1, 1, Level.ERROR, "", "no such file")])


def diff_apis(old: Side, new: Side) -> Report:
    from ..render.package import _pep440

    changes = tuple(Differ(old.api, new.api).run())
    old_version, new_version = _pep440(old.api.version), _pep440(new.api.version)
    bump = suggest_bump(changes, old_version, old.api.spec_sha256 != new.api.spec_sha256)
    suggested = next_version(old_version, bump)
    return Report(
        old=old,
        new=new,
        changes=changes,
        bump=bump,
        old_version=old_version,
        new_version=new_version,
        suggested_version=suggested,
        version_ok=version_reaches(new_version, suggested),
    )


def run_diff(old: Path, new: Path, fmt: str = "text", fail_on: str = "never") -> int:
    from .diff_report import render_report

    report = diff_apis(Side(str(old), load_api(old)), Side(str(new), load_api(new)))
    print(render_report(report, fmt), end="")
    if fail_on == "breaking" and report.count("breaking"):
        return 1
    if fail_on == "any" and report.changes:
        return 1
    return 0
