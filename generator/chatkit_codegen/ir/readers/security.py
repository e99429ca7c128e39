"""Security: the scheme the client sends, from the security requirements."""

from __future__ import annotations

import re
from typing import Any

from ...load.document import join_pointer
from ...load.walk import iter_operations
from ..model import (
    AuthDecl,
)
from .base import BuildBase
from .schema import as_dict

TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # RFC 9110: header and cookie names


class SecurityLayer(BuildBase):
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
        schemes = as_dict(as_dict(self.data.get("components")).get("securitySchemes"))
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

