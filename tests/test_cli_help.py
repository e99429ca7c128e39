"""Every subcommand's ``--help`` explains each argument and names its default."""

from __future__ import annotations

import re

import pytest
from chatkit_codegen.cli import build_parser
from conftest import run_cli


def _help(*command: str) -> str:
    proc = run_cli(*command, "--help")
    assert proc.returncode == 0, proc.stderr
    return " ".join(proc.stdout.split())  # argparse wraps to the terminal width


def test_diff_help_explains_old_new_format_and_fail_on() -> None:
    text = _help("diff")
    assert "OLD the older document: a file, or REV:PATH for a file in git" in text
    assert "NEW the newer document" in text
    assert re.search(r"--format \{text,json,markdown\} report format: .*\(default: text\)", text)
    assert re.search(r"--fail-on \{breaking,any,never\} exit 1 when .*\(default: never\)", text)


def test_check_help_does_not_claim_to_write() -> None:
    text = _help("check")
    assert "replaced atomically" not in text
    assert "writes nothing" in text and "left untouched" in text
    assert "replaced atomically" in _help("generate")


@pytest.mark.parametrize("command", ["generate", "check"])
def test_name_flags_say_where_the_default_comes_from(command: str) -> None:
    text = _help(command)
    assert "--package-name NAME generated package name (default: from the document's info.title" in text
    assert "--client-name NAME client class; Async + NAME is the asyncio one (default: from info.title" in text
    assert "none if the document declares no security" in text
    assert "--base-url-env VAR" in text and "SWAGGER_PETSTORE_BASE_URL" in text


def test_every_argument_of_every_subcommand_has_help() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    choices = subparsers.choices  # type: ignore[attr-defined]
    assert {"validate", "generate", "check", "diff"} <= set(choices)
    for name, sub in choices.items():
        assert sub.description, name
        for action in sub._actions:
            assert action.help, (name, action.dest)


def test_help_is_as_wide_as_argparse_would_make_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI measures the terminal without importing shutil (start-up); the width it
    gets is the one argparse's own formatter gets."""
    import argparse

    from chatkit_codegen.cli import _HelpFormatter

    for columns in ("60", "100", "", "junk"):
        monkeypatch.setenv("COLUMNS", columns)
        ours = _HelpFormatter("prog")
        theirs = argparse.HelpFormatter("prog")
        assert ours._width == theirs._width, columns
