"""Which components requests and responses reach, and which schemas read the same in both."""

from __future__ import annotations

from typing import Any

from ...load.walk import iter_operations, ref_strings, resolve_pointer
from ..events import payload_bodies
from ..model import (
    Shape,
)
from .base import BuildBase
from .schema import (
    COMPONENT_PREFIX,
    as_dict,
)


class UsageLayer(BuildBase):
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
            for resp in as_dict(op.get("responses")).values():
                roots["response"] |= self._refs_from(resp)
        for payload in payload_bodies(self.data):  # webhook and callback payloads are parsed
            roots["response"] |= self._refs_from(payload)
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

