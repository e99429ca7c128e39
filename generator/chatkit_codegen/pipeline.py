"""The pipeline: load → validate → IR → render (in memory) → check → write atomically."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from . import __version__
from .config import Config
from .errors import SPEC_FILE, CodegenError, Level, Problem, has_errors
from .load.document import Document, load_document, load_text, read_text, text_sha256
from .parallel import Pending, in_child

if TYPE_CHECKING:  # imported where it is used: a cold run imports it in a child first
    from .ir.model import API

# Build artefacts that may sit in the output folder without being drift.
IGNORED_PARTS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", "dist", "build", ".venv"}


@dataclass
class Result:
    files: dict[str, str]
    api: API
    warnings: list[str]


def validate_cached(doc: Document) -> list[Problem]:
    """Full validation, remembered by content hash so unchanged specs are not re-checked.

    A spec without errors is remembered with its warnings, which are reported again
    on every run exactly as a fresh validation would report them.
    """
    import json

    from .cache import cache_dir, read_entry, write_entry
    from .load.severity import POLICY_VERSION

    key = hashlib.sha256(f"{doc.sha256}\0{doc.display_name}".encode()).hexdigest()
    marker = cache_dir() / f"valid-{__version__}-p{POLICY_VERSION}-{key}"
    cached = read_entry(marker)
    if cached is not None:
        try:
            return [Problem(f, ln, col, Level(lv), ptr, msg) for f, ln, col, lv, ptr, msg in json.loads(cached)]
        except (ValueError, TypeError):
            pass  # an unreadable entry: validate again and rewrite it
    from .load.validate import validate_document

    problems = validate_document(doc)
    if not has_errors(problems):
        rows = [[p.file, p.line, p.col, p.level.value, p.pointer, p.message] for p in problems]
        write_entry(marker, json.dumps(rows))
    return problems


# From this size on, a document is validated in a child process while it is built and
# rendered here; below it, it is parsed, validated and built in a child while the
# renderers are imported here (``parallel``).
PARALLEL_MIN_BYTES = 200_000


def load_and_build(
    cfg: Config, *, validate: bool = True, doc: Document | None = None, then_render: bool = False
) -> tuple[API, list[str]]:
    """The validated document's IR and the report lines (``then_render``: the renderers
    are wanted next, and are imported while a child validates)."""
    if doc is None:
        doc = load_document(cfg.spec, str(cfg.spec), allow_refs=cfg.allow_refs)
    loaded = doc
    problems: list[Problem] = []
    if validate:
        checked = in_child(lambda: validate_cached(loaded), worth_it=then_render)
        if checked.forked:
            _import_renderers()
        problems = _passed(cfg, checked.result())
    api, readings = _build(doc, validate)
    return api, _report(cfg, problems, readings)


def _build(doc: Document, validate: bool) -> tuple[API, list[Problem]]:
    """The IR of ``doc``, and the problems of reading it."""
    from .ir.build import build_api
    from .ir.support import supported_api

    api = build_api(doc)
    if validate:  # validation said these already: each defect is reported once
        api = dataclasses.replace(api, notes=tuple(n for n in api.notes if not n.validated))
    return supported_api(api, doc.data, doc.problem)


def _passed(cfg: Config, problems: list[Problem]) -> list[Problem]:
    """Validation's ``problems``, raised when they hold an error (warnings count as errors
    under ``strict``)."""
    from .load.severity import harden

    if cfg.strict:
        problems = harden(problems)
    if has_errors(problems):
        raise CodegenError(problems)
    return problems


def _report(cfg: Config, problems: list[Problem], readings: list[Problem]) -> list[str]:
    """The report lines of a document that passed; under ``strict`` its readings are errors."""
    from .load.severity import harden
    from .report import ReportOptions, problem_lines

    if cfg.strict and readings:
        raise CodegenError(harden(readings))
    return problem_lines(sorted(set(problems + readings)), ReportOptions(verbose=cfg.verbose, doc_warnings=cfg.doc_warnings))


def _import_renderers() -> None:
    """What this process needs next while a child parses or validates: the IR builder
    and the renderers."""
    from .ir import build, support  # noqa: F401
    from .render import package

    package.renderers()


def render_files(api: API, cfg: Config) -> dict[str, str]:
    code, docs = render_parts(api, cfg)
    return merged(code, docs.result())


def render_parts(api: API, cfg: Config) -> tuple[dict[str, str], Pending[dict[str, str]]]:
    """The package's files, and the docs still being rendered (by a child, for a
    document large enough: the package's files are parsed here meanwhile)."""
    from .doc_names import with_document_names
    from .render.env import make_env
    from .render.package import render_package_parts

    cfg = with_document_names(cfg, api)  # names the configuration leaves to the document
    env = make_env(cfg.templates)
    code, docs = render_package_parts(api, cfg, env)
    for path in code:
        _check_relative(path)
    return code, docs


def merged(code: dict[str, str], docs: dict[str, str]) -> dict[str, str]:
    """Both parts of the tree, in path order."""
    from .render.package import merge_parts

    for path in docs:
        _check_relative(path)
    return dict(sorted(merge_parts(code, docs).items()))


def _check_relative(path: str) -> None:
    p = PurePosixPath(path)
    if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in path or "\x00" in path:
        raise CodegenError(
            [Problem("<output>", 1, 1, Level.ERROR, "", f"refusing to write outside the output folder: {path!r}")]
        )


def check_sources(files: dict[str, str]) -> None:
    """Every Python file must parse; a file that does not is a generator bug, never written.

    The Python files' hash is remembered once they all parsed, so an unchanged tree
    is not parsed again.
    """
    inspect_sources(files, verdict=False)


# From this many Python files on, half of them are parsed (and judged) in a child process.
PARALLEL_MIN_FILES = 400


def inspect_sources(files: dict[str, str], *, verdict: bool = True) -> list[str]:
    """``check_sources``, and (``verdict``) the Python files with a line black would
    still split, judged from the trees parsed (``pyfmt.lines_black_would_change``).
    A large package is parsed by two processes, half each."""
    from .cache import cache_dir, read_entry, write_entry

    sources = {path: text for path, text in files.items() if path.endswith(".py")}
    marker = cache_dir() / f"parsed-{digest(sources)}"
    if read_entry(marker) is not None:
        return _black_todo(sources) if verdict else []
    paths = list(sources)
    half = _middle([len(sources[p]) for p in paths])
    other = in_child(lambda: _inspect(sources, paths[half:], verdict), worth_it=len(paths) >= PARALLEL_MIN_FILES)
    try:
        problems, todo = _inspect(sources, paths[:half], verdict)
    except BaseException:
        other.cancel()
        raise
    more_problems, more_todo = other.result()
    problems += more_problems
    if problems:
        raise CodegenError(problems)
    write_entry(marker, "ok\n")
    return todo + more_todo


def _middle(sizes: list[int]) -> int:
    """Where to cut ``sizes`` in two halves of about the same total: parsing takes time
    by the text, and one package module can be as large as hundreds of others."""
    total, running = sum(sizes), 0
    for index, size in enumerate(sizes):
        if 2 * (running + size) > total:
            return index if 2 * running + size > total else index + 1
        running += size
    return len(sizes)


def _inspect(sources: dict[str, str], paths: list[str], verdict: bool) -> tuple[list[Problem], list[str]]:
    import ast

    from .render.pyfmt import lines_black_would_change

    problems: list[Problem] = []
    todo: list[str] = []
    for path in paths:
        text = sources[path]
        try:
            tree = ast.parse(text, filename=path)
        except SyntaxError as exc:
            problems.append(
                Problem(path, exc.lineno or 1, exc.offset or 1, Level.ERROR, "", f"generated file does not parse: {exc.msg}")
            )
            continue
        if verdict and lines_black_would_change(text, tree):
            todo.append(path)
    return problems, todo


def _black_todo(sources: dict[str, str]) -> list[str]:
    from .render.pyfmt import lines_black_would_change

    return [p for p, t in sources.items() if lines_black_would_change(t)]


def format_long_files(
    files: dict[str, str],
    formatter: Callable[[str], str] | None = None,
    todo: list[str] | None = None,
) -> dict[str, str]:
    """Run black only on Python files with a line black would still split (``todo``,
    when ``inspect_sources`` said which already).

    The layout is computed black-style while rendering (``render/pyfmt.py``), so the
    built-in templates never produce such a line and a run with them never imports
    black; over-long docstring lines and import items black leaves as they are. A
    user's template may print anything, and its output is formatted here.
    """
    if todo is None:
        todo = _black_todo({p: t for p, t in files.items() if p.endswith(".py")})
    if not todo:
        return files
    if formatter is None:
        return _format_with_black(files, todo)
    out = dict(files)
    for path in todo:
        out[path] = formatter(files[path])
    return out


def _format_with_black(files: dict[str, str], todo: list[str]) -> dict[str, str]:
    """black on ``todo``, its output remembered per input text: a file that did not
    change since the last run is neither formatted again nor is black imported."""
    from .cache import FormatCache, black_identity

    identity = black_identity()
    if identity is None:  # pragma: no cover - black is a dependency of the dev extra
        return files
    cache = FormatCache(f"black-{identity}-default-mode")
    out = dict(files)
    missing = []
    for path in todo:
        hit = cache.get(files[path])
        if hit is None:
            missing.append(path)
        else:
            out[path] = hit
    if missing:
        try:
            import black
        except ImportError:  # pragma: no cover - a broken install
            return files
        mode = black.Mode()
        for path in missing:
            out[path] = black.format_str(files[path], mode=mode)
            cache.put(files[path], out[path])
    return out


def generate_cached(cfg: Config, *, validate: bool = True) -> Result:
    """``generate``, remembered in the user cache by everything its result depends on
    (``result_entry``): for an unchanged spec, configuration and toolkit the commands
    (generate, check) neither validate, build nor render again."""
    result, saving = generate_and_save(cfg, validate=validate)
    saving.result()
    return result


def generate_and_save(cfg: Config, *, validate: bool = True) -> tuple[Result, Pending[None]]:
    """``generate_cached``, with the result's cache entry still being written: a large
    result is pickled and written by a child while the caller writes or compares the
    tree. The caller waits for it (``result()``) before it returns."""
    import pickle

    from .cache import read_bytes_entry, write_entry

    # The key reads the spec's text only: a cold run parses it once, where it is needed.
    doc = load_document(cfg.spec, str(cfg.spec), allow_refs=cfg.allow_refs) if cfg.allow_refs else None
    text = doc.text if doc is not None else read_text(cfg.spec, str(cfg.spec))
    entry = result_entry(cfg, validate, doc.sha256 if doc is not None else text_sha256(text))
    cached = read_bytes_entry(entry) if entry is not None else None
    if cached is not None:
        try:
            result = pickle.loads(cached)
            if isinstance(result, Result):
                return result, in_child(lambda: None, worth_it=False)
        except Exception:  # a damaged or foreign entry: generate again
            pass
    result = generate(cfg, validate=validate, doc=doc, text=text)

    def save() -> None:
        if entry is not None:
            write_entry(entry, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))

    return result, in_child(save, worth_it=len(result.files) >= PARALLEL_MIN_FILES)


def result_entry(cfg: Config, validate: bool, spec_sha256: str) -> Path | None:
    """Where the result of ``cfg`` is remembered: keyed by the spec's content
    (``spec_sha256``, with its inlined files), every setting of ``cfg`` but the output
    folder, and the toolkit's own files and the user's templates (by path, size and
    modification time). None when a file cannot be read: then nothing is remembered."""
    from .cache import cache_dir
    from .render.builtin import builtin_templates

    settings = dataclasses.replace(cfg, out=Path("."))  # the files do not depend on where they go
    h = hashlib.sha256(f"{__version__}\0{spec_sha256}\0{validate}\0{settings!r}".encode())
    roots = [Path(__file__).parent, builtin_templates(), *([cfg.templates] if cfg.templates else [])]
    try:
        for root in roots:
            for path in sorted(root.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    info = path.stat()
                    h.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    except OSError:
        return None
    return cache_dir() / "results" / f"{h.hexdigest()}.pickle"


def generate(cfg: Config, *, validate: bool = True, doc: Document | None = None, text: str | None = None) -> Result:
    """The files of ``cfg``'s package and docs, with the API and the report lines
    (``doc``: the spec, when the caller loaded it already; ``text``: its text, when
    the caller read it)."""
    if doc is None and not cfg.allow_refs:
        spec_text = read_text(cfg.spec, str(cfg.spec)) if text is None else text
        if len(spec_text) < PARALLEL_MIN_BYTES:
            # Parsed and validated in a child while the builder and renderers are imported here.
            early = in_child(lambda: _load_checked(cfg, spec_text, validate))
            if early.forked:
                _import_renderers()
            loaded, problems = early.result()
            api, readings = _build(loaded, validate)
            return _render(cfg, api, _report(cfg, problems, readings))
        doc = load_text(spec_text, cfg.spec, str(cfg.spec))
    if doc is None:
        doc = load_document(cfg.spec, str(cfg.spec), allow_refs=cfg.allow_refs)
    if validate and len(doc.text) >= PARALLEL_MIN_BYTES:
        return _speculate(cfg, doc)
    api, warnings = load_and_build(cfg, validate=validate, doc=doc, then_render=True)
    return _render(cfg, api, warnings)


def _speculate(cfg: Config, doc: Document) -> Result:
    """A large document is validated in a child while it is built and rendered here.
    The files are kept only once validation passed, and every failure is reported as
    if the steps ran one after the other: validation's errors first."""
    checked = in_child(lambda: validate_cached(doc))
    if not checked.forked:
        api, warnings = load_and_build(cfg, doc=doc)
        return _render(cfg, api, warnings)
    try:
        api, readings = _build(doc, validate=True)
        if checked.ready():  # validation finished first: an invalid document is not rendered
            _passed(cfg, checked.result())
        result = _render(cfg, api, [])
    except Exception:
        _passed(cfg, checked.result())
        raise
    except BaseException:
        checked.cancel()
        raise
    return dataclasses.replace(result, warnings=_report(cfg, _passed(cfg, checked.result()), readings))


def _render(cfg: Config, api: API, warnings: list[str]) -> Result:
    """Render ``api``, check that every Python file parses, and format the few files
    with a line the layout could not keep short."""
    try:
        code, docs = render_parts(api, cfg)
    except CodegenError as exc:
        raise _located(cfg, exc) from None
    try:
        todo = inspect_sources(code)  # every file parses, before black would fail on it less clearly
    except Exception:
        _docs(cfg, docs)  # a renderer's error comes first, as if the docs had been rendered before
        raise
    except BaseException:
        docs.cancel()
        raise
    rest = _docs(cfg, docs)
    if any(path.endswith(".py") for path in rest):
        todo += inspect_sources(rest)
    files = format_long_files(merged(code, rest), todo=todo)
    if todo:
        check_sources(files)
    return Result(files=files, api=api, warnings=warnings)


def _docs(cfg: Config, docs: Pending[dict[str, str]]) -> dict[str, str]:
    try:
        return docs.result()
    except CodegenError as exc:
        raise _located(cfg, exc) from None


def _load_checked(cfg: Config, text: str, validate: bool) -> tuple[Document, list[Problem]]:
    """The document of ``text`` and (``validate``) its validation problems, raised when
    they hold an error; what a child hands back (its YAML nodes are composed again
    where needed, not sent)."""
    doc = load_text(text, cfg.spec, str(cfg.spec))
    problems = _passed(cfg, validate_cached(doc)) if validate else []
    if doc._nodes is not None:
        doc = dataclasses.replace(doc, _nodes=None, _index={})
    return doc, problems


def _located(cfg: Config, exc: CodegenError) -> CodegenError:
    """Renderer problems name the spec as ``<spec>``: give them its file, line and column."""
    if not any(p.file == SPEC_FILE for p in exc.problems):
        return exc
    doc = load_document(cfg.spec, str(cfg.spec), allow_refs=cfg.allow_refs)
    return CodegenError(
        doc.problem(p.level, p.pointer, p.message) if p.file == SPEC_FILE else p for p in exc.problems
    )


def _refuse(message: str) -> CodegenError:
    return CodegenError([Problem("<output>", 1, 1, Level.ERROR, "", message)])


def write_tree(out: Path, files: dict[str, str], protect: Sequence[Path] = ()) -> None:
    """Write ``files`` into a temporary sibling folder, then swap it in for ``out``.

    The old ``out`` is replaced whole, so it may not be a file, nor hold the current
    folder or any path in ``protect`` (the spec, the templates). A file whose bytes
    are unchanged is hard-linked from the old folder instead of written again: on
    many file systems creating thousands of small files costs more than generating
    them, and a regeneration usually changes few.
    """
    import shutil
    import tempfile

    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise _refuse(f"output path {str(out)!r} exists and is not a folder")
    for keep in (Path.cwd(), *protect):
        if keep.resolve().is_relative_to(out):
            raise _refuse(f"refusing to replace {str(out)!r}: it contains {str(keep.resolve())!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent)).resolve()
    previous = out if out.is_dir() else None
    try:
        for rel in files:
            _check_relative(rel)
        items = list(files.items())
        half = len(items) // 2
        # Creating thousands of files is system calls: a large tree is written by two
        # processes, half each (``parallel``), into the same temporary folder.
        other = in_child(lambda: _write_files(tmp, previous, items[half:]), worth_it=len(items) >= PARALLEL_MIN_FILES)
        try:
            _write_files(tmp, previous, items[:half])
        except BaseException:
            other.cancel()  # before the folder it writes into is removed
            raise
        other.result()
        old = None
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            old.rmdir()
            out.rename(old)
        try:
            tmp.rename(out)
        except OSError:
            if old is not None:
                old.rename(out)
            raise
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _write_files(tmp: Path, previous: Path | None, items: list[tuple[str, str]]) -> None:
    made: set[Path] = {tmp}
    checked: dict[Path, bool] = {}  # old folders known to lie inside ``out`` (no links)
    for rel, text in items:
        # tmp is a fresh folder of ours (no links inside) and rel has no "..", so
        # the joined path is already the real one: no per-file resolve() needed
        target = tmp / rel
        if not target.is_relative_to(tmp):
            raise CodegenError(
                [Problem("<output>", 1, 1, Level.ERROR, "", f"refusing to write outside the output folder: {rel!r}")]
            )
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.update(target.parents)
        data = text.encode("utf-8")
        old = previous / rel if previous is not None else None
        if not (old is not None and _inside(old.parent, previous, checked) and _link_if_same(old, target, data)):
            target.write_bytes(data)


def _inside(folder: Path, root: Path | None, checked: dict[Path, bool]) -> bool:
    """Whether ``folder`` really is under ``root``, no symlink on the way (cached)."""
    if root is None:
        return False
    if folder not in checked:
        checked[folder] = Path(os.path.realpath(folder)).is_relative_to(root)
    return checked[folder]


def _link_if_same(old: Path, new: Path, data: bytes) -> bool:
    """Hard-link ``old`` to ``new`` when it is a regular file holding exactly ``data``."""
    import stat

    try:
        info = os.lstat(old)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data) or old.read_bytes() != data:
            return False
        os.link(old, new, follow_symlinks=False)
    except OSError:  # gone, unreadable, or a file system without hard links
        return False
    return True


def generate_to_disk(cfg: Config, *, validate: bool = True) -> list[str]:
    result, saving = generate_and_save(cfg, validate=validate)
    try:
        write_tree(cfg.out, result.files, protect=[p for p in (cfg.spec, cfg.templates) if p is not None])
    finally:
        saving.result()
    from .report import ReportOptions, problem_lines

    report = list(result.warnings)
    notes = [
        Problem(result.api.spec_name, n.line, n.col, Level(n.level), n.pointer, n.message) for n in result.api.notes
    ]
    report += problem_lines(notes, ReportOptions(verbose=cfg.verbose, doc_warnings=cfg.doc_warnings))
    if result.api.notes:
        report.append(f"{len(result.api.notes)} names or constructs were renamed or approximated (notes above)")
    report.append(summary_line(result.api, len(result.files), cfg.out))
    return report


def summary_line(api: API, files: int, out: Path) -> str:
    """What was kept against what the document holds: every component schema becomes a
    declaration and every operation a method, or the numbers say otherwise."""
    from .ir.readers.schema import COMPONENT_PREFIX

    schemas = {
        d.pointer
        for d in api.decls.values()
        if d.pointer.startswith(COMPONENT_PREFIX) and "/" not in d.pointer[len(COMPONENT_PREFIX) :]
    }
    events = "".join(
        f", {n:,} {kind}{'s' if n != 1 else ''}"
        for kind in ("webhook", "callback")
        if (n := sum(1 for e in api.events if e.kind == kind))
    )
    return (
        f"generated {files:,} files into {out}: "
        f"{len(schemas):,} of {api.document_schemas:,} component schemas, "
        f"{len(api.operations):,} of {api.document_operations:,} operations{events} "
        f"({len(api.decls):,} declarations)"
    )


def digest(files: dict[str, str]) -> str:
    h = hashlib.sha256()
    for path in sorted(files):
        h.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    return h.hexdigest()


def read_tree(out: Path) -> dict[str, str]:
    """The files under ``out`` that generation owns (build artefacts are skipped)."""
    files: dict[str, str] = {}
    if not out.is_dir():
        return files
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out)
        if any(part in IGNORED_PARTS or part.endswith(".egg-info") for part in rel.parts):
            continue
        if path.is_file():
            try:
                files[rel.as_posix()] = path.read_bytes().decode("utf-8")
            except UnicodeDecodeError:
                files[rel.as_posix()] = "<binary file>"
    return files


def eprint(*lines: str) -> None:
    for line in lines:
        print(line, file=sys.stderr)
