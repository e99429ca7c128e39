"""Side-by-side steps (``parallel.py``): the same result whether a child process ran
or not, validation errors first, and a child that fails is never fatal."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from chatkit_codegen import parallel, pipeline
from chatkit_codegen.errors import CodegenError, Level, Problem
from chatkit_codegen.render import package
from golden import Case, cases, config_for

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")


@pytest.fixture
def always_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every document counts as large: validation and build, docs and code side by side."""
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "2")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(package, "PARALLEL_MIN_DECLS", 0)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 0)


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    started: list[int] = []
    real = os.fork

    def counting() -> int:
        pid = real()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting)
    return started


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_the_result_does_not_depend_on_the_child_processes(
    case: Case, always_fork: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _forks(monkeypatch)
    side_by_side = pipeline.generate(config_for(case))
    # the IR build, the docs and half the parsing ran in children (parsing is remembered)
    assert len(started) in (2, 3)
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "1")
    forked = len(started)
    one_by_one = pipeline.generate(config_for(case))
    assert len(started) == forked
    assert side_by_side.files == one_by_one.files
    assert side_by_side.warnings == one_by_one.warnings
    assert side_by_side.api == one_by_one.api


def test_a_small_document_is_validated_in_a_child_while_the_renderers_load_and_its_docs_beside_the_code(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # validation not remembered yet
    started = _forks(monkeypatch)
    case = cases()[0]
    side_by_side = pipeline.generate(config_for(case))
    # parsing and validation, and the docs (rendered while the package is parsed); the
    # document is below every other threshold
    assert len(started) == 2
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "1")
    one_by_one = pipeline.generate(config_for(case))
    assert len(started) == 2
    assert (side_by_side.files, side_by_side.warnings) == (one_by_one.files, one_by_one.warnings)


@pytest.mark.parametrize("large", [False, True])
def test_validation_errors_come_first_from_either_process(
    large: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small: validated in the child. Large: validated here while the child builds."""
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "2")
    if large:
        monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        'openapi: 3.1.0\ninfo: {title: t, version: "1"}\npaths: {}\n'
        "components:\n  schemas:\n    A: {type: strin}\n    B: {$ref: '#/components/schemas/Nowhere'}\n"
    )
    base = config_for(cases()[0])
    with pytest.raises(CodegenError) as info:
        pipeline.generate(base.with_overrides(spec=spec, out=tmp_path / "out", strict=False))
    messages = [p.message for p in info.value.problems]
    assert any("unresolvable reference" in m for m in messages), messages
    assert any("strin" in m for m in messages), messages
    assert all(p.file.endswith("spec.yaml") for p in info.value.problems)


def test_a_file_that_does_not_parse_is_found_in_either_half(
    always_fork: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    files = {f"pkg/m{i}.py": f"x{i} = {i}\n" for i in range(6)}
    for broken in ("pkg/m0.py", "pkg/m5.py"):  # the parent's half, the child's half
        with pytest.raises(CodegenError) as info:
            pipeline.inspect_sources({**files, broken: "x = (\n"})
        assert [p.file for p in info.value.problems] == [broken]
    long = "y = " + " + ".join(f"name_{i}" for i in range(20)) + "\n"
    assert pipeline.inspect_sources({**files, "pkg/m1.py": long, "pkg/m4.py": long}) == ["pkg/m1.py", "pkg/m4.py"]


def test_an_error_in_the_child_is_raised_in_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "2")
    problem = Problem("spec.yaml", 3, 4, Level.ERROR, "/paths", "refused")

    def fails() -> None:
        raise CodegenError([problem])

    pending = parallel.in_child(fails)
    with pytest.raises(CodegenError) as info:
        pending.result()
    assert info.value.problems == [problem]  # pickled with its problems, not its message


def test_a_child_that_dies_leaves_the_step_to_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "2")
    parent = os.getpid()

    def step() -> int:
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer would
        return 42

    assert parallel.in_child(step).result() == 42


def test_one_job_runs_everything_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "1")
    started = _forks(monkeypatch)
    assert parallel.in_child(os.getpid).result() == os.getpid()
    assert started == []


@pytest.mark.parametrize("again", [False, True])
def test_a_tree_written_by_two_processes_is_the_tree(
    again: bool, always_fork: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {f"pkg/sub{i % 7}/m{i}.py": f"x = {i}\n" for i in range(50)}
    out = tmp_path / "out"
    started = _forks(monkeypatch)
    pipeline.write_tree(out, files)
    if again:  # a regeneration: unchanged files are hard links to the old ones
        pipeline.write_tree(out, {**files, "pkg/sub0/m0.py": "x = 'changed'\n"})
        files["pkg/sub0/m0.py"] = "x = 'changed'\n"
    assert len(started) == (2 if again else 1)
    assert pipeline.read_tree(out) == files
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left


def test_a_refused_tree_leaves_nothing_behind(always_fork: None, tmp_path: Path) -> None:
    files = {f"m{i}.py": "x = 1\n" for i in range(10)} | {"../escape.py": "x = 1\n"}
    with pytest.raises(CodegenError):
        pipeline.write_tree(tmp_path / "out", files)
    assert list(tmp_path.iterdir()) == []


def test_a_large_document_is_built_and_rendered_here_while_a_child_validates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)
    parent, validated_in = os.getpid(), tmp_path / "validated-in"
    built_in: list[int] = []
    real_validate, real_build = pipeline.validate_cached, pipeline._build

    def validate(doc: object) -> list[Problem]:
        validated_in.write_text(str(os.getpid()))
        return real_validate(doc)  # type: ignore[arg-type]

    def build(*args: object, **kwargs: object) -> object:
        built_in.append(os.getpid())
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "validate_cached", validate)
    monkeypatch.setattr(pipeline, "_build", build)
    case = cases()[0]
    side_by_side = pipeline.generate(config_for(case))
    assert built_in == [parent] and int(validated_in.read_text()) != parent
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "1")
    one_by_one = pipeline.generate(config_for(case))
    assert (side_by_side.files, side_by_side.warnings) == (one_by_one.files, one_by_one.warnings)


@pytest.mark.parametrize("valid", [False, True])
def test_a_build_that_fails_beside_validation_reports_validation_first(
    valid: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An invalid document may break the build that runs beside its validation: the
    user sees validation's errors, as if the steps ran one after the other."""
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_BYTES", 0)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the build broke")

    monkeypatch.setattr(pipeline, "_build", broken)
    spec = tmp_path / "spec.yaml"
    schema = "{type: string}" if valid else "{type: strin}"
    spec.write_text(f'openapi: 3.1.0\ninfo: {{title: t, version: "1"}}\npaths: {{}}\ncomponents:\n  schemas:\n    A: {schema}\n')
    cfg = config_for(cases()[0]).with_overrides(spec=spec, out=tmp_path / "out", strict=False)
    if valid:
        with pytest.raises(RuntimeError, match="the build broke"):
            pipeline.generate(cfg)
    else:
        with pytest.raises(CodegenError) as info:
            pipeline.generate(cfg)
        assert any("strin" in p.message for p in info.value.problems)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_step_runs_once_and_says_when_its_answer_is_ready(jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", jobs)
    calls: list[int] = []

    def step() -> int:
        calls.append(os.getpid())
        return 7

    pending = parallel.in_child(step)
    if jobs == "2":
        import time

        deadline = time.monotonic() + 30
        while not pending.ready() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert pending.ready()
    else:
        assert not pending.ready()  # no child: nothing is waiting
    assert pending.result() == pending.result() == 7
    assert calls == ([] if jobs == "2" else [os.getpid()])  # the parent never computed it twice


def test_a_large_result_is_remembered_by_a_child_while_the_tree_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHATKIT_CODEGEN_JOBS", "2")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 0)
    cfg = config_for(cases()[0]).with_overrides(out=tmp_path / "out")
    started = _forks(monkeypatch)
    pipeline.generate_to_disk(cfg)
    assert len(started) >= 3  # the early build, half the parsing, the cache entry (and half the tree)

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("generated again")

    monkeypatch.setattr(pipeline, "generate", no_build)
    assert pipeline.generate_cached(cfg).files == pipeline.read_tree(tmp_path / "out")
