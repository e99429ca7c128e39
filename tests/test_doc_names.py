"""Names from the document: with no configuration, the package, its client classes and
the environment variables the client reads come from ``info.title`` (and the key only
when the document declares security); flags and ``[tool.chatkit-codegen]`` win.

Each case runs the CLI in an empty folder (no pyproject.toml above it names anything),
as a user generating bindings for their own API would, and imports the result.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from chatkit_codegen.doc_names import document_names, title_words
from chatkit_codegen.ir.build import build_api
from chatkit_codegen.load.document import load_document
from conftest import run_cli
from sandbox import run_python


def petstore(*, secured: bool, title: str = "Swagger Petstore") -> dict[str, Any]:
    spec: dict[str, Any] = {
        "openapi": "3.0.3",
        "info": {"title": title, "version": "1.0.0"},
        "servers": [{"url": "https://petstore.example/v1"}],
        "paths": {
            "/pets": {
                "get": {
                    "operationId": "listPets",
                    "tags": ["pets"],
                    "responses": {
                        "200": {
                            "description": "The pets.",
                            "content": {
                                "application/json": {
                                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
                                }
                            },
                        }
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Pet": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {"id": {"type": "integer"}, "name": {"type": "string"}},
                }
            }
        },
    }
    if secured:
        spec["components"]["securitySchemes"] = {"api_key": {"type": "apiKey", "in": "header", "name": "X-API-Key"}}
        spec["security"] = [{"api_key": []}]
    return spec


PROBE = r"""
import importlib, json, sys
pkg = importlib.import_module(sys.argv[1])
base = importlib.import_module(sys.argv[1] + "._base_client")
names = set(pkg.__all__)
(sync,) = [n for n in names if "Async" + n in names]
print(json.dumps({
    "clients": sorted([sync, "Async" + sync]),
    "api_key_env": base.API_KEY_ENV,
    "base_url_env": base.BASE_URL_ENV,
    "doc": getattr(pkg, sync).__doc__,
}))
"""


def generate_in_empty_folder(folder: Path, spec: dict[str, Any], *flags: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "petstore.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    proc = run_cli("generate", "--spec", "petstore.yaml", "--out", "out", *flags, cwd=folder)
    assert proc.returncode == 0, proc.stderr


def probe(out: Path, package: str) -> dict[str, Any]:
    proc = run_python(out, PROBE, package)
    assert proc.returncode == 0, proc.stderr
    facts: dict[str, Any] = json.loads(proc.stdout)
    return facts


def test_names_come_from_the_title_and_security(tmp_path: Path) -> None:
    generate_in_empty_folder(tmp_path, petstore(secured=True))
    assert (tmp_path / "out" / "swagger_petstore" / "__init__.py").is_file()
    facts = probe(tmp_path / "out", "swagger_petstore")
    assert facts["clients"] == ["AsyncSwaggerPetstoreClient", "SwaggerPetstoreClient"]
    assert facts["api_key_env"] == "SWAGGER_PETSTORE_API_KEY"
    assert facts["base_url_env"] == "SWAGGER_PETSTORE_BASE_URL"
    assert "SWAGGER_PETSTORE_API_KEY" in facts["doc"]
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "from swagger_petstore import SwaggerPetstoreClient" in readme
    assert "comes from SWAGGER_PETSTORE_API_KEY" in readme
    # nothing of ChatKit leaks into another API's package
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            for leak in ("ChatKit", "OPENAI_API_KEY", "CHATKIT", "chatkit_api"):
                assert leak not in text, (path, leak)


def test_no_security_no_key_variable(tmp_path: Path) -> None:
    generate_in_empty_folder(tmp_path, petstore(secured=False))
    facts = probe(tmp_path / "out", "swagger_petstore")
    assert facts["api_key_env"] == ""
    assert "API key" not in facts["doc"]
    assert facts["base_url_env"] == "SWAGGER_PETSTORE_BASE_URL"
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "client = SwaggerPetstoreClient()\n" in readme


def test_flags_override_every_name(tmp_path: Path) -> None:
    generate_in_empty_folder(
        tmp_path,
        petstore(secured=True),
        "--package-name", "pets",
        "--client-name", "Pets",
        "--api-key-env", "PETS_KEY",
        "--base-url-env", "PETS_URL",
    )  # fmt: skip
    facts = probe(tmp_path / "out", "pets")
    assert facts["clients"] == ["AsyncPets", "Pets"]
    assert (facts["api_key_env"], facts["base_url_env"]) == ("PETS_KEY", "PETS_URL")


def test_pyproject_overrides_and_flags_win_over_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.chatkit-codegen]\nclient-name = "Zoo"\napi-key-env = "ZOO_KEY"\n', encoding="utf-8"
    )
    generate_in_empty_folder(tmp_path, petstore(secured=True), "--api-key-env", "FLAG_KEY")
    facts = probe(tmp_path / "out", "swagger_petstore")  # not configured: from the title
    assert facts["clients"] == ["AsyncZoo", "Zoo"]
    assert facts["api_key_env"] == "FLAG_KEY"
    assert facts["base_url_env"] == "SWAGGER_PETSTORE_BASE_URL"


@pytest.mark.parametrize(
    ("name", "value"),
    [("--client-name", "not a class"), ("--api-key-env", "MY-KEY"), ("--base-url-env", "1URL")],
)
def test_bad_names_are_usage_errors(tmp_path: Path, name: str, value: str) -> None:
    proc = run_cli("generate", "--spec", "x.yaml", "--out", "out", name, value, cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and value in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("title", "package", "client", "env"),
    [
        ("Swagger Petstore", "swagger_petstore", "SwaggerPetstoreClient", "SWAGGER_PETSTORE"),
        ("Store API", "store", "StoreClient", "STORE"),
        ("GitHub v3 REST API", "github_v3_rest", "GitHubV3RestClient", "GITHUB_V3_REST"),
        ("OpenAI ChatKit API", "openai_chatkit", "OpenAIChatKitClient", "OPENAI_CHATKIT"),
        ("Email", "email_api", "EmailClient", "EMAIL"),  # never shadows the standard library
        ("class", "class_api", "ClassClient", "CLASS"),  # nor a keyword
        ("3D Printing \u2013 Café API", "api_3d_printing_cafe", "Api3dPrintingCafeClient", "API_3D_PRINTING_CAFE"),
        ("API", "api", "ApiClient", "API"),
        ("***", "api", "ApiClient", "API"),
    ],
)
def test_names_are_sanitised_and_deterministic(
    tmp_path: Path, title: str, package: str, client: str, env: str
) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(petstore(secured=True, title=title)), encoding="utf-8")
    api = build_api(load_document(path))
    names = document_names(api)
    assert (names.package, names.client) == (package, client)
    assert (names.api_key_env, names.base_url_env) == (f"{env}_API_KEY", f"{env}_BASE_URL")
    assert names.package.isidentifier() and names.client.isidentifier()
    assert document_names(api) == names
    assert title_words(title)  # never empty
