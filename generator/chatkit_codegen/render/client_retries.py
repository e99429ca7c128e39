"""How the request builders (``client_ops``) print the retry decision the IR made.

The decision is ``OperationDecl.retried`` (set by ``ir/readers/operations.py``):

* ``x-idempotent: true`` (or ``false``) on the operation says whether it is retried,
  whatever its method;
* otherwise GET, HEAD, OPTIONS, PUT, DELETE and TRACE are idempotent by HTTP's
  definition (``ir.model.IDEMPOTENT_METHODS``) and are retried on 408/409/429/5xx
  and connection errors;
* an operation that declares an ``Idempotency-Key`` header parameter (the name
  compared case-insensitively) says the server deduplicates repeats, so it is
  retried too: the client sends a generated key in that header, one per call and
  the same on every attempt, unless the caller passes their own;
* any other POST or PATCH is not retried unless the caller passes
  ``idempotent=True`` (or sets ``RetryPolicy(retry_non_idempotent=True)``): a
  repeated create could create twice.

The generated runtime derives the same default from the method and the key header
(``APIRequest(idempotent=None)``), from the same list of methods; only an
``x-idempotent`` decision is passed explicitly by the builder.
"""

from __future__ import annotations

from ..ir.model import IDEMPOTENT_METHODS, OperationDecl
from .pyfmt import Node, assignment, py_str

ON_DOC = "Retries are on: the API marks this call idempotent. False turns them off."
OFF_DOC = "Retries are off: the API marks this call not idempotent. True turns them on."
OPT_IN_DOC = (
    "Allow retries of this non-idempotent call (True) when repeating it is safe; "
    "None leaves them off unless the client's retry policy allows them."
)
KEY_DOC = "Retries are on: each call sends one Idempotency-Key. False turns them off."


def idempotency_header(op: OperationDecl) -> str | None:
    """The wire name of the operation's ``Idempotency-Key`` header, if it has one."""
    return op.idempotency_header


def retried_by_default(op: OperationDecl) -> bool:
    """Whether the client retries ``op`` without the caller opting in."""
    return op.retried


def takes_idempotent(op: OperationDecl) -> bool:
    """Whether the builder and methods take ``idempotent=``: every call whose default
    is not simply that of an idempotent HTTP method."""
    return not (op.method in IDEMPOTENT_METHODS and op.retried)


def explicit_default(op: OperationDecl) -> bool | None:
    """The default the builder passes to the runtime, when the runtime's own (from the
    method and the key header) is not the IR's: an ``x-idempotent`` decision."""
    return op.retried if op.retry_rule == "x-idempotent" else None


def idempotent_doc(op: OperationDecl) -> str:
    """The docstring of the ``idempotent`` argument."""
    if op.retry_rule == "x-idempotent":
        return ON_DOC if op.retried else OFF_DOC
    return KEY_DOC if op.idempotency_header else OPT_IN_DOC


def idempotent_methods_literal() -> str:
    """``IDEMPOTENT_METHODS = frozenset({"GET", ...})``, laid out: the runtime's copy."""
    methods = Node("", "{", [py_str(m) for m in IDEMPOTENT_METHODS], "}")
    return "\n".join(assignment("IDEMPOTENT_METHODS", None, Node("frozenset", "(", [methods], ")"), 0))
