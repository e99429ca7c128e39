"""Model modules under ``types/``: view records computed here, printed by templates."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..ir.model import (
    API,
    AliasDecl,
    FieldDecl,
    ModelDecl,
    Module,
    Nullable,
)
from .model_overrides import override_comment
from .pyfmt import Node, assignment, docstring, kw, layout, literal_node, py_str
from .pytypes import Imports, TypePrinter


@dataclass
class FieldView:
    lines: list[str]
    doc: list[str]


@dataclass
class DeclView:
    kind: str  # "model" | "typeddict" | "typeddict_functional" | "alias"
    name: str
    bases: str
    doc: list[str]
    config: list[str] = field(default_factory=list)
    head: list[str] = field(default_factory=list)  # "class Name(bases):", laid out
    fields: list[FieldView] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # alias or functional TypedDict


@dataclass
class ModuleView:
    header: str
    imports: list[list[str]]
    all_lines: list[str]
    decls: list[DeclView]
    tail: list[str]


def field_doc(f: FieldDecl) -> str | None:
    text = f.description or ""
    if f.deprecated:
        text = (text + "\n\n" if text else "") + "Deprecated."
    return text or None


def _is_functional_typeddict(decl: ModelDecl) -> bool:
    import keyword

    # The class form writes f.name as the key: only right when it is the wire name.
    return any(
        f.name != f.wire_name or keyword.iskeyword(f.wire_name) or not f.wire_name.isascii()
        for f in decl.fields
    )


class ModelRenderer:
    def __init__(self, api: API, header: str) -> None:
        self.api = api
        self.header = header

    def module(self, module: Module) -> ModuleView:
        imports = Imports()
        # TypedDicts need evaluated annotations: ``Required[...]`` inside a string is
        # invisible to ``__required_keys__``. Their forward references are quoted instead.
        typed_dicts = self.api.decls[module.top].shape == "request"
        if not typed_dicts:
            imports.add("__future__", "annotations")
        printer = TypePrinter(self.api, module.name, imports)
        printer.lazy_modules = module.cyclic_imports
        defined: set[str] = set()
        pending = set(module.decls)
        printer.quoted = set(pending)
        views: list[DeclView] = []
        rebuild: list[str] = []
        for key in module.decls:
            decl = self.api.decls[key]
            if isinstance(decl, ModelDecl):
                view = self._model(decl, printer, imports)
                if decl.shape == "response" and module.cyclic_imports:
                    rebuild.append(decl.name)
            else:
                view = self._alias(decl, printer, imports)
            views.append(view)
            defined.add(key)
            printer.quoted.discard(key)
        names = [self.api.decls[k].name for k in module.decls]
        tail: list[str] = []
        if module.cyclic_imports:
            for dep in sorted(module.cyclic_imports):
                used = sorted(
                    {
                        d.name
                        for d in self.api.decls.values()
                        if d.module == dep and _mentions(self.api, module, d.key)
                    }
                )
                if used:
                    tail.append(f"from .{dep} import {', '.join(used)}  # noqa: E402")
            if tail and rebuild:
                tail.append("")  # black separates an import block from what follows
            tail.extend(f"{name}.model_rebuild()" for name in rebuild)
        all_node = Node("", "[", [py_str(n) for n in names], "]")
        return ModuleView(
            header=self.header,
            imports=imports.lines(),
            all_lines=layout("__all__ = ", all_node, "", 0),
            decls=views,
            tail=tail,
        )

    def _model(self, decl: ModelDecl, printer: TypePrinter, imports: Imports) -> DeclView:
        if decl.shape == "request":
            return self._typeddict(decl, printer, imports)
        bases = [printer.name(b) for b in decl.bases] or ["BaseModel"]
        if not decl.bases:
            imports.add(".._models", "BaseModel")
        config = []
        if decl.extra == "forbid":
            imports.add("pydantic", "ConfigDict")
            config.append('model_config = ConfigDict(extra="forbid")')
        fields = []
        if decl.extra_type is not None and decl.extra == "allow":
            # pydantic types the extra fields through this annotation.
            imports.add("typing", "Dict")
            imports.add("pydantic", "Field")
            extra = printer.node(decl.extra_type)
            lines = layout("__pydantic_extra__: ", Node("Dict", "[", ["str", extra], "]"), ' = Field(init=False)', 4)
            fields.append(FieldView(lines=[line[4:] for line in lines], doc=docstring("Additional properties.", 4)))
        for f in decl.fields:
            annotation = printer.node(f.type)
            extra_items: list[Node | str] = []
            value: Node | str | None = None
            if not f.required:
                if f.has_default and f.default is not None:
                    default = literal_node(f.default)
                else:
                    default = "None"
                    if not isinstance(f.type, Nullable):
                        annotation = printer.node(Nullable(f.type))
                extra_items.append(kw("default", default))
            if f.name != f.wire_name:
                extra_items.append(kw("alias", py_str(f.wire_name)))
            if f.constraints or f.name != f.wire_name:
                value = printer.field_call(f.constraints, extra_items)  # type: ignore[arg-type]
            elif extra_items:
                value = extra_items[0].items[0] if isinstance(extra_items[0], Node) else extra_items[0]
            fields.append(self._field_lines(f, annotation, value, override_comment(self.api, decl, f)))
        doc_text = decl.description
        if decl.deprecated:
            doc_text = (doc_text + "\n\n" if doc_text else "") + "Deprecated."
        return DeclView(
            kind="model",
            name=decl.name,
            head=_class_head(decl.name, bases),
            bases=", ".join(bases),
            doc=docstring(doc_text, 4),
            config=config,
            fields=fields,
        )

    def _field_lines(
        self, f: FieldDecl, annotation: Node | str, value: Node | str | None, comment: str | None
    ) -> FieldView:
        if value is None:
            lines = layout(f"{f.name}: ", annotation, "", 4)
        else:
            lines = assignment(f.name, annotation, value, 4)
        return FieldView(lines=_with_comment([line[4:] for line in lines], comment), doc=docstring(field_doc(f), 4))

    def _typeddict(self, decl: ModelDecl, printer: TypePrinter, imports: Imports) -> DeclView:
        doc_text = decl.description
        if _is_functional_typeddict(decl) or not decl.bases:
            imports.add("typing_extensions", "TypedDict")
        if _is_functional_typeddict(decl):
            entries: list[Node | str] = []
            for f in decl.fields:
                ann = self._td_annotation(f, printer, imports)
                entries.append(Node(f"{py_str(f.wire_name)}: ", "", [ann], "", atom=True))
            call = Node(
                "TypedDict",
                "(",
                [py_str(decl.name), Node("", "{", entries, "}"), kw("total", "False")],
                ")",
            )
            return DeclView(
                kind="typeddict_functional",
                name=decl.name,
                bases="",
                doc=docstring(doc_text, 0),
                lines=layout(f"{decl.name} = ", call, "", 0),
            )
        bases = [printer.name(b) for b in decl.bases] or ["TypedDict"]
        fields = []
        for f in decl.fields:
            ann = self._td_annotation(f, printer, imports)
            lines = _with_comment([line[4:] for line in layout(f"{f.name}: ", ann, "", 4)], override_comment(self.api, decl, f))
            fields.append(FieldView(lines=lines, doc=docstring(field_doc(f), 4)))
        return DeclView(
            kind="typeddict",
            name=decl.name,
            head=_class_head(decl.name, [*bases, "total=False"]),
            bases=", ".join(bases) + ", total=False",
            doc=docstring(doc_text, 4),
            fields=fields,
        )

    def _td_annotation(self, f: FieldDecl, printer: TypePrinter, imports: Imports) -> Node | str:
        ann = printer.node(f.type, eager=True)
        if f.required:
            imports.add("typing_extensions", "Required")
            return Node("Required", "[", [ann], "]")
        return ann

    def _alias(self, decl: AliasDecl, printer: TypePrinter, imports: Imports) -> DeclView:
        imports.add("typing_extensions", "TypeAlias")
        node = printer.node(decl.type, eager=True)
        return DeclView(
            kind="alias",
            name=decl.name,
            bases="",
            doc=docstring(decl.description, 0),
            lines=assignment(decl.name, "TypeAlias", node, 0),
        )


def _with_comment(lines: list[str], comment: str | None) -> list[str]:
    """``comment`` at the end of the first line, where mypy reports a field's statement."""
    if comment is None or not lines:
        return lines
    return [f"{lines[0]}  {comment}", *lines[1:]]


def _mentions(api: API, module: Module, key: str) -> bool:
    from ..ir.build import decl_refs

    return any(key in decl_refs(api.decls[k]) for k in module.decls)


def _class_head(name: str, bases: list[str]) -> list[str]:
    """``class name(bases):`` as black prints it."""
    return layout("class ", Node(name, "(", list(bases), ")"), ":", 0)
