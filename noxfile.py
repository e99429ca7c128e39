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
def realworld(session: nox.Session) -> None:
    """Public documents of ../shared/realworld end to end: nothing dropped, imports, ruff,
    mypy --strict, examples round-trip, a sample of operations accepted by Prism."""
    session.install(*DEV)
    if os.path.exists("package-lock.json"):
        session.run("npm", "ci", "--no-audit", "--no-fund", external=True)
    session.run("pytest", "-m", "realworld", "tests/test_realworld.py", *session.posargs)


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
    session.install("-e", ".[format]")  # black: the layout of the few over-long lines
    session.run("chatkit-codegen", "validate")
    session.run("chatkit-codegen", "generate")


@nox.session
def check(session: nox.Session) -> None:
    """Fail if generated/ is stale against the spec."""
    session.install("-e", ".[format]")
    session.run("chatkit-codegen", "check")


@nox.session
def golden(session: nox.Session) -> None:
    """Refresh every golden file: generated/ and tests/golden/*."""
    session.install("-e", ".[format]")
    session.run("python", "tests/golden.py")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the reference site (MkDocs + Material) from generated/docs into build/site."""
    session.install("-e", ".[docs,format]")  # format: black, as generate uses it
    session.run("chatkit-codegen", "check")  # the Markdown must match the spec
    session.run("mkdocs", "build", "--strict", *session.posargs, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def bench(session: nox.Session) -> None:
    """Issue-8 and issue-14 benchmarks, as ratios against peers run alongside: generation
    (ChatKit, synthetic sizes, OpenAI's whole document, with peak memory), check, parse and
    import time, cold validation and CLI start-up, each cold (empty cache) and warm.

    Figures are printed, never asserted. `nox -s bench -- --quick` is a 1-run smoke run
    (no OpenAI document); `-- --only gen_time,cli_startup` picks scripts.
    """
    session.install(
        *DEV,
        "datamodel-code-generator[black,isort]==0.89.0",  # the peer, with its formatters
        "openai==2.54.0",  # has openai.types.beta.chatkit (and still uses httpx)
    )
    session.run("python", "bench/run_all.py", *session.posargs)


SPEC = "spec/chatkit.yaml"
GENERATED_DIST = "dist/generated"


@nox.session
def diff(session: nox.Session) -> None:
    """What the working spec changes for users of the package, against a git revision.

    `nox -s diff` compares with HEAD; `nox -s diff -- origin/main --format markdown`
    picks the revision and passes the rest to `chatkit-codegen diff`.
    """
    session.install("-e", ".")
    args = list(session.posargs)
    rev = args.pop(0) if args and not args[0].startswith("-") else "HEAD"
    session.run("chatkit-codegen", "diff", f"{rev}:{SPEC}", SPEC, *args)


@nox.session
def build(session: nox.Session) -> None:
    """Build the generated package (wheel and sdist into dist/generated/) and twine-check it."""
    import glob
    import shutil

    session.install("build>=1.2", "twine>=5")
    shutil.rmtree(GENERATED_DIST, ignore_errors=True)
    session.run("python", "-m", "build", "generated", "--outdir", GENERATED_DIST)
    session.run("twine", "check", "--strict", *sorted(glob.glob(f"{GENERATED_DIST}/*")))


@nox.session
def precommit(session: nox.Session) -> None:
    """Run this repository's pre-commit hook (.pre-commit-hooks.yaml) as a user's
    pre-commit would: it installs the generator and fails if generated/ is stale."""
    session.install("pre-commit>=3.7")
    session.run("pre-commit", "try-repo", ".", "chatkit-codegen-check", "--all-files", "--show-diff-on-failure")


@nox.session
def fuzz(session: nox.Session) -> None:
    """The long fuzz: random OpenAPI documents generated, imported and round-tripped,
    and the curated spec broken at random places; prints how many documents were tried.

    `nox -s fuzz -- 5000` sets the number of examples per fuzzer (default 1000).
    Failing documents are kept in fuzz-failures/.
    """
    session.install(*DEV)
    examples = session.posargs[0] if session.posargs else "1000"
    session.run(
        "pytest",
        "tests/test_fuzz.py",
        "-q",
        "-s",
        "-p",
        "no:cacheprovider",
        env={
            "CHATKIT_FUZZ_PROFILE": "fuzz",
            "CHATKIT_FUZZ_EXAMPLES": examples,
            "CHATKIT_FUZZ_FAILURES": "fuzz-failures",
        },
    )


UPSTREAM = "../shared/reference/openai-chatkit-subset.yaml"


@nox.session
def upstream(session: nox.Session) -> None:
    """Drift of the curated spec from the published (upstream) document.

    `nox -s upstream` compares with ../shared's ChatKit subset; `nox -s upstream --
    openapi.yaml --format markdown --fail-on any` picks the document (a file: nothing is
    fetched) and passes the rest to `chatkit-codegen upstream`.
    """
    session.install("-e", ".")
    args = list(session.posargs)
    doc = args.pop(0) if args and not args[0].startswith("-") else UPSTREAM
    session.run("chatkit-codegen", "upstream", doc, *args)
