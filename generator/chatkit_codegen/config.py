"""Defaults from ``[tool.chatkit-codegen]`` in the nearest pyproject.toml; flags win.

The package, client and environment variable names default to "" (empty): the
document names them (``doc_names.py``, from ``info.title`` and its security).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, str] = {
    "spec": "openapi.yaml",
    "out": "generated",
    # "" = from the document: info.title -> swagger_petstore, SwaggerPetstoreClient,
    # SWAGGER_PETSTORE_API_KEY (only if it declares security), SWAGGER_PETSTORE_BASE_URL
    "package-name": "",
    "client-name": "",
    "api-key-env": "",
    "base-url-env": "",
}


@dataclass(frozen=True)
class Config:
    spec: Path
    out: Path
    package_name: str
    client_name: str
    api_key_env: str
    base_url_env: str
    templates: Path | None = None
    root: Path = Path(".")
    allow_refs: tuple[Path, ...] = ()  # files/folders file $refs may point into
    strict: bool = False  # defects with a safe reading refuse the document (severity policy)
    verbose: bool = False  # every warning on its own line, not grouped by kind
    doc_warnings: bool = False  # report documentation-quality warnings ("has no description")

    def with_overrides(self, **values: Any) -> Config:
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def find_pyproject(start: Path) -> Path | None:
    for folder in [start, *start.parents]:
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError):
                continue
            if "chatkit-codegen" in data.get("tool", {}):
                return candidate
    return None


def load_config(start: Path | None = None) -> Config:
    start = (start or Path.cwd()).resolve()
    values = dict(DEFAULTS)
    root = start
    strict = False
    pyproject = find_pyproject(start)
    if pyproject is not None:
        root = pyproject.parent
        table = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["chatkit-codegen"]
        values.update({k: str(v) for k, v in table.items() if k in DEFAULTS})
        strict = table.get("strict") is True
    return Config(
        spec=root / values["spec"],
        out=root / values["out"],
        package_name=values["package-name"],
        client_name=values["client-name"],
        api_key_env=values["api-key-env"],
        base_url_env=values["base-url-env"],
        root=root,
        strict=strict,
    )
