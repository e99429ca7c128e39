"""``chatkit-codegen validate``: one broken document per rule, each with its exact
output; the output format and exit codes; the upstream subset's real defects; and
the curated spec clean of errors and warnings.

Adding a case is adding two files to tests/documents_with_errors/: ``NN_name.yaml``
(or ``.json``) and ``NN_name.expected`` holding the exact lines validate prints under
the default severity policy, every warning shown (``CORPUS_FLAGS``). Refresh an expected
file only after reading the new output:
``cd tests/documents_with_errors && chatkit-codegen validate --no-strict --doc-warnings --verbose NN_name.yaml > NN_name.expected 2>&1``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from chatkit_codegen.cli import main
from conftest import ROOT, SPEC, UPSTREAM

CORPUS = Path(__file__).parent / "documents_with_errors"
# The policy users get (this repository's pyproject says strict), every warning on its line.
CORPUS_FLAGS = ("--no-strict", "--doc-warnings", "--verbose")
DOCUMENTS = sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json"))
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): (?P<level>error|warning): "
    r"(?P<pointer>/[^:]*|/): (?P<message>.+)$"
)
SUMMARY = re.compile(r"^(?P<file>[^:]+): (?P<verdict>valid|invalid): (?P<errors>\d+) errors?, (?P<warnings>\d+) warnings?")


def run_validate(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, folder: Path, *args: str
) -> tuple[int, list[str]]:
    monkeypatch.chdir(folder)
    code = main(["validate", *args])
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def test_the_corpus_is_complete() -> None:
    assert len(DOCUMENTS) >= 30
    expected = sorted(p.with_suffix(".expected").name for p in DOCUMENTS)
    assert sorted(p.name for p in CORPUS.glob("*.expected")) == expected
    assert len({p.name.split("_", 1)[0] for p in DOCUMENTS}) == len(DOCUMENTS), "numbers are unique"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.stem)
def test_broken_document_gives_exactly_the_expected_output(
    document: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = document.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    code, lines = run_validate(capsys, monkeypatch, CORPUS, *CORPUS_FLAGS, document.name)
    assert lines == expected, (
        f"validate output for {document.name} changed; if the new output is right, write it to "
        f"{document.with_suffix('.expected').name}"
    )
    *problems, last = lines
    for line in problems:
        match = LINE.match(line)
        assert match, f"not FILE:LINE:COL: level: /pointer: message: {line!r}"
        assert match["file"] == document.name
    summary = SUMMARY.match(last)
    assert summary and summary["file"] == document.name, last
    errors = sum(": error: " in line for line in problems)
    assert (int(summary["errors"]), int(summary["warnings"])) == (errors, len(problems) - errors)
    assert code == (1 if errors else 0)


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.stem)
def test_strict_makes_every_policy_warning_the_error_it_was(
    document: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--strict: the same findings; a warning that says a fallback is an error without it."""
    from chatkit_codegen.load.severity import FALLBACKS

    _, lenient = run_validate(capsys, monkeypatch, CORPUS, *CORPUS_FLAGS, document.name)
    code, strict = run_validate(capsys, monkeypatch, CORPUS, "--strict", "--doc-warnings", "--verbose", document.name)
    hardened = []
    for line in lenient[:-1]:
        for fallback in FALLBACKS.values():
            if ": warning: " in line and line.endswith("; " + fallback):
                line = line[: -len(fallback) - 2].replace(": warning: ", ": error: ", 1)
        hardened.append(line)
    assert sorted(strict[:-1]) == sorted(hardened)
    assert code == (1 if any(": error: " in line for line in hardened) else 0)


def test_the_corpus_covers_every_rule() -> None:
    """Each rule of the validator has a document in the corpus that triggers it."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in CORPUS.glob("*.expected"))
    rules = [
        "invalid YAML",
        "invalid JSON",
        "refused YAML tag 'tag:yaml.org,2002:python/",
        "duplicate key",
        "alias bomb",
        "nests deeper than",
        "document is not a mapping",
        "document is empty",
        "file is not UTF-8",
        "Swagger 2.0 documents are not supported",
        "unsupported OpenAPI version",
        "'info' is a required property",
        "is not of type 'object'",
        "unresolvable reference",
        "file reference",
        "remote reference",
        "reference cycle",
        "duplicate operationId",
        "is not declared as an 'in: path' parameter",
        "does not appear in the path template",
        "duplicate parameter",
        "is missing from this variant; read as a plain union",
        "is not a single-value constant",
        "is not unique",
        "discriminator without oneOf or anyOf; the discriminator is ignored",
        "/default: default is not valid against its schema: at (root): 'abc' does not match",
        "/default: default is not valid against its schema: at (root): None is not of type 'object'",
        "required lists 'id' more than once; read once",
        "boolean exclusiveMinimum is OpenAPI 3.0 syntax",
        "/nullable: nullable is OpenAPI 3.0",
        "$recursiveAnchor is JSON Schema 2019-09",
        "unknown schema keyword 'maxLenght' (did you mean 'maxLength'?); noted and ignored",
        "did you mean '#/components/schemas/ChatKitThread'?",
        "'integr' is not a type; did you mean 'integer'? (valid types: array, boolean, integer, null,",
        "/example: example is not valid",
        "/examples/1: example is not valid",
        "/parameters/0/example: example is not valid",
        "/requestBody/content/application~1json/example: example is not valid",
        "/examples/bad/value: example is not valid",
        "/responses/200/content/application~1json/example: example is not valid",
        "; reported and not trusted",
        "warning: /components/schemas/Status: schema has no description",
        "property has no description",
        "is not a Python class name",
        "needs sanitising",
        "uses a reserved prefix",
    ]
    missing = [rule for rule in rules if rule not in text]
    assert not missing


def test_request_examples_may_omit_read_only_properties(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The request body example of 35 omits the readOnly id and is valid; only the
    response example (which must carry it) is reported."""
    _, lines = run_validate(capsys, monkeypatch, CORPUS, "35_response_example_missing_read_only.yaml")
    assert [line for line in lines if "/requestBody/" in line] == []
    assert len(lines) == 2 and "/responses/200/" in lines[0]


def test_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "chatkit_codegen", *args], cwd=CORPUS, capture_output=True, text=True, check=False
        )

    clean = cli("validate", "40_clean.yaml")
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "40_clean.yaml: valid: 0 errors, 0 warnings\n", "")
    warned = cli("validate", "--doc-warnings", "36_warning_schema_without_description.yaml")
    assert warned.returncode == 0 and ": warning: " in warned.stdout
    assert cli("validate", "--fail-on-warning", "--doc-warnings", "36_warning_schema_without_description.yaml").returncode == 1
    # documentation warnings not asked for are not shown, so they do not fail the run
    assert cli("validate", "--fail-on-warning", "36_warning_schema_without_description.yaml").returncode == 0
    for name in ("14_paths_wrong_type.yaml", "03_python_tag.yaml", "07_alias_bomb.yaml", "11_not_utf8.yaml"):
        broken = cli("validate", name)
        assert broken.returncode == 1, name
        assert "Traceback" not in broken.stdout + broken.stderr
        assert "internal error" not in broken.stderr
    missing = cli("validate", str(tmp_path / "nope.yaml"))
    assert missing.returncode == 1
    assert missing.stdout.endswith(
        "nope.yaml:1:1: error: /: cannot read file: No such file or directory\n"
        f"{tmp_path / 'nope.yaml'}: invalid: 1 error, 0 warnings\n"
    )
    folder = cli("validate", str(tmp_path))
    assert folder.returncode == 1 and "cannot read file" in folder.stdout
    usage = cli("validate", "--no-such-flag")
    assert usage.returncode == 2 and "usage:" in usage.stderr and "Traceback" not in usage.stderr
    assert cli("frobnicate").returncode == 2
    assert cli().returncode == 2


def test_curated_spec_has_no_errors_and_no_warnings(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, lines = run_validate(capsys, monkeypatch, ROOT, "--strict", "--doc-warnings", "--fail-on-warning", str(SPEC))
    assert (code, lines) == (0, [f"{SPEC}: valid: 0 errors, 0 warnings"])


def _position(text: str, after: str, pattern: str) -> str:
    """``LINE:COL`` of the first line matching ``pattern`` after the line ``after``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == after)
    found = next(i for i in range(start + 1, len(lines)) if re.match(pattern, lines[i]))
    return f"{found + 1}:{len(lines[found]) - len(lines[found].lstrip()) + 1}"


def test_upstream_subset_is_reported_with_its_real_defects(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, lines = run_validate(capsys, monkeypatch, UPSTREAM.parent, "--strict", "--doc-warnings", UPSTREAM.name)
    assert code == 1
    text = UPSTREAM.read_text(encoding="utf-8")
    errors = [line for line in lines if ": error: " in line]
    # The ChatSessionResource example lacks the workflow's required state_variables
    # (and tracing): reported on the line of its ``example:`` key.
    example = _position(text, "ChatSessionResource:", r"^\s+example:")
    assert errors == [
        f"{UPSTREAM.name}:{example}: error: /components/schemas/ChatSessionResource/example: "
        "example is not valid against its schema: at ['workflow']: 'state_variables' is a required property"
    ]
    # Its warnings are real too: schemas and properties without descriptions, each
    # on the line where the schema or property starts.
    # Under the default policy the invalid example is a warning: generate goes on.
    lenient_code, lenient = run_validate(capsys, monkeypatch, UPSTREAM.parent, "--no-strict", UPSTREAM.name)
    assert lenient_code == 0
    assert lenient[0] == errors[0].replace(": error: ", ": warning: ") + "; reported and not trusted"
    warnings = [LINE.match(line) for line in lines if ": warning: " in line]
    assert warnings and all(warnings)
    for match in warnings:
        assert match is not None
        name = match["pointer"].rsplit("/", 1)[-1]
        assert text.splitlines()[int(match["line"]) - 1].strip().startswith(f"{name}:"), match.group(0)
    assert "warning: /components/schemas/UserMessageItem/properties/type: property has no description" in "\n".join(
        lines
    )
