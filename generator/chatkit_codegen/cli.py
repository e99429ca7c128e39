"""Command line: ``chatkit-codegen validate|generate|check|diff|upstream``.

Imports are lazy so each command pays only for what it uses. Exit codes: 0 success,
1 the input has errors (or the output is stale), 2 usage errors. No traceback ever
reaches the user unless CHATKIT_CODEGEN_DEBUG=1.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__

# typing.TYPE_CHECKING, without importing typing or pathlib for `--version` (start-up);
# the commands import pathlib where they use it.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any, NoReturn

    from .config import Config
    from .report import ReportOptions


def _display(path: Path, *, relative: bool = False) -> str:
    """``path`` as the user should read it: as given, or (``relative``, for the spec
    named by pyproject) relative to the working directory when it is below it."""
    from pathlib import Path

    if relative:
        try:
            return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
        except ValueError:
            pass
    return str(path)


def _config(args: argparse.Namespace) -> Config:
    from pathlib import Path

    from .config import load_config

    cfg = load_config()
    return cfg.with_overrides(
        spec=Path(args.spec) if getattr(args, "spec", None) else None,
        out=Path(args.out) if getattr(args, "out", None) else None,
        package_name=getattr(args, "package_name", None),
        client_name=getattr(args, "client_name", None),
        api_key_env=getattr(args, "api_key_env", None),
        base_url_env=getattr(args, "base_url_env", None),
        templates=Path(args.templates) if getattr(args, "templates", None) else None,
        allow_refs=tuple(Path(p) for p in getattr(args, "allow_ref", None) or ()) or None,
        strict=getattr(args, "strict", None),
        verbose=getattr(args, "verbose", None) or None,
        doc_warnings=getattr(args, "doc_warnings", None) or None,
    )


def _report_options(args: argparse.Namespace) -> ReportOptions:
    from .report import ReportOptions

    return ReportOptions(
        verbose=bool(getattr(args, "verbose", False)), doc_warnings=bool(getattr(args, "doc_warnings", False))
    )


def cmd_validate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .errors import CodegenError, Level, has_errors
    from .load.document import load_document
    from .load.validate import validate_document
    from .report import problem_lines, shown, summary

    cfg = _config(args)
    spec = Path(args.spec_path) if args.spec_path else cfg.spec
    allow = tuple(Path(p) for p in args.allow_ref or ())
    name = _display(spec, relative=not args.spec_path)
    try:
        problems = validate_document(load_document(spec, name, allow_refs=allow), strict=cfg.strict)
    except CodegenError as exc:  # the document could not be loaded
        problems = exc.problems
    options = _report_options(args)
    for line in problem_lines(problems, options):
        print(line)
    print(summary(name, problems, options))
    if args.fail_on_warning and any(p.level is Level.WARNING for p in shown(problems, options)):
        return 1
    return 1 if has_errors(problems) else 0


def cmd_generate(args: argparse.Namespace) -> int:
    from .pipeline import generate_to_disk

    cfg = _config(args)
    report = generate_to_disk(cfg, validate=not args.no_validate)
    for line in report:
        print(line, file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .workflow.check import run_check

    return run_check(_config(args), validate=not args.no_validate)


def cmd_diff(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .workflow.diff import run_diff

    return run_diff(Path(args.old), Path(args.new), fmt=args.format, fail_on=args.fail_on)


def cmd_upstream(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .workflow.upstream import run_upstream

    spec = Path(args.spec) if args.spec else _config(args).spec
    return run_upstream(
        Path(args.upstream),
        spec,
        fmt=args.format,
        fail_on=args.fail_on,
        descriptions=args.descriptions,
        patch=Path(args.patch) if args.patch else None,
        selected=tuple(args.select or ()),
    )


def _package_name(value: str) -> str:
    """A name ``import`` accepts: the package would be unusable otherwise."""
    import keyword

    if not (value.isascii() and value.isidentifier()) or keyword.iskeyword(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Python package name (letters, digits, _)")
    return value


def _class_name(value: str) -> str:
    """A name ``class`` accepts; ``Async`` + it names the asyncio client."""
    import keyword

    if not (value.isascii() and value.isidentifier()) or keyword.iskeyword(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Python class name (letters, digits, _)")
    return value


def _env_name(value: str) -> str:
    import re

    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value):
        raise argparse.ArgumentTypeError(f"{value!r} is not an environment variable name (letters, digits, _)")
    return value


def _columns() -> int:
    """The terminal's width as ``shutil.get_terminal_size`` tells it (``COLUMNS``, the
    terminal, else 80), without importing shutil (and its compression modules) at start-up."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2  # as argparse takes it


class _HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _columns() if width is None else width)


class _DefaultsHelpFormatter(_HelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    pass


class _Parser(argparse.ArgumentParser):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(**kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chatkit-codegen",
        description="Validate an OpenAPI document and generate typed Python bindings and docs.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def allow_ref(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--allow-ref",
            action="append",
            metavar="PATH",
            help="let file $refs point into this file or folder (repeatable); "
            "remote $refs are never fetched",
        )

    def reporting(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--strict",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="refuse defects that have a safe reading (invalid examples, discriminators that do "
            "not hold, 3.0 keywords in 3.1...) instead of warning; default: `strict` in pyproject, else off",
        )
        p.add_argument(
            "--verbose", action="store_true", help="print every warning, not one line per kind of warning"
        )
        p.add_argument(
            "--doc-warnings",
            action="store_true",
            help="also report documentation-quality warnings (schemas and properties without a description)",
        )

    p = sub.add_parser(
        "validate",
        help="report every problem in a spec, one per line",
        description="Report every problem in an OpenAPI document, one located line each "
        "(file:line:col: level: /json/pointer: message). Writes nothing. Exit 0 when "
        "there are no errors, 1 otherwise.",
    )
    p.add_argument(
        "spec_path",
        nargs="?",
        metavar="SPEC",
        help="the OpenAPI document (default: spec of [tool.chatkit-codegen] in pyproject.toml, "
        "else openapi.yaml)",
    )
    p.add_argument("--fail-on-warning", action="store_true", help="exit 1 on warnings too (the ones shown; default: only errors)")
    allow_ref(p)
    reporting(p)
    p.set_defaults(func=cmd_validate)

    def common(p: argparse.ArgumentParser, out_help: str) -> None:
        p.add_argument(
            "--spec",
            metavar="PATH",
            help="the OpenAPI document (default: spec of [tool.chatkit-codegen] in "
            "pyproject.toml, else openapi.yaml)",
        )
        p.add_argument("--out", metavar="DIR", help=out_help)
        p.add_argument(
            "--package-name",
            metavar="NAME",
            type=_package_name,
            help="generated package name (default: from the document's info.title, "
            "e.g. swagger_petstore)",
        )
        p.add_argument(
            "--client-name",
            metavar="NAME",
            type=_class_name,
            help="client class; Async + NAME is the asyncio one (default: from info.title, "
            "e.g. SwaggerPetstoreClient)",
        )
        p.add_argument(
            "--api-key-env",
            metavar="VAR",
            type=_env_name,
            help="environment variable the client reads its API key from (default: from "
            "info.title, e.g. SWAGGER_PETSTORE_API_KEY; none if the document declares no security)",
        )
        p.add_argument(
            "--base-url-env",
            metavar="VAR",
            type=_env_name,
            help="environment variable the client reads its base URL from (default: from "
            "info.title, e.g. SWAGGER_PETSTORE_BASE_URL)",
        )
        p.add_argument(
            "--templates",
            metavar="DIR",
            help="folder whose templates override the built-in ones by file name (default: none)",
        )
        p.add_argument(
            "--no-validate",
            action="store_true",
            help="skip structural and example validation (the IR's own checks still run)",
        )
        allow_ref(p)
        reporting(p)

    p = sub.add_parser(
        "generate",
        help="render models, clients and docs into the output folder",
        description="Render the package (models, clients, docs) from an OpenAPI document "
        "into a folder. Every flag overrides its key in [tool.chatkit-codegen] of the "
        "nearest pyproject.toml; names not set either way come from the document.",
    )
    common(p, "output folder, replaced atomically (default: out of [tool.chatkit-codegen], else generated)")
    p.set_defaults(func=cmd_generate)

    p = sub.add_parser(
        "check",
        help="exit 1 with a diff if the output folder is stale",
        description="Generate in memory and compare with the output folder; writes nothing. "
        "Exit 0 when it is up to date, 1 with a unified diff when it is stale.",
    )
    common(p, "the generated folder to compare, left untouched (default: out of [tool.chatkit-codegen], else generated)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser(
        "diff",
        help="classify the changes between two spec versions",
        description="Classify every change between two versions of an OpenAPI document as "
        "breaking, additive or patch for the generated package, with the version bump it calls for.",
        formatter_class=_DefaultsHelpFormatter,
    )
    p.add_argument("old", metavar="OLD", help="the older document: a file, or REV:PATH for a file in git (HEAD:spec/api.yaml)")
    p.add_argument("new", metavar="NEW", help="the newer document: a file, or REV:PATH for a file in git")
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown"),
        default="text",
        help="report format: text for a terminal, json for tools, markdown for a pull request",
    )
    p.add_argument(
        "--fail-on",
        choices=("breaking", "any", "never"),
        default="never",
        help="exit 1 when the changes include a breaking one (breaking), any change (any), or never",
    )
    p.set_defaults(func=cmd_diff)

    p = sub.add_parser(
        "upstream",
        help="report where the curated spec and a published (upstream) one differ",
        description=(
            "Compare the curated spec with an upstream document by structure: operations by "
            "method and path, schemas through them, property by property. Curation (names, "
            "x-sdk-*, descriptions, examples) is not drift."
        ),
    )
    p.add_argument("upstream", metavar="UPSTREAM", help="the upstream document (a file; never fetched)")
    p.add_argument("--spec", metavar="PATH", help="the curated document (default from pyproject)")
    p.add_argument(
        "--format", choices=("text", "json", "markdown"), default="text", help="report format (default: text)"
    )
    p.add_argument(
        "--fail-on",
        choices=("upstream-more", "curated-more", "any", "never"),
        default="never",
        help="exit 1 on findings of this level (any: either drift level; accepted and info never fail)",
    )
    p.add_argument("--descriptions", action="store_true", help="compare descriptions and summaries too (informational)")
    p.add_argument("--patch", metavar="OUT.json", help="write the JSON Patch (RFC 6902) that brings the curated spec in line")
    p.add_argument(
        "--select",
        action="append",
        metavar="PATTERN",
        help="with --patch: only findings whose kind, level, curated name or pointer matches (wildcards; repeatable)",
    )
    p.set_defaults(func=cmd_upstream)
    return parser


# The cyclic garbage collector's young-generation threshold. A run allocates millions
# of small objects that live until it ends (the parsed document, the IR, rendered
# text) and makes almost no cycles, so the default (700) re-scans the growing heap
# again and again: a quarter of a cold run at 1,500 schemas. Collections stay on, rarer.
GC_THRESHOLD = (50_000, 50, 100)


def run() -> NoReturn:
    """The console script: ``main``, then leave without tearing the interpreter down.

    Every file is written and closed and every child waited for when ``main`` returns;
    what is left is freeing the run's objects one by one, which takes Python tens of
    milliseconds for a cold run (more for a large document) and the system none.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away, a closed stream
        code = code or 1
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    import gc

    gc.set_threshold(*GC_THRESHOLD)
    parser = build_parser()
    args = parser.parse_args(argv)
    from .errors import CodegenError

    try:
        result: int = args.func(args)
        return result
    except CodegenError as exc:
        from .report import problem_lines

        for line in problem_lines(exc.problems, _report_options(args)):
            print(line, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:
        if os.environ.get("CHATKIT_CODEGEN_DEBUG"):
            raise
        print(f"chatkit-codegen: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
