"""Which operations the generated client retries by default, and which get a key.

One place for the decision, read by the request builders (``client_ops``):

* GET, HEAD, OPTIONS, PUT, DELETE and TRACE are idempotent by HTTP's definition and
  are retried on 408/409/429/5xx and connection errors;
* an operation that declares an ``Idempotency-Key`` header parameter (the name
  compared case-insensitively) says the server deduplicates repeats, so it is
  retried too: the client sends a generated key in that header, one per call and
  the same on every attempt, unless the caller passes their own;
* any other POST or PATCH is not retried unless the caller passes
  ``idempotent=True`` (or sets ``RetryPolicy(retry_non_idempotent=True)``): a
  repeated create could create twice.
"""

from __future__ import annotations

from ..ir.model import MISSING, OperationDecl

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
IDEMPOTENCY_HEADER = "idempotency-key"


def idempotency_header(op: OperationDecl) -> str | None:
    """The wire name of the operation's ``Idempotency-Key`` header, if it has one."""
    for p in op.params_in("header"):
        if p.wire_name.lower() == IDEMPOTENCY_HEADER and p.const is MISSING:
            return p.wire_name
    return None


def retried_by_default(op: OperationDecl) -> bool:
    """Whether the client retries ``op`` without the caller opting in."""
    return op.method in IDEMPOTENT_METHODS or idempotency_header(op) is not None
