"""Names a generated package takes from its own document when nothing configures them.

``info.title`` gives the stem: ``Swagger Petstore`` becomes the package
``swagger_petstore``, the clients ``SwaggerPetstoreClient`` / ``AsyncSwaggerPetstoreClient``
and the environment variables ``SWAGGER_PETSTORE_BASE_URL`` and, only when the document
declares security, ``SWAGGER_PETSTORE_API_KEY``. Words are the title's own (``GitHub v3
REST API`` -> ``github_v3_rest``, ``GitHubV3RestClient``); a trailing "API" word is
dropped (``Store API`` -> ``store``). Names are folded to ASCII and checked by
``ir/naming.py``, so any title gives the same valid identifiers on every run. A flag or ``[tool.chatkit-codegen]``
key wins over each of them (``config.py``: an empty value means "from the document").
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass

from .config import Config
from .ir import naming
from .ir.model import API

_DROPPED_LAST = {"api", "apis"}  # "Store API" -> store, not store_api
_FALLBACK = "api"  # a title with no letters or digits at all


@dataclass(frozen=True)
class DocumentNames:
    package: str
    client: str
    api_key_env: str  # "" when the document declares no security: no key is read
    base_url_env: str


def title_words(title: str) -> list[str]:
    """The title's words as written (``GitHub``, ``v3``, ``REST``): a title is prose, so
    words split at spaces and punctuation, not inside ``GitHub``."""
    found = [w for w in re.split(r"[^A-Za-z0-9]+", naming.ascii_fold(title)) if w]
    while len(found) > 1 and found[-1].lower() in _DROPPED_LAST:
        found.pop()
    return found or [_FALLBACK]


def _capitalised(word: str) -> str:
    """``REST`` -> ``Rest``, ``v3`` -> ``V3``, ``GitHub`` and ``OpenAI`` stay."""
    if word.isupper() and len(word) > 1:
        return word.capitalize()
    return word[:1].upper() + word[1:]


def document_names(api: API) -> DocumentNames:
    found = title_words(api.title)
    stem = "_".join(w.lower() for w in found)
    if stem[0].isdigit():
        stem = f"{_FALLBACK}_{stem}"
    package = naming.module_name(stem)
    if keyword.iskeyword(stem) or stem in sys.stdlib_module_names:
        package = f"{stem}_api"  # never shadow `email`, `json`, ...
    client = "".join(_capitalised(w) for w in found)
    if client[0].isdigit():
        client = _FALLBACK.capitalize() + client
    env = stem.upper()
    return DocumentNames(
        package=package,
        client=naming.class_name(f"{client}Client"),
        api_key_env=f"{env}_API_KEY" if api.auth is not None else "",
        base_url_env=f"{env}_BASE_URL",
    )


def with_document_names(cfg: Config, api: API) -> Config:
    """``cfg`` with every name it leaves empty taken from the document."""
    names = document_names(api)
    return cfg.with_overrides(
        package_name=cfg.package_name or names.package,
        client_name=cfg.client_name or names.client,
        api_key_env=cfg.api_key_env or names.api_key_env,
        base_url_env=cfg.base_url_env or names.base_url_env,
    )
