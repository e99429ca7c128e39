"""Operations: method names, resources, pagination."""

from __future__ import annotations

from typing import Any

from ...load.walk import iter_operations
from .. import naming
from ..model import (
    IDEMPOTENCY_HEADER,
    IDEMPOTENT_METHODS,
    MISSING,
    ListOf,
    ModelDecl,
    OperationDecl,
    PageDecl,
    Pagination,
    ParamDecl,
    Ref,
    ResponseDecl,
    RetryRule,
    TypeExpr,
)
from .bodies import BodiesLayer
from .method_names import MethodName, method_names
from .schema import (
    as_list,
    text,
)


class OperationsLayer(BodiesLayer):
    def _operations(self) -> list[OperationDecl]:
        found = list(iter_operations(self.data))
        names = method_names(found, self._note)
        ops = []
        used: set[str] = set()
        for ptr, path, method, op in found:
            ops.append(self._operation(ptr, path, method, op, used, names[ptr]))
        return ops

    def _operation(
        self, ptr: str, path: str, method: str, op: dict[str, Any], used: set[str], sdk_name: MethodName
    ) -> OperationDecl:
        op_id = str(op.get("operationId") or f"{method}_{path}")
        if "#" in path:
            fragment = path.split("#", 1)[1]
            self._note(ptr, f"the path's fragment {'#' + fragment!r} only tells operations apart: it is not sent")
        resource, method_name = sdk_name.resource, sdk_name.method
        func = naming.dedupe([naming.param_name(naming.snake(op_id))], used)[0]
        params = self._params(ptr, path, op)
        body = self._body(ptr, op, resource, method_name, (p.name for p in params if p.const is MISSING))
        responses, success = self._responses(ptr, op)
        pagination = self._pagination(ptr, op, success)
        retried, retry_rule, key_header = self._retries(ptr, method.upper(), op, params)
        params_key = None
        query = [p for p in params if p.location == "query"]
        if query:
            # beside a body's own ...Params declaration, the query one says Query
            suffix = "QueryParams" if body is not None and body.params_key else "Params"
            wanted = op.get("x-sdk-params") or (
                naming.pascal(naming.singular(resource[-1])) + naming.pascal(method_name) + suffix
            )
            params_key = self._params_typeddict(ptr, str(wanted), query)
        return OperationDecl(
            operation_id=op_id,
            name=func,
            method=method.upper(),
            path=path,
            summary=text(op.get("summary")),
            description=text(op.get("description")),
            tags=tuple(str(t) for t in as_list(op.get("tags"))),
            resource=resource,
            method_name=method_name,
            params=tuple(params),
            body=body,
            responses=tuple(responses),
            success=success,
            pagination=pagination,
            params_key=params_key,
            deprecated=bool(op.get("deprecated")),
            pointer=ptr,
            authenticated=op.get("security") != [],
            retried=retried,
            retry_rule=retry_rule,
            idempotency_header=key_header,
        )

    def _retries(
        self, ptr: str, method: str, op: dict[str, Any], params: list[ParamDecl]
    ) -> tuple[bool, RetryRule, str | None]:
        """Whether the client retries the operation by default, and why (the fields
        ``retried``, ``retry_rule``, ``idempotency_header`` of ``OperationDecl``):
        ``x-idempotent: true|false`` when the document says so, else yes for an
        idempotent HTTP method or an operation taking an ``Idempotency-Key`` header
        (the client then sends a generated key in it), else no."""
        header = next(
            (
                p.wire_name
                for p in params
                if p.location == "header" and p.wire_name.lower() == IDEMPOTENCY_HEADER and p.const is MISSING
            ),
            None,
        )
        marked = op.get("x-idempotent")
        if "x-idempotent" in op and not isinstance(marked, bool):
            self._warn(ptr + "/x-idempotent", f"x-idempotent must be true or false, not {marked!r}; not used")
        if isinstance(marked, bool):
            return marked, "x-idempotent", header
        if method in IDEMPOTENT_METHODS:
            return True, "method", header
        return (True, "idempotency-key", header) if header is not None else (False, "method", None)

    def _pagination(self, ptr: str, op: dict[str, Any], success: ResponseDecl | None) -> Pagination | None:
        spec = op.get("x-sdk-pagination")
        if not isinstance(spec, dict):
            return None
        page = PageDecl(
            name=naming.class_name(str(spec.get("page", "CursorPage"))),
            items_field=str(spec.get("items", "data")),
            cursor_param=str(spec.get("cursor_param", "after")),
            next_cursor_field=str(spec.get("next_cursor", "last_id")),
            has_more_field=str(spec.get("has_more", "has_more")),
        )
        if success is None or not isinstance(success.type, Ref):
            self._error(ptr + "/x-sdk-pagination", "pagination needs a success response that is a named model")
            return None
        self._ensure(success.type.key)
        decl = self.decls.get(success.type.key)
        item: TypeExpr | None = None
        if isinstance(decl, ModelDecl):
            for f in decl.fields:
                if f.wire_name == page.items_field and isinstance(f.type, ListOf):
                    item = f.type.item
        if item is None:
            self._error(ptr + "/x-sdk-pagination", f"response model has no array field {page.items_field!r}")
            return None
        self.pages[page.name] = page
        return Pagination(page, item)

