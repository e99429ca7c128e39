"""Sessions: tests, lint, generate, check, golden (and docs, bench, fuzz, build, diff).

Each session installs what it needs into its own reused virtualenv, so on a fresh
machine `pip install nox` is the only prerequisite.
"""

from __future__ import annotations

import os

import nox

nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = ["lint", "tests"]

DEV = ["-e", ".[dev]"]


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite (installs npm packages and system browsers it needs)."""
    session.install(*DEV)
    if os.path.exists("package-lock.json"):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    if os.path.exists("scripts/setup-system.sh"):
        session.run("bash", "scripts/setup-system.sh", external=True)
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff and mypy on the toolkit; mypy --strict and ruff on the generated package."""
    session.install(*DEV)
    session.run("ruff", "check", "generator", "tests", "bench", "noxfile.py")
    session.run("mypy")
    session.run("ruff", "check", "--config", "generated/pyproject.toml", "generated")
    session.run("mypy", "--strict", "--config-file", "generated/pyproject.toml", "generated/chatkit_api")


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate bindings and docs from the spec into generated/."""
    session.install("-e", ".")
    session.run("chatkit-codegen", "validate")
    session.run("chatkit-codegen", "generate")


@nox.session
def check(session: nox.Session) -> None:
    """Fail if generated/ is stale against the spec."""
    session.install("-e", ".")
    session.run("chatkit-codegen", "check")


@nox.session
def golden(session: nox.Session) -> None:
    """Refresh every golden file: generated/ and tests/golden/*."""
    session.install("-e", ".")
    session.run("python", "tests/golden.py")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the reference site (MkDocs + Material) from generated/docs into build/site."""
    session.install("-e", ".[docs,format]")  # format: black, as generate uses it
    session.run("chatkit-codegen", "check")  # the Markdown must match the spec
    session.run("mkdocs", "build", "--strict", *session.posargs, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def bench(session: nox.Session) -> None:
    """Issue-8 benchmarks: generation, scale, check, parse and import time, as ratios.

    Figures are printed, never asserted. `nox -s bench -- --quick` is a 1-run smoke run;
    `-- --only parse_speed,import_time` picks scripts.
    """
    session.install(
        *DEV,
        "datamodel-code-generator[black,isort]==0.89.0",  # the peer, with its formatters
        "openai==2.54.0",  # has openai.types.beta.chatkit (and still uses httpx)
    )
    session.run("python", "bench/run_all.py", *session.posargs)
