"""Build the IR from a loaded document: names, shapes, types, modules, operations.

One pass over components decides every top-level name (sorted, so reordering the
document never renames anything); declarations are then built on demand through a
worklist, each ``$ref`` target once per shape. Inline object schemas become nested
classes named from their owner and property (or their ``x-sdk-name``); inline
schemas inside an operation become top-level declarations named from it.

Where each part of a document is read: one layer per module of ``readers/``, each
using those listed before it; ``Builder.build`` below runs them in order.

=================  ==============================================================
``base``           shared state, notes and errors, ``$ref`` resolution
``schema``         pure readings: ``type``, ``description``, ``example(s)``, what
                   is an object
``usage``          which components requests and responses reach (the shapes)
``names``          class and module names, ``x-sdk-name``
``constraints``    ``minimum``/``maximum``, ``exclusive*``, ``*Length``,
                   ``*Items``, ``pattern``, ``multipleOf``
``declarations``   one declaration per named schema and shape
``objects``        ``properties``, ``required``, ``allOf``,
                   ``additionalProperties``, ``readOnly``/``writeOnly``,
                   ``default``
``unions``         ``oneOf``, ``anyOf``, ``discriminator``
``types``          ``$ref``, ``const``, ``enum``, ``nullable``, ``format``,
                   ``items``, ``prefixItems``, ``propertyNames``
``parameters``     ``parameters``: ``in``, ``style``, ``explode``, ``examples``
``bodies``         ``requestBody``, ``responses``, ``content``
``operations``     ``operationId``, ``tags``, ``x-sdk-method``,
                   ``x-sdk-pagination``
``security``       ``security``, ``components.securitySchemes``
``keywords``       unknown keywords, 3.0 keywords in 3.1, a ``required`` name twice
``soundness``      afterwards: discriminators that hold, defaults that fit
``ordering``       module layout: dependency order, import cycles
``../events``      ``webhooks``, ``callbacks`` (payloads read like responses),
                   ``links``
``../ignored``     what nothing generated uses, reported as notes
=================  ==============================================================
"""

from __future__ import annotations

from ..errors import CodegenError
from ..load.document import Document
from ..load.walk import iter_operations
from .events import build_events, build_links
from .ignored import ignored_constructs
from .model import API, Server
from .readers.operations import OperationsLayer
from .readers.ordering import decl_refs, modules_of, refs_in
from .readers.schema import COMPONENT_PREFIX, license_of
from .readers.security import SecurityLayer
from .readers.soundness import Soundness

__all__ = ["Builder", "build_api", "decl_refs", "refs_in"]


class Builder(OperationsLayer, SecurityLayer):
    def build(self) -> API:
        self._analyse_usage()
        self._assign_top_names()
        for key in sorted(self.top_names):
            if self._ptr_of(key).startswith(COMPONENT_PREFIX):
                self._ensure(key)
        operations = self._operations()
        events = build_events(self)
        for pointer, note in ignored_constructs(self.data):
            self._note(pointer, note)
        auth = self._auth()
        while self.pending:
            self._ensure(self.pending.pop())
        operations = Soundness(self.decls, self._warn).run(operations)
        self._unshadow()
        if self.errors:
            raise CodegenError(self.errors)
        info = self.data.get("info")
        info = info if isinstance(info, dict) else {}
        servers = tuple(
            Server(str(s.get("url", "")), s.get("description"))
            for s in _list(self.data.get("servers"))
            if isinstance(s, dict)
        )
        tags = tuple(
            (str(t.get("name")), t.get("description"))
            for t in _list(self.data.get("tags"))
            if isinstance(t, dict) and "name" in t
        )
        return API(
            title=str(info.get("title", "API")),
            version=str(info.get("version", "0.0.0")),
            description=info.get("description"),
            openapi=self.version,
            servers=servers,
            decls=dict(sorted(self.decls.items())),
            modules=modules_of(self.decls, self.members, self.module_top),
            operations=tuple(operations),
            pages=tuple(self.pages[name] for name in sorted(self.pages)),
            tags=tags,
            spec_name=self.doc.display_name,
            spec_sha256=self.doc.sha256,
            notes=self._located_notes(),
            license=license_of(info),
            auth=auth,
            events=events,
            links=build_links(self),
            document_schemas=len(_dict(_dict(self.data.get("components")).get("schemas"))),
            document_operations=sum(1 for _ in iter_operations(self.data)),
        )


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict[object, object]:
    return value if isinstance(value, dict) else {}


def build_api(doc: Document) -> API:
    return Builder(doc).build()
