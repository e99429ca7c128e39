"""Issue 14: cold validation, our engine (jsonschema-rs) against openapi-spec-validator.

Every run is a fresh process with an empty ``XDG_CACHE_HOME``, so the YAML is parsed
and nothing is remembered. For each document (the ChatKit spec, a synthetic spec of
``--synthetic`` schemas made by ``synth_spec.py``, OpenAI's whole document):

* ``ours: validate`` — the whole ``chatkit-codegen validate`` command;
* ``ours: engine`` — load the document and run ``schema_check.check_structure``
  (meta-schema, schema dialect, defaults, the reference's extra rules);
* ``reference: engine`` — load the document the same way and run
  openapi-spec-validator (Python jsonschema, as before the swap) over it.

Printed: each series (min/max over the runs), the engine ratio ours/reference, the
command ratio ``ours: validate`` / (``ours: validate`` - ``ours: engine`` +
``reference: engine``, i.e. the same command with the reference engine), and
``-X importtime`` of ``import chatkit_codegen.load.validate`` and of each engine.

    python bench/validate_cold.py [--runs N] [--synthetic 1500] [--no-realworld]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from common import (
    REALWORLD,
    SPEC,
    BenchError,
    Figure,
    Ratio,
    Sample,
    Series,
    capture,
    cli,
    env_with,
    interleave,
    ours,
    print_figure,
    print_header,
    print_series,
    run_process,
)
from synth_spec import write_spec

OURS_CMD, OURS_ENGINE, REF_ENGINE = "ours: validate", "ours: engine", "reference: engine"
LOAD = (
    "import sys\nfrom pathlib import Path\n"
    "from chatkit_codegen.load.document import load_document\n"
    "data = load_document(Path(sys.argv[1])).data\n"
    "version = str(data.get('openapi', ''))[:3]\n"
)
OURS_SCRIPT = LOAD + (
    "from chatkit_codegen.load.schema_check import check_structure\n"
    "check_structure(data, version)\n"
)
REF_SCRIPT = LOAD + (
    "from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator\n"
    "cls = OpenAPIV30SpecValidator if version == '3.0' else OpenAPIV31SpecValidator\n"
    "try:\n    list(cls(data).iter_errors())\nexcept Exception:\n    pass\n"
)
REF_ENV = {"OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND": "jsonschema"}


def _cold(argv: list[str], tmp: Path, extra: dict[str, str] | None = None) -> Callable[[], Sample]:
    def run() -> Sample:
        cache = Path(tempfile.mkdtemp(prefix="cache-", dir=tmp))  # empty every run
        return run_process(argv, env=env_with(XDG_CACHE_HOME=str(cache), **(extra or {})), ok_codes=(0, 1))

    return run


def cases(spec: Path, tmp: Path) -> dict[str, Callable[[], Sample]]:
    return {
        OURS_CMD: _cold(ours("validate", str(spec)), tmp),
        OURS_ENGINE: _cold([sys.executable, "-c", OURS_SCRIPT, str(spec)], tmp),
        REF_ENGINE: _cold([sys.executable, "-c", REF_SCRIPT, str(spec)], tmp, REF_ENV),
    }


def command_ratio(series: dict[str, Series]) -> Ratio:
    """ours: validate / the same command with the reference engine, run by run."""
    values = []
    for cmd, mine, ref in zip(
        series[OURS_CMD].seconds, series[OURS_ENGINE].seconds, series[REF_ENGINE].seconds, strict=True
    ):
        values.append(cmd / max(cmd - mine + ref, 1e-9))
    return Ratio(tuple(values))


def importtime_ms(statement: str, extra: dict[str, str] | None = None) -> tuple[float, list[str]]:
    """Cumulative -X importtime of ``statement``'s top-level imports, and the heavy ones."""
    proc = capture([sys.executable, "-X", "importtime", "-c", statement], env=env_with(**(extra or {})))
    total = 0
    heavy: list[str] = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if not m:
            continue
        if len(m[2]) == 1:  # a top-level import
            total += int(m[1])
        name = m[3]
        if name.split(".")[0] in ("jsonschema", "jsonschema_rs", "openapi_spec_validator", "referencing", "yaml"):
            if name.split(".")[0] not in heavy:
                heavy.append(name.split(".")[0])
    return total / 1000, heavy


def main(argv: Sequence[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (bytecode)")
    parser.add_argument("--synthetic", type=int, default=1500, help="schemas in the synthetic spec")
    parser.add_argument("--no-realworld", action="store_true", help="skip OpenAI's whole document")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    runs = max(1, args.runs)
    try:
        import openapi_spec_validator  # noqa: F401
    except ImportError:
        raise BenchError("openapi-spec-validator (the reference) is not installed: pip install -e '.[dev]'") from None

    print_header(
        "14 cold validation: jsonschema-rs engine vs openapi-spec-validator",
        f"{runs} interleaved runs each, fresh process and empty XDG_CACHE_HOME every run",
    )
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp_name:
        tmp = Path(tmp_name)
        docs = {"ChatKit spec": SPEC}
        docs[f"synthetic, {args.synthetic} schemas"] = write_spec(
            args.synthetic, tmp / f"synthetic-{args.synthetic}.yaml", seed=args.seed
        )
        if not args.no_realworld and REALWORLD.is_file():
            docs["OpenAI's whole document"] = REALWORLD
        for label, spec in docs.items():
            print(f"\n   {label} ({spec.stat().st_size / 1e6:.2f} MB)")
            series = interleave(cases(spec, tmp), runs, warmup=args.warmup)
            print_series(series)
            engine = Ratio.of(series[OURS_ENGINE], series[REF_ENGINE])
            command = command_ratio(series)
            print(f"   engine, ours/reference (load + validate): {engine.text()}")
            print(f"   validate command, ours/with the reference engine: {command.text()}")
            figures.append(Figure("14", f"cold validate, {label}, vs openapi-spec-validator", command.text(), "informational", None))

    print("\n   -X importtime (cumulative, ms; heavy packages imported):")
    for statement, extra in (
        ("import chatkit_codegen.load.validate", None),
        ("import chatkit_codegen.load.schema_check, jsonschema_rs", None),
        ("import openapi_spec_validator", REF_ENV),
    ):
        ms, heavy = importtime_ms(statement, extra)
        print(f"   {statement:<58} {ms:8.1f} ms  {', '.join(heavy) or '-'}")
    ms, heavy = importtime_ms("import chatkit_codegen.load.validate")
    figures.append(Figure("14", "import chatkit_codegen.load.validate", f"{ms:.1f} ms, imports {', '.join(heavy) or 'no validator'}", "no validator", not heavy))
    for fig in figures:
        print_figure(fig)
    return figures


if __name__ == "__main__":
    cli(main)
