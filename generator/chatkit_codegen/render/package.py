"""Assemble the whole output tree: the installable package, its types, and the docs.

Each renderer is a function ``(RenderContext) -> {relative path: text}``; the tree
is their union. Paths are built from sanitised module names only.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import jinja2

from ..config import Config
from ..ir.model import API, MISSING, ModelDecl
from .models import ModelRenderer
from .pyfmt import Node, layout, py_str
from .pytypes import Imports


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=True)


def _pep440(version: str) -> str:
    """``info.version`` as a PEP 440 version; anything else becomes a local label."""
    import re

    if re.fullmatch(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?", version):
        return version
    safe = re.sub(r"[^A-Za-z0-9.]", ".", version).strip(".") or "0"
    return f"0.0.0+{safe}"


@dataclass(frozen=True)
class PackageView:
    name: str
    dist_name: str
    version: str
    title: str
    description: str
    spec_name: str
    spec_sha256: str
    example_model: str
    client_name: str | None = None  # None when the API has no operations (models only)
    api_key_env: str = ""
    example_call: str | None = None  # an SDK method callable without arguments
    streaming: bool = False  # an operation answers with text/event-stream (httpx-sse)
    license: str | None = None  # SPDX expression from info.license.identifier

    @property
    def license_toml(self) -> str:
        return _toml_str(self.license or "")

    @property
    def version_literal(self) -> str:
        return py_str(self.version)

    @property
    def version_toml(self) -> str:
        return _toml_str(self.version)

    @property
    def name_toml(self) -> str:
        return _toml_str(self.name)

    @property
    def dist_name_toml(self) -> str:
        return _toml_str(self.dist_name)

    @property
    def description_toml(self) -> str:
        return _toml_str(self.description)

    @property
    def title_md(self) -> str:
        from .markdown import md_text

        return md_text(self.title)


@dataclass
class RenderContext:
    api: API
    cfg: Config
    env: jinja2.Environment
    header: str
    package: PackageView
    root_exports: list[tuple[str, str]] = field(default_factory=list)  # (module, name)

    @property
    def pkg(self) -> str:
        return self.cfg.package_name

    def render(self, template: str, **context: object) -> str:
        return self.env.get_template(template).render(header=self.header, package=self.package, **context)


def package_view(api: API, cfg: Config) -> PackageView:
    # sorted: the README must not depend on the order of components in the document
    tops = sorted(d.name for d in api.decls.values() if isinstance(d, ModelDecl) and d.owner is None and d.shape == "response")
    return PackageView(
        name=cfg.package_name,
        dist_name=cfg.package_name.replace("_", "-"),
        version=_pep440(api.version),
        title=api.title,
        description=f"Typed Python bindings for {' '.join(api.title.split())}"[:200],
        spec_name=api.spec_name.rsplit("/", 1)[-1],
        spec_sha256=api.spec_sha256,
        example_model=tops[0] if tops else "BaseModel",
        client_name=cfg.client_name if api.operations and _has_client() else None,
        api_key_env=cfg.api_key_env,
        example_call=_example_call(api),
        license=api.license,
        streaming=any(op.success is not None and op.success.streaming for op in api.operations) and _has_client(),
    )


def _has_client() -> bool:
    return any(r.__name__ == "render_client" for r in renderers())


def _example_call(api: API) -> str | None:
    """The first GET operation that needs no argument, for the README's quick start."""
    for op in api.operations:
        required = [p for p in op.params if p.required and p.const is MISSING]
        if op.method == "GET" and not required and not (op.body and op.body.required):
            return op.sdk_path
    return None


def render_types(ctx: RenderContext) -> dict[str, str]:
    pkg = ctx.pkg
    out: dict[str, str] = {}
    renderer = ModelRenderer(ctx.api, ctx.header)
    template = ctx.env.get_template("models/model_module.py.jinja")
    init = Imports()
    names = []
    for module in ctx.api.modules:
        view = renderer.module(module)
        out[f"{pkg}/types/{module.name}.py"] = template.render(m=view)
        top = ctx.api.decls[module.top]
        init.add_reexport(f".{module.name}", top.name)
        names.append(top.name)
    out[f"{pkg}/types/__init__.py"] = ctx.render("models/types_init.py.jinja", imports=init.lines())
    return out


def render_base(ctx: RenderContext) -> dict[str, str]:
    pkg = ctx.pkg
    out = {
        "pyproject.toml": ctx.render("package/pyproject.toml.jinja"),
        "README.md": ctx.render("package/README.md.jinja", header_comment=_md_comment(ctx.header)),
        f"{pkg}/py.typed": "",
        f"{pkg}/_version.py": ctx.render("package/_version.py.jinja"),
        f"{pkg}/_models.py": ctx.render("package/_models.py.jinja"),
    }
    return out


def _md_comment(header: str) -> str:
    """The ``# Generated by ...`` header as an HTML comment (no ``--`` inside)."""
    import re

    return "<!-- " + re.sub(r"-{2,}", "-", header.lstrip("# ")) + " -->"


def render_root_init(ctx: RenderContext) -> dict[str, str]:
    imports = Imports()
    imports.add("._version", "__version__")
    names = ["__version__"]
    for module, name in sorted(ctx.root_exports):
        imports.add_reexport(module, name)
        names.append(name)
    all_lines = layout("__all__ = ", Node("", "[", [py_str(n) for n in names], "]"), "", 0)
    return {
        f"{ctx.pkg}/__init__.py": ctx.render(
            "package/__init__.py.jinja", imports=imports.lines(), all_lines=all_lines
        )
    }


Renderer = Callable[[RenderContext], dict[str, str]]


def renderers() -> list[Renderer]:
    """Every renderer, in order; the root ``__init__`` comes last to collect exports."""
    found: list[Renderer] = [render_base, render_types]
    try:
        from .client import render_client
    except ImportError:
        pass
    else:
        found.append(render_client)
    try:
        from .docs import render_docs
    except ImportError:
        pass
    else:
        found.append(render_docs)
    found.append(render_root_init)
    return found


def header_line(api: API) -> str:
    """The first line of every generated Python file."""
    import re
    from pathlib import Path

    from .. import __version__

    name = re.sub(r"[^A-Za-z0-9._-]", "_", Path(api.spec_name).name) or "spec"
    return (
        f"# Generated by chatkit-codegen {__version__} from {name} "
        f"(sha256 {api.spec_sha256[:16]}). Do not edit."
    )


def render_package(api: API, cfg: Config, env: jinja2.Environment) -> dict[str, str]:
    ctx = RenderContext(api=api, cfg=cfg, env=env, header=header_line(api), package=package_view(api, cfg))
    files: dict[str, str] = {}
    for renderer in renderers():
        for path, text in renderer(ctx).items():
            if path in files:
                raise ValueError(f"two renderers wrote {path}")
            files[path] = text
    return files
