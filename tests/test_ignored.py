"""Nothing in a document is dropped without a word: constructs the generated code does not
use are reported as located notes at the end of a run."""

from __future__ import annotations

from pathlib import Path

from chatkit_codegen.cli import main


def test_unused_constructs_are_located_notes(tmp_path: Path, capsys: object) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        """openapi: 3.1.0
info: {title: Notes, version: "1"}
jsonSchemaDialect: https://spec.openapis.org/oas/3.1/dialect/base
paths:
  /files:
    servers: [{url: "https://upload.example.com"}]
    post:
      operationId: upload
      servers: [{url: "https://upload2.example.com"}]
      parameters:
        - {name: q, in: query, allowReserved: true, schema: {type: string}}
      requestBody:
        content:
          multipart/form-data:
            schema: {type: object, properties: {file: {type: string, format: binary}}}
            encoding: {file: {contentType: image/png}}
      responses:
        "200":
          description: ok
          headers: {X-Rate-Limit: {schema: {type: integer}}}
""",
        encoding="utf-8",
    )
    assert main(["generate", "--spec", str(spec), "--out", str(tmp_path / "out"), "--package-name", "notes_api"]) == 0
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    notes = sorted(
        line.split(": note: ", 1)[1] for line in err.splitlines() if ": note: " in line and "collides" not in line
    )
    assert notes == [
        "/jsonSchemaDialect: schemas are read with the OpenAPI dialect whatever jsonSchemaDialect names",
        "/paths/~1files/post/parameters/0/allowReserved: reserved characters are percent-encoded anyway (allowReserved is not applied)",
        "/paths/~1files/post/requestBody/content/multipart~1form-data/encoding: per-part encodings are not applied: parts are sent with their default content types",
        "/paths/~1files/post/responses/200/headers: response headers are not typed: read them from the raw response (with_raw_response)",
        "/paths/~1files/post/servers: per-operation servers are not used: every call goes to the client's base URL",
        "/paths/~1files/servers: per-path servers are not used: every call goes to the client's base URL",
    ]
