"""Golden files: the committed generated/ tree and one tree per fixture spec.

    python tests/golden.py      (or: nox -s golden)

regenerates all of them, and first the built-in templates' precompiled modules
(``generator/chatkit_codegen/render/compiled/``). A fixture is a folder ``tests/fixtures/<case>/`` holding
``spec.yaml`` (or ``spec.json``); its golden output is ``tests/golden/<case>/``
with the package named ``<case>_api`` and every other name (client class, environment
variables) taken from the document, as for any project without configuration.
Adding a case means adding a folder.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
GOLDEN = ROOT / "tests" / "golden"
REFRESH = "python tests/golden.py   (or: nox -s golden)"


@dataclass(frozen=True)
class Case:
    name: str
    spec: Path
    out: Path
    package: str

    @property
    def allow_refs(self) -> tuple[Path, ...]:
        """A fixture may be split over files in its own folder (tests/fixtures/multifile)."""
        return () if self.name == "chatkit" else (self.spec.parent,)

    def document(self):  # type: ignore[no-untyped-def]
        """The fixture's loaded (and bundled) document."""
        from chatkit_codegen.load.document import load_document

        return load_document(self.spec, allow_refs=self.allow_refs)


def cases() -> list[Case]:
    found = [Case("chatkit", ROOT / "spec" / "chatkit.yaml", ROOT / "generated", "chatkit_api")]
    for folder in sorted(p for p in FIXTURES.iterdir() if p.is_dir()) if FIXTURES.is_dir() else []:
        spec = next((folder / n for n in ("spec.yaml", "spec.json") if (folder / n).is_file()), None)
        if spec is not None:
            found.append(Case(folder.name, spec, GOLDEN / folder.name, f"{folder.name}_api"))
    return found


def config_for(case: Case, out: Path | None = None):  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(ROOT / "generator"))
    from chatkit_codegen.config import load_config

    base = load_config(ROOT)
    if case.name != "chatkit":  # only ChatKit's tree takes the ChatKit names of pyproject.toml
        base = base.with_overrides(client_name="", api_key_env="", base_url_env="")
    return base.with_overrides(
        spec=case.spec, out=out or case.out, package_name=case.package, allow_refs=case.allow_refs
    )


def render(case: Case) -> dict[str, str]:
    from chatkit_codegen.pipeline import generate

    return generate(config_for(case)).files


def main() -> int:
    sys.path.insert(0, str(ROOT / "generator"))
    from chatkit_codegen.pipeline import write_tree
    from chatkit_codegen.render.env import write_compiled

    compiled = write_compiled()
    print(f"templates: {len(compiled) - 1} compiled -> generator/chatkit_codegen/render/compiled")
    for case in cases():
        files = render(case)
        write_tree(case.out, files)
        print(f"{case.name}: {len(files)} files -> {case.out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
