"""SDK method names drop a prefix that repeats their resource, collision-safe; and
parameters are snake_case in Python while the wire keeps their names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from chatkit_codegen.config import load_config
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.ir.readers.method_names import method_names
from chatkit_codegen.load.document import load_document
from chatkit_codegen.pipeline import generate, write_tree
from conftest import ROOT

SPEC = Path(__file__).resolve().parent / "method_names" / "spec.yaml"


def names(ops: list[tuple[str, str, list[str] | None, str | None]]) -> tuple[dict[str, str], list[str]]:
    """(operationId, path, tags, x-sdk-method) -> {operationId: resource.method}, notes."""
    notes: list[str] = []
    rows = []
    for op_id, path, tags, sdk in ops:
        op: dict[str, Any] = {"operationId": op_id}
        if tags is not None:
            op["tags"] = tags
        if sdk is not None:
            op["x-sdk-method"] = sdk
        rows.append((f"/paths/{op_id}", path, "get", op))
    found = method_names(rows, lambda ptr, msg: notes.append(f"{ptr}: {msg}"))
    return {op[3]["operationId"]: ".".join((*found[op[0]].resource, found[op[0]].method)) for op in rows}, notes


def test_a_prefix_repeating_the_resource_is_dropped() -> None:
    got, notes = names(
        [
            ("repos/get", "/repos/{o}", ["repos"], None),
            ("users/add-email-for-authenticated-user", "/user/emails", ["users"], None),
            ("petShow", "/pets/{id}", ["pets"], None),  # the singular counts too
            ("listPets", "/pets", ["pets"], None),  # not a prefix: unchanged
            ("repos_import", "/repos/import", ["repos"], None),  # 'import' is a keyword: unchanged
            ("orders_get", "/orders", None, None),  # no tag: the path's first segment
        ]
    )
    assert got == {
        "repos/get": "repos.get",
        "users/add-email-for-authenticated-user": "users.add_email_for_authenticated_user",
        "petShow": "pets.show",
        "listPets": "pets.list_pets",
        "repos_import": "repos.repos_import",
        "orders_get": "orders.get",
    }
    assert notes == []


def test_a_version_prefix_of_the_path_is_not_the_resource() -> None:
    """Stripe's ``/v1/customers``, ``/api/v2/...``, dated versions: without a tag the
    resource is the first segment that names something."""
    got, _ = names(
        [
            ("customers_list", "/v1/customers", None, None),
            ("users_get", "/api/v2/users/{id}", None, None),
            ("charges_get", "/2024-01-01/charges", None, None),
            ("version", "/v1", None, None),  # nothing else: the version it is
            ("v1beta_models", "/v1beta/models", None, None),  # not a version word: kept
        ]
    )
    assert got == {
        "customers_list": "customers.list",
        "users_get": "users.get",
        "charges_get": "charges.get",
        "version": "v1.version",
        "v1beta_models": "v1beta.models",
    }


def test_a_short_name_that_collides_keeps_the_full_name() -> None:
    got, notes = names(
        [
            ("repos/get", "/repos/{o}", ["repos"], None),
            ("get", "/repos", ["repos"], None),
            ("repos/repos-get", "/repos/x", ["repos"], None),
            ("repos/list", "/repos/y", ["repos"], None),
            ("repos/create", "/repos/z", ["repos"], "repos.list"),  # x-sdk-method wins and takes 'list'
            ("teams/get", "/teams", ["teams"], None),  # another resource: no clash
        ]
    )
    assert got == {
        "repos/get": "repos.repos_get",
        "get": "repos.get",
        "repos/repos-get": "repos.repos_repos_get",
        "repos/list": "repos.repos_list",
        "repos/create": "repos.list",
        "teams/get": "teams.get",
    }
    assert notes == [
        "/paths/repos/get: method name 'get' would collide in 'repos'; kept 'repos_get'",
        "/paths/repos/list: method name 'list' would collide in 'repos'; kept 'repos_list'",
        "/paths/repos/repos-get: method name 'repos_get' would collide in 'repos'; kept 'repos_repos_get'",
    ]


def test_the_order_of_operations_does_not_change_names() -> None:
    ops = [
        ("repos/get", "/a", ["repos"], None),
        ("get", "/b", ["repos"], None),
        ("repos/delete", "/c", ["repos"], None),
    ]
    assert names(ops) == names(list(reversed(ops)))


def test_parameters_are_snake_case_with_the_wire_name_kept() -> None:
    api = build_api(load_document(SPEC, str(SPEC)))
    op = next(o for o in api.operations if o.operation_id == "repos/get")
    assert op.sdk_path == "repos.repos_get"  # 'get' is taken by the operation 'get'
    assert [(p.name, p.wire_name) for p in op.params] == [
        ("owner", "owner"),
        ("repo_name", "repoName"),
        ("per_page", "perPage"),
        ("x_api_version", "X-Api-Version"),
    ]


def test_the_generated_client_sends_the_wire_names(tmp_path: Path, import_from: Any) -> None:
    out = tmp_path / "out"
    cfg = load_config(ROOT).with_overrides(spec=SPEC, out=out, package_name="names_api")
    write_tree(out, generate(cfg, validate=False).files)
    pkg = import_from(out, "names_api")
    client_class = next(getattr(pkg, n) for n in pkg.__all__ if n.endswith("Client") and not n.startswith("Async"))
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    client = client_class(api_key="k", base_url="https://api.test", http_client=httpx.Client(transport=httpx.MockTransport(handler)))
    client.repos.delete("octo", "hello-world")
    client.repos.repos_get("octo", "hello-world", per_page=5, x_api_version="2")
    client.users.add_email_for_authenticated_user()
    client.pets.list()
    assert [(r.method, r.url.path, dict(r.url.params)) for r in seen] == [
        ("DELETE", "/repos/octo/hello-world", {}),
        ("GET", "/repos/octo/hello-world", {"perPage": "5"}),
        ("POST", "/users/emails", {}),
        ("GET", "/pets", {}),
    ]
    assert seen[1].headers["X-Api-Version"] == "2"
