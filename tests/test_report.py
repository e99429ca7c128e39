"""How problems reach the user: every problem at once with suggestions, a summary line,
warnings grouped by kind (all with --verbose), documentation warnings only when asked,
and the severity policy one flag (or one pyproject key) away from strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from chatkit_codegen.cli import main
from chatkit_codegen.errors import Level, Problem
from chatkit_codegen.report import ReportOptions, kind_of, problem_lines, summary

CORPUS = Path(__file__).parent / "documents_with_errors"
THREE = "49_three_problems.yaml"


def run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, folder: Path, *args: str
) -> tuple[int, list[str], list[str]]:
    monkeypatch.chdir(folder)
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def test_a_broken_ref_a_bad_type_and_an_invalid_example_are_all_reported_with_suggestions(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, err = run(capsys, monkeypatch, CORPUS, "validate", "--no-strict", THREE)
    assert (code, err) == (1, [])
    assert out == [
        f"{THREE}:16:17: error: /components/schemas/Page/properties/first/$ref: unresolvable reference "
        "'#/components/schemas/ChatKitThreadd'; did you mean '#/components/schemas/ChatKitThread'?",
        f"{THREE}:19:17: error: /components/schemas/Page/properties/count/type: 'integr' is not a type; "
        "did you mean 'integer'? (valid types: array, boolean, integer, null, number, object, string)",
        f"{THREE}:24:20: warning: /components/schemas/Page/properties/size/example: example is not valid "
        "against its schema: at (root): 'ten' is not of type 'integer'; reported and not trusted",
        f"{THREE}: invalid: 2 errors, 1 warning",
    ]
    code, out, _ = run(capsys, monkeypatch, CORPUS, "validate", "--strict", THREE)
    assert code == 1
    assert out[2] == (
        f"{THREE}:24:20: error: /components/schemas/Page/properties/size/example: example is not valid "
        "against its schema: at (root): 'ten' is not of type 'integer'"
    )
    assert out[3] == f"{THREE}: invalid: 3 errors, 0 warnings"


def test_a_clean_document_prints_its_summary(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, monkeypatch, CORPUS, "validate", "40_clean.yaml") == (
        0,
        ["40_clean.yaml: valid: 0 errors, 0 warnings"],
        [],
    )


def _many_names(tmp_path: Path, count: int) -> Path:
    props = "\n".join(f"        'field {i}': {{type: string, description: A field.}}" for i in range(count))
    spec = tmp_path / "names.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: Names, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n"
        f"    Thing:\n      type: object\n      properties:\n{props}\n",
        encoding="utf-8",
    )
    return spec


def test_warnings_are_grouped_by_kind_and_all_printed_with_verbose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _many_names(tmp_path, 6)
    code, out, _ = run(capsys, monkeypatch, tmp_path, "validate", "names.yaml")
    assert code == 0
    assert out == [
        "names.yaml:9:20: warning: /components/schemas/Thing/properties/field 0: property name 'field 0' needs "
        "sanitising; it becomes 'field_0' [6 warnings of this kind; also at 10:20 "
        "/components/schemas/Thing/properties/field 1, 11:20 /components/schemas/Thing/properties/field 2, "
        "and 3 more; --verbose lists them]",
        "names.yaml: valid: 0 errors, 6 warnings (1 documentation warning not shown: --doc-warnings)",
    ]
    code, out, _ = run(capsys, monkeypatch, tmp_path, "validate", "--verbose", "names.yaml")
    assert len(out) == 7 and all("needs sanitising" in line for line in out[:6])
    code, out, _ = run(capsys, monkeypatch, tmp_path, "validate", "--doc-warnings", "names.yaml")
    assert out[0] == "names.yaml:6:5: warning: /components/schemas/Thing: schema has no description"
    assert out[-1] == "names.yaml: valid: 0 errors, 7 warnings"


def test_errors_are_never_grouped() -> None:
    problems = [Problem("s.yaml", i, 1, Level.ERROR, f"/p{i}", "duplicate operationId 'x'") for i in range(1, 6)]
    assert problem_lines(problems) == [p.format() for p in problems]
    assert summary("s.yaml", problems) == "s.yaml: invalid: 5 errors, 0 warnings"


def test_kinds_group_messages_that_differ_only_in_names() -> None:
    a = Problem("s", 1, 1, Level.WARNING, "/a", "property name 'a b' needs sanitising; it becomes 'a_b'")
    b = Problem("s", 2, 1, Level.WARNING, "/b", "property name 'class' needs sanitising; it becomes 'class_'")
    c = Problem("s", 3, 1, Level.WARNING, "/c", "extension 'x-oai-a' uses a reserved prefix (x-oai-, x-oas-)")
    assert kind_of(a) == kind_of(b) != kind_of(c)
    d = Problem("s", 4, 1, Level.WARNING, "/d", "discriminator value 'a' is not unique (also variant 0); "
                "read as a plain union (variants tried in order)")
    assert kind_of(d) == "discriminator"
    assert len(problem_lines([a, b, c, d], ReportOptions())) == 3


def test_strict_in_pyproject_makes_policy_warnings_errors_and_the_flag_wins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.chatkit-codegen]\nstrict = true\n', encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(
        (CORPUS / "28_discriminator_not_unique.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    code, out, _ = run(capsys, monkeypatch, tmp_path, "validate", "spec.yaml")
    assert code == 1 and ": error: " in out[0] and not out[0].endswith("(variants tried in order)")
    code, out, _ = run(capsys, monkeypatch, tmp_path, "validate", "--no-strict", "spec.yaml")
    assert code == 0 and ": warning: " in out[0] and out[0].endswith("read as a plain union (variants tried in order)")


def test_generate_goes_on_with_a_safe_reading_and_strict_refuses_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = CORPUS / "30_schema_example_invalid.yaml"
    code, _, err = run(capsys, monkeypatch, tmp_path, "generate", "--spec", str(spec), "--out", "out")
    assert code == 0
    assert any(": warning: /components/schemas/Pet/example: " in line and line.endswith("; reported and not trusted")
               for line in err)
    assert (tmp_path / "out").is_dir()
    code, _, err = run(capsys, monkeypatch, tmp_path, "generate", "--strict", "--spec", str(spec), "--out", "strict")
    assert code == 1 and not (tmp_path / "strict").exists()
    assert [line for line in err if ": error: " in line] == [
        f"{spec}:13:7: error: /components/schemas/Pet/example: example is not valid against its schema: "
        "at ['age']: -3 is less than the minimum of 0"
    ]


def test_generate_groups_its_warnings_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = _many_names(tmp_path, 5)
    code, _, err = run(capsys, monkeypatch, tmp_path, "generate", "--spec", str(spec), "--out", "out")
    assert code == 0
    sanitising = [line for line in err if "needs sanitising" in line]
    assert len(sanitising) == 1 and "[5 warnings of this kind;" in sanitising[0]
    assert not any("has no description" in line for line in err)
    code, _, err = run(
        capsys, monkeypatch, tmp_path, "generate", "--verbose", "--doc-warnings", "--spec", str(spec), "--out", "out"
    )
    assert len([line for line in err if "needs sanitising" in line]) == 5
    assert any("schema has no description" in line for line in err)


NULLABLE_31 = """openapi: 3.1.0
info: {title: Twice said, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      description: A pet.
      properties:
        name: {type: string, nullable: true, description: Its name.}
        tag: {type: string, nullable: true, description: Its tag.}
        a-b: {type: string, description: Needs a new name.}
        c-d: {type: string, description: Needs one too.}
"""


def _generate_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> list[str]:
    spec = tmp_path / "spec.yaml"
    spec.write_text(NULLABLE_31, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["generate", "--spec", str(spec), "--out", str(out), "--package-name", "twice", "--no-strict", *flags]) == 0
    return capsys.readouterr().err.splitlines()


def test_generate_says_each_defect_once_and_groups_its_notes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """validate's warning about 3.0's nullable in a 3.1 document is the one said; the
    IR's own (used when validation is off) is dropped; renames group into one line."""
    lines = _generate_stderr(tmp_path, capsys)
    nullable = [line for line in lines if "nullable" in line]
    assert len(nullable) == 1 and "[2 warnings of this kind; also at 11:" in nullable[0], lines
    assert "read as OpenAPI 3.0 meant it" in nullable[0]
    renames = [line for line in lines if "needs sanitising" in line]
    assert len(renames) == 1 and "[2 warnings of this kind" in renames[0], lines


def test_without_validation_the_ir_says_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _generate_stderr(tmp_path, capsys, "--no-validate")
    nullable = [line for line in lines if "nullable" in line]
    assert len(nullable) == 1 and "'nullable' is an OpenAPI 3.0 keyword" in nullable[0], lines
    assert "[2 warnings of this kind" in nullable[0]


def test_verbose_lists_every_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _generate_stderr(tmp_path, capsys, "--no-validate", "--verbose")
    assert len([line for line in lines if "nullable" in line]) == 2, lines
