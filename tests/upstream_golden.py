"""The golden upstream report: spec/chatkit.yaml against ../shared's ChatKit subset.

    python tests/upstream_golden.py

rewrites tests/golden_upstream/ (the Markdown report, which carries no line numbers, so
edits elsewhere in the spec leave it alone); tests/test_upstream.py compares.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden_upstream"
SUBSET = ROOT.parent / "shared" / "reference" / "openai-chatkit-subset.yaml"


def render_golden(spec: Path, subset: Path) -> dict[str, str]:
    sys.path.insert(0, str(ROOT / "generator"))
    from chatkit_codegen.load.document import load_document
    from chatkit_codegen.workflow.upstream import compare_documents
    from chatkit_codegen.workflow.upstream_report import render

    report = compare_documents(
        load_document(spec, "spec/chatkit.yaml"),
        load_document(subset, "../shared/reference/openai-chatkit-subset.yaml"),
    )
    return {"chatkit-vs-subset.md": render(report, "markdown")}


def main(argv: list[str]) -> int:
    subset = Path(argv[0]) if argv else SUBSET
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, text in render_golden(ROOT / "spec" / "chatkit.yaml", subset).items():
        (GOLDEN / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"{name} -> {(GOLDEN / name).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
